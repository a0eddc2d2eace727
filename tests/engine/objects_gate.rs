//! Object detection gating a camera's events, end to end with the real RTSP simulator, the
//! real built-in person detector and a real library on disk: a moving box (motion, no
//! person) makes no event on a camera that records on `person`; a person walking across a
//! driveway makes one "person in driveway" event with its score, box and a thumbnail, and
//! its clip starts `pre_event` before the motion that led to it; a camera whose model file
//! is corrupt says so and records on motion alone.

use crate::common;

use std::time::{Duration, Instant};

use common::{fixtures, wait_until, RtspServer, Vigil};
use vigil_core::engine::status::CameraStatus;
use vigil_core::engine::{Engine, EngineOptions};
use vigil_core::library::Library;
use vigil_core::model::ObjectSettings;

use crate::motion::brightness;

fn i(v: &serde_json::Value) -> i64 {
    v.as_i64().unwrap_or(i64::MIN)
}

fn events(vigil: &Vigil) -> Vec<serde_json::Value> {
    serde_json::from_str(&vigil.ok(&["events", "--json"])).expect("events JSON")
}

/// Adds an events-only camera on `url` with the given pre- and post-event times.
fn add_camera(vigil: &Vigil, name: &str, url: &str, pre: &str, post: &str) {
    vigil.ok(&[
        "camera",
        "add",
        "--name",
        name,
        "--url",
        url,
        "--record",
        "events",
        "--pre-event",
        pre,
        "--post-event",
        post,
    ]);
}

/// Makes the camera record on people only (default settings: person, score 0.6, the
/// built-in model).
fn detect_people(dir: &std::path::Path, camera: &str) {
    let mut lib = Library::open(dir).expect("library");
    let cam = lib.camera_by_name(camera).expect("camera");
    lib.set_camera_objects(cam.id, Some(&ObjectSettings::default()))
        .expect("object settings");
}

fn camera_status(engine: &Engine) -> CameraStatus {
    engine
        .status()
        .cameras
        .into_iter()
        .next()
        .expect("one camera")
}

#[test]
fn motion_without_a_person_makes_no_event() {
    let server = RtspServer::start(&["--motion-start", "4", "--motion-end", "10"]);
    let dir = tempfile::tempdir().expect("dir");
    let vigil = Vigil::new(dir.path());
    add_camera(&vigil, "yard", &server.url("motion"), "3s", "2s");
    detect_people(dir.path(), "yard");

    let engine = Engine::start(EngineOptions::new(dir.path().to_path_buf())).expect("engine");
    let started = Instant::now();
    // The box crosses the frame from 4 s to 10 s: the detector looks at it.
    let looked = wait_until(Duration::from_secs(40), || {
        let s = camera_status(&engine);
        let objects = s.objects.unwrap_or_default();
        assert_eq!(objects.error, None, "the model loads");
        assert!(
            s.events.is_empty(),
            "no event while a box moves: {:?}",
            s.events
        );
        objects.runs >= 3 && objects.detector.is_some()
    });
    assert!(looked, "detections ran on the moving box");
    // Until the motion is over (the box leaves at 10 s, motion ends 2 s later).
    while started.elapsed() < Duration::from_secs(14) {
        assert!(camera_status(&engine).events.is_empty());
        std::thread::sleep(Duration::from_millis(200));
    }
    let status = camera_status(&engine);
    engine.shutdown();

    let objects = status.objects.expect("object detection status");
    assert_eq!(objects.wanted, ["person"]);
    assert!(objects.found.is_empty(), "{:?}", objects.found);
    assert!(events(&vigil).is_empty(), "{:?}", events(&vigil));
    assert!(vigil.recordings().is_empty(), "nothing recorded");
}

#[test]
fn a_person_walking_in_makes_one_event_whose_clip_starts_before_the_motion() {
    let astronaut = fixtures::path("astronaut.png");
    let image = astronaut.to_string_lossy();
    let server = RtspServer::start(&[
        "--person-image",
        &image,
        "--motion-start",
        "4",
        "--motion-end",
        "22",
    ]);
    let dir = tempfile::tempdir().expect("dir");
    let vigil = Vigil::new(dir.path());
    add_camera(&vigil, "drive", &server.url("person"), "3s", "2s");
    // The driveway: the bottom half of the picture, where the person's feet are.
    vigil.ok(&[
        "zone",
        "add",
        "--camera",
        "drive",
        "--name",
        "driveway",
        "--polygon",
        "0,0.5 1,0.5 1,1 0,1",
    ]);
    detect_people(dir.path(), "drive");

    let engine = Engine::start(EngineOptions::new(dir.path().to_path_buf())).expect("engine");
    let mut live_box = None;
    let mut confirmed_at = None;
    // Until the person has left (22 s), motion ended (2 s) and the clip closed (2 s).
    let done = wait_until(Duration::from_secs(60), || {
        let s = camera_status(&engine);
        if let Some(o) = &s.objects {
            if live_box.is_none() {
                live_box = o.found.iter().find(|f| f.label == "person").cloned();
            }
        }
        if confirmed_at.is_none() && s.events.iter().any(|e| e.source == "object") {
            confirmed_at = Some(vigil_core::model::time::now_us());
        }
        let ended = confirmed_at.is_some() && s.events.is_empty() && !s.recording;
        ended && s.segments_written > 0
    });
    let status = camera_status(&engine);
    engine.shutdown();
    assert!(done, "the event ended and its clip was written: {status:?}");
    let live = live_box.expect("the live status showed the person's box");
    assert!(live.score >= 0.6 && live.bbox.area() > 0.01, "{live:?}");

    let evs = events(&vigil);
    assert_eq!(
        evs.len(),
        1,
        "one event, and none for motion alone: {evs:?}"
    );
    let e = &evs[0];
    assert_eq!(e["source"], "object");
    assert_eq!(e["label"], "person in driveway");
    assert_eq!(e["zone"], "driveway");
    assert_eq!(e["has_thumbnail"], true);
    let score = e["score"].as_f64().unwrap_or(0.0);
    assert!(score >= 0.6, "best score {score}");
    let b = &e["object_box"];
    let (x, y, w, h) = (
        b["x"].as_f64().unwrap_or(-1.0),
        b["y"].as_f64().unwrap_or(-1.0),
        b["w"].as_f64().unwrap_or(-1.0),
        b["h"].as_f64().unwrap_or(-1.0),
    );
    // The picture is 200 px square, vertically centred (y 80..280 of 360).
    assert!(w > 0.1 && h > 0.3, "a person-sized box: {b}");
    assert!(y >= 0.15 && (y + h - 280.0 / 360.0).abs() < 0.08, "{b}");
    assert!(x >= 0.0 && x + w <= 1.0, "{b}");

    // Ground truth from the clip itself: the first frame where the person shows.
    let rows = vigil.recordings();
    let clips: Vec<_> = rows.iter().filter(|r| r["kind"] == "event").collect();
    assert_eq!(clips.len(), 1, "one clip: {rows:?}");
    let clip = clips[0];
    assert_eq!(clip["event_id"], e["id"]);
    let c0 = i(&clip["start_us"]);
    let frames = brightness(clip["path"].as_str().unwrap_or(""));
    let base = frames.first().map(|f| f.1).expect("decoded frames");
    let first = frames
        .iter()
        .find(|f| (f.1 - base).abs() > 0.1)
        .map(|f| f.0)
        .expect("the clip shows the person");
    let truth_us = c0 + (first * 1e6) as i64;
    let start_err = i(&e["start_us"]) - truth_us;
    // The event starts at the motion (not at the detection that confirmed it), within
    // the motion detector's confirmation of a zone (0.4 s) and a frame or two.
    assert!(
        (-250_000..=900_000).contains(&start_err),
        "event starts {:.3} s from the person's entry",
        start_err as f64 / 1e6
    );
    let confirmed = confirmed_at.expect("seen in progress");
    eprintln!(
        "person confirmed {:.2} s after entering; clip from {:.2} s before",
        (confirmed - truth_us) as f64 / 1e6,
        (truth_us - c0) as f64 / 1e6
    );
    // The pre-event buffer reached back past the confirmation: 3 s before the motion,
    // within a GOP (1 s).
    assert!(
        c0 <= truth_us - 3_000_000 + 250_000 && c0 >= truth_us - 4_250_000,
        "clip starts {:.3} s before the person",
        (truth_us - c0) as f64 / 1e6
    );

    // The thumbnail is the person's picture with the box drawn in red.
    let lib = Library::open(dir.path()).expect("library");
    let jpeg = lib
        .event_thumbnail(i(&e["id"]))
        .expect("query")
        .expect("a thumbnail");
    let img = image::load_from_memory(&jpeg).expect("a JPEG").to_rgb8();
    assert_eq!((img.width(), img.height()), (320, 180));
    let red = img
        .pixels()
        .filter(|p| p.0[0] > 200 && p.0[1] < 90 && p.0[2] < 90)
        .count();
    assert!(red > 200, "the box is drawn ({red} red pixels)");
}

#[test]
fn a_corrupt_model_falls_back_to_motion_and_says_so() {
    let server = RtspServer::start(&["--motion-start", "4", "--motion-end", "8"]);
    let dir = tempfile::tempdir().expect("dir");
    let vigil = Vigil::new(dir.path());
    add_camera(&vigil, "yard", &server.url("motion"), "2s", "2s");
    detect_people(dir.path(), "yard");
    // The first model directory searched holds a file of the right name but wrong content.
    let models = tempfile::tempdir().expect("model dir");
    let folder = models.path().join(vigil_core::objects::files::BUILTIN_DIR);
    std::fs::create_dir_all(&folder).expect("model folder");
    let model = folder.join(vigil_core::objects::files::BUILTIN_FILE);
    std::fs::write(&model, vec![7u8; 1000]).expect("corrupt model");

    let out = vigil
        .cmd()
        .env("VIGIL_MODEL_DIR", models.path())
        .args(["run", "--for", "13s", "--status-every", "1s"])
        .output()
        .expect("vigil run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    let said = format!("(object detection: the model file {} ", model.display());
    let line = stdout
        .lines()
        .find(|l| l.contains(&said))
        .unwrap_or_else(|| panic!("status says why:\n{stdout}"));
    assert!(
        line.contains("12923854") && line.contains("recording on motion alone)"),
        "{line}"
    );
    assert!(
        stderr.contains("object detection is off"),
        "logged once:\n{stderr}"
    );
    assert_eq!(
        stderr.matches("object detection is off").count(),
        1,
        "{stderr}"
    );

    let evs = events(&vigil);
    assert_eq!(evs.len(), 1, "the box makes a motion event: {evs:?}");
    assert_eq!(evs[0]["source"], "motion");
    assert_eq!(evs[0]["object_box"], serde_json::Value::Null);
    let clips: Vec<_> = vigil
        .recordings()
        .into_iter()
        .filter(|r| r["kind"] == "event")
        .collect();
    assert_eq!(clips.len(), 1, "{clips:?}");
}

/// With no model installed where Vigil looks, the status says so and what to run, and the
/// camera still records on motion.
#[test]
fn a_missing_model_is_named_with_what_to_run() {
    let server = RtspServer::start(&["--motion-start", "2", "--motion-end", "5"]);
    let dir = tempfile::tempdir().expect("dir");
    let vigil = Vigil::new(dir.path());
    add_camera(&vigil, "yard", &server.url("motion"), "1s", "1s");
    detect_people(dir.path(), "yard");
    let empty = tempfile::tempdir().expect("empty model dir");
    let out = vigil
        .cmd()
        .env("VIGIL_MODEL_DIR", empty.path())
        .args(["run", "--for", "9s", "--status-every", "1s"])
        .output()
        .expect("vigil run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    let line = stdout
        .lines()
        .find(|l| l.contains("(object detection: the built-in person detector"))
        .unwrap_or_else(|| panic!("status says why:\n{stdout}"));
    assert!(
        line.contains("is not installed")
            && line.contains("packaging/install-deps.sh")
            && line.contains("recording on motion alone"),
        "{line}"
    );
    let evs = events(&vigil);
    assert!(
        evs.iter().any(|e| e["source"] == "motion"),
        "motion still makes events: {evs:?}"
    );
}
