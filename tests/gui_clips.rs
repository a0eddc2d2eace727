//! The clip library panel driven headless with egui_kittest: events listed with thumbnails,
//! filtered by source and text, selecting one asks for that moment full screen, protecting is
//! stored, and deleting asks first, says what goes, then removes the event and its clip file.
//! Every check reads the real library in a temporary directory.

use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;

use vigil::engine::archive::Archive;
use vigil::engine::status::{CameraStatus, ConnState};
use vigil::engine::EngineStatus;
use vigil::library::layout::segment_rel_path;
use vigil::library::{FinishedSegment, Library};
use vigil::model::{CameraName, EventSource, NewCamera, NewEvent, Policy, SegmentKind, Transport};
use vigil::ui::backend::FixedBackend;
use vigil::ui::VigilApp;

fn status() -> EngineStatus {
    EngineStatus {
        cameras: vec![CameraStatus {
            conn: ConnState::Connected,
            ..CameraStatus::new("yard", "demo://")
        }],
        disk_total: 500_000_000_000,
        disk_available: 120_000_000_000,
    }
}

/// A 32×18 JPEG, as the analyzer stores.
fn jpeg() -> Vec<u8> {
    let img = image::RgbImage::from_fn(32, 18, |x, y| {
        image::Rgb([(x * 8) as u8, (y * 14) as u8, 90])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg)
        .expect("encode jpeg");
    out.into_inner()
}

struct Fixture {
    dir: tempfile::TempDir,
    motion: i64,
    door: i64,
    clip: std::path::PathBuf,
}

/// Camera "yard" with a motion event in zone-less "motion in gate" (a clip file and a
/// thumbnail) ten minutes ago, and a door trigger five minutes ago.
fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut lib = Library::open(dir.path()).expect("library");
    let cam = lib
        .add_camera(
            &NewCamera {
                name: CameraName::parse("yard").expect("name"),
                url: "demo://".into(),
                detect_url: None,
                transport: Transport::Tcp,
                enabled: true,
            },
            &Policy::default(),
        )
        .expect("camera");
    let now = vigil::model::time::now_us();
    let event = |source, label: &str, start_us, thumbnail| NewEvent {
        camera_id: cam.id,
        source,
        label: label.into(),
        zone_id: None,
        start_us,
        end_us: Some(start_us + 12_000_000),
        score: 0.3,
        thumbnail,
    };
    let at = now - 600_000_000;
    let motion = lib
        .insert_event(&event(
            EventSource::Motion,
            "motion in gate",
            at,
            Some(jpeg()),
        ))
        .expect("event");
    let door = lib
        .insert_event(&event(
            EventSource::External,
            "door",
            now - 300_000_000,
            None,
        ))
        .expect("event");
    let rel = segment_rel_path("yard", SegmentKind::Event, at - 10_000_000);
    let clip = lib.absolute(&rel);
    std::fs::create_dir_all(clip.parent().expect("parent")).expect("dirs");
    std::fs::write(&clip, vec![0u8; 150_000]).expect("clip file");
    lib.begin_segment(cam.id, SegmentKind::Event, at - 10_000_000, &rel)
        .expect("journal");
    lib.finish_segment(&FinishedSegment {
        camera_id: cam.id,
        kind: SegmentKind::Event,
        start_us: at - 10_000_000,
        end_us: at + 30_000_000,
        rel_path: rel,
        bytes: 150_000,
        codec: "h264".into(),
        width: 640,
        height: 360,
        frames: 1000,
        event_id: Some(motion),
    })
    .expect("index");
    Fixture {
        dir,
        motion,
        door,
        clip,
    }
}

fn harness<'a>(f: &Fixture) -> Harness<'a, VigilApp> {
    let backend =
        FixedBackend::new(status()).with_archive(Archive::open(f.dir.path()).expect("archive"));
    let mut h = Harness::builder()
        .with_size([1200.0, 800.0])
        .with_step_dt(1.0 / 60.0)
        .with_max_steps(20)
        .build_ui_state(
            |ui, app: &mut VigilApp| app.show(ui),
            VigilApp::new(Box::new(backend)),
        );
    h.run_steps(2);
    h.get_by_label("Clips").click();
    h.run_steps(3);
    h
}

fn listed(h: &Harness<'_, VigilApp>) -> Vec<i64> {
    h.state().clips().events().iter().map(|e| e.id).collect()
}

fn stored(f: &Fixture, id: i64) -> Option<vigil::model::Event> {
    Library::open(f.dir.path())
        .expect("library")
        .event(id)
        .expect("query")
}

#[test]
fn events_are_listed_filtered_and_shown_when_chosen() {
    let f = fixture();
    let mut h = harness(&f);
    assert_eq!(listed(&h), vec![f.door, f.motion], "newest first");
    h.get_by_label("2 events");

    // Text matches the label.
    h.get_by_role(egui::accesskit::Role::TextInput).click();
    h.run_steps(1);
    h.get_by_role(egui::accesskit::Role::TextInput)
        .type_text("GATE");
    h.run_steps(3);
    assert_eq!(listed(&h), vec![f.motion]);

    // Choosing it shows the camera full screen at the event's start.
    h.get_by_label("yard · motion in gate").click();
    h.run_steps(3);
    let start = stored(&f, f.motion).expect("event").start_us;
    assert_eq!(h.state().wanted_recording(), Some(("yard", start)));
    assert!(h.state().grid().is_fullscreen());
    assert_eq!(h.state().clips().selected(), Some(f.motion));
}

#[test]
fn protect_is_stored_and_delete_asks_then_removes_event_and_clip() {
    let f = fixture();
    let mut h = harness(&f);
    // The first row is the newest: the door trigger.
    h.query_all_by_label("Protect")
        .next()
        .expect("a Protect button")
        .click();
    h.run_steps(3);
    let protected = f.door;
    assert!(stored(&f, protected).expect("event").protected);
    assert!(!stored(&f, f.motion).expect("event").protected);
    // Deleting a protected event is refused, with the reason, and nothing changes.
    h.get_by_label(&format!("Delete {protected}…")).click();
    h.run_steps(3);
    h.get_by_label("Delete event").click();
    h.run_steps(3);
    h.get_by_label_contains("unprotect it first");
    assert!(stored(&f, protected).is_some());
    h.get_by_label("Protected").click();
    h.run_steps(3);
    assert!(!stored(&f, protected).expect("event").protected);

    // The motion event: the confirmation says what goes; keeping it changes nothing.
    h.get_by_label(&format!("Delete {}…", f.motion)).click();
    h.run_steps(3);
    h.get_by_label_contains("It removes 1 clip(s), 150 kB");
    h.get_by_label("Keep it").click();
    h.run_steps(3);
    assert!(stored(&f, f.motion).is_some() && f.clip.exists());

    h.get_by_label(&format!("Delete {}…", f.motion)).click();
    h.run_steps(3);
    h.get_by_label("Delete event").click();
    h.run_steps(3);
    assert!(stored(&f, f.motion).is_none(), "the event row is gone");
    assert!(!f.clip.exists(), "its clip file is gone");
    assert_eq!(listed(&h), vec![f.door]);
}
