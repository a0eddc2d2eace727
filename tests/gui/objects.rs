//! Object detection in the desktop app, driven headless with egui_kittest: the policy
//! editor's Objects section saves through the real configuration store (and refuses a model
//! file that is not there, in words); the engine's sentence when the detector cannot run
//! shows in the dialog and the problems; the detector's boxes are painted on the selected
//! tile (mapped onto the letterboxed picture) only while toggled and fresh, the switch is
//! remembered in the library; the zone editor shows them while drawing. Statuses are set by
//! hand (`FixedBackend`): the painted shapes are read from the frame's output.

use crate::frames::settle;
use crate::setup::{click, stored, type_into, value_of};

use std::sync::Arc;

use egui::accesskit::Role;
use egui::epaint::{RectShape, Shape};
use egui::{Key, Rect};
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use tempfile::TempDir;

use vigil_app::backend::FixedBackend;
use vigil_app::objects::BOX_COLOR;
use vigil_app::tile::fit_rect;
use vigil_app::VigilApp;
use vigil_core::model::time::now_us;
use vigil_core::model::{CameraName, DetectorModel, NewCamera, ObjectSettings, Policy, Transport};
use vigil_core::service::{
    CameraStatus, ConfigStore, ConnState, EngineStatus, Found, ObjectBox, ObjectsStatus,
};

const CAMERA: &str = "drive";

/// A 1280×720 camera, connected, whose detector found a person at `found_us`.
fn camera(name: &str, found_us: Option<i64>, error: Option<&str>) -> CameraStatus {
    CameraStatus {
        conn: ConnState::Connected,
        codec: Some("h264".into()),
        width: 1280,
        height: 720,
        fps: 25.0,
        bitrate_bps: 2_000_000.0,
        objects: Some(ObjectsStatus {
            wanted: vec!["person".into()],
            detector: error.is_none().then(|| "built-in person detector".into()),
            error: error.map(str::to_string),
            found: vec![Found {
                label: "person".into(),
                score: 0.87,
                bbox: ObjectBox::from_corners(0.25, 0.5, 0.5, 1.0),
            }],
            found_us,
            runs: 3,
            dropped: 0,
        }),
        ..CameraStatus::new(name, &format!("rtsp://10.0.0.9/{name}"))
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

/// A real library in a temporary folder holding `names`, the status listing `cameras`.
fn backend(names: &[&str], cameras: Vec<CameraStatus>) -> (TempDir, FixedBackend) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = ConfigStore::open(dir.path(), Arc::new(|| {})).expect("library");
    for name in names {
        let cam = NewCamera {
            name: CameraName::parse(name).expect("name"),
            url: format!("rtsp://10.0.0.9/{name}"),
            detect_url: None,
            transport: Transport::Tcp,
            enabled: true,
            audio: false,
        };
        let added = store.add_camera(cam, Policy::default(), None).wait();
        added.expect("an answer").expect("camera");
    }
    let backend = FixedBackend::new(status(cameras)).with_config(store);
    (dir, backend)
}

/// A tall window, so the whole policy editor fits without scrolling.
fn harness<'a>(backend: &FixedBackend) -> Harness<'a, VigilApp> {
    let app = VigilApp::new(Box::new(backend.clone()));
    let mut h = Harness::builder()
        .with_size([1100.0, 1500.0])
        .with_step_dt(1.0 / 60.0)
        .with_max_steps(20)
        .build_ui_state(|ui, app: &mut VigilApp| app.show(ui), app);
    settle(&mut h, 2);
    h
}

fn open_policy(h: &mut Harness<'_, VigilApp>) {
    h.get_by_label(&format!("tile {CAMERA}")).click_secondary();
    h.run_steps(3);
    click(h, "Recording policy…");
    h.get_by_label(&format!("Recording policy of {CAMERA}"));
}

fn objects_of(b: &FixedBackend) -> Option<ObjectSettings> {
    stored(b, CAMERA).expect("camera").objects
}

#[test]
fn the_objects_section_saves_through_the_store() {
    let (_dir, b) = backend(&[CAMERA], vec![camera(CAMERA, None, None)]);
    let mut h = harness(&b);
    open_policy(&mut h);
    assert!(h.query_by_label("Minimum size").is_none(), "off: no fields");
    click(&mut h, "Record events only when a person is seen");
    h.get_by_role_and_label(Role::Slider, "Minimum score")
        .set_value_accesskit(0.75);
    h.run_steps(2);
    type_into(&mut h, "Minimum size", "0.5%");
    click(&mut h, "Save");
    h.get_by_label_contains(&format!("saved the recording policy of '{CAMERA}'"));
    let s = objects_of(&b).expect("detection on");
    assert_eq!(s.objects, ["person"]);
    assert!((s.min_score - 0.75).abs() < 1e-6, "{}", s.min_score);
    assert!((s.min_area - 0.005).abs() < 1e-7, "{}", s.min_area);
    assert_eq!(s.model, DetectorModel::Builtin);

    // Reopened: the stored settings. A bad size and an object the built-in detector does
    // not know block Save with sentences.
    open_policy(&mut h);
    assert_eq!(value_of(&h, "Minimum size"), "0.5%");
    type_into(&mut h, "Minimum size", "lots");
    // Under the field, and as the reason Save waits.
    h.get_by_label_contains(
        "Cannot save yet: objects: minimum box size 'lots' must be a percentage of the picture",
    );
    type_into(&mut h, "Minimum size", "1%");
    type_into(&mut h, "Object labels", "person, car");
    h.get_by_label_contains("Cannot save yet: objects: the built-in detector finds people only");

    // An ONNX model that is not there: the store refuses it in words, nothing changes.
    click(&mut h, "ONNX model file");
    type_into(&mut h, "Model file", "/nonexistent/yolo.onnx");
    click(&mut h, "YOLO");
    click(&mut h, "Save");
    h.get_by_label_contains("the model file /nonexistent/yolo.onnx does not exist");
    assert_eq!(objects_of(&b), Some(s));

    // Off again: motion alone.
    click(&mut h, "Built-in person detector");
    type_into(&mut h, "Object labels", "person");
    click(&mut h, "Record events only when a person is seen");
    click(&mut h, "Save");
    assert_eq!(objects_of(&b), None);
    open_policy(&mut h);
    assert!(h.query_by_label("Minimum size").is_none());
}

#[test]
fn a_detector_that_cannot_run_is_said_in_words() {
    let why = "the model file /m/yolo.onnx does not exist; recording on motion alone";
    let (_dir, b) = backend(&[CAMERA], vec![camera(CAMERA, None, Some(why))]);
    let mut h = harness(&b);
    open_policy(&mut h);
    h.get_by_label_contains(&format!("The object detector cannot run: {why}"));
    click(&mut h, "Cancel");
    let problems = vigil_app::text::problems(&b_status(&b), &[]);
    assert!(
        problems
            .iter()
            .any(|p| p.text == format!("object detection: {why}") && p.current),
        "{problems:?}"
    );
}

fn b_status(b: &FixedBackend) -> EngineStatus {
    use vigil_app::backend::Backend;
    (*b.status()).clone()
}

/// Every rectangle outlined in the boxes' colour in the last frame.
fn painted_boxes(h: &Harness<'_, VigilApp>) -> Vec<Rect> {
    fn walk(shape: &Shape, out: &mut Vec<Rect>) {
        match shape {
            Shape::Vec(shapes) => shapes.iter().for_each(|s| walk(s, out)),
            Shape::Rect(RectShape { rect, stroke, .. }) if stroke.color == BOX_COLOR => {
                out.push(*rect)
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for clipped in &h.output().shapes {
        walk(&clipped.shape, &mut out);
    }
    out
}

/// Whether the last frame painted `text` (a galley).
fn painted_text(h: &Harness<'_, VigilApp>, text: &str) -> bool {
    fn walk(shape: &Shape, text: &str) -> bool {
        match shape {
            Shape::Vec(shapes) => shapes.iter().any(|s| walk(s, text)),
            Shape::Text(t) => t.galley.text() == text,
            _ => false,
        }
    }
    h.output().shapes.iter().any(|c| walk(&c.shape, text))
}

/// Where the person's box belongs on the tile: its lower-left quarter of the picture,
/// fitted 16:9 into the tile.
fn expected_box(h: &Harness<'_, VigilApp>, camera: &str) -> Rect {
    let tile = h.get_by_label(&format!("tile {camera}")).rect();
    let pic = fit_rect(tile, [1280, 720]);
    Rect::from_min_max(
        pic.min + egui::vec2(0.25 * pic.width(), 0.5 * pic.height()),
        pic.min + egui::vec2(0.5 * pic.width(), pic.height()),
    )
}

fn fresh(b: &FixedBackend, cameras: &[&str]) {
    let now = now_us();
    b.set_status(status(
        cameras.iter().map(|c| camera(c, Some(now), None)).collect(),
    ));
}

#[test]
fn boxes_show_on_the_selected_tile_while_toggled_and_fresh_and_are_remembered() {
    let (dir, b) = backend(&[CAMERA, "yard"], Vec::new());
    fresh(&b, &[CAMERA, "yard"]);
    let mut h = harness(&b);
    assert!(painted_boxes(&h).is_empty(), "off until switched on");

    h.key_press(Key::B);
    settle(&mut h, 1);
    assert!(h.state().boxes().is_on());
    fresh(&b, &[CAMERA, "yard"]);
    h.run_steps(2);
    let boxes = painted_boxes(&h);
    let want = expected_box(&h, CAMERA);
    assert_eq!(boxes.len(), 1, "only the selected tile: {boxes:?}");
    assert!(
        (boxes[0].min - want.min).length() < 1.0 && (boxes[0].max - want.max).length() < 1.0,
        "{:?} drawn where {want:?} belongs",
        boxes[0]
    );
    assert!(painted_text(&h, "person 87%"));

    // Another tile selected: its boxes, not the first one's.
    h.get_by_label("tile yard").click();
    fresh(&b, &[CAMERA, "yard"]);
    h.run_steps(2);
    let boxes = painted_boxes(&h);
    let want = expected_box(&h, "yard");
    assert_eq!(boxes.len(), 1);
    assert!((boxes[0].center() - want.center()).length() < 1.0);

    // Stale (the detector found them 5 s ago): nothing drawn.
    let old = now_us() - 5_000_000;
    b.set_status(status(vec![
        camera(CAMERA, Some(old), None),
        camera("yard", Some(old), None),
    ]));
    h.run_steps(2);
    assert!(painted_boxes(&h).is_empty(), "stale boxes are not drawn");

    // Switched off with the toolbar button: nothing drawn, and remembered off; a new app
    // on the same library starts as the switch was left.
    fresh(&b, &[CAMERA, "yard"]);
    click(&mut h, "Boxes (B)");
    h.run_steps(2);
    assert!(!h.state().boxes().is_on());
    assert!(painted_boxes(&h).is_empty());
    let lib = vigil_core::library::Library::open(dir.path()).expect("library");
    assert!(!lib.live_boxes().expect("switch"));
    h.key_press(Key::B);
    settle(&mut h, 1);
    assert!(lib.live_boxes().expect("switch"), "remembered on");
    let again = harness(&b);
    assert!(again.state().boxes().is_on(), "a new start shows the boxes");
}

#[test]
fn the_zone_editor_shows_the_detections_while_drawing() {
    let (_dir, b) = backend(&[CAMERA], Vec::new());
    fresh(&b, &[CAMERA]);
    let mut h = harness(&b);
    assert!(!h.state().boxes().is_on());
    h.get_by_label(&format!("tile {CAMERA}")).click_secondary();
    h.run_steps(2);
    click(&mut h, "Draw zones…");
    assert_eq!(h.state().zones().editing(), Some(CAMERA));
    fresh(&b, &[CAMERA]);
    h.run_steps(2);
    let tile = h
        .get_by_label(&format!("zone drawing area of {CAMERA}"))
        .rect();
    let pic = fit_rect(tile, [1280, 720]);
    let boxes = painted_boxes(&h);
    assert_eq!(boxes.len(), 1, "{boxes:?}");
    let want = pic.min + egui::vec2(0.375 * pic.width(), 0.75 * pic.height());
    assert!((boxes[0].center() - want).length() < 1.0);
}
