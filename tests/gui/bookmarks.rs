//! Bookmarks in the desktop app, driven like a user: "Add bookmark…" on the timeline, the
//! dialog filled in and saved (into a real library through the service), the flag's name on
//! hover, and the bookmark found in the clip library's Bookmarks tab, where Play shows it.

use std::time::{Duration, Instant};

use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;

use vigil_app::backend::FixedBackend;
use vigil_app::VigilApp;
use vigil_core::engine::status::{CameraStatus, ConnState};
use vigil_core::engine::EngineStatus;
use vigil_core::library::{BookmarkQuery, Library};
use vigil_core::model::{CameraName, NewCamera, Policy, Transport};
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

/// Runs frames until `done` holds (or fails after 20 s, saying `what`).
fn until(h: &mut Harness<'_, VigilApp>, what: &str, done: impl Fn(&VigilApp) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !done(h.state()) {
        assert!(Instant::now() < deadline, "{what} within 20 s");
        h.run_steps(1);
        std::thread::sleep(Duration::from_millis(10));
    }
    h.run_steps(2);
}

#[test]
fn a_bookmark_added_on_the_timeline_shows_there_and_in_the_list() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut lib = Library::open(dir.path()).expect("library");
    let cam = NewCamera {
        name: CameraName::parse("yard").expect("name"),
        url: "demo://".into(),
        detect_url: None,
        transport: Transport::Tcp,
        enabled: true,
        audio: false,
    };
    lib.add_camera(&cam, &Policy::default()).expect("camera");
    let backend =
        FixedBackend::new(status()).with_archive(Archive::open(dir.path()).expect("archive"));
    let mut h = Harness::builder()
        .with_size([1200.0, 800.0])
        .with_step_dt(1.0 / 60.0)
        .with_max_steps(20)
        .build_ui_state(
            |ui, app: &mut VigilApp| app.show(ui),
            VigilApp::new(Box::new(backend)),
        );
    until(&mut h, "the timeline's camera row", |app| {
        app.recorded()
            .timeline()
            .is_some_and(|t| t.cameras().len() == 1)
    });

    let before = vigil_core::model::time::now_us();
    h.get_by_label("Add bookmark…").click();
    h.run_steps(3);
    h.get_by_label("Bookmark name").click();
    h.run_steps(1);
    h.get_by_label("Bookmark name").type_text("Van at the gate");
    h.run_steps(1);
    h.get_by_label("Note").click();
    h.run_steps(1);
    h.get_by_label("Note")
        .type_text("white, plate half visible");
    h.run_steps(1);
    h.get_by_label("Protect its footage from retention").click();
    h.run_steps(1);
    h.get_by_label("Save bookmark").click();
    until(&mut h, "the bookmark saved", |app| {
        app.recorded()
            .timeline()
            .is_some_and(|t| t.added_bookmark().is_some())
    });
    assert!(h
        .state()
        .recorded()
        .timeline()
        .expect("timeline")
        .bookmark_dialog()
        .is_none());

    let stored = Library::open(dir.path())
        .expect("library")
        .bookmarks(&BookmarkQuery::default())
        .expect("bookmarks");
    assert_eq!(stored.len(), 1, "{stored:?}");
    let b = &stored[0];
    assert_eq!(
        (b.name.as_str(), b.note.as_str()),
        ("Van at the gate", "white, plate half visible")
    );
    assert!(b.protected && b.is_moment());
    assert!(b.start_us >= before, "live: bookmarked now");
    assert!(b.by_user.ends_with(" (desktop)"), "{}", b.by_user);

    // On the timeline: its flag, and its name under the pointer.
    until(&mut h, "the bookmark on the timeline", |app| {
        app.recorded()
            .timeline()
            .and_then(|t| t.data())
            .is_some_and(|d| d.bookmarks.len() == 1)
    });
    let layout = h
        .state()
        .recorded()
        .timeline()
        .and_then(|t| t.layout())
        .expect("drawn")
        .clone();
    h.hover_at(egui::pos2(
        layout.axis.x(b.start_us),
        layout.rows[0].center().y,
    ));
    h.run_steps(90); // tooltips wait for the pointer to rest
    h.get_by_label_contains("Bookmark “Van at the gate”, ");

    // In the clip library's Bookmarks tab; Play shows its moment.
    h.get_by_label("Clips").click();
    h.run_steps(2);
    h.get_by_label("Bookmarks").click();
    until(&mut h, "the bookmark listed", |app| {
        app.clips().bookmark_list().bookmarks().len() == 1
    });
    h.get_by_label("yard · Van at the gate");
    h.get_by_label("Play").click();
    h.run_steps(2);
    assert_eq!(h.state().wanted_recording(), Some(("yard", b.start_us)));
}
