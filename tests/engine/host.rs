//! The host (`vigil_core::host::EngineHost`) that both `vigil run` and `vigil gui` run: the
//! real engine on a temp data directory with the demo camera, its trigger API on a real
//! socket, its change notices, its configuration reload, and its shutdown order.

use crate::common;

use std::time::{Duration, Instant};

use common::{assert_files_match_rows, wait_until, Vigil};
use vigil_core::engine::status::ConnState;
use vigil_core::engine::{ConfigChanges, EngineOptions};
use vigil_core::events::client::{load_or_create_token, post_trigger, read_addr};
use vigil_core::host::{Changes, EngineHost, HostError, HostNotice, HostOptions};
use vigil_core::library::{EventQuery, Library, SegmentQuery};
use vigil_core::model::{EventSource, Policy, RecordMode};
use vigil_core::service::EventListRequest;

/// Continuous 2-s segments plus event clips: a trigger makes an event row at once.
fn policy() -> Policy {
    Policy {
        mode: RecordMode::Both,
        segment_s: 2,
        pre_event_s: 2,
        post_event_s: 1,
        ..Policy::default()
    }
}

/// Waits for notices until `found` accepts one, or `timeout` passes; returns all seen.
fn wait_for_notice(
    changes: &Changes,
    timeout: Duration,
    mut found: impl FnMut(&HostNotice) -> bool,
) -> (bool, Vec<HostNotice>) {
    let end = Instant::now() + timeout;
    let mut seen = Vec::new();
    while Instant::now() < end {
        let batch = changes.wait(end.saturating_duration_since(Instant::now()));
        let hit = batch.iter().any(&mut found);
        seen.extend(batch);
        if hit {
            return (true, seen);
        }
    }
    (false, seen)
}

#[test]
fn the_host_serves_triggers_reloads_cameras_and_says_so() {
    let dir = tempfile::tempdir().expect("dir");
    let mut lib = Library::open(dir.path()).expect("library");
    lib.add_camera(&common::demo_camera("yard"), &policy())
        .expect("camera");
    let host = EngineHost::start_with(HostOptions {
        engine: EngineOptions::new(dir.path().to_path_buf()),
        api: Some("127.0.0.1:0".into()),
        web: None,
    })
    .expect("host");
    let changes = host.changes();
    let addr = host.api_addr().expect("the trigger API runs").to_string();
    assert_eq!(read_addr(dir.path()).expect("api.addr"), addr);

    // The status notices tell when the camera connects; no polling of the snapshot.
    let connected = |h: &EngineHost| {
        h.status()
            .cameras
            .iter()
            .any(|c| c.name == "yard" && c.conn == ConnState::Connected)
    };
    let (ok, _) = wait_for_notice(&changes, Duration::from_secs(30), |n| {
        *n == HostNotice::StatusChanged && connected(&host)
    });
    assert!(ok, "a status notice said the camera connected");

    let token = load_or_create_token(dir.path()).expect("token");
    let answer = post_trigger(&addr, &token, "yard", "door", 1.0).expect("trigger");
    assert_eq!(answer["camera"], "yard");
    let door_events = || {
        let query = EventQuery {
            source: Some(EventSource::External),
            ..EventQuery::default()
        };
        let request = EventListRequest {
            camera: None,
            query,
        };
        let list = host
            .archive()
            .events(request, None)
            .wait()
            .expect("an answer");
        list.expect("events").events.unwrap_or_default()
    };
    assert!(
        wait_until(Duration::from_secs(10), || door_events().len() == 1),
        "the trigger made one event row"
    );
    let event = &door_events()[0];
    assert_eq!(
        (event.camera.as_str(), event.label.as_str()),
        ("yard", "door")
    );
    assert!(
        post_trigger(&addr, &token, "nope", "door", 1.0).is_err(),
        "an unknown camera is refused"
    );

    // Another process adds a camera: the reload picks it up and says what it started.
    lib.add_camera(&common::demo_camera("gate"), &policy())
        .expect("camera");
    let started = HostNotice::ConfigApplied(ConfigChanges {
        started: vec!["gate".into()],
        ..ConfigChanges::default()
    });
    let (ok, seen) = wait_for_notice(&changes, Duration::from_secs(10), |n| *n == started);
    assert!(ok, "the reload said 'gate: started': {seen:?}");

    // One segment finished while running, so the shutdown's own can be told apart.
    let (ok, _) = wait_for_notice(&changes, Duration::from_secs(20), |_| {
        host.status()
            .cameras
            .iter()
            .any(|c| c.name == "yard" && c.segments_written > 0)
    });
    assert!(ok, "yard finished a segment");
    let before = lib
        .segments(&SegmentQuery::default())
        .expect("segments")
        .len();
    let last = host.shutdown();
    assert!(
        last.cameras
            .iter()
            .any(|c| c.name == "yard" && c.segments_written > 0),
        "the last status is from before the cameras stopped: {last:?}"
    );
    assert!(read_addr(dir.path()).is_err(), "the address file is gone");
    assert!(
        std::net::TcpStream::connect(&addr).is_err(),
        "the trigger API stopped"
    );
    let after = lib
        .segments(&SegmentQuery::default())
        .expect("segments")
        .len();
    assert!(
        after > before,
        "the open segments were finished and indexed"
    );
    assert_files_match_rows(&Vigil::new(dir.path()));
}

#[test]
fn a_server_that_cannot_start_stops_the_engine_and_frees_the_data_directory() {
    let dir = tempfile::tempdir().expect("dir");
    let mut lib = Library::open(dir.path()).expect("library");
    lib.add_camera(&common::demo_camera("yard"), &policy())
        .expect("camera");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port();
    let opts = HostOptions {
        engine: EngineOptions::new(dir.path().to_path_buf()),
        api: Some(format!("127.0.0.1:{port}")),
        web: None,
    };
    let err = match EngineHost::start_with(opts) {
        Err(e) => e,
        Ok(_) => panic!("the API's port is taken: the host must not start"),
    };
    assert!(matches!(err, HostError::Server(_)), "{err}");
    assert!(err.to_string().contains("cannot listen on"), "{err}");
    assert!(read_addr(dir.path()).is_err(), "no address file was left");
    // The engine let go of the recorder lock: another host starts on the same directory.
    let host = EngineHost::start(EngineOptions::new(dir.path().to_path_buf())).expect("host");
    assert!(host.api_addr().is_none());
    host.shutdown();
}

#[test]
fn both_front_ends_offer_the_trigger_api() {
    let dir = tempfile::tempdir().expect("dir");
    let vigil = Vigil::new(dir.path());
    for command in ["run", "gui"] {
        let help = vigil.ok(&[command, "--help"]);
        assert!(
            help.contains("--api [<API>]") && help.contains("trigger API"),
            "vigil {command} --help lists --api: {help}"
        );
    }
}
