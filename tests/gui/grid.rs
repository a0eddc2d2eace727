//! The desktop app driven headless with egui_kittest: tiles, full screen, keyboard, layouts,
//! offline messages, the status bar; and the real engine with the demo camera delivering
//! live pictures into a tile.

use std::time::{Duration, Instant};

use egui_kittest::kittest::{NodeT, Queryable};
use egui_kittest::Harness;

use vigil_app::backend::FixedBackend;
use vigil_app::grid::{Layout, LayoutKind};
use vigil_app::VigilApp;
use vigil_core::detect::ZoneActivity;
use vigil_core::engine::status::{CameraStatus, ConnState};
use vigil_core::engine::{EngineOptions, EngineStatus};
use vigil_core::host::EngineHost;
use vigil_core::library::Library;
use vigil_core::model::time::now_us;

fn connected(name: &str) -> CameraStatus {
    CameraStatus {
        conn: ConnState::Connected,
        codec: Some("h264".into()),
        width: 1920,
        height: 1080,
        fps: 25.0,
        bitrate_bps: 4_200_000.0,
        ..CameraStatus::new(name, &format!("rtsp://admin:***@10.0.0.9/{name}"))
    }
}

fn status(cameras: Vec<CameraStatus>) -> EngineStatus {
    EngineStatus {
        cameras,
        disk_total: 500_000_000_000,
        disk_available: 120_000_000_000,
        mqtt: None,
    }
}

fn harness<'a>(app: VigilApp) -> Harness<'a, VigilApp> {
    Harness::builder()
        .with_size([1100.0, 700.0])
        // Real-time-ish steps so two clicks make a double-click.
        .with_step_dt(1.0 / 60.0)
        .with_max_steps(20)
        .build_ui_state(|ui, app: &mut VigilApp| app.show(ui), app)
}

fn app_with(cameras: Vec<CameraStatus>) -> (FixedBackend, VigilApp) {
    let backend = FixedBackend::new(status(cameras));
    let app = VigilApp::new(Box::new(backend.clone()));
    (backend, app)
}

fn names(h: &Harness<'_, VigilApp>) -> Vec<String> {
    h.state().visible_cameras().to_vec()
}

/// Picks a layout from the top bar's layout menu.
pub(crate) fn pick_layout(h: &mut Harness<'_, VigilApp>, label: &str) {
    h.get_by_label_contains("Layout: ").click();
    h.run_steps(2);
    h.get_by_label(label).click();
    h.run_steps(2);
}

#[test]
fn the_grid_shows_one_tile_per_camera_with_its_name() {
    let (_b, app) = app_with(vec![
        connected("back"),
        connected("front"),
        connected("yard"),
    ]);
    let mut h = harness(app);
    h.run_steps(2);
    assert_eq!(names(&h), ["back", "front", "yard"]);
    for name in ["back", "front", "yard"] {
        h.get_by_label(name);
        h.get_by_label(&format!("tile {name}"));
        assert!(h.state().live().is_watching(name), "{name} is decoded");
    }
    assert_eq!(h.state().grid().columns(3), 2, "three cameras: 2×2");
    h.get_by_label_contains("3 cameras: 3 live");
    h.get_by_label_contains("120 GB free of 500 GB");
}

#[test]
fn double_click_opens_full_screen_and_escape_returns() {
    let (_b, app) = app_with(vec![
        connected("back"),
        connected("front"),
        connected("yard"),
    ]);
    let mut h = harness(app);
    h.run_steps(2);
    let tile = h.get_by_label("tile front");
    tile.click();
    tile.click();
    h.run_steps(2);
    assert!(h.state().grid().is_fullscreen());
    assert_eq!(names(&h), ["front"]);
    assert!(
        !h.state().live().is_watching("back"),
        "hidden tiles stop decoding"
    );
    h.get_by_label("Back to grid (Esc)");

    h.key_press(egui::Key::Escape);
    h.run_steps(2);
    assert!(!h.state().grid().is_fullscreen());
    assert_eq!(names(&h), ["back", "front", "yard"]);
    assert!(h.state().live().is_watching("back"));
}

#[test]
fn arrow_keys_move_the_selection_and_enter_opens_it() {
    let cams = (0..5).map(|i| connected(&format!("cam{i}"))).collect();
    let (_b, app) = app_with(cams);
    let mut h = harness(app);
    h.run_steps(2);
    let selected = |h: &Harness<'_, VigilApp>| {
        let all = h.state().camera_names().to_vec();
        h.state().grid().selected(&all).map(str::to_string)
    };
    assert_eq!(selected(&h).as_deref(), Some("cam0"));
    h.key_press(egui::Key::ArrowRight);
    h.key_press(egui::Key::ArrowDown);
    h.run_steps(2);
    // Five cameras: 3×3, so down from cam1 is cam4.
    assert_eq!(selected(&h).as_deref(), Some("cam4"));
    h.key_press(egui::Key::ArrowLeft);
    h.key_press(egui::Key::Enter);
    h.run_steps(2);
    assert!(h.state().grid().is_fullscreen());
    assert_eq!(names(&h), ["cam3"]);
    h.key_press(egui::Key::ArrowRight);
    h.run_steps(2);
    assert_eq!(
        names(&h),
        ["cam4"],
        "arrows step through cameras in full screen"
    );
}

#[test]
fn an_offline_camera_says_why_in_its_tile_and_in_the_problems_panel() {
    let mut door = CameraStatus::new("door", "rtsp://10.0.0.7/1");
    door.conn = ConnState::Retrying {
        retry_at_us: now_us() + 8_000_000,
    };
    door.last_error = Some("connection refused by 10.0.0.7:554".into());
    door.last_error_us = Some(now_us());
    let (_b, app) = app_with(vec![connected("back"), door]);
    let mut h = harness(app);
    h.run_steps(2);
    let msg = h.get_by_label_contains("connection refused by 10.0.0.7:554 — retrying in");
    let text = msg.accesskit_node().value().unwrap_or_default();
    let secs: u32 = text
        .rsplit("retrying in ")
        .next()
        .and_then(|t| t.trim_end_matches(" s").parse().ok())
        .unwrap_or(0);
    assert!((4..=8).contains(&secs), "a countdown from 8 s: {text}");
    h.get_by_label_contains("1 live, 1 offline");

    assert!(!h.state().problems_open());
    h.get_by_label_contains("1 problem now").click();
    h.run_steps(2);
    assert!(h.state().problems_open());
    h.get_by_label("Problems");
    assert_eq!(
        h.query_all_by_label_contains("connection refused by 10.0.0.7:554")
            .count(),
        2,
        "in the tile and in the panel"
    );
}

#[test]
fn the_layout_switcher_changes_the_grid_and_pages() {
    let cams = (0..5).map(|i| connected(&format!("cam{i}"))).collect();
    let (_b, app) = app_with(cams);
    let mut h = harness(app);
    h.run_steps(2);
    assert_eq!(names(&h).len(), 5, "auto: 3×3 holds all five");
    pick_layout(&mut h, "2×2");
    assert_eq!(h.state().grid().layout, Layout::Fixed(LayoutKind::Grid(2)));
    assert_eq!(names(&h), ["cam0", "cam1", "cam2", "cam3"]);
    h.get_by_label("page 1 of 2");
    pick_layout(&mut h, "1");
    assert_eq!(names(&h), ["cam0"]);
    assert_eq!(h.state().live().watching(), 1);
}

#[test]
fn recording_and_motion_show_on_the_tile_with_details_on_hover() {
    let mut yard = connected("yard");
    yard.recording = true;
    yard.motion = vec![ZoneActivity {
        zone_id: 1,
        name: "gate".into(),
        changed: 0.2,
        active: true,
    }];
    let (backend, app) = app_with(vec![yard, connected("back")]);
    let mut h = harness(app);
    h.run_steps(2);
    assert_eq!(h.query_all_by_label("MOTION").count(), 1);
    h.get_by_label("tile yard").hover();
    // Tooltips wait for the pointer to rest.
    h.run_steps(90);
    h.get_by_label_contains("h264 1920×1080 · 25.0 fps · 4.20 Mbit/s");

    // Motion ends: the badge goes.
    backend.set_status(status(vec![connected("yard"), connected("back")]));
    h.run_steps(2);
    assert_eq!(h.query_all_by_label("MOTION").count(), 0);

    // A door sensor's trigger held for a minute shows with its label.
    let mut back = connected("back");
    back.events = vec![vigil_core::engine::status::ActiveEvent {
        key: "trigger:door".into(),
        source: "trigger".into(),
        label: "door".into(),
        start_us: vigil_core::model::time::now_us(),
        until_us: Some(vigil_core::model::time::now_us() + 60_000_000),
    }];
    backend.set_status(status(vec![connected("yard"), back]));
    h.run_steps(2);
    assert_eq!(h.query_all_by_label("TRIGGER: door").count(), 1);
}

/// The real engine with the demo camera: its tile receives live pictures scaled to the tile.
#[test]
fn the_demo_camera_tile_gets_live_pictures_of_the_tile_size() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut lib = Library::open(dir.path()).expect("library");
    assert!(lib.ensure_a_camera().expect("demo camera").is_some());
    drop(lib);
    let host = EngineHost::start(EngineOptions::new(dir.path().to_path_buf())).expect("engine");
    let mut h = harness(VigilApp::new(Box::new(host)));
    let deadline = Instant::now() + Duration::from_secs(30);
    let picture = loop {
        h.run_steps(1);
        let live = h.query_by_label_contains("1 camera: 1 live").is_some();
        if let (Some((_, size)), true) = (h.state().live().picture("demo"), live) {
            break size;
        }
        assert!(Instant::now() < deadline, "no live picture within 30 s");
        std::thread::sleep(Duration::from_millis(50));
    };
    let (req_w, req_h) = h.state().live().requested_size("demo").expect("watching");
    // The demo is 640×360: fitted into the tile, never enlarged, aspect kept.
    assert!(picture[0] <= req_w.min(640) && picture[1] <= req_h.min(360));
    assert!(picture[0] == req_w.min(640) || picture[1] == req_h.min(360));
    let aspect = picture[0] as f32 / picture[1] as f32;
    assert!((aspect - 16.0 / 9.0).abs() < 0.05, "{picture:?}");
    h.get_by_label("demo");
    // Dropping the app stops the engine (segments finished) without hanging.
    drop(h);
}
