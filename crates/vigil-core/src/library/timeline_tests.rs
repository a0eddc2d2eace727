//! `Library::timeline` against a real SQLite library in a temporary folder, rows written
//! through the library's own API (the recorder's `begin_segment`/`finish_segment`, events,
//! zones): ranges merged and clipped, gaps kept, events as markers, motion counted.

use super::*;
use crate::detect::{Polygon, ZoneKind, ZoneSpec};
use crate::library::layout::segment_rel_path;
use crate::library::{FinishedSegment, SegmentQuery};
use crate::model::{CameraName, NewCamera, NewEvent, Policy, Transport};

/// An hour boundary in 2026.
pub(crate) const T0: i64 = 498_612 * HOUR_US;
pub(crate) const S: i64 = 1_000_000;

pub(crate) fn library() -> (tempfile::TempDir, Library, i64) {
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

pub(crate) fn segment(
    lib: &mut Library,
    cam: i64,
    kind: SegmentKind,
    start_us: i64,
    end_us: i64,
) -> i64 {
    let rel = segment_rel_path("yard", kind, start_us);
    lib.begin_segment(cam, kind, start_us, &rel)
        .expect("journal");
    lib.finish_segment(&FinishedSegment {
        camera_id: cam,
        kind,
        start_us,
        end_us,
        rel_path: rel,
        bytes: 4_000_000,
        codec: "h264".into(),
        width: 1920,
        height: 1080,
        frames: 1500,
        event_id: None,
        audio_codec: None,
    })
    .expect("index")
}

pub(crate) fn continuous(lib: &mut Library, cam: i64, start_us: i64, end_us: i64) -> i64 {
    segment(lib, cam, SegmentKind::Continuous, start_us, end_us)
}

pub(crate) fn query(
    lib: &Library,
    cam: i64,
    from_us: i64,
    to_us: i64,
    min_gap_us: i64,
) -> CameraTimeline {
    let q = TimelineQuery {
        camera_ids: vec![cam],
        from_us,
        to_us,
        min_gap_us,
    };
    let t = lib.timeline(&q).expect("timeline");
    t.camera(cam).expect("the camera's row").clone()
}

pub(crate) fn r(start_us: i64, end_us: i64) -> TimeRange {
    TimeRange { start_us, end_us }
}

#[test]
fn abutting_segments_merge_and_gaps_stay() {
    let (_dir, mut lib, cam) = library();
    for i in 0..5 {
        continuous(&mut lib, cam, T0 + i * 60 * S, T0 + (i + 1) * 60 * S);
    }
    // A 30 s gap, then two more.
    for i in 0..2 {
        continuous(
            &mut lib,
            cam,
            T0 + 330 * S + i * 60 * S,
            T0 + 390 * S + i * 60 * S,
        );
    }
    let row = query(&lib, cam, T0, T0 + 3600 * S, 0);
    assert_eq!(
        row.continuous,
        vec![r(T0, T0 + 300 * S), r(T0 + 330 * S, T0 + 450 * S)]
    );
    assert!(row.event_clips.is_empty());
    // One pixel of 40 s swallows the 30 s gap; one of 20 s does not.
    let row = query(&lib, cam, T0, T0 + 3600 * S, 40 * S);
    assert_eq!(row.continuous, vec![r(T0, T0 + 450 * S)]);
    let row = query(&lib, cam, T0, T0 + 3600 * S, 20 * S);
    assert_eq!(row.continuous.len(), 2);
}

#[test]
fn the_segment_straddling_the_window_start_is_included_and_clipped() {
    let (_dir, mut lib, cam) = library();
    continuous(&mut lib, cam, T0, T0 + 60 * S);
    continuous(&mut lib, cam, T0 + 60 * S, T0 + 120 * S);
    let row = query(&lib, cam, T0 + 90 * S, T0 + 100 * S, 0);
    assert_eq!(row.continuous, vec![r(T0 + 90 * S, T0 + 100 * S)]);
    let row = query(&lib, cam, T0 + 30 * S, T0 + 300 * S, 0);
    assert_eq!(row.continuous, vec![r(T0 + 30 * S, T0 + 120 * S)]);
    // A window inside a gap is empty.
    let row = query(&lib, cam, T0 + 130 * S, T0 + 200 * S, 0);
    assert!(row.continuous.is_empty());
    // A two-hour clip that began long before the window (the longest segment sets how far
    // back both queries look).
    segment(
        &mut lib,
        cam,
        SegmentKind::Event,
        T0 - 7200 * S,
        T0 + 10 * S,
    );
    let row = query(&lib, cam, T0 + 5 * S, T0 + 20 * S, 0);
    assert_eq!(row.event_clips, vec![r(T0 + 5 * S, T0 + 10 * S)]);
    let found = lib
        .segments(&SegmentQuery {
            camera_id: Some(cam),
            from_us: Some(T0 + 5 * S),
            to_us: Some(T0 + 6 * S),
            kind: None,
        })
        .expect("segments");
    let starts: Vec<i64> = found.iter().map(|s| s.start_us).collect();
    assert_eq!(starts, vec![T0 - 7200 * S, T0]);
}

#[test]
fn kinds_stay_apart_and_open_files_show_as_in_progress() {
    let (_dir, mut lib, cam) = library();
    continuous(&mut lib, cam, T0, T0 + 60 * S);
    segment(&mut lib, cam, SegmentKind::Event, T0 + 20 * S, T0 + 50 * S);
    let rel = segment_rel_path("yard", SegmentKind::Continuous, T0 + 60 * S);
    lib.begin_segment(cam, SegmentKind::Continuous, T0 + 60 * S, &rel)
        .expect("journal");
    let row = query(&lib, cam, T0, T0 + 600 * S, 0);
    assert_eq!(row.continuous, vec![r(T0, T0 + 60 * S)]);
    assert_eq!(row.event_clips, vec![r(T0 + 20 * S, T0 + 50 * S)]);
    assert_eq!(
        row.in_progress,
        vec![InProgress {
            kind: SegmentKind::Continuous,
            start_us: T0 + 60 * S
        }]
    );
}

fn event(lib: &Library, cam: i64, source: EventSource, label: &str, start: i64, end: Option<i64>) {
    lib.insert_event(&NewEvent {
        camera_id: cam,
        source,
        label: label.into(),
        zone_id: None,
        start_us: start,
        end_us: end,
        score: 0.5,
        thumbnail: None,
        object_box: None,
    })
    .expect("event");
}

#[test]
fn events_become_markers_merged_within_a_pixel_and_motion_is_counted() {
    let (_dir, mut lib, cam) = library();
    let gate = lib
        .add_zone(
            cam,
            &ZoneSpec::new(0, "gate", ZoneKind::Detect, Polygon::full_frame()),
        )
        .expect("zone");
    lib.insert_event(&NewEvent {
        camera_id: cam,
        source: EventSource::Motion,
        label: "motion".into(),
        zone_id: Some(gate.id),
        start_us: T0 + 10 * S,
        end_us: Some(T0 + 25 * S),
        score: 0.5,
        thumbnail: None,
        object_box: None,
    })
    .expect("event");
    event(
        &lib,
        cam,
        EventSource::External,
        "door",
        T0 + 12 * S,
        Some(T0 + 13 * S),
    );
    event(&lib, cam, EventSource::Motion, "motion", T0 + 40 * S, None);
    // Started long before the window and still going on; one that ended before it.
    event(
        &lib,
        cam,
        EventSource::Camera,
        "tamper",
        T0 - 20 * 3600 * S,
        None,
    );
    event(
        &lib,
        cam,
        EventSource::Manual,
        "old",
        T0 - 100 * S,
        Some(T0 - 50 * S),
    );

    let row = query(&lib, cam, T0, T0 + 60 * S, S);
    let labels: Vec<&str> = row.events.iter().map(|e| e.label.as_str()).collect();
    assert_eq!(labels, vec!["tamper", "motion", "door", "motion"]);
    assert_eq!(row.events[1].zone.as_deref(), Some("gate"));
    assert_eq!(row.events[2].source, EventSource::External);
    assert!(row.events.iter().all(|e| e.count == 1));
    // 1 s buckets: the zone event covers 10..=25, the open one 40..60.
    assert_eq!(row.motion.len(), 60);
    assert_eq!(row.motion[9], 0);
    assert_eq!(row.motion[10], 1);
    assert_eq!(row.motion[25], 1);
    assert_eq!(row.motion[26], 0);
    assert_eq!(row.motion[59], 1);

    // At 5 s a pixel, the two events 2 s apart are one marker of two.
    let row = query(&lib, cam, T0, T0 + 60 * S, 5 * S);
    let counts: Vec<(&str, u32)> = row
        .events
        .iter()
        .map(|e| (e.label.as_str(), e.count))
        .collect();
    assert_eq!(counts, vec![("tamper", 1), ("motion", 2), ("motion", 1)]);
    assert_eq!(row.events[1].end_us, Some(T0 + 25 * S));
}
