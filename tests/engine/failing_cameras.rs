//! Cameras failing while Vigil records: a file that ends, one unreachable camera among good
//! ones, and the engine's per-camera status. The failing camera is reported in words and
//! retried; the others are never disturbed.

use crate::common;

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use common::{free_port, wait_until, RtspServer, Vigil};
use vigil_core::engine::status::{CameraStatus, ConnState, WAITING};
use vigil_core::engine::{Engine, EngineOptions};
use vigil_core::library::{Library, SegmentQuery};
use vigil_core::model::{CameraName, NewCamera, Policy, Transport};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A closed local port: bound once to find it free, then released (nothing listens).
fn closed_port() -> u16 {
    let port = free_port();
    assert!(
        TcpStream::connect(("127.0.0.1", port)).is_err(),
        "port {port} should be closed"
    );
    port
}

/// A 2 s, 25 fps H.264 MP4 with a 1 s GOP (50 frames).
fn two_second_clip(dir: &Path) -> PathBuf {
    let path = dir.join("clip.mp4");
    let out = Command::new("ffmpeg")
        .args(["-v", "error", "-y", "-f", "lavfi"])
        .args(["-i", "testsrc2=size=320x240:rate=25", "-t", "2"])
        .args(["-c:v", "libx264", "-g", "25", "-pix_fmt", "yuv420p"])
        .arg(&path)
        .output()
        .expect("run ffmpeg");
    assert!(
        out.status.success(),
        "ffmpeg could not make the test clip: {}",
        text(&out.stderr)
    );
    path
}
fn rows_of<'a>(rows: &'a [serde_json::Value], camera: &str) -> Vec<&'a serde_json::Value> {
    rows.iter().filter(|r| r["camera"] == camera).collect()
}

fn span_us(r: &serde_json::Value) -> i64 {
    r["end_us"].as_i64().expect("end_us") - r["start_us"].as_i64().expect("start_us")
}

// ---------------------------------------------------------------------------------------
// 4. A file that ends
// ---------------------------------------------------------------------------------------

#[test]
fn a_file_that_ends_is_reported_and_recorded_again_after_the_retry() {
    let dir = tempfile::tempdir().expect("temp dir");
    let clip = two_second_clip(dir.path());
    let clip = clip.to_str().expect("utf-8 path");
    let vigil = Vigil::new(&dir.path().join("data"));
    vigil.ok(&["camera", "add", "--name", "clip", "--url", clip]);
    let out = vigil.run(&["run", "--for", "8s"]);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(
        out.status.code(),
        Some(0),
        "it recorded, so run succeeds:\n{stdout}\n{stderr}"
    );
    assert!(
        stdout.lines().any(
            |l| l.starts_with(&format!("clip: {clip} ended — retrying in ")) && l.ends_with(" s")
        ),
        "status says the file ended and when it retries:\n{stdout}"
    );
    assert!(
        stderr.contains(&format!("{clip} ended")),
        "the log says why:\n{stderr}"
    );

    let rows = vigil.recordings();
    assert!(
        rows.len() >= 2,
        "recorded, ended, recorded again: {rows:#?}\n{stdout}\n{stderr}"
    );
    // A full play of the file is its 50 frames over ~2 s.
    assert_eq!(rows[0]["frames"].as_u64(), Some(50), "{:#?}", rows[0]);
    let first = span_us(&rows[0]) as f64 / 1e6;
    assert!(
        (1.8..=2.2).contains(&first),
        "first play lasts {first:.3} s"
    );
    // Each replay comes after the reconnect wait (1 s, then 2 s): a real gap.
    for w in rows.windows(2) {
        let gap = w[1]["start_us"].as_i64().unwrap() - w[0]["end_us"].as_i64().unwrap();
        assert!(
            gap >= 500_000,
            "replays are separated by the retry: {gap} µs"
        );
    }
    for r in &rows {
        assert_eq!(r["codec"], "h264");
        assert_eq!(
            (r["width"].as_u64(), r["height"].as_u64()),
            (Some(320), Some(240))
        );
    }
    common::assert_files_match_rows(&vigil);
}

// ---------------------------------------------------------------------------------------
// 5. Many cameras, one bad
// ---------------------------------------------------------------------------------------

#[test]
fn one_unreachable_camera_does_not_disturb_the_others() {
    let server = RtspServer::start(&["--gop", "25"]);
    let dir = tempfile::tempdir().expect("temp dir");
    let vigil = Vigil::new(&dir.path().join("data"));
    let bad_url = format!("rtsp://127.0.0.1:{}/x", closed_port());
    for (name, url) in [
        ("good264", server.url("h264")),
        ("good265", server.url("h265")),
        ("bad", bad_url.clone()),
    ] {
        vigil.ok(&[
            "camera",
            "add",
            "--name",
            name,
            "--url",
            &url,
            "--segment-seconds",
            "3",
        ]);
    }
    let run_s = 12.0;
    let out = vigil.run(&["run", "--for", "12s"]);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(
        out.status.code(),
        Some(3),
        "a camera recorded nothing, so run exits 3:\n{stdout}\n{stderr}"
    );
    let refused = format!("connection refused by {bad_url}");
    assert!(
        stderr
            .lines()
            .any(|l| l == format!("camera 'bad' recorded nothing: {refused}")),
        "stderr names the camera and why:\n{stderr}"
    );
    assert!(
        !stderr.contains("camera 'good264'") && !stderr.contains("camera 'good265'"),
        "only the bad camera is blamed:\n{stderr}"
    );
    assert!(
        stdout
            .lines()
            .any(|l| l == format!("bad: {refused} — {WAITING}")),
        "status says refused and waiting for the camera to answer:\n{stdout}"
    );
    for name in ["good264", "good265"] {
        assert!(
            stdout
                .lines()
                .any(|l| l.starts_with(&format!("{name}: connected, "))
                    && l.ends_with(", recording")),
            "{name} shows as connected and recording:\n{stdout}"
        );
    }

    let rows = vigil.recordings();
    assert!(
        rows_of(&rows, "bad").is_empty(),
        "the bad camera has no rows"
    );
    for (name, codec) in [("good264", "h264"), ("good265", "hevc")] {
        let mine = rows_of(&rows, name);
        assert!(mine.len() >= 3, "{name}: {} rows", mine.len());
        for r in &mine {
            assert_eq!(r["codec"], codec, "{name}");
        }
        // One connection for the whole run: the segments abut, no reconnect gaps.
        for w in mine.windows(2) {
            let gap = w[1]["start_us"].as_i64().unwrap() - w[0]["end_us"].as_i64().unwrap();
            assert_eq!(gap, 0, "{name}: segments abut");
        }
        let recorded: f64 = mine.iter().map(|r| span_us(r) as f64 / 1e6).sum();
        assert!(
            recorded >= run_s - 3.5,
            "{name} recorded {recorded:.1} s of a {run_s} s run"
        );
    }
    common::assert_files_match_rows(&vigil);
}

// ---------------------------------------------------------------------------------------
// 6. The engine API: per-camera status
// ---------------------------------------------------------------------------------------

fn find<'a>(cams: &'a [CameraStatus], name: &str) -> &'a CameraStatus {
    cams.iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no status for {name}"))
}

#[test]
fn engine_status_reports_each_camera_on_its_own() {
    let server = RtspServer::start(&["--gop", "25"]);
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let bad_url = format!("rtsp://127.0.0.1:{}/x", closed_port());
    let (good_id, bad_id) = {
        let mut lib = Library::open(&data).expect("open library");
        let policy = Policy {
            segment_s: 2,
            ..Policy::default()
        };
        let mut add = |name: &str, url: &str| {
            let cam = NewCamera {
                name: CameraName::parse(name).expect("name"),
                url: url.to_string(),
                detect_url: None,
                transport: Transport::Tcp,
                enabled: true,
                audio: false,
            };
            lib.add_camera(&cam, &policy).expect("add camera").id
        };
        (add("good", &server.url("h264")), add("bad", &bad_url))
    };

    let mut opts = EngineOptions::new(data.clone());
    opts.connect_timeout = Duration::from_secs(5);
    let engine = Engine::start(opts).expect("engine starts");
    let ready = |cams: &[CameraStatus]| {
        let good = find(cams, "good");
        let bad = find(cams, "bad");
        // The first 2 s rate window also counts the packets FFmpeg buffered while probing
        // the stream, so it reads high; the steady state is the camera's 25 fps.
        good.conn == ConnState::Connected
            && good.fps > 20.0
            && good.fps < 30.0
            && good.bitrate_bps > 0.0
            && good.recording
            && bad.conn == ConnState::Waiting
            && bad
                .last_error
                .as_deref()
                .is_some_and(|e| e.contains("connection refused"))
    };
    let mut last = Vec::new();
    let ok = wait_until(Duration::from_secs(20), || {
        last = engine.status().cameras;
        ready(&last)
    });
    assert!(ok, "status never settled: {last:#?}");

    let good = find(&last, "good");
    assert_eq!(good.codec.as_deref(), Some("h264"));
    assert_eq!((good.width, good.height), (640, 360));
    assert_eq!(good.last_error, None, "the good camera has no error");
    assert_eq!(good.url, server.url("h264"));
    let bad = find(&last, "bad");
    assert_eq!(
        bad.last_error.as_deref(),
        Some(format!("connection refused by {bad_url}").as_str())
    );
    assert!(bad.reconnects >= 1);
    assert!(!bad.recording);
    assert_eq!((bad.fps, bad.bitrate_bps), (0.0, 0.0));
    let summary = bad.summary();
    assert_eq!(
        summary,
        format!("bad: connection refused by {bad_url} — {WAITING}")
    );
    // The status is serialisable for a GUI: the state is tagged.
    let json = serde_json::to_value(bad).expect("status as JSON");
    assert_eq!(json["conn"]["state"], "waiting");

    engine.shutdown();

    let lib = Library::open(&data).expect("reopen library");
    let query = |id| SegmentQuery {
        camera_id: Some(id),
        ..SegmentQuery::default()
    };
    let good_rows = lib.segments(&query(good_id)).expect("segments");
    assert!(
        !good_rows.is_empty(),
        "the good camera's segment was indexed"
    );
    for s in &good_rows {
        assert_eq!(s.camera, "good");
        assert!(s.end_us > s.start_us && s.frames > 0, "{s:?}");
        assert!(Path::new(&s.path).is_file(), "{} exists", s.path);
    }
    assert!(lib.segments(&query(bad_id)).expect("segments").is_empty());
}
