//! A camera's sub-stream (its detect sub-stream) through the engine, against the real RTSP
//! simulator: ingested and tapped for live view on a camera that records continuously
//! (analysed only for the motion index; its packets packaged as fMP4 that ffprobe decodes
//! at 320×180), published as a secondary part of the
//! camera's status; a sub-stream that cannot connect is a problem, not the camera offline;
//! and a camera that loses its detect URL loses its sub-stream tap and its viewers.

use crate::common;

use std::time::Duration;

use common::{wait_until, RtspServer};
use vigil_core::engine::{Engine, EngineOptions};
use vigil_core::library::Library;
use vigil_core::model::{CameraName, NewCamera, Policy, Transport};
use vigil_core::service::{ConnState, LiveChunk, LiveError, LiveStream, PacketWatch};

use crate::web_live::threads_named;

const WAIT: Duration = Duration::from_secs(30);

fn camera(name: &str, url: &str, detect_url: Option<&str>) -> NewCamera {
    NewCamera {
        name: CameraName::parse(name).expect("name"),
        url: url.to_string(),
        detect_url: detect_url.map(str::to_string),
        transport: Transport::Tcp,
        enabled: true,
        audio: false,
    }
}

/// The next chunk within 30 s.
fn next(watch: &mut PacketWatch) -> LiveChunk {
    watch.next_timeout(WAIT).expect("a live chunk within 30 s")
}

#[test]
fn a_detect_sub_stream_is_tapped_for_live_view_and_analysed_for_the_motion_index() {
    let rtsp = RtspServer::start(&[]);
    let dir = tempfile::tempdir().expect("dir");
    let mut lib = Library::open(dir.path()).expect("library");
    // Continuous recording, no zones: no analyzer runs.
    let lane = lib
        .add_camera(
            &camera("lane", &rtsp.url("h264"), Some(&rtsp.url("sub"))),
            &Policy::default(),
        )
        .expect("lane");
    // A sub-stream nobody answers at: a problem, never the camera offline.
    let dead = format!(
        "rtsp://admin:hunter22@127.0.0.1:{}/sub",
        common::free_port()
    );
    lib.add_camera(
        &camera("yard", &rtsp.url("h264"), Some(&dead)),
        &Policy::default(),
    )
    .expect("yard");
    let mut engine = Engine::start(EngineOptions::new(dir.path().to_path_buf())).expect("engine");
    let pid = std::process::id();
    let hub = engine.live();

    let mut watch = hub
        .watch_stream("lane", LiveStream::Sub)
        .expect("a sub tap");
    let init = match next(&mut watch) {
        LiveChunk::Init(init) => init,
        other => panic!("an init segment first, got {other:?}"),
    };
    assert!(init.codec.starts_with("avc1."), "{}", init.codec);
    assert_eq!((init.width, init.height), (320, 180));
    let mut bytes = init.data.clone();
    let mut frames = 0u64;
    while frames < 25 {
        match next(&mut watch) {
            LiveChunk::Fragment(f) => {
                bytes.extend_from_slice(&f.data);
                frames += 1;
            }
            other => panic!("fragments while the sub-stream runs, got {other:?}"),
        }
    }
    let out = dir.path().join("sub.mp4");
    std::fs::write(&out, &bytes).expect("write");
    let probe = common::ffprobe(&out.to_string_lossy());
    assert_eq!(probe.codec, "h264");
    assert_eq!((probe.width, probe.height), (320, 180));
    assert_eq!(probe.frames, frames, "every fragment decodes to a frame");
    assert_eq!(threads_named(pid, "ingest-lane-sub"), 1, "its own ingest");
    assert_eq!(
        threads_named(pid, "analyze-lane"),
        1,
        "motion analysis for the motion index"
    );

    // The status: the camera is its main stream, the sub-stream a part of it.
    let mut status = None;
    assert!(
        wait_until(WAIT, || {
            let s = engine.status();
            let ok = s.cameras.iter().all(|c| c.conn == ConnState::Connected)
                && s.cameras[0].sub.as_ref().is_some_and(|s| s.connected())
                && s.cameras[1]
                    .sub
                    .as_ref()
                    .is_some_and(|s| s.last_error.is_some());
            status = Some(s);
            ok
        }),
        "both cameras connected, lane's sub-stream too, yard's failing: {status:#?}"
    );
    let status = status.expect("status");
    let (d, y) = (&status.cameras[0], &status.cameras[1]);
    assert_eq!((d.name.as_str(), d.width, d.height), ("lane", 640, 360));
    let sub = d.sub.as_ref().expect("lane's sub-stream");
    assert_eq!(sub.codec.as_deref(), Some("h264"));
    assert_eq!((sub.width, sub.height), (320, 180));
    let ysub = y.sub.as_ref().expect("yard's sub-stream");
    assert!(!ysub.connected() && ysub.problem().is_some(), "{ysub:?}");
    eprintln!("yard: {}", y.summary());
    assert!(y.summary().contains("(sub-stream: "), "{}", y.summary());
    assert!(!y.summary().contains("hunter22"), "{}", y.summary());

    // A camera without a detect URL has no sub-stream to watch.
    lib.update_camera(lane.id, &camera("lane", &rtsp.url("h264"), None))
        .expect("no more detect URL");
    let changes = engine.apply_config().expect("apply");
    assert_eq!(changes.restarted, vec!["lane".to_string()]);
    assert!(!hub.has("lane", LiveStream::Sub));
    assert!(!hub.is_current(&watch), "the sub-stream's viewers end");
    assert!(matches!(
        hub.watch_stream("lane", LiveStream::Sub),
        Err(LiveError::NoSubStream(_))
    ));
    assert!(
        hub.watch_stream("lane", LiveStream::Main).is_ok(),
        "the main stream goes on"
    );
    let s = engine.status();
    assert!(s.cameras[0].sub.is_none(), "{:?}", s.cameras[0]);
    assert!(
        wait_until(WAIT, || threads_named(pid, "ingest-lane-sub") == 0),
        "its ingest stopped"
    );
    drop(watch);
    engine.shutdown();
}
