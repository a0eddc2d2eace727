//! Watching recordings in the app, headless with egui_kittest over the real engine: the demo
//! camera records 2-s segments; clicking the timeline in the past replaces the live tile with
//! the recorded picture at that instant; Space plays (the playhead follows), K pauses, →
//! steps one picture, "Now" returns to live; a range shift-dragged on the timeline exports
//! to one MP4. Assertions are on the player's state, the pictures shown and the written file,
//! with deadlines for the threads involved.

use crate::common;

use std::time::{Duration, Instant};

use egui::{Event, Key, Modifiers, PointerButton, Pos2};
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;

use vigil_app::VigilApp;
use vigil_core::library::SegmentQuery;

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
    let (_dir, lib, host) = common::demo_engine();
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

/// Shift-drag on the timeline selects a range; with the camera's tile selected, "Export demo
/// selection…" writes one MP4 of that range (the save dialog answered by a fixed path), and
/// ffprobe reads back about the selected length.
#[test]
fn a_range_selected_on_the_timeline_is_exported() {
    let (dir, lib, host) = common::demo_engine();
    let out = dir.path().join("selection.mp4");
    let picker = std::sync::Arc::new(vigil_app::export::FixedPicker(Some(out.clone())));
    let mut h = Harness::builder()
        .with_size([1280.0, 800.0])
        .with_step_dt(1.0 / 60.0)
        .with_max_steps(20)
        .build_ui_state(
            |ui, app: &mut VigilApp| app.show(ui),
            VigilApp::new(Box::new(host)).with_save_picker(picker),
        );
    let segments = || lib.segments(&SegmentQuery::default()).expect("segments");
    until(&mut h, 40, "three recorded segments", |_| {
        segments().len() >= 3
    });
    let first = segments()[0].clone();
    // Select the tile; zoom the timeline in (about now, at its right edge) to a minute or
    // so, then shift-drag over 3 s of recorded time.
    h.get_by_label("tile demo").click();
    h.run_steps(2);
    let row = h
        .state()
        .recorded()
        .timeline()
        .and_then(|t| t.layout())
        .expect("timeline drawn")
        .rows[0];
    h.hover_at(Pos2::new(row.right() - 20.0, row.center().y));
    for _ in 0..4 {
        h.event(Event::MouseWheel {
            unit: egui::MouseWheelUnit::Line,
            delta: egui::vec2(0.0, 5.0),
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Unknown,
            modifiers: Modifiers::NONE,
        });
        h.run_steps(2);
    }
    let (from_t, to_t) = (first.start_us + 500_000, first.start_us + 3_500_000);
    let (a, b) = {
        let l = h
            .state()
            .recorded()
            .timeline()
            .and_then(|t| t.layout())
            .expect("timeline drawn");
        let y = l.rows[0].center().y;
        (Pos2::new(l.axis.x(from_t), y), Pos2::new(l.axis.x(to_t), y))
    };
    h.event(Event::ModifiersChanged(Modifiers::SHIFT));
    h.hover_at(a);
    h.run_steps(1);
    h.event(Event::PointerButton {
        pos: a,
        button: PointerButton::Primary,
        pressed: true,
        modifiers: Modifiers::SHIFT,
    });
    for i in 1..=6 {
        h.hover_at(a + (b - a) * (i as f32 / 6.0));
        h.run_steps(1);
    }
    h.event(Event::PointerButton {
        pos: b,
        button: PointerButton::Primary,
        pressed: false,
        modifiers: Modifiers::SHIFT,
    });
    h.event(Event::ModifiersChanged(Modifiers::NONE));
    h.run_steps(2);
    let (sel_a, sel_b) = h
        .state()
        .recorded()
        .timeline()
        .and_then(|t| t.view().selection)
        .expect("a selection");
    h.get_by_label("Export demo selection…").click();
    until(&mut h, 30, "the export to finish", |app| {
        app.export().outcome().is_some()
    });
    let outcome = h.state().export().outcome().expect("outcome").to_string();
    assert!(
        outcome.starts_with(&format!("wrote {}", out.display())),
        "{outcome}"
    );
    // The signed manifest beside it, named in the outcome, verifies with the library's key.
    let manifest = vigil_core::evidence::manifest::manifest_path(&out);
    assert!(
        outcome.contains(&manifest.display().to_string()),
        "{outcome}"
    );
    let key = vigil_core::evidence::InstallationKey::load(dir.path()).expect("key");
    let trusted = vigil_core::evidence::TrustedKey::Installation(key.public_key());
    let verdict = vigil_core::evidence::verify::verify(&out, None, &trusted);
    assert_eq!(
        verdict.outcome(),
        vigil_core::evidence::Outcome::Authentic,
        "{:?}",
        verdict.problems
    );
    let by = verdict.manifest.map(|m| m.exported_by).unwrap_or_default();
    assert!(by.ends_with("(desktop)"), "{by}");
    let probe = common::ffprobe(&out.to_string_lossy());
    assert_eq!(probe.codec, "h264");
    // The selection's length, plus at most one GOP of lead-in before it (the demo camera's
    // keyframes are at most 2 s apart), give or take a frame.
    let selected_s = (sel_b - sel_a) as f64 / 1e6;
    assert!(
        probe.duration_s >= selected_s - 0.1 && probe.duration_s <= selected_s + 2.1,
        "{} s exported for {selected_s} s selected ({outcome})",
        probe.duration_s
    );
}
