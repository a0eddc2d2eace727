//! Tests of `web::accounts` on a real library file.

use std::time::{Duration, Instant};

use super::*;
use crate::web::token::hash_token;

fn accounts() -> (tempfile::TempDir, Accounts) {
    let dir = tempfile::tempdir().unwrap();
    let lib = Library::open(dir.path()).unwrap();
    (dir, Accounts::new(lib))
}

const CLI: Actor<'static> = Actor::COMMAND_LINE;

#[test]
fn a_user_is_verified_by_password_and_the_error_does_not_say_whether_the_name_exists() {
    let (_dir, mut acc) = accounts();
    let alice = acc
        .add_user("alice", Role::Admin, "s3cret-pass", CLI)
        .unwrap();
    assert_eq!((alice.name.as_str(), alice.role), ("alice", Role::Admin));
    assert_eq!(acc.verify("alice", "s3cret-pass").unwrap(), alice);
    let wrong = acc.verify("alice", "s3cret-Pass").unwrap_err().to_string();
    let nobody = acc.verify("bob", "s3cret-pass").unwrap_err().to_string();
    assert_eq!(wrong, "wrong user name or password");
    assert_eq!(wrong, nobody);
    // Names are exact.
    assert!(acc.verify("Alice", "s3cret-pass").is_err());
    // The stored hash is a PHC Argon2id string, never the password.
    let stored: String = acc
        .library()
        .conn()
        .query_row("SELECT password_hash FROM users", [], |r| r.get(0))
        .unwrap();
    assert!(stored.starts_with("$argon2id$"), "{stored}");
    assert!(!stored.contains("s3cret-pass"));
}

#[test]
fn bad_names_passwords_and_duplicates_are_refused_with_a_sentence() {
    let (_dir, mut acc) = accounts();
    let say = |r: Result<User, AccountError>| r.unwrap_err().to_string();
    acc.add_user("viewer 1", Role::Viewer, "long enough", CLI)
        .unwrap();
    assert_eq!(
        say(acc.add_user("viewer 1", Role::Admin, "long enough", CLI)),
        "a user named 'viewer 1' already exists"
    );
    assert_eq!(
        say(acc.add_user("", Role::Viewer, "long enough", CLI)),
        "user name '' must be 1 to 64 characters long"
    );
    assert!(
        say(acc.add_user(&"n".repeat(65), Role::Viewer, "long enough", CLI))
            .contains("1 to 64 characters")
    );
    assert_eq!(
        say(acc.add_user("bell\u{7}", Role::Viewer, "long enough", CLI)),
        "user name 'bell\\u{7}' may only use printable characters"
    );
    assert_eq!(
        say(acc.add_user(" pad", Role::Viewer, "long enough", CLI)),
        "user name ' pad' must not start or end with a space"
    );
    assert_eq!(
        say(acc.add_user("carol", Role::Viewer, "short", CLI)),
        "a password needs at least 8 characters"
    );
    let names: Vec<String> = acc
        .list_users()
        .unwrap()
        .into_iter()
        .map(|u| u.name)
        .collect();
    assert_eq!(names, ["viewer 1"]);
}

#[test]
fn the_last_admin_cannot_be_removed() {
    let (_dir, mut acc) = accounts();
    acc.add_user("root", Role::Admin, "password-1", CLI)
        .unwrap();
    acc.add_user("guard", Role::Viewer, "password-2", CLI)
        .unwrap();
    let err = acc.remove_user("root", CLI).unwrap_err().to_string();
    assert_eq!(
        err,
        "'root' is the last admin; make another user an admin before removing this one"
    );
    acc.add_user("boss", Role::Admin, "password-3", CLI)
        .unwrap();
    acc.remove_user("root", CLI).unwrap();
    assert!(matches!(
        acc.remove_user("boss", CLI),
        Err(AccountError::LastAdmin(_))
    ));
    acc.remove_user("guard", CLI).unwrap();
    assert_eq!(
        acc.remove_user("guard", CLI).unwrap_err().to_string(),
        "no user named 'guard'"
    );
    let left: Vec<(String, Role)> = acc
        .list_users()
        .unwrap()
        .into_iter()
        .map(|u| (u.name, u.role))
        .collect();
    assert_eq!(left, [("boss".to_string(), Role::Admin)]);
}

#[test]
fn sessions_store_only_the_token_hash_and_end_on_logout() {
    let (_dir, mut acc) = accounts();
    let user = acc
        .add_user("alice", Role::Operator, "password-1", CLI)
        .unwrap();
    let s = acc
        .create_session(&user, Some("192.0.2.1"), Duration::from_secs(3600))
        .unwrap();
    let token = s.token.as_str().to_string();
    assert_eq!(acc.session(&token).unwrap(), Some(user.clone()));
    // The table holds the SHA-256 of the token and nothing that contains the token.
    let rows: Vec<Vec<String>> = {
        let conn = acc.library().conn();
        let mut stmt = conn.prepare("SELECT * FROM web_sessions").unwrap();
        let n = stmt.column_count();
        stmt.query_map([], |r| {
            (0..n)
                .map(|i| {
                    r.get::<_, rusqlite::types::Value>(i)
                        .map(|v| format!("{v:?}"))
                })
                .collect()
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
    };
    assert_eq!(rows.len(), 1);
    assert!(rows[0].iter().any(|v| v.contains(&hash_token(&token))));
    assert!(rows[0].iter().all(|v| !v.contains(&token)), "{rows:?}");
    // Unknown and malformed tokens find no one.
    assert_eq!(acc.session(&"A".repeat(43)).unwrap(), None);
    assert_eq!(acc.session("' OR 1=1 --").unwrap(), None);
    assert!(acc.end_session(&token, Some("192.0.2.1")).unwrap());
    assert_eq!(acc.session(&token).unwrap(), None);
    assert!(!acc.end_session(&token, None).unwrap());
    let actions: Vec<String> = acc
        .audit_log(10)
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(actions[0], "logout");
}

#[test]
fn a_session_expires_when_idle_and_use_moves_its_end_on() {
    let (_dir, mut acc) = accounts();
    let user = acc
        .add_user("alice", Role::Viewer, "password-1", CLI)
        .unwrap();
    let s = acc
        .create_session(&user, None, Duration::from_secs(60))
        .unwrap();
    let token = s.token.as_str();
    let t0 = s.expires_us - 60_000_000;
    // Used after 50 s: it now ends 60 s after that.
    assert!(acc.session_at(token, t0 + 50_000_000).unwrap().is_some());
    assert!(acc.session_at(token, t0 + 100_000_000).unwrap().is_some());
    // Idle for over a minute: gone.
    assert_eq!(acc.session_at(token, t0 + 170_000_000).unwrap(), None);
    // Swept by the next session made.
    let swept = acc
        .library()
        .delete_expired_sessions(t0 + 170_000_000)
        .unwrap();
    assert_eq!(swept, 1);
}

#[test]
fn a_new_password_replaces_the_old_and_ends_sessions() {
    let (_dir, mut acc) = accounts();
    let user = acc
        .add_user("alice", Role::Viewer, "password-1", CLI)
        .unwrap();
    let s = acc
        .create_session(&user, None, Duration::from_secs(600))
        .unwrap();
    acc.set_password("alice", "password-2", CLI).unwrap();
    assert!(acc.verify("alice", "password-1").is_err());
    assert!(acc.verify("alice", "password-2").is_ok());
    assert_eq!(acc.session(s.token.as_str()).unwrap(), None);
    assert_eq!(
        acc.set_password("nobody", "password-3", CLI)
            .unwrap_err()
            .to_string(),
        "no user named 'nobody'"
    );
}

#[test]
fn logins_are_throttled_after_five_failures_and_audited_without_passwords() {
    let (_dir, mut acc) = accounts();
    acc.add_user("alice", Role::Viewer, "password-1", CLI)
        .unwrap();
    let mut throttle = Throttle::default();
    let t0 = Instant::now();
    for _ in 0..5 {
        let e = acc
            .login(&mut throttle, "alice", "guess-guess", "198.51.100.4", t0)
            .unwrap_err();
        assert!(matches!(e, AccountError::LoginFailed));
    }
    // Even the right password waits now.
    let e = acc
        .login(&mut throttle, "alice", "password-1", "203.0.113.9", t0)
        .unwrap_err()
        .to_string();
    assert!(e.contains("try again in 5 min"), "{e}");
    let later = t0 + Throttle::BACKOFF;
    let user = acc
        .login(&mut throttle, "alice", "password-1", "203.0.113.9", later)
        .unwrap();
    assert_eq!(user.name, "alice");
    let log = acc.audit_log(100).unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "login",
            "login failed",
            "login failed",
            "login failed",
            "login failed",
            "login failed",
            "user.add"
        ]
    );
    assert_eq!(log[0].user_name.as_deref(), Some("alice"));
    assert_eq!(log[0].address.as_deref(), Some("203.0.113.9"));
    assert_eq!(log[6].address.as_deref(), Some("command line"));
    let text = format!("{log:?}");
    assert!(!text.contains("password-1") && !text.contains("guess-guess"));
}

#[test]
fn api_tokens_let_scripts_in_until_revoked_and_go_with_their_user() {
    let (_dir, mut acc) = accounts();
    acc.add_user("root", Role::Admin, "s3cret-pass", CLI)
        .unwrap();
    acc.add_user("door", Role::Operator, "s3cret-pass", CLI)
        .unwrap();
    let (row, secret) = acc.add_api_token("door", Some("sensor"), CLI).unwrap();
    assert_eq!(row.label, "sensor");
    let (second, _) = acc.add_api_token("door", None, CLI).unwrap();
    assert_eq!(second.label, "token 1");
    let dup = acc.add_api_token("door", Some("sensor"), CLI).unwrap_err();
    assert_eq!(
        dup.to_string(),
        "'door' already has a token labelled 'sensor'"
    );
    assert!(acc.add_api_token("nobody", None, CLI).is_err());

    // Only the hash is kept; the token resolves as a bearer token, not as a session.
    let stored: Vec<String> = {
        let lib = acc.library();
        let mut stmt = lib
            .conn()
            .prepare("SELECT token_hash FROM api_tokens")
            .unwrap();
        let rows = stmt.query_map([], |r| r.get(0)).unwrap();
        rows.collect::<Result<_, _>>().unwrap()
    };
    assert!(stored.contains(&hash_token(secret.as_str())));
    assert!(stored.iter().all(|h| !h.contains(secret.as_str())));
    assert_eq!(acc.bearer(secret.as_str()).unwrap().unwrap().name, "door");
    assert!(acc.session(secret.as_str()).unwrap().is_none());
    assert!(acc.bearer("vigil_forged").unwrap().is_none());
    let listed = acc.api_tokens("door").unwrap();
    assert_eq!(listed.len(), 2);
    assert!(listed[0].last_used_us.is_some(), "marked used");

    // No idle expiry: sweeping sessions far in the future leaves it working.
    acc.library().delete_expired_sessions(i64::MAX).unwrap();
    assert!(acc.api_token(secret.as_str()).unwrap().is_some());

    acc.remove_api_token("door", "sensor", CLI).unwrap();
    assert!(acc.bearer(secret.as_str()).unwrap().is_none());
    assert!(acc.remove_api_token("door", "sensor", CLI).is_err());
    let (_, other) = acc.add_api_token("door", Some("again"), CLI).unwrap();
    let session = acc.create_session(&acc.user("door").unwrap(), None, Duration::from_secs(60));
    let session = session.unwrap();
    acc.remove_user("door", CLI).unwrap();
    assert!(acc.bearer(other.as_str()).unwrap().is_none());
    assert!(acc.session(session.token.as_str()).unwrap().is_none());
    let audited: Vec<String> = acc
        .audit_log(20)
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(audited.contains(&"token added".to_string()), "{audited:?}");
    assert!(
        audited.contains(&"token removed".to_string()),
        "{audited:?}"
    );
}

#[test]
fn the_last_admin_cannot_be_demoted_and_role_changes_are_audited() {
    let (_dir, mut acc) = accounts();
    acc.add_user("root", Role::Admin, "admin pass 1", CLI)
        .unwrap();
    acc.add_user("ann", Role::Viewer, "viewer pass 1", CLI)
        .unwrap();
    let err = acc.set_role("root", Role::Operator, CLI).unwrap_err();
    assert!(matches!(err, AccountError::LastAdminRole(_)), "{err}");
    assert!(
        err.to_string().contains("'root' is the last admin"),
        "{err}"
    );
    // An admin staying an admin is no demotion.
    acc.set_role("root", Role::Admin, CLI).unwrap();
    acc.set_role("ann", Role::Admin, CLI).unwrap();
    acc.set_role("root", Role::Viewer, CLI).unwrap();
    assert_eq!(acc.user("root").unwrap().role, Role::Viewer);
    assert!(matches!(
        acc.set_role("nobody", Role::Viewer, CLI),
        Err(AccountError::UnknownUser(_))
    ));
    let log = acc.audit_log(10).unwrap();
    assert_eq!(log[0].action, action::ROLE_CHANGED);
    assert_eq!(log[0].detail, "root: viewer");

    // The last sign-in comes from the audit trail's logins.
    let mut throttle = Throttle::new(5, Duration::from_secs(60), Duration::from_secs(60));
    acc.login(
        &mut throttle,
        "ann",
        "viewer pass 1",
        "192.0.2.1",
        Instant::now(),
    )
    .unwrap();
    let users = acc.list_users_with_last_login().unwrap();
    let last = |name: &str| users.iter().find(|(u, _)| u.name == name).unwrap().1;
    assert!(last("ann").is_some_and(|at| at > 0));
    assert_eq!(last("root"), None);
}
