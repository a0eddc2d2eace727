//! The web viewer's security through the real `vigil run --web` recording the demo camera:
//! triggers on the web server for operators' API tokens and sessions only (viewers 403,
//! strangers 401, pages without the CSRF token or from another site 403), revoked tokens and
//! expired sessions refused, wrong passwords throttled and logged without the password,
//! passwords in no log and no page, and a 100 MB body and 500 idle connections stopping
//! neither the recording nor a signed-in client. (Every route without a session: the route
//! walk in `web/route_walk_tests.rs`.)

use std::net::TcpStream;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::common::wait_until;
use crate::common::web::{body_of, json_body, status_of, Session, WebRun};

const TRIGGER: &str = "/api/v1/cameras/cam/trigger";

fn events(run: &WebRun) -> Vec<serde_json::Value> {
    serde_json::from_str(&run.vigil.ok(&["events", "--json"])).expect("events JSON")
}

fn post_json(body: &str) -> Vec<String> {
    [
        "-X",
        "POST",
        "-H",
        "Content-Type: application/json",
        "--data-binary",
        body,
    ]
    .iter()
    .map(|a| a.to_string())
    .collect()
}

fn strs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

#[test]
fn triggers_on_the_web_server_take_an_operators_token_or_page_and_nothing_else() {
    let run = WebRun::start(&["--web", "127.0.0.1:0"]);
    run.add_user("door", "operator", "operator pass 1");
    run.add_user("watcher", "viewer", "viewer pass 1");
    let op_token = run.add_token("door", "door sensor");
    let viewer_token = run.add_token("watcher", "script");
    let listed = run.vigil.ok(&["user", "token", "list", "--name", "door"]);
    assert!(
        listed.contains("door sensor") && listed.contains("last used never"),
        "{listed}"
    );
    assert!(
        !listed.contains(&op_token),
        "the token is shown only once: {listed}"
    );
    scripts_with_tokens(&run, &op_token, &viewer_token);
    let viewer = pages_with_sessions(&run);

    // Each trigger made its event; each was logged, not audited.
    let mut found = Vec::new();
    let both = wait_until(Duration::from_secs(30), || {
        found = events(&run)
            .into_iter()
            .filter(|e| e["source"] == "external")
            .filter_map(|e| e["label"].as_str().map(str::to_string))
            .collect();
        found.iter().any(|l| l == "web-door") && found.iter().any(|l| l == "web-page")
    });
    assert!(both, "an event row per trigger: {found:?}");
    assert!(
        run.stderr().contains("trigger from the web server"),
        "{}",
        run.stderr()
    );
    let db = rusqlite::Connection::open(run.dir.path().join("vigil.db")).expect("library");
    let audited: i64 = db
        .query_row(
            "SELECT COUNT(*) FROM audit WHERE action LIKE '%trigger%'",
            [],
            |r| r.get(0),
        )
        .expect("audit");
    assert_eq!(audited, 0, "triggers are frequent: logged, not audited");
    let listed = run.vigil.ok(&["user", "token", "list", "--name", "door"]);
    assert!(!listed.contains("last used never"), "marked used: {listed}");

    // A revoked token and a removed user's token are refused at once.
    run.vigil.ok(&[
        "user",
        "token",
        "remove",
        "--name",
        "door",
        "--label",
        "door sensor",
    ]);
    let body = post_json(r#"{"label": "web-door"}"#);
    let (status, text) = run.curl_bearer(&op_token, TRIGGER, &strs(&body));
    assert_eq!(status, 401, "revoked: {text}");
    run.vigil.ok(&["user", "remove", "--name", "watcher"]);
    let (status, _) = run.curl_bearer(&viewer_token, "/api/me", &[] as &[&str]);
    assert_eq!(status, 401, "the removed user's token went with them");
    let (status, _) = run.curl_as(&viewer, "/api/me", &[] as &[&str]);
    assert_eq!(status, 401, "and their session");
    run.finish();
}

/// Scripts: no, forged or a viewer's token refused; an operator's fires the trigger, with
/// the local API endpoint's answers to bad requests.
fn scripts_with_tokens(run: &WebRun, op_token: &str, viewer_token: &str) {
    let body = post_json(r#"{"label": "web-door", "hold_s": 1}"#);
    let body = strs(&body);
    let (status, text) = run.curl(TRIGGER, &body);
    assert_eq!(status, 401, "no credentials: {text}");
    let (status, text) = run.curl_bearer("vigil_nottherealtoken", TRIGGER, &body);
    assert_eq!(status, 401, "a forged token: {text}");
    let (status, text) = run.curl_bearer(viewer_token, TRIGGER, &body);
    assert_eq!(status, 403, "{text}");
    assert!(text.contains("may not fire triggers"), "{text}");
    let (status, text) = run.curl_bearer(op_token, TRIGGER, &body);
    assert_eq!(status, 200, "{text}");
    let answer = json_body(&text);
    assert_eq!(
        (answer["ok"].as_bool(), answer["camera"].as_str()),
        (Some(true), Some("cam"))
    );
    assert_eq!(answer["label"], "web-door");

    // The same answers as the local API's endpoint for bad requests.
    let (status, text) = run.curl_bearer(op_token, "/api/v1/cameras/nope/trigger", &body);
    assert_eq!(status, 404, "{text}");
    let bad = post_json(r#"{"label": "#);
    let (status, text) = run.curl_bearer(op_token, TRIGGER, &strs(&bad));
    assert_eq!(status, 400, "{text}");
    assert!(text.contains("malformed JSON"), "{text}");
    let long = post_json(r#"{"hold_s": 99999}"#);
    let (status, text) = run.curl_bearer(op_token, TRIGGER, &strs(&long));
    assert_eq!(status, 400, "{text}");
    let (status, text) = run.curl_bearer(op_token, TRIGGER, &["-X", "GET"]);
    assert_eq!(status, 405, "a signed-in GET: {text}");
}

/// Pages: the session with its CSRF token, from this site only, and an operator's; the
/// viewer's session (for later checks).
fn pages_with_sessions(run: &WebRun) -> Session {
    let op = run.sign_in("door", "operator pass 1");
    let page = post_json(r#"{"label": "web-page"}"#);
    let mut cookie_only = op.cookie_args();
    cookie_only.extend(page.iter().cloned());
    let (status, text) = run.curl_with(TRIGGER, &cookie_only);
    assert_eq!(status, 403, "no CSRF token: {text}");
    let mut wrong = cookie_only.clone();
    wrong.extend(["-H".into(), "X-Vigil-CSRF: not-the-token".into()]);
    let (status, text) = run.curl_with(TRIGGER, &wrong);
    assert_eq!(status, 403, "a wrong CSRF token: {text}");
    let mut foreign = strs(&page);
    foreign.extend(["-H", "Origin: https://evil.example"]);
    let (status, text) = run.curl_as(&op, TRIGGER, &foreign);
    assert_eq!(status, 403, "another site's page: {text}");
    let (status, text) = run.curl_as(&op, TRIGGER, &strs(&page));
    assert_eq!(status, 200, "{text}");
    let viewer = run.sign_in("watcher", "viewer pass 1");
    let (status, text) = run.curl_as(&viewer, TRIGGER, &strs(&page));
    assert_eq!(status, 403, "a viewer's page: {text}");

    viewer
}

#[test]
fn an_expired_session_is_refused_and_a_foreign_websocket_upgrade_too() {
    let run = WebRun::start(&["--web", "127.0.0.1:0"]);
    run.add_user("ana", "operator", "ana's password");
    let ana = run.sign_in("ana", "ana's password");
    let (status, text) = run.curl_as(&ana, "/api/me", &[] as &[&str]);
    assert_eq!(status, 200, "{text}");
    // A browser's WebSocket upgrade from another site's page carries the cookie: refused.
    let upgrade = [
        "-H",
        "Connection: Upgrade",
        "-H",
        "Upgrade: websocket",
        "-H",
        "Sec-WebSocket-Version: 13",
        "-H",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
        "-H",
        "Origin: https://evil.example",
    ];
    let (status, text) = run.curl_as(&ana, "/api/me", &upgrade);
    assert_eq!(status, 403, "{text}");

    // The session's end passes (set in the library, as if 12 h had gone by unused).
    let db = rusqlite::Connection::open(run.dir.path().join("vigil.db")).expect("library");
    let changed = db
        .execute("UPDATE web_sessions SET expires_us = 1", [])
        .expect("expire");
    assert_eq!(changed, 1);
    let (status, text) = run.curl_as(&ana, "/api/me", &[] as &[&str]);
    assert_eq!(status, 401, "{text}");
    assert!(text.contains("session has ended"), "{text}");
    let (status, _) = run.curl_as(&ana, "/", &[] as &[&str]);
    assert_eq!(
        status, 303,
        "the app sends an expired session to the login page"
    );
    run.finish();
}

#[test]
fn wrong_passwords_are_throttled_logged_and_no_password_is_ever_shown() {
    let run = WebRun::start(&["--web", "127.0.0.1:0"]);
    let right = "Right-Horse-Battery-7";
    let wrong = "Wrong-Guess-Staple-9";
    run.add_user("ana", "admin", right);
    let mut answers = Vec::new();
    let ana = run.sign_in("ana", right);
    for path in ["/", "/api/me", "/static/app.js", "/login"] {
        answers.push(run.curl_as(&ana, path, &[] as &[&str]).1);
    }
    let form = |password: &str| {
        vec![
            "--data-urlencode".to_string(),
            "name=ana".to_string(),
            "--data-urlencode".to_string(),
            format!("password={password}"),
        ]
    };
    for attempt in 1..=5 {
        let (status, text) = run.curl_with("/login", &form(wrong));
        assert_eq!(status, 401, "attempt {attempt}: {text}");
        answers.push(text);
    }
    let t = Instant::now();
    let (status, text) = run.curl_with("/login", &form(wrong));
    assert_eq!(status, 429, "the sixth attempt: {text}");
    assert!(text.contains("try again in 5 min"), "{text}");
    assert!(
        t.elapsed() < Duration::from_secs(2),
        "refused without checking: {:?}",
        t.elapsed()
    );
    answers.push(text);
    let (status, text) = run.curl_with("/login", &form(right));
    assert_eq!(status, 429, "even the right password while blocked: {text}");
    assert!(text.contains("try again in"), "{text}");
    answers.push(text);

    assert!(
        wait_until(Duration::from_secs(5), || run
            .stderr()
            .contains("login refused")),
        "{}",
        run.stderr()
    );
    let out = run.finish_output();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    let failures = stderr
        .lines()
        .filter(|l| l.contains("login failed"))
        .count();
    assert_eq!(failures, 5, "each failure logged: {stderr}");
    assert!(
        stderr
            .lines()
            .any(|l| l.contains("login failed") && l.contains("ana")),
        "{stderr}"
    );
    for password in [right, wrong] {
        assert!(!stdout.contains(password), "a password on stdout: {stdout}");
        assert!(
            !stderr.contains(password),
            "a password in the log: {stderr}"
        );
        for a in &answers {
            assert!(!a.contains(password), "a password in a page: {a}");
        }
    }
    assert!(answers.iter().all(|a| !body_of(a).is_empty()));
}

#[test]
fn a_100_mb_body_and_500_idle_connections_stop_neither_recording_nor_a_signed_in_client() {
    let run = WebRun::start(&["--web", "127.0.0.1:0"]);
    run.add_user("ana", "operator", "ana's password");
    let ana = run.sign_in("ana", "ana's password");
    let before = run.wait_for_segments_after(0);

    refuse_big_bodies(&run, &ana);

    // 500 connections that never say hello, and more while a signed-in client is served.
    let mut idle: Vec<TcpStream> = Vec::new();
    for round in 0..3 {
        idle.extend(
            (0..if round == 0 { 500 } else { 100 })
                .filter_map(|_| TcpStream::connect(run.addr()).ok()),
        );
        let t = Instant::now();
        let (status, text) = run.curl_as(&ana, "/api/me", &[] as &[&str]);
        eprintln!(
            "{} idle connections: /api/me {status} in {:?}",
            idle.len(),
            t.elapsed()
        );
        assert_eq!(status, 200, "{text}");
        assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
    }
    assert!(idle.len() >= 600, "{} idle connections opened", idle.len());
    run.wait_for_segments_after(before);
    drop(idle);
    run.finish();
}

#[test]
fn a_certificate_that_does_not_name_the_new_address_is_made_anew_and_said() {
    let run = WebRun::start(&["--web", "127.0.0.1:0"]);
    let first = run.fingerprint.clone().expect("a fingerprint");
    assert!(!run.stdout().contains("made a new certificate"));
    let n = run.wait_for_segments_after(0);
    // Another address (still this machine's: all of 127/8 is loopback).
    let run = run.restart(&["--web", "127.0.0.2:0"]);
    let second = run.fingerprint.clone().expect("a fingerprint");
    assert_ne!(second, first, "a new certificate");
    let said = run.stdout();
    assert!(
        said.contains(
            "made a new certificate for the web viewer: the old one did not name 127.0.0.2"
        ),
        "{said}"
    );
    // curl trusting only the new file, for the new address: it names it.
    let (status, text) = run.curl("/healthz", &[]);
    assert_eq!(status, 200, "{text}");
    let n = run.wait_for_segments_after(n);
    // Started again there: kept, nothing said.
    let run = run.restart(&["--web", "127.0.0.2:0"]);
    assert_eq!(run.fingerprint.as_deref(), Some(second.as_str()));
    assert!(
        !run.stdout().contains("made a new certificate"),
        "{}",
        run.stdout()
    );
    run.wait_for_segments_after(n);
    run.finish();
}

#[test]
fn api_tokens_are_shown_once_kept_hashed_listed_and_refused_in_words() {
    let dir = tempfile::tempdir().expect("dir");
    let vigil = crate::common::Vigil::new(dir.path());
    crate::common::web::add_user(&vigil, "door", "operator", "operator pass 1");
    let out = vigil.ok(&["user", "token", "add", "--name", "door"]);
    let token = crate::common::web::token_in(&out);
    assert!(out.contains("added token 'token 1' for 'door'"), "{out}");
    assert!(token.starts_with("vigil_") && token.len() == 49, "{token}");
    let listed = vigil.ok(&["user", "token", "list", "--name", "door", "--json"]);
    let listed: serde_json::Value = serde_json::from_str(&listed).expect("json");
    assert_eq!(listed[0]["label"], "token 1");
    assert!(listed[0]["last_used_us"].is_null());
    let db = rusqlite::Connection::open(dir.path().join("vigil.db")).expect("library");
    let dump: String = db
        .query_row(
            "SELECT group_concat(token_hash || label, ' ') FROM api_tokens",
            [],
            |r| r.get(0),
        )
        .expect("rows");
    assert!(!dump.contains(&token[6..]), "only the hash is kept: {dump}");

    let refused = |args: &[&str], said: &str| {
        let out = vigil.run(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?}");
        assert!(stderr.contains(said), "{args:?}: {stderr}");
    };
    refused(
        &["user", "token", "add", "--name", "nobody"],
        "no user named 'nobody'",
    );
    vigil.ok(&["user", "token", "add", "--name", "door", "--label", "gate"]);
    refused(
        &["user", "token", "add", "--name", "door", "--label", "gate"],
        "'door' already has a token labelled 'gate'",
    );
    refused(
        &[
            "user", "token", "remove", "--name", "door", "--label", "nope",
        ],
        "'door' has no token labelled 'nope'",
    );
    let out = vigil.ok(&[
        "user", "token", "remove", "--name", "door", "--label", "gate",
    ]);
    assert!(out.contains("revoked token 'gate' of 'door'"), "{out}");
    let audit: i64 = db
        .query_row(
            "SELECT COUNT(*) FROM audit WHERE action IN ('token added', 'token removed')",
            [],
            |r| r.get(0),
        )
        .expect("audit");
    assert_eq!(audit, 3, "each change audited");
}

/// 100 MB bodies, declared or chunked, from a signed-in operator: refused without being read.
fn refuse_big_bodies(run: &WebRun, ana: &Session) {
    // 100 MB, declared: refused from the header, before any of it is sent.
    let big = run.dir.path().join("big.bin");
    std::fs::File::create(&big)
        .and_then(|f| f.set_len(100 * 1024 * 1024))
        .expect("a sparse 100 MB file");
    let upload = |extra: &[&str]| {
        let t = Instant::now();
        let out = Command::new("curl")
            .args(["-sS", "-i", "--max-time", "20", "--cacert"])
            .arg(run.cert())
            .args(ana.args())
            .args(["-X", "POST", "-T"])
            .arg(&big)
            .args(["-w", "\nsent %{size_upload}"])
            .args(extra)
            .arg(format!("{}{TRIGGER}", run.url))
            .output()
            .expect("curl is installed");
        // curl may fail to send the rest once the server has answered and closed.
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let sent: u64 = text
            .rsplit_once("sent ")
            .and_then(|(_, n)| n.trim().parse().ok())
            .unwrap_or(u64::MAX);
        let status = status_of(&text);
        eprintln!(
            "{extra:?}: {status} after {:?}, {sent} bytes sent",
            t.elapsed()
        );
        assert!(t.elapsed() < Duration::from_secs(15), "{:?}", t.elapsed());
        (status, sent, text)
    };
    let (status, sent, text) = upload(&[]);
    assert_eq!(status, 413, "{text}");
    assert!(sent < 1024 * 1024, "{sent} bytes were sent");
    // Chunked, with no length: cut off at the limit.
    // (The server answers 413 and closes; the close can reach curl, still sending, before
    // the answer does: then it sees the connection reset.)
    let (status, sent, text) = upload(&["-H", "Transfer-Encoding: chunked"]);
    assert!(status == 413 || status == 0, "{text}");
    assert!(sent < 100 * 1024 * 1024, "{sent} bytes were sent");
}
