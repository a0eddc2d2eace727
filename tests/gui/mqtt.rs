//! MQTT in the desktop app, driven headless with egui_kittest on a real library: the "MQTT…"
//! window sets the broker (the password stored, never shown, kept when the field is left
//! blank, removed with its box), refuses bad input under the field, and turns MQTT off; the
//! policy editor lists, adds (with the condition explained as it is typed) and removes a
//! camera's trigger sources. Every test asserts on what the library holds.

use crate::setup::{
    click, is_disabled, nodes_showing, setup, store, tile_menu, type_into, value_of,
};

use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;

use vigil_app::VigilApp;
use vigil_core::library::Library;
use vigil_core::model::{Broker, MqttSettings, TriggerSource};

const PASSWORD: &str = "brok3r-s3cret-pw";
const NEW_PASSWORD: &str = "an0ther-br0ker-pw";

/// The MQTT settings as the library on disk holds them.
fn stored_mqtt(dir: &tempfile::TempDir) -> Option<MqttSettings> {
    let lib = Library::open(dir.path()).expect("library");
    lib.mqtt_settings().expect("MQTT settings")
}

fn stored_sources(dir: &tempfile::TempDir) -> Vec<TriggerSource> {
    let lib = Library::open(dir.path()).expect("library");
    lib.trigger_sources(None).expect("trigger sources")
}

/// Empties a field: selects what it holds and deletes it.
fn clear_field(h: &mut Harness<'_, VigilApp>, label: &str) {
    h.get_by_label(label).click();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.key_press(egui::Key::Backspace);
    h.run_steps(4);
    assert_eq!(value_of(h, label), "", "{label} emptied");
}

fn open_mqtt(h: &mut Harness<'_, VigilApp>) {
    click(h, "MQTT…");
    h.get_by_label("MQTT settings");
}

#[test]
fn mqtt_is_set_in_its_window_and_the_password_is_stored_but_never_shown() {
    let (dir, backend, mut h) = setup(&[("yard", "demo://")]);
    open_mqtt(&mut h);
    h.get_by_label("MQTT is off. Fill in the broker and save to turn it on.");
    h.get_by_label("Cannot save yet: give the broker's address, e.g. mqtt://192.168.1.5:1883");
    assert!(is_disabled(&h, "Save") && is_disabled(&h, "Turn MQTT off"));
    assert_eq!(value_of(&h, "Topic prefix"), "vigil");

    type_into(&mut h, "Broker", "tcp://10.0.0.5");
    let said = "broker 'tcp://10.0.0.5' must start with mqtt:// or mqtts://";
    h.get_by_label(said);
    h.get_by_label(&format!("Cannot save yet: {said}"));
    type_into(&mut h, "Broker", "mqtt://127.0.0.1:1999");
    type_into(&mut h, "Password", PASSWORD);
    h.get_by_label("a password needs a user: fill in the user");
    assert!(is_disabled(&h, "Save"));
    type_into(&mut h, "User", "nvr");
    type_into(&mut h, "Topic prefix", "site/#");
    h.get_by_label(
        "topic prefix 'site/#' must be 1 to 64 characters without '+', '#', or a '/' at either end",
    );
    type_into(&mut h, "Topic prefix", "site/a");
    click(&mut h, "Publish Home Assistant discovery");
    assert_eq!(nodes_showing(&h, PASSWORD), 0, "the password is masked");
    assert!(!is_disabled(&h, "Save"));
    click(&mut h, "Save");

    let s = stored_mqtt(&dir).expect("MQTT is on");
    assert_eq!(s.broker, Broker::parse("mqtt://127.0.0.1:1999").unwrap());
    assert_eq!(s.user.as_deref(), Some("nvr"));
    assert_eq!(s.password.as_deref(), Some(PASSWORD));
    assert_eq!(
        (s.client_id.as_str(), s.topic_prefix.as_str()),
        ("vigil", "site/a")
    );
    assert!(!s.ha_discovery);
    assert!(
        h.query_by_label("MQTT settings").is_none(),
        "the window closed"
    );
    h.get_by_label_contains("saved the MQTT settings (broker mqtt://127.0.0.1:1999)");

    // Opened again: the stored settings, the password not in its field; blank keeps it.
    open_mqtt(&mut h);
    h.get_by_label("MQTT is on; a running recorder uses these settings.");
    assert_eq!(value_of(&h, "Broker"), "mqtt://127.0.0.1:1999");
    assert_eq!(value_of(&h, "User"), "nvr");
    assert_eq!(
        value_of(&h, "Password"),
        "",
        "the stored password is not loaded"
    );
    assert_eq!(nodes_showing(&h, PASSWORD), 0);
    type_into(&mut h, "Client id", "nvr-1");
    // Meanwhile another client (e.g. `vigil mqtt set`) changes the password.
    let mut elsewhere = stored_mqtt(&dir).expect("on");
    elsewhere.password = Some(NEW_PASSWORD.into());
    let answer = store(&backend).set_mqtt_settings(elsewhere, None).wait();
    answer.expect("an answer").expect("set");
    click(&mut h, "Save");
    let s = stored_mqtt(&dir).expect("on");
    assert_eq!(s.client_id, "nvr-1");
    assert_eq!(
        s.password.as_deref(),
        Some(NEW_PASSWORD),
        "a blank field keeps the password stored when saving"
    );
    assert_eq!(nodes_showing(&h, NEW_PASSWORD), 0);

    // A stored password without a user is refused, with the way out.
    open_mqtt(&mut h);
    clear_field(&mut h, "User");
    h.get_by_label(
        "a password needs a user: fill in the user, or tick \"Remove the stored password\"",
    );
    assert!(is_disabled(&h, "Save"));
    click(&mut h, "Remove the stored password");
    assert!(is_disabled(&h, "Password"));
    click(&mut h, "Save");
    let s = stored_mqtt(&dir).expect("on");
    assert_eq!((s.user, s.password), (None, None));

    open_mqtt(&mut h);
    click(&mut h, "Turn MQTT off");
    h.get_by_label_contains("Turn MQTT off? The broker settings and its password are forgotten");
    click(&mut h, "Keep it on");
    assert!(stored_mqtt(&dir).is_some(), "still on");
    assert!(h.query_by_label_contains("Turn MQTT off?").is_none());
    click(&mut h, "Turn MQTT off");
    click(&mut h, "Yes, turn MQTT off");
    assert_eq!(stored_mqtt(&dir), None);
    h.get_by_label("MQTT is off");
    assert!(h.query_by_label("MQTT settings").is_none());
}

#[test]
fn cancel_and_escape_store_nothing() {
    let (dir, _backend, mut h) = setup(&[]);
    open_mqtt(&mut h);
    type_into(&mut h, "Broker", "mqtts://broker.lan");
    click(&mut h, "Cancel");
    assert!(h.query_by_label("MQTT settings").is_none());
    open_mqtt(&mut h);
    assert_eq!(
        value_of(&h, "Broker"),
        "",
        "nothing was kept from the cancelled window"
    );
    type_into(&mut h, "Broker", "mqtts://broker.lan");
    h.key_press(egui::Key::Escape);
    h.run_steps(2);
    assert!(h.query_by_label("MQTT settings").is_none());
    assert_eq!(stored_mqtt(&dir), None, "nothing was stored");
}

#[test]
fn trigger_sources_are_added_and_removed_in_the_policy_editor() {
    let (dir, backend, mut h) = setup(&[("yard", "demo://")]);
    // Tall enough to show the whole editor without scrolling (kittest clicks where a widget is).
    h.set_size(egui::vec2(1100.0, 1500.0));
    h.run_steps(2);
    tile_menu(&mut h, "yard", "Recording policy…");
    h.get_by_label("Trigger sources");
    h.get_by_label("None yet.");
    h.get_by_label("MQTT is off: these wait until it is turned on (MQTT… in the top bar).");
    assert!(is_disabled(&h, "Add trigger source"));

    type_into(&mut h, "Trigger name", "door");
    type_into(&mut h, "MQTT topic", "zigbee2mqtt/front_door");
    type_into(&mut h, "Condition", "lux > dark");
    h.get_by_label("'>' compares numbers; 'dark' is not a number");
    assert!(is_disabled(&h, "Add trigger source"));
    type_into(&mut h, "Condition", "contact == false");
    h.get_by_label(
        "parses as: active when the JSON field 'contact' is false; the opposite ends the \
         event, and messages without the field are ignored",
    );
    type_into(&mut h, "Hold", "2h");
    h.get_by_label("the hold must be between 0 and 3600 seconds");
    assert!(is_disabled(&h, "Add trigger source"));
    type_into(&mut h, "Hold", "30s");
    click(&mut h, "Add trigger source");

    let rows = stored_sources(&dir);
    assert_eq!(rows.len(), 1);
    let door = &rows[0];
    assert_eq!((door.camera.as_str(), door.name.as_str()), ("yard", "door"));
    assert_eq!(door.topic, "zigbee2mqtt/front_door");
    assert_eq!(door.when.as_text(), "contact == false");
    assert_eq!(door.hold_s, Some(30.0));
    h.get_by_label("added trigger source 'door'");
    h.get_by_label("active when contact == false; ends on the opposite message or 30s after");
    h.get_by_label(
        "While recording is 'continuous', their events are listed but make no clips; \
         choose events or both for clips.",
    );
    click(&mut h, "events");
    assert!(h.query_by_label_contains("make no clips").is_none());
    click(&mut h, "continuous");
    assert_eq!(value_of(&h, "Trigger name"), "", "the form is cleared");

    // A name the camera has is refused under the field.
    type_into(&mut h, "Trigger name", "door");
    h.get_by_label("this camera already has a trigger source named 'door'");
    type_into(&mut h, "Trigger name", "bell");
    type_into(&mut h, "MQTT topic", "doorbell/+/press");
    type_into(&mut h, "Condition", "ON");
    h.get_by_label_contains("parses as: active when the whole message is 'ON'");
    click(&mut h, "Add trigger source");
    let names: Vec<String> = stored_sources(&dir).into_iter().map(|t| t.name).collect();
    assert_eq!(names, ["bell", "door"]);

    // Remove door (listed second, by name); Cancel does not undo it.
    let removes: Vec<_> = h.query_all_by_label("Remove").collect();
    assert_eq!(removes.len(), 2);
    removes[1].click();
    h.run_steps(4);
    crate::frames::settle(&mut h, 1);
    h.get_by_label("removed trigger source 'door'");
    click(&mut h, "Cancel");
    let left = stored_sources(&dir);
    assert_eq!(left.len(), 1);
    assert_eq!((left[0].name.as_str(), left[0].hold_s), ("bell", None));
    assert_eq!(left[0].topic, "doorbell/+/press");

    // With MQTT on, the editor does not warn.
    let settings = MqttSettings::new(Broker::parse("mqtt://127.0.0.1").unwrap());
    let s = store(&backend);
    s.set_mqtt_settings(settings, None)
        .wait()
        .expect("answer")
        .expect("set");
    tile_menu(&mut h, "yard", "Recording policy…");
    h.get_by_label("bell");
    assert!(h.query_by_label_contains("MQTT is off").is_none());
}
