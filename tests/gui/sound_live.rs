//! Live listening over the real engine and the RTSP simulator's `/h264-aac`: "Listen" on the
//! selected tile plays that camera's live sound (decoded from the same packets the recorder
//! gets) while the engine keeps recording; on a camera whose sound is off the button is
//! disabled and nothing is heard. No sound card is needed: without one the status bar says
//! so and the listener still runs (what it decoded is counted).

use crate::common::RtspServer;
use crate::setup::is_disabled;

use std::time::{Duration, Instant};

use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;

use vigil_app::audio::Device;
use vigil_app::VigilApp;
use vigil_core::engine::EngineOptions;
use vigil_core::host::EngineHost;
use vigil_core::library::{Library, SegmentQuery};
use vigil_core::model::{CameraName, NewCamera, Policy, Transport};

const WAIT: Duration = Duration::from_secs(40);
const ON: &str = "slive-on";
const OFF: &str = "slive-off";

fn engine(rtsp: &RtspServer) -> (tempfile::TempDir, EngineHost) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut lib = Library::open(dir.path()).expect("library");
    for (name, audio) in [(ON, true), (OFF, false)] {
        let cam = NewCamera {
            name: CameraName::parse(name).expect("name"),
            url: rtsp.url("h264-aac"),
            detect_url: None,
            transport: Transport::Tcp,
            enabled: true,
            audio,
        };
        let policy = Policy {
            segment_s: 2,
            ..Policy::default()
        };
        lib.add_camera(&cam, &policy).expect("camera");
    }
    drop(lib);
    let host = EngineHost::start(EngineOptions::new(dir.path().to_path_buf())).expect("engine");
    (dir, host)
}

/// Runs frames (letting the engine's threads run between them) until `cond` holds.
fn until(h: &mut Harness<'_, VigilApp>, what: &str, mut cond: impl FnMut(&VigilApp) -> bool) {
    let deadline = Instant::now() + WAIT;
    while !cond(h.state()) {
        assert!(Instant::now() < deadline, "{what} within {WAIT:?}");
        h.run_steps(1);
        std::thread::sleep(Duration::from_millis(15));
    }
}

#[test]
fn listen_plays_the_selected_cameras_live_sound_and_is_off_where_its_sound_is() {
    let rtsp = RtspServer::start(&[]);
    let (dir, host) = engine(&rtsp);
    let app =
        VigilApp::new(Box::new(host)).with_sound_device(Device::Named("no-such-sound-card".into()));
    let mut h = Harness::builder()
        .with_size([1000.0, 700.0])
        .with_step_dt(1.0 / 60.0)
        .with_max_steps(4)
        .build_ui_state(|ui, app: &mut VigilApp| app.show(ui), app);
    until(&mut h, "both live tiles", |app| {
        app.camera_names().len() == 2
    });

    // The camera with its sound off: "Listen" is there on the selected tile, disabled.
    h.get_by_label(&format!("tile {OFF}")).click();
    h.run_steps(2);
    assert!(is_disabled(&h, "Listen"), "sound is off for {OFF}");

    // The camera with sound: once its status says the sound comes in, "Listen" plays it.
    h.get_by_label(&format!("tile {ON}")).click();
    h.run_steps(2);
    let deadline = Instant::now() + WAIT;
    while is_disabled(&h, "Listen") {
        assert!(Instant::now() < deadline, "{ON}'s sound comes in");
        h.run_steps(1);
        std::thread::sleep(Duration::from_millis(15));
    }
    h.get_by_label("Listen").click();
    until(
        &mut h,
        "live sound decoded for the selected camera",
        |app| app.sound().heard(ON) > 0,
    );
    assert_eq!(h.state().sound().heard(OFF), 0, "only the selected tile");
    drop(h);

    // Listening took nothing from the recorder: the camera's recordings have its sound.
    let lib = Library::open(dir.path()).expect("library");
    let with_sound = lib
        .segments(&SegmentQuery::default())
        .expect("segments")
        .into_iter()
        .filter(|s| s.camera == ON && s.audio_codec.as_deref() == Some("aac"))
        .count();
    assert!(with_sound >= 1, "{ON} recorded with its sound");
}
