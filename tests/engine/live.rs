//! Live view through the engine API with real sources: pictures arrive at the requested
//! size (and follow a size change), decoding stops when the handle is dropped, an H.265
//! RTSP camera decodes too, and recording goes on undisturbed meanwhile.

use crate::common;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::RtspServer;
use vigil_core::engine::{Engine, EngineOptions};
use vigil_core::library::Library;
use vigil_core::live::{LiveFrame, LiveHandle};
use vigil_core::model::{CameraName, NewCamera, Policy, Transport};

fn engine_with(cameras: &[(&str, &str)]) -> (tempfile::TempDir, Engine) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut lib = Library::open(dir.path()).expect("library");
    for (name, url) in cameras {
        let cam = NewCamera {
            name: CameraName::parse(name).expect("name"),
            url: url.to_string(),
            detect_url: None,
            transport: Transport::Tcp,
            enabled: true,
            audio: false,
        };
        lib.add_camera(&cam, &Policy::default())
            .expect("add camera");
    }
    drop(lib);
    let engine = Engine::start(EngineOptions::new(dir.path().to_path_buf())).expect("engine");
    (dir, engine)
}

/// Waits (with a deadline) for a picture newer than `after` that satisfies `ok`.
fn wait_frame(
    h: &LiveHandle,
    after: u64,
    ok: impl Fn(&LiveFrame) -> bool,
) -> Option<Arc<LiveFrame>> {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Some(f) = h.latest().filter(|f| f.seq > after && ok(f)) {
            return Some(f);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    None
}

#[test]
fn demo_pictures_come_at_the_tile_size_and_stop_with_the_handle() {
    let (_dir, engine) = engine_with(&[("demo", "demo://?width=640&height=360&fps=15")]);
    let woken = Arc::new(AtomicU64::new(0));
    let w = Arc::clone(&woken);
    let repaint = Arc::new(move || {
        w.fetch_add(1, Ordering::Relaxed);
    });
    let live = engine
        .watch("demo", 320, 240, Some(repaint))
        .expect("watch");
    let f = wait_frame(&live, 0, |_| true).expect("a live picture within 30 s");
    assert_eq!(
        (f.image.width, f.image.height),
        (320, 180),
        "fitted, aspect kept"
    );
    assert_eq!(f.image.data.len(), 320 * 180 * 4);
    assert!(f.image.data.chunks(4).all(|px| px[3] == 255), "opaque");
    let distinct: std::collections::HashSet<_> = f.image.data.chunks(4).collect();
    assert!(distinct.len() > 20, "a real picture, not a blank");
    assert!(woken.load(Ordering::Relaxed) >= 1, "the viewer was woken");

    live.set_size(1920, 1080);
    let big = wait_frame(&live, f.seq, |f| f.image.width == 640).expect("resized");
    assert_eq!(
        (big.image.width, big.image.height),
        (640, 360),
        "never enlarged"
    );
    let seq = live.frame_seq();
    assert!(seq >= 2);

    let tap = engine.live().tap("demo");
    assert_eq!(tap.subscribers(), 1);
    live.stop();
    assert_eq!(tap.subscribers(), 0, "nobody watching: nothing decoded");

    let status = engine.status();
    assert_eq!(status.cameras[0].recorder_stalls, 0);
    assert!(matches!(
        engine.watch("nope", 1, 1, None),
        Err(vigil_core::engine::EngineError::Live(
            vigil_core::live::LiveError::UnknownCamera(_)
        ))
    ));
    engine.shutdown();
}

#[test]
fn an_h265_rtsp_camera_is_watched_while_it_records() {
    let server = RtspServer::start(&[]);
    let (dir, engine) = engine_with(&[("cam", &server.url("h265"))]);
    let a = engine.watch("cam", 200, 200, None).expect("watch");
    let b = engine.watch("cam", 64, 64, None).expect("a second viewer");
    let fa = wait_frame(&a, 0, |_| true).expect("H.265 picture within 30 s");
    let fb = wait_frame(&b, 0, |_| true).expect("second viewer's picture");
    assert_eq!(fa.image.width, 200, "640×360 fitted into 200×200");
    assert!(fb.image.width <= 64 && fb.image.height <= 64);
    drop(b);
    assert_eq!(engine.live().tap("cam").subscribers(), 1);
    // Recording went on meanwhile.
    let deadline = Instant::now() + Duration::from_secs(30);
    while engine.status().cameras[0].bytes_written == 0 && !engine.status().cameras[0].recording {
        assert!(Instant::now() < deadline, "recording did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    drop(a);
    engine.shutdown();
    let lib = Library::open(dir.path()).expect("library");
    let q = vigil_core::library::SegmentQuery::default();
    assert!(!lib.segments(&q).expect("segments").is_empty());
}
