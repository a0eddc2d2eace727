//! Sound in the app, headless with egui_kittest over real recordings with AAC (made by the
//! `ffmpeg` CLI, indexed in a library): watching two cameras' recordings, only the selected
//! tile's sound is handed to the output at 1×; selecting the other tile moves it; at 2× and
//! paused there is none; the speaker mutes and unmutes, the volume slider sets the volume.
//! Without the asked-for audio device, the status bar says "No sound output: …" and playback
//! goes on.

use std::process::Command;
use std::time::{Duration, Instant};

use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;

use vigil_app::audio::Device;
use vigil_app::backend::FixedBackend;
use vigil_app::VigilApp;
use vigil_core::engine::status::{CameraStatus, ConnState};
use vigil_core::engine::EngineStatus;
use vigil_core::library::{FinishedSegment, Library};
use vigil_core::model::{CameraName, NewCamera, Policy, SegmentKind, Transport};
use vigil_core::service::Archive;

const CAMS: [&str; 2] = ["snd-gui-a", "snd-gui-b"];

fn status() -> EngineStatus {
    EngineStatus {
        cameras: CAMS
            .iter()
            .map(|n| CameraStatus {
                conn: ConnState::Connected,
                ..CameraStatus::new(n, "rtsp://127.0.0.1:1/x")
            })
            .collect(),
        disk_total: 500_000_000_000,
        disk_available: 120_000_000_000,
        mqtt: None,
    }
}

/// Each camera with one 20-s recording with a 440 Hz AAC tone, starting `start_us`.
fn library(dir: &std::path::Path, start_us: i64) {
    let mut lib = Library::open(dir).expect("library");
    for name in CAMS {
        let cam = NewCamera {
            name: CameraName::parse(name).expect("name"),
            url: "rtsp://127.0.0.1:1/x".into(),
            detect_url: None,
            transport: Transport::Tcp,
            enabled: true,
            audio: true,
        };
        let id = lib.add_camera(&cam, &Policy::default()).expect("camera").id;
        let rel = format!("recordings/{name}/seg.mp4");
        let path = lib.absolute(&rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        let ok = Command::new("ffmpeg")
            .args(["-v", "error", "-y", "-f", "lavfi", "-i"])
            .arg("testsrc2=size=320x180:rate=25:duration=20")
            .args(["-f", "lavfi", "-i", "sine=f=440:r=16000:duration=20"])
            .args(["-c:v", "libx264", "-g", "25", "-c:a", "aac"])
            .args(["-movflags", "+frag_keyframe+empty_moov+default_base_moof"])
            .arg(&path)
            .status()
            .expect("ffmpeg runs")
            .success();
        assert!(ok, "ffmpeg made {rel}");
        lib.finish_segment(&FinishedSegment {
            camera_id: id,
            kind: SegmentKind::Continuous,
            start_us,
            end_us: start_us + 20_000_000,
            rel_path: rel,
            bytes: std::fs::metadata(&path).expect("file").len(),
            codec: "h264".into(),
            width: 320,
            height: 180,
            frames: 500,
            event_id: None,
            audio_codec: Some("aac".into()),
        })
        .expect("segment row");
    }
}

/// Runs frames until `done` holds (or fails after 20 s, saying `what`).
fn until(h: &mut Harness<'_, VigilApp>, what: &str, done: impl Fn(&VigilApp) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !done(h.state()) {
        assert!(Instant::now() < deadline, "{what} within 20 s");
        h.run_steps(1);
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Runs frames for `ms` milliseconds of real time.
fn run_for(h: &mut Harness<'_, VigilApp>, ms: u64) {
    let end = Instant::now() + Duration::from_millis(ms);
    while Instant::now() < end {
        h.run_steps(1);
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn heard(h: &Harness<'_, VigilApp>, cam: &str) -> u64 {
    h.state().sound().heard(cam)
}

fn press(h: &mut Harness<'_, VigilApp>, key: Key) {
    h.key_press_modifiers(Modifiers::NONE, key);
    h.run_steps(2);
}

fn app(device: Device) -> (tempfile::TempDir, Harness<'static, VigilApp>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let start = vigil_core::model::time::now_us() - 3_600_000_000;
    library(dir.path(), start);
    let backend =
        FixedBackend::new(status()).with_archive(Archive::open(dir.path()).expect("archive"));
    let mut h = Harness::builder()
        .with_size([1200.0, 800.0])
        .with_step_dt(1.0 / 60.0)
        .with_max_steps(20)
        .build_ui_state(
            |ui, app: &mut VigilApp| app.show(ui),
            VigilApp::new(Box::new(backend)).with_sound_device(device),
        );
    until(&mut h, "the timeline's camera rows", |app| {
        app.recorded()
            .timeline()
            .is_some_and(|t| t.cameras().len() == 2)
    });
    h.state_mut().show_recordings_at(start + 1_000_000);
    h.get_by_label(&format!("tile {}", CAMS[0])).click();
    h.run_steps(2);
    until(&mut h, "both tiles' recorded pictures, with sound", |app| {
        CAMS.iter().all(|c| {
            app.recorded().picture(c).is_some()
                && app.recorded().sound_codec(c).as_deref() == Some("aac")
        })
    });
    h.run_steps(2);
    (dir, h)
}

#[test]
fn only_the_selected_tile_is_heard_at_normal_speed() {
    let (_dir, mut h) = app(Device::Named("null".into()));
    let [a, b] = CAMS;
    // Every tile with sound has a speaker; only the selected one a volume slider.
    for c in CAMS {
        h.get_by_label(&format!("Sound of {c}"));
    }
    h.get_by_label(&format!("Volume of {a}"));
    assert!(h.query_by_label(&format!("Volume of {b}")).is_none());

    press(&mut h, Key::Space);
    until(&mut h, "the selected tile's sound", |app| {
        app.sound().heard(a) > 5
    });
    assert_eq!(heard(&h, b), 0, "the other tile is not heard");

    // Selecting the other tile moves the sound.
    h.get_by_label(&format!("tile {b}")).click();
    until(&mut h, "the sound to move", |app| app.sound().heard(b) > 5);
    let a_then = heard(&h, a);
    run_for(&mut h, 300);
    assert_eq!(
        heard(&h, a),
        a_then,
        "the tile no longer selected is silent"
    );

    // 2×: silent (after the cut).
    press(&mut h, Key::L);
    until(&mut h, "2×", |app| {
        app.recorded()
            .player_state()
            .is_some_and(|s| s.speed == 2.0)
    });
    run_for(&mut h, 100);
    let at_2x = heard(&h, b);
    run_for(&mut h, 400);
    assert_eq!(heard(&h, b), at_2x, "muted at 2×");

    // Back to 1×: heard again; paused: silent.
    press(&mut h, Key::J);
    until(&mut h, "sound again at 1×", |app| {
        app.sound().heard(b) > at_2x + 3
    });
    press(&mut h, Key::K);
    until(&mut h, "a pause", |app| {
        app.recorded().player_state().is_some_and(|s| !s.playing)
    });
    run_for(&mut h, 100);
    let paused = heard(&h, b);
    run_for(&mut h, 400);
    assert_eq!(heard(&h, b), paused, "paused: silent");

    // The speaker mutes (nothing heard while playing) and unmutes.
    press(&mut h, Key::Space);
    h.get_by_label(&format!("Sound of {b}")).click();
    h.run_steps(2);
    assert!(h.state().sound().settings(b).muted);
    run_for(&mut h, 100);
    let muted = heard(&h, b);
    run_for(&mut h, 400);
    assert_eq!(heard(&h, b), muted, "muted: silent");
    h.get_by_label(&format!("Sound of {b}")).click();
    until(&mut h, "unmuted sound", |app| {
        app.sound().heard(b) > muted + 3
    });

    // The volume slider, clicked in its middle, sets half volume; remembered per camera.
    h.get_by_label(&format!("Volume of {b}")).click();
    h.run_steps(2);
    let v = h.state().sound().settings(b).volume;
    assert!((0.3..0.7).contains(&v), "volume {v}");
    assert_eq!(
        h.state().sound().settings(a).volume,
        vigil_app::audio::DEFAULT_VOLUME
    );
}

#[test]
fn without_the_audio_device_the_status_bar_says_so_and_playback_goes_on() {
    let (_dir, mut h) = app(Device::Named("no-such-sound-card".into()));
    press(&mut h, Key::Space);
    until(&mut h, "the no-output sentence", |app| {
        app.sound().heard(CAMS[0]) > 0
    });
    // "No sound output: no audio device is named …" (or, where the devices cannot even be
    // listed, that reason).
    let sentence = "No sound output: ";
    let deadline = Instant::now() + Duration::from_secs(10);
    while h.query_by_label_contains(sentence).is_none() {
        assert!(Instant::now() < deadline, "the status bar says: {sentence}");
        h.run_steps(1);
        std::thread::sleep(Duration::from_millis(10));
    }
    // The node's description holds its label (the sentence).
    let said = format!("{:?}", h.get_by_label_contains(sentence));
    assert!(
        said.contains("no-such-sound-card") || said.contains("audio devices"),
        "{said}"
    );
    let before = h
        .state()
        .recorded()
        .player_state()
        .expect("player")
        .position_us;
    until(&mut h, "playback to go on", |app| {
        app.recorded()
            .player_state()
            .is_some_and(|s| s.playing && s.position_us > before + 300_000)
    });
}
