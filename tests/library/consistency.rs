//! The library against a real SQLite file and real MP4 files on disk: retention by age, by
//! size and by free-disk floor; reconciliation of files without rows and rows without files;
//! schema and camera rules.

use crate::common;

use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;

use vigil_core::library::disk::disk_space;
use vigil_core::library::layout::segment_rel_path;
use vigil_core::library::retention::DiskFloor;
use vigil_core::library::{FinishedSegment, Library, LibraryError, SegmentQuery};
use vigil_core::model::{CameraName, NewCamera, Policy, SegmentKind, Transport};

const DAY_US: i64 = 86_400_000_000;
const NOW_US: i64 = 1_795_000_000_000_000;

/// A real 1 s H.264 MP4 made by ffmpeg once per test run.
fn sample_mp4() -> &'static Path {
    static SAMPLE: OnceLock<std::path::PathBuf> = OnceLock::new();
    SAMPLE.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("vigil-test-sample-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("sample dir");
        let path = dir.join("sample.mp4");
        let ok = Command::new("ffmpeg")
            .args([
                "-v",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=320x240:rate=25",
            ])
            .args([
                "-t", "1", "-c:v", "libx264", "-g", "25", "-pix_fmt", "yuv420p",
            ])
            .arg(&path)
            .status()
            .expect("run ffmpeg");
        assert!(ok.success(), "ffmpeg made the sample");
        path
    })
}

fn add_camera(lib: &mut Library, name: &str, policy: Policy) -> i64 {
    let cam = NewCamera {
        name: CameraName::parse(name).expect("name"),
        url: "rtsp://user:pw@127.0.0.1/x".into(),
        detect_url: None,
        transport: Transport::Tcp,
        enabled: true,
        audio: false,
    };
    lib.add_camera(&cam, &policy).expect("add camera").id
}

/// Puts a real file at the segment's place and indexes it like the recorder does.
fn add_segment(lib: &mut Library, camera: &str, camera_id: i64, start_us: i64) -> String {
    add_recording(
        lib,
        camera,
        camera_id,
        SegmentKind::Continuous,
        start_us,
        None,
    )
}

/// A 1 s recording on disk (a copy of the sample) with its row.
fn add_recording(
    lib: &mut Library,
    camera: &str,
    camera_id: i64,
    kind: SegmentKind,
    start_us: i64,
    event_id: Option<i64>,
) -> String {
    let rel = segment_rel_path(camera, kind, start_us);
    let abs = lib.absolute(&rel);
    std::fs::create_dir_all(abs.parent().expect("parent")).expect("dirs");
    std::fs::copy(sample_mp4(), &abs).expect("copy sample");
    lib.begin_segment(camera_id, kind, start_us, &rel)
        .expect("journal");
    let bytes = std::fs::metadata(&abs).expect("stat").len();
    lib.finish_segment(&FinishedSegment {
        camera_id,
        kind,
        start_us,
        end_us: start_us + 1_000_000,
        rel_path: rel.clone(),
        bytes,
        codec: "h264".into(),
        width: 320,
        height: 240,
        frames: 25,
        event_id,
        audio_codec: None,
    })
    .expect("index");
    rel
}

fn starts(lib: &Library, camera_id: Option<i64>) -> Vec<i64> {
    lib.segments(&SegmentQuery {
        camera_id,
        ..Default::default()
    })
    .expect("query")
    .iter()
    .map(|s| s.start_us)
    .collect()
}

#[test]
fn retention_by_age_keeps_what_is_young_enough() {
    let dir = tempfile::tempdir().expect("dir");
    let mut lib = Library::open(dir.path()).expect("open");
    let policy = Policy {
        retain_days: 2.0,
        ..Policy::default()
    };
    let id = add_camera(&mut lib, "yard", policy);
    let old = add_segment(&mut lib, "yard", id, NOW_US - 3 * DAY_US);
    add_segment(&mut lib, "yard", id, NOW_US - DAY_US);
    let report = lib.sweep(NOW_US, None).expect("sweep");
    assert_eq!(report.by_age, 1);
    assert_eq!(starts(&lib, Some(id)), vec![NOW_US - DAY_US]);
    assert!(
        !lib.absolute(&old).exists(),
        "the old file is gone from disk"
    );
}

#[test]
fn retention_by_size_deletes_oldest_first_per_camera() {
    let dir = tempfile::tempdir().expect("dir");
    let mut lib = Library::open(dir.path()).expect("open");
    let size = std::fs::metadata(sample_mp4()).expect("sample").len();
    let capped = add_camera(
        &mut lib,
        "capped",
        Policy {
            max_bytes: Some(3 * size),
            ..Policy::default()
        },
    );
    let other = add_camera(&mut lib, "other", Policy::default());
    for i in 0..5 {
        add_segment(&mut lib, "capped", capped, NOW_US - (10 - i) * 60_000_000);
        add_segment(&mut lib, "other", other, NOW_US - (10 - i) * 60_000_000);
    }
    let report = lib.sweep(NOW_US, None).expect("sweep");
    assert_eq!(report.by_size, 2);
    let kept = starts(&lib, Some(capped));
    assert_eq!(
        kept,
        (2..5)
            .map(|i| NOW_US - (10 - i) * 60_000_000)
            .collect::<Vec<_>>()
    );
    assert_eq!(
        starts(&lib, Some(other)).len(),
        5,
        "other cameras are untouched"
    );
    assert_eq!(common::mp4_files(lib.root()).len(), 8, "files follow rows");
}

#[test]
fn disk_floor_deletes_oldest_of_all_cameras_until_enough_is_free() {
    let dir = tempfile::tempdir().expect("dir");
    let mut lib = Library::open(dir.path()).expect("open");
    let size = std::fs::metadata(sample_mp4()).expect("sample").len();
    let a = add_camera(&mut lib, "a", Policy::default());
    let b = add_camera(&mut lib, "b", Policy::default());
    for i in 0..4 {
        add_segment(&mut lib, "a", a, NOW_US - (20 - 2 * i) * 60_000_000);
        add_segment(&mut lib, "b", b, NOW_US - (19 - 2 * i) * 60_000_000);
    }
    // Ask for 2.5 files' worth more free space than the disk has now.
    let space = disk_space(lib.root()).expect("statvfs");
    let floor = DiskFloor {
        space,
        min_free: space.available + size * 5 / 2,
    };
    let report = lib.sweep(NOW_US, Some(floor)).expect("sweep");
    assert_eq!(
        report.by_disk_floor, 3,
        "three oldest files, across cameras"
    );
    let all = starts(&lib, None);
    assert_eq!(all.len(), 5);
    assert_eq!(
        all[0],
        NOW_US - 17 * 60_000_000,
        "the oldest three went first"
    );
    assert_eq!(common::mp4_files(lib.root()).len(), 5);
}

#[test]
fn reconcile_indexes_orphans_drops_missing_and_removes_garbage() {
    let dir = tempfile::tempdir().expect("dir");
    let mut lib = Library::open(dir.path()).expect("open");
    let id = add_camera(&mut lib, "door", Policy::default());
    let kept = add_segment(&mut lib, "door", id, NOW_US - 300_000_000);
    let gone = add_segment(&mut lib, "door", id, NOW_US - 200_000_000);
    std::fs::remove_file(lib.absolute(&gone)).expect("delete behind the library's back");
    // A playable file with no row (copied in, or left by a crash without a journal entry).
    let orphan_start = NOW_US - 100_000_000;
    let orphan = segment_rel_path("door", SegmentKind::Continuous, orphan_start);
    std::fs::copy(sample_mp4(), lib.absolute(&orphan)).expect("orphan");
    // An unplayable file left open by a crash.
    let broken = segment_rel_path("door", SegmentKind::Continuous, NOW_US - 50_000_000);
    std::fs::write(lib.absolute(&broken), b"not an mp4 at all").expect("garbage");
    lib.begin_segment(id, SegmentKind::Continuous, NOW_US - 50_000_000, &broken)
        .expect("journal");

    // Start-up: the journal first (the crashed file), then the full walk.
    let journal = lib.recover_journal().expect("journal recovery");
    assert_eq!((journal.indexed, journal.removed_files), (0, 1));
    let report = lib.reconcile().expect("reconcile");
    assert_eq!(
        (report.indexed, report.removed_files, report.dropped_rows),
        (1, 0, 1)
    );
    let segs = lib.segments(&SegmentQuery::default()).expect("query");
    assert_eq!(segs.len(), 2);
    assert!(segs[0].path.ends_with(&kept));
    assert_eq!(
        segs[1].start_us, orphan_start,
        "start time read from the file name"
    );
    assert_eq!(segs[1].frames, 25, "frames probed from the file");
    assert!(
        (segs[1].end_us - orphan_start - 1_000_000).abs() <= 40_000,
        "duration probed"
    );
    assert!(!lib.absolute(&broken).exists());
    assert!(lib.open_segments().expect("journal").is_empty());
}

#[test]
fn cameras_are_unique_and_removal_protects_footage() {
    let dir = tempfile::tempdir().expect("dir");
    let mut lib = Library::open(dir.path()).expect("open");
    let id = add_camera(&mut lib, "gate", Policy::default());
    let dup = NewCamera {
        name: CameraName::parse("gate").expect("name"),
        url: "rtsp://other/x".into(),
        detect_url: None,
        transport: Transport::Udp,
        enabled: true,
        audio: false,
    };
    assert!(matches!(
        lib.add_camera(&dup, &Policy::default()),
        Err(LibraryError::DuplicateCamera(_))
    ));
    let rel = add_segment(&mut lib, "gate", id, NOW_US);
    let err = lib
        .remove_camera("gate", false)
        .expect_err("has recordings");
    assert!(err.to_string().contains("1 recordings"), "{err}");
    assert!(lib.absolute(&rel).exists());
    lib.remove_camera("gate", true)
        .expect("remove with recordings");
    assert!(!lib.absolute(&rel).exists());
    assert!(lib.cameras().expect("cameras").is_empty());
    drop(lib);
    // Reopening keeps the schema (no migration re-run) and the data.
    let lib = Library::open(dir.path()).expect("reopen");
    assert!(lib.cameras().expect("cameras").is_empty());
}

#[test]
fn reconcile_leaves_segments_being_written_alone() {
    let dir = tempfile::tempdir().expect("dir");
    let mut lib = Library::open(dir.path()).expect("open");
    let id = add_camera(&mut lib, "live", Policy::default());
    // A segment the recorder has journaled and just created: no frame in it yet.
    let rel = segment_rel_path("live", SegmentKind::Continuous, NOW_US);
    lib.begin_segment(id, SegmentKind::Continuous, NOW_US, &rel)
        .expect("journal");
    std::fs::create_dir_all(lib.absolute(&rel).parent().expect("parent")).expect("dirs");
    std::fs::write(lib.absolute(&rel), b"").expect("empty file");
    let report = lib.reconcile().expect("reconcile");
    assert_eq!(report, Default::default());
    assert!(
        lib.absolute(&rel).exists(),
        "a file being written is not deleted"
    );
    assert_eq!(lib.open_segments().expect("journal").len(), 1);
}

fn event(lib: &Library, camera_id: i64, start_us: i64, end_us: Option<i64>) -> i64 {
    lib.insert_event(&vigil_core::model::NewEvent {
        camera_id,
        source: vigil_core::model::EventSource::Motion,
        label: "motion".into(),
        zone_id: None,
        start_us,
        end_us,
        score: 0.5,
        thumbnail: None,
        object_box: None,
    })
    .expect("insert event")
}

#[test]
fn protected_events_keep_their_footage_through_retention() {
    let dir = tempfile::tempdir().expect("dir");
    let mut lib = Library::open(dir.path()).expect("open");
    let policy = Policy {
        retain_days: 1.0,
        event_retain_days: 1.0,
        ..Policy::default()
    };
    let id = add_camera(&mut lib, "gate", policy);
    let old = NOW_US - 5 * DAY_US;
    add_segment(&mut lib, "gate", id, old);
    add_segment(&mut lib, "gate", id, old + 10_000_000);
    let kept = event(&lib, id, old + 200_000, Some(old + 500_000));
    event(&lib, id, old + 10_200_000, Some(old + 10_500_000));
    assert!(lib.set_event_protected(kept, true).expect("protect"));
    let report = lib.sweep(NOW_US, None).expect("sweep");
    assert_eq!(report.by_age, 1, "only the unprotected footage goes");
    assert_eq!(starts(&lib, Some(id)), vec![old]);
    let events = lib.events(&Default::default()).expect("events");
    assert_eq!(events.len(), 1, "the old unprotected event is gone too");
    assert_eq!(events[0].id, kept);
    // Even a full disk does not take it.
    let space = disk_space(lib.root()).expect("statvfs");
    let floor = DiskFloor {
        space,
        min_free: u64::MAX,
    };
    lib.sweep(NOW_US, Some(floor)).expect("sweep");
    assert_eq!(starts(&lib, Some(id)), vec![old]);
}

#[test]
fn events_left_open_by_a_crash_are_closed_at_the_last_recording() {
    let dir = tempfile::tempdir().expect("dir");
    let mut lib = Library::open(dir.path()).expect("open");
    let id = add_camera(&mut lib, "door", Policy::default());
    add_segment(&mut lib, "door", id, NOW_US);
    let open = event(&lib, id, NOW_US + 300_000, None);
    assert_eq!(lib.close_dangling_events().expect("close"), 1);
    let e = &lib.events(&Default::default()).expect("events")[0];
    assert_eq!(e.id, open);
    assert_eq!(e.end_us, Some(NOW_US + 1_000_000), "ends with the footage");
}

/// An event clip on disk for `event_id`, `start_us` .. +1 s.
fn add_clip(
    lib: &mut Library,
    camera: &str,
    camera_id: i64,
    start_us: i64,
    event_id: i64,
) -> String {
    add_recording(
        lib,
        camera,
        camera_id,
        SegmentKind::Event,
        start_us,
        Some(event_id),
    )
}

#[test]
fn deleting_an_event_removes_its_clips_unless_something_is_protected() {
    let dir = tempfile::tempdir().expect("dir");
    let mut lib = Library::open(dir.path()).expect("open");
    let id = add_camera(&mut lib, "yard", Policy::default());
    let t = NOW_US - DAY_US;
    let first = event(&lib, id, t + 100_000, Some(t + 300_000));
    let inside = event(&lib, id, t + 500_000, Some(t + 600_000));
    let clip = add_clip(&mut lib, "yard", id, t, first);
    let continuous = add_segment(&mut lib, "yard", id, t);
    let other = event(&lib, id, t + 10_000_000, Some(t + 10_500_000));
    let other_clip = add_clip(&mut lib, "yard", id, t + 10_000_000, other);

    // The confirmation's figures: one clip, its bytes, one other event inside it.
    let preview = lib.event_deletion(first).expect("preview");
    let bytes = std::fs::metadata(lib.absolute(&clip)).expect("stat").len();
    assert_eq!(
        (preview.clips, preview.bytes, preview.other_events),
        (1, bytes, 1)
    );

    // A protected event inside the clip keeps it; so does the event's own protection.
    lib.set_event_protected(inside, true).expect("protect");
    let refused = lib.delete_event(first, "tester").expect_err("refused");
    assert!(
        refused.to_string().contains("unprotect it first"),
        "{refused}"
    );
    assert!(lib.absolute(&clip).exists());
    lib.set_event_protected(inside, false).expect("unprotect");

    let gone = lib.delete_event(first, "tester").expect("deleted");
    assert_eq!(gone, preview);
    assert!(!lib.absolute(&clip).exists(), "the clip file is gone");
    // The deletion log names the clip, the reason and the person.
    let log = lib
        .deletions(None, i64::MIN, i64::MAX)
        .expect("deletion log");
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(log[0].path, clip);
    assert_eq!(log[0].reason, vigil_core::library::DeletionReason::Person);
    assert_eq!(log[0].by_user.as_deref(), Some("tester"));
    assert!(lib.event(first).expect("query").is_none());
    // Continuous footage and the other event's clip are untouched.
    assert!(lib.absolute(&continuous).exists() && lib.absolute(&other_clip).exists());
    let left: Vec<i64> = lib
        .events(&Default::default())
        .expect("events")
        .iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(left, vec![inside, other]);
    assert!(
        lib.delete_event(first, "tester").is_err(),
        "an unknown event is an error"
    );
}

#[test]
fn a_missing_recordings_folder_does_not_empty_the_library() {
    let dir = tempfile::tempdir().expect("dir");
    let mut lib = Library::open(dir.path()).expect("open");
    let id = add_camera(&mut lib, "yard", Policy::default());
    let t = NOW_US - DAY_US;
    let rels: Vec<String> = (0..24)
        .map(|i| add_segment(&mut lib, "yard", id, t + i * 1_000_000))
        .collect();
    // One file deleted by hand: its row goes.
    std::fs::remove_file(lib.absolute(&rels[0])).expect("remove one");
    let report = lib.reconcile().expect("reconcile");
    assert_eq!((report.dropped_rows, report.kept_missing), (1, 0));
    // The whole folder gone (an unmounted disk): every row stays, and the report says so.
    let folder = lib.root().join(vigil_core::library::layout::RECORDINGS);
    std::fs::rename(&folder, dir.path().join("elsewhere")).expect("move folder");
    let report = lib.reconcile().expect("reconcile");
    assert_eq!((report.dropped_rows, report.kept_missing), (0, 23));
    assert_eq!(starts(&lib, Some(id)).len(), 23);
    // Asked explicitly, they go.
    let report = lib.reconcile_with(true).expect("reconcile");
    assert_eq!(report.dropped_rows, 23);
    assert!(starts(&lib, Some(id)).is_empty());
}
