//! Tours and extra windows in the app, headless with egui_kittest: a tour written in the
//! Tours window is stored in the library, cycles the live view between a saved layout and a
//! camera full screen on a clock the test moves, pauses on a click and resumes after 30 s
//! or on Resume; a second window (drawn inside the harness: kittest has no native windows)
//! shows its own layout with live tiles from the real engine, is reopened with that layout
//! after a restart on the same library, and stops its decoders when closed.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;

use crate::common;
use crate::frames::settle;
use vigil_app::backend::FixedBackend;
use vigil_app::grid::{Layout, LayoutKind};
use vigil_app::tour::TourState;
use vigil_app::VigilApp;
use vigil_core::engine::status::{CameraStatus, ConnState};
use vigil_core::engine::{EngineOptions, EngineStatus};
use vigil_core::host::EngineHost;
use vigil_core::library::Library;
use vigil_core::model::{CameraName, NewCamera, Policy, TourStep, Transport};
use vigil_core::service::{ConfigStore, LiveStream};

fn connected(name: &str) -> CameraStatus {
    CameraStatus {
        conn: ConnState::Connected,
        width: 1280,
        height: 720,
        ..CameraStatus::new(name, "demo://")
    }
}

/// A clock the test moves by hand.
#[derive(Clone)]
struct TestClock(Arc<Mutex<Instant>>);

impl TestClock {
    fn new() -> Self {
        Self(Arc::new(Mutex::new(Instant::now())))
    }
    fn advance(&self, secs: u64) {
        *self.0.lock().expect("clock") += Duration::from_secs(secs);
    }
    fn clock(&self) -> vigil_app::tour::Clock {
        let at = Arc::clone(&self.0);
        Arc::new(move || *at.lock().expect("clock"))
    }
}

/// A library with cameras `front` and `yard` and a saved 2×2 layout "Pair" showing `yard`
/// then `front` (written as the layouts table holds it).
fn library() -> (tempfile::TempDir, FixedBackend, i64) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut lib = Library::open(dir.path()).expect("library");
    let mut ids = Vec::new();
    for name in ["front", "yard"] {
        let cam = NewCamera {
            name: CameraName::parse(name).expect("name"),
            url: "demo://".into(),
            detect_url: None,
            transport: Transport::Tcp,
            enabled: true,
            audio: false,
        };
        ids.push(lib.add_camera(&cam, &Policy::default()).expect("camera").id);
    }
    lib.conn()
        .execute(
            "INSERT INTO layouts (name, kind, cells, updated_us) VALUES ('Pair', '2x2', ?1, 0)",
            [format!("[{}, {}, null, null]", ids[1], ids[0])],
        )
        .expect("layout row");
    drop(lib);
    let store = ConfigStore::open(dir.path(), Arc::new(|| {})).expect("store");
    let status = EngineStatus {
        cameras: vec![connected("front"), connected("yard")],
        disk_total: 1,
        disk_available: 1,
        mqtt: None,
    };
    let backend = FixedBackend::new(status).with_config(store);
    (dir, backend, ids[0])
}

fn harness<'a>(app: VigilApp) -> Harness<'a, VigilApp> {
    let mut h = Harness::builder()
        .with_size([1100.0, 700.0])
        .with_step_dt(1.0 / 60.0)
        .with_max_steps(20)
        .build_ui_state(|ui, app: &mut VigilApp| app.show(ui), app);
    settle(&mut h, 2);
    h
}

/// Writes the tour "Round" (the layout, then `front`) in the Tours window and saves it.
fn write_tour(h: &mut Harness<'_, VigilApp>) {
    h.get_by_label("Tours").click();
    h.run_steps(2);
    h.get_by_label("Edit tours…").click();
    settle(h, 2);
    h.get_by_label("Tour name").click();
    h.run_steps(1);
    h.get_by_label("Tour name").type_text("Round");
    h.run_steps(1);
    for step in ["Layout Pair (2×2)", "Camera front"] {
        h.get_by_label("Add a step…").click();
        h.run_steps(2);
        h.get_by_label(step).click();
        h.run_steps(2);
    }
    h.get_by_label("1. Layout Pair (2×2)");
    h.get_by_label("2. Camera front");
    h.get_by_label("Save tour").click();
    settle(h, 2);
    h.get_by_label("saved the tour 'Round'");
    h.get_by_label("Close window").click();
    h.run_steps(2);
    assert!(!h.state().tours().editor().is_open());
}

fn fullscreen_on(h: &Harness<'_, VigilApp>) -> Option<String> {
    let app = h.state();
    app.grid()
        .is_fullscreen()
        .then(|| app.visible_cameras().join(","))
}

#[test]
fn a_tour_is_saved_cycles_between_its_steps_pauses_on_a_click_and_resumes() {
    let (dir, backend, front) = library();
    let clock = TestClock::new();
    let app = VigilApp::new(Box::new(backend.clone())).with_tour_clock(clock.clock());
    let mut h = harness(app);
    write_tour(&mut h);
    let stored = Library::open(dir.path())
        .expect("library")
        .tours()
        .expect("tours");
    assert_eq!(stored.len(), 1);
    assert_eq!(
        (stored[0].name.as_str(), stored[0].dwell_s),
        ("Round", 10.0)
    );
    assert_eq!(stored[0].steps[1], TourStep::Camera(front));
    assert!(matches!(stored[0].steps[0], TourStep::Layout(_)));

    h.get_by_label("Tours").click();
    h.run_steps(2);
    h.get_by_label("Start tour Round").click();
    h.run_steps(2);
    h.get_by_label("Tour Round: step 1 of 2");
    assert_eq!(h.state().grid().layout, Layout::Fixed(LayoutKind::Grid(2)));
    assert_eq!(fullscreen_on(&h), None);
    // The saved layout's cameras in their cells: yard first, then front.
    assert_eq!(h.state().visible_cameras(), ["yard", "front"]);

    clock.advance(10);
    h.run_steps(2);
    h.get_by_label("Tour Round: step 2 of 2");
    assert_eq!(fullscreen_on(&h).as_deref(), Some("front"));
    clock.advance(10);
    h.run_steps(2);
    assert_eq!(fullscreen_on(&h), None, "back to the layout");
    assert_eq!(
        h.state().visible_cameras(),
        ["yard", "front"],
        "the saved layout's cells again"
    );

    // A click on a tile pauses the tour; the view stays while the operator works.
    h.get_by_label("tile front").click();
    h.run_steps(2);
    h.get_by_label("Tour paused — resumes in 30 s");
    clock.advance(20);
    h.run_steps(2);
    h.get_by_label("Tour paused — resumes in 10 s");
    assert_eq!(fullscreen_on(&h), None, "no step while paused");
    // 30 s of quiet: the tour goes on, showing its step again for a full dwell.
    clock.advance(10);
    h.run_steps(2);
    h.get_by_label("Tour Round: step 1 of 2");
    clock.advance(10);
    h.run_steps(2);
    assert_eq!(fullscreen_on(&h).as_deref(), Some("front"));

    // A key pauses it too; Resume goes on at once.
    h.key_press(egui::Key::ArrowRight);
    h.run_steps(2);
    assert!(matches!(
        h.state().tours().state(),
        Some(TourState::Paused { .. })
    ));
    h.get_by_label("Resume").click();
    h.run_steps(2);
    assert!(matches!(
        h.state().tours().state(),
        Some(TourState::Running { step: 1, .. })
    ));
    assert_eq!(
        fullscreen_on(&h).as_deref(),
        Some("front"),
        "the step again"
    );

    // Stopping puts the grid back as it was before the tour.
    h.get_by_label("Stop tour").click();
    h.run_steps(2);
    assert!(h.state().tours().running().is_none());
    assert_eq!(h.state().grid().layout, Layout::Auto);
    assert_eq!(fullscreen_on(&h), None);

    // Deleted in the editor: gone from the library and the menu.
    h.get_by_label("Tours").click();
    h.run_steps(2);
    h.get_by_label("Edit tours…").click();
    settle(&mut h, 2);
    h.get_by_label("Round").click();
    h.run_steps(2);
    assert_eq!(h.state().tours().editor().draft().name, "Round");
    h.get_by_label("Delete tour").click();
    settle(&mut h, 2);
    h.get_by_label("deleted the tour 'Round'");
    let stored = Library::open(dir.path()).expect("library").tours();
    assert!(stored.expect("tours").is_empty());
    assert!(h.state().tours().catalog().expect("read").tours.is_empty());
}

/// Runs frames until `done` (30 s at most, real time: live pictures come from the engine).
fn until(h: &mut Harness<'_, VigilApp>, what: &str, done: impl Fn(&VigilApp) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !done(h.state()) {
        assert!(Instant::now() < deadline, "{what} within 30 s");
        std::thread::sleep(Duration::from_millis(20));
        h.run_steps(1);
    }
}

fn window_picture(app: &VigilApp) -> Option<[u32; 2]> {
    let window = app.monitors().windows().first()?;
    Some(window.live().picture("demo")?.1)
}

#[test]
fn a_second_window_shows_its_own_layout_live_and_reopens_after_a_restart() {
    let (dir, _lib, host) = common::demo_engine();
    let hub = host.live().clone();
    let mut h = harness(VigilApp::new(Box::new(host)));
    h.get_by_label("New window").click();
    h.run_steps(2);
    h.get_by_label("window 2 layout 2×2").click();
    settle(&mut h, 2);
    until(&mut h, "live pictures in both windows", |app| {
        window_picture(app).is_some() && app.live().picture("demo").is_some()
    });
    let window = &h.state().monitors().windows()[0];
    assert_eq!(window.layout_kind(1), LayoutKind::Grid(2));
    assert_eq!(
        h.state().grid().layout,
        Layout::Auto,
        "the main window keeps its own"
    );
    let small = window
        .live()
        .requested_size("demo")
        .expect("the window decodes");
    let large = h
        .state()
        .live()
        .requested_size("demo")
        .expect("the main window decodes");
    assert!(
        small.0 * 2 < large.0,
        "each window decodes at its own tile size: {small:?} vs {large:?}"
    );
    until(&mut h, "the window remembered", |app| {
        app.monitors().is_settled()
    });
    drop(h); // stops the engine

    let host = EngineHost::start(EngineOptions::new(dir.path().to_path_buf())).expect("engine");
    let tap = host.live().tap_of("demo", LiveStream::Main);
    let mut h = harness(VigilApp::new(Box::new(host)));
    until(&mut h, "the window reopened with live pictures", |app| {
        window_picture(app).is_some()
    });
    let window = &h.state().monitors().windows()[0];
    assert_eq!(
        window.layout_kind(1),
        LayoutKind::Grid(2),
        "its layout came back"
    );
    h.get_by_label("window 2 layout 2×2");
    let both = tap.subscribers();
    assert!(both >= 2, "both windows watch the camera ({both})");

    h.get_by_label("Close this window").click();
    settle(&mut h, 2);
    assert!(h.state().monitors().windows().is_empty());
    let deadline = Instant::now() + Duration::from_secs(10);
    while tap.subscribers() != both - 1 {
        assert!(
            Instant::now() < deadline,
            "the closed window's decoder stopped"
        );
        std::thread::sleep(Duration::from_millis(20));
        h.run_steps(1);
    }
    until(&mut h, "the closed window forgotten", |app| {
        app.monitors().is_settled()
    });
    let saved = Library::open(dir.path())
        .expect("library")
        .monitor_windows();
    assert!(
        saved.expect("read").is_empty(),
        "closed windows do not come back"
    );
    drop(hub);
}

#[test]
fn a_second_window_shows_a_saved_layout_and_reopens_with_it() {
    let (dir, backend, _) = library();
    let pair = Library::open(dir.path())
        .expect("library")
        .layout_by_name("Pair")
        .expect("the saved layout")
        .id;
    let names = ["front".to_string(), "yard".to_string()];
    let mut h = harness(VigilApp::new(Box::new(backend.clone())));
    h.get_by_label("New window").click();
    settle(&mut h, 2);
    until(&mut h, "the saved layouts read", |app| {
        !app.layouts().saved().is_empty()
    });
    h.get_by_label("window 2 saved layout Pair").click();
    settle(&mut h, 2);
    let window = &h.state().monitors().windows()[0];
    assert_eq!(window.saved_layout(), Some(pair));
    assert_eq!(window.layout_kind(2), LayoutKind::Grid(2));
    assert_eq!(
        window.visible_cameras(&names),
        ["yard", "front"],
        "the layout's cameras in their cells"
    );
    assert_eq!(
        h.state().visible_cameras(),
        ["front", "yard"],
        "the main window keeps its own"
    );
    until(&mut h, "the window remembered", |app| {
        app.monitors().is_settled()
    });
    let saved = Library::open(dir.path())
        .expect("library")
        .monitor_windows()
        .expect("read");
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].saved_layout, Some(pair));
    drop(h);

    let mut h = harness(VigilApp::new(Box::new(backend)));
    until(&mut h, "the window reopened on its saved layout", |app| {
        app.monitors()
            .windows()
            .first()
            .is_some_and(|w| w.visible_cameras(&names) == ["yard", "front"])
    });
    assert_eq!(h.state().monitors().windows()[0].saved_layout(), Some(pair));
}

/// The area `(x, y, w, h)` of the X display as RGB bytes, or `None` if the grab failed.
fn grab(display: &str, (x, y, w, h): (u32, u32, u32, u32)) -> Option<Vec<u8>> {
    let out = std::process::Command::new("ffmpeg")
        .args(["-v", "error", "-f", "x11grab", "-video_size"])
        .arg(format!("{w}x{h}"))
        .args(["-i", &format!("{display}+{x},{y}"), "-frames:v", "1"])
        .args(["-f", "rawvideo", "-pix_fmt", "rgb24", "-"])
        .output()
        .ok()?;
    let full = out.stdout.len() == (w * h * 3) as usize;
    (out.status.success() && full).then_some(out.stdout)
}

/// The whole app under Xvfb: a window remembered in the library opens as a native window of
/// its own where it was, shows moving live video, and is still remembered after the app
/// is stopped.
#[test]
fn a_remembered_window_opens_as_a_native_window_with_live_video() {
    let x = crate::window::Xvfb::start();
    let dir = tempfile::tempdir().expect("temp dir");
    let vigil = common::Vigil::new(dir.path());
    vigil.ok(&["camera", "add", "--name", "demo", "--url", "demo://"]);
    // Right of the main window (1280×800 at the top left).
    let place = (1400, 100, 640, 400);
    let saved = vec![vigil_core::service::MonitorWindow {
        layout: Some(LayoutKind::Grid(2)),
        rect: Some([
            place.0 as f32,
            place.1 as f32,
            place.2 as f32,
            place.3 as f32,
        ]),
        saved_layout: None,
    }];
    let mut lib = Library::open(dir.path()).expect("library");
    lib.set_monitor_windows(&saved).expect("saved");
    drop(lib);
    let mut app = vigil.cmd();
    app.args(["gui"])
        .env("DISPLAY", &x.display)
        .env_remove("WAYLAND_DISPLAY")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
    let child = app.spawn().expect("start vigil gui");

    let deadline = Instant::now() + Duration::from_secs(60);
    let (mut prev, mut moving) = (None::<Vec<u8>>, 0);
    while moving < 3 {
        assert!(
            Instant::now() < deadline,
            "no moving picture in the second window within 60 s"
        );
        std::thread::sleep(Duration::from_millis(700));
        let Some(now) = grab(&x.display, place) else {
            continue;
        };
        let colours: std::collections::HashSet<&[u8]> = now.chunks(3).step_by(7).collect();
        let changed = prev.as_ref().map_or(0, |p| {
            p.chunks(3)
                .zip(now.chunks(3))
                .filter(|(a, b)| a != b)
                .count()
        });
        moving = if colours.len() > 50 && changed > 500 {
            moving + 1
        } else {
            0
        };
        prev = Some(now);
    }

    let _ = std::process::Command::new("kill")
        .arg(child.id().to_string())
        .status();
    let out = child.wait_with_output().expect("wait for vigil gui");
    assert!(
        out.status.success(),
        "vigil gui failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lib = Library::open(dir.path()).expect("library");
    let kept = lib.monitor_windows().expect("read");
    assert_eq!(kept.len(), 1, "the window is remembered for the next start");
    assert_eq!(kept[0].layout, Some(LayoutKind::Grid(2)));
}
