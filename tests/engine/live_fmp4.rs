//! Live packets for remote viewers through the service API (`watch_packets`), with real
//! sources: the demo camera (H.264) and the RTSP simulator's H.265 stream packaged as
//! fragmented MP4 that real ffprobe decodes frame by frame with the source's keyframes and
//! rising timestamps; the demo's fragments appended one by one to Media Source Extensions
//! in headless Chromium and played; and a viewer that never reads, which neither stops
//! recording nor holds more than its bounded queue.

use crate::common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::RtspServer;
use vigil_core::host::EngineHost;
use vigil_core::library::Library;
use vigil_core::model::{CameraName, NewCamera, Policy, Transport};
use vigil_core::service::{EngineService, LiveChunk, LiveError, LiveFragment, PacketWatch};

/// A running host whose only camera `cam` is `url`, recording 2-s segments.
fn host_with(url: &str) -> (tempfile::TempDir, EngineHost) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut lib = Library::open(dir.path()).expect("library");
    let cam = NewCamera {
        name: CameraName::parse("cam").expect("name"),
        url: url.into(),
        detect_url: None,
        transport: Transport::Tcp,
        enabled: true,
        audio: false,
    };
    let policy = Policy {
        segment_s: 2,
        ..Policy::default()
    };
    lib.add_camera(&cam, &policy).expect("camera");
    drop(lib);
    let opts = vigil_core::engine::EngineOptions::new(dir.path().to_path_buf());
    let host = EngineHost::start(opts).expect("engine");
    (dir, host)
}

/// The next chunk within 30 s.
fn next(watch: &mut PacketWatch) -> LiveChunk {
    watch
        .next_timeout(Duration::from_secs(30))
        .expect("a live chunk within 30 s")
}

/// Reads an init segment and then `n` fragments; returns the stream's codec string, the
/// bytes (init + fragments) and the fragments.
fn read_stream(watch: &mut PacketWatch, n: usize) -> (String, Vec<u8>, Vec<LiveFragment>) {
    let init = match next(watch) {
        LiveChunk::Init(init) => init,
        other => panic!("expected an init segment first, got {other:?}"),
    };
    let mut bytes = init.data.clone();
    let mut frags = Vec::new();
    while frags.len() < n {
        match next(watch) {
            LiveChunk::Fragment(f) => {
                bytes.extend_from_slice(&f.data);
                frags.push(f);
            }
            other => panic!("expected a fragment, got {other:?}"),
        }
    }
    (init.codec, bytes, frags)
}

/// Writes `bytes` as an MP4 and checks what ffprobe reads back against the fragments:
/// codec, size, every frame decoded without an error, keyframes, rising timestamps.
fn check_with_ffprobe(bytes: &[u8], frags: &[LiveFragment], codec: &str, size: (u64, u64)) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("live.mp4");
    std::fs::write(&path, bytes).expect("write");
    let path = path.to_string_lossy().into_owned();
    let probe = common::ffprobe(&path);
    assert_eq!(probe.codec, codec);
    assert_eq!((probe.width, probe.height), size);
    assert_eq!(
        probe.frames,
        frags.len() as u64,
        "every fragment decodes to a frame"
    );
    assert!(probe.dts.windows(2).all(|w| w[1] > w[0]), "{:?}", probe.dts);
    let out = Command::new("ffprobe")
        .args(["-v", "error", "-select_streams", "v:0", "-count_frames"])
        .args(["-show_entries", "packet=flags", "-of", "csv=p=0", &path])
        .output()
        .expect("run ffprobe");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stderr.is_empty(),
        "decoding errors: {stderr}"
    );
    let keys: Vec<bool> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.starts_with('K'))
        .collect();
    let want: Vec<bool> = frags.iter().map(|f| f.keyframe).collect();
    assert_eq!(keys, want, "keyframes where the source had them");
    assert!(want[0], "the stream starts at a keyframe");
}

#[test]
fn demo_camera_packets_become_an_mp4_that_ffprobe_decodes_frame_by_frame() {
    let (_dir, host) = host_with("demo://?width=320&height=240&fps=15");
    assert!(matches!(
        host.watch_packets("nope"),
        Err(LiveError::UnknownCamera(_))
    ));
    let mut watch = host.watch_packets("cam").expect("watch packets");
    assert_eq!(host.live().tap("cam").subscribers(), 1);
    let (codec, bytes, frags) = read_stream(&mut watch, 45);
    assert!(codec.starts_with("avc1."), "{codec}");
    assert!(frags.iter().all(|f| f.wall_us > 0));
    // 15 fps, exact frame timestamps: one frame apart in the 90 kHz timescale.
    assert!(frags
        .windows(2)
        .all(|w| w[1].decode_time == w[0].decode_time + 6000));
    assert!(frags.windows(2).all(|w| w[1].sequence == w[0].sequence + 1));
    check_with_ffprobe(&bytes, &frags, "h264", (320, 240));
    drop(watch);
    assert_eq!(host.live().tap("cam").subscribers(), 0, "unsubscribed");
    host.shutdown();
}

#[test]
fn h265_rtsp_packets_become_an_mp4_that_ffprobe_decodes() {
    let server = RtspServer::start(&[]);
    let (_dir, host) = host_with(&server.url("h265"));
    let mut watch = host.watch_packets("cam").expect("watch packets");
    let (codec, bytes, frags) = read_stream(&mut watch, 40);
    assert!(codec.starts_with("hvc1.1.6.L"), "{codec}");
    assert!(frags
        .windows(2)
        .all(|w| w[1].decode_time > w[0].decode_time));
    check_with_ffprobe(&bytes, &frags, "hevc", (640, 360));
    drop(watch);
    host.shutdown();
}

#[test]
fn a_viewer_that_never_reads_neither_stops_recording_nor_grows() {
    let (_dir, host) = host_with("demo://?width=320&height=240&fps=15");
    let mut watch = host.watch_packets("cam").expect("watch packets");
    let written = || host.status().cameras[0].segments_written;
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut start = None;
    loop {
        assert!(watch.queued() <= watch.capacity(), "the queue is bounded");
        let now = written();
        let first = *start.get_or_insert(now);
        if now >= first + 3 && watch.queued() == watch.capacity() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "recording stalled: {now} segments"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(host.status().cameras[0].recorder_stalls, 0);
    // Read on: the queued packets, then the feed resumes at a keyframe; the timeline has
    // no hole (one frame from fragment to fragment) though packets were skipped.
    let n = watch.capacity() + 30;
    let (_, _, frags) = read_stream(&mut watch, n);
    let resumed = frags
        .windows(2)
        .position(|w| w[1].wall_us - w[0].wall_us > 200_000)
        .expect("packets were skipped while the viewer did not read");
    assert!(frags[resumed + 1].keyframe, "resumed at a keyframe");
    assert!(frags
        .windows(2)
        .all(|w| w[1].decode_time == w[0].decode_time + 6000));
    drop(watch);
    host.shutdown();
}

/// Appends the init segment and then each fragment, one `appendBuffer` each, as the web
/// viewer will; plays to the end. The title reports the outcome.
const MSE_PAGE: &str = r#"<!doctype html><title>pending</title>
<video id="v" muted playsinline></video>
<script>
const v = document.getElementById('v');
const done = (t) => { if (document.title === 'pending') document.title = t; };
(async () => {
  const info = await (await fetch('/info')).json();
  if (!MediaSource.isTypeSupported(info.mime)) return done('unsupported ' + info.mime);
  const data = new Uint8Array(await (await fetch('/live.mp4')).arrayBuffer());
  const ms = new MediaSource();
  v.src = URL.createObjectURL(ms);
  await new Promise(r => ms.addEventListener('sourceopen', r, { once: true }));
  const sb = ms.addSourceBuffer(info.mime);
  for (const [a, b] of info.parts) {
    sb.appendBuffer(data.subarray(a, b));
    await new Promise((ok, no) => {
      sb.addEventListener('updateend', ok, { once: true });
      sb.addEventListener('error', () => no('append ' + a), { once: true });
    });
  }
  const ranges = sb.buffered.length;
  ms.endOfStream();
  v.addEventListener('timeupdate', () => {
    if (v.currentTime >= v.duration - 0.1) {
      done('played ' + v.videoWidth + 'x' + v.videoHeight + ' ' + ranges + ' ' +
        v.currentTime.toFixed(2));
    }
  });
  v.addEventListener('error', () => done('error ' + (v.error && v.error.code)));
  await v.play();
})().catch(e => done('error ' + e));
</script>"#;

/// Serves the MSE page, `/info` (MIME type and each part's byte range) and `/live.mp4`.
fn serve_mse(mime: String, bytes: Vec<u8>, parts: Vec<(usize, usize)>) -> u16 {
    let server = tiny_http::Server::http("127.0.0.1:0").expect("bind");
    let port = server.server_addr().to_ip().expect("ip").port();
    let info = serde_json::json!({ "mime": mime, "parts": parts }).to_string();
    std::thread::spawn(move || {
        for req in server.incoming_requests() {
            let (body, ct) = match req.url() {
                "/live.mp4" => (bytes.clone(), "video/mp4"),
                "/info" => (info.clone().into_bytes(), "application/json"),
                _ => (MSE_PAGE.as_bytes().to_vec(), "text/html"),
            };
            let ct =
                tiny_http::Header::from_bytes(&b"Content-Type"[..], ct.as_bytes()).expect("header");
            let _ = req.respond(tiny_http::Response::from_data(body).with_header(ct));
        }
    });
    port
}

#[test]
fn demo_camera_fragments_play_in_chromium_through_media_source_extensions() {
    let (_dir, host) = host_with("demo://?width=320&height=240&fps=15");
    let mut watch = host.watch_packets("cam").expect("watch packets");
    let init = match next(&mut watch) {
        LiveChunk::Init(init) => init,
        other => panic!("expected an init segment first, got {other:?}"),
    };
    let mut bytes = init.data.clone();
    let mut parts = vec![(0, bytes.len())];
    while parts.len() < 31 {
        if let LiveChunk::Fragment(f) = next(&mut watch) {
            parts.push((bytes.len(), bytes.len() + f.data.len()));
            bytes.extend_from_slice(&f.data);
        }
    }
    drop(watch);
    host.shutdown();
    let port = serve_mse(init.mime_type(), bytes, parts);
    let title = common::browser::title_once_settled(
        &format!("http://127.0.0.1:{port}/"),
        Duration::from_secs(60),
    );
    let words: Vec<&str> = title.split_whitespace().collect();
    assert_eq!(
        words.get(..3),
        Some(&["played", "320x240", "1"][..]),
        "Chromium played the 30 fragments as one range: {title:?}"
    );
    let played: f64 = words.get(3).and_then(|p| p.parse().ok()).unwrap_or(0.0);
    assert!((played - 2.0).abs() < 0.15, "played {played} s of 2 s");
}
