//! Admins manage cameras and users from the web viewer, through the real `vigil run --web`
//! recording the demo camera, a real RTSP simulator asking for a password, and real headless
//! Chromium: viewers and operators are refused every admin route (403) and pages without the
//! CSRF token too; a camera added on the simulator records, is edited, switched off and on,
//! renamed and removed (refused with recordings until asked to delete them) and no answer or
//! log line holds its password; the connection test says what the stream is or why it fails;
//! users are added, given another role, a new password (their session ends) and removed
//! (sessions and tokens end), never the last admin; every change is in the audit trail. And
//! in the browser the admin adds a camera through the form and sees its tile in the live grid,
//! while a viewer has no admin link.

use std::time::Duration;

use vigil_bench::browser::{LaunchOptions, Page};

use crate::common::browser::{seen, signed_in_chromium, submit_login};
use crate::common::web::{body_of, json_body, Session, WebRun};
use crate::common::{free_port, wait_until, RtspServer};

const PASSWORD: &str = "s3cretPW";
const WAIT: Duration = Duration::from_secs(60);

mod browser;
mod users;

fn admin(run: &WebRun) -> Session {
    run.add_user("root", "admin", "admin pass 1");
    run.sign_in("root", "admin pass 1")
}

/// A change as a signed-in page: (status, body).
fn send(run: &WebRun, s: &Session, method: &str, path: &str, json: Option<&str>) -> (u16, String) {
    let (status, text) = run.curl(path, &s.change(method, json));
    (status, body_of(&text).to_string())
}

fn get(run: &WebRun, s: &Session, path: &str) -> serde_json::Value {
    let (status, text) = run.curl(path, &s.get());
    assert_eq!(status, 200, "{path}: {text}");
    json_body(&text)
}

fn admin_camera(run: &WebRun, s: &Session, name: &str) -> Option<serde_json::Value> {
    let list = get(run, s, "/api/admin/cameras");
    list["cameras"]
        .as_array()
        .expect("cameras")
        .iter()
        .find(|c| c["name"] == name)
        .cloned()
}

fn segments_of(run: &WebRun, camera: &str) -> usize {
    run.vigil
        .recordings()
        .iter()
        .filter(|r| r["camera"] == camera)
        .count()
}

fn audit_actions(run: &WebRun, s: &Session) -> Vec<(String, String, String)> {
    let (status, text) = run.curl("/api/audit?limit=200", &s.get());
    assert_eq!(status, 200, "{text}");
    assert!(
        !text.contains(PASSWORD),
        "the audit trail holds no password"
    );
    json_body(&text)["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap_or_default().to_string();
            (s("action"), s("user_name"), s("detail"))
        })
        .collect()
}

/// Every admin route with a body that would change something.
const ADMIN_ROUTES: &[(&str, &str, Option<&str>)] = &[
    ("GET", "/api/users", None),
    (
        "POST",
        "/api/users",
        Some(r#"{"name":"eve","role":"admin","password":"eve pass 12"}"#),
    ),
    ("PATCH", "/api/users/root", Some(r#"{"role":"viewer"}"#)),
    (
        "PUT",
        "/api/users/root/password",
        Some(r#"{"password":"taken over 1"}"#),
    ),
    ("DELETE", "/api/users/root", None),
    ("GET", "/api/admin/cameras", None),
    (
        "POST",
        "/api/cameras",
        Some(r#"{"name":"evil","url":"demo://"}"#),
    ),
    ("PATCH", "/api/cameras/cam", Some(r#"{"enabled":false}"#)),
    ("DELETE", "/api/cameras/cam?delete_recordings=true", None),
    (
        "POST",
        "/api/admin/cameras/test",
        Some(r#"{"url":"demo://"}"#),
    ),
];

#[test]
fn viewers_operators_and_pages_without_the_csrf_token_are_refused_every_admin_route() {
    let run = WebRun::start(&["--web", "127.0.0.1:0"]);
    let root = admin(&run);
    run.add_user("op", "operator", "operator pass 1");
    run.add_user("ann", "viewer", "viewer pass 1");
    for (who, password) in [("op", "operator pass 1"), ("ann", "viewer pass 1")] {
        let s = run.sign_in(who, password);
        for (method, path, json) in ADMIN_ROUTES {
            let (status, body) = send(&run, &s, method, path, *json);
            assert_eq!(status, 403, "{who} {method} {path}: {body}");
            assert!(
                body.contains("which may not"),
                "{who} {method} {path}: {body}"
            );
        }
    }
    // The admin's own page without the CSRF header: every change refused.
    for (method, path, json) in ADMIN_ROUTES.iter().filter(|r| r.0 != "GET") {
        let mut args = root.get();
        args.extend(["-X", method]);
        if let Some(j) = json {
            args.extend(["-H", "Content-Type: application/json", "--data", j]);
        }
        let (status, text) = run.curl(path, &args);
        assert_eq!(status, 403, "{method} {path} without CSRF: {text}");
        assert!(text.contains("CSRF"), "{text}");
    }
    // Nothing changed.
    let cam = admin_camera(&run, &root, "cam").expect("the demo camera is still there");
    assert_eq!(cam["enabled"], true);
    let users = get(&run, &root, "/api/users");
    let names: Vec<&str> = users["users"]
        .as_array()
        .expect("users")
        .iter()
        .filter_map(|u| u["name"].as_str())
        .collect();
    assert_eq!(names, ["ann", "op", "root"]);
    assert_eq!(users["users"][2]["role"], "admin");
    run.finish();
}

#[test]
fn an_admin_adds_a_camera_on_the_simulator_edits_switches_renames_and_removes_it() {
    let server = RtspServer::start(&["--user", "admin", "--password", PASSWORD]);
    let run = WebRun::start(&["--web", "127.0.0.1:0"]);
    let s = admin(&run);
    let mut answers = String::new();

    // The connection test: the simulator's stream, then a port nobody listens on.
    let url = server.url("h264");
    let test =
        format!(r#"{{"url":"{url}","user":"admin","password":"{PASSWORD}","transport":"tcp"}}"#);
    let (status, body) = send(&run, &s, "POST", "/api/admin/cameras/test", Some(&test));
    assert_eq!(status, 200, "{body}");
    let found: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(found["ok"], true, "{body}");
    assert_eq!(found["codec"], "h264", "{body}");
    assert!(found["width"].as_u64().unwrap_or(0) > 0, "{body}");
    answers += &body;
    let wrong = format!(
        r#"{{"url":"rtsp://127.0.0.1:{}/h264","user":"admin","password":"{PASSWORD}"}}"#,
        free_port()
    );
    let (status, body) = send(&run, &s, "POST", "/api/admin/cameras/test", Some(&wrong));
    assert_eq!(status, 200, "{body}");
    let failed: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(failed["ok"], false, "{body}");
    assert!(
        failed["summary"]
            .as_str()
            .is_some_and(|s| s.to_lowercase().contains("refused")),
        "{body}"
    );
    answers += &body;
    let (status, body) = send(
        &run,
        &s,
        "POST",
        "/api/admin/cameras/test",
        Some(r#"{"url":"ftp://x/"}"#),
    );
    assert_eq!(status, 400, "a URL Vigil cannot open: {body}");

    // Added with the user and password in their own fields: it records.
    let add = format!(
        r#"{{"name":"door","url":"{url}","user":"admin","password":"{PASSWORD}","transport":"tcp"}}"#
    );
    let (status, body) = send(&run, &s, "POST", "/api/cameras", Some(&add));
    assert_eq!(status, 201, "{body}");
    assert!(
        body.contains(r#""url":"rtsp://admin:***@127.0.0.1"#),
        "{body}"
    );
    assert!(body.contains(r#""has_password":true"#), "{body}");
    answers += &body;
    let (status, body) = send(&run, &s, "POST", "/api/cameras", Some(&add));
    assert_eq!(status, 409, "{body}");
    assert!(body.contains("already exists"), "{body}");
    let (status, body) = send(
        &run,
        &s,
        "POST",
        "/api/cameras",
        Some(r#"{"name":"door\u001b[31m","url":"demo://"}"#),
    );
    assert_eq!(status, 400, "the name's own rule: {body}");
    wait_recording(&run, &s, "door");

    // Its URL edited without a password: the stored one is kept, the camera restarts and
    // its first segment is indexed.
    let edit = format!(
        r#"{{"url":"{}","detect_url":"{}","password":""}}"#,
        server.url("static"),
        server.url("h264")
    );
    let (status, body) = send(&run, &s, "PATCH", "/api/cameras/door", Some(&edit));
    assert_eq!(status, 200, "{body}");
    let port = server.port;
    for want in [
        format!(r#""url":"rtsp://admin:***@127.0.0.1:{port}/static""#),
        format!(r#""detect_url":"rtsp://admin:***@127.0.0.1:{port}/h264""#),
        format!(r#""form_url":"rtsp://127.0.0.1:{port}/static""#),
    ] {
        assert!(body.contains(&want), "{want} in {body}");
    }
    answers += &body;
    assert!(
        wait_until(WAIT, || segments_of(&run, "door") > 0),
        "a segment row of the added camera"
    );
    wait_recording(&run, &s, "door");

    // Switched off and on.
    let (status, body) = send(
        &run,
        &s,
        "PATCH",
        "/api/cameras/door",
        Some(r#"{"enabled":false}"#),
    );
    assert_eq!(status, 200, "{body}");
    assert!(
        wait_until(WAIT, || admin_camera(&run, &s, "door")
            .is_some_and(|c| c["state"] == "disabled")),
        "the engine stopped the disabled camera"
    );
    let (status, body) = send(
        &run,
        &s,
        "PATCH",
        "/api/cameras/door",
        Some(r#"{"enabled":true}"#),
    );
    assert_eq!(status, 200, "{body}");
    wait_recording(&run, &s, "door");

    // Renamed: its recordings go with it.
    let (status, body) = send(
        &run,
        &s,
        "PATCH",
        "/api/cameras/door",
        Some(r#"{"name":"porch"}"#),
    );
    assert_eq!(status, 200, "{body}");
    wait_recording(&run, &s, "porch");
    assert!(admin_camera(&run, &s, "door").is_none());
    let porch = admin_camera(&run, &s, "porch").expect("renamed");
    assert!(porch["recordings"].as_u64().unwrap_or(0) > 0, "{porch}");
    answers += &porch.to_string();

    // Removal: refused with recordings, then with them.
    let (status, body) = send(&run, &s, "DELETE", "/api/cameras/porch", None);
    assert_eq!(status, 409, "{body}");
    assert!(body.contains("also delete its recordings"), "{body}");
    assert!(admin_camera(&run, &s, "porch").is_some_and(|c| c["enabled"] == true));
    let (status, body) = send(
        &run,
        &s,
        "DELETE",
        "/api/cameras/porch?delete_recordings=true",
        None,
    );
    assert_eq!(status, 204, "{body}");
    assert!(admin_camera(&run, &s, "porch").is_none());
    assert_eq!(segments_of(&run, "porch"), 0, "its recordings went with it");

    // A camera without recordings (added switched off) is removed as it is.
    let (status, body) = send(
        &run,
        &s,
        "POST",
        "/api/cameras",
        Some(r#"{"name":"spare","url":"demo://","enabled":false}"#),
    );
    assert_eq!(status, 201, "{body}");
    let (status, body) = send(&run, &s, "DELETE", "/api/cameras/spare", None);
    assert_eq!(status, 204, "{body}");
    let (status, _) = send(&run, &s, "DELETE", "/api/cameras/spare", None);
    assert_eq!(status, 404);

    let lines = audit_actions(&run, &s);
    for action in [
        "camera.add",
        "camera.edit",
        "camera.disable",
        "camera.enable",
        "camera.rename",
        "camera.remove",
    ] {
        assert!(
            lines.iter().any(|(a, who, _)| a == action && who == "root"),
            "{action} audited as root: {lines:?}"
        );
    }
    assert!(
        lines
            .iter()
            .any(|(a, _, d)| a == "camera.rename" && d == "door → porch"),
        "{lines:?}"
    );
    assert!(
        !answers.contains(PASSWORD),
        "no answer holds the password: {answers}"
    );
    assert!(
        !run.stderr().contains(PASSWORD),
        "no log line holds the password"
    );
    assert!(!run.stdout().contains(PASSWORD));
    run.finish();
}

/// Waits until the admin list says camera `name` records.
fn wait_recording(run: &WebRun, s: &Session, name: &str) {
    let mut last = None;
    let recording = wait_until(WAIT, || {
        last = admin_camera(run, s, name);
        last.as_ref().is_some_and(|c| c["recording"] == true)
    });
    assert!(recording, "{name} records: {last:?}");
}
