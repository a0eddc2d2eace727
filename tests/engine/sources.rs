//! Sources other than RTSP, recorded for real: the built-in demo camera, a live HTTP stream
//! (ffmpeg as the HTTP server).

use crate::common;

use std::process::{Command, Stdio};

use common::{assert_files_match_rows, ffprobe, free_port, Vigil};

#[test]
fn with_no_camera_run_records_the_demo_camera() {
    let dir = tempfile::tempdir().expect("dir");
    let vigil = Vigil::new(dir.path());
    let out = vigil.run(&["run", "--for", "5s"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("added the built-in demo camera"),
        "{stdout}"
    );
    let rows = vigil.recordings();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["camera"], "demo");
    let p = ffprobe(rows[0]["path"].as_str().unwrap_or(""));
    assert_eq!((p.codec.as_str(), p.width, p.height), ("h264", 640, 360));
    // 15 fps for about 5 s.
    assert!((60..=80).contains(&p.frames), "{} frames", p.frames);
    // The file decodes end to end (what ffplay would do).
    let decode = Command::new("ffmpeg")
        .args([
            "-v",
            "error",
            "-i",
            rows[0]["path"].as_str().unwrap_or(""),
            "-f",
            "null",
            "-",
        ])
        .output()
        .expect("ffmpeg");
    assert!(
        decode.status.success() && decode.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&decode.stderr)
    );
    assert_files_match_rows(&vigil);
}

#[test]
fn records_a_live_http_mpegts_stream() {
    let port = free_port();
    // ffmpeg serves a live H.264 MPEG-TS stream over HTTP, as an encoder box would.
    let mut server = Command::new("ffmpeg")
        .args([
            "-v",
            "error",
            "-re",
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=480x270:rate=25",
        ])
        .args([
            "-t",
            "30",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-g",
            "25",
            "-pix_fmt",
            "yuv420p",
        ])
        .args(["-f", "mpegts", "-listen", "1"])
        .arg(format!("http://127.0.0.1:{port}/live.ts"))
        .stdin(Stdio::null())
        .spawn()
        .expect("ffmpeg HTTP server");
    let dir = tempfile::tempdir().expect("dir");
    let vigil = Vigil::new(dir.path());
    let url = format!("http://127.0.0.1:{port}/live.ts");
    vigil.ok(&[
        "camera",
        "add",
        "--name",
        "encoder",
        "--url",
        &url,
        "--segment-seconds",
        "2",
    ]);
    let out = vigil.run(&["run", "--for", "7s"]);
    let _ = server.kill();
    let _ = server.wait();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows = vigil.recordings();
    assert!(rows.len() >= 2, "{rows:?}");
    for r in &rows {
        let p = ffprobe(r["path"].as_str().unwrap_or(""));
        assert_eq!((p.codec.as_str(), p.width, p.height), ("h264", 480, 270));
    }
    assert_files_match_rows(&vigil);
}

#[test]
fn cameras_added_or_disabled_while_running_take_effect() {
    let server = common::RtspServer::start(&[]);
    let dir = tempfile::tempdir().expect("dir");
    let vigil = Vigil::new(dir.path());
    vigil.add_demo_camera("first", &["--segment-seconds", "2"]);
    let child = vigil.spawn(&["run", "--for", "60s"]);
    let has = |cam: &str| {
        vigil
            .recordings()
            .iter()
            .filter(|r| r["camera"] == cam)
            .count()
    };
    assert!(common::wait_until(
        std::time::Duration::from_secs(20),
        || has("first") >= 1
    ));
    vigil.ok(&[
        "camera",
        "add",
        "--name",
        "late",
        "--url",
        &server.url("h264"),
        "--segment-seconds",
        "2",
    ]);
    assert!(
        common::wait_until(std::time::Duration::from_secs(20), || has("late") >= 1),
        "a camera added while running starts recording"
    );
    vigil.ok(&["camera", "disable", "--name", "first"]);
    let disabled_us = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_micros() as i64)
        .unwrap_or(0);
    let late_before = has("late");
    assert!(common::wait_until(
        std::time::Duration::from_secs(20),
        || has("late") >= late_before + 2
    ));
    let out = common::terminate(child);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("late: started") && stdout.contains("first: stopped"),
        "{stdout}"
    );
    let last_first = vigil
        .recordings()
        .iter()
        .filter(|r| r["camera"] == "first")
        .filter_map(|r| r["end_us"].as_i64())
        .max()
        .unwrap_or(0);
    assert!(
        last_first <= disabled_us + 3_000_000,
        "the disabled camera stopped recording"
    );
    assert_files_match_rows(&vigil);
}
