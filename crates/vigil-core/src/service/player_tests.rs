//! [`PlayerHandle`] handed out by the real engine host (`EngineService::player`) over what
//! the host itself recorded: the built-in demo camera in 2-s segments in a temporary folder.
//! The handle shows the picture at the position it opened at, plays (a hand-moved clock
//! drives playback time), steps, refuses a wrong speed, and wakes its caller.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::*;
use crate::engine::EngineOptions;
use crate::host::EngineHost;
use crate::library::{Library, SegmentQuery};
use crate::model::{CameraName, NewCamera, Policy, Segment, Transport};
use crate::playback::ManualClock;
use crate::service::{EngineService, TrackStatus};

/// Polls `cond` every 5 ms; panics saying `what` after `secs` seconds.
fn poll(what: &str, secs: u64, mut cond: impl FnMut() -> bool) {
    let end = Instant::now() + Duration::from_secs(secs);
    while !cond() {
        assert!(Instant::now() < end, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// The engine recording the demo camera until it has finished one segment.
fn recorded() -> (tempfile::TempDir, EngineHost, i64, Segment) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut lib = Library::open(dir.path()).expect("library");
    let demo = NewCamera {
        name: CameraName::parse("demo").expect("name"),
        url: "demo://".into(),
        detect_url: None,
        transport: Transport::Tcp,
        enabled: true,
        audio: false,
    };
    let policy = Policy {
        segment_s: 2,
        ..Policy::default()
    };
    let id = lib.add_camera(&demo, &policy).expect("camera").id;
    let host = EngineHost::start(EngineOptions::new(dir.path().to_path_buf())).expect("engine");
    let q = SegmentQuery {
        camera_id: Some(id),
        ..SegmentQuery::default()
    };
    let mut first = None;
    poll("a finished segment", 40, || {
        first = lib.segments(&q).expect("segments").into_iter().next();
        first.is_some()
    });
    (dir, host, id, first.expect("segment"))
}

#[test]
fn the_host_hands_out_a_player_that_shows_plays_and_steps_the_recording() {
    let (_dir, host, id, seg) = recorded();
    let woken = Arc::new(AtomicUsize::new(0));
    let w = Arc::clone(&woken);
    let clock = Arc::new(ManualClock::new());
    let mut opts = PlayerOptions::new(320, 180);
    opts.repaint = Some(Arc::new(move || {
        w.fetch_add(1, Ordering::SeqCst);
    }));
    opts.clock = clock.clone();
    let at = seg.start_us + 500_000;
    let player = host.player(&[id], at, opts).expect("player");
    assert_eq!(player.cameras(), &[id]);

    poll("the picture at the position", 20, || {
        player.latest(id).is_some()
    });
    let frame = player.latest(id).expect("picture");
    assert!(
        (frame.wall_us - at).abs() < 100_000,
        "{} vs {at}",
        frame.wall_us
    );
    assert!(frame.image.width <= 320 && frame.image.height <= 180);
    assert_eq!(
        frame.image.data.len() as u32,
        frame.image.width * frame.image.height * 4
    );
    assert_eq!(player.state().tracks[0].status, TrackStatus::Showing);
    assert!(woken.load(Ordering::SeqCst) >= 1, "the caller was woken");

    // Play: half a second of clock moves the position half a second.
    player.play().expect("play");
    poll("playing", 10, || player.state().playing);
    clock.advance(500_000);
    poll("the position to advance", 10, || {
        player.state().position_us >= at + 500_000
    });
    let seq = player.frame_seq();
    poll("a newer picture", 10, || {
        player.latest(id).is_some_and(|f| f.wall_us > frame.wall_us)
    });
    assert!(player.frame_seq() >= seq);

    // A step pauses and moves one picture on.
    let before = player.state().tracks[0].frame_wall_us.expect("shown");
    player.step(1).expect("step");
    poll("one picture on, paused", 10, || {
        let s = player.state();
        !s.playing && s.tracks[0].frame_wall_us.is_some_and(|w| w > before)
    });
    assert!(player.set_speed(99.0).is_err(), "99× is refused");
    player.set_speed(4.0).expect("4×");
    poll("4×", 10, || player.state().speed == 4.0);
}

#[test]
fn a_player_needs_a_camera() {
    let dir = tempfile::tempdir().expect("temp dir");
    let err = PlayerHandle::open(dir.path(), &[], 0, PlayerOptions::new(16, 16));
    assert!(err.is_err(), "no camera, no player");
}
