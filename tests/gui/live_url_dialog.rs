//! The camera dialog's live sub-stream URL: stored with the camera's login, shown without
//! it, removed when emptied (a real configuration store on a library in a temp dir).

use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;

use crate::frames::settle;
use crate::setup::{click, nodes_showing, setup, store, stored, tile_menu, type_into, value_of};
use vigil_app::backend::FixedBackend;

#[test]
fn a_live_sub_stream_url_is_saved_with_the_cameras_login_and_shown_without_it() {
    const LIVE: &str = "Live sub-stream URL (optional)";
    let (_dir, backend, mut h) = setup(&[("yard", "rtsp://admin:s3cr3t@10.0.0.5/main")]);
    let id = stored(&backend, "yard").expect("yard").camera.id;
    let live_url = |b: &FixedBackend| {
        store(b)
            .live_url(id, None)
            .wait()
            .expect("an answer")
            .expect("live URL")
    };
    tile_menu(&mut h, "yard", "Edit camera…");
    settle(&mut h, 2);
    assert_eq!(value_of(&h, LIVE), "");
    h.get_by_label_contains("when it is empty, the detect sub-stream serves them");
    type_into(&mut h, LIVE, "rtsp://10.0.0.5/stream2");
    click(&mut h, "Save");
    assert_eq!(
        live_url(&backend).as_deref(),
        Some("rtsp://admin:s3cr3t@10.0.0.5/stream2"),
        "stored with the camera's login"
    );

    // Edited again: shown without its login; emptied, it is removed.
    tile_menu(&mut h, "yard", "Edit camera…");
    settle(&mut h, 2);
    assert_eq!(value_of(&h, LIVE), "rtsp://10.0.0.5/stream2");
    assert_eq!(nodes_showing(&h, "s3cr3t"), 0);
    h.get_by_label(LIVE).click();
    h.run_steps(1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.key_press_modifiers(Modifiers::NONE, Key::Backspace);
    h.run_steps(2);
    assert_eq!(value_of(&h, LIVE), "");
    click(&mut h, "Save");
    assert_eq!(live_url(&backend), None, "removed");
}
