//! The motion index's rows in a real SQLite library: stored, merged, scanned with the OR
//! filter, trimmed by retention and removed with their camera.

use super::*;
use crate::library::motion_codec::FrameCells;
use crate::model::{CameraName, NewCamera, Policy, Transport};

fn library() -> (tempfile::TempDir, Library, i64) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut lib = Library::open(dir.path()).expect("open");
    let cam = NewCamera {
        name: CameraName::parse("yard").expect("name"),
        url: "rtsp://10.0.0.9/yard".into(),
        detect_url: None,
        transport: Transport::Tcp,
        enabled: true,
        audio: false,
    };
    let id = lib.add_camera(&cam, &Policy::default()).expect("camera").id;
    (dir, lib, id)
}

fn cells(list: &[usize]) -> CellMask {
    let mut m = CellMask::EMPTY;
    for &i in list {
        m.set(i);
    }
    m
}

fn minute(camera_id: i64, minute: i64, frames: &[(u16, &[usize])]) -> MotionMinute {
    let frames: Vec<FrameCells> = frames
        .iter()
        .map(|(offset_ms, c)| FrameCells {
            offset_ms: *offset_ms,
            cells: cells(c),
        })
        .collect();
    let mut or = CellMask::EMPTY;
    for f in &frames {
        or.or_assign(&f.cells);
    }
    MotionMinute {
        camera_id,
        minute,
        cells: or,
        frames: encode_frames(&frames),
    }
}

/// (minute, frames read) for every stored minute in the range.
fn scan(lib: &Library, cam: i64, range: (i64, i64), mask: &CellMask) -> Vec<(i64, bool)> {
    let mut seen = Vec::new();
    lib.scan_motion_index(cam, range.0, range.1, mask, |m| {
        seen.push((m.minute, m.frames.is_some()));
        true
    })
    .expect("scan");
    seen
}

#[test]
fn rows_are_scanned_by_key_and_frames_read_only_when_the_or_mask_meets() {
    let (_dir, mut lib, cam) = library();
    let rows = [
        minute(cam, 100, &[(0, &[1, 2])]),
        minute(cam, 101, &[]),
        minute(cam, 102, &[(500, &[40])]),
        minute(cam, 200, &[(0, &[1])]),
    ];
    lib.store_motion_minutes(&rows).expect("store");
    let seen = scan(&lib, cam, (100, 200), &cells(&[2, 3]));
    assert_eq!(seen, vec![(100, true), (101, false), (102, false)]);
    assert_eq!(lib.motion_index_span(cam).expect("span"), Some((100, 200)));
}

#[test]
fn a_minute_written_twice_is_merged_in_time_order() {
    let (_dir, mut lib, cam) = library();
    lib.store_motion_minutes(&[minute(cam, 7, &[(30_000, &[5])])])
        .expect("first");
    lib.store_motion_minutes(&[minute(cam, 7, &[(10_000, &[6])])])
        .expect("second");
    let mut frames = Vec::new();
    lib.scan_motion_index(cam, 0, 10, &cells(&[5, 6]), |m| {
        frames = decode_frames(m.frames.unwrap_or_default()).expect("frames");
        true
    })
    .expect("scan");
    let times: Vec<u16> = frames.iter().map(|f| f.offset_ms).collect();
    assert_eq!(times, vec![10_000, 30_000]);
}

#[test]
fn retention_trims_the_index_past_the_longest_retention_and_removal_takes_it_all() {
    let (_dir, mut lib, cam) = library();
    // Default policy: continuous 7 days, events 30 days: the index keeps 30 days.
    let now_us = 1_000_000 * US_PER_MINUTE;
    let day = 24 * 60;
    let now = minute_of(now_us);
    let rows: Vec<_> = [now - 31 * day, now - 29 * day, now - 1]
        .iter()
        .map(|&m| minute(cam, m, &[(0, &[1])]))
        .collect();
    lib.store_motion_minutes(&rows).expect("store");
    lib.sweep(now_us, None).expect("sweep");
    let left: Vec<i64> = scan(&lib, cam, (0, i64::MAX), &CellMask::EMPTY)
        .into_iter()
        .map(|s| s.0)
        .collect();
    assert_eq!(left, vec![now - 29 * day, now - 1]);

    lib.remove_camera("yard", true).expect("remove");
    let n: i64 = lib
        .conn()
        .query_row("SELECT COUNT(*) FROM motion_index", [], |r| r.get(0))
        .expect("count");
    assert_eq!(n, 0, "the index goes with its camera");
}
