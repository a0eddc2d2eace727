//! The web viewer's events and exports through the real `vigil run --web`, recording the
//! demo camera continuously and on events: the events list with its filters and paging,
//! thumbnails as stored, protect and delete by operators (audited) and never by viewers,
//! CSRF and bad input refused in words, and export downloads streamed while they are made —
//! probed with ffprobe, leaving the library as it was and nothing behind, stopped when the
//! client goes away.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::{assert_files_match_rows, ffprobe, terminate, wait_until, Vigil};

mod browser;

/// Every test user's password.
const PASSWORD: &str = "a long pass phrase 7";

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

fn json(body: &[u8]) -> Value {
    serde_json::from_slice(body)
        .unwrap_or_else(|_| panic!("not JSON: {}", String::from_utf8_lossy(body)))
}

fn events(run: &WebRun, s: &Session, query: &str) -> Vec<Value> {
    let (status, head, body) = run.curl(&format!("/api/events{query}"), &s.get());
    assert_eq!(status, 200, "{query}: {head}");
    json(&body)["events"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn error_of(body: &[u8]) -> String {
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

#[test]
fn events_are_listed_filtered_and_protected_or_deleted_by_operators_only() {
    let run = prepared_run();
    let op = run.sign_in("olga", "operator");
    let viewer = run.sign_in("vic", "viewer");
    let admin = run.sign_in("ada", "admin");
    let door = door_event(&run, &op, "door");
    let id = door["id"].as_i64().expect("id");

    let all = events(&run, &viewer, "");
    assert!(all.len() >= 2, "{all:?}");
    let starts: Vec<i64> = all
        .iter()
        .map(|e| e["start_us"].as_i64().unwrap_or(0))
        .collect();
    assert!(
        starts.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {starts:?}"
    );
    let motion = events(&run, &viewer, "?source=motion&camera=cam");
    assert_eq!(motion.len(), 1, "{motion:?}");
    let m = &motion[0];
    assert_eq!(
        (m["zone"].as_str(), m["has_thumbnail"].as_bool()),
        (Some("lot"), Some(true))
    );
    assert_eq!(events(&run, &viewer, "?zone=lot").len(), 1);
    assert!(events(&run, &viewer, "?zone=nowhere").is_empty());
    let doors = events(&run, &viewer, "?source=external&label=door");
    assert_eq!(doors.len(), 1);
    assert_eq!(doors[0]["id"], door["id"]);
    assert_eq!(doors[0]["camera"], "cam");
    let before_door = door["start_us"].as_i64().unwrap_or(0);
    let early = events(&run, &viewer, &format!("?to={before_door}"));
    assert!(
        early.iter().all(|e| e["id"] != door["id"]),
        "to bounds the list"
    );
    // Paging: one a page, the next page starts after the first.
    let (status, _, body) = run.curl("/api/events?limit=1", &viewer.get());
    assert_eq!(status, 200);
    let page = json(&body);
    let next = page["next"].as_str().expect("a next page").to_string();
    let second = events(&run, &viewer, &format!("?limit=1&before={next}"));
    assert_eq!(second.len(), 1);
    assert_ne!(second[0]["id"], page["events"][0]["id"]);

    // The thumbnail is the stored JPEG; none for a trigger or an unknown event.
    let mid = m["id"].as_i64().expect("id");
    let (status, head, jpeg) = run.curl(&format!("/api/events/{mid}/thumbnail.jpg"), &viewer.get());
    assert_eq!(status, 200, "{head}");
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: image/jpeg"),
        "{head}"
    );
    assert!(
        jpeg.starts_with(&[0xFF, 0xD8]) && jpeg.ends_with(&[0xFF, 0xD9]),
        "a JPEG"
    );
    assert_eq!(
        run.curl(&format!("/api/events/{id}/thumbnail.jpg"), &viewer.get())
            .0,
        404
    );
    assert_eq!(
        run.curl("/api/events/999999/thumbnail.jpg", &viewer.get())
            .0,
        404
    );
    assert_eq!(
        run.curl(&format!("/api/events/{mid}/thumbnail.jpg"), &[]).0,
        401
    );

    // Bad input: a sentence and a 4xx.
    for (query, status, words) in [
        (
            "?from=yesterday",
            400,
            "from must be a time in microseconds",
        ),
        ("?limit=0", 400, "limit must be a whole number"),
        ("?source=dog", 400, "event source 'dog' is unknown"),
        ("?camera=nope", 404, "no camera named 'nope'"),
        ("?before=x.y", 400, "before must be"),
    ] {
        let (got, head, body) = run.curl(&format!("/api/events{query}"), &viewer.get());
        assert_eq!(got, status, "{query}: {head}");
        assert!(
            error_of(&body).contains(words),
            "{query}: {}",
            error_of(&body)
        );
    }

    // Viewers may not change events; nobody without the CSRF token.
    let protect = format!("/api/events/{id}/protect");
    let yes = r#"{"protected": true}"#;
    let (status, _, body) = run.curl(&protect, &viewer.change("POST", Some(yes)));
    assert_eq!(status, 403);
    assert!(
        error_of(&body).contains("may not protect or delete events"),
        "{}",
        error_of(&body)
    );
    assert_eq!(
        run.curl(&format!("/api/events/{id}"), &viewer.change("DELETE", None))
            .0,
        403
    );
    let no_csrf = ["-H", op.cookie.as_str(), "-X", "POST", "--data", yes];
    assert_eq!(
        run.curl(&protect, &no_csrf).0,
        403,
        "without the CSRF header"
    );
    assert_eq!(
        run.curl("/api/events/999999/protect", &op.change("POST", Some(yes)))
            .0,
        404
    );
    assert_eq!(
        run.curl("/api/events/abc/protect", &op.change("POST", Some(yes)))
            .0,
        400
    );
    assert_eq!(run.curl(&protect, &op.change("POST", Some("{}"))).0, 400);

    // An operator protects (then deleting is refused in words), unprotects and deletes.
    let (status, head, body) = run.curl(&protect, &op.change("POST", Some(yes)));
    assert_eq!(status, 200, "{head}");
    assert_eq!(json(&body)["protected"], true);
    assert_eq!(events(&run, &viewer, "?label=door")[0]["protected"], true);
    let delete = format!("/api/events/{id}");
    let (status, _, body) = run.curl(&delete, &op.change("DELETE", None));
    assert_eq!(status, 409);
    assert!(
        error_of(&body).contains("unprotect it first"),
        "{}",
        error_of(&body)
    );
    let no = r#"{"protected": false}"#;
    assert_eq!(run.curl(&protect, &op.change("POST", Some(no))).0, 200);
    let (status, head, body) = run.curl(&delete, &op.change("DELETE", None));
    assert_eq!(status, 200, "{head}");
    assert_eq!(json(&body)["clips"], 1, "its clip went with it");
    assert!(events(&run, &viewer, "?label=door").is_empty());
    assert_eq!(run.curl(&delete, &op.change("DELETE", None)).0, 404);

    // The audit trail shows who did it; only admins read it.
    assert_eq!(run.curl("/api/audit", &op.get()).0, 403);
    let (status, _, body) = run.curl("/api/audit?limit=50", &admin.get());
    assert_eq!(status, 200);
    let trail = json(&body)["entries"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let row = |action: &str| {
        trail
            .iter()
            .find(|e| e["action"] == action && e["user"] == "olga")
            .cloned()
    };
    let deleted = row("event deleted").expect("the deletion is audited");
    eprintln!("audit: {deleted}");
    let detail = deleted["detail"].as_str().unwrap_or_default();
    assert!(
        detail.contains(&format!("event {id} on camera cam")),
        "{detail}"
    );
    assert!(deleted["address"]
        .as_str()
        .is_some_and(|a| a.starts_with("127.0.0.1")));
    assert!(row("event protected").is_some() && row("event unprotected").is_some());
    run.finish();
}

/// Every file in the data directory but the recordings and the database: (path, size).
fn other_files(dir: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, &mut out);
    out.retain(|p| {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        !p.starts_with(dir.join("recordings")) && !name.starts_with("vigil.db")
    });
    out.sort();
    out
}

fn now_us() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_micros() as i64)
        .unwrap_or(0)
}

/// Downloads `path` to a file with curl: (status, headers, file).
fn download(run: &WebRun, s: &Session, path: &str, to: &Path) -> (u16, String) {
    let out = Command::new("curl")
        .args(["-sS", "--max-time", "60", "-D", "-", "-o"])
        .arg(to)
        .arg("--cacert")
        .arg(run.cert())
        .args(["-H", &s.cookie])
        .arg(format!("{}{path}", run.url))
        .output()
        .expect("curl");
    let head = String::from_utf8_lossy(&out.stdout).into_owned();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, head)
}

#[test]
fn exports_stream_while_made_leave_nothing_behind_and_only_operators_get_them() {
    let run = prepared_run();
    let op = run.sign_in("olga", "operator");
    let viewer = run.sign_in("vic", "viewer");
    let admin = run.sign_in("ada", "admin");
    let door = door_event(&run, &op, "door");
    // 6 s of this run's continuous footage (2-s segments, a keyframe every 2 s).
    let (from, to) = (run.started_us + 2_000_000, run.started_us + 8_000_000);
    assert!(wait_until(Duration::from_secs(30), || {
        run.vigil.recordings().iter().any(|r| {
            r["kind"] == "continuous" && r["end_us"].as_i64().unwrap_or(0) > to + 1_000_000
        })
    }));
    let t0 = now_us();
    let rows_before = run.vigil.recordings();
    let others_before = other_files(run.dir.path());

    let out = tempfile::tempdir().expect("out");
    let file = out.path().join("range.mp4");
    let range = format!("/api/export?camera=cam&from={from}&to={to}");
    let t = Instant::now();
    let (status, head) = download(&run, &op, &range, &file);
    eprintln!("6-s range exported in {:?}", t.elapsed());
    assert_eq!(status, 200, "{head}\n{}", run.log());
    let lower = head.to_ascii_lowercase();
    assert!(lower.contains("content-type: video/mp4"), "{head}");
    assert!(
        lower.contains("content-disposition: attachment; filename=\"cam-"),
        "{head}"
    );
    assert!(
        lower.contains("transfer-encoding: chunked"),
        "streamed: {head}"
    );
    let p = ffprobe(file.to_str().expect("utf-8"));
    eprintln!("range export: {} frames, {:.2} s", p.frames, p.duration_s);
    assert_eq!(p.codec, "h264", "not re-encoded");
    assert!(
        p.duration_s >= 5.8 && p.duration_s <= 8.2,
        "6 s asked, starting at the keyframe before: {:.2} s",
        p.duration_s
    );

    // The library is as it was; nothing was left in the data directory.
    let rows_after = run.vigil.recordings();
    for r in &rows_before {
        assert!(rows_after.contains(r), "recording {r} unchanged");
    }
    assert_eq!(
        other_files(run.dir.path()),
        others_before,
        "nothing left behind"
    );

    // An event's export.
    let ev = out.path().join("event.mp4");
    let (status, head) = download(&run, &op, &format!("/api/export?event={}", door["id"]), &ev);
    assert_eq!(status, 200, "{head}");
    let p = ffprobe(ev.to_str().expect("utf-8"));
    assert_eq!(p.codec, "h264");
    assert!(
        p.duration_s >= 0.9 && p.duration_s < 3.5,
        "1-s event: {:.2} s",
        p.duration_s
    );

    // Refusals in words, before any video.
    let (status, _, body) = run.curl(&range, &viewer.get());
    assert_eq!(status, 403, "viewers do not export");
    assert!(error_of(&body).contains("may not download exports"));
    assert_eq!(run.curl(&range, &admin.get()).0, 200);
    let empty = "/api/export?camera=cam&from=978307200000000&to=978307260000000";
    let (status, _, body) = run.curl(empty, &op.get());
    assert_eq!(status, 404);
    assert!(
        error_of(&body).contains("nothing was recorded"),
        "{}",
        error_of(&body)
    );
    for (query, status) in [
        ("camera=nope&from=1&to=2", 404),
        ("event=999999", 404),
        ("camera=cam&from=abc&to=2", 400),
        ("camera=cam&from=5&to=5", 400),
        ("camera=cam", 400),
    ] {
        let (got, head, body) = run.curl(&format!("/api/export?{query}"), &op.get());
        assert_eq!(got, status, "{query}: {head}");
        assert!(!error_of(&body).is_empty());
    }

    // Clients that go away: more than the limit of simultaneous downloads abandoned in turn
    // (each ends: stopped, or finished into the connection's buffers), and a download still
    // works after them. (That the export itself stops is web::export's unit test: over
    // loopback the socket buffers take this short library whole.)
    let long = format!(
        "/api/export?camera=cam&from={}&to={}",
        t0 - 120_000_000,
        now_us()
    );
    for _ in 0..6 {
        let status = Command::new("curl")
            .args([
                "-sS",
                "--limit-rate",
                "4k",
                "--max-time",
                "1",
                "-o",
                "/dev/null",
            ])
            .arg("--cacert")
            .arg(run.cert())
            .args(["-H", &op.cookie])
            .arg(format!("{}{long}", run.url))
            .status()
            .expect("curl");
        assert!(!status.success(), "curl gave up before the end");
    }
    let ended = |log: &str| {
        log.matches("export download stopped").count() + log.matches("export downloaded").count()
    };
    assert!(
        wait_until(Duration::from_secs(10), || ended(&run.log()) >= 9),
        "each abandoned export ended:\n{}",
        run.log()
    );
    let again = out.path().join("again.mp4");
    assert_eq!(download(&run, &op, &range, &again).0, 200);
    assert_eq!(
        other_files(run.dir.path()),
        others_before,
        "nothing left behind"
    );

    let (_, _, body) = run.curl("/api/audit", &admin.get());
    let trail = json(&body)["entries"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let exports: Vec<&Value> = trail.iter().filter(|e| e["action"] == "export").collect();
    eprintln!("audited exports: {}", exports.len());
    assert!(exports.len() >= 10, "every export is audited: {exports:?}");
    assert!(exports.iter().any(|e| e["user"] == "olga"
        && e["detail"]
            .as_str()
            .is_some_and(|d| d.starts_with(&format!("event {}", door["id"])))));
    assert!(exports.iter().any(|e| e["user"] == "ada"
        && e["detail"]
            .as_str()
            .is_some_and(|d| d.starts_with("camera cam from "))));
    run.finish();
}
