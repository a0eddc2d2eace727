//! `vigil user …` through the real binary on a real library: accounts for the web viewer
//! added, listed, given a new password and removed; wrong input refused with one sentence;
//! the password never printed and never stored as typed.

use crate::common::Vigil;

use std::process::Output;

const PASSWORD: &str = "correct horse battery";
const NEW_PASSWORD: &str = "staple 2 the wall";

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs `vigil` with `VIGIL_TEST_PW` set to `password`.
fn run_with_password(v: &Vigil, password: &str, args: &[&str]) -> Output {
    v.cmd()
        .args(args)
        .env("VIGIL_TEST_PW", password)
        .output()
        .expect("run vigil")
}

/// Asserts the command failed with one `error:` line holding `said`, and printed no password.
fn refused(out: &Output, said: &str) {
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line on stderr: {stderr}");
    assert!(
        lines[0].starts_with("error: ") && lines[0].contains(said),
        "{stderr}"
    );
    no_password_in(out);
}

fn no_password_in(out: &Output) {
    for stream in [text(&out.stdout), text(&out.stderr)] {
        assert!(
            !stream.contains(PASSWORD) && !stream.contains(NEW_PASSWORD),
            "a password was printed: {stream}"
        );
    }
}

fn users(v: &Vigil) -> Vec<serde_json::Value> {
    let listed = v.ok(&["user", "list", "--json"]);
    assert!(
        !listed.contains("argon2") && !listed.contains("hash"),
        "{listed}"
    );
    assert!(!listed.contains(PASSWORD) && !listed.contains(NEW_PASSWORD));
    serde_json::from_str(&listed).expect("user list --json is a JSON array")
}

fn stored_hash(v: &Vigil, name: &str) -> String {
    let db = rusqlite::Connection::open(v.data_dir.join("vigil.db")).expect("open db");
    db.query_row(
        "SELECT password_hash FROM users WHERE name = ?1",
        [name],
        |r| r.get(0),
    )
    .expect("user row")
}

#[test]
fn users_are_added_listed_given_a_new_password_and_removed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let v = Vigil::new(dir.path());
    let empty = v.ok(&["user", "list"]);
    assert!(empty.starts_with("no users"), "{empty}");

    let args = ["user", "add", "--name", "root", "--role", "admin"];
    let out = run_with_password(
        &v,
        PASSWORD,
        &[&args[..], &["--password-env", "VIGIL_TEST_PW"]].concat(),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).trim(), "added admin 'root'");
    no_password_in(&out);
    let out = run_with_password(
        &v,
        PASSWORD,
        &[
            "user",
            "add",
            "--name",
            "Front desk",
            "--role",
            "Viewer",
            "--password-env",
            "VIGIL_TEST_PW",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));

    let listed = users(&v);
    let pairs: Vec<(&str, &str)> = listed
        .iter()
        .map(|u| {
            (
                u["name"].as_str().unwrap_or(""),
                u["role"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(pairs, [("Front desk", "viewer"), ("root", "admin")]);
    let text_list = v.ok(&["user", "list"]);
    assert!(
        text_list.contains("root") && text_list.contains("admin"),
        "{text_list}"
    );

    let before = stored_hash(&v, "root");
    assert!(before.starts_with("$argon2id$"), "{before}");
    let out = run_with_password(
        &v,
        NEW_PASSWORD,
        &[
            "user",
            "passwd",
            "--name",
            "root",
            "--password-env",
            "VIGIL_TEST_PW",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    no_password_in(&out);
    assert_ne!(stored_hash(&v, "root"), before);

    refused(
        &v.run(&["user", "remove", "--name", "root"]),
        "'root' is the last admin",
    );
    assert_eq!(
        v.ok(&["user", "remove", "--name", "Front desk"]).trim(),
        "removed user 'Front desk'"
    );
    assert_eq!(users(&v).len(), 1);

    // Every change is in the audit trail, none with a password.
    let db = rusqlite::Connection::open(dir.path().join("vigil.db")).expect("open db");
    let actions: Vec<String> = db
        .prepare("SELECT action || ': ' || detail FROM audit ORDER BY id")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .expect("audit rows");
    assert_eq!(
        actions,
        [
            "user.add: root (admin)",
            "user.add: Front desk (viewer)",
            "user.password: root",
            "user.remove: Front desk"
        ]
    );
}

#[test]
fn wrong_input_is_refused_with_a_sentence() {
    let dir = tempfile::tempdir().expect("temp dir");
    let v = Vigil::new(dir.path());
    // Made once, so the warning about a temp dir's open mode is not on a refusal's stderr.
    assert!(users(&v).is_empty());
    let add = |name: &str, role: &str, pw: &str| {
        run_with_password(
            &v,
            pw,
            &[
                "user",
                "add",
                "--name",
                name,
                "--role",
                role,
                "--password-env",
                "VIGIL_TEST_PW",
            ],
        )
    };
    refused(
        &add("eve", "root", PASSWORD),
        "unknown role 'root'; use viewer, operator or admin",
    );
    refused(
        &add("eve", "viewer", "short"),
        "a password needs at least 8 characters",
    );
    refused(
        &add("", "viewer", PASSWORD),
        "must be 1 to 64 characters long",
    );
    assert!(add("eve", "operator", PASSWORD).status.success());
    refused(
        &add("eve", "viewer", PASSWORD),
        "a user named 'eve' already exists",
    );
    // No variable, no terminal: nothing to read a password from.
    refused(
        &v.run(&["user", "add", "--name", "bob", "--role", "viewer"]),
        "no terminal to ask for the password on",
    );
    refused(
        &v.run(&[
            "user",
            "passwd",
            "--name",
            "eve",
            "--password-env",
            "VIGIL_NO_SUCH_VAR",
        ]),
        "VIGIL_NO_SUCH_VAR named by --password-env is not set",
    );
    refused(
        &v.run(&[
            "user",
            "passwd",
            "--name",
            "bob",
            "--password-env",
            "VIGIL_TEST_PW",
        ]),
        "no user named 'bob'",
    );
    refused(
        &v.run(&["user", "remove", "--name", "bob"]),
        "no user named 'bob'",
    );
    let names: Vec<String> = users(&v)
        .iter()
        .filter_map(|u| u["name"].as_str().map(String::from))
        .collect();
    assert_eq!(names, ["eve"]);
}
