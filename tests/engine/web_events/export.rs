//! Export downloads through the real server: streamed while made, probed with ffprobe,
//! the library unchanged and nothing left behind, refusals in words, abandoned downloads
//! ended, every export audited.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::harness::{
    audit_trail, door_event, error_of, json, now_us, prepared_run, sign_in, Session, WebRun,
};
use crate::common::{ffprobe, wait_until};

/// Every file in the data directory but the recordings, the database and the status the
/// recorder rewrites every few seconds (`status.json`, through a temporary file): (path, size).
fn other_files(dir: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, &mut out);
    out.retain(|p| {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        !p.starts_with(dir.join("recordings"))
            && !name.starts_with("vigil.db")
            && !name.contains("status.json")
    });
    out.sort();
    out
}

/// Downloads `path` to a file with curl: (status, headers, file).
fn download(run: &WebRun, s: &Session, path: &str, to: &Path) -> (u16, String) {
    let out = Command::new("curl")
        .args(["-sS", "--max-time", "60", "-D", "-", "-o"])
        .arg(to)
        .arg("--cacert")
        .arg(run.cert())
        .args(["-H", &s.cookie_header])
        .arg(format!("{}{path}", run.url))
        .output()
        .expect("curl");
    let head = String::from_utf8_lossy(&out.stdout).into_owned();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, head)
}

/// Downloads `range` as the default ZIP, unpacks it with Python's zipfile (which checks
/// every CRC), and verifies the video against its manifest with `vigil verify --key`, away
/// from any library.
fn sealed_download(run: &WebRun, op: &Session, range: &str, out: &Path, key: &Value) {
    let zip = out.join("sealed.zip");
    let (status, head) = download(run, op, range, &zip);
    assert_eq!(status, 200, "{head}\n{}", run.stderr());
    let lower = head.to_ascii_lowercase();
    assert!(lower.contains("content-type: application/zip"), "{head}");
    assert!(
        lower.contains("filename=\"cam-") && lower.contains(".zip\""),
        "{head}"
    );
    let unpacked = out.join("sealed");
    let py = Command::new("python3")
        .args(["-m", "zipfile", "-e"])
        .arg(&zip)
        .arg(&unpacked)
        .output()
        .expect("python3 is needed by this test (make test installs it)");
    assert!(
        py.status.success(),
        "{}",
        String::from_utf8_lossy(&py.stderr)
    );
    let mut names: Vec<String> = std::fs::read_dir(&unpacked)
        .expect("unpacked")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(
        names[0].starts_with("cam-") && names[0].ends_with(".mp4"),
        "{names:?}"
    );
    assert_eq!(names[1], format!("{}.manifest.json", names[0]));
    let video = unpacked.join(&names[0]);
    assert_eq!(ffprobe(video.to_str().expect("utf-8")).codec, "h264");
    let nowhere = crate::common::Vigil::new(&out.join("no-library"));
    let hex = key["public_key_hex"].as_str().expect("key");
    let checked = nowhere.run(&[
        "verify",
        video.to_str().expect("utf-8"),
        "--key",
        hex,
        "--json",
    ]);
    let verdict = json(&checked.stdout);
    assert_eq!(verdict["outcome"], "authentic", "{verdict}");
    assert_eq!(verdict["manifest"]["exported_by"], "olga");
    assert_eq!(verdict["manifest"]["camera"]["name"], "cam");
    assert_eq!(verdict["signed_by"], key["fingerprint"]);
}

#[test]
fn exports_stream_while_made_leave_nothing_behind_and_only_operators_get_them() {
    let run = prepared_run();
    let op = sign_in(&run, "olga", "operator");
    let viewer = sign_in(&run, "vic", "viewer");
    let admin = sign_in(&run, "ada", "admin");
    let door = door_event(&run, &op, "door");
    // 6 s of this run's continuous footage (2-s segments, a keyframe every 2 s).
    let (from, to) = (run.started_us + 2_000_000, run.started_us + 8_000_000);
    assert!(wait_until(Duration::from_secs(30), || {
        run.vigil.recordings().iter().any(|r| {
            r["kind"] == "continuous" && r["end_us"].as_i64().unwrap_or(0) > to + 1_000_000
        })
    }));
    let t0 = now_us();
    // The signing key (made by the first signed export otherwise) is no leftover.
    let key: Value = serde_json::from_str(&run.vigil.ok(&["key", "show", "--json"])).expect("key");
    let rows_before = run.vigil.recordings();
    let others_before = other_files(run.dir.path());

    let out = tempfile::tempdir().expect("out");
    let file = out.path().join("range.mp4");
    let range = format!("/api/export?camera=cam&from={from}&to={to}");
    let t = Instant::now();
    let (status, head) = download(&run, &op, &format!("{range}&format=mp4"), &file);
    eprintln!("6-s range exported in {:?}", t.elapsed());
    assert_eq!(status, 200, "{head}\n{}", run.stderr());
    let lower = head.to_ascii_lowercase();
    assert!(lower.contains("content-type: video/mp4"), "{head}");
    assert!(
        lower.contains("content-disposition: attachment; filename=\"cam-"),
        "{head}"
    );
    assert!(
        lower.contains("transfer-encoding: chunked"),
        "streamed: {head}"
    );
    let p = ffprobe(file.to_str().expect("utf-8"));
    eprintln!("range export: {} frames, {:.2} s", p.frames, p.duration_s);
    assert_eq!(p.codec, "h264", "not re-encoded");
    assert!(
        p.duration_s >= 5.8 && p.duration_s <= 8.2,
        "6 s asked, starting at the keyframe before: {:.2} s",
        p.duration_s
    );

    // By default, a ZIP of the same video and its signed manifest, which verifies.
    sealed_download(&run, &op, &range, out.path(), &key);

    // The library is as it was; nothing was left in the data directory.
    let rows_after = run.vigil.recordings();
    for r in &rows_before {
        assert!(rows_after.contains(r), "recording {r} unchanged");
    }
    assert_eq!(
        other_files(run.dir.path()),
        others_before,
        "nothing left behind"
    );

    // An event's export.
    let ev = out.path().join("event.mp4");
    let event = format!("/api/export?event={}&format=mp4", door["id"]);
    let (status, head) = download(&run, &op, &event, &ev);
    assert_eq!(status, 200, "{head}");
    let p = ffprobe(ev.to_str().expect("utf-8"));
    assert_eq!(p.codec, "h264");
    assert!(
        p.duration_s >= 0.9 && p.duration_s < 3.5,
        "1-s event: {:.2} s",
        p.duration_s
    );

    // Refusals in words, before any video.
    let (status, _, body) = run.curl_bytes(&range, &viewer.get());
    assert_eq!(status, 403, "viewers do not export");
    assert!(error_of(&body).contains("may not download exports"));
    assert_eq!(run.curl_bytes(&range, &admin.get()).0, 200);
    let empty = "/api/export?camera=cam&from=978307200000000&to=978307260000000";
    let (status, _, body) = run.curl_bytes(empty, &op.get());
    assert_eq!(status, 404);
    assert!(
        error_of(&body).contains("nothing was recorded"),
        "{}",
        error_of(&body)
    );
    for (query, status) in [
        ("camera=nope&from=1&to=2", 404),
        ("event=999999", 404),
        ("camera=cam&from=abc&to=2", 400),
        ("camera=cam&from=5&to=5", 400),
        ("camera=cam", 400),
        ("camera=cam&from=1&to=2&format=avi", 400),
    ] {
        let (got, head, body) = run.curl_bytes(&format!("/api/export?{query}"), &op.get());
        assert_eq!(got, status, "{query}: {head}");
        assert!(!error_of(&body).is_empty());
    }

    // What a download would hold, or its headers, without making (or auditing) it.
    let (status, head, _) = run.curl_bytes(&range, &["-I", "-H", &op.cookie_header]);
    assert_eq!(status, 200, "{head}");
    assert!(head
        .to_ascii_lowercase()
        .contains("content-disposition: attachment"));
    let (status, _, body) = run.curl_bytes(&format!("{range}&check=1"), &op.get());
    assert_eq!(status, 200);
    let check = json(&body);
    assert_eq!(check["camera"], "cam");
    assert!(
        check["recorded_us"].as_i64().unwrap_or(0) >= 5_000_000,
        "{check}"
    );
    assert!(check["file"]
        .as_str()
        .is_some_and(|f| f.starts_with("cam-")));

    // Clients that go away: more than the limit of simultaneous downloads abandoned in turn
    // (each ends: stopped, or finished into the connection's buffers), and a download still
    // works after them. (That the export itself stops is web::export's unit test: over
    // loopback the socket buffers take this short library whole.)
    let long = format!(
        "/api/export?camera=cam&from={}&to={}",
        t0 - 120_000_000,
        now_us()
    );
    for _ in 0..6 {
        let status = Command::new("curl")
            .args([
                "-sS",
                "--limit-rate",
                "4k",
                "--max-time",
                "1",
                "-o",
                "/dev/null",
            ])
            .arg("--cacert")
            .arg(run.cert())
            .args(["-H", &op.cookie_header])
            .arg(format!("{}{long}", run.url))
            .status()
            .expect("curl");
        assert!(!status.success(), "curl gave up before the end");
    }
    let ended = |log: &str| {
        log.matches("export download stopped").count() + log.matches("export downloaded").count()
    };
    assert!(
        wait_until(Duration::from_secs(10), || ended(&run.stderr()) >= 9),
        "each abandoned export ended:\n{}",
        run.stderr()
    );
    let again = out.path().join("again.mp4");
    assert_eq!(download(&run, &op, &range, &again).0, 200);
    assert_eq!(
        other_files(run.dir.path()),
        others_before,
        "nothing left behind"
    );

    let trail = audit_trail(&run);
    let exports: Vec<&Value> = trail.iter().filter(|e| e["action"] == "export").collect();
    eprintln!("audited exports: {}", exports.len());
    assert_eq!(
        exports.len(),
        11,
        "every download is audited, once: {exports:?}"
    );
    assert!(exports.iter().any(|e| e["user"] == "olga"
        && e["detail"]
            .as_str()
            .is_some_and(|d| d.starts_with(&format!("event {}", door["id"])))));
    assert!(exports.iter().any(|e| e["user"] == "ada"
        && e["detail"]
            .as_str()
            .is_some_and(|d| d.starts_with("camera cam from "))));
    run.finish();
}
