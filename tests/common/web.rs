//! The real `vigil run --web` recording the demo camera, for the web viewer's tests: where it
//! listens, curl against it trusting only its certificate, users and API tokens made with
//! `vigil user`, signing in (session cookie and CSRF token), and everything it printed.

use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Child, Command, Output};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

use super::{assert_files_match_rows, terminate, wait_until, Vigil};

/// Lines a child printed, collected by a thread (so its pipe never fills).
type Lines = Arc<Mutex<Vec<String>>>;

/// A `vigil run --web …` recording the demo camera, with what it printed about the viewer.
pub struct WebRun {
    pub dir: tempfile::TempDir,
    pub vigil: Vigil,
    pub child: Child,
    /// e.g. `https://127.0.0.1:40123`.
    pub url: String,
    /// The certificate's SHA-256 as printed (none over plain HTTP).
    pub fingerprint: Option<String>,
    /// When `vigil run` was started, UTC µs.
    pub started_us: i64,
    stdout: Lines,
    stderr: Lines,
}

/// A signed-in browser: its `vigil_session=…` cookie pair and the CSRF token `/api/me` gave.
#[derive(Debug, Clone)]
pub struct Session {
    pub cookie: String,
    pub csrf: String,
    /// `Cookie: vigil_session=…`.
    pub cookie_header: String,
    /// `X-Vigil-CSRF: …`.
    pub csrf_header: String,
}

impl Session {
    fn new(cookie: String, csrf: String) -> Self {
        Self {
            cookie_header: format!("Cookie: {cookie}"),
            csrf_header: format!("X-Vigil-CSRF: {csrf}"),
            cookie,
            csrf,
        }
    }

    /// curl arguments for reading (cookie only), borrowed.
    pub fn get(&self) -> Vec<&str> {
        vec!["-H", &self.cookie_header]
    }

    /// curl arguments for a change (cookie and CSRF header), with `method` and a JSON body
    /// when given.
    pub fn change<'a>(&'a self, method: &'a str, json: Option<&'a str>) -> Vec<&'a str> {
        let mut a = vec![
            "-H",
            &self.cookie_header,
            "-H",
            &self.csrf_header,
            "-X",
            method,
        ];
        if let Some(j) = json {
            a.extend(["-H", "Content-Type: application/json", "--data", j]);
        }
        a
    }

    /// curl arguments sending the cookie and the CSRF header.
    pub fn args(&self) -> Vec<String> {
        vec![
            "-H".into(),
            format!("Cookie: {}", self.cookie),
            "-H".into(),
            format!("X-Vigil-CSRF: {}", self.csrf),
        ]
    }

    /// curl arguments sending the cookie only.
    pub fn cookie_args(&self) -> Vec<String> {
        vec!["-H".into(), format!("Cookie: {}", self.cookie)]
    }
}

fn collect(pipe: impl Read + Send + 'static, lines: Lines, tx: Option<mpsc::Sender<String>>) {
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines().map_while(Result::ok) {
            if let Some(tx) = &tx {
                if line.starts_with("web viewer on ") {
                    let _ = tx.send(line.clone());
                }
            }
            lines.lock().expect("lines").push(line);
        }
    });
}

impl WebRun {
    /// A new data directory with the demo camera (2-s segments), and `vigil run --for 120s`
    /// with `web_args` (e.g. `["--web", "127.0.0.1:0"]`).
    pub fn start(web_args: &[&str]) -> Self {
        Self::start_with_cameras(&[], web_args)
    }

    /// [`WebRun::start`] with `more` cameras (name, URL), also in 2-s segments.
    pub fn start_with_cameras(more: &[(&str, &str)], web_args: &[&str]) -> Self {
        let dir = tempfile::tempdir().expect("dir");
        let vigil = Vigil::new(dir.path());
        vigil.add_demo_camera("cam", &["--segment-seconds", "2"]);
        for (name, url) in more {
            vigil.ok(&[
                "camera",
                "add",
                "--name",
                name,
                "--url",
                url,
                "--segment-seconds",
                "2",
            ]);
        }
        Self::start_in(dir, web_args)
    }

    /// `vigil run --for 120s` (unless `web_args` say `--for`) with `web_args` in a data
    /// directory made already.
    pub fn start_in(dir: tempfile::TempDir, web_args: &[&str]) -> Self {
        let vigil = Vigil::new(dir.path());
        let started_us = now_us();
        let mut args = vec!["run"];
        if !web_args.contains(&"--for") {
            args.extend(["--for", "120s"]);
        }
        args.extend_from_slice(web_args);
        let mut child = vigil.spawn(&args);
        let (stdout, stderr) = (Lines::default(), Lines::default());
        let (tx, rx) = mpsc::channel();
        collect(
            child.stdout.take().expect("stdout"),
            stdout.clone(),
            Some(tx),
        );
        collect(child.stderr.take().expect("stderr"), stderr.clone(), None);
        let line = rx
            .recv_timeout(Duration::from_secs(30))
            .unwrap_or_else(|_| {
                panic!(
                    "vigil run printed where the web viewer is; stderr: {}",
                    stderr.lock().expect("lines").join("\n")
                )
            });
        eprintln!("{line}");
        let rest = line.trim_start_matches("web viewer on ");
        let (url, said) = rest.split_once(" (").expect("url (…)");
        let fingerprint = said
            .strip_prefix("certificate SHA-256 ")
            .map(|f| f.trim_end_matches(')').to_string());
        Self {
            url: url.to_string(),
            fingerprint,
            started_us,
            dir,
            vigil,
            child,
            stdout,
            stderr,
        }
    }

    /// `host:port`.
    pub fn addr(&self) -> String {
        self.url
            .split_once("://")
            .map(|(_, a)| a.to_string())
            .expect("scheme://addr")
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn cert(&self) -> PathBuf {
        self.dir.path().join("web-cert.pem")
    }

    /// Everything `vigil run` printed on stdout so far.
    pub fn stdout(&self) -> String {
        self.stdout.lock().expect("lines").join("\n")
    }

    /// Everything `vigil run` printed on stderr (its log) so far.
    pub fn stderr(&self) -> String {
        self.stderr.lock().expect("lines").join("\n")
    }

    /// A request with curl trusting only the generated certificate: (status, head and body).
    pub fn curl(&self, path: &str, extra: &[&str]) -> (u16, String) {
        let extra: Vec<String> = extra.iter().map(|a| a.to_string()).collect();
        self.curl_with(path, &extra)
    }

    /// [`WebRun::curl`] with owned arguments.
    pub fn curl_with(&self, path: &str, extra: &[String]) -> (u16, String) {
        let out = self.curl_output(path, extra);
        let text = String::from_utf8_lossy(&out).into_owned();
        (status_of(&text), text)
    }

    /// [`WebRun::curl`] keeping the body's bytes: (status, head, body).
    pub fn curl_bytes(&self, path: &str, extra: &[&str]) -> (u16, String, Vec<u8>) {
        let extra: Vec<String> = extra.iter().map(|a| a.to_string()).collect();
        let out = self.curl_output(path, &extra);
        let split = out
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or(out.len());
        let head = String::from_utf8_lossy(&out[..split]).into_owned();
        let body = out.get(split + 4..).unwrap_or_default().to_vec();
        (status_of(&head), head, body)
    }

    /// `curl -i` of `path` with `extra`, trusting only the generated certificate: its output.
    fn curl_output(&self, path: &str, extra: &[String]) -> Vec<u8> {
        let mut cmd = Command::new("curl");
        cmd.args(["-sS", "-i", "--max-time", "30"]);
        if self.url.starts_with("https") {
            cmd.arg("--cacert").arg(self.cert());
        }
        let out = cmd
            .args(extra)
            .arg(format!("{}{path}", self.url))
            .output()
            .expect("curl is installed");
        assert!(
            out.status.success(),
            "curl {path}: {}\n{}",
            String::from_utf8_lossy(&out.stderr),
            String::from_utf8_lossy(&out.stdout)
        );
        out.stdout
    }

    /// [`WebRun::curl`] as a signed-in browser (cookie and CSRF header) plus `extra`.
    pub fn curl_as(&self, s: &Session, path: &str, extra: &[&str]) -> (u16, String) {
        let mut args = s.args();
        args.extend(extra.iter().map(|a| a.to_string()));
        self.curl_with(path, &args)
    }

    /// [`WebRun::curl`] with `Authorization: Bearer token` plus `extra`.
    pub fn curl_bearer(&self, token: &str, path: &str, extra: &[&str]) -> (u16, String) {
        let mut args = vec!["-H".to_string(), format!("Authorization: Bearer {token}")];
        args.extend(extra.iter().map(|a| a.to_string()));
        self.curl_with(path, &args)
    }

    /// `vigil user add --name name --role role` with the password from the environment.
    pub fn add_user(&self, name: &str, role: &str, password: &str) {
        add_user(&self.vigil, name, role, password);
    }

    /// Signs in through the login form; panics unless it worked.
    pub fn sign_in(&self, name: &str, password: &str) -> Session {
        let form = [
            "--data-urlencode".to_string(),
            format!("name={name}"),
            "--data-urlencode".to_string(),
            format!("password={password}"),
        ];
        let (status, text) = self.curl_with("/login", &form);
        assert_eq!(status, 303, "signing in as {name}: {text}");
        let cookie = set_cookie(&text)
            .split(';')
            .next()
            .expect("name=value")
            .to_string();
        let with_cookie = ["-H".to_string(), format!("Cookie: {cookie}")];
        let (status, me) = self.curl_with("/api/me", &with_cookie);
        assert_eq!(status, 200, "{me}");
        let me = json_body(&me);
        let csrf = me["csrf"].as_str().expect("csrf").to_string();
        Session::new(cookie, csrf)
    }

    /// A new API token for `user` (`vigil user token add`), as printed once.
    pub fn add_token(&self, user: &str, label: &str) -> String {
        let out = self
            .vigil
            .ok(&["user", "token", "add", "--name", user, "--label", label]);
        token_in(&out)
    }

    pub fn segments(&self) -> usize {
        self.vigil.recordings().len()
    }

    /// Waits (30 s at most) until there are more than `before` segments; returns how many.
    pub fn wait_for_segments_after(&self, before: usize) -> usize {
        let mut n = 0;
        assert!(
            wait_until(Duration::from_secs(30), || {
                n = self.segments();
                n > before
            }),
            "the demo camera recorded a new segment"
        );
        n
    }

    /// SIGTERM; `run` must stop successfully with files and rows agreeing.
    pub fn finish(self) {
        self.finish_output();
    }

    /// [`WebRun::finish`], giving back the whole output (stdout and stderr as collected).
    pub fn finish_output(self) -> Output {
        self.stop().1
    }

    /// [`WebRun::finish`], then `vigil run` again in the same data directory with `web_args`.
    pub fn restart(self, web_args: &[&str]) -> Self {
        let (dir, _) = self.stop();
        Self::start_in(dir, web_args)
    }

    fn stop(self) -> (tempfile::TempDir, Output) {
        let mut out = terminate(self.child);
        let stderr = self.stderr.lock().expect("lines").join("\n");
        assert!(out.status.success(), "{stderr}");
        assert_files_match_rows(&self.vigil);
        out.stdout = self.stdout.lock().expect("lines").join("\n").into_bytes();
        out.stderr = stderr.into_bytes();
        (self.dir, out)
    }
}

/// `vigil user add --name name --role role` with the password from the environment.
pub fn add_user(vigil: &Vigil, name: &str, role: &str, password: &str) {
    let mut add = vigil.cmd();
    add.args(["user", "add", "--name", name, "--role", role]);
    add.args(["--password-env", "VIGIL_TEST_PW"])
        .env("VIGIL_TEST_PW", password);
    let out = add.output().expect("vigil user add");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The token in `vigil user token add`'s output: its line `token: …`.
pub fn token_in(out: &str) -> String {
    out.lines()
        .find_map(|l| l.trim().strip_prefix("token: "))
        .unwrap_or_else(|| panic!("a token line in: {out}"))
        .trim()
        .to_string()
}

/// The status code of a `curl -i` answer (past any interim `100 Continue`).
pub fn status_of(response: &str) -> u16 {
    response
        .lines()
        .filter(|l| l.starts_with("HTTP/"))
        .filter_map(|l| l.split_whitespace().nth(1)?.parse().ok())
        .find(|code| *code >= 200)
        .unwrap_or(0)
}

/// The body of a `curl -i` answer.
pub fn body_of(response: &str) -> &str {
    response.split_once("\r\n\r\n").map_or("", |(_, b)| b)
}

/// The body of a `curl -i` answer as JSON.
pub fn json_body(response: &str) -> serde_json::Value {
    serde_json::from_str(body_of(response)).unwrap_or_else(|e| panic!("{e}: {response}"))
}

/// The `Set-Cookie` header's value in a response.
pub fn set_cookie(response: &str) -> String {
    response
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("set-cookie")
                .then(|| value.trim().to_string())
        })
        .unwrap_or_default()
}

/// The value of header `name` in a `curl -i` answer's head.
pub fn header(response: &str, name: &str) -> Option<String> {
    response.split("\r\n\r\n").next()?.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
    })
}

/// Now, UTC µs.
pub fn now_us() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_micros() as i64)
        .unwrap_or(0)
}
