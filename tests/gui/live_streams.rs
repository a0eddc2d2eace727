//! Live tiles over the real engine and the RTSP simulator (main stream `/h264` at 1280×720,
//! the detect sub-stream `/sub` at 320×180): a small tile shows the sub-stream, a large one
//! the main stream, switching without an empty tile and not within the hysteresis band; a
//! failing sub-stream falls back to the main stream and says why; and the decode budget
//! drops the tiles that are not selected to key frames only (marker "KF", picture rate at
//! the key-frame rate) while the selected one keeps every frame, then recovers.

use crate::common::RtspServer;

use std::time::{Duration, Instant};

use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;

use vigil_app::video::ShownStream;
use vigil_app::VigilApp;
use vigil_core::engine::EngineOptions;
use vigil_core::host::EngineHost;
use vigil_core::library::Library;
use vigil_core::model::{CameraName, NewCamera, Policy, Transport};
use vigil_core::service::{LiveHub, LiveStream};

const WAIT: Duration = Duration::from_secs(40);

/// The simulator, a library with `cameras` (main `/h264`, sub-stream `sub_url` or `/sub`)
/// and the engine running them.
fn engine(cameras: &[&str], sub_url: Option<&str>) -> (RtspServer, tempfile::TempDir, EngineHost) {
    let rtsp = RtspServer::start(&["--width", "1280", "--height", "720"]);
    let dir = tempfile::tempdir().expect("temp dir");
    let mut lib = Library::open(dir.path()).expect("library");
    for name in cameras {
        let cam = NewCamera {
            name: CameraName::parse(name).expect("name"),
            url: rtsp.url("h264"),
            detect_url: Some(sub_url.map_or_else(|| rtsp.url("sub"), str::to_string)),
            transport: Transport::Tcp,
            enabled: true,
            audio: false,
        };
        lib.add_camera(&cam, &Policy::default()).expect("camera");
    }
    drop(lib);
    let host = EngineHost::start(EngineOptions::new(dir.path().to_path_buf())).expect("engine");
    (rtsp, dir, host)
}

fn harness<'a>(app: VigilApp, size: [f32; 2]) -> Harness<'a, VigilApp> {
    Harness::builder()
        .with_size(size)
        .with_step_dt(1.0 / 60.0)
        .with_max_steps(4)
        .build_ui_state(|ui, app: &mut VigilApp| app.show(ui), app)
}

/// One frame of the app, then a short pause so the engine's threads get to run.
fn frame(h: &mut Harness<'_, VigilApp>) {
    h.run_steps(1);
    std::thread::sleep(Duration::from_millis(15));
}

/// Runs frames until `cond` holds (panics after [`WAIT`] with `what`), calling `check` on
/// every frame on the way.
fn frames_until(
    h: &mut Harness<'_, VigilApp>,
    what: &str,
    mut check: impl FnMut(&VigilApp),
    mut cond: impl FnMut(&Harness<'_, VigilApp>) -> bool,
) {
    let deadline = Instant::now() + WAIT;
    loop {
        frame(h);
        check(h.state());
        if cond(h) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{what} within {WAIT:?}; shown: {:?}",
            h.state()
                .camera_names()
                .iter()
                .map(|c| (c, h.state().live().shown(c)))
                .collect::<Vec<_>>()
        );
    }
}

/// Runs frames for `span`, calling `check` on every one.
fn frames_for(h: &mut Harness<'_, VigilApp>, span: Duration, mut check: impl FnMut(&VigilApp)) {
    let end = Instant::now() + span;
    while Instant::now() < end {
        frame(h);
        check(h.state());
    }
}

fn shown(app: &VigilApp, camera: &str) -> Option<ShownStream> {
    app.live().shown(camera)
}

fn is(app: &VigilApp, camera: &str, stream: LiveStream, width: u32) -> bool {
    shown(app, camera).is_some_and(|s| s.stream == stream && s.source.0 == width && !s.switching)
}

fn tile_width(app: &VigilApp, camera: &str) -> u32 {
    app.live().requested_size(camera).expect("watching").0
}

#[test]
fn a_tile_shows_the_sub_stream_when_small_and_the_main_stream_when_large() {
    let (_rtsp, _dir, host) = engine(&["lane"], None);
    let hub = host.live().clone();
    let mut h = harness(VigilApp::new(Box::new(host)), [360.0, 320.0]);
    frames_until(
        &mut h,
        "the sub-stream in a small tile",
        |_| {},
        |h| is(h.state(), "lane", LiveStream::Sub, 320),
    );
    let small = tile_width(h.state(), "lane");
    assert!(small < 384, "a tile under 1.2 × 320 px: {small}");
    frames_for(&mut h, Duration::from_secs(1), |_| {});
    eprintln!("sub-stream tile: {:?}", hub.decode_budget());

    // Never an empty tile from now on: the old picture stays until the new stream's first.
    let never_empty = |app: &VigilApp| {
        assert!(
            app.live().picture("lane").is_some(),
            "the tile has a picture"
        );
    };
    h.set_size(egui::vec2(1000.0, 700.0));
    let mut held = false;
    frames_until(
        &mut h,
        "the main stream in a large tile",
        |app| {
            never_empty(app);
            let s = shown(app, "lane").expect("a stream shown");
            held |= s.switching && s.stream == LiveStream::Sub;
        },
        |h| is(h.state(), "lane", LiveStream::Main, 1280),
    );
    assert!(
        held,
        "the sub-stream's picture was shown while the main stream started"
    );
    let large = tile_width(h.state(), "lane");
    assert!(large > 480, "{large}");
    let picture = h.state().live().picture("lane").expect("a picture").1;
    assert!(
        picture[0] > 320,
        "the main stream's picture fills the tile: {picture:?}"
    );
    frames_for(&mut h, Duration::from_secs(1), |_| {});
    eprintln!("main-stream tile: {:?}", hub.decode_budget());

    // Within the band (1.2 to 1.5 × 320 px) the main stream stays.
    h.set_size(egui::vec2(440.0, 320.0));
    frames_for(&mut h, Duration::from_secs(2), |app| {
        never_empty(app);
        assert!(
            is(app, "lane", LiveStream::Main, 1280),
            "{:?}",
            shown(app, "lane")
        );
    });
    let band = tile_width(h.state(), "lane");
    assert!((384..=480).contains(&band), "{band}");

    h.set_size(egui::vec2(360.0, 320.0));
    frames_until(&mut h, "the sub-stream again", never_empty, |h| {
        is(h.state(), "lane", LiveStream::Sub, 320)
    });
    // And within the band from below, the sub-stream stays.
    h.set_size(egui::vec2(440.0, 320.0));
    frames_for(&mut h, Duration::from_secs(2), |app| {
        never_empty(app);
        assert!(
            is(app, "lane", LiveStream::Sub, 320),
            "{:?}",
            shown(app, "lane")
        );
    });
}

#[test]
fn a_sub_stream_that_cannot_connect_leaves_the_tile_on_the_main_stream_saying_why() {
    let dead = format!("rtsp://127.0.0.1:{}/sub", crate::common::free_port());
    let (_rtsp, _dir, host) = engine(&["yard"], Some(&dead));
    let mut h = harness(VigilApp::new(Box::new(host)), [360.0, 320.0]);
    frames_until(
        &mut h,
        "the main stream with the reason",
        |_| {},
        |h| {
            shown(h.state(), "yard").is_some_and(|s| {
                s.stream == LiveStream::Main && s.source.0 == 1280 && s.fallback.is_some()
            })
        },
    );
    let s = shown(h.state(), "yard").expect("shown");
    let line = vigil_app::text::shown_stream(&s);
    assert!(
        line.starts_with("showing the main stream 1280×720 — sub-stream failed: "),
        "{line}"
    );
}

#[test]
fn a_sub_stream_failing_on_screen_hands_the_tile_to_the_main_stream_without_an_empty_tile() {
    // The sub-stream from a simulator of its own, which goes away.
    let mut sub = RtspServer::start(&[]);
    let (_rtsp, _dir, host) = engine(&["gate"], Some(&sub.url("sub")));
    let mut h = harness(VigilApp::new(Box::new(host)), [360.0, 320.0]);
    frames_until(
        &mut h,
        "the sub-stream in a small tile",
        |_| {},
        |h| is(h.state(), "gate", LiveStream::Sub, 320),
    );
    // The hover details name the stream shown.
    h.get_by_label("tile gate").hover();
    frames_until(
        &mut h,
        "the tile's hover details",
        |_| {},
        |h| {
            h.query_by_label_contains("showing the sub-stream 320×180")
                .is_some()
        },
    );

    sub.stop();
    frames_until(
        &mut h,
        "the main stream after the sub-stream failed",
        |app| assert!(app.live().picture("gate").is_some(), "never an empty tile"),
        |h| {
            shown(h.state(), "gate").is_some_and(|s| {
                s.stream == LiveStream::Main && s.source.0 == 1280 && s.fallback.is_some()
            })
        },
    );
    let s = shown(h.state(), "gate").expect("shown");
    eprintln!(
        "after the sub-stream stopped: {}",
        vigil_app::text::shown_stream(&s)
    );
}

/// Pictures each camera's tile decodes over `span` (frames keep running meanwhile).
fn picture_counts(h: &mut Harness<'_, VigilApp>, cameras: &[&str], span: Duration) -> Vec<u64> {
    let seq = |app: &VigilApp, c: &str| app.live().frame_seq(c).expect("watching");
    let before: Vec<u64> = cameras.iter().map(|c| seq(h.state(), c)).collect();
    frames_for(h, span, |_| {});
    cameras
        .iter()
        .zip(before)
        .map(|(c, b)| seq(h.state(), c) - b)
        .collect()
}

#[test]
fn the_decode_budget_drops_unselected_tiles_to_key_frames_and_recovers() {
    let (_rtsp, _dir, host) = engine(&["a", "b", "c"], None);
    let hub: LiveHub = host.live().clone();
    let mut h = harness(VigilApp::new(Box::new(host)), [800.0, 500.0]);
    frames_until(
        &mut h,
        "pictures in every tile",
        |_| {},
        |h| {
            ["a", "b", "c"]
                .iter()
                .all(|c| h.state().live().picture(c).is_some())
        },
    );
    let names = h.state().camera_names().to_vec();
    let selected = h
        .state()
        .grid()
        .selected(&names)
        .expect("selected")
        .to_string();
    let others: Vec<&str> = names
        .iter()
        .map(String::as_str)
        .filter(|n| *n != selected)
        .collect();
    let kf = |app: &VigilApp, c: &str| shown(app, c).is_some_and(|s| s.keyframes_only);

    hub.set_decode_budget(0.0001);
    frames_until(
        &mut h,
        "key frames only on the tiles not selected",
        |_| {},
        |h| {
            others.iter().all(|c| kf(h.state(), c))
                && h.query_all_by_label(vigil_app::text::KEYFRAMES_MARKER)
                    .count()
                    == others.len()
        },
    );
    assert!(
        !kf(h.state(), &selected),
        "the selected tile keeps every frame"
    );
    assert!(hub.decode_budget().limited);
    let mut cams = vec![selected.as_str()];
    cams.extend(&others);
    let counts = picture_counts(&mut h, &cams, Duration::from_secs(3));
    eprintln!(
        "pictures in 3 s, limited (selected first): {counts:?}; budget {:?}",
        hub.decode_budget()
    );
    assert!(
        counts[0] >= 30,
        "the selected tile stays smooth: {counts:?}"
    );
    for n in &counts[1..] {
        // One key frame a second (25 fps, GOP 25), and the one that may be in flight.
        assert!(*n <= 5, "key frames only: {counts:?}");
    }

    hub.set_decode_budget(64.0);
    frames_until(
        &mut h,
        "every frame again, the marker gone",
        |_| {},
        |h| {
            cams.iter().all(|c| !kf(h.state(), c))
                && h.query_all_by_label(vigil_app::text::KEYFRAMES_MARKER)
                    .count()
                    == 0
        },
    );
    let counts = picture_counts(&mut h, &cams, Duration::from_secs(3));
    eprintln!(
        "pictures in 3 s, recovered: {counts:?}; budget {:?}",
        hub.decode_budget()
    );
    for n in &counts {
        assert!(*n >= 20, "every frame again: {counts:?}");
    }
}
