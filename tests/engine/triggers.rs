//! Event recording driven by external triggers over the local HTTP API: the token is
//! required, bad requests change nothing, and a trigger produces one event row and one clip
//! that starts pre-event before it and ends post-event after its hold.

use crate::common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::Duration;

use common::{assert_files_match_rows, ffprobe, terminate, wait_until, Vigil};

fn now_us() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_micros() as i64)
        .unwrap_or(0)
}

/// Sends one raw HTTP request; returns (status, body).
fn http(addr: &str, method: &str, path: &str, token: Option<&str>, body: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).expect("connect to the API");
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\n{auth}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).expect("send");
    let mut resp = String::new();
    s.read_to_string(&mut resp).expect("read");
    let status = resp
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = resp
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

fn api_addr(data: &Path) -> String {
    let file = data.join("api.addr");
    assert!(
        wait_until(Duration::from_secs(15), || file.exists()),
        "the API came up"
    );
    std::fs::read_to_string(file)
        .expect("api.addr")
        .trim()
        .to_string()
}

fn events(vigil: &Vigil) -> Vec<serde_json::Value> {
    serde_json::from_str(&vigil.ok(&["events", "--json"])).expect("events JSON")
}

#[test]
fn triggers_need_the_token_and_bad_requests_change_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let vigil = Vigil::new(dir.path());
    vigil.add_demo_camera("yard", &["--record", "events"]);
    vigil.mask_everything("yard");
    let child = vigil.spawn(&["run", "--for", "60s", "--api", "127.0.0.1:0"]);
    let addr = api_addr(dir.path());
    let token = std::fs::read_to_string(dir.path().join("api-token")).expect("token file");
    let path = "/api/v1/cameras/yard/trigger";

    let (status, body) = http(&addr, "POST", path, None, "{}");
    assert_eq!(status, 401, "{body}");
    assert!(body.contains("token"), "{body}");
    assert_eq!(http(&addr, "POST", path, Some("wrong"), "{}").0, 401);
    let (status, body) = http(&addr, "POST", path, Some(&token), "{\"label\": ");
    assert_eq!(status, 400);
    assert!(body.contains("malformed JSON"), "{body}");
    let (status, body) = http(&addr, "POST", path, Some(&token), "{\"hold_s\": -5}");
    assert_eq!(status, 400, "{body}");
    let (status, body) = http(
        &addr,
        "POST",
        "/api/v1/cameras/nope/trigger",
        Some(&token),
        "{}",
    );
    assert_eq!(status, 404);
    assert!(body.contains("no camera named 'nope'"), "{body}");
    assert_eq!(http(&addr, "GET", path, Some(&token), "").0, 405);
    assert!(events(&vigil).is_empty(), "bad requests changed nothing");

    let (status, body) = http(
        &addr,
        "POST",
        path,
        Some(&token),
        "{\"label\": \"door\", \"hold_s\": 1}",
    );
    assert_eq!(status, 200, "{body}");
    assert!(wait_until(Duration::from_secs(10), || events(&vigil).len() == 1));
    let out = terminate(child);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let e = &events(&vigil)[0];
    assert_eq!(
        (e["source"].as_str(), e["label"].as_str()),
        (Some("external"), Some("door"))
    );
}

#[test]
fn a_trigger_records_one_clip_from_pre_event_to_post_event() {
    let dir = tempfile::tempdir().expect("dir");
    let vigil = Vigil::new(dir.path());
    // demo://: 15 fps, a keyframe every 2 s.
    vigil.add_demo_camera(
        "gate",
        &[
            "--record",
            "events",
            "--pre-event",
            "4s",
            "--post-event",
            "3s",
            "--max-clip",
            "5m",
        ],
    );
    vigil.mask_everything("gate");
    let child = vigil.spawn(&["run", "--for", "60s", "--api", "127.0.0.1:0"]);
    api_addr(dir.path());
    // A deliberate 8 s of quiet: the pre-event buffer fills, and nothing may be written.
    std::thread::sleep(Duration::from_secs(8));
    let canon = dir.path().canonicalize().expect("dir");
    assert!(
        common::mp4_files(&canon).is_empty(),
        "nothing is written while nothing happens"
    );

    let before = now_us();
    vigil.ok(&[
        "trigger", "--camera", "gate", "--label", "door", "--hold", "2s",
    ]);
    let after = now_us();
    assert!(
        wait_until(Duration::from_secs(20), || !vigil.recordings().is_empty()),
        "the clip was finished and indexed"
    );
    let out = terminate(child);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let evs = events(&vigil);
    assert_eq!(evs.len(), 1);
    let start = evs[0]["start_us"].as_i64().unwrap_or(0);
    assert!((before..=after).contains(&start));
    assert_eq!(evs[0]["end_us"].as_i64(), Some(start + 2_000_000));

    let clips = vigil.recordings();
    assert_eq!(clips.len(), 1, "one clip: {clips:?}");
    let clip = &clips[0];
    assert_eq!(clip["kind"], "event");
    assert_eq!(clip["event_id"], evs[0]["id"]);
    let (c_start, c_end) = (
        clip["start_us"].as_i64().unwrap_or(0),
        clip["end_us"].as_i64().unwrap_or(0),
    );
    // Starts at the keyframe at or before start - 4 s (keyframes every 2 s).
    let want = start - 4_000_000;
    assert!(
        c_start <= want + 100_000 && c_start > want - 2_100_000,
        "clip starts {} s before the event",
        (start - c_start) as f64 / 1e6
    );
    // Ends at the first frame after hold (2 s) + post-event (3 s).
    let want_end = start + 5_000_000;
    assert!(
        c_end >= want_end && c_end <= want_end + 200_000,
        "clip ends {} s after the event",
        (c_end - start) as f64 / 1e6
    );
    let p = ffprobe(clip["path"].as_str().unwrap_or(""));
    assert_eq!(p.codec, "h264", "no transcoding");
    assert!(
        (p.duration_s - (c_end - c_start) as f64 / 1e6).abs() < 0.15,
        "file {} s",
        p.duration_s
    );
    assert_files_match_rows(&vigil);
}

#[test]
fn both_modes_keep_continuous_segments_and_event_clips() {
    let dir = tempfile::tempdir().expect("dir");
    let vigil = Vigil::new(dir.path());
    vigil.add_demo_camera(
        "lot",
        &[
            "--record",
            "both",
            "--segment-seconds",
            "4",
            "--pre-event",
            "2s",
            "--post-event",
            "1s",
            "--retain-days",
            "1",
            "--event-retain-days",
            "30",
        ],
    );
    vigil.mask_everything("lot");
    let child = vigil.spawn(&["run", "--for", "60s", "--api", "127.0.0.1:0"]);
    api_addr(dir.path());
    vigil.ok(&["trigger", "--camera", "lot", "--hold", "1s"]);
    let kinds = |k: &str| vigil.recordings().iter().filter(|r| r["kind"] == k).count();
    assert!(wait_until(Duration::from_secs(20), || kinds("event") == 1
        && kinds("continuous") >= 2));
    let out = terminate(child);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_files_match_rows(&vigil);
}
