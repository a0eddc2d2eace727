//! The zone-editing session against a real configuration store: pointer actions on a
//! letterboxed picture, saving new and edited zones, refusals in words, removal. The
//! store's jobs are polled as frames would, until they answer.

use std::sync::Arc;
use std::time::{Duration, Instant};

use egui::{pos2, Pos2, Rect, Vec2};

use super::{PictureMap, ZoneEditor};
use vigil_core::detect::{Polygon, ZoneKind, ZoneSpec};
use vigil_core::model::{CameraName, NewCamera, Policy, Transport};
use vigil_core::service::{ConfigStore, Job};

/// The answer of a store's job (the test's thread may wait; a frame never does).
fn wait<T: Send + 'static>(job: Job<T>) -> T {
    job.wait().expect("an answer")
}

fn store() -> (tempfile::TempDir, ConfigStore, i64) {
    let dir = tempfile::tempdir().unwrap();
    let store = ConfigStore::open(dir.path(), Arc::new(|| {})).unwrap();
    let cam = NewCamera {
        name: CameraName::parse("yard").unwrap(),
        url: "demo://".into(),
        detect_url: None,
        transport: Transport::Tcp,
        enabled: true,
        audio: false,
    };
    let id = wait(store.add_camera(cam, Policy::default(), None))
        .unwrap()
        .id;
    (dir, store, id)
}

/// An editing session on "yard", as the app opens one.
fn open(store: &ConfigStore) -> ZoneEditor {
    let read = wait(store.zones("yard", None)).unwrap();
    ZoneEditor::new("yard", read, None)
}

/// Polls the editor as frames would until its change is stored (20 s at most).
fn settle(ed: &mut ZoneEditor, store: &ConfigStore) {
    let deadline = Instant::now() + Duration::from_secs(20);
    ed.poll(store);
    while ed.is_busy() {
        assert!(Instant::now() < deadline, "the change answered within 20 s");
        std::thread::sleep(Duration::from_millis(2));
        ed.poll(store);
    }
}

/// A 16:9 picture letterboxed in an 800 × 800 tile: 800 × 450 starting at y = 175.
fn map() -> PictureMap {
    let tile = Rect::from_min_size(Pos2::ZERO, Vec2::splat(800.0));
    PictureMap::for_tile(tile, None, [1280, 720])
}

fn at(x: f32, y: f32) -> Pos2 {
    map().to_screen((x, y))
}

fn stored(store: &ConfigStore) -> Vec<ZoneSpec> {
    wait(store.camera("yard", None)).unwrap().zones
}

#[test]
fn clicks_draw_a_zone_that_is_saved_with_normalized_points() {
    let (_dir, store, _) = store();
    let mut ed = open(&store);
    let m = map();
    ed.click(&m, pos2(100.0, 50.0));
    assert!(
        ed.draft().is_none(),
        "a click on the letterbox bar does nothing"
    );
    for (x, y) in [(0.1, 0.2), (0.6, 0.2), (0.6, 0.8), (0.1, 0.8)] {
        ed.click(&m, at(x, y));
    }
    ed.click(&m, at(0.1, 0.2) + Vec2::new(3.0, -2.0));
    assert!(ed.draft().unwrap().is_closed(), "the first point closes");
    ed.save(&store);
    settle(&mut ed, &store);
    assert_eq!(ed.message(), Some("give the zone a name"));
    assert!(stored(&store).is_empty());
    ed.draft_mut().unwrap().name = "gate".into();
    ed.save(&store);
    settle(&mut ed, &store);
    assert_eq!(ed.message(), None);
    assert_eq!(ed.notice(), Some("saved zone gate"));
    let zones = stored(&store);
    assert_eq!(zones.len(), 1);
    assert_eq!(ed.zones()[0].polygon, zones[0].polygon);
    let want = [(0.1, 0.2), (0.6, 0.2), (0.6, 0.8), (0.1, 0.8)];
    for (got, want) in zones[0].polygon.points().iter().zip(want) {
        assert!((got.0 - want.0).abs() < 1e-4 && (got.1 - want.1).abs() < 1e-4);
    }
}

#[test]
fn a_stored_zone_is_edited_by_dragging_and_right_clicking_its_points() {
    let (_dir, store, cam) = store();
    let square = Polygon::parse("0.2,0.2 0.4,0.2 0.4,0.4 0.3,0.5 0.2,0.4").unwrap();
    let zone = ZoneSpec::new(0, "path", ZoneKind::Mask, square);
    let zone = wait(store.save_zone(cam, zone, None)).unwrap().zone;
    let mut ed = open(&store);
    let m = map();
    // Drag point 3 (0.4,0.4) to (0.5,0.6), grabbed 2 px off its centre.
    let grab = at(0.4, 0.4) + Vec2::new(2.0, 0.0);
    ed.drag_start(&m, grab);
    assert_eq!(
        ed.draft().unwrap().id,
        zone.id,
        "grabbing a point edits its zone"
    );
    ed.drag_to(&m, at(0.5, 0.6) + Vec2::new(2.0, 0.0));
    ed.drag_end();
    ed.secondary_click(&m, at(0.3, 0.5));
    assert_eq!(ed.draft().unwrap().points().len(), 4);
    ed.save(&store);
    settle(&mut ed, &store);
    let zones = stored(&store);
    assert_eq!(zones.len(), 1);
    assert_eq!((zones[0].id, zones[0].kind), (zone.id, ZoneKind::Mask));
    let p = zones[0].polygon.points();
    assert!(
        (p[2].0 - 0.5).abs() < 1e-4 && (p[2].1 - 0.6).abs() < 1e-4,
        "{p:?}"
    );

    // Select a point and press Delete; then remove the zone.
    ed.click(&m, at(0.2, 0.4));
    assert_eq!(ed.draft().unwrap().selected(), Some(3));
    ed.delete_selected();
    assert_eq!(ed.draft().unwrap().points().len(), 3);
    ed.delete_selected();
    assert!(ed.message().unwrap().starts_with("select a point first"));
    ed.remove(&store, "path");
    settle(&mut ed, &store);
    assert!(ed.draft().is_none(), "the removed zone's draft goes too");
    assert!(stored(&store).is_empty() && ed.zones().is_empty());
}

#[test]
fn invalid_outlines_and_duplicate_names_are_refused_in_words() {
    let (_dir, store, cam) = store();
    let tri = Polygon::parse("0.7,0.7 0.9,0.7 0.9,0.9").unwrap();
    let gate = ZoneSpec::new(0, "gate", ZoneKind::Detect, tri);
    wait(store.save_zone(cam, gate, None)).unwrap();
    let mut ed = open(&store);
    let m = map();
    ed.new_zone();
    ed.click(&m, at(0.1, 0.1));
    ed.click(&m, at(0.3, 0.1));
    ed.close_outline();
    assert_eq!(
        ed.message(),
        Some("a zone needs at least 3 points; it has 2 — click on the picture to add more")
    );
    ed.click(&m, at(0.3, 0.3));
    ed.click(&m, at(0.1, 0.3));
    ed.draft_mut().unwrap().name = "gate".into();
    ed.save(&store);
    settle(&mut ed, &store);
    assert_eq!(
        ed.message(),
        Some("cannot save zone gate: this camera already has a zone named 'gate'")
    );
    // A bow tie: closing already says what is wrong.
    ed.new_zone();
    for (x, y) in [(0.1, 0.1), (0.4, 0.4), (0.4, 0.1), (0.1, 0.4)] {
        ed.click(&m, at(x, y));
    }
    ed.click(&m, at(0.1, 0.1));
    let msg = ed.message().unwrap_or_default().to_string();
    assert!(msg.starts_with("the polygon crosses itself"), "{msg}");
    ed.draft_mut().unwrap().name = "bow".into();
    ed.save(&store);
    settle(&mut ed, &store);
    assert_eq!(ed.message(), Some(msg.as_str()));
    assert_eq!(stored(&store).len(), 1, "nothing more stored");
    // Sensitivity from the list's slider: in memory while dragged, stored at the end.
    let id = ed.zones()[0].id;
    ed.set_sensitivity(id, 90, None);
    assert_eq!(stored(&store)[0].sensitivity, 50);
    ed.set_sensitivity(id, 90, Some(&store));
    settle(&mut ed, &store);
    assert_eq!(stored(&store)[0].sensitivity, 90);
}
