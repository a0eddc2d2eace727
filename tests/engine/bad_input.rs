//! Bad input, end to end: an unreachable or unresolvable host, a 401 from the camera, a URL
//! that is not video, a duplicate or invalid camera, an unwritable data directory. Each must
//! give one clear sentence, and a non-zero exit code where the command cannot do its job.
//! (Cameras failing while recording are in `failing_cameras.rs`.)

use crate::common;

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{free_port, wait_until, RtspServer, Vigil};

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Asserts a command failed with exit code 1 and exactly one line on stderr, starting with
/// `error:`; returns that line.
fn single_error_line(out: &Output, what: &str) -> String {
    let stderr = text(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{what}: expected exit code 1\nstdout: {}\nstderr: {stderr}",
        text(&out.stdout)
    );
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{what}: one line on stderr, got:\n{stderr}");
    assert!(
        lines[0].starts_with("error: "),
        "{what}: the line starts with 'error: ': {stderr}"
    );
    lines[0].to_string()
}

/// A closed local port: bound once to find it free, then released (nothing listens).
fn closed_port() -> u16 {
    let port = free_port();
    assert!(
        TcpStream::connect(("127.0.0.1", port)).is_err(),
        "port {port} should be closed"
    );
    port
}

/// A plain `python3 -m http.server` serving a temp directory: a URL that is not video.
struct HttpServer {
    port: u16,
    child: Child,
}

impl HttpServer {
    fn start(dir: &Path) -> Self {
        let port = free_port();
        let child = Command::new("/usr/bin/python3")
            .args([
                "-m",
                "http.server",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
            ])
            .arg("--directory")
            .arg(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start python3 -m http.server");
        let server = Self { port, child };
        assert!(
            wait_until(Duration::from_secs(10), || TcpStream::connect((
                "127.0.0.1",
                port
            ))
            .is_ok()),
            "http.server did not listen on {port} within 10 s"
        );
        server
    }

    fn url(&self, file: &str) -> String {
        format!("http://127.0.0.1:{}/{file}", self.port)
    }
}

impl Drop for HttpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn camera_names(vigil: &Vigil) -> Vec<(String, String)> {
    let json: serde_json::Value =
        serde_json::from_str(&vigil.ok(&["camera", "list", "--json"])).expect("JSON");
    json.as_array()
        .expect("camera list --json is an array")
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap_or("").to_string(),
                c["url"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// 1. `vigil camera test` against sources that cannot work
// ---------------------------------------------------------------------------------------

#[test]
fn camera_test_connection_refused_is_one_sentence() {
    let dir = tempfile::tempdir().expect("temp dir");
    let vigil = Vigil::new(&dir.path().join("data"));
    let url = format!("rtsp://127.0.0.1:{}/x", closed_port());
    let started = Instant::now();
    let out = vigil.run(&["camera", "test", "--url", &url]);
    let line = single_error_line(&out, "refused");
    assert_eq!(line, format!("error: connection refused by {url}"));
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "a refused connection is reported at once, took {:?}",
        started.elapsed()
    );
    assert!(text(&out.stdout).is_empty(), "nothing on stdout");
}

#[test]
fn camera_test_unresolvable_host_is_one_sentence_within_the_timeout() {
    let dir = tempfile::tempdir().expect("temp dir");
    let vigil = Vigil::new(&dir.path().join("data"));
    let url = "rtsp://nonexistent.invalid/x";
    let started = Instant::now();
    let out = vigil.run(&["camera", "test", "--url", url]);
    let took = started.elapsed();
    let line = single_error_line(&out, "unresolvable host");
    // FFmpeg only says "input/output error"; Vigil names the host that does not resolve
    // (and the resolver's reason, which depends on the machine's DNS set-up).
    assert!(
        line.starts_with(
            "error: cannot find host 'nonexistent.invalid' for rtsp://nonexistent.invalid/x ("
        ) && line.ends_with(')'),
        "says the host name does not resolve: {line}"
    );
    // The connect timeout is 10 s; a name that does not resolve must not take longer.
    assert!(
        took < Duration::from_secs(12),
        "returned within the timeout, took {took:?}"
    );
}

#[test]
fn camera_test_host_that_never_answers_gives_up_at_the_timeout() {
    // A listener that never accepts: the TCP connection succeeds (the kernel queues it) but
    // no RTSP reply ever comes, like a hung camera.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = silent.local_addr().expect("addr").port();
    let dir = tempfile::tempdir().expect("temp dir");
    let vigil = Vigil::new(&dir.path().join("data"));
    let url = format!("rtsp://127.0.0.1:{port}/x");
    let started = Instant::now();
    let out = vigil.run(&["camera", "test", "--timeout", "3s", "--url", &url]);
    let took = started.elapsed();
    let line = single_error_line(&out, "silent host");
    assert_eq!(line, format!("error: no answer from {url} within 3 s"));
    assert!(
        took >= Duration::from_millis(2900) && took < Duration::from_secs(8),
        "gave up at the 3 s timeout, took {took:?}"
    );
    drop(silent);
}

#[test]
fn camera_test_401_names_the_credentials_and_never_shows_the_password() {
    let server = RtspServer::start(&["--user", "admin", "--password", "s3cretPW"]);
    let dir = tempfile::tempdir().expect("temp dir");
    let vigil = Vigil::new(&dir.path().join("data"));

    // No credentials at all.
    let out = vigil.run(&["camera", "test", "--url", &server.url("h264")]);
    let line = single_error_line(&out, "no credentials");
    assert_eq!(
        line,
        format!(
            "error: {} refused the user name or password (401 Unauthorized)",
            server.url("h264")
        )
    );

    // A wrong password: same sentence, with the password masked.
    let wrong = server.url_with_auth("admin", "WrongPw99", "h264");
    let out = vigil.run(&["-vv", "camera", "test", "--url", &wrong]);
    let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert!(!all.contains("WrongPw99"), "password leaked:\n{all}");
    assert_eq!(out.status.code(), Some(1), "{all}");
    let last = text(&out.stderr).lines().last().unwrap_or("").to_string();
    assert_eq!(
        last,
        format!(
            "error: rtsp://admin:***@127.0.0.1:{}/h264 refused the user name or password (401 Unauthorized)",
            server.port
        )
    );

    // The right password works, so the 401 really was about the credentials.
    let right = server.url_with_auth("admin", "s3cretPW", "h264");
    let out = vigil.run(&["camera", "test", "--url", &right]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("h264 640x360") && !stdout.contains("s3cretPW"),
        "{stdout}"
    );
}

#[test]
fn camera_401_while_recording_shows_in_status_without_the_password() {
    let server = RtspServer::start(&["--user", "admin", "--password", "s3cretPW"]);
    let dir = tempfile::tempdir().expect("temp dir");
    let vigil = Vigil::new(&dir.path().join("data"));
    let wrong = server.url_with_auth("admin", "WrongPw99", "h264");
    vigil.ok(&["camera", "add", "--name", "gate", "--url", &wrong]);
    let out = vigil.run(&["run", "--for", "3s"]);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    let all = format!("{stdout}{stderr}");
    assert!(!all.contains("WrongPw99"), "password leaked:\n{all}");
    let masked = format!("rtsp://admin:***@127.0.0.1:{}/h264", server.port);
    let sentence = format!("{masked} refused the user name or password (401 Unauthorized)");
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with(&format!("gate: {sentence} — retrying in "))),
        "status line names the 401:\n{stdout}"
    );
    assert_eq!(out.status.code(), Some(3), "recorded nothing:\n{all}");
    assert!(
        stderr.contains(&format!("camera 'gate' recorded nothing: {sentence}")),
        "{stderr}"
    );
    assert!(vigil.recordings().is_empty());
}

#[test]
fn camera_test_url_that_is_not_video() {
    let www = tempfile::tempdir().expect("temp dir");
    std::fs::write(www.path().join("notes.txt"), "hello, this is not video\n").expect("write");
    let http = HttpServer::start(www.path());
    let dir = tempfile::tempdir().expect("temp dir");
    let vigil = Vigil::new(&dir.path().join("data"));

    let url = http.url("notes.txt");
    let out = vigil.run(&["camera", "test", "--url", &url]);
    let line = single_error_line(&out, "text over HTTP");
    assert_eq!(
        line,
        format!("error: {url} did not send video Vigil can read")
    );

    // The same file as a local path.
    let path = www.path().join("notes.txt");
    let path = path.to_str().expect("utf-8 path");
    let out = vigil.run(&["camera", "test", "--url", path]);
    let line = single_error_line(&out, "text file");
    assert_eq!(
        line,
        format!("error: {path} did not send video Vigil can read")
    );

    // A missing path over HTTP is a 404, said as such.
    let missing = http.url("missing.mp4");
    let out = vigil.run(&["camera", "test", "--url", &missing]);
    let line = single_error_line(&out, "404");
    assert_eq!(
        line,
        format!("error: {missing} has no stream at that path (404 Not Found)")
    );
}

// ---------------------------------------------------------------------------------------
// 2. `vigil camera add` with a duplicate or invalid camera
// ---------------------------------------------------------------------------------------

#[test]
fn duplicate_camera_name_is_refused_and_the_first_stays() {
    let dir = tempfile::tempdir().expect("temp dir");
    let vigil = Vigil::new(&dir.path().join("data"));
    vigil.ok(&[
        "camera",
        "add",
        "--name",
        "x",
        "--url",
        "rtsp://10.0.0.5/first",
    ]);
    let out = vigil.run(&[
        "camera",
        "add",
        "--name",
        "x",
        "--url",
        "rtsp://10.0.0.6/second",
    ]);
    let line = single_error_line(&out, "duplicate");
    assert_eq!(line, "error: a camera named 'x' already exists");
    assert!(text(&out.stdout).is_empty(), "{}", text(&out.stdout));
    assert_eq!(
        camera_names(&vigil),
        vec![("x".to_string(), "rtsp://10.0.0.5/first".to_string())]
    );
}

#[test]
fn invalid_camera_settings_are_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    let vigil = Vigil::new(&dir.path().join("data"));
    // A display name may be any text a person types; the identifier (folders, URLs) may not.
    let cases: [(&[&str], &str); 6] = [
        (
            &["--name", "y", "--id", "../x", "--url", "rtsp://h/s"],
            "error: camera name '../x' may only use letters, digits, '-' and '_'",
        ),
        (
            &["--name", "door\u{1b}[31m", "--url", "rtsp://h/s"],
            "error: name 'door\\u{1b}[31m' contains control characters; use letters, digits, spaces and punctuation",
        ),
        (
            &["--name", "y", "--url", "ftp://u:ftpSecret1@h/s"],
            "error: camera URL scheme 'ftp' is not supported; use rtsp, rtsps, http, https, file or demo",
        ),
        (
            &["--name", "y", "--url", "hello"],
            "error: camera URL 'hello' has no scheme; use rtsp://, http://, file://, a path, or demo://",
        ),
        (
            &["--name", "y", "--url", "rtsp://h/s", "--record", "sometimes"],
            "error: recording mode 'sometimes' is unknown; use off, continuous, events or both",
        ),
        (
            &["--name", "y", "--url", "rtsp://h/s", "--transport", "sctp"],
            "error: transport 'sctp' is unknown; use tcp or udp",
        ),
    ];
    for (args, expected) in cases {
        let mut all = vec!["camera", "add"];
        all.extend_from_slice(args);
        let out = vigil.run(&all);
        let line = single_error_line(&out, &format!("{args:?}"));
        assert_eq!(line, expected, "for {args:?}");
        assert!(!line.contains("ftpSecret1"), "password leaked: {line}");
    }
    assert!(camera_names(&vigil).is_empty(), "no camera was added");
    let folders: Vec<_> = std::fs::read_dir(vigil.data_dir.join("recordings"))
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    assert!(folders.is_empty(), "no camera folder was made: {folders:?}");
    assert!(
        !dir.path().join("x").exists(),
        "nothing made outside the data dir"
    );
}

// ---------------------------------------------------------------------------------------
// 3. A data directory that cannot be used
// ---------------------------------------------------------------------------------------

#[test]
fn unwritable_data_dir_is_one_sentence_naming_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Permission bits do not stop root, so use a path under a regular file (ENOTDIR for
    // everyone) and a path under /proc (no one may create files there).
    let afile = dir.path().join("afile");
    std::fs::write(&afile, "not a directory").expect("write");
    let under_file = afile.join("data");
    let under_proc = PathBuf::from("/proc/vigil-test");
    for data_dir in [&under_file, &under_proc] {
        let vigil = Vigil::new(data_dir);
        let shown = data_dir.display().to_string();
        for args in [
            &["camera", "list"][..],
            &["camera", "add", "--name", "a", "--url", "rtsp://h/s"][..],
            &["run", "--for", "2s"][..],
            &["recordings"][..],
        ] {
            let out = vigil.run(args);
            let line = single_error_line(&out, &format!("{shown} {args:?}"));
            assert!(
                line.starts_with(&format!("error: cannot use the data directory {shown}: ")),
                "{args:?}: {line}"
            );
            if data_dir == &under_file {
                assert!(line.contains("not a directory"), "{args:?}: {line}");
            }
        }
    }
    assert!(!under_proc.exists());
    assert!(afile.is_file(), "the file was left alone");
}
