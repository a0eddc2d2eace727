//! The stack over TLS, against real clients: curl for HTTPS, raw sockets for clients that
//! never shake hands or speak plain HTTP to the TLS port.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use axum::routing::get;
use axum::Router;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

use super::tls::{server_config, TlsError};
use super::{HttpServer, Limits, Serving};

/// A self-signed certificate for 127.0.0.1, written as `cert.pem` in `dir`.
fn make_cert(dir: &Path) -> (Vec<CertificateDer<'static>>, PrivateKeyDer<'static>) {
    let made = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_string()]).unwrap();
    std::fs::write(dir.join("cert.pem"), made.cert.pem()).unwrap();
    let key = PrivateKeyDer::from_pem_slice(made.signing_key.serialize_pem().as_bytes()).unwrap();
    (vec![made.cert.der().clone()], key)
}

fn start(dir: &Path, limits: Limits) -> HttpServer {
    let (chain, key) = make_cert(dir);
    let mut headers = http::HeaderMap::new();
    headers.insert("x-test", http::HeaderValue::from_static("yes"));
    let serving = Serving {
        tls: Some(server_config(chain, key).unwrap()),
        headers,
        ..Serving::default()
    };
    let router = Router::new().route("/", get(|| async { "hello" }).post(|| async { "posted" }));
    HttpServer::start_with("127.0.0.1:0", router, limits, "tls-test", serving).unwrap()
}

fn short() -> Limits {
    Limits {
        max_body_bytes: 100,
        tls_handshake_timeout: Duration::from_millis(400),
        shutdown_grace: Duration::from_millis(300),
        ..Limits::default()
    }
}

/// curl over HTTPS trusting only `dir/cert.pem`: (status, headers and body).
fn curl(dir: &Path, server: &HttpServer, extra: &[&str]) -> (u16, String) {
    let out = Command::new("curl")
        .args(["-sS", "-i", "--max-time", "10", "--cacert"])
        .arg(dir.join("cert.pem"))
        .args(extra)
        .arg(format!("https://{}/", server.addr()))
        .output()
        .expect("curl is installed");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "curl failed: {err}\n{text}");
    (status, text)
}

#[test]
fn https_is_served_with_the_servers_headers_on_every_answer() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), short());
    let (status, text) = curl(dir.path(), &server, &[]);
    assert_eq!(status, 200, "{text}");
    assert!(text.ends_with("hello"), "{text}");
    assert!(text.to_ascii_lowercase().contains("x-test: yes"), "{text}");
    // A refusal of the stack itself (the body limit) carries them too.
    let (status, text) = curl(
        dir.path(),
        &server,
        &[
            "-X",
            "POST",
            "-H",
            "Content-Length: 1000000",
            "--data-binary",
            "",
        ],
    );
    assert_eq!(status, 413, "{text}");
    assert!(text.to_ascii_lowercase().contains("x-test: yes"), "{text}");
}

#[test]
fn a_client_that_never_shakes_hands_is_closed_at_the_deadline() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), short());
    let mut s = TcpStream::connect(server.addr()).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let t = Instant::now();
    let mut buf = [0u8; 64];
    let n = s.read(&mut buf).unwrap_or(0);
    let waited = t.elapsed();
    assert_eq!(n, 0, "closed without an answer");
    assert!(
        waited >= Duration::from_millis(300) && waited < Duration::from_secs(3),
        "closed after {waited:?}"
    );
}

#[test]
fn plain_http_to_the_tls_port_gets_no_http_answer() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), short());
    let mut s = TcpStream::connect(server.addr()).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let _ = s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let text = String::from_utf8_lossy(&buf);
    assert!(!text.starts_with("HTTP/"), "{text}");
    assert!(!text.contains("hello"), "{text}");
}

#[test]
fn stop_is_not_held_up_by_pending_handshakes() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(
        dir.path(),
        Limits {
            tls_handshake_timeout: Duration::from_secs(30),
            ..short()
        },
    );
    let idle: Vec<TcpStream> = (0..5)
        .map(|_| TcpStream::connect(server.addr()).unwrap())
        .collect();
    std::thread::sleep(Duration::from_millis(100));
    let t = Instant::now();
    assert!(server.stop(), "every pending handshake ended at the stop");
    assert!(t.elapsed() < Duration::from_secs(1), "{:?}", t.elapsed());
    drop(idle);
}

#[test]
fn a_key_that_does_not_match_is_refused() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (chain, _) = make_cert(a.path());
    let (_, other_key) = make_cert(b.path());
    assert!(matches!(
        server_config(chain, other_key),
        Err(TlsError::KeyMismatch)
    ));
    let (_, key) = make_cert(a.path());
    assert!(matches!(
        server_config(Vec::new(), key),
        Err(TlsError::NoCertificate)
    ));
}

#[test]
fn idle_sockets_over_the_handshake_cap_neither_take_slots_nor_keep_a_real_client_out() {
    let dir = tempfile::tempdir().unwrap();
    let limits = Limits {
        max_connections: 2,
        max_tls_handshakes: 4,
        tls_handshake_timeout: Duration::from_secs(30),
        ..short()
    };
    let server = start(dir.path(), limits);
    // Many more idle sockets than slots and handshake places.
    let mut idle: Vec<TcpStream> = (0..40)
        .map(|_| TcpStream::connect(server.addr()).unwrap())
        .collect();
    for _ in 0..3 {
        let t = Instant::now();
        let (status, text) = curl(dir.path(), &server, &[]);
        assert_eq!(status, 200, "{text}");
        assert!(t.elapsed() < Duration::from_secs(3), "{:?}", t.elapsed());
        idle.extend((0..10).map(|_| TcpStream::connect(server.addr()).unwrap()));
    }
    // The oldest idle sockets were closed for newer ones, long before their deadline.
    let first = &mut idle[0];
    first
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut buf = [0u8; 8];
    assert_eq!(first.read(&mut buf).unwrap_or(0), 0, "closed");
}
