//! A camera's live sub-stream URL (apart from its detect sub-stream) through the CLI and the
//! engine, against the real RTSP simulator with a password: the sub-stream tap is fed by
//! its own ingest of that URL (320-wide pictures), the recording is the main stream only,
//! no motion analysis runs, the password shows nowhere, and removing the URL ends the tap.

use crate::common;

use std::time::Duration;

use common::{wait_until, RtspServer, Vigil};
use vigil_core::engine::{Engine, EngineOptions};
use vigil_core::service::{ConnState, LiveError, LiveStream};

use crate::web_live::threads_named;

const WAIT: Duration = Duration::from_secs(30);
const PASSWORD: &str = "hunter22";

/// What a command printed, both streams, which must not hold the password.
fn run_clean(vigil: &Vigil, args: &[&str]) -> String {
    let out = vigil
        .cmd()
        .args(args)
        .env("CAM_PW", PASSWORD)
        .output()
        .expect("run vigil");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "vigil {args:?} failed: {text}");
    assert!(
        !text.contains(PASSWORD),
        "vigil {args:?} showed the password: {text}"
    );
    text
}

#[test]
fn a_live_url_feeds_the_sub_tap_apart_from_recording_and_analysis() {
    let rtsp = RtspServer::start(&["--user", "admin", "--password", PASSWORD]);
    let dir = tempfile::tempdir().expect("dir");
    let vigil = Vigil::new(dir.path());
    let added = run_clean(
        &vigil,
        &[
            "camera",
            "add",
            "--name",
            "lux",
            "--url",
            &rtsp.url("h264"),
            "--live-url",
            &rtsp.url("sub"),
            "--user",
            "admin",
            "--password-env",
            "CAM_PW",
        ],
    );
    assert!(
        added.contains("live sub-stream rtsp://admin:***@"),
        "{added}"
    );
    let listed = run_clean(&vigil, &["camera", "list"]);
    assert!(
        listed.contains("(live: rtsp://admin:***@127.0.0.1:"),
        "{listed}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&run_clean(&vigil, &["camera", "list", "--json"])).expect("json");
    assert_eq!(json.as_array().map(Vec::len), Some(1));
    let live = json[0]["live_url"].as_str().expect("a live_url");
    assert!(
        live.starts_with("rtsp://admin:***@") && live.ends_with("/sub"),
        "{live}"
    );
    assert!(json[0]["detect_url"].is_null());

    // A camera with both: its detect sub-stream (which cannot connect) feeds the analyzer
    // alone, its live URL the sub-stream tap.
    let dead = format!("rtsp://127.0.0.1:{}/sub", common::free_port());
    run_clean(
        &vigil,
        &[
            "camera",
            "add",
            "--name",
            "lbo",
            "--url",
            &rtsp.url("h264"),
            "--detect-url",
            &dead,
            "--live-url",
            &rtsp.url("sub"),
            "--record",
            "events",
            "--user",
            "admin",
            "--password-env",
            "CAM_PW",
        ],
    );
    let mut engine = Engine::start(EngineOptions::new(dir.path().to_path_buf())).expect("engine");
    let pid = std::process::id();
    let hub = engine.live();
    let sub = hub
        .watch_decoded("lux", LiveStream::Sub, 1920, 1080, None)
        .expect("a sub tap");
    let main = hub
        .watch_decoded("lux", LiveStream::Main, 1920, 1080, None)
        .expect("the main tap");
    assert!(
        wait_until(WAIT, || sub.latest().is_some() && main.latest().is_some()),
        "pictures from both streams: sub {:?}, main {:?}",
        sub.error(),
        main.error()
    );
    let picture = sub.latest().expect("a sub picture");
    assert_eq!(
        (picture.image.width, picture.image.height),
        (320, 180),
        "the live URL's pictures"
    );
    let picture = main.latest().expect("a main picture");
    assert_eq!((picture.image.width, picture.image.height), (640, 360));
    assert_eq!(threads_named(pid, "ingest-lux-live"), 1, "its own ingest");
    assert_eq!(
        threads_named(pid, "ingest-lux-sub"),
        0,
        "no detect sub-stream"
    );
    assert_eq!(
        threads_named(pid, "analyze-lux"),
        1,
        "motion analysis for the motion index"
    );

    // Its own status line, beside the camera's; the password nowhere.
    let mut status = None;
    assert!(
        wait_until(WAIT, || {
            let s = engine.status();
            let (b, c) = (&s.cameras[0], &s.cameras[1]);
            let ok = c.conn == ConnState::Connected
                && c.recording
                && c.sub.as_ref().is_some_and(|l| l.connected())
                && b.sub.as_ref().is_some_and(|l| l.connected())
                && b.detect.as_ref().is_some_and(|d| d.problem().is_some());
            status = Some(s);
            ok
        }),
        "the camera and its live sub-stream connected: {status:#?}"
    );
    let status = status.expect("status");
    let (bo, cam) = (&status.cameras[0], &status.cameras[1]);
    assert!(bo.analyzing, "{bo:?}");
    assert!(
        bo.summary().contains("(detect sub-stream: "),
        "{}",
        bo.summary()
    );
    assert_eq!(
        threads_named(pid, "ingest-lbo-live"),
        1,
        "bo's live sub-stream"
    );
    assert_eq!(
        threads_named(pid, "ingest-lbo-sub"),
        1,
        "bo's detect sub-stream"
    );
    assert_eq!(threads_named(pid, "analyze-lbo"), 1, "bo's motion analysis");
    let live = cam.sub.as_ref().expect("the live sub-stream's status");
    assert_eq!((live.width, live.height), (320, 180));
    assert!(cam.detect.is_none() && !cam.analyzing, "{cam:?}");
    let text = serde_json::to_string(&status).expect("status json");
    assert!(!text.contains(PASSWORD), "{text}");
    for c in &status.cameras {
        assert!(!c.summary().contains(PASSWORD), "{}", c.summary());
    }

    // Without the live URL (and without a detect URL) there is no sub-stream at all.
    run_clean(
        &vigil,
        &["camera", "edit", "--name", "lux", "--no-live-url"],
    );
    let changes = engine.apply_config().expect("apply");
    assert_eq!(changes.restarted, vec!["lux".to_string()], "bo runs on");
    assert!(!hub.has("lux", LiveStream::Sub), "the sub tap is gone");
    assert!(matches!(
        hub.watch_decoded("lux", LiveStream::Sub, 320, 180, None),
        Err(LiveError::NoSubStream(_))
    ));
    assert!(
        wait_until(WAIT, || threads_named(pid, "ingest-lux-live") == 0),
        "its ingest stopped"
    );
    assert!(engine.status().cameras[1].sub.is_none());
    sub.stop();
    main.stop();
    engine.shutdown();

    // Only the main stream was recorded (bo records only events, and saw none).
    let files = common::mp4_files(dir.path());
    assert!(!files.is_empty(), "something recorded");
    for f in files {
        let probe = common::ffprobe(&f.to_string_lossy());
        assert_eq!((probe.width, probe.height), (640, 360), "{}", f.display());
    }

    // Set again with `camera edit` (the camera's login goes in): `vigil run`'s debug log
    // and status lines never show the password, and the live sub-stream logs in.
    let edited = run_clean(
        &vigil,
        &[
            "camera",
            "edit",
            "--name",
            "lux",
            "--live-url",
            &rtsp.url("sub"),
        ],
    );
    assert!(
        edited.contains("live sub-stream rtsp://admin:***@"),
        "{edited}"
    );
    let log = run_clean(
        &vigil,
        &["-v", "run", "--for", "5s", "--status-every", "1s"],
    );
    assert!(
        log.contains("(detect sub-stream: "),
        "bo's detect sub-stream: {log}"
    );
    assert!(
        !log.lines()
            .any(|l| l.starts_with("lux:") && l.contains("(sub-stream: ")),
        "cam's live sub-stream connects: {log}"
    );
    assert!(
        log.contains("first keyframe camera=\"lux-live\""),
        "cam's live sub-stream delivers: {log}"
    );
}
