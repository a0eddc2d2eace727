//! The web viewer's server skeleton through the real `vigil run --web`, recording the demo
//! camera: HTTPS with the certificate made on first start (checked with curl trusting only
//! that file, and its printed fingerprint against openssl's), nothing but the login page and
//! the health check without signing in, plain HTTP refused off loopback before anything
//! starts, and clients that never finish a TLS handshake stopping neither other clients nor
//! the recording.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::common::web::{set_cookie, WebRun};
use crate::common::{free_port, Vigil};

/// `openssl x509 -fingerprint -sha256` of a PEM file: `AA:BB:…`.
fn openssl_fingerprint(cert: &Path) -> String {
    let out = Command::new("openssl")
        .args(["x509", "-noout", "-fingerprint", "-sha256", "-in"])
        .arg(cert)
        .output()
        .expect("openssl is installed");
    assert!(out.status.success(), "openssl read the certificate");
    let text = String::from_utf8_lossy(&out.stdout);
    text.trim()
        .split_once('=')
        .map(|(_, f)| f.to_string())
        .expect("sha256 Fingerprint=…")
}

#[test]
fn https_with_the_printed_certificate_and_nothing_without_signing_in() {
    let run = WebRun::start(&["--web", "127.0.0.1:0"]);
    assert!(run.url.starts_with("https://127.0.0.1:"), "{}", run.url);
    let printed = run.fingerprint.clone().expect("a fingerprint was printed");
    assert_eq!(
        printed,
        openssl_fingerprint(&run.cert()),
        "printed = openssl's"
    );
    let key_mode = std::fs::metadata(run.dir.path().join("web-key.pem"))
        .expect("web-key.pem")
        .permissions()
        .mode();
    assert_eq!(key_mode & 0o777, 0o600, "the key is its owner's only");

    let (status, text) = run.curl("/healthz", &[]);
    assert_eq!(status, 200, "{text}");
    assert!(text.ends_with("\r\n\r\nok"), "{text}");
    let head = text.to_ascii_lowercase();
    for header in [
        "content-security-policy: default-src 'self'",
        "x-content-type-options: nosniff",
        "referrer-policy: no-referrer",
        "strict-transport-security: max-age=",
        "frame-ancestors 'none'",
    ] {
        assert!(head.contains(header), "{header} missing:\n{text}");
    }
    let (status, text) = run.curl("/login", &[]);
    assert_eq!(status, 200, "{text}");
    assert!(
        text.contains("<form method=\"post\" action=\"/login\""),
        "{text}"
    );
    let (status, text) = run.curl("/", &[]);
    assert_eq!(
        status, 303,
        "the app sends strangers to the login page: {text}"
    );
    assert!(
        text.to_ascii_lowercase().contains("location: /login"),
        "{text}"
    );
    let (status, _) = run.curl("/login.css", &[]);
    assert_eq!(status, 200);
    for path in [
        "/api/anything",
        "/api/v1/cameras",
        "/cameras/cam/live",
        "/x.mp4",
    ] {
        let (status, text) = run.curl(path, &[]);
        assert_eq!(status, 401, "{path}: {text}");
        assert!(text.contains("\"error\""), "{text}");
    }
    let (status, text) = run.curl("/login", &["-d", "name=a&password=b"]);
    assert_eq!(status, 401, "{text}");
    assert!(text.contains("wrong user name or password"), "{text}");

    // Plain HTTP to the TLS port gets no HTTP answer.
    let mut s = TcpStream::connect(run.addr()).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    let _ = s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let answer = String::from_utf8_lossy(&buf);
    assert!(!answer.starts_with("HTTP/"), "{answer}");
    run.finish();
}

#[test]
fn signing_in_gives_a_strict_secure_session_that_logout_ends() {
    let run = WebRun::start(&["--web", "127.0.0.1:0"]);
    let mut add = run.vigil.cmd();
    add.args(["user", "add", "--name", "ana", "--role", "operator"]);
    add.args(["--password-env", "ANA_PW"])
        .env("ANA_PW", "correct horse 42");
    let out = add.output().expect("vigil user add");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let (status, text) = run.curl("/login", &["-d", "name=ana&password=wrong"]);
    assert_eq!(status, 401, "{text}");
    assert!(
        set_cookie(&text).is_empty(),
        "no cookie for a wrong password"
    );
    let form = [
        "--data-urlencode",
        "name=ana",
        "--data-urlencode",
        "password=correct horse 42",
    ];
    let (status, text) = run.curl("/login", &form);
    assert_eq!(status, 303, "{text}");
    let cookie = set_cookie(&text);
    for flag in ["HttpOnly", "SameSite=Strict", "Secure", "Path=/"] {
        assert!(cookie.contains(flag), "{flag} missing: {cookie}");
    }
    let pair = cookie.split(';').next().expect("name=value").to_string();
    assert!(
        pair.starts_with("vigil_session=") && pair.len() > 40,
        "{pair}"
    );

    let with_cookie = ["-H", &format!("Cookie: {pair}")];
    let (status, me) = run.curl("/api/me", &with_cookie);
    assert_eq!(status, 200, "{me}");
    let body = me.split("\r\n\r\n").nth(1).expect("body");
    let me: serde_json::Value = serde_json::from_str(body).expect("json");
    assert_eq!(me["name"], "ana");
    assert_eq!(me["role"], "operator");
    assert_eq!(me["may"]["export"], true);
    assert_eq!(me["may"]["change_config"], false);
    let csrf = me["csrf"].as_str().expect("csrf").to_string();
    let (status, page) = run.curl("/", &with_cookie);
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("/static/app.js"), "{page}");

    let mut post = with_cookie.to_vec();
    post.extend(["-X", "POST"]);
    let (status, text) = run.curl("/logout", &post);
    assert_eq!(status, 403, "logout without the CSRF token: {text}");
    let csrf_header = format!("X-Vigil-CSRF: {csrf}");
    let mut foreign = post.clone();
    foreign.extend(["-H", &csrf_header, "-H", "Origin: https://evil.example"]);
    let (status, text) = run.curl("/logout", &foreign);
    assert_eq!(status, 403, "logout from another site's page: {text}");
    post.extend(["-H", &csrf_header]);
    let (status, text) = run.curl("/logout", &post);
    assert_eq!(status, 204, "{text}");
    assert!(set_cookie(&text).contains("Max-Age=0"), "{text}");
    let (status, text) = run.curl("/api/me", &with_cookie);
    assert_eq!(status, 401, "the session ended: {text}");
    run.finish();
}

#[test]
fn clients_that_never_shake_hands_stop_neither_viewers_nor_recording() {
    let run = WebRun::start(&["--web", "127.0.0.1:0"]);
    let before = run.wait_for_segments_after(0);
    let t = Instant::now();
    let idle: Vec<TcpStream> = (0..100)
        .filter_map(|_| TcpStream::connect(run.addr()).ok())
        .collect();
    assert_eq!(idle.len(), 100, "every idle connection was accepted");
    let t_health = Instant::now();
    let (status, text) = run.curl("/healthz", &[]);
    eprintln!(
        "100 idle TCP connections open in {:?}; /healthz then: {status} in {:?}",
        t_health.duration_since(t),
        t_health.elapsed()
    );
    assert_eq!(status, 200, "{text}");
    assert!(t_health.elapsed() < Duration::from_secs(5));
    run.wait_for_segments_after(before);
    // The handshake deadline (10 s) closes them.
    let mut first = idle.into_iter().next().expect("one");
    first
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    let mut buf = [0u8; 16];
    let n = first.read(&mut buf).unwrap_or(0);
    eprintln!(
        "an idle connection was closed {:?} after it opened",
        t.elapsed()
    );
    assert_eq!(n, 0, "closed without an answer");
    assert!(t.elapsed() < Duration::from_secs(20), "{:?}", t.elapsed());
    run.finish();
}

#[test]
fn plain_http_is_refused_off_loopback_before_anything_starts() {
    let dir = tempfile::tempdir().expect("dir");
    let vigil = Vigil::new(dir.path());
    let addr = format!("0.0.0.0:{}", free_port());
    let t = Instant::now();
    let out = vigil.run(&["run", "--for", "30s", "--web", &addr, "--web-insecure-http"]);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    eprintln!("{stderr}");
    assert!(!out.status.success());
    assert!(
        stderr.contains("only on a loopback address") && stderr.contains(&addr),
        "{stderr}"
    );
    assert!(!stdout.contains("recording into"), "{stdout}");
    assert!(t.elapsed() < Duration::from_secs(10), "{:?}", t.elapsed());
    assert!(!dir.path().join("web-cert.pem").exists());
    assert!(!dir.path().join("vigil.db").exists(), "no library was made");

    // On loopback it is allowed, and says so.
    let run = WebRun::start(&["--web", "127.0.0.1:0", "--web-insecure-http"]);
    assert!(run.url.starts_with("http://127.0.0.1:"), "{}", run.url);
    assert!(run.fingerprint.is_none());
    let (status, text) = run.curl("/healthz", &[]);
    assert_eq!(status, 200, "{text}");
    assert!(!text
        .to_ascii_lowercase()
        .contains("strict-transport-security"));
    assert_eq!(run.curl("/api/anything", &[]).0, 401);
    run.finish();
}
