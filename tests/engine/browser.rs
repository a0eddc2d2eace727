//! Recorded H.264 segments play in a real browser: headless Chromium loads a segment into a
//! `<video>` element over HTTP and plays it to the end.

use crate::common;

use std::path::PathBuf;
use std::time::Duration;

use common::Vigil;

const PAGE: &str = r#"<!doctype html><title>pending</title>
<video id="v" src="/segment.mp4" muted playsinline></video>
<script>
const v = document.getElementById('v');
v.addEventListener('loadeddata', () => v.play());
// (Watch the playhead reach the end rather than wait for 'ended'.)
v.addEventListener('timeupdate', () => {
  if (v.duration > 0 && v.currentTime >= v.duration - 0.05) {
    document.title = 'played ' + v.videoWidth + 'x' + v.videoHeight + ' ' +
      v.currentTime.toFixed(2) + ' ' + v.duration.toFixed(2);
  }
});
v.addEventListener('error', () => { document.title = 'error ' + (v.error && v.error.code); });
</script>"#;

/// Serves the page and one file on a free local port, from a background thread.
fn serve(segment: PathBuf) -> u16 {
    let server = tiny_http::Server::http("127.0.0.1:0").expect("bind");
    let port = server.server_addr().to_ip().expect("ip").port();
    std::thread::spawn(move || {
        for req in server.incoming_requests() {
            let resp = if req.url() == "/segment.mp4" {
                let body = std::fs::read(&segment).expect("segment");
                let ct = tiny_http::Header::from_bytes(&b"Content-Type"[..], &b"video/mp4"[..])
                    .expect("header");
                tiny_http::Response::from_data(body).with_header(ct)
            } else {
                let ct = tiny_http::Header::from_bytes(&b"Content-Type"[..], &b"text/html"[..])
                    .expect("header");
                tiny_http::Response::from_data(PAGE.as_bytes().to_vec()).with_header(ct)
            };
            let _ = req.respond(resp);
        }
    });
    port
}

#[test]
fn a_recorded_h264_segment_plays_in_chromium() {
    let dir = tempfile::tempdir().expect("dir");
    let vigil = Vigil::new(dir.path());
    vigil.add_demo_camera("cam", &["--segment-seconds", "2"]);
    vigil.ok(&["run", "--for", "5s"]);
    let rows = vigil.recordings();
    let seg = rows.first().expect("a segment");
    let secs =
        (seg["end_us"].as_i64().unwrap_or(0) - seg["start_us"].as_i64().unwrap_or(0)) as f64 / 1e6;
    let port = serve(PathBuf::from(seg["path"].as_str().unwrap_or("")));

    let title = common::browser::title_once_settled(
        &format!("http://127.0.0.1:{port}/"),
        Duration::from_secs(60),
    );
    let mut parts = title.split_whitespace();
    assert_eq!(
        parts.next(),
        Some("played"),
        "the browser played the segment to the end: {title:?}"
    );
    assert_eq!(parts.next(), Some("640x360"));
    let played: f64 = parts.next().and_then(|p| p.parse().ok()).unwrap_or(0.0);
    let duration: f64 = parts.next().and_then(|p| p.parse().ok()).unwrap_or(0.0);
    assert!(
        (played - secs).abs() < 0.15,
        "played {played} s of a {secs:.2} s segment"
    );
    assert!(
        (duration - secs).abs() < 0.15,
        "the browser knows the length up front: {duration} s"
    );
}
