//! Home Assistant MQTT discovery: the retained documents under `homeassistant/` that make
//! each camera appear as a device with a motion binary sensor, a recording binary sensor, a
//! last-event sensor, a recording switch and a camera entity showing the last event's
//! snapshot; an empty retained payload on each removes them when the camera goes away.

use serde_json::{json, Value};

use super::publish::Topics;

/// The discovery prefix Home Assistant listens on by default.
pub const DISCOVERY_PREFIX: &str = "homeassistant";

/// `(config topic, document)` of every entity of `camera` (its identifier, which topics
/// and ids use), on a device named `display` (the name people see).
pub fn documents(
    topics: &Topics,
    client_id: &str,
    camera: &str,
    display: &str,
) -> Vec<(String, Value)> {
    let node = format!("vigil_{camera}");
    let avail = topics.available();
    let device = json!({
        "identifiers": [format!("vigil_{client_id}_{camera}")],
        "name": display,
        "manufacturer": "Vigil",
        "model": "Vigil NVR camera",
    });
    let unique = |what: &str| format!("vigil_{client_id}_{camera}_{what}");
    let common = |name: &str, what: &str| {
        json!({
            "name": name,
            "unique_id": unique(what),
            "object_id": format!("{camera}_{what}"),
            "availability_topic": avail,
            "payload_available": "online",
            "payload_not_available": "offline",
            "qos": 1,
            "device": device,
        })
    };
    let mut out = Vec::new();
    let mut add = |component: &str, what: &str, mut doc: Value, extra: Value| {
        if let (Some(d), Some(e)) = (doc.as_object_mut(), extra.as_object()) {
            d.extend(e.clone());
        }
        out.push((
            format!("{DISCOVERY_PREFIX}/{component}/{node}/{what}/config"),
            doc,
        ));
    };
    add(
        "binary_sensor",
        "motion",
        common("Motion", "motion"),
        json!({
            "state_topic": topics.camera(camera, "motion"),
            "payload_on": "ON",
            "payload_off": "OFF",
            "device_class": "motion",
        }),
    );
    add(
        "binary_sensor",
        "recording",
        common("Recording", "recording"),
        json!({
            "state_topic": topics.camera(camera, "recording"),
            "payload_on": "ON",
            "payload_off": "OFF",
            "device_class": "running",
        }),
    );
    add(
        "sensor",
        "last_event",
        common("Last event", "last_event"),
        json!({
            "state_topic": topics.camera(camera, "last_event"),
            "value_template": "{{ value_json.label }}",
            "json_attributes_topic": topics.camera(camera, "last_event"),
            "icon": "mdi:cctv",
        }),
    );
    add(
        "switch",
        "recording",
        common("Recording enabled", "recording_enabled"),
        json!({
            "command_topic": topics.camera(camera, "recording/set"),
            "state_topic": topics.camera(camera, "recording/state"),
            "payload_on": "ON",
            "payload_off": "OFF",
        }),
    );
    add(
        "camera",
        "snapshot",
        common("Last event snapshot", "snapshot"),
        json!({ "topic": topics.camera(camera, "snapshot") }),
    );
    out
}

/// The config topics of `camera`'s entities (to remove them).
pub fn config_topics(topics: &Topics, client_id: &str, camera: &str) -> Vec<String> {
    documents(topics, client_id, camera, camera)
        .into_iter()
        .map(|(t, _)| t)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_camera_gets_a_motion_sensor_tied_to_availability_and_its_device() {
        let docs = documents(&Topics::new("vigil"), "vigil", "front", "front");
        let (topic, motion) = &docs[0];
        assert_eq!(
            topic,
            "homeassistant/binary_sensor/vigil_front/motion/config"
        );
        assert_eq!(motion["state_topic"], "vigil/front/motion");
        assert_eq!(motion["availability_topic"], "vigil/available");
        assert_eq!(motion["device_class"], "motion");
        assert_eq!(motion["device"]["name"], "front");
        let ids: std::collections::BTreeSet<_> = docs
            .iter()
            .map(|(_, d)| d["unique_id"].to_string())
            .collect();
        assert_eq!(ids.len(), docs.len(), "unique ids");
        let switch = docs
            .iter()
            .find(|(t, _)| t.starts_with("homeassistant/switch/"))
            .expect("switch");
        assert_eq!(switch.1["command_topic"], "vigil/front/recording/set");
        assert_eq!(switch.1["state_topic"], "vigil/front/recording/state");
    }

    #[test]
    fn a_korean_camera_is_named_in_korean_and_reached_by_its_id() {
        let docs = documents(&Topics::new("vigil"), "vigil", "jeongmun", "정문");
        let (topic, motion) = &docs[0];
        assert_eq!(
            topic,
            "homeassistant/binary_sensor/vigil_jeongmun/motion/config"
        );
        assert_eq!(motion["device"]["name"], "정문");
        assert_eq!(motion["state_topic"], "vigil/jeongmun/motion");
        assert!(docs
            .iter()
            .all(|(t, d)| t.is_ascii() && d["unique_id"].as_str().is_some_and(str::is_ascii)));
    }
}
