//! `vigil trigger-source …` through the real binary on a real library: sources added (with
//! a note while MQTT is off), listed as text and `--json` (also in `vigil mqtt show --json`),
//! removed, kept when MQTT is turned off; every refusal one sentence with nothing stored.

use crate::cli_mqtt::{ok, refused, show_json};
use crate::common::Vigil;

use serde_json::{json, Value};
use vigil_core::library::Library;

#[test]
fn trigger_sources_are_added_listed_and_removed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let v = Vigil::new(dir.path());
    v.add_demo_camera("front", &[]);
    v.add_demo_camera("yard", &[]);
    assert!(ok(&v, &["trigger-source", "list"]).starts_with("no trigger sources"));

    let said = ok(
        &v,
        &[
            "trigger-source",
            "add",
            "--camera",
            "front",
            "--name",
            "door",
            "--mqtt-topic",
            "zigbee2mqtt/front_door",
            "--when",
            "contact == false",
            "--hold",
            "1m30s",
        ],
    );
    assert_eq!(
        said,
        "added trigger source 'door' to camera 'front': topic zigbee2mqtt/front_door, \
         active when contact == false, ends on the opposite message or 1m30s after the last \
         active one\nsaved; MQTT is off: turn it on with `vigil mqtt set --broker mqtt://HOST:1883`\n"
    );
    ok(
        &v,
        &[
            "trigger-source",
            "add",
            "--camera",
            "yard",
            "--name",
            "gate",
            "--mqtt-topic",
            "site/+/gate",
            "--when",
            "ON",
        ],
    );
    // With MQTT on, no note.
    ok(&v, &["mqtt", "set", "--broker", "mqtt://127.0.0.1"]);
    let said = ok(
        &v,
        &[
            "trigger-source",
            "add",
            "--camera",
            "yard",
            "--name",
            "lux",
            "--mqtt-topic",
            "sensors/yard",
            "--when",
            "illuminance < 5",
            "--hold",
            "45",
        ],
    );
    assert!(!said.contains("MQTT is off"), "{said}");

    let listed: Value =
        serde_json::from_str(&ok(&v, &["trigger-source", "list", "--json"])).expect("JSON");
    let rows = listed.as_array().expect("an array");
    assert_eq!(rows.len(), 3, "{listed}");
    assert_eq!(
        rows[0],
        json!({
            "id": rows[0]["id"],
            "camera": "front",
            "name": "door",
            "mqtt_topic": "zigbee2mqtt/front_door",
            "when": "contact == false",
            "hold_s": 90.0,
        })
    );
    assert!(rows[0]["id"].is_i64());
    let names: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r["camera"].as_str().unwrap(), r["name"].as_str().unwrap()))
        .collect();
    assert_eq!(
        names,
        [("front", "door"), ("yard", "gate"), ("yard", "lux")]
    );
    assert_eq!(rows[1]["hold_s"], Value::Null);
    assert_eq!(rows[1]["when"], json!("ON"));
    assert_eq!(
        (rows[2]["when"].clone(), rows[2]["hold_s"].clone()),
        (json!("illuminance < 5"), json!(45.0))
    );
    assert_eq!(
        show_json(&v)["trigger_sources"],
        listed,
        "mqtt show lists them too"
    );

    let yard: Value = serde_json::from_str(&ok(
        &v,
        &["trigger-source", "list", "--camera", "yard", "--json"],
    ))
    .expect("JSON");
    assert_eq!(yard.as_array().map(Vec::len), Some(2));
    let text_list = ok(&v, &["trigger-source", "list", "--camera", "front"]);
    assert!(
        text_list.starts_with("front            door             topic zigbee2mqtt/front_door"),
        "{text_list}"
    );

    assert_eq!(
        ok(
            &v,
            &[
                "trigger-source",
                "remove",
                "--camera",
                "yard",
                "--name",
                "gate"
            ]
        ),
        "removed trigger source 'gate' from camera 'yard'\n"
    );
    let lib = Library::open(&v.data_dir).expect("library");
    let left: Vec<String> = lib
        .trigger_sources(None)
        .expect("rows")
        .into_iter()
        .map(|t| format!("{}/{}", t.camera, t.name))
        .collect();
    assert_eq!(left, ["front/door", "yard/lux"]);

    // Turning MQTT off keeps them.
    let said = ok(&v, &["mqtt", "off"]);
    assert!(said.contains("kept 2 trigger sources"), "{said}");
    assert_eq!(lib.trigger_sources(None).expect("rows").len(), 2);
}

#[test]
fn every_refusal_is_one_sentence_and_stores_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let v = Vigil::new(dir.path());
    v.add_demo_camera("front", &[]);
    let add = |name: &str, topic: &str, when: &str, hold: Option<&str>| {
        let mut args = vec!["trigger-source", "add", "--camera", "front"];
        args.extend_from_slice(&["--name", name, "--mqtt-topic", topic, "--when", when]);
        if let Some(h) = hold {
            args.extend_from_slice(&["--hold", h]);
        }
        v.run(&args)
    };
    let cases = [
        (
            "door",
            "a/#/b",
            "ON",
            None,
            "topic 'a/#/b' may use '#' only as its last level",
        ),
        (
            "door",
            "a/b+",
            "ON",
            None,
            "topic 'a/b+' may use '+' and '#' only as a whole level",
        ),
        ("door", "a", "== true", None, "'' is not a field name"),
        ("door", "a", "lux > dark", None, "'>' compares numbers"),
        (
            "door",
            "a",
            "contact ==",
            None,
            "has nothing to compare 'contact' with",
        ),
        (
            "door",
            "a",
            "ON",
            Some("soon"),
            "'soon' is not a duration; write it like 90s, 2m, 1h or 1h30m",
        ),
        (
            "door",
            "a",
            "ON",
            Some("2h"),
            "the hold must be between 0 and 3600 seconds",
        ),
        (
            "",
            "a",
            "ON",
            None,
            "trigger source name '' must be 1 to 64 printable characters",
        ),
    ];
    for (name, topic, when, hold, said) in cases {
        refused(&add(name, topic, when, hold), said);
    }
    let source = ["--name", "door", "--mqtt-topic", "a/b", "--when", "ON"];
    let mut args = vec!["trigger-source", "add", "--camera", "back"];
    args.extend_from_slice(&source);
    refused(&v.run(&args), "no camera named 'back'");
    let lib = Library::open(&v.data_dir).expect("library");
    assert!(
        lib.trigger_sources(None).expect("rows").is_empty(),
        "nothing was added"
    );

    ok(
        &v,
        &[&["trigger-source", "add", "--camera", "front"][..], &source].concat(),
    );
    refused(
        &add("door", "a/b", "ON", None),
        "camera 'front' already has a trigger source named 'door'",
    );
    let remove = [
        "trigger-source",
        "remove",
        "--camera",
        "front",
        "--name",
        "gate",
    ];
    refused(
        &v.run(&remove),
        "camera 'front' has no trigger source named 'gate'",
    );
    refused(
        &v.run(&["trigger-source", "list", "--camera", "back"]),
        "no camera named 'back'",
    );
    assert_eq!(lib.trigger_sources(None).expect("rows").len(), 1);
}
