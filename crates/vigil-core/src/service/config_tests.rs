//! The configuration handle against a real library in a temporary folder: each edit answers
//! on its job (polled as a UI frame would), the change is in the library (read back through
//! a connection of its own), the on-change callback fired before the answer came, and a
//! refused edit answers why in words and changes nothing.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::*;
use crate::detect::{Polygon, ZoneKind};
use crate::jobs::JobState;
use crate::model::{CameraName, Transport};

fn new_camera(name: &str, url: &str) -> NewCamera {
    NewCamera {
        name: CameraName::parse(name).unwrap(),
        url: url.into(),
        detect_url: None,
        transport: Transport::Tcp,
        enabled: true,
        audio: false,
    }
}

/// Polls `job` as a UI frame would, until it answers (20 s at most).
fn answer<T: Send + 'static>(mut job: Job<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        match job.poll() {
            JobState::Done(v) => return v,
            JobState::Lost => panic!("the job ended without an answer"),
            JobState::Running => {
                assert!(Instant::now() < deadline, "no answer within 20 s");
                std::thread::sleep(Duration::from_millis(2));
            }
        }
    }
}

/// A store over a temporary library, and how many changes it announced.
fn store() -> (tempfile::TempDir, ConfigStore, Arc<AtomicUsize>) {
    let dir = tempfile::tempdir().unwrap();
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&calls);
    let on_change: OnChange = Arc::new(move || {
        counter.fetch_add(1, Ordering::SeqCst);
    });
    let store = ConfigStore::open(dir.path(), on_change).unwrap();
    (dir, store, calls)
}

/// What the library holds, read through a connection of its own.
fn stored(dir: &tempfile::TempDir, name: &str) -> CameraConfig {
    let lib = Library::open(dir.path()).unwrap();
    config_of(&lib, lib.camera_by_name(name).unwrap()).unwrap()
}

#[test]
fn edits_answer_on_their_job_are_stored_and_announced() {
    let (dir, store, calls) = store();
    let woken = Arc::new(AtomicUsize::new(0));
    let w = Arc::clone(&woken);
    let wake: Wake = Arc::new(move || {
        w.fetch_add(1, Ordering::SeqCst);
    });
    let yard = answer(store.add_camera(
        new_camera("yard", "demo://"),
        Policy::default(),
        Some(Arc::clone(&wake)),
    ))
    .unwrap();
    assert_eq!(
        calls.load(Ordering::SeqCst),
        1,
        "announced before the answer"
    );
    assert_eq!(woken.load(Ordering::SeqCst), 1, "the caller was woken");
    assert_eq!(stored(&dir, "yard").camera.id, yard.id);

    let mut edit = new_camera("gate", "rtsp://u:p@10.0.0.2/main");
    edit.detect_url = Some("rtsp://u:p@10.0.0.2/sub".into());
    let renamed = answer(store.update_camera(yard.id, edit.clone(), None)).unwrap();
    assert_eq!((renamed.id, renamed.name.as_str()), (yard.id, "gate"));
    assert_eq!(stored(&dir, "gate").camera.detect_url, edit.detect_url);

    let policy = Policy {
        segment_s: 120,
        ..Policy::default()
    };
    answer(store.set_policy(yard.id, policy.clone(), None)).unwrap();
    assert_eq!(stored(&dir, "gate").policy, policy);
    answer(store.set_enabled("gate", false, None)).unwrap();
    assert!(!stored(&dir, "gate").camera.enabled);
    assert_eq!(calls.load(Ordering::SeqCst), 4);

    // Reads announce nothing.
    let read = answer(store.camera("gate", None)).unwrap();
    assert_eq!((read.policy, read.usage), (policy, (0, 0)));
    let all = answer(store.cameras(None)).unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(calls.load(Ordering::SeqCst), 4);

    answer(store.remove_camera("gate", false, None)).unwrap();
    assert!(Library::open(dir.path())
        .unwrap()
        .cameras()
        .unwrap()
        .is_empty());
    assert_eq!(calls.load(Ordering::SeqCst), 5);
}

#[test]
fn zones_are_saved_edited_and_removed_with_the_list_after_each_change() {
    let (dir, store, calls) = store();
    let cam =
        answer(store.add_camera(new_camera("yard", "demo://"), Policy::default(), None)).unwrap();
    let polygon = Polygon::parse("0.1,0.1 0.5,0.1 0.5,0.5").unwrap();
    let zone = ZoneSpec::new(0, "path", ZoneKind::Detect, polygon);
    let saved = answer(store.save_zone(cam.id, zone, None)).unwrap();
    assert!(saved.zone.id > 0);
    let ids: Vec<i64> = saved.zones.iter().map(|z| z.id).collect();
    assert_eq!(ids, [saved.zone.id]);

    let mut moved = saved.zone.clone();
    moved.polygon = Polygon::parse("0.2,0.2 0.6,0.2 0.6,0.6").unwrap();
    moved.kind = ZoneKind::Mask;
    let again = answer(store.save_zone(cam.id, moved.clone(), None)).unwrap();
    assert_eq!(again.zone.id, saved.zone.id, "replaced, not added");
    let in_library = stored(&dir, "yard").zones;
    assert_eq!(in_library.len(), 1);
    assert_eq!(
        (in_library[0].kind, &in_library[0].polygon),
        (ZoneKind::Mask, &moved.polygon)
    );
    let read = answer(store.zones("yard", None)).unwrap();
    assert_eq!(read.camera_id, cam.id);
    assert_eq!(read.zones.len(), 1);
    assert_eq!(read.zones[0].polygon, in_library[0].polygon);

    let left = answer(store.remove_zone(cam.id, "path", None)).unwrap();
    assert!(left.is_empty() && stored(&dir, "yard").zones.is_empty());
    assert_eq!(calls.load(Ordering::SeqCst), 4, "add, two saves, remove");
}

#[test]
fn refused_edits_answer_in_words_and_change_nothing() {
    let (dir, store, calls) = store();
    let yard =
        answer(store.add_camera(new_camera("yard", "demo://"), Policy::default(), None)).unwrap();
    answer(store.add_camera(new_camera("door", "demo://"), Policy::default(), None)).unwrap();
    let before = calls.load(Ordering::SeqCst);

    let clash = answer(store.update_camera(yard.id, new_camera("door", "demo://"), None));
    let e = clash.unwrap_err();
    assert!(matches!(
        e,
        ServiceError::Config(LibraryError::DuplicateCamera(_))
    ));
    assert_eq!(e.to_string(), "a camera named 'door' already exists");
    assert_eq!(stored(&dir, "yard").camera.id, yard.id, "not renamed");

    let tri = Polygon::parse("0.7,0.7 0.9,0.7 0.9,0.9").unwrap();
    let gate = ZoneSpec::new(0, "gate", ZoneKind::Detect, tri.clone());
    answer(store.save_zone(yard.id, gate.clone(), None)).unwrap();
    let before_zone = calls.load(Ordering::SeqCst);
    let twice = answer(store.save_zone(yard.id, gate, None)).unwrap_err();
    assert_eq!(
        twice.to_string(),
        "this camera already has a zone named 'gate'"
    );
    let mut loud = ZoneSpec::new(0, "loud", ZoneKind::Detect, tri);
    loud.sensitivity = 101;
    let bad = answer(store.save_zone(yard.id, loud, None)).unwrap_err();
    assert_eq!(
        bad.to_string(),
        "sensitivity 101 is out of range; use 0 to 100"
    );
    assert_eq!(stored(&dir, "yard").zones.len(), 1, "nothing more stored");

    let policy = Policy {
        segment_s: 0,
        ..Policy::default()
    };
    let refused = answer(store.set_policy(yard.id, policy, None)).unwrap_err();
    assert!(!refused.to_string().is_empty());
    assert_eq!(stored(&dir, "yard").policy, Policy::default());
    let missing = answer(store.camera("gone", None)).unwrap_err();
    assert_eq!(missing.to_string(), "no camera named 'gone'");
    assert_eq!(
        calls.load(Ordering::SeqCst),
        before_zone,
        "no refused change announced"
    );
    assert_eq!(before + 1, before_zone);
}

#[test]
fn a_camera_with_recordings_goes_only_with_them_on_its_own_connection() {
    let (dir, store, calls) = store();
    let cam =
        answer(store.add_camera(new_camera("yard", "demo://"), Policy::default(), None)).unwrap();
    let rel = "yard/clip.mp4";
    let path = dir.path().join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, vec![0u8; 1000]).unwrap();
    {
        let mut lib = Library::open(dir.path()).unwrap();
        let kind = crate::model::SegmentKind::Continuous;
        lib.begin_segment(cam.id, kind, 1_000_000, rel).unwrap();
        lib.finish_segment(&crate::library::FinishedSegment {
            camera_id: cam.id,
            kind,
            start_us: 1_000_000,
            end_us: 61_000_000,
            rel_path: rel.into(),
            bytes: 1000,
            codec: "h264".into(),
            width: 64,
            height: 36,
            frames: 10,
            event_id: None,
            audio_codec: None,
        })
        .unwrap();
    }
    let before = calls.load(Ordering::SeqCst);
    let kept = answer(store.remove_camera("yard", false, None)).unwrap_err();
    assert!(kept.to_string().contains("1 recordings"), "{kept}");
    assert!(path.exists());
    answer(store.remove_camera("yard", true, None)).unwrap();
    assert!(!path.exists(), "its recordings went with it");
    assert!(Library::open(dir.path())
        .unwrap()
        .cameras()
        .unwrap()
        .is_empty());
    assert_eq!(calls.load(Ordering::SeqCst), before + 1);
}
