//! The camera setup dialogs driven headless with egui_kittest like an operator would: adding
//! and editing a camera (credentials kept out of sight), refused input, the recording-policy
//! editor from a tile's context menu, "Test connection", the ONVIF section and "Find
//! cameras…", and removing cameras with and without recordings. Every test asserts on what the real configuration store holds; the
//! store answers on jobs, so each click runs frames until the app's jobs have answered.

use crate::frames::{settle, steady};

use std::sync::Arc;
use std::time::{Duration, Instant};

use egui::{Key, Modifiers};
use egui_kittest::kittest::{NodeT, Queryable};
use egui_kittest::Harness;
use tempfile::TempDir;

use vigil_app::backend::{Backend, FixedBackend};
use vigil_app::VigilApp;
use vigil_core::library::layout::segment_rel_path;
use vigil_core::library::{FinishedSegment, Library};
use vigil_core::model::onvif::{MotionFrom, OnvifSettings};
use vigil_core::model::{CameraName, NewCamera, Policy, RecordMode, SegmentKind, Transport};
use vigil_core::service::{
    CameraConfig, CameraStatus, ConfigStore, ConnState, EngineStatus, ServiceError,
};

fn connected(name: &str, bitrate_bps: f64) -> CameraStatus {
    CameraStatus {
        conn: ConnState::Connected,
        codec: Some("h264".into()),
        width: 1920,
        height: 1080,
        fps: 25.0,
        bitrate_bps,
        ..CameraStatus::new(name, "demo://")
    }
}

fn status(cameras: Vec<CameraStatus>) -> EngineStatus {
    EngineStatus {
        cameras,
        disk_total: 500_000_000_000,
        disk_available: 120_000_000_000,
        mqtt: None,
    }
}

fn harness<'a>(app: VigilApp) -> Harness<'a, VigilApp> {
    Harness::builder()
        .with_size([1100.0, 900.0])
        .with_step_dt(1.0 / 60.0)
        .with_max_steps(20)
        .build_ui_state(|ui, app: &mut VigilApp| app.show(ui), app)
}

/// A library in a temporary directory holding `cameras` (name, URL), a status listing them
/// as connected at 4 Mbit/s, and the app on top.
pub(crate) fn setup(
    cameras: &[(&str, &str)],
) -> (TempDir, FixedBackend, Harness<'static, VigilApp>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = ConfigStore::open(dir.path(), Arc::new(|| {})).expect("config store");
    for (name, url) in cameras {
        let cam = NewCamera {
            name: CameraName::parse(name).expect("name"),
            url: (*url).into(),
            detect_url: None,
            transport: Transport::Tcp,
            enabled: true,
            audio: false,
        };
        let added = store.add_camera(cam, Policy::default(), None).wait();
        added.expect("an answer").expect("add");
    }
    let statuses = cameras
        .iter()
        .map(|(name, _)| connected(name, 4_000_000.0))
        .collect();
    let backend = FixedBackend::new(status(statuses)).with_config(store);
    let mut h = harness(VigilApp::new(Box::new(backend.clone())));
    h.run_steps(2);
    (dir, backend, h)
}

pub(crate) fn store(b: &FixedBackend) -> &ConfigStore {
    b.config().expect("a configuration store")
}

/// What the store holds for `name` (the test's thread waits for the answer).
pub(crate) fn stored(b: &FixedBackend, name: &str) -> Result<CameraConfig, ServiceError> {
    store(b).camera(name, None).wait().expect("an answer")
}

/// Every camera's name in the store.
fn stored_names(b: &FixedBackend) -> Vec<String> {
    let all = store(b).cameras(None).wait().expect("an answer");
    all.expect("cameras")
        .into_iter()
        .map(|c| c.camera.name.to_string())
        .collect()
}

/// Clicks a field, selects what it holds and types `text` over it.
pub(crate) fn type_into(h: &mut Harness<'_, VigilApp>, label: &str, text: &str) {
    steady(h, label);
    h.get_by_label(label).click();
    h.run_steps(1);
    assert!(
        h.get_by_label(label).is_focused(),
        "clicking '{label}' gave it the keyboard focus"
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run_steps(1);
    h.get_by_label(label).type_text(text);
    h.run_steps(4);
}

pub(crate) fn click(h: &mut Harness<'_, VigilApp>, label: &str) {
    steady(h, label);
    h.get_by_label(label).click();
    h.run_steps(4);
    settle(h, 1);
}

/// Right-clicks a camera's tile and picks `entry` from its context menu.
pub(crate) fn tile_menu(h: &mut Harness<'_, VigilApp>, camera: &str, entry: &str) {
    h.get_by_label(&format!("tile {camera}")).click_secondary();
    h.run_steps(3);
    click(h, entry);
}

/// Every node whose label or value contains `text`.
pub(crate) fn nodes_showing(h: &Harness<'_, VigilApp>, text: &str) -> usize {
    h.query_all_by(|n| {
        n.label().is_some_and(|l| l.contains(text)) || n.value().is_some_and(|v| v.contains(text))
    })
    .count()
}

pub(crate) fn value_of(h: &Harness<'_, VigilApp>, label: &str) -> String {
    h.get_by_label(label).value().unwrap_or_default()
}

pub(crate) fn is_disabled(h: &Harness<'_, VigilApp>, label: &str) -> bool {
    h.get_by_label(label).accesskit_node().is_disabled()
}

/// Steps the app until a node whose label contains `text` shows, for at most `secs`.
fn wait_for(h: &mut Harness<'_, VigilApp>, text: &str, secs: u64) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while h.query_by_label_contains(text).is_none() {
        assert!(
            Instant::now() < deadline,
            "'{text}' did not show within {secs} s"
        );
        h.run_steps(1);
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_camera_is_added_and_edited_with_its_password_never_shown() {
    const PASSWORD: &str = "hunter2-secret";
    let (_dir, backend, mut h) = setup(&[]);
    click(&mut h, "+ Add camera");
    h.get_by_label("Add camera");
    type_into(&mut h, "Name", "front");
    type_into(&mut h, "URL", "rtsp://10.0.0.5/stream1");
    type_into(&mut h, "User", "admin");
    type_into(&mut h, "Password", PASSWORD);
    assert_eq!(nodes_showing(&h, PASSWORD), 0, "the password is masked");
    assert!(value_of(&h, "Password").chars().all(|c| c != 'h'));
    click(&mut h, "Save");

    let added = stored(&backend, "front").expect("stored");
    assert_eq!(
        added.camera.url,
        format!("rtsp://admin:{PASSWORD}@10.0.0.5/stream1")
    );
    assert_eq!(added.policy, Policy::default());
    assert!(
        h.query_by_label("Add camera").is_none(),
        "the dialog closed"
    );
    h.get_by_label_contains("added camera 'front'");

    // Edit it from its tile: the URL shows without credentials, which fill their fields.
    backend.set_status(status(vec![connected("front", 4_000_000.0)]));
    h.run_steps(2);
    tile_menu(&mut h, "front", "Edit camera…");
    assert_eq!(value_of(&h, "URL"), "rtsp://10.0.0.5/stream1");
    assert_eq!(value_of(&h, "User"), "admin");
    assert_eq!(value_of(&h, "Password").chars().count(), PASSWORD.len());
    assert_eq!(nodes_showing(&h, PASSWORD), 0);
    type_into(&mut h, "URL", "rtsp://10.0.0.5/stream2");
    click(&mut h, "UDP");
    click(&mut h, "Save");
    let edited = stored(&backend, "front").expect("still there").camera;
    assert_eq!(
        edited.url,
        format!("rtsp://admin:{PASSWORD}@10.0.0.5/stream2")
    );
    assert_eq!(edited.transport, Transport::Udp);
    assert_eq!(nodes_showing(&h, PASSWORD), 0);
}

#[test]
fn invalid_input_is_refused_with_the_reason_and_nothing_is_stored() {
    let (_dir, backend, mut h) = setup(&[("yard", "demo://")]);
    click(&mut h, "+ Add camera");
    // Any text a person types is a name (정문, "bad name!"), but not 65 characters of it.
    type_into(&mut h, "Name", &"x".repeat(65));
    type_into(&mut h, "URL", "demo://");
    h.get_by_label_contains("Cannot save yet: name: name 'xxxx");
    assert!(is_disabled(&h, "Save"));
    click(&mut h, "Save");

    type_into(&mut h, "Name", "gate");
    type_into(&mut h, "URL", "ftp://10.0.0.5/x");
    h.get_by_label_contains("Cannot save yet: URL: camera URL scheme 'ftp' is not supported");
    click(&mut h, "Save");

    type_into(&mut h, "URL", "demo://");
    click(&mut h, "events");
    type_into(&mut h, "Pre-event", "10m");
    h.get_by_label("10m is out of range; use 0s to 2m");
    assert!(is_disabled(&h, "Save"));
    click(&mut h, "Save");
    assert_eq!(stored_names(&backend), ["yard"], "nothing was added");

    // A name the store refuses (taken) is said in the dialog, which stays open.
    type_into(&mut h, "Pre-event", "10s");
    type_into(&mut h, "Name", "yard");
    click(&mut h, "Save");
    h.get_by_label("a camera named 'yard' already exists");
    h.get_by_label("Add camera");
    assert_eq!(stored_names(&backend).len(), 1);
}

#[test]
fn the_policy_is_edited_from_the_tile_menu_with_an_estimate() {
    let (_dir, backend, mut h) = setup(&[("yard", "demo://")]);
    tile_menu(&mut h, "yard", "Recording policy…");
    h.get_by_label("Recording policy of yard");
    h.get_by_label("continuous: ≈ 43.2 GB/day at 4.0 Mbit/s");
    assert!(
        is_disabled(&h, "Pre-event"),
        "event fields wait for an event mode"
    );
    click(&mut h, "both");
    assert!(!is_disabled(&h, "Pre-event"));
    type_into(&mut h, "Keep (days)", "14");
    type_into(&mut h, "Max disk (GB)", "200");
    type_into(&mut h, "Pre-event", "20s");
    type_into(&mut h, "Post-event", "1m");
    type_into(&mut h, "Max clip", "10m");
    type_into(&mut h, "Keep events (days)", "60");
    h.get_by_label("keeps ≈ 4.6 days in the 200 GB cap (fewer than the 14 days asked)");
    h.get_by_label_contains("per hour of events ≈ 1.80 GB");
    click(&mut h, "Save");
    let policy = stored(&backend, "yard").expect("yard").policy;
    assert_eq!(
        policy,
        Policy {
            mode: RecordMode::Both,
            segment_s: 60,
            retain_days: 14.0,
            max_bytes: Some(200_000_000_000),
            pre_event_s: 20,
            post_event_s: 60,
            max_clip_s: 600,
            event_retain_days: 60.0,
        }
    );
    h.get_by_label_contains("saved the recording policy of 'yard'");

    // At 16 Mbit/s a 100 s pre-event buffer would not fit the memory bound.
    backend.set_status(status(vec![connected("yard", 16_000_000.0)]));
    h.run_steps(2);
    tile_menu(&mut h, "yard", "Recording policy…");
    type_into(&mut h, "Pre-event", "100s");
    h.get_by_label(
        "1m40s would hold ≈ 206 MB in memory at 16.0 Mbit/s; the limit is 200 MB \
         (at most 1m37s at this bitrate)",
    );
    assert!(is_disabled(&h, "Save"));
    click(&mut h, "Save");
    assert_eq!(stored(&backend, "yard").expect("yard").policy, policy);
    click(&mut h, "Cancel");
    assert!(h.query_by_label("Recording policy of yard").is_none());
}

#[test]
fn test_connection_reports_the_stream_or_the_error_without_the_password() {
    let (_dir, _backend, mut h) = setup(&[]);
    click(&mut h, "+ Add camera");
    type_into(&mut h, "URL", "demo://");
    click(&mut h, "Test connection");
    wait_for(&mut h, "Works: h264 ", 20);

    type_into(&mut h, "URL", "rtsp://u:secret@127.0.0.1:1/x");
    assert!(
        h.query_by_label_contains("Works: h264").is_none(),
        "a new URL clears the old answer"
    );
    click(&mut h, "Test connection");
    // The credentials moved out of the URL into their own fields.
    assert_eq!(value_of(&h, "URL"), "rtsp://127.0.0.1:1/x");
    assert_eq!(value_of(&h, "User"), "u");
    wait_for(&mut h, "Failed: ", 20);
    let answer = h
        .get_by_label_contains("Failed: ")
        .value()
        .unwrap_or_default();
    assert!(answer.to_lowercase().contains("refused"), "{answer}");
    assert_eq!(nodes_showing(&h, "secret"), 0, "no password anywhere");
}

/// Indexes a 1.5 MB recording of `camera` (a file and its row), as the recorder would.
fn add_recording(dir: &TempDir, camera: &str) -> std::path::PathBuf {
    let mut lib = Library::open(dir.path()).expect("library");
    let cam = lib.camera_by_name(camera).expect("camera");
    let start_us = 1_764_072_000_000_000;
    let rel = segment_rel_path(camera, SegmentKind::Continuous, start_us);
    let path = dir.path().join(&rel);
    std::fs::create_dir_all(path.parent().expect("folder")).expect("folder");
    std::fs::write(&path, vec![0u8; 1_500_000]).expect("file");
    lib.begin_segment(cam.id, SegmentKind::Continuous, start_us, &rel)
        .expect("journal");
    lib.finish_segment(&FinishedSegment {
        camera_id: cam.id,
        kind: SegmentKind::Continuous,
        start_us,
        end_us: start_us + 60_000_000,
        rel_path: rel,
        bytes: 1_500_000,
        codec: "h264".into(),
        width: 640,
        height: 360,
        frames: 1500,
        event_id: None,
        audio_codec: None,
    })
    .expect("row");
    path
}

#[test]
fn removing_a_camera_with_recordings_needs_the_box_ticked() {
    let (dir, backend, mut h) = setup(&[("door", "demo://"), ("yard", "demo://")]);
    let file = add_recording(&dir, "yard");

    tile_menu(&mut h, "door", "Remove…");
    h.get_by_label("'door' has no recordings.");
    click(&mut h, "Remove");
    // Running (connected), so it is stopped first even without recordings: its first
    // segment may be open, and removing the row under it would orphan the file.
    h.get_by_label("stopping the camera…");
    assert!(!stored(&backend, "door").expect("door").camera.enabled);
    let mut door = connected("door", 0.0);
    door.conn = ConnState::Disabled;
    backend.set_status(status(vec![door, connected("yard", 4_000_000.0)]));
    let deadline = Instant::now() + Duration::from_secs(20);
    while stored(&backend, "door").is_ok() {
        assert!(Instant::now() < deadline, "door removed within 20 s");
        h.run_steps(1);
        std::thread::sleep(Duration::from_millis(20));
    }
    h.run_steps(3);
    h.get_by_label_contains("removed camera 'door'");

    tile_menu(&mut h, "yard", "Remove…");
    h.get_by_label_contains("'yard' has 1 recording (1.50 MB)");
    assert!(is_disabled(&h, "Remove"));
    click(&mut h, "Remove");
    assert!(stored(&backend, "yard").is_ok(), "not without the box");
    assert!(file.exists());
    click(&mut h, "also delete its 1 recording (1.50 MB)");
    assert!(!is_disabled(&h, "Remove"));
    click(&mut h, "Remove");
    // First the camera is disabled, and nothing is deleted while the engine still runs it.
    h.get_by_label("stopping the camera…");
    assert!(!stored(&backend, "yard").expect("yard").camera.enabled);
    assert!(file.exists());
    // The engine stops it (here: the status says so), then its files go on a thread.
    let mut stopped = connected("yard", 0.0);
    stopped.conn = ConnState::Disabled;
    backend.set_status(status(vec![stopped]));
    let deadline = Instant::now() + Duration::from_secs(20);
    while stored(&backend, "yard").is_ok() || file.exists() {
        assert!(Instant::now() < deadline, "yard removed within 20 s");
        h.run_steps(1);
        std::thread::sleep(Duration::from_millis(20));
    }
    h.run_steps(3);
    h.get_by_label_contains("removed camera 'yard' and its 1 recording");
}

/// The camera's ONVIF settings in the store.
fn stored_onvif(b: &FixedBackend, name: &str) -> Option<OnvifSettings> {
    let id = stored(b, name).expect("camera").camera.id;
    let answer = store(b).onvif(id, None).wait().expect("an answer");
    answer.expect("ONVIF settings")
}

#[test]
fn the_onvif_section_saves_to_the_library_and_edits_back() {
    let (_dir, backend, mut h) = setup(&[]);
    click(&mut h, "+ Add camera");
    type_into(&mut h, "Name", "porch");
    type_into(&mut h, "URL", "demo://");
    assert!(h.query_by_label("ONVIF port").is_none(), "off: no fields");
    click(&mut h, "ONVIF events from the camera");
    type_into(&mut h, "ONVIF port", "0");
    h.get_by_label_contains("Cannot save yet: ONVIF: the ONVIF port must be a number from 1");
    assert!(is_disabled(&h, "Save"));
    type_into(&mut h, "ONVIF port", "8080");
    type_into(&mut h, "ONVIF user", "events");
    type_into(&mut h, "ONVIF password", "onvif-secret");
    click(&mut h, "Motion from the camera");
    click(&mut h, "Save");
    h.get_by_label_contains("added camera 'porch'");
    assert_eq!(
        stored_onvif(&backend, "porch"),
        Some(OnvifSettings {
            port: 8080,
            user: Some("events".into()),
            password: Some("onvif-secret".into()),
            motion_from: MotionFrom::Camera,
        })
    );

    // Editing shows them (the password masked); the stream's login again, then off.
    backend.set_status(status(vec![connected("porch", 4_000_000.0)]));
    h.run_steps(2);
    tile_menu(&mut h, "porch", "Edit camera…");
    assert_eq!(value_of(&h, "ONVIF port"), "8080");
    assert_eq!(value_of(&h, "ONVIF user"), "events");
    assert_eq!(nodes_showing(&h, "onvif-secret"), 0);
    for field in ["ONVIF user", "ONVIF password"] {
        type_into(&mut h, field, "x");
        h.key_press(Key::Backspace);
        h.run_steps(2);
    }
    assert_eq!(value_of(&h, "ONVIF user"), "");
    click(&mut h, "Motion from both");
    click(&mut h, "Save");
    h.get_by_label_contains("saved camera 'porch'");
    assert_eq!(
        stored_onvif(&backend, "porch"),
        Some(OnvifSettings {
            port: 8080,
            user: None,
            password: None,
            motion_from: MotionFrom::Both,
        })
    );
    tile_menu(&mut h, "porch", "Edit camera…");
    click(&mut h, "ONVIF events from the camera");
    click(&mut h, "Save");
    h.get_by_label_contains("saved camera 'porch'");
    assert_eq!(stored_onvif(&backend, "porch"), None, "ONVIF off");
}

#[test]
fn find_cameras_says_why_when_no_camera_answers() {
    let (_dir, _backend, mut h) = setup(&[]);
    click(&mut h, "+ Add camera");
    let started = Instant::now();
    click(&mut h, "Find cameras…");
    h.get_by_label_contains("Looking for ONVIF cameras");
    assert!(is_disabled(&h, "Find cameras…"), "one search at a time");
    // The search waits 3 s for answers on this machine's networks, where no ONVIF camera is.
    wait_for(&mut h, "No ONVIF camera answered within 3 s", 8);
    let sentence = h.get_by_label_contains("No ONVIF camera answered within 3 s");
    let sentence = format!("{sentence:?}");
    assert!(
        sentence.contains("another subnet") && sentence.contains("blocks multicast"),
        "{sentence}"
    );
    assert!(
        started.elapsed() >= Duration::from_secs(3),
        "the answer came after the search's timeout"
    );
    assert!(
        !is_disabled(&h, "Find cameras…"),
        "searching again is possible"
    );
    h.get_by_label("Add camera");
}
