//! What the events tests stand on: the real `vigil run --web` over a prepared library
//! (a motion event with a thumbnail, then triggers only), users signed in with curl, and
//! small readers of the API's answers.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

use serde_json::Value;

use crate::common::{assert_files_match_rows, terminate, wait_until, Vigil};

/// Every test user's password.
pub const PASSWORD: &str = "a long pass phrase 7";

/// A `vigil run --web … --api …` over a prepared data directory (copied from web.rs).
pub struct WebRun {
    pub dir: tempfile::TempDir,
    pub vigil: Vigil,
    child: Child,
    /// e.g. `https://127.0.0.1:40123`.
    pub url: String,
    /// What the server wrote to stderr so far (drained so the pipe never fills).
    log: Arc<Mutex<String>>,
    /// When it was started, UTC µs.
    pub started_us: i64,
}

impl WebRun {
    pub fn start(dir: tempfile::TempDir, vigil: Vigil) -> Self {
        let started_us = now_us();
        let mut child = vigil.spawn(&[
            "run",
            "--for",
            "180s",
            "--web",
            "127.0.0.1:0",
            "--api",
            "127.0.0.1:0",
        ]);
        let stdout = child.stdout.take().expect("stdout");
        let stderr = child.stderr.take().expect("stderr");
        let log = Arc::new(Mutex::new(String::new()));
        let sink = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Ok(mut l) = sink.lock() {
                    l.push_str(&line);
                    l.push('\n');
                }
            }
        });
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if line.starts_with("web viewer on ") {
                    let _ = tx.send(line);
                }
            }
        });
        let line = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("vigil run printed where the web viewer is");
        let rest = line.trim_start_matches("web viewer on ");
        let (url, _) = rest.split_once(" (").expect("url (…)");
        let api = dir.path().join("api.addr");
        assert!(
            wait_until(Duration::from_secs(15), || api.exists()),
            "the trigger API came up"
        );
        Self {
            url: url.to_string(),
            dir,
            vigil,
            child,
            log,
            started_us,
        }
    }

    pub fn cert(&self) -> PathBuf {
        self.dir.path().join("web-cert.pem")
    }

    pub fn log(&self) -> String {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }

    /// A request with curl trusting only the generated certificate: (status, head, body).
    pub fn curl(&self, path: &str, extra: &[&str]) -> (u16, String, Vec<u8>) {
        let mut cmd = Command::new("curl");
        cmd.args(["-sS", "-i", "--max-time", "30", "--cacert"])
            .arg(self.cert());
        let out = cmd
            .args(extra)
            .arg(format!("{}{path}", self.url))
            .output()
            .expect("curl is installed");
        assert!(
            out.status.success(),
            "curl {path}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let split = out
            .stdout
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or(out.stdout.len());
        let head = String::from_utf8_lossy(&out.stdout[..split]).into_owned();
        let body = out.stdout.get(split + 4..).unwrap_or_default().to_vec();
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        (status, head, body)
    }

    /// Adds a user with [`PASSWORD`].
    pub fn add_user(&self, name: &str, role: &str) {
        let mut add = self.vigil.cmd();
        add.args(["user", "add", "--name", name, "--role", role]);
        add.args(["--password-env", "PW"]).env("PW", PASSWORD);
        let out = add.output().expect("vigil user add");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Adds a user and signs in: the session's curl arguments (cookie, CSRF header).
    pub fn sign_in(&self, name: &str, role: &str) -> Session {
        self.add_user(name, role);
        let form = [
            "--data-urlencode",
            &format!("name={name}"),
            "--data-urlencode",
            &format!("password={PASSWORD}"),
        ]
        .map(str::to_string);
        let args: Vec<&str> = form.iter().map(String::as_str).collect();
        let (status, head, _) = self.curl("/login", &args);
        assert_eq!(status, 303, "{head}");
        let cookie = head
            .lines()
            .find_map(|l| {
                l.strip_prefix("set-cookie: ")
                    .or(l.strip_prefix("Set-Cookie: "))
            })
            .and_then(|c| c.split(';').next())
            .expect("a session cookie")
            .to_string();
        let cookie = format!("Cookie: {cookie}");
        let (status, _, body) = self.curl("/api/me", &["-H", &cookie]);
        assert_eq!(status, 200);
        let me: Value = serde_json::from_slice(&body).expect("json");
        let csrf = format!("X-Vigil-CSRF: {}", me["csrf"].as_str().expect("csrf"));
        Session { cookie, csrf }
    }

    /// SIGTERM; `run` must stop successfully with files and rows agreeing.
    pub fn finish(self) {
        let out = terminate(self.child);
        assert!(
            out.status.success(),
            "{}",
            self.log.lock().map(|l| l.clone()).unwrap_or_default()
        );
        assert_files_match_rows(&self.vigil);
    }
}

/// A signed-in curl: its cookie and CSRF headers.
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

impl Session {
    /// Reading (cookie only).
    pub fn get(&self) -> Vec<&str> {
        vec!["-H", &self.cookie]
    }

    /// A change (cookie and CSRF token), with `method` and a JSON body when given.
    pub fn change<'a>(&'a self, method: &'a str, json: Option<&'a str>) -> Vec<&'a str> {
        let mut a = vec!["-H", &self.cookie, "-H", &self.csrf, "-X", method];
        if let Some(j) = json {
            a.extend(["-H", "Content-Type: application/json", "--data", j]);
        }
        a
    }
}

/// The demo camera "cam" recording 2-s segments and event clips. A first short run makes a
/// motion event (with a thumbnail, in zone "lot"); then the whole picture is masked so the
/// viewer's run has only the triggers the test fires.
pub fn prepared_run() -> WebRun {
    let dir = tempfile::tempdir().expect("dir");
    let vigil = Vigil::new(dir.path());
    vigil.ok(&[
        "camera",
        "add",
        "--name",
        "cam",
        "--url",
        "demo://",
        "--record",
        "both",
        "--segment-seconds",
        "2",
        "--pre-event",
        "1s",
        "--post-event",
        "1s",
    ]);
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
    WebRun::start(dir, vigil)
}

pub fn json(body: &[u8]) -> Value {
    serde_json::from_slice(body)
        .unwrap_or_else(|_| panic!("not JSON: {}", String::from_utf8_lossy(body)))
}

pub fn events(run: &WebRun, s: &Session, query: &str) -> Vec<Value> {
    let (status, head, body) = run.curl(&format!("/api/events{query}"), &s.get());
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

pub fn now_us() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_micros() as i64)
        .unwrap_or(0)
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
