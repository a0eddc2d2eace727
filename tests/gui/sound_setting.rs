//! "Record sound" (issue 18) driven like an operator would: off by default with its legal
//! note, ticked in the add-camera dialog, and switched off again in the policy editor; each
//! time the real configuration store holds what was chosen.

use egui_kittest::kittest::Queryable;

use crate::setup::{click, setup, stored, tile_menu, type_into};

const NOTE: &str = "Recording sound may be restricted by law where this camera is.";

#[test]
fn record_sound_is_off_by_default_and_ticking_it_saves_the_camera_with_sound() {
    let (_dir, backend, mut h) = setup(&[("sndgui-yard", "demo://")]);
    click(&mut h, "+ Add camera");
    h.get_by_label("Add camera");
    h.get_by_label(NOTE);
    type_into(&mut h, "Name", "sndgui-door");
    type_into(&mut h, "URL", "rtsp://10.0.0.7/stream1");
    click(&mut h, "Record sound");
    click(&mut h, "Save");
    let added = stored(&backend, "sndgui-door").expect("stored").camera;
    assert!(
        added.audio,
        "the ticked box stored the camera with sound on"
    );
    // The camera added before, untouched, kept the default: off.
    let other = stored(&backend, "sndgui-yard").expect("stored").camera;
    assert!(!other.audio, "sound is off unless ticked");

    // The policy editor shows the setting as stored and turns it off.
    tile_menu(&mut h, "sndgui-yard", "Recording policy…");
    h.get_by_label(NOTE);
    click(&mut h, "Record sound");
    click(&mut h, "Save");
    let yard = stored(&backend, "sndgui-yard").expect("stored").camera;
    assert!(yard.audio, "the policy editor stored sound on");
    tile_menu(&mut h, "sndgui-yard", "Recording policy…");
    click(&mut h, "Record sound");
    click(&mut h, "Save");
    let yard = stored(&backend, "sndgui-yard").expect("stored").camera;
    assert!(!yard.audio, "and off again");
}
