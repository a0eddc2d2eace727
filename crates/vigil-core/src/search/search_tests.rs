//! Motion search over a real SQLite library filled through the analyzer's own minute
//! builder: hits in the region only, merged, gaps in the index named, cancel honoured.

use super::*;
use crate::analyze::index::MinuteBuilder;
use crate::detect::cells::GRID_W;
use crate::model::{CameraName, NewCamera, Policy, Transport};

const S: i64 = 1_000_000;
/// A minute boundary in 2026.
const T0: i64 = 29_400_000 * US_PER_MINUTE;

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

/// Analyses `seconds` of 5 fps frames from `start`; `moving(t)` gives the moved cells.
fn record(
    lib: &mut Library,
    cam: i64,
    start: i64,
    seconds: i64,
    moving: impl Fn(i64) -> Vec<usize>,
) {
    let mut b = MinuteBuilder::new(cam);
    let mut rows = Vec::new();
    for k in 0..seconds * 5 {
        let t = start + k * 200_000;
        let mut cells = CellMask::EMPTY;
        for i in moving(t) {
            cells.set(i);
        }
        rows.extend(b.push(t, &cells));
    }
    rows.extend(b.take());
    lib.store_motion_minutes(&rows).expect("store");
}

fn cell(x: usize, y: usize) -> usize {
    y * GRID_W + x
}

fn query(cam: i64, region: SearchRegion, from_us: i64, to_us: i64) -> MotionQuery {
    MotionQuery {
        camera_id: cam,
        region,
        from_us,
        to_us,
        min_duration_us: 0,
        merge_gap_us: DEFAULT_MERGE_GAP_US,
    }
}

#[test]
fn motion_in_the_region_is_found_and_elsewhere_not() {
    let (_dir, mut lib, cam) = library();
    // Ten minutes; motion in the left half's top-left cell from 70 s to 75 s and from 80 s
    // to 81 s (two hits: 5 s apart), and in the bottom right from 300 s to 320 s.
    record(&mut lib, cam, T0, 600, |t| {
        let s = (t - T0) as f64 / 1e6;
        let mut c = Vec::new();
        if (70.0..75.0).contains(&s) || (80.0..81.0).contains(&s) {
            c.push(cell(2, 2));
        }
        if (300.0..320.0).contains(&s) {
            c.extend([cell(30, 16), cell(31, 17)]);
        }
        c
    });
    let left = SearchRegion::Rect {
        x: 0.0,
        y: 0.0,
        w: 0.5,
        h: 0.5,
    };
    let found = search(
        &lib,
        &query(cam, left.clone(), T0, T0 + 600 * S),
        &JobContext::default(),
    )
    .expect("search");
    let spans: Vec<(i64, i64)> = found
        .hits
        .iter()
        .map(|h| ((h.start_us - T0) / 100_000, (h.end_us - T0) / 100_000))
        .collect();
    assert_eq!(spans, vec![(700, 748), (800, 808)], "tenths of a second");
    assert_eq!(found.hits[0].peak_fraction, 1.0 / found.region_cells as f32);
    assert!(found.unindexed.is_empty(), "{:?}", found.unindexed);
    assert_eq!((found.indexed_minutes, found.range_minutes), (10, 10));

    let right = SearchRegion::Rect {
        x: 0.9,
        y: 0.8,
        w: 0.1,
        h: 0.2,
    };
    let found = search(
        &lib,
        &query(cam, right, T0, T0 + 600 * S),
        &JobContext::default(),
    )
    .expect("search");
    assert_eq!(found.hits.len(), 1);
    assert_eq!(found.hits[0].duration_us(), 19_800_000);

    let mut q = query(cam, left, T0, T0 + 600 * S);
    q.min_duration_us = 2 * S;
    let found = search(&lib, &q, &JobContext::default()).expect("search");
    assert_eq!(found.hits.len(), 1, "the 0.8 s hit is shorter than 2 s");
}

#[test]
fn the_answer_names_the_parts_of_the_range_without_an_index() {
    let (_dir, mut lib, cam) = library();
    record(&mut lib, cam, T0 + 120 * S, 60, |_| Vec::new());
    record(&mut lib, cam, T0 + 300 * S, 60, |_| Vec::new());
    let all = SearchRegion::Rect {
        x: 0.0,
        y: 0.0,
        w: 1.0,
        h: 1.0,
    };
    let q = query(cam, all, T0 + 30 * S, T0 + 420 * S);
    let found = search(&lib, &q, &JobContext::default()).expect("search");
    assert!(found.hits.is_empty());
    assert_eq!(
        found.unindexed,
        vec![
            (T0 + 30 * S, T0 + 120 * S),
            (T0 + 180 * S, T0 + 300 * S),
            (T0 + 360 * S, T0 + 420 * S)
        ]
    );
    assert_eq!((found.indexed_minutes, found.range_minutes), (2, 7));
}

#[test]
fn bad_queries_are_refused_and_a_cancelled_search_stops() {
    let (_dir, mut lib, cam) = library();
    let all = SearchRegion::Rect {
        x: 0.0,
        y: 0.0,
        w: 1.0,
        h: 1.0,
    };
    let err = search(
        &lib,
        &query(cam, all.clone(), T0, T0),
        &JobContext::default(),
    )
    .expect_err("empty range");
    assert!(
        err.to_string().contains("start must be before its end"),
        "{err}"
    );
    let bad = SearchRegion::Rect {
        x: 0.9,
        y: 0.0,
        w: 0.5,
        h: 0.5,
    };
    let err =
        search(&lib, &query(cam, bad, T0, T0 + S), &JobContext::default()).expect_err("outside");
    assert!(err.to_string().contains("outside the picture"), "{err}");

    // Enough minutes for the search to look at cancel on the way.
    let rows: Vec<_> = (0..2000)
        .map(|m| crate::library::motion_index::MotionMinute {
            camera_id: cam,
            minute: minute_of(T0) + m,
            cells: CellMask::EMPTY,
            frames: Vec::new(),
        })
        .collect();
    lib.store_motion_minutes(&rows).expect("store");
    let job = crate::jobs::Job::spawn(
        "search-test",
        None,
        |ctx| {
            while !ctx.cancelled() {
                std::thread::yield_now();
            }
            ctx.clone()
        },
        |_| JobContext::default(),
    );
    job.cancel();
    let ctx = job.wait().expect("the context");
    let q = query(cam, all, T0, T0 + 2000 * US_PER_MINUTE);
    assert!(matches!(
        search(&lib, &q, &ctx),
        Err(SearchError::Cancelled)
    ));
}
