//! What the events tests stand on: the real `vigil run --web` over a prepared library
//! (a motion event with a thumbnail, then triggers only), users signed in with curl, and
//! small readers of the API's answers.

use std::time::Duration;

use serde_json::Value;

pub use crate::common::web::{now_us, Session, WebRun};
use crate::common::{wait_until, Vigil};

/// Every test user's password.
pub const PASSWORD: &str = "a long pass phrase 7";

/// Makes the account `name` with `role` and [`PASSWORD`] and signs it in with curl.
pub fn sign_in(run: &WebRun, name: &str, role: &str) -> Session {
    run.add_user(name, role, PASSWORD);
    run.sign_in(name, PASSWORD)
}

/// The demo camera "cam" recording 2-s segments and event clips. A first short run makes a
/// motion event (with a thumbnail, in zone "lot"); then the whole picture is masked so the
/// viewer's run has only the triggers the test fires.
pub fn prepared_run() -> WebRun {
    let dir = tempfile::tempdir().expect("dir");
    let vigil = Vigil::new(dir.path());
    vigil.add_demo_camera(
        "cam",
        &[
            "--record",
            "both",
            "--segment-seconds",
            "2",
            "--pre-event",
            "1s",
            "--post-event",
            "1s",
        ],
    );
    let zone = |name: &str, mask: bool| {
        let mut args = vec!["zone", "add", "--camera", "cam", "--name", name];
        if mask {
            args.push("--mask");
        }
        args.extend(["--polygon", "0,0 1,0 1,1 0,1"]);
        vigil.ok(&args);
    };
    zone("lot", false);
    vigil.ok(&["run", "--for", "5s"]);
    zone("all", true);
    let run = WebRun::start_in(
        dir,
        &[
            "--for",
            "180s",
            "--web",
            "127.0.0.1:0",
            "--api",
            "127.0.0.1:0",
        ],
    );
    let api = run.dir.path().join("api.addr");
    assert!(
        wait_until(Duration::from_secs(15), || api.exists()),
        "the trigger API came up"
    );
    run
}

pub fn json(body: &[u8]) -> Value {
    serde_json::from_slice(body)
        .unwrap_or_else(|_| panic!("not JSON: {}", String::from_utf8_lossy(body)))
}

pub fn events(run: &WebRun, s: &Session, query: &str) -> Vec<Value> {
    let (status, head, body) = run.curl_bytes(&format!("/api/events{query}"), &s.get());
    assert_eq!(status, 200, "{query}: {head}");
    json(&body)["events"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

pub fn error_of(body: &[u8]) -> String {
    json(body)["error"].as_str().unwrap_or_default().to_string()
}

/// Fires a trigger on "cam" and waits until its event has ended and its clip is indexed.
pub fn door_event(run: &WebRun, s: &Session, label: &str) -> Value {
    run.vigil.ok(&[
        "trigger", "--camera", "cam", "--label", label, "--hold", "1s",
    ]);
    let mut found = None;
    let clip_done = wait_until(Duration::from_secs(30), || {
        let evs = events(run, s, &format!("?label={label}"));
        found = evs.into_iter().find(|e| !e["end_us"].is_null());
        let Some(e) = &found else { return false };
        run.vigil
            .recordings()
            .iter()
            .any(|r| r["kind"] == "event" && r["event_id"] == e["id"])
    });
    assert!(
        clip_done,
        "the {label} event ended and its clip was indexed"
    );
    found.expect("the event")
}

/// The audit trail as the library holds it, newest first: `{user, action, detail, address}`
/// (read from the library: the admins' page and its API are the security area's).
pub fn audit_trail(run: &WebRun) -> Vec<Value> {
    let lib = vigil_core::library::Library::open(run.dir.path()).expect("library");
    let rows = lib.audit_entries(1000).expect("the audit trail");
    rows.iter()
        .map(|a| {
            serde_json::json!({
                "user": a.user_name,
                "action": a.action,
                "detail": a.detail,
                "address": a.address,
            })
        })
        .collect()
}
