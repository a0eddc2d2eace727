//! Users added, given another role, a new password (their session ends) and removed (sessions
//! and tokens end), never the last admin; every change in the audit trail.

use super::*;

#[test]
fn users_are_added_given_roles_new_passwords_and_removed_and_their_sessions_end() {
    let run = WebRun::start(&["--web", "127.0.0.1:0"]);
    let s = admin(&run);
    let (status, body) = send(
        &run,
        &s,
        "POST",
        "/api/users",
        Some(r#"{"name":"bob","role":"viewer","password":"short"}"#),
    );
    assert_eq!(status, 400, "the password rule's own sentence: {body}");
    assert!(body.contains("8"), "{body}");
    let (status, body) = send(
        &run,
        &s,
        "POST",
        "/api/users",
        Some(r#"{"name":"bob","role":"wizard","password":"bob pass 123"}"#),
    );
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("unknown role 'wizard'"), "{body}");
    let new_bob = r#"{"name":"bob","role":"viewer","password":"bob pass 123"}"#;
    let (status, body) = send(&run, &s, "POST", "/api/users", Some(new_bob));
    assert_eq!(status, 201, "{body}");
    assert!(!body.contains("bob pass"), "{body}");
    let (status, body) = send(&run, &s, "POST", "/api/users", Some(new_bob));
    assert_eq!(status, 409, "{body}");

    let bob = run.sign_in("bob", "bob pass 123");
    let users = get(&run, &s, "/api/users");
    let listed = users["users"]
        .as_array()
        .expect("users")
        .iter()
        .find(|u| u["name"] == "bob")
        .cloned()
        .expect("bob listed");
    assert_eq!(listed["role"], "viewer");
    assert!(listed["created_us"].as_i64().unwrap_or(0) > 0, "{listed}");
    assert!(
        listed["last_login_us"].as_i64().unwrap_or(0) > 0,
        "{listed}"
    );
    assert!(
        !users.to_string().contains("argon2"),
        "no hash in the answer"
    );

    // A new role applies to the next request of the same session.
    let (status, body) = send(
        &run,
        &s,
        "PATCH",
        "/api/users/bob",
        Some(r#"{"role":"operator"}"#),
    );
    assert_eq!(status, 204, "{body}");
    assert_eq!(get(&run, &bob, "/api/me")["role"], "operator");

    // A new password ends bob's session (not his API token).
    let token = run.add_token("bob", "script");
    let (status, body) = send(
        &run,
        &s,
        "PUT",
        "/api/users/bob/password",
        Some(r#"{"password":"bob pass 456"}"#),
    );
    assert_eq!(status, 204, "{body}");
    assert_eq!(
        run.curl("/api/me", &bob.get()).0,
        401,
        "the old session ended"
    );
    assert_eq!(run.curl_bearer(&token, "/api/me", &[]).0, 200);
    let bob = run.sign_in("bob", "bob pass 456");

    // Removing bob ends his session and his token.
    let (status, body) = send(&run, &s, "DELETE", "/api/users/bob", None);
    assert_eq!(status, 204, "{body}");
    assert_eq!(run.curl("/api/me", &bob.get()).0, 401);
    assert_eq!(run.curl_bearer(&token, "/api/me", &[]).0, 401);
    let (status, _) = send(&run, &s, "DELETE", "/api/users/bob", None);
    assert_eq!(status, 404);

    // The last admin stays an admin.
    let (status, body) = send(
        &run,
        &s,
        "PATCH",
        "/api/users/root",
        Some(r#"{"role":"viewer"}"#),
    );
    assert_eq!(status, 409, "{body}");
    assert!(body.contains("'root' is the last admin"), "{body}");
    let (status, body) = send(&run, &s, "DELETE", "/api/users/root", None);
    assert_eq!(status, 409, "{body}");
    assert!(body.contains("'root' is the last admin"), "{body}");
    assert_eq!(get(&run, &s, "/api/me")["role"], "admin");

    let lines = audit_actions(&run, &s);
    for action in ["user.add", "user.role", "user.password", "user.remove"] {
        assert!(
            lines.iter().any(|(a, who, _)| a == action && who == "root"),
            "{action} audited as root: {lines:?}"
        );
    }
    let all = format!("{lines:?}");
    assert!(!all.contains("bob pass"), "{all}");
    assert!(
        !run.stderr().contains("bob pass"),
        "no log line holds a password"
    );
    run.finish();
}
