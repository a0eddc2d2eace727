//! Every gap says why: a real RTSP camera that drops and comes back, Vigil stopped and
//! started again, and a retention sweep, all seen through `vigil recordings --gaps`.

use crate::common;

use std::time::Duration;

use common::{terminate, wait_until, RtspServer, Vigil};

fn now_us() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_micros() as i64)
        .unwrap_or(0)
}

fn rfc3339(us: i64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(us) * 1000).expect("time");
    t.format(&time::format_description::well_known::Rfc3339)
        .expect("format")
}

fn segments_after(vigil: &Vigil, us: i64) -> usize {
    vigil
        .recordings()
        .iter()
        .filter(|r| r["start_us"].as_i64().unwrap_or(0) > us)
        .count()
}

fn gaps(vigil: &Vigil, from_us: i64) -> Vec<serde_json::Value> {
    let text = vigil.ok(&[
        "recordings",
        "--gaps",
        "--camera",
        "cam",
        "--from",
        &rfc3339(from_us),
        "--json",
    ]);
    serde_json::from_str(&text).expect("recordings --gaps --json is a JSON array")
}

/// The gaps of `cause` overlapping `[a, b)` by at least `min_us`.
fn overlapping<'a>(
    gaps: &'a [serde_json::Value],
    cause: &str,
    (a, b): (i64, i64),
    min_us: i64,
) -> Vec<&'a serde_json::Value> {
    gaps.iter()
        .filter(|g| g["cause"] == cause)
        .filter(|g| {
            let (s, e) = (
                g["start_us"].as_i64().unwrap_or(0),
                g["end_us"].as_i64().unwrap_or(0),
            );
            e.min(b) - s.max(a) >= min_us
        })
        .collect()
}

#[test]
fn offline_not_running_and_retention_gaps_say_why() {
    let mut server = RtspServer::start(&[]);
    let dir = tempfile::tempdir().expect("temp dir");
    let vigil = Vigil::new(dir.path());
    // Retention keeps 5 s: the next start's sweep deletes the first run's recordings.
    vigil.ok(&[
        "camera",
        "add",
        "--name",
        "cam",
        "--url",
        &server.url("h264"),
        "--segment-seconds",
        "2",
        "--retain-days",
        "0.0000579",
    ]);
    let t0 = now_us();
    let child = vigil.spawn(&["run", "--for", "90s"]);
    assert!(
        wait_until(Duration::from_secs(20), || segments_after(&vigil, 0) >= 2),
        "two segments before the outage"
    );
    server.stop();
    let down_us = now_us();
    // A deliberate 4 s outage.
    std::thread::sleep(Duration::from_secs(4));
    server.restart();
    let up_us = now_us();
    assert!(
        wait_until(Duration::from_secs(30), || segments_after(&vigil, up_us)
            >= 1),
        "recording resumed after the camera came back"
    );
    let out = terminate(child);
    let stopped_us = now_us();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // While Vigil is down (a deliberate 3 s), then a second run whose start sweeps.
    std::thread::sleep(Duration::from_secs(3));
    let started_us = now_us();
    let out = vigil.run(&["run", "--for", "6s"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let all = gaps(&vigil, t0);
    // The outage is offline (one gap per error the camera gave: "refused", "no video"…).
    let offline = overlapping(&all, "offline", (down_us, up_us), 1);
    let covered: i64 = offline
        .iter()
        .map(|g| {
            let (s, e) = (
                g["start_us"].as_i64().unwrap_or(0),
                g["end_us"].as_i64().unwrap_or(0),
            );
            e.min(up_us) - s.max(down_us)
        })
        .sum();
    assert!(
        covered >= 3_500_000,
        "offline over the 4 s outage: {all:#?}"
    );
    for g in &offline {
        let reason = g["reason"].as_str().unwrap_or("");
        assert!(reason.starts_with("camera offline: "), "{reason}");
        assert!(
            g["detail"].as_str().is_some_and(|d| d.len() > 10),
            "the error sentence: {g:?}"
        );
    }
    let away = overlapping(&all, "not-running", (stopped_us, started_us), 2_500_000);
    assert_eq!(
        away.len(),
        1,
        "one not-running gap between the runs: {all:#?}"
    );
    let reason = away[0]["reason"].as_str().unwrap_or("");
    assert!(
        reason.starts_with("Vigil was not running (stopped at "),
        "{reason}"
    );
    let deleted = overlapping(&all, "deleted", (t0, down_us), 1_500_000);
    assert!(
        !deleted.is_empty(),
        "the first run's recordings were deleted: {all:#?}"
    );
    assert!(
        deleted.iter().all(|g| g["reason"].as_str().is_some_and(
            |r| r.starts_with("deleted by retention (older than the camera keeps) at ")
        )),
        "{deleted:#?}"
    );
    assert!(
        all.iter().all(|g| g["cause"] != "unknown"),
        "every gap is explained: {all:#?}"
    );

    // The same in words, for people.
    let text = vigil.ok(&[
        "recordings",
        "--gaps",
        "--camera",
        "cam",
        "--from",
        &rfc3339(t0),
    ]);
    assert!(text.contains("camera offline: "), "{text}");
    assert!(
        text.contains("Vigil was not running (stopped at "),
        "{text}"
    );
    let refused = vigil.run(&["recordings", "--gaps"]);
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("--gaps needs --camera"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
}

fn gaps_of(vigil: &Vigil, camera: &str, from_us: i64) -> Vec<serde_json::Value> {
    let text = vigil.ok(&[
        "recordings",
        "--gaps",
        "--camera",
        camera,
        "--from",
        &rfc3339(from_us),
        "--json",
    ]);
    serde_json::from_str(&text).expect("recordings --gaps --json is a JSON array")
}

#[test]
fn paused_and_events_only_gaps_say_so() {
    let dir = tempfile::tempdir().expect("temp dir");
    let vigil = Vigil::new(dir.path());
    vigil.add_demo_camera("cam", &["--segment-seconds", "2"]);
    // Events only, with nothing that makes an event: never recorded, by design.
    vigil.add_demo_camera("ev", &["--record", "events"]);
    vigil.mask_everything("ev");
    let t0 = now_us();
    let child = vigil.spawn(&["run", "--for", "60s"]);
    assert!(
        wait_until(Duration::from_secs(20), || segments_after(&vigil, 0) >= 2),
        "two segments before the pause"
    );
    let mut lib = vigil_core::library::Library::open(dir.path()).expect("library");
    let cam = lib.resolve_camera("cam").expect("cam").id;
    lib.set_recording_paused(cam, true).expect("pause");
    let paused_us = now_us();
    // A deliberate 5 s pause (the recorder picks it up within its 2-s reload).
    std::thread::sleep(Duration::from_secs(5));
    lib.set_recording_paused(cam, false).expect("resume");
    let resumed_us = now_us();
    assert!(
        wait_until(Duration::from_secs(30), || segments_after(
            &vigil, resumed_us
        ) >= 1),
        "recording resumed"
    );
    let out = terminate(child);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let all = gaps_of(&vigil, "cam", t0);
    let paused = overlapping(&all, "paused", (paused_us, resumed_us), 2_000_000);
    assert_eq!(paused.len(), 1, "the pause: {all:#?}");
    assert_eq!(paused[0]["reason"], "recording paused");
    let ev = gaps_of(&vigil, "ev", t0);
    assert!(!ev.is_empty(), "the events-only camera has its gap");
    assert!(
        ev.iter()
            .all(|g| g["cause"] == "events-only" || g["cause"] == "not-running"),
        "{ev:#?}"
    );
    let by_design = overlapping(&ev, "events-only", (paused_us, resumed_us), 4_000_000);
    assert_eq!(by_design.len(), 1, "{ev:#?}");
    assert_eq!(
        by_design[0]["reason"],
        "records events only: nothing between events"
    );
}
