//! The web viewer's live video through the real `vigil run --web` recording the demo camera:
//! `/api/cameras` for the tiles, the live WebSocket (init message, init segment and
//! fragments that ffprobe decodes as the camera's H.264; 401 without a session, 403 from
//! another site's page, 404 for an unknown camera; `ended` then a close when the camera is
//! removed), and a client that never reads being closed without stopping recording or
//! another viewer.

use std::io::Read;
use std::net::TcpStream;
use std::os::fd::AsRawFd;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tungstenite::client::IntoClientRequest;
use tungstenite::handshake::HandshakeError;
use tungstenite::http::HeaderValue;
use tungstenite::{Message, WebSocket};

use crate::common::web::{body_of, now_us, WebRun};
use crate::common::{self, wait_until};

pub(crate) const PASSWORD: &str = "live and let live";

/// `vigil run` over plain HTTP (the TLS side is tested in `web`; the WebSocket protocol is
/// the same over both).
pub(crate) const WEB: &[&str] = &[
    "--for",
    "150s",
    "--web",
    "127.0.0.1:0",
    "--web-insecure-http",
];

/// A `vigil run --web 127.0.0.1:0 --web-insecure-http` recording the demo camera `cam` and
/// `more` cameras (name, URL).
pub(crate) fn start(more: &[(&str, &str)]) -> WebRun {
    WebRun::start_with_cameras(more, WEB)
}

/// Makes the viewer account `vera`, signs in through the form and answers `vigil_session=…`.
pub(crate) fn sign_in(run: &WebRun) -> String {
    run.add_user("vera", "viewer", PASSWORD);
    run.sign_in("vera", PASSWORD).cookie
}

/// `/api/cameras` as JSON.
pub(crate) fn cameras(run: &WebRun, cookie: &str) -> serde_json::Value {
    let (status, text) = run.curl("/api/cameras", &["-H", &format!("Cookie: {cookie}")]);
    assert_eq!(status, 200, "{text}");
    serde_json::from_str(body_of(&text)).expect("JSON")
}

fn wait_online(run: &WebRun, cookie: &str) -> serde_json::Value {
    let mut cam = serde_json::Value::Null;
    assert!(
        wait_until(Duration::from_secs(30), || {
            cam = cameras(run, cookie)["cameras"][0].clone();
            cam["online"] == true
        }),
        "the demo camera came online: {cam}"
    );
    cam
}

/// Stops `run`; answers what it logged.
fn finish(run: WebRun) -> String {
    String::from_utf8_lossy(&run.finish_output().stderr).into_owned()
}

/// Opens the live socket of `camera` (`Err(status)` when the upgrade is refused).
fn open(
    run: &WebRun,
    camera: &str,
    cookie: Option<&str>,
    origin: Option<&str>,
    tune: impl FnOnce(&TcpStream),
) -> Result<WebSocket<TcpStream>, u16> {
    let stream = TcpStream::connect(run.addr()).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    tune(&stream);
    let url = format!("ws://{}/api/cameras/{camera}/live", run.addr());
    let mut req = url.into_client_request().expect("request");
    let headers = req.headers_mut();
    if let Some(c) = cookie {
        headers.insert("cookie", HeaderValue::from_str(c).expect("cookie"));
    }
    if let Some(o) = origin {
        headers.insert("origin", HeaderValue::from_str(o).expect("origin"));
    }
    match tungstenite::client(req, stream) {
        Ok((ws, _)) => Ok(ws),
        Err(HandshakeError::Failure(tungstenite::Error::Http(resp))) => Err(resp.status().as_u16()),
        Err(e) => panic!("the WebSocket handshake failed: {e}"),
    }
}

/// One message of the live protocol.
#[derive(Debug)]
pub(crate) enum Live {
    Json(serde_json::Value),
    Binary {
        kind: u8,
        sent_us: i64,
        decode_time: u64,
        data: Vec<u8>,
    },
}

pub(crate) fn next(ws: &mut WebSocket<TcpStream>) -> Live {
    loop {
        match ws.read().expect("read the live socket") {
            Message::Text(t) => return Live::Json(serde_json::from_str(&t).expect("JSON")),
            Message::Binary(b) => {
                assert!(b.len() > 17, "a header and data");
                return Live::Binary {
                    kind: b[0],
                    sent_us: i64::from_be_bytes(b[1..9].try_into().expect("8")),
                    decode_time: u64::from_be_bytes(b[9..17].try_into().expect("8")),
                    data: b[17..].to_vec(),
                };
            }
            Message::Close(f) => panic!("the server closed the live socket: {f:?}"),
            _ => {}
        }
    }
}

/// Reads the init message and segment: (mime, init segment).
pub(crate) fn read_init(ws: &mut WebSocket<TcpStream>) -> (String, Vec<u8>) {
    let Live::Json(init) = next(ws) else {
        panic!("the first message is the init JSON");
    };
    assert_eq!(init["type"], "init", "{init}");
    let mime = init["mime"].as_str().expect("mime").to_string();
    match next(ws) {
        Live::Binary { kind: 0, data, .. } => (mime, data),
        other => panic!("the init segment follows the init message: {other:?}"),
    }
}

#[test]
fn a_signed_in_socket_gets_the_demo_cameras_h264_as_fragments_ffprobe_decodes() {
    let run = start(&[("gone", "demo://?width=320&height=240")]);
    let cookie = sign_in(&run);
    let cam = wait_online(&run, &cookie);
    assert_eq!(cameras(&run, &cookie)["cameras"][1]["name"], "gone");
    assert_eq!(cam["name"], "cam");
    assert_eq!(cam["codec"], "h264");
    assert!(cam.get("url").is_none(), "no URL in the API: {cam}");
    let (status, _) = run.curl("/api/cameras", &[]);
    assert_eq!(status, 401, "no status without a session");

    let origin = format!("http://{}", run.addr());
    assert_eq!(
        open(&run, "cam", None, Some(&origin), |_| ()).err(),
        Some(401)
    );
    let foreign = Some("https://evil.example");
    assert_eq!(
        open(&run, "cam", Some(&cookie), foreign, |_| ()).err(),
        Some(403)
    );
    assert_eq!(
        open(&run, "nope", Some(&cookie), Some(&origin), |_| ()).err(),
        Some(404)
    );
    let (status, text) = run.curl(
        "/api/cameras/nope/live",
        &["-H", &format!("Cookie: {cookie}")],
    );
    let body = body_of(&text);
    assert_eq!(status, 404, "{body}");
    assert!(body.contains("no running camera named 'nope'"), "{body}");

    let mut ws = open(&run, "cam", Some(&cookie), Some(&origin), |_| ()).expect("upgrade");
    let (mime, init) = read_init(&mut ws);
    assert!(mime.starts_with("video/mp4; codecs=\"avc1."), "{mime}");
    let mut bytes = init;
    let (mut count, mut last_dt, mut transit) = (0u64, None, Vec::new());
    while count < 45 {
        let Live::Binary {
            kind,
            sent_us,
            decode_time,
            data,
        } = next(&mut ws)
        else {
            panic!("only fragments while the camera runs");
        };
        assert_eq!(kind, 1);
        assert!(last_dt.is_none_or(|l| decode_time > l), "decode times rise");
        last_dt = Some(decode_time);
        transit.push(now_us() - sent_us);
        bytes.extend_from_slice(&data);
        count += 1;
    }
    transit.sort_unstable();
    eprintln!(
        "45 fragments, {} bytes; server read → client read: median {} µs, max {} µs",
        bytes.len(),
        transit[transit.len() / 2],
        transit[transit.len() - 1]
    );
    assert!(
        transit.iter().all(|t| (0..5_000_000).contains(t)),
        "{transit:?}"
    );

    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("live.mp4");
    std::fs::write(&path, &bytes).expect("write");
    let probe = common::ffprobe(&path.to_string_lossy());
    assert_eq!(probe.codec, "h264");
    assert_eq!(
        (probe.width, probe.height),
        (640, 360),
        "the demo camera's size"
    );
    assert_eq!(probe.frames, count, "every fragment decodes to a frame");
    drop(ws);

    // A camera removed while watched: its viewer is told, then the socket closes.
    let mut ws = open(&run, "gone", Some(&cookie), Some(&origin), |_| ()).expect("upgrade");
    read_init(&mut ws);
    run.vigil
        .ok(&["camera", "remove", "--name", "gone", "--delete-recordings"]);
    let t = Instant::now();
    let ended = loop {
        match ws.read().expect("read until the end") {
            Message::Text(t) => {
                let v: serde_json::Value = serde_json::from_str(&t).expect("JSON");
                if v["type"] == "ended"
                    && v["reason"].as_str().is_some_and(|r| r.contains("removed"))
                {
                    break v;
                }
            }
            Message::Close(f) => panic!("closed before saying why: {f:?}"),
            _ => {}
        }
    };
    eprintln!("{:?} after `vigil camera remove`: {ended}", t.elapsed());
    let close = loop {
        match ws.read() {
            Ok(Message::Close(f)) => break f,
            Ok(_) => {}
            Err(e) => panic!("a close frame, not {e}"),
        }
    };
    assert_eq!(
        close.map(|f| u16::from(f.code)),
        Some(1000),
        "a normal close"
    );
    finish(run);
}

/// Threads of process `pid` named `name`.
pub(crate) fn threads_named(pid: u32, name: &str) -> usize {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return 0;
    };
    tasks
        .flatten()
        .filter(|t| std::fs::read_to_string(t.path().join("comm")).is_ok_and(|c| c.trim() == name))
        .count()
}

/// Resident memory of process `pid`, KiB.
fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// A small receive buffer, so a client that does not read stops the server's sends soon.
fn small_receive_buffer(stream: &TcpStream) {
    let size: libc::c_int = 4096;
    // SAFETY: a valid socket descriptor and a c_int option value of the stated size.
    let rc = unsafe {
        libc::setsockopt(
            stream.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_RCVBUF,
            std::ptr::addr_of!(size).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        )
    };
    assert_eq!(rc, 0, "setsockopt SO_RCVBUF");
}

#[test]
fn a_client_that_never_reads_is_closed_and_stops_neither_recording_nor_another_viewer() {
    let run = start(&[]);
    let pid = run.child.id();
    let cookie = sign_in(&run);
    wait_online(&run, &cookie);
    let origin = format!("http://{}", run.addr());

    // A viewer that reads everything, counting fragments.
    let mut reader = open(&run, "cam", Some(&cookie), Some(&origin), |_| ()).expect("upgrade");
    read_init(&mut reader);
    let received = Arc::new(AtomicU64::new(0));
    let done = Arc::new(AtomicBool::new(false));
    let (count, stop) = (Arc::clone(&received), Arc::clone(&done));
    let reading = std::thread::spawn(move || {
        while !stop.load(Ordering::Relaxed) {
            if let Live::Binary { kind: 1, .. } = next(&mut reader) {
                count.fetch_add(1, Ordering::Relaxed);
            }
        }
    });
    let rss_before = rss_kib(pid);
    let stalled = open(
        &run,
        "cam",
        Some(&cookie),
        Some(&origin),
        small_receive_buffer,
    )
    .expect("upgrade");
    assert!(
        wait_until(Duration::from_secs(5), || threads_named(
            pid,
            "live-fan-cam"
        ) == 1),
        "one packager for both viewers of the camera"
    );
    let sockets_with_both = vigil_bench::web_fanout::cpu::sockets(pid);
    let t = Instant::now();
    let (segments_before, received_before) = (run.segments(), received.load(Ordering::Relaxed));
    let mut rss_peak = rss_before;
    assert!(
        wait_until(Duration::from_secs(40), || {
            rss_peak = rss_peak.max(rss_kib(pid));
            vigil_bench::web_fanout::cpu::sockets(pid) < sockets_with_both
        }),
        "the server closed the viewer that never read"
    );
    let stalled_for = t.elapsed();
    assert!(stalled_for < Duration::from_secs(30), "{stalled_for:?}");
    let got = received.load(Ordering::Relaxed) - received_before;
    let segments = run.segments();
    eprintln!(
        "the stalled viewer was closed after {stalled_for:?}; meanwhile the other got {got} \
         fragments and {} segments were recorded; vigil RSS {rss_before} KiB before, \
         {rss_peak} KiB at most",
        segments - segments_before
    );
    // 15 fps: the reading viewer kept up, never skipped for the stalled one.
    let expected = stalled_for.as_secs_f64() * 15.0;
    assert!(
        got as f64 > expected * 0.8,
        "{got} of ~{expected:.0} fragments"
    );
    assert!(segments > segments_before, "recording went on");
    assert!(rss_peak < rss_before + 64 * 1024, "memory stayed bounded");

    // What the stalled client can still read is what was in flight, then the end.
    let mut raw = stalled.into_inner();
    raw.set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let mut buffered = 0usize;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        match raw.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => buffered += n,
        }
    }
    eprintln!("the stalled client had {buffered} bytes in flight when it was closed");
    assert!(buffered < 8 << 20, "{buffered} bytes");

    // The other viewer still receives.
    let now = received.load(Ordering::Relaxed);
    assert!(
        wait_until(Duration::from_secs(5), || received.load(Ordering::Relaxed)
            > now + 10),
        "the reading viewer still receives"
    );
    done.store(true, Ordering::Relaxed);
    let _ = reading.join();
    let log = finish(run);
    for line in log.lines().filter(|l| l.contains("web live view")) {
        eprintln!("{line}");
    }
    assert!(log.contains("the client stopped reading"), "{log}");
}

/// A viewer only ever sends pongs and a close: one that sends a 64-KiB message has its socket
/// ended by the server (the live socket reads at most 4 KiB per message), and the camera's
/// other viewer goes on.
#[test]
fn a_viewer_sending_a_large_message_is_cut_off_and_another_viewer_goes_on() {
    let run = start(&[]);
    let cookie = sign_in(&run);
    wait_online(&run, &cookie);
    let origin = format!("http://{}", run.addr());
    let mut other = open(&run, "cam", Some(&cookie), Some(&origin), |_| ()).expect("upgrade");
    read_init(&mut other);
    let mut big = open(&run, "cam", Some(&cookie), Some(&origin), |_| ()).expect("upgrade");
    read_init(&mut big);
    big.send(Message::Binary(vec![7u8; 64 * 1024].into()))
        .expect("send a large message");
    let deadline = Instant::now() + Duration::from_secs(10);
    let ended = loop {
        match big.read() {
            Ok(Message::Close(frame)) => break format!("closed: {frame:?}"),
            Ok(_) => assert!(
                Instant::now() < deadline,
                "the server kept the socket of a viewer that sent 64 KiB"
            ),
            Err(e) => break format!("ended: {e}"),
        }
    };
    eprintln!("the large message's socket {ended}");
    let mut fragments = 0;
    while fragments < 10 {
        if let Live::Binary { kind: 1, .. } = next(&mut other) {
            fragments += 1;
        }
    }
    let log = finish(run);
    assert!(
        log.lines()
            .any(|l| l.contains("web live view closed") && l.contains("the client left")),
        "{log}"
    );
}
