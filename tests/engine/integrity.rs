//! `vigil check --integrity` on recordings made by `vigil run` from the RTSP simulator: an
//! untouched library is intact, also checked while the recorder runs; a retention deletion
//! is listed, not a problem; a byte flipped, a file removed, a row edited, a row deleted and a
//! chain entry edited are each named in a sentence with their recording.

use std::time::Duration;

use crate::common;

use common::{wait_until, RtspServer, Vigil};

/// Segments of `camera`, oldest first: (absolute path, end µs).
fn segments(vigil: &Vigil, camera: &str) -> Vec<(String, i64)> {
    let mut out: Vec<(String, i64)> = vigil
        .recordings()
        .iter()
        .filter(|r| r["camera"] == camera)
        .map(|r| {
            let path = r["path"].as_str().expect("path").to_string();
            (path, r["end_us"].as_i64().expect("end"))
        })
        .collect();
    out.sort_by_key(|(_, end)| *end);
    out
}

fn now_us() -> i64 {
    vigil_core::model::time::now_us()
}

fn check(vigil: &Vigil, extra: &[&str]) -> (Option<i32>, String, String) {
    let mut args = vec!["check", "--integrity"];
    args.extend_from_slice(extra);
    let out = vigil.run(&args);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The output's one line naming `path`, which must say `what`.
fn line_naming<'a>(stdout: &'a str, path: &str, what: &str) -> &'a str {
    let lines: Vec<&str> = stdout.lines().filter(|l| l.contains(path)).collect();
    assert!(
        lines.iter().any(|l| l.contains(what)),
        "no line names {path} with '{what}':\n{stdout}"
    );
    lines.iter().find(|l| l.contains(what)).expect("line")
}

#[test]
fn integrity_check_finds_every_alteration_and_accepts_retention() {
    let server = RtspServer::start(&["--gop", "25"]);
    let dir = tempfile::tempdir().expect("temp dir");
    let vigil = Vigil::new(dir.path());
    let url = server.url("h264");
    vigil.ok(&[
        "camera",
        "add",
        "--name",
        "front",
        "--url",
        &url,
        "--segment-seconds",
        "2",
    ]);
    // Keeps about 4.3 s: the next run's first sweep deletes what this one recorded.
    vigil.ok(&[
        "camera",
        "add",
        "--name",
        "yard",
        "--url",
        &url,
        "--segment-seconds",
        "2",
        "--retain-days",
        "0.00005",
    ]);
    vigil.ok(&["run", "--for", "13s"]);
    let front = segments(&vigil, "front");
    let yard = segments(&vigil, "yard");
    assert!(front.len() >= 5, "front recorded {} segments", front.len());
    assert!(!yard.is_empty(), "yard recorded nothing");
    let (code, out, err) = check(&vigil, &[]);
    assert_eq!(
        code,
        Some(0),
        "an untouched library is intact:\n{out}\n{err}"
    );
    assert!(out.contains(", 0 problems"), "{out}");

    // Once yard's recordings are older than it keeps, a running recorder's first sweep
    // deletes them; the check, run beside it (no lock), finds nothing wrong meanwhile.
    let last_yard = yard.iter().map(|(_, end)| *end).max().expect("yard");
    assert!(wait_until(Duration::from_secs(20), || now_us() > last_yard + 5_000_000));
    let running = vigil.spawn(&["run", "--for", "8s"]);
    let before = front.len();
    assert!(
        wait_until(Duration::from_secs(20), || segments(&vigil, "front").len()
            > before + 1),
        "the second run records"
    );
    for _ in 0..2 {
        let (code, out, err) = check(&vigil, &["--json"]);
        assert_eq!(code, Some(0), "intact while recording:\n{out}\n{err}");
    }
    let out = running.wait_with_output().expect("second run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let (code, out, err) = check(&vigil, &[]);
    assert_eq!(
        code,
        Some(0),
        "a retention deletion is not a problem:\n{out}\n{err}"
    );
    line_naming(
        &out,
        &yard[0].0,
        "was deleted by retention (older than the camera keeps)",
    );
    let heads = out
        .lines()
        .filter(|l| l.contains("chain of") && l.contains("head entry"))
        .count();
    assert_eq!(heads, 2, "each camera's head link is printed:\n{out}");

    // Now alter front's first five recordings, one way each.
    let front = segments(&vigil, "front");
    let p: Vec<&str> = front.iter().take(5).map(|(p, _)| p.as_str()).collect();
    let mut bytes = std::fs::read(p[0]).expect("read");
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x01;
    std::fs::write(p[0], &bytes).expect("flip a byte");
    std::fs::remove_file(p[1]).expect("remove a file");
    let db = rusqlite::Connection::open(dir.path().join("vigil.db")).expect("db");
    let rel = |abs: &str| {
        let root = dir.path().canonicalize().expect("root");
        abs.strip_prefix(&format!("{}/", root.display()))
            .expect("under the data dir")
            .to_string()
    };
    let edited = db
        .execute(
            "UPDATE segments SET end_us = end_us + 1000000 WHERE path = ?1",
            [rel(p[2])],
        )
        .expect("edit a row");
    let deleted = db
        .execute("DELETE FROM segments WHERE path = ?1", [rel(p[3])])
        .expect("delete a row");
    let entry = db
        .execute(
            "UPDATE integrity_chain SET bytes = bytes + 1 WHERE path = ?1",
            [rel(p[4])],
        )
        .expect("edit an entry");
    assert_eq!((edited, deleted, entry), (1, 1, 1));
    drop(db);

    let (code, out, err) = check(&vigil, &[]);
    assert_eq!(code, Some(1), "alterations are problems:\n{out}\n{err}");
    line_naming(&out, p[0], "its content no longer matches the SHA-256");
    line_naming(&out, p[1], "is missing");
    line_naming(&out, p[2], "has an edited row: its end is");
    line_naming(
        &out,
        p[3],
        "was removed from the library without a deletion entry",
    );
    line_naming(&out, p[4], "the integrity chain is broken at entry");
    for l in out.lines().filter(|l| p.iter().any(|x| l.contains(x))) {
        assert!(
            l.starts_with("front: "),
            "each sentence names the camera: {l}"
        );
    }
    line_naming(&out, &yard[0].0, "deleted by retention");

    let (code, json, _) = check(&vigil, &["--json"]);
    assert_eq!(code, Some(1));
    let report: serde_json::Value = serde_json::from_str(&json).expect("json");
    let kinds: Vec<&str> = report["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .map(|p| p["kind"].as_str().expect("kind"))
        .collect();
    for k in [
        "content-changed",
        "file-missing",
        "row-edited",
        "row-removed",
        "chain-broken",
    ] {
        assert!(kinds.contains(&k), "{k} in {kinds:?}");
    }
    let heads = report["cameras"].as_array().expect("cameras");
    assert!(heads
        .iter()
        .all(|c| c["head_link"].as_str().is_some_and(|l| l.len() == 64)));

    // Usage errors: exit 2.
    assert_eq!(check(&vigil, &["--camera", "nosuch"]).0, Some(2));
    let late = check(
        &vigil,
        &[
            "--from",
            "2026-01-02T00:00:00Z",
            "--to",
            "2026-01-01T00:00:00Z",
        ],
    );
    assert_eq!(late.0, Some(2));
    // Scoped to yard, whose recordings were not altered: intact.
    assert_eq!(check(&vigil, &["--camera", "yard"]).0, Some(0));
}

#[test]
fn a_recording_recovered_after_kill_9_is_hashed_and_chained() {
    let server = RtspServer::start(&[]);
    let dir = tempfile::tempdir().expect("temp dir");
    let vigil = Vigil::new(dir.path());
    // A long segment, so the kill lands in the middle of it.
    let url = server.url("h264");
    vigil.ok(&[
        "camera",
        "add",
        "--name",
        "cam",
        "--url",
        &url,
        "--segment-seconds",
        "60",
    ]);
    let mut child = vigil.spawn(&["run"]);
    let root = dir.path().canonicalize().expect("dir");
    let size = || {
        common::mp4_files(&root)
            .first()
            .and_then(|f| std::fs::metadata(f).ok())
            .map_or(0, |m| m.len())
    };
    assert!(
        wait_until(Duration::from_secs(30), || size() > 100_000),
        "a segment is being written"
    );
    child.kill().expect("kill -9");
    let _ = child.wait();
    assert!(
        vigil.recordings().is_empty(),
        "nothing indexed before the crash"
    );
    // Recovery (what start-up does) indexes the journaled file, hashing what it indexes.
    vigil.ok(&["check"]);
    assert_eq!(
        vigil.recordings().len(),
        1,
        "the crashed segment was indexed"
    );
    let (code, json, err) = check(&vigil, &["--json"]);
    assert_eq!(code, Some(0), "{json}\n{err}");
    let report: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(report["checked"], 1);
    assert_eq!(report["cameras"][0]["entries"], 1);
}

#[test]
fn kill_9_at_any_moment_leaves_rows_and_chain_agreeing() {
    let server = RtspServer::start(&["--gop", "25"]);
    let dir = tempfile::tempdir().expect("temp dir");
    let vigil = Vigil::new(dir.path());
    let url = server.url("h264");
    vigil.ok(&[
        "camera",
        "add",
        "--name",
        "cam",
        "--url",
        &url,
        "--segment-seconds",
        "2",
    ]);
    // Kills land at varied points around segment finishes (hash, row, chain entry).
    for (cycle, extra_ms) in [0u64, 350, 700, 1050, 1400].into_iter().enumerate() {
        let before = vigil.recordings().len();
        let mut child = vigil.spawn(&["run"]);
        assert!(
            wait_until(Duration::from_secs(30), || vigil.recordings().len()
                > before),
            "cycle {cycle}: a segment is indexed"
        );
        std::thread::sleep(Duration::from_millis(extra_ms));
        child.kill().expect("kill -9");
        let _ = child.wait();
    }
    vigil.ok(&["check"]);
    let (code, json, err) = check(&vigil, &["--json"]);
    assert_eq!(code, Some(0), "{json}\n{err}");
    let report: serde_json::Value = serde_json::from_str(&json).expect("json");
    let rows = vigil.recordings().len() as u64;
    assert!(rows >= 5, "{rows} recordings");
    assert_eq!(
        report["checked"].as_u64(),
        Some(rows),
        "every recording is in the chain"
    );
}
