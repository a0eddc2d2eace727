//! A camera's recording policy and motion zones changed over the web API of the real
//! `vigil run --web`: viewers and operators refused (403), a session without the CSRF
//! header refused, bad input refused with the model's sentence (400), unknown cameras and
//! zones 404; the policy read back and the running camera following it (its mode, its
//! analyzer); zones added, edited and removed, each audited; a detect zone added while the
//! camera runs (over the RTSP simulator's `/motion` scene) names the motion event it sees;
//! and the settings page in Chromium (browser.rs).

use std::time::Duration;

use serde_json::{json, Value};

use crate::common::web::{body_of, Session, WebRun};
use crate::common::{wait_until, RtspServer, Vigil};

mod browser;

pub(crate) const PASSWORD: &str = "settings are for admins";
const WAIT: Duration = Duration::from_secs(30);
/// Plain HTTP on loopback (TLS is tested in `web`; these routes are the same over both).
pub(crate) const WEB: &[&str] = &[
    "--for",
    "150s",
    "--web",
    "127.0.0.1:0",
    "--web-insecure-http",
];

/// A request as `who` (with the CSRF header on changes): (status, JSON body).
fn call(
    run: &WebRun,
    who: &Session,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let text = body.map(|b| b.to_string());
    let args = if method == "GET" {
        who.get()
    } else {
        who.change(method, text.as_deref())
    };
    let (status, answer) = run.curl(path, &args);
    let json = serde_json::from_str(body_of(&answer)).unwrap_or(Value::Null);
    (status, json)
}

/// The refusal's sentence.
fn error(answer: &Value) -> &str {
    answer["error"].as_str().unwrap_or("")
}

/// Makes the account and signs in.
fn sign_in(run: &WebRun, name: &str, role: &str) -> Session {
    run.add_user(name, role, PASSWORD);
    run.sign_in(name, PASSWORD)
}

/// `camera`'s entry in `/api/cameras`.
fn camera_status(run: &WebRun, who: &Session, camera: &str) -> Value {
    let (status, all) = call(run, who, "GET", "/api/cameras", None);
    assert_eq!(status, 200, "{all}");
    all["cameras"]
        .as_array()
        .and_then(|cams| cams.iter().find(|c| c["name"] == camera).cloned())
        .unwrap_or(Value::Null)
}

/// Waits until `camera`'s status satisfies `ok`; answers it.
fn wait_status(run: &WebRun, who: &Session, camera: &str, ok: impl Fn(&Value) -> bool) -> Value {
    let mut seen = Value::Null;
    let done = wait_until(WAIT, || {
        seen = camera_status(run, who, camera);
        ok(&seen)
    });
    assert!(done, "{camera}'s status did not follow: {seen}");
    seen
}

/// The newest audit line of `action`.
fn audited(run: &WebRun, admin: &Session, action: &str) -> Value {
    let path = format!("/api/audit?limit=1&action={action}");
    let (status, trail) = call(run, admin, "GET", &path, None);
    assert_eq!(status, 200, "{trail}");
    trail["entries"][0].clone()
}

#[test]
fn admins_change_the_policy_and_the_running_camera_follows() {
    let run = WebRun::start(WEB);
    let viewer = sign_in(&run, "vic", "viewer");
    let op = sign_in(&run, "olga", "operator");
    let admin = sign_in(&run, "ada", "admin");
    const POLICY: &str = "/api/cameras/cam/policy";

    let (status, read) = call(&run, &viewer, "GET", POLICY, None);
    assert_eq!(status, 200, "anyone signed in reads it: {read}");
    assert_eq!(read["policy"]["mode"], "continuous");
    assert_eq!(read["policy"]["segment_s"], 2);
    assert_eq!(read["limits"]["max_pre_event_s"], 120);
    let cam = wait_status(&run, &admin, "cam", |c| c["online"] == true);
    assert_eq!(
        (cam["mode"].as_str(), cam["analyzing"].as_bool()),
        (Some("continuous"), Some(false))
    );

    let events = json!({"mode": "events", "pre_event_s": 5, "post_event_s": 8});
    for (who, role) in [(&viewer, "viewer"), (&op, "operator")] {
        let (status, said) = call(&run, who, "PUT", POLICY, Some(events.clone()));
        assert_eq!(status, 403, "{said}");
        assert!(
            error(&said).contains(&format!(
                "is a {role}, which may not change recording policies"
            )),
            "{said}"
        );
    }
    let body = events.to_string();
    let no_csrf = [
        "-H",
        &admin.cookie_header,
        "-X",
        "PUT",
        "-H",
        "Content-Type: application/json",
        "--data",
        &body,
    ];
    let (status, said) = run.curl(POLICY, &no_csrf);
    assert_eq!(status, 403, "{said}");
    assert!(said.contains("CSRF"), "{said}");
    assert_eq!(
        call(&run, &viewer, "GET", POLICY, None).1,
        read,
        "nothing changed"
    );

    let (status, set) = call(&run, &admin, "PUT", POLICY, Some(events));
    assert_eq!(status, 200, "{set}");
    let (_, back) = call(&run, &viewer, "GET", POLICY, None);
    assert_eq!(back, set);
    let p = &back["policy"];
    assert_eq!(
        (
            p["mode"].as_str(),
            p["pre_event_s"].as_u64(),
            p["post_event_s"].as_u64()
        ),
        (Some("events"), Some(5), Some(8))
    );
    assert_eq!(
        p["retain_days"], read["policy"]["retain_days"],
        "fields not sent stay"
    );
    let line = audited(&run, &admin, "policy.set");
    assert_eq!(
        (line["user_name"].as_str(), line["address"].as_str()),
        (Some("ada"), Some("127.0.0.1"))
    );
    let detail = line["detail"].as_str().unwrap_or("");
    assert!(
        detail.starts_with("camera cam: mode continuous → events"),
        "{detail}"
    );
    assert!(detail.contains("pre_event_s 10 → 5"), "{detail}");
    // The running camera follows: its mode, and motion analysis for events.
    wait_status(&run, &admin, "cam", |c| {
        c["mode"] == "events" && c["analyzing"] == true
    });

    let (status, _) = call(&run, &admin, "PUT", POLICY, Some(json!({"mode": "off"})));
    assert_eq!(status, 200);
    wait_status(&run, &admin, "cam", |c| {
        c["mode"] == "off" && c["analyzing"] == false && c["recording"] == false
    });

    for (bad, sentence) in [
        (
            json!({"pre_event_s": 500}),
            "pre-event time 500 s is out of range; use at most 120 seconds",
        ),
        (
            json!({"mode": "sometimes"}),
            "recording mode 'sometimes' is unknown; use off, continuous, events or both",
        ),
        (
            json!({"retain_days": 0}),
            "retention of 0 days is out of range; use more than 0 and at most 36500 days",
        ),
        (
            json!({"max_clip_s": 0}),
            "maximum clip length must be at least 1 second",
        ),
        (
            json!({"max_bytes": 0}),
            "maximum disk use must be more than 0",
        ),
        (
            json!({"segment_s": -2}),
            "segment_s must be a whole number of seconds, not -2",
        ),
        (
            json!({"keep": 3}),
            "'keep' is not a field here; use mode, segment_s",
        ),
    ] {
        let (status, said) = call(&run, &admin, "PUT", POLICY, Some(bad.clone()));
        assert_eq!(status, 400, "{bad}: {said}");
        assert!(error(&said).starts_with(sentence), "{bad}: {said}");
    }
    let (status, said) = call(
        &run,
        &admin,
        "PUT",
        "/api/cameras/nowhere/policy",
        Some(json!({"mode": "off"})),
    );
    assert_eq!(status, 404, "{said}");
    assert_eq!(error(&said), "there is no camera named 'nowhere'");
    assert_eq!(
        call(&run, &admin, "GET", "/api/cameras/nowhere/policy", None).0,
        404
    );
    run.finish();
}

const SQUARE: [[f64; 2]; 4] = [[0.05, 0.2], [0.95, 0.2], [0.95, 0.8], [0.05, 0.8]];

#[test]
fn admins_add_edit_and_remove_zones_and_a_new_zone_sees_motion_at_once() {
    // The box slides across the picture 15–21 s after the camera connects: after the zone
    // is added to the running camera.
    let rtsp = RtspServer::start(&["--motion-start", "15", "--motion-end", "21"]);
    let dir = tempfile::tempdir().expect("dir");
    let vigil = Vigil::new(dir.path());
    let url = rtsp.url("motion");
    vigil.ok(&[
        "camera", "add", "--name", "yard", "--url", &url, "--record", "events",
    ]);
    let run = WebRun::start_in(dir, WEB);
    let viewer = sign_in(&run, "vic", "viewer");
    let op = sign_in(&run, "olga", "operator");
    let admin = sign_in(&run, "ada", "admin");
    const ZONES: &str = "/api/cameras/yard/zones";
    wait_status(&run, &admin, "yard", |c| {
        c["online"] == true && c["analyzing"] == true
    });

    let zone = json!({"name": "drive", "kind": "detect", "points": SQUARE, "sensitivity": 60});
    let (status, added) = call(&run, &admin, "POST", ZONES, Some(zone.clone()));
    assert_eq!(status, 201, "{added}");
    let id = added["id"].as_i64().expect("an id");
    assert_eq!(added["points"], json!(SQUARE));
    assert_eq!(
        (added["sensitivity"].as_u64(), added["min_area"].as_f64()),
        (Some(60), Some(0.005))
    );
    let line = audited(&run, &admin, "zone.add");
    assert_eq!(line["user_name"], "ada");
    assert!(
        line["detail"]
            .as_str()
            .unwrap_or("")
            .starts_with("camera yard: zone"),
        "{line}"
    );

    // The running analyzer has the zone: the box crossing it is a motion event in "drive".
    let mut seen = Value::Null;
    let motion = wait_until(Duration::from_secs(45), || {
        seen = call(
            &run,
            &viewer,
            "GET",
            "/api/events?camera=yard&source=motion",
            None,
        )
        .1;
        seen["events"].as_array().is_some_and(|e| !e.is_empty())
    });
    assert!(motion, "a motion event on yard: {seen}");
    assert_eq!(seen["events"][0]["zone"], "drive", "{seen}");

    // Refused: viewers and operators, no CSRF, bad outlines, unknown cameras and zones.
    for who in [&viewer, &op] {
        let (status, said) = call(&run, who, "POST", ZONES, Some(zone.clone()));
        assert_eq!(status, 403, "{said}");
        assert!(
            error(&said).contains("may not change motion zones"),
            "{said}"
        );
        assert_eq!(
            call(&run, who, "DELETE", &format!("{ZONES}/{id}"), None).0,
            403
        );
    }
    let body = zone.to_string();
    let no_csrf = ["-H", &admin.cookie_header, "-X", "POST", "--data", &body];
    assert_eq!(run.curl(ZONES, &no_csrf).0, 403);
    for (points, sentence) in [
        (
            json!([[0.1, 0.1], [0.5, 0.5]]),
            "a zone polygon needs at least 3 points, got 2",
        ),
        (
            json!([[0.1, 0.1], [0.9, 0.9], [0.9, 0.1], [0.1, 0.9]]),
            "the polygon crosses itself: edge 1-2 meets edge 3-4",
        ),
        (
            json!([[0.1, 0.1], [1.2, 0.1], [0.5, 0.9]]),
            "point 2 (1.2,0.1) is outside the frame",
        ),
    ] {
        let (status, said) = call(
            &run,
            &admin,
            "POST",
            ZONES,
            Some(json!({"name": "bad", "points": points})),
        );
        assert_eq!(status, 400, "{said}");
        assert!(error(&said).starts_with(sentence), "{said}");
    }
    let (status, said) = call(&run, &admin, "POST", ZONES, Some(zone.clone()));
    assert_eq!(
        (status, error(&said)),
        (409, "this camera already has a zone named 'drive'")
    );
    let (status, said) = call(
        &run,
        &admin,
        "POST",
        "/api/cameras/nowhere/zones",
        Some(zone.clone()),
    );
    assert_eq!(
        (status, error(&said)),
        (404, "there is no camera named 'nowhere'")
    );
    let (status, said) = call(
        &run,
        &admin,
        "PUT",
        &format!("{ZONES}/999999"),
        Some(json!({"name": "x"})),
    );
    assert_eq!(
        (status, error(&said)),
        (404, "camera 'yard' has no zone 999999")
    );

    // Edit: a mask now, a triangle, a new name; then delete.
    let triangle = json!([[0.1, 0.1], [0.6, 0.1], [0.3, 0.7]]);
    let change = json!({"name": "trees", "kind": "mask", "points": triangle, "min_area": 0.02});
    let (status, edited) = call(&run, &admin, "PUT", &format!("{ZONES}/{id}"), Some(change));
    assert_eq!(status, 200, "{edited}");
    let (_, listed) = call(&run, &viewer, "GET", ZONES, None);
    assert_eq!(listed["zones"], json!([edited.clone()]));
    assert_eq!(
        (
            edited["id"].as_i64(),
            edited["kind"].as_str(),
            edited["name"].as_str()
        ),
        (Some(id), Some("mask"), Some("trees"))
    );
    assert_eq!(
        (edited["points"].clone(), edited["sensitivity"].as_u64()),
        (triangle, Some(60))
    );
    let detail = audited(&run, &admin, "zone.edit")["detail"]
        .as_str()
        .unwrap_or("")
        .to_string();
    assert!(
        detail.contains("'trees' (mask") && detail.contains("(was zone"),
        "{detail}"
    );
    let (status, gone) = call(&run, &admin, "DELETE", &format!("{ZONES}/{id}"), None);
    assert_eq!(status, 200, "{gone}");
    assert_eq!(
        (gone["deleted"].as_i64(), gone["zones"].clone()),
        (Some(id), json!([]))
    );
    assert_eq!(
        call(&run, &viewer, "GET", ZONES, None).1["zones"],
        json!([])
    );
    assert!(audited(&run, &admin, "zone.remove")["detail"]
        .as_str()
        .unwrap_or("")
        .contains("'trees'"));
    assert_eq!(
        call(&run, &admin, "DELETE", &format!("{ZONES}/{id}"), None).0,
        404
    );
    run.finish();
}
