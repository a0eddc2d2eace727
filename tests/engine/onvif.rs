//! ONVIF camera-side events through `vigil run`, against the ONVIF camera simulator
//! (`tests/support/onvif_sim.py`, SOAP over HTTP on loopback, checking the WS-Security
//! digest) and the real RTSP simulator: the camera's motion makes one event (source camera,
//! label "camera motion") and a clip around it, its end ends it; a digital input makes a
//! labelled event; a refused Renew and a dropped subscription are followed by a new
//! subscription and events keep arriving; Unsubscribe on stop; a wrong password is one
//! clear sentence in the status while the video is recorded, as are a camera without an
//! events service and one too slow to answer; and GetProfiles/GetStreamUri fill both stream
//! URLs through a camera clock an hour off, and through HTTP Digest authentication.

use crate::common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::Child;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::onvif::OnvifSim;
use common::{ffprobe, terminate, wait_until, RtspServer, Vigil};
use vigil_core::events::onvif::device::{device_info, stream_uris};
use vigil_core::events::onvif::{Credentials, OnvifError};
use vigil_core::library::Library;
use vigil_core::model::{MotionFrom, OnvifSettings};

use crate::web_live::threads_named;

const WAIT: Duration = Duration::from_secs(30);

fn events(vigil: &Vigil) -> Vec<serde_json::Value> {
    serde_json::from_str(&vigil.ok(&["events", "--json"])).expect("events JSON")
}

fn labelled(vigil: &Vigil, label: &str) -> Vec<serde_json::Value> {
    events(vigil)
        .into_iter()
        .filter(|e| e["label"] == label)
        .collect()
}

/// Turns ONVIF on for camera `name` (the CLI flags are another branch's; the library is
/// the contract).
fn enable_onvif(dir: &Path, name: &str, settings: &OnvifSettings) {
    let mut lib = Library::open(dir).expect("library");
    let cam = lib
        .cameras()
        .expect("cameras")
        .into_iter()
        .find(|c| c.name.as_str() == name)
        .expect("the camera");
    lib.set_onvif(cam.id, Some(settings)).expect("set ONVIF");
}

/// `vigil run` with its stdout lines collected.
struct Run {
    child: Child,
    lines: Arc<Mutex<Vec<String>>>,
}

impl Run {
    fn start(vigil: &Vigil) -> Self {
        let mut child = vigil.spawn(&["run", "--for", "120s", "--status-every", "1s"]);
        let stdout = child.stdout.take().expect("stdout");
        let lines = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&lines);
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                sink.lock().expect("lines").push(line);
            }
        });
        Self { child, lines }
    }

    fn saw(&self, pred: impl Fn(&str) -> bool) -> bool {
        self.lines.lock().expect("lines").iter().any(|l| pred(l))
    }

    /// Stops it; answers its stdout lines and its stderr (the log).
    fn stop(self) -> (Vec<String>, String) {
        let out = terminate(self.child);
        assert!(
            out.status.success(),
            "vigil run: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let lines = self.lines.lock().expect("lines").clone();
        (lines, String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

#[test]
fn camera_motion_and_inputs_over_onvif_make_events_and_clips_through_renew_failures() {
    let rtsp = RtspServer::start(&[]);
    // The camera grants 10-s subscriptions: Vigil renews every few seconds.
    let sim = OnvifSim::start(&[
        "--user",
        "admin",
        "--password",
        "s@cret!",
        "--termination",
        "10",
    ]);
    let dir = tempfile::tempdir().expect("dir");
    let vigil = Vigil::new(dir.path());
    // The stream URL's user and password (percent-encoded) log in to ONVIF too.
    let url = format!("rtsp://admin:s%40cret!@127.0.0.1:{}/h264", rtsp.port);
    vigil.ok(&[
        "camera",
        "add",
        "--name",
        "door",
        "--url",
        &url,
        "--record",
        "events",
        "--pre-event",
        "2s",
        "--post-event",
        "2s",
    ]);
    enable_onvif(
        dir.path(),
        "door",
        &OnvifSettings {
            port: sim.port,
            user: None,
            password: None,
            motion_from: MotionFrom::Camera,
        },
    );
    let run = Run::start(&vigil);
    let pid = run.child.id();
    assert!(
        wait_until(WAIT, || sim.stat("subscriptions") >= 1
            && run.saw(|l| l.starts_with("door: connected"))),
        "subscribed and streaming: {:?} {:?}",
        sim.stats(),
        run.lines.lock().expect("lines")
    );
    assert_eq!(threads_named(pid, "onvif-door"), 1, "its ONVIF thread");
    // Motion from the camera: the analyzer runs for the motion index only (no events from
    // it: the events below are the camera's).
    assert_eq!(
        threads_named(pid, "analyze-door"),
        1,
        "motion from the camera: an analyzer for the index"
    );
    // The pre-event buffer fills.
    std::thread::sleep(Duration::from_secs(3));

    sim.control("motion?state=true");
    assert!(
        wait_until(WAIT, || labelled(&vigil, "camera motion").len() == 1),
        "the camera's motion makes an event: {:?}",
        events(&vigil)
    );
    std::thread::sleep(Duration::from_secs(2));
    sim.control("motion?state=false");
    assert!(
        wait_until(WAIT, || labelled(&vigil, "camera motion")[0]["end_us"]
            .is_i64()),
        "its end ends it: {:?}",
        events(&vigil)
    );
    sim.control("input?token=1&state=true");
    assert!(
        wait_until(WAIT, || labelled(&vigil, "input 1").len() == 1),
        "a digital input makes a labelled event: {:?}",
        events(&vigil)
    );
    sim.control("input?token=1&state=false");
    assert!(wait_until(WAIT, || labelled(&vigil, "input 1")[0]
        ["end_us"]
        .is_i64()));

    // A refused Renew: subscribed again, and motion still arrives.
    let before = sim.stat("subscriptions");
    sim.control("fail-renew");
    assert!(
        wait_until(WAIT, || sim.stat("renew_failures") == 1
            && sim.stat("subscriptions") > before),
        "a new subscription after the refused renew: {:?}",
        sim.stats()
    );
    sim.control("motion?state=true");
    assert!(
        wait_until(WAIT, || labelled(&vigil, "camera motion").len() == 2),
        "events after the new subscription: {:?}",
        events(&vigil)
    );
    sim.control("motion?state=false");
    assert!(wait_until(WAIT, || labelled(&vigil, "camera motion")[1]
        ["end_us"]
        .is_i64()));

    // The camera forgets every subscription (a reboot of its event service).
    let before = sim.stat("subscriptions");
    sim.control("drop-subscriptions");
    assert!(
        wait_until(WAIT, || sim.stat("subscriptions") > before),
        "subscribed again after the camera dropped it: {:?}",
        sim.stats()
    );
    sim.control("input?token=2&state=true");
    assert!(
        wait_until(WAIT, || labelled(&vigil, "input 2").len() == 1),
        "{:?}",
        events(&vigil)
    );
    sim.control("input?token=2&state=false");
    assert!(wait_until(WAIT, || labelled(&vigil, "input 2")[0]
        ["end_us"]
        .is_i64()));
    assert!(sim.stat("renews") >= 1, "renewed: {:?}", sim.stats());
    run.stop();
    assert!(
        wait_until(Duration::from_secs(5), || sim.stat("live_subscriptions")
            == 0),
        "unsubscribed on stop: {:?}",
        sim.stats()
    );
    assert!(sim.stat("unsubscribes") >= 1);

    let evs = events(&vigil);
    assert!(
        evs.iter().all(|e| e["source"] == "camera"),
        "only the camera's events, no analyzer's: {evs:?}"
    );
    assert_eq!(evs.len(), 4, "{evs:?}");
    let motion = &labelled(&vigil, "camera motion")[0];
    let (start, end) = (
        motion["start_us"].as_i64().unwrap_or(0),
        motion["end_us"].as_i64().unwrap_or(0),
    );
    assert!(end - start >= 1_500_000, "motion lasted {} µs", end - start);
    let clips = vigil.recordings();
    let clip = clips
        .iter()
        .find(|c| c["event_id"] == motion["id"])
        .unwrap_or_else(|| panic!("a clip of the motion event: {clips:?}"));
    assert_eq!(clip["kind"], "event");
    let (c_start, c_end) = (
        clip["start_us"].as_i64().unwrap_or(0),
        clip["end_us"].as_i64().unwrap_or(0),
    );
    assert!(
        c_start < start - 1_000_000 && c_end >= end + 1_500_000,
        "the clip {c_start}..{c_end} holds the event {start}..{end} with its pre- and post-event"
    );
    let p = ffprobe(clip["path"].as_str().unwrap_or(""));
    assert_eq!(p.codec, "h264");
    assert!(p.duration_s > 4.0, "{} s", p.duration_s);
}

#[test]
fn a_wrong_onvif_password_is_one_sentence_and_the_video_is_still_recorded() {
    let rtsp = RtspServer::start(&[]);
    let sim = OnvifSim::start(&["--user", "admin", "--password", "right"]);
    let dir = tempfile::tempdir().expect("dir");
    let vigil = Vigil::new(dir.path());
    vigil.ok(&[
        "camera",
        "add",
        "--name",
        "yard",
        "--url",
        &rtsp.url("h264"),
        "--record",
        "continuous",
        "--segment-seconds",
        "2",
    ]);
    enable_onvif(
        dir.path(),
        "yard",
        &OnvifSettings {
            port: sim.port,
            user: Some("admin".into()),
            password: Some("wrong-secret".into()),
            motion_from: MotionFrom::Both,
        },
    );
    let run = Run::start(&vigil);
    let sentence = "(ONVIF events: the camera refused the ONVIF user name or password)";
    assert!(
        wait_until(WAIT, || run.saw(|l| l.starts_with("yard: connected")
            && l.contains("recording")
            && l.ends_with(sentence))),
        "the status says it, while recording: {:?}",
        run.lines.lock().expect("lines")
    );
    assert!(
        wait_until(WAIT, || !vigil.recordings().is_empty()),
        "the video is recorded"
    );
    let (lines, log) = run.stop();
    assert!(sim.stat("auth_failures") >= 2, "{:?}", sim.stats());
    assert_eq!(sim.stat("subscriptions"), 0);
    let onvif_lines: Vec<&String> = lines.iter().filter(|l| l.contains("ONVIF")).collect();
    assert!(
        onvif_lines
            .iter()
            .all(|l| l.matches("ONVIF events").count() == 1 && l.ends_with(sentence)),
        "one sentence, nothing else about ONVIF: {onvif_lines:?}"
    );
    assert_eq!(
        log.matches("ONVIF events failed").count(),
        1,
        "logged once however often it is retried: {log}"
    );
    assert!(
        lines.iter().all(|l| !l.contains("wrong-secret")) && !log.contains("wrong-secret"),
        "the password never shows"
    );
}

#[test]
fn stream_uris_come_from_the_profiles_through_a_camera_clock_an_hour_off() {
    let main = "rtsp://127.0.0.1:8554/h264";
    let sub = "rtsp://127.0.0.1:8554/sub";
    let sim = OnvifSim::start(&[
        "--user",
        "admin",
        "--password",
        "pw",
        "--skew",
        "3600",
        "--main-uri",
        main,
        "--sub-uri",
        sub,
    ]);
    let creds = Credentials {
        user: "admin".into(),
        password: "pw".into(),
    };
    let timeout = Duration::from_secs(5);
    let uris = stream_uris(&sim.device_url(), Some(&creds), timeout).expect("stream URLs");
    assert_eq!(uris.main, main);
    assert_eq!(uris.sub.as_deref(), Some(sub));
    let sizes: Vec<(u32, u32)> = uris.profiles.iter().map(|p| (p.width, p.height)).collect();
    assert_eq!(sizes, [(1280, 720), (320, 180)]);
    assert!(uris.profiles.iter().all(|p| p.encoding == "H264"));
    let info = device_info(&sim.device_url(), Some(&creds), timeout).expect("device info");
    assert_eq!(
        (info.manufacturer.as_str(), info.model.as_str()),
        ("Vigil", "SimCam 1")
    );
    assert_eq!(
        sim.stat("auth_failures"),
        0,
        "the digest used the camera's clock"
    );
    let wrong = Credentials {
        user: "admin".into(),
        password: "nope".into(),
    };
    assert_eq!(
        stream_uris(&sim.device_url(), Some(&wrong), timeout),
        Err(OnvifError::NotAuthorized)
    );
    assert_eq!(
        OnvifError::NotAuthorized.to_string(),
        "the camera refused the ONVIF user name or password"
    );

    // A camera that also wants HTTP Digest authentication before any SOAP.
    let digest = OnvifSim::start(&[
        "--user",
        "admin",
        "--password",
        "pw",
        "--http-digest",
        "--main-uri",
        main,
        "--sub-uri",
        sub,
    ]);
    let uris = stream_uris(&digest.device_url(), Some(&creds), timeout).expect("stream URLs");
    assert_eq!((uris.main.as_str(), uris.sub.as_deref()), (main, Some(sub)));
    assert!(digest.stat("http_challenges") >= 1, "{:?}", digest.stats());
    assert_eq!(
        stream_uris(&digest.device_url(), Some(&wrong), timeout),
        Err(OnvifError::NotAuthorized)
    );
}

#[test]
fn cameras_answering_onvif_badly_get_a_sentence_and_keep_recording() {
    use vigil_core::engine::{Engine, EngineOptions};
    use vigil_core::model::{CameraName, NewCamera, Policy, RecordMode, Transport};

    let rtsp = RtspServer::start(&[]);
    let no_events = OnvifSim::start(&["--no-events"]);
    let slow = OnvifSim::start(&[]);
    slow.control("slow?seconds=15");
    let dir = tempfile::tempdir().expect("dir");
    let mut lib = Library::open(dir.path()).expect("library");
    let policy = Policy {
        mode: RecordMode::Continuous,
        ..Policy::default()
    };
    for (name, sim) in [("plain", &no_events), ("sloth", &slow)] {
        let cam = NewCamera {
            name: CameraName::parse(name).expect("name"),
            url: rtsp.url("h264"),
            detect_url: None,
            transport: Transport::Tcp,
            enabled: true,
            audio: false,
        };
        let id = lib.add_camera(&cam, &policy).expect("camera").id;
        let settings = OnvifSettings {
            port: sim.port,
            ..OnvifSettings::default()
        };
        lib.set_onvif(id, Some(&settings)).expect("ONVIF on");
    }
    let engine = Engine::start(EngineOptions::new(dir.path().to_path_buf())).expect("engine");
    let want = [
        "ONVIF events: the camera has no ONVIF events service",
        "ONVIF events: the camera did not answer within 10 s",
    ];
    let mut last = None;
    let ok = wait_until(Duration::from_secs(45), || {
        let s = engine.status();
        let done = s
            .cameras
            .iter()
            .zip(want)
            .all(|(c, w)| c.recording && c.onvif_problem().as_deref() == Some(w));
        last = Some(s);
        done
    });
    assert!(ok, "each camera's sentence, while recording: {last:#?}");
    let stopped = std::time::Instant::now();
    engine.shutdown();
    assert!(
        stopped.elapsed() < Duration::from_secs(5),
        "a camera that does not answer does not hold up the stop: {:?}",
        stopped.elapsed()
    );
}
