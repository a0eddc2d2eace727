//! Watching recordings in the app, headless with egui_kittest over the real engine: the demo
//! camera records 2-s segments; clicking the timeline in the past replaces the live tile with
//! the recorded picture at that instant; Space plays (the playhead follows), K pauses, →
//! steps one picture, "Now" returns to live. Assertions are on the player's state and the
//! pictures shown, with deadlines for the threads involved.

use std::time::{Duration, Instant};

use egui::{Event, Key, Modifiers, PointerButton, Pos2};
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;

use vigil::engine::host::EngineHost;
use vigil::engine::EngineOptions;
use vigil::library::{Library, SegmentQuery};
use vigil::model::{CameraName, NewCamera, Policy, Transport};
use vigil::ui::VigilApp;

/// Steps the app until `done` holds, or fails after `secs` seconds saying `what`.
fn until(h: &mut Harness<'_, VigilApp>, secs: u64, what: &str, done: impl Fn(&VigilApp) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !done(h.state()) {
        assert!(Instant::now() < deadline, "{what} within {secs} s");
        h.run_steps(1);
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn position(h: &Harness<'_, VigilApp>) -> i64 {
    h.state()
        .recorded()
        .player_state()
        .expect("a player")
        .position_us
}

fn press(h: &mut Harness<'_, VigilApp>, key: Key) {
    h.key_press_modifiers(Modifiers::NONE, key);
    h.run_steps(2);
}

#[test]
fn clicking_the_timeline_plays_the_recording_in_the_tile_and_now_returns_to_live() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut lib = Library::open(dir.path()).expect("library");
    let demo = NewCamera {
        name: CameraName::parse("demo").expect("name"),
        url: "demo://".into(),
        detect_url: None,
        transport: Transport::Tcp,
        enabled: true,
    };
    let policy = Policy {
        segment_s: 2,
        ..Policy::default()
    };
    lib.add_camera(&demo, &policy).expect("camera");
    let host = EngineHost::start(EngineOptions::new(dir.path().to_path_buf())).expect("engine");
    let mut h = Harness::builder()
        .with_size([1280.0, 800.0])
        .with_step_dt(1.0 / 60.0)
        .with_max_steps(20)
        .build_ui_state(
            |ui, app: &mut VigilApp| app.show(ui),
            VigilApp::new(Box::new(host)),
        );
    // Three finished segments (6 s of video).
    let segments = || lib.segments(&SegmentQuery::default()).expect("segments");
    until(&mut h, 40, "three recorded segments", |_| {
        segments().len() >= 3
    });
    let first = segments()[0].clone();
    until(&mut h, 10, "a live picture", |app| {
        app.live().picture("demo").is_some()
    });

    // Click the timeline 1.5 s into the first segment.
    let target = first.start_us + 1_500_000;
    let (x, y) = {
        let layout = h
            .state()
            .recorded()
            .timeline()
            .and_then(|t| t.layout())
            .expect("timeline drawn");
        (layout.axis.x(target), layout.rows[0].center().y)
    };
    let at = Pos2::new(x, y);
    h.hover_at(at);
    h.run_steps(1);
    for pressed in [true, false] {
        h.event(Event::PointerButton {
            pos: at,
            button: PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
    }
    h.run_steps(2);
    let clicked = h.state().recorded().playhead().expect("a playhead");
    let per_px = h
        .state()
        .recorded()
        .timeline()
        .and_then(|t| t.layout())
        .expect("layout")
        .axis
        .us_per_px();
    assert!(
        (clicked - target).abs() as f64 <= per_px,
        "{clicked} vs {target}"
    );
    until(&mut h, 15, "the recorded picture in the tile", |app| {
        app.recorded().picture("demo").is_some()
            && app.recorded().player_state().is_some_and(|s| {
                s.tracks[0]
                    .frame_wall_us
                    .is_some_and(|w| (w - clicked).abs() < 100_000)
            })
    });
    assert_eq!(h.state().live().watching(), 0, "live decoding stops");
    assert_eq!(position(&h), clicked);

    // Space plays; the playhead follows the player.
    press(&mut h, Key::Space);
    until(&mut h, 15, "playback to advance 0.5 s", |app| {
        app.recorded()
            .player_state()
            .is_some_and(|s| s.playing && s.position_us > clicked + 500_000)
    });
    until(&mut h, 5, "the playhead to follow", |app| {
        app.recorded()
            .playhead()
            .is_some_and(|p| p > clicked + 500_000)
    });
    // K pauses; → steps one picture (the demo runs at 25 fps or less).
    press(&mut h, Key::K);
    until(&mut h, 5, "a pause", |app| {
        app.recorded().player_state().is_some_and(|s| !s.playing)
    });
    let paused = h.state().recorded().player_state().expect("player");
    let shown = paused.tracks[0].frame_wall_us.expect("a picture");
    press(&mut h, Key::ArrowRight);
    until(&mut h, 5, "one step forward", |app| {
        app.recorded().player_state().is_some_and(|s| {
            s.tracks[0]
                .frame_wall_us
                .is_some_and(|w| w > shown && w - shown <= 100_000)
        })
    });

    // "Now": back to live, the player is gone, live pictures come back.
    h.get_by_label("Now").click();
    h.run_steps(2);
    assert!(!h.state().recorded().is_playback());
    assert!(h.state().recorded().player_state().is_none());
    until(&mut h, 10, "live decoding again", |app| {
        app.live().watching() == 1
    });
}
