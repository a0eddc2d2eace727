//! The clip library panel driven headless with egui_kittest: events listed with thumbnails,
//! filtered by source and text, selecting one asks for that moment full screen, protecting is
//! stored, and deleting asks first, says what goes, then removes the event and its clip file.
//! Every check reads the real library in a temporary directory; the panel reads and changes
//! it through the service's archive jobs, so each step runs frames until those are done.

use std::time::{Duration, Instant};

use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;

use vigil_app::backend::FixedBackend;
use vigil_app::export::FixedPicker;
use vigil_app::VigilApp;
use vigil_core::engine::status::{CameraStatus, ConnState};
use vigil_core::engine::EngineStatus;
use vigil_core::library::layout::segment_rel_path;
use vigil_core::library::{FinishedSegment, Library};
use vigil_core::model::{
    CameraName, EventSource, NewCamera, NewEvent, Policy, SegmentKind, Transport,
};
use vigil_core::service::Archive;

fn status() -> EngineStatus {
    EngineStatus {
        cameras: vec![CameraStatus {
            conn: ConnState::Connected,
            ..CameraStatus::new("yard", "demo://")
        }],
        disk_total: 500_000_000_000,
        disk_available: 120_000_000_000,
        mqtt: None,
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

/// 4 s of 320×240 H.264 at 25 fps, a keyframe every second, as fragmented MP4 like the
/// recorder writes.
fn make_clip(path: &std::path::Path) {
    let ok = std::process::Command::new("ffmpeg")
        .args([
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=320x240:rate=25",
        ])
        .args([
            "-t", "4", "-c:v", "libx264", "-g", "25", "-pix_fmt", "yuv420p",
        ])
        .args(["-movflags", "+frag_keyframe+empty_moov+default_base_moof"])
        .arg(path)
        .status()
        .expect("run ffmpeg");
    assert!(ok.success(), "ffmpeg made the clip");
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
                audio: false,
            },
            &Policy::default(),
        )
        .expect("camera");
    let now = vigil_core::model::time::now_us();
    let event = |source, label: &str, start_us, thumbnail| NewEvent {
        camera_id: cam.id,
        source,
        label: label.into(),
        zone_id: None,
        start_us,
        end_us: Some(start_us + 12_000_000),
        score: 0.3,
        thumbnail,
        object_box: None,
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
    // The event's clip: a real 4 s H.264 file (keyframe every second) from 1 s before it.
    let rel = segment_rel_path("yard", SegmentKind::Event, at - 1_000_000);
    let clip = lib.absolute(&rel);
    std::fs::create_dir_all(clip.parent().expect("parent")).expect("dirs");
    make_clip(&clip);
    lib.begin_segment(cam.id, SegmentKind::Event, at - 1_000_000, &rel)
        .expect("journal");
    lib.finish_segment(&FinishedSegment {
        camera_id: cam.id,
        kind: SegmentKind::Event,
        start_us: at - 1_000_000,
        end_us: at + 3_000_000,
        rel_path: rel,
        bytes: std::fs::metadata(&clip).expect("clip").len(),
        codec: "h264".into(),
        width: 320,
        height: 240,
        frames: 100,
        event_id: Some(motion),
        audio_codec: None,
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
    harness_with(f, None)
}

/// The app with the clip library open; exports go to `export_to`.
fn harness_with<'a>(f: &Fixture, export_to: Option<std::path::PathBuf>) -> Harness<'a, VigilApp> {
    let backend =
        FixedBackend::new(status()).with_archive(Archive::open(f.dir.path()).expect("archive"));
    let picker = std::sync::Arc::new(FixedPicker(export_to));
    let mut h = Harness::builder()
        .with_size([1200.0, 800.0])
        .with_step_dt(1.0 / 60.0)
        .with_max_steps(20)
        .build_ui_state(
            |ui, app: &mut VigilApp| app.show(ui),
            VigilApp::new(Box::new(backend)).with_save_picker(picker),
        );
    h.run_steps(2);
    h.get_by_label("Clips").click();
    settle(&mut h);
    h
}

/// Runs frames until the clip library's archive jobs (list, thumbnails, a change) are done.
fn settle(h: &mut Harness<'_, VigilApp>) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        h.run_steps(2);
        if !h.state().clips().is_busy() {
            h.run_steps(2);
            if !h.state().clips().is_busy() {
                return;
            }
        }
        assert!(Instant::now() < deadline, "archive jobs done within 20 s");
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Runs frames until the export has an outcome.
fn finish_export(h: &mut Harness<'_, VigilApp>) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    while h.state().export().outcome().is_none() {
        assert!(Instant::now() < deadline, "export did not finish in 30 s");
        h.run_steps(1);
        std::thread::sleep(Duration::from_millis(20));
    }
    h.run_steps(2);
    h.state().export().outcome().expect("outcome").to_string()
}

fn listed(h: &Harness<'_, VigilApp>) -> Vec<i64> {
    h.state().clips().events().iter().map(|e| e.id).collect()
}

fn stored(f: &Fixture, id: i64) -> Option<vigil_core::model::Event> {
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
    assert!(
        h.state().clips().has_thumbnail(f.motion),
        "the motion event's JPEG decoded (off the UI thread) into a texture"
    );
    assert!(
        !h.state().clips().has_thumbnail(f.door),
        "the trigger has none"
    );

    // Text matches the label.
    h.get_by_role(egui::accesskit::Role::TextInput).click();
    settle(&mut h);
    h.get_by_role(egui::accesskit::Role::TextInput)
        .type_text("GATE");
    settle(&mut h);
    assert_eq!(listed(&h), vec![f.motion]);

    // Choosing it shows the camera full screen at the event's start.
    h.get_by_label("yard · motion in gate").click();
    settle(&mut h);
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
    settle(&mut h);
    let protected = f.door;
    assert!(stored(&f, protected).expect("event").protected);
    assert!(!stored(&f, f.motion).expect("event").protected);
    // Deleting a protected event is refused, with the reason, and nothing changes.
    h.get_by_label(&format!("Delete {protected}…")).click();
    settle(&mut h);
    h.get_by_label("Delete event").click();
    settle(&mut h);
    h.get_by_label_contains("unprotect it first");
    assert!(stored(&f, protected).is_some());
    h.get_by_label("Protected").click();
    settle(&mut h);
    assert!(!stored(&f, protected).expect("event").protected);

    // The motion event: the confirmation says what goes; keeping it changes nothing.
    h.get_by_label(&format!("Delete {}…", f.motion)).click();
    settle(&mut h);
    let size = std::fs::metadata(&f.clip).expect("clip").len();
    h.get_by_label_contains(&format!(
        "It removes 1 clip(s), {}",
        vigil_app::text::bytes(size)
    ));
    h.get_by_label("Keep it").click();
    settle(&mut h);
    assert!(stored(&f, f.motion).is_some() && f.clip.exists());

    h.get_by_label(&format!("Delete {}…", f.motion)).click();
    settle(&mut h);
    h.get_by_label("Delete event").click();
    settle(&mut h);
    assert!(stored(&f, f.motion).is_none(), "the event row is gone");
    assert!(!f.clip.exists(), "its clip file is gone");
    assert_eq!(listed(&h), vec![f.door]);
}

#[test]
fn an_event_is_exported_to_the_chosen_file_with_progress_and_an_outcome() {
    let f = fixture();
    let out = f.dir.path().join("door-export.mp4");
    let mut h = harness_with(&f, Some(out.clone()));
    h.get_by_label(&format!("Export {}…", f.motion)).click();
    let outcome = finish_export(&mut h);
    assert!(
        outcome.starts_with(&format!("wrote {}", out.display())),
        "{outcome}"
    );
    h.get_by_label_contains("wrote ");
    // ffprobe: a valid H.264 MP4 covering the event's 2 s (from the keyframe at its start).
    let probe = std::process::Command::new("ffprobe")
        .args(["-v", "error", "-select_streams", "v:0", "-count_frames"])
        .args([
            "-show_entries",
            "stream=codec_name,nb_read_frames:format=duration",
        ])
        .args(["-of", "default=noprint_wrappers=1"])
        .arg(&out)
        .output()
        .expect("run ffprobe");
    let text = String::from_utf8_lossy(&probe.stdout);
    assert!(text.contains("codec_name=h264"), "{text}");
    let duration: f64 = text
        .lines()
        .find_map(|l| l.strip_prefix("duration="))
        .and_then(|d| d.parse().ok())
        .expect("duration");
    // The event's 2 s, from the keyframe at or before its start (at most one 1-s GOP
    // earlier, which the outcome then says).
    assert!((1.9..=3.2).contains(&duration), "{duration} s\n{text}");
    if duration > 2.2 {
        assert!(outcome.contains("keyframe"), "{outcome}");
    }

    // Nothing recorded: said by the plan, before any dialog; no file.
    let none = f.dir.path().join("none.mp4");
    let mut h = harness_with(&f, Some(none.clone()));
    h.get_by_label(&format!("Export {}…", f.door)).click();
    let said = finish_export(&mut h);
    assert!(said.contains("nothing was recorded"), "{said}");
    assert!(!none.exists());
}
