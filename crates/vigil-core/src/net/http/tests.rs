//! The server's limits against raw sockets, with short timeouts.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::routing::post;
use axum::Router;

use super::{HttpServer, Limits};

/// A route that reads the whole body and answers its length, or 413 when the limit cut it.
fn echo_len() -> Router {
    Router::new().route(
        "/",
        post(|body: Body| async move {
            match axum::body::to_bytes(body, usize::MAX).await {
                Ok(b) => (http::StatusCode::OK, b.len().to_string()),
                Err(e) => (http::StatusCode::PAYLOAD_TOO_LARGE, e.to_string()),
            }
        }),
    )
}

fn short() -> Limits {
    Limits {
        max_body_bytes: 100,
        header_read_timeout: Duration::from_millis(400),
        request_timeout: Duration::from_millis(400),
        shutdown_grace: Duration::from_millis(300),
        ..Limits::default()
    }
}

fn start(limits: Limits) -> HttpServer {
    HttpServer::start("127.0.0.1:0", echo_len(), limits, "http-test").unwrap()
}

fn connect(server: &HttpServer) -> TcpStream {
    let s = TcpStream::connect(server.addr()).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    s
}

/// Sends `bytes` and reads until the server closes (a reset after an answer is fine).
fn exchange(server: &HttpServer, bytes: &[u8]) -> String {
    let mut s = connect(server);
    let _ = s.write_all(bytes);
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    String::from_utf8_lossy(&buf).into_owned()
}

fn status(resp: &str) -> u16 {
    resp.split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

#[test]
fn a_declared_body_over_the_limit_is_refused_before_it_is_sent() {
    let server = start(short());
    let t = Instant::now();
    let resp = exchange(
        &server,
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000000\r\n\r\n",
    );
    assert_eq!(status(&resp), 413, "{resp}");
    assert!(
        t.elapsed() < Duration::from_millis(300),
        "{:?}",
        t.elapsed()
    );
    let ok = exchange(
        &server,
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello",
    );
    assert_eq!(
        (status(&ok), ok.ends_with("\r\n\r\n5")),
        (200, true),
        "{ok}"
    );
}

#[test]
fn a_chunked_body_is_cut_off_at_the_limit() {
    let server = start(short());
    let chunk = "a".repeat(80);
    let req = format!(
        "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n\
         50\r\n{chunk}\r\n50\r\n{chunk}\r\n0\r\n\r\n"
    );
    let resp = exchange(&server, req.as_bytes());
    assert_eq!(status(&resp), 413, "{resp}");
}

#[test]
fn a_header_over_the_limit_gets_431() {
    let server = start(short());
    let big = "a".repeat(40 * 1024);
    let resp = exchange(
        &server,
        format!("GET / HTTP/1.1\r\nHost: x\r\nX-Big: {big}\r\n\r\n").as_bytes(),
    );
    assert!(
        resp.is_empty() || status(&resp) == 431,
        "refused or closed: {resp}"
    );
    let many: String = (0..100).map(|i| format!("X-{i}: y\r\n")).collect();
    let resp = exchange(
        &server,
        format!("GET / HTTP/1.1\r\nHost: x\r\n{many}\r\n").as_bytes(),
    );
    assert!(
        resp.is_empty() || status(&resp) == 431,
        "too many fields: {resp}"
    );
}

#[test]
fn a_body_never_sent_times_out_with_408() {
    let server = start(short());
    let t = Instant::now();
    let resp = exchange(
        &server,
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\n",
    );
    assert_eq!(status(&resp), 408, "{resp}");
    assert!(t.elapsed() < Duration::from_secs(3), "{:?}", t.elapsed());
}

#[test]
fn an_idle_connection_is_closed_after_the_header_timeout() {
    let server = start(short());
    let mut s = connect(&server);
    let t = Instant::now();
    let mut buf = [0u8; 256];
    let n = s.read(&mut buf).unwrap_or(0);
    let waited = t.elapsed();
    assert!(
        waited >= Duration::from_millis(300) && waited < Duration::from_secs(3),
        "closed after {waited:?} ({n} bytes)"
    );
}

#[test]
fn connections_over_the_cap_get_503_at_once() {
    let server = start(Limits {
        max_connections: 2,
        header_read_timeout: Duration::from_secs(5),
        ..short()
    });
    let idle: Vec<TcpStream> = (0..2).map(|_| connect(&server)).collect();
    // The two are admitted in order: wait until the accept loop has taken both.
    std::thread::sleep(Duration::from_millis(100));
    let t = Instant::now();
    let resp = exchange(&server, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    assert_eq!(status(&resp), 503, "{resp}");
    assert!(t.elapsed() < Duration::from_secs(1), "{:?}", t.elapsed());
    drop(idle);
    let mut ok = 0;
    for _ in 0..50 {
        let r = exchange(
            &server,
            b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        );
        ok = status(&r);
        if ok == 200 {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(ok, 200, "served again once the idle ones left");
}

#[test]
fn stop_drops_a_stuck_request_after_the_grace_time() {
    let server = start(Limits {
        request_timeout: Duration::from_secs(30),
        ..short()
    });
    let mut s = connect(&server);
    s.write_all(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\n")
        .unwrap();
    std::thread::sleep(Duration::from_millis(100));
    let t = Instant::now();
    let drained = server.stop();
    assert!(!drained, "the stuck request was still open");
    assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
}
