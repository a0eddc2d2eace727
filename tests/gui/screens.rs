//! Screenshots of the desktop app, rendered headless (egui_kittest on wgpu with Mesa's
//! software Vulkan) over the real engine and the demo camera: zone drawing with a detect
//! zone, a mask and an outline in progress; the camera dialog; and playback of recorded
//! video with the timeline. Each render is
//! checked (size, live picture present, the editor's own widgets) and saved to
//! `target/screenshots/`; `VIGIL_SCREENSHOT_DIR=docs/screenshots` (`make screenshot`) also
//! copies them there for the README.

use crate::common;
use crate::frames::settle;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use egui::{Modifiers, PointerButton, Pos2};
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;

use vigil_app::tile::fit_rect;
use vigil_app::VigilApp;
use vigil_core::detect::{Polygon, ZoneKind, ZoneSpec};
use vigil_core::engine::EngineOptions;
use vigil_core::host::EngineHost;
use vigil_core::library::Library;

const SIZE: [f32; 2] = [1280.0, 760.0];

/// The real engine recording the demo camera, with a detect zone and a mask already drawn.
fn engine() -> (tempfile::TempDir, EngineHost) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut lib = Library::open(dir.path()).expect("library");
    let demo = lib.ensure_a_camera().expect("demo").expect("added");
    for (name, kind, points) in [
        (
            "driveway",
            ZoneKind::Detect,
            "0.05,0.55 0.45,0.5 0.6,0.95 0.05,0.95",
        ),
        (
            "tree",
            ZoneKind::Mask,
            "0.75,0.05 0.97,0.05 0.97,0.4 0.8,0.45",
        ),
    ] {
        let polygon = Polygon::parse(points).expect("polygon");
        lib.add_zone(demo.id, &ZoneSpec::new(0, name, kind, polygon))
            .expect("zone");
    }
    drop(lib);
    let host = EngineHost::start(EngineOptions::new(dir.path().to_path_buf())).expect("engine");
    (dir, host)
}

fn harness<'a>(host: EngineHost) -> Harness<'a, VigilApp> {
    Harness::builder()
        .with_size(SIZE)
        .with_step_dt(1.0 / 60.0)
        .with_max_steps(20)
        .wgpu()
        .build_ui_state(
            |ui, app: &mut VigilApp| app.show(ui),
            VigilApp::new(Box::new(host)),
        )
}

/// Steps until the demo tile shows live pictures (the picture's size), with a deadline.
fn wait_for_picture(h: &mut Harness<'_, VigilApp>) -> [u32; 2] {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        h.run_steps(1);
        if let Some((_, size)) = h.state().live().picture("demo") {
            return size;
        }
        assert!(Instant::now() < deadline, "no live picture within 30 s");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn click_at(h: &mut Harness<'_, VigilApp>, pos: Pos2) {
    h.hover_at(pos);
    h.run_steps(1);
    for pressed in [true, false] {
        h.event(egui::Event::PointerButton {
            pos,
            button: PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
    }
    h.run_steps(2);
}

/// Renders, checks the size and that the live picture is there (many distinct colours in
/// `picture_area`), and saves the PNG.
fn save(h: &mut Harness<'_, VigilApp>, name: &str, picture_area: egui::Rect) {
    let image = h.render().expect("render with wgpu (mesa-vulkan-drivers)");
    assert_eq!(
        (image.width(), image.height()),
        (SIZE[0] as u32, SIZE[1] as u32)
    );
    let mut colours = std::collections::HashSet::new();
    let (x0, y0) = (picture_area.min.x as u32, picture_area.min.y as u32);
    let (x1, y1) = (
        (picture_area.max.x as u32).min(image.width()),
        (picture_area.max.y as u32).min(image.height()),
    );
    for y in (y0..y1).step_by(4) {
        for x in (x0..x1).step_by(4) {
            colours.insert(image.get_pixel(x, y).0);
        }
    }
    assert!(
        colours.len() > 200,
        "{name}: the live picture is missing ({} colours)",
        colours.len()
    );
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    let path = dir.join(format!("{name}.png"));
    image.save(&path).expect("save png");
    if let Ok(docs) = std::env::var("VIGIL_SCREENSHOT_DIR") {
        std::fs::create_dir_all(&docs).expect("screenshot dir");
        std::fs::copy(&path, PathBuf::from(docs).join(format!("{name}.png"))).expect("copy");
    }
}

#[test]
fn zone_drawing_over_the_live_demo_camera() {
    let (_dir, host) = engine();
    let mut h = harness(host);
    let size = wait_for_picture(&mut h);
    h.get_by_label("tile demo").click_secondary();
    h.run_steps(2);
    h.get_by_label("Draw zones…").click();
    settle(&mut h, 3);
    assert_eq!(h.state().zones().editing(), Some("demo"));
    h.get_by_label("New zone").click();
    h.run_steps(2);
    let area = h.get_by_label("zone drawing area of demo").rect();
    let picture = fit_rect(area, size);
    let at = |x: f32, y: f32| {
        Pos2::new(
            picture.min.x + x * picture.width(),
            picture.min.y + y * picture.height(),
        )
    };
    for (x, y) in [(0.55, 0.2), (0.7, 0.15), (0.72, 0.45)] {
        click_at(&mut h, at(x, y));
    }
    h.hover_at(at(0.58, 0.5));
    settle(&mut h, 3);
    // The side panel lists the saved zones.
    assert!(h.query_all_by_label_contains("driveway").count() >= 1);
    assert!(h.query_all_by_label_contains("tree").count() >= 1);
    save(&mut h, "zone-drawing", picture);
}

#[test]
fn camera_dialog_over_the_live_grid() {
    let (_dir, host) = engine();
    let mut h = harness(host);
    wait_for_picture(&mut h);
    let tile = h.get_by_label("tile demo").rect();
    h.get_by_label("+ Add camera").click();
    h.run_steps(3);
    h.get_by_label("Test connection");
    save(&mut h, "camera-dialog", tile);
}

#[test]
fn playback_with_the_timeline_over_recorded_demo_video() {
    let (_dir, lib, host) = common::demo_engine();
    let mut h = harness(host);
    let segments = || {
        lib.segments(&vigil_core::library::SegmentQuery::default())
            .expect("segments")
    };
    let deadline = Instant::now() + Duration::from_secs(40);
    while segments().len() < 4 {
        assert!(
            Instant::now() < deadline,
            "four recorded segments within 40 s"
        );
        h.run_steps(1);
        std::thread::sleep(Duration::from_millis(50));
    }
    let first = segments()[0].clone();
    // Zoom in (live keeps now at the right edge) until the window is about a minute, so
    // the recorded bar is wide, then click 3 s into the recording.
    let row = h
        .state()
        .recorded()
        .timeline()
        .and_then(|t| t.layout())
        .expect("timeline drawn")
        .rows[0];
    h.hover_at(Pos2::new(row.right() - 20.0, row.center().y));
    for _ in 0..4 {
        h.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Line,
            delta: egui::vec2(0.0, 5.0),
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Unknown,
            modifiers: Modifiers::NONE,
        });
        h.run_steps(2);
    }
    let target = first.start_us + 3_000_000;
    let (x, y) = {
        let layout = h
            .state()
            .recorded()
            .timeline()
            .and_then(|t| t.layout())
            .expect("timeline drawn");
        (layout.axis.x(target), layout.rows[0].center().y)
    };
    click_at(&mut h, Pos2::new(x, y));
    let deadline = Instant::now() + Duration::from_secs(15);
    while h.state().recorded().picture("demo").is_none() {
        assert!(Instant::now() < deadline, "a recorded picture within 15 s");
        h.run_steps(1);
        std::thread::sleep(Duration::from_millis(20));
    }
    h.run_steps(3);
    let tile = h.get_by_label("tile demo").rect();
    save(&mut h, "timeline-playback", tile);
}
