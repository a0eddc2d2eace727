//! Instant replay in the app, headless with egui_kittest over the real engine recording two
//! cameras of the RTSP simulator continuously (4-s segments, so the replay plays finished
//! segments and then the file being written now): R on the selected tile plays what was
//! recorded (from the start of the recording, less than 30 s ago) in that tile at 1×, its
//! pictures in the past and advancing, while the other tile stays live; the replay returns
//! to live by itself at its end; the tile menu's entry starts one, Esc and "Back to live"
//! end one.

use crate::common;

use std::time::{Duration, Instant};

use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;

use common::RtspServer;
use vigil_app::VigilApp;
use vigil_core::host::EngineHost;
use vigil_core::library::{Library, SegmentQuery};
use vigil_core::model::time::now_us;
use vigil_core::model::{CameraName, NewCamera, Policy, Transport};

/// Steps the app until `done` holds, or fails after `secs` seconds saying `what`.
fn until(h: &mut Harness<'_, VigilApp>, secs: u64, what: &str, done: impl Fn(&VigilApp) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !done(h.state()) {
        assert!(Instant::now() < deadline, "{what} within {secs} s");
        h.run_steps(1);
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The wall time of the picture `camera`'s replay shows.
fn replay_frame(app: &VigilApp, camera: &str) -> Option<i64> {
    app.replays()
        .player_state(camera)?
        .tracks
        .first()?
        .frame_wall_us
}

/// When `lib`'s first recording started (finished segment or file being written).
fn first_recorded(lib: &Library) -> Option<i64> {
    let finished = lib
        .segments(&SegmentQuery::default())
        .expect("segments")
        .into_iter()
        .map(|s| s.start_us);
    let open = lib
        .open_segments()
        .expect("open segments")
        .into_iter()
        .map(|(_, _, _, start)| start);
    finished.chain(open).min()
}

fn press(h: &mut Harness<'_, VigilApp>, key: Key) {
    h.key_press_modifiers(Modifiers::NONE, key);
    h.run_steps(2);
}

#[test]
fn instant_replay_plays_the_recent_recording_in_its_tile_and_returns_to_live() {
    let rtsp = RtspServer::start(&[]);
    let dir = tempfile::tempdir().expect("dir");
    let mut lib = Library::open(dir.path()).expect("library");
    let policy = Policy {
        segment_s: 4,
        ..Policy::default()
    };
    for name in ["a", "b"] {
        let cam = NewCamera {
            name: CameraName::parse(name).expect("name"),
            url: rtsp.url("h264"),
            detect_url: None,
            transport: Transport::Tcp,
            enabled: true,
            audio: false,
        };
        lib.add_camera(&cam, &policy).expect("camera");
    }
    let opts = vigil_core::engine::EngineOptions::new(dir.path().to_path_buf());
    let host = EngineHost::start(opts).expect("engine");
    let mut h = Harness::builder()
        .with_size([1280.0, 800.0])
        .with_step_dt(1.0 / 60.0)
        .with_max_steps(20)
        .build_ui_state(
            |ui, app: &mut VigilApp| app.show(ui),
            VigilApp::new(Box::new(host)),
        );
    until(&mut h, 30, "live pictures in both tiles", |app| {
        app.live().picture("a").is_some() && app.live().picture("b").is_some()
    });
    // About 8 s of recording (less than 30 s: the replay starts where the recording does).
    until(&mut h, 40, "8 s of recording", |_| {
        first_recorded(&lib).is_some_and(|t| now_us() - t >= 8_000_000)
    });
    let started = first_recorded(&lib).expect("recording");

    h.get_by_label("tile a").click();
    h.run_steps(2);
    press(&mut h, Key::R);
    let (asked, pressed) = (now_us(), Instant::now());
    assert!(h.state().replays().is_replaying("a"));
    assert!(!h.state().replays().is_replaying("b"), "one tile replays");
    until(&mut h, 15, "a recorded picture in tile a", |app| {
        app.replays().picture("a").is_some() && replay_frame(app, "a").is_some()
    });
    let first_picture_ms = pressed.elapsed().as_millis();
    let first = replay_frame(h.state(), "a").expect("a picture");
    assert!(first < asked, "a picture of the past: {first} vs {asked}");
    assert!(
        (first - started).abs() < 1_500_000,
        "from the start of the recording: {first} vs {started}"
    );
    let label = h.state().replays().label("a").expect("a label");
    assert!(label.starts_with("REPLAY \u{2212}0:0"), "{label}");
    let uploads = h.state().pictures_shown();
    until(&mut h, 10, "the replay to advance 1 s", |app| {
        replay_frame(app, "a").is_some_and(|w| w > first + 1_000_000 && w < asked)
    });
    assert!(
        !h.state().live().is_watching("a"),
        "tile a shows the replay"
    );
    assert!(h.state().live().is_watching("b"), "tile b stays live");
    assert!(
        h.state().pictures_shown() > uploads + 10,
        "live pictures keep coming for tile b"
    );

    // At its end (where it was asked for) the tile is live again by itself, having played
    // the file being written up to about a second before it was asked for.
    let left_s = ((asked - first) / 1_000_000 + 10) as u64;
    let last = std::cell::Cell::new(first);
    until(&mut h, left_s, "the replay to end by itself", |app| {
        if let Some(w) = replay_frame(app, "a") {
            last.set(last.get().max(w));
        }
        !app.replays().is_replaying("a")
    });
    let reach_ms = (asked - last.get()) / 1000;
    eprintln!(
        "instant replay: first picture {first_picture_ms} ms after R; last picture \
         {reach_ms} ms before R"
    );
    // (A picture stamped just after R may show in the frame the replay ends.)
    assert!(
        (-500..2_000).contains(&reach_ms),
        "the replay reaches the last second before R: {reach_ms} ms"
    );
    until(&mut h, 10, "tile a live again", |app| {
        app.live().is_watching("a")
    });

    // The tile menu's entry starts one; Esc ends it.
    h.get_by_label("tile a").click_secondary();
    h.run_steps(2);
    h.get_by_label("Instant replay (last 30 s)").click();
    h.run_steps(2);
    assert!(h.state().replays().is_replaying("a"));
    until(&mut h, 15, "a recorded picture again", |app| {
        replay_frame(app, "a").is_some()
    });
    press(&mut h, Key::Escape);
    assert!(!h.state().replays().is_replaying("a"), "Esc: back to live");

    // R starts one; "Back to live" ends it.
    press(&mut h, Key::R);
    assert!(h.state().replays().is_replaying("a"));
    until(&mut h, 15, "a recorded picture once more", |app| {
        replay_frame(app, "a").is_some()
    });
    h.get_by_label("Back to live").click();
    h.run_steps(2);
    assert!(
        !h.state().replays().is_replaying("a"),
        "the button: back to live"
    );
    until(&mut h, 10, "tile a live again", |app| {
        app.live().is_watching("a")
    });
}

#[test]
fn the_file_being_written_is_replayed_and_an_events_only_camera_says_why_there_is_nothing() {
    use vigil_core::service::{EngineService, PlayerOptions};

    let rtsp = RtspServer::start(&[]);
    let dir = tempfile::tempdir().expect("dir");
    let mut lib = Library::open(dir.path()).expect("library");
    let camera = |name: &str, mount: &str| NewCamera {
        name: CameraName::parse(name).expect("name"),
        url: rtsp.url(mount),
        detect_url: None,
        transport: Transport::Tcp,
        enabled: true,
        audio: false,
    };
    // 60-s segments: for the first minute everything is in the file being written.
    let cont = lib
        .add_camera(&camera("cont", "h264"), &Policy::default())
        .expect("cont");
    let events = Policy {
        mode: vigil_core::model::RecordMode::Events,
        ..Policy::default()
    };
    lib.add_camera(&camera("quiet", "static"), &events)
        .expect("quiet");
    let opts = vigil_core::engine::EngineOptions::new(dir.path().to_path_buf());
    let host = EngineHost::start(opts).expect("engine");
    let deadline = Instant::now() + Duration::from_secs(40);
    let start = loop {
        let open = first_recorded(&lib).filter(|t| now_us() - t >= 5_000_000);
        if let Some(t) = open {
            break t;
        }
        assert!(Instant::now() < deadline, "5 s written within 40 s");
        std::thread::sleep(Duration::from_millis(100));
    };
    let finished = lib.segments(&SegmentQuery::default()).expect("segments");
    assert!(finished.is_empty(), "nothing finished yet: {finished:?}");

    // A player seeks into the open file and plays on in it.
    let target = start + 2_000_000;
    let player = host
        .player(&[cont.id], target, PlayerOptions::new(320, 180))
        .expect("player");
    let track = |player: &vigil_core::service::PlayerHandle| player.state().tracks[0].clone();
    assert!(
        common::wait_until(Duration::from_secs(15), || track(&player)
            .frame_wall_us
            .is_some_and(|w| (w - target).abs() < 100_000)),
        "the picture at {target} of the open file: {:?}",
        track(&player)
    );
    assert!(
        track(&player).segment_id.is_some_and(|id| id < 0),
        "from the file being written: {:?}",
        track(&player)
    );
    assert!(player.latest(cont.id).is_some(), "a picture");
    player.play().expect("play");
    assert!(
        common::wait_until(Duration::from_secs(15), || track(&player)
            .frame_wall_us
            .is_some_and(|w| w > target + 1_000_000)),
        "playing on: {:?}",
        track(&player)
    );
    drop(player);

    // An events-only camera with no event has nothing to replay, and says why.
    let mut h = Harness::builder()
        .with_size([1280.0, 800.0])
        .with_step_dt(1.0 / 60.0)
        .with_max_steps(20)
        .build_ui_state(
            |ui, app: &mut VigilApp| app.show(ui),
            VigilApp::new(Box::new(host)),
        );
    until(&mut h, 20, "tile quiet", |app| {
        app.camera_names().iter().any(|n| n == "quiet")
    });
    h.run_steps(2);
    h.get_by_label("tile quiet").click();
    h.run_steps(2);
    press(&mut h, Key::R);
    let why = "nothing recorded in the last 30 s: this camera records only around events";
    until(&mut h, 15, "the reason in the tile", |app| {
        app.replays().message("quiet").as_deref() == Some(why)
    });
    h.run_steps(2);
    h.get_by_label(why);
    assert!(h.state().replays().picture("quiet").is_none());
}
