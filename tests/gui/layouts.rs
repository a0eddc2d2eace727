//! Layouts in the app, headless (egui_kittest) over a real configuration store on a library
//! in a temporary directory: every shape draws its cells, cameras are dragged from the list
//! onto cells and tiles swapped, a layout is saved, opened again, renamed and deleted, and
//! the layout in use comes back after restarting the app on the same library.

use std::sync::Arc;
use std::time::{Duration, Instant};

use egui::{Pos2, Rect};
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use tempfile::TempDir;

use super::grid::pick_layout;
use vigil_app::backend::{Backend, FixedBackend};
use vigil_app::grid::{LayoutCell, LayoutKind};
use vigil_app::VigilApp;
use vigil_core::engine::status::{CameraStatus, ConnState};
use vigil_core::engine::EngineStatus;
use vigil_core::model::{CameraName, NewCamera, Policy, Transport};
use vigil_core::service::ConfigStore;

fn status(names: &[&str]) -> EngineStatus {
    let cameras = names
        .iter()
        .map(|name| CameraStatus {
            conn: ConnState::Connected,
            codec: Some("h264".into()),
            width: 640,
            height: 360,
            fps: 25.0,
            ..CameraStatus::new(name, &format!("rtsp://10.0.0.9/{name}"))
        })
        .collect();
    EngineStatus {
        cameras,
        disk_total: 500_000_000_000,
        disk_available: 120_000_000_000,
        mqtt: None,
    }
}

/// A library in `dir` holding `names` (added when missing).
fn store(dir: &TempDir, names: &[&str]) -> ConfigStore {
    let store = ConfigStore::open(dir.path(), Arc::new(|| {})).expect("config store");
    for name in names {
        let cam = NewCamera {
            name: CameraName::parse(name).expect("name"),
            url: format!("rtsp://10.0.0.9/{name}"),
            detect_url: None,
            transport: Transport::Tcp,
            enabled: true,
            audio: false,
        };
        // Already there when the app is restarted on the same library.
        let _ = store.add_camera(cam, Policy::default(), None).wait();
    }
    store
}

/// The app on the library in `dir` with `names` connected, run until its layout is restored.
fn app(dir: &TempDir, names: &[&str]) -> (FixedBackend, Harness<'static, VigilApp>) {
    let backend = FixedBackend::new(status(names)).with_config(store(dir, names));
    let mut h = Harness::builder()
        .with_size([1100.0, 800.0])
        .with_step_dt(1.0 / 60.0)
        .with_max_steps(20)
        .build_ui_state(
            |ui, app: &mut VigilApp| app.show(ui),
            VigilApp::new(Box::new(backend.clone())),
        );
    h.run_steps(2);
    settle(&mut h);
    (backend, h)
}

/// Steps until no layout job runs (the library answers in milliseconds; 10 s at most).
fn settle(h: &mut Harness<'_, VigilApp>) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        h.run_steps(1);
        let s = h.state();
        if s.layouts().is_restored() && !s.layouts().is_busy() {
            break;
        }
        assert!(Instant::now() < deadline, "the layout jobs did not finish");
        std::thread::sleep(Duration::from_millis(10));
    }
    h.run_steps(2);
}

fn shown(h: &Harness<'_, VigilApp>) -> Vec<String> {
    h.state().visible_cameras()
}

fn page(h: &Harness<'_, VigilApp>) -> Vec<LayoutCell> {
    let s = h.state();
    s.grid().page(s.camera_names())
}

fn cam(name: &str) -> LayoutCell {
    LayoutCell::Camera(name.into())
}

/// The rects of every cell drawn: camera tiles and empty cells, in cell order.
fn cell_rects(h: &Harness<'_, VigilApp>) -> Vec<Rect> {
    let mut cells: Vec<Rect> = h
        .query_all_by(|n| {
            n.label()
                .is_some_and(|l| l.starts_with("tile ") || l.starts_with("cell "))
        })
        .map(|n| n.rect())
        .collect();
    cells.sort_by(|a, b| {
        (a.min.y, a.min.x)
            .partial_cmp(&(b.min.y, b.min.x))
            .expect("rects")
    });
    cells
}

/// Drags from `from` to `to` with the pointer, as an operator would.
fn drag(h: &mut Harness<'_, VigilApp>, from: Pos2, to: Pos2) {
    h.hover_at(from);
    h.run_steps(1);
    h.drag_at(from);
    h.run_steps(1);
    for k in 1..=4 {
        h.hover_at(from + (to - from) * (k as f32 / 4.0));
        h.run_steps(1);
    }
    h.drop_at(to);
    h.run_steps(3);
}

fn centre_of(h: &Harness<'_, VigilApp>, label: &str) -> Pos2 {
    h.get_by_label_contains(label).rect().center()
}

fn open_menu(h: &mut Harness<'_, VigilApp>) {
    h.get_by_label_contains("Layout: ").click();
    h.run_steps(2);
}

#[test]
fn every_layout_draws_its_cells_with_its_large_cells() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_b, mut h) = app(&dir, &["a", "b", "c"]);
    for kind in LayoutKind::ALL {
        pick_layout(&mut h, &kind.label());
        let rects = cell_rects(&h);
        assert_eq!(rects.len(), kind.cell_count(), "{kind:?}: cells drawn");
        let small = rects.iter().map(|r| r.width()).fold(f32::MAX, f32::min);
        let large = rects.iter().map(|r| r.width()).fold(0.0, f32::max);
        // The large cell spans 2 (1+5, 2+8) or 3 (1+7) small ones, gaps included.
        let span = match kind {
            LayoutKind::Grid(_) => 1.0,
            LayoutKind::OnePlusFive | LayoutKind::TwoPlusEight => 2.0,
            LayoutKind::OnePlusSeven => 3.0,
        };
        let ratio = large / small;
        assert!(
            (ratio - span).abs() < 0.1,
            "{kind:?}: large cell {large} vs small {small}"
        );
        let expected = kind.cell_count().min(3);
        assert_eq!(shown(&h).len(), expected, "{kind:?}: cameras in order");
    }
    assert!(
        h.query_all_by_label_contains("Empty: drag a camera here")
            .count()
            > 0,
        "empty cells say so"
    );
}

#[test]
fn cameras_are_dragged_from_the_list_and_tiles_swap_and_clear() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_b, mut h) = app(&dir, &["gate", "yard", "dock"]);
    pick_layout(&mut h, "2×2");
    assert_eq!(
        page(&h),
        [cam("gate"), cam("yard"), cam("dock"), LayoutCell::Empty]
    );
    open_menu(&mut h);
    h.get_by_label("Camera list (drag onto a cell)").click();
    h.run_steps(3);
    assert!(h.state().layouts().list_open());
    // A camera from the list onto the empty cell: it moves there, its old cell empties.
    let from = centre_of(&h, "place gate");
    let to = centre_of(&h, "cell 4 ");
    drag(&mut h, from, to);
    assert_eq!(
        page(&h),
        [LayoutCell::Empty, cam("yard"), cam("dock"), cam("gate")]
    );
    // A tile onto another: the two swap; a click still selects.
    let from = centre_of(&h, "tile dock");
    let to = centre_of(&h, "tile yard");
    drag(&mut h, from, to);
    assert_eq!(
        page(&h),
        [LayoutCell::Empty, cam("dock"), cam("yard"), cam("gate")]
    );
    h.get_by_label("tile gate").click();
    h.run_steps(2);
    let s = h.state();
    assert_eq!(s.grid().selected(s.camera_names()), Some("gate"));
    // The tile menu's "Clear cell".
    h.get_by_label("tile yard").click_secondary();
    h.run_steps(3);
    h.get_by_label("Clear cell").click();
    h.run_steps(3);
    assert_eq!(
        page(&h),
        [
            LayoutCell::Empty,
            cam("dock"),
            LayoutCell::Empty,
            cam("gate")
        ]
    );
    assert_eq!(shown(&h), ["dock", "gate"]);
    assert_eq!(
        h.state().live().watching(),
        2,
        "decoders only for the tiles shown"
    );
    // Without dragging: "Place" fills the first free cell; Delete empties the selected one.
    let place_yard = h.query_all_by_label("Place").nth(1).expect("yard's Place");
    place_yard.click();
    h.run_steps(3);
    assert_eq!(
        page(&h),
        [cam("yard"), cam("dock"), LayoutCell::Empty, cam("gate")]
    );
    h.get_by_label("tile dock").click();
    h.run_steps(2);
    h.key_press(egui::Key::Delete);
    h.run_steps(3);
    assert_eq!(
        page(&h),
        [
            cam("yard"),
            LayoutCell::Empty,
            LayoutCell::Empty,
            cam("gate")
        ]
    );
}

/// Saves the layout on screen as `name` through the dialog.
fn save_as(h: &mut Harness<'_, VigilApp>, name: &str) {
    open_menu(h);
    h.get_by_label("Save layout as…").click();
    h.run_steps(3);
    h.get_by_label("Layout name").click();
    h.run_steps(1);
    h.get_by_label("Layout name").type_text(name);
    h.run_steps(2);
    h.get_by_label("Save").click();
    h.run_steps(2);
    settle(h);
}

#[test]
fn a_saved_layout_opens_again_and_survives_restarting_the_app() {
    let dir = tempfile::tempdir().expect("temp dir");
    let names = ["gate", "yard", "dock"];
    let (backend, mut h) = app(&dir, &names);
    pick_layout(&mut h, "1+5");
    let from = centre_of(&h, "tile dock");
    let to = centre_of(&h, "tile gate");
    drag(&mut h, from, to);
    let arranged = page(&h);
    assert_eq!(arranged[..3], [cam("dock"), cam("yard"), cam("gate")]);
    save_as(&mut h, "Hall d’entrée");
    let stored = backend.config().expect("store").layouts(None).wait();
    let stored = stored.expect("answer").expect("layouts");
    assert_eq!(stored.len(), 1);
    assert_eq!(
        (stored[0].name.as_str(), stored[0].kind),
        ("Hall d’entrée", LayoutKind::OnePlusFive)
    );
    assert_eq!(stored[0].cells, arranged);
    assert_eq!(
        h.state().layouts().current().map(|c| c.1),
        Some("Hall d’entrée")
    );
    h.get_by_label("Layout: Hall d’entrée");

    // Away to another layout (cameras in order), then the saved one again.
    pick_layout(&mut h, "3×3");
    assert_eq!(shown(&h), ["gate", "yard", "dock"]);
    pick_layout(&mut h, "Hall d’entrée (1+5)");
    assert_eq!(page(&h), arranged);
    // A change marks the layout as changed.
    let (from, to) = (centre_of(&h, "tile yard"), centre_of(&h, "tile dock"));
    drag(&mut h, from, to);
    h.get_by_label("Layout: Hall d’entrée (changed)");
    let changed = page(&h);
    settle(&mut h);
    drop(h);

    // Restarted on the same library: the layout in use comes back, changes included.
    let (_backend, mut h) = app(&dir, &names);
    assert_eq!(page(&h), changed);
    assert_eq!(
        h.state().layouts().current().map(|c| c.1),
        Some("Hall d’entrée")
    );
    h.get_by_label("Layout: Hall d’entrée (changed)");
    pick_layout(&mut h, "Hall d’entrée (1+5)");
    assert_eq!(page(&h), arranged, "the saved cells, not the changed ones");
    settle(&mut h);
}

#[test]
fn a_layout_is_renamed_and_deleted_after_confirmation() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (backend, mut h) = app(&dir, &["gate", "yard"]);
    pick_layout(&mut h, "2×2");
    save_as(&mut h, "Day");
    open_menu(&mut h);
    h.get_by_label("Rename \u{201c}Day\u{201d}…").click();
    h.run_steps(3);
    super::setup::type_into(&mut h, "Layout name", "Night shift");
    h.get_by_label("Rename").click();
    h.run_steps(2);
    settle(&mut h);
    h.get_by_label("Layout: Night shift");
    open_menu(&mut h);
    h.get_by_label("Delete \u{201c}Night shift\u{201d}…")
        .click();
    h.run_steps(3);
    h.get_by_label_contains("The cameras and their recordings are not affected");
    h.get_by_label("Cancel").click();
    h.run_steps(2);
    let store = backend.config().expect("store");
    let count = || {
        store
            .layouts(None)
            .wait()
            .expect("answer")
            .expect("list")
            .len()
    };
    assert_eq!(count(), 1, "cancel keeps it");
    open_menu(&mut h);
    h.get_by_label("Delete \u{201c}Night shift\u{201d}…")
        .click();
    h.run_steps(3);
    h.get_by_label("Delete").click();
    h.run_steps(2);
    settle(&mut h);
    assert_eq!(count(), 0);
    assert_eq!(h.state().layouts().current(), None);
    assert_eq!(shown(&h), ["gate", "yard"], "the cells stay on screen");
}

#[test]
fn a_removed_cameras_cell_shows_empty_with_words() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (backend, mut h) = app(&dir, &["gate", "yard"]);
    pick_layout(&mut h, "2×2");
    save_as(&mut h, "Both");
    let store = backend.config().expect("store");
    store
        .remove_camera("yard", false, None)
        .wait()
        .expect("answer")
        .expect("removed");
    backend.set_status(status(&["gate"]));
    h.run_steps(3);
    assert_eq!(page(&h)[1], LayoutCell::Removed);
    h.get_by_label_contains("The camera placed here was removed");
    assert_eq!(shown(&h), ["gate"]);
}

#[test]
fn the_top_bar_fits_1280_points_with_a_saved_layout_and_the_camera_list() {
    let dir = tempfile::tempdir().expect("temp dir");
    let names: Vec<String> = (0..16).map(|i| format!("camera_{i:02}")).collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let (_b, mut h) = app(&dir, &refs);
    h.set_size(egui::vec2(1280.0, 800.0));
    pick_layout(&mut h, "2+8");
    save_as(&mut h, "Loading bay and north gate, night");
    let (from, to) = (
        centre_of(&h, "tile camera_00"),
        centre_of(&h, "tile camera_01"),
    );
    drag(&mut h, from, to);
    open_menu(&mut h);
    h.get_by_label("Camera list (drag onto a cell)").click();
    h.run_steps(3);
    let right = h.get_by_label("Clips").rect().max.x;
    assert!(
        right <= 1280.0,
        "the top bar overflows: its last button ends at {right}"
    );
    h.get_by_label("Layout: Loading bay and north gate, night (changed)");
    assert_eq!(cell_rects(&h).len(), 10);
    open_menu(&mut h);
    let image = h.render().expect("render with wgpu (mesa-vulkan-drivers)");
    let shots = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&shots).expect("screenshot dir");
    image
        .save(shots.join("layouts_picker.png"))
        .expect("save png");
}

#[test]
fn a_camera_renamed_while_the_app_runs_keeps_its_cell() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (backend, mut h) = app(&dir, &["gate", "yard"]);
    pick_layout(&mut h, "2×2");
    let (from, to) = (centre_of(&h, "tile yard"), centre_of(&h, "tile gate"));
    drag(&mut h, from, to);
    save_as(&mut h, "Pair");
    let store = backend.config().expect("store");
    let yard = store
        .camera("yard", None)
        .wait()
        .expect("answer")
        .expect("yard");
    let renamed = NewCamera {
        name: CameraName::parse("back_yard").expect("name"),
        url: yard.camera.url.clone(),
        detect_url: None,
        transport: Transport::Tcp,
        enabled: true,
        audio: false,
    };
    let job = store.update_camera(yard.camera.id, renamed, None);
    job.wait().expect("answer").expect("renamed");
    backend.set_status(status(&["gate", "back_yard"]));
    settle(&mut h);
    let expected = [
        cam("back_yard"),
        cam("gate"),
        LayoutCell::Empty,
        LayoutCell::Empty,
    ];
    assert_eq!(page(&h), expected);
    h.get_by_label("Layout: Pair");
    h.get_by_label("tile back_yard");
}

#[test]
fn a_blank_name_is_refused_and_saving_over_a_name_says_so_first() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (backend, mut h) = app(&dir, &["gate", "yard"]);
    pick_layout(&mut h, "2×2");
    save_as(&mut h, "Day");
    pick_layout(&mut h, "1+5");
    open_menu(&mut h);
    h.get_by_label("Save layout as…").click();
    h.run_steps(3);
    assert!(super::setup::is_disabled(&h, "Save"), "no name yet");
    h.get_by_label_contains("Cannot save yet: a layout needs a name");
    h.get_by_label("Layout name").click();
    h.run_steps(1);
    h.get_by_label("Layout name").type_text("Day");
    h.run_steps(3);
    h.get_by_label("Saving replaces the layout \u{201c}Day\u{201d}.");
    h.get_by_label("Save").click();
    h.run_steps(2);
    settle(&mut h);
    let store = backend.config().expect("store");
    let all = store.layouts(None).wait().expect("answer").expect("list");
    assert_eq!(all.len(), 1, "replaced, not added");
    assert_eq!(all[0].kind, LayoutKind::OnePlusFive);
}
