//! MQTT against a real Mosquitto broker: a door contact's message makes one event with a clip
//! around it and the opposite message ends it; Vigil's availability (online, and offline by
//! the last will when it is killed), its events feed, motion states, Home Assistant discovery
//! documents and its commands (`trigger`, `recording/set`). The broker's side (a wrong
//! password, the broker restarting, TLS, a camera removed) is in `mqtt_broker.rs`.

use crate::common;

use std::time::Duration;

use common::mqtt::{Message, Mosquitto, Subscriber};
use common::{assert_files_match_rows, ffprobe, wait_until, Vigil};
use vigil_core::engine::status::ConnState;
use vigil_core::engine::EngineOptions;
use vigil_core::host::{EngineHost, HostOptions};
use vigil_core::library::{Library, SegmentQuery};
use vigil_core::model::{
    Broker, MqttSettings, NewTriggerSource, Policy, RecordMode, TriggerCondition,
};

const DOOR_TOPIC: &str = "zigbee2mqtt/front_door";

pub(crate) fn now_us() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_micros() as i64)
        .unwrap_or(0)
}

pub(crate) fn settings(broker: &Mosquitto) -> MqttSettings {
    MqttSettings::new(Broker::parse(&broker.url()).expect("broker url"))
}

/// Stores the broker and a door contact on `camera` in the library.
fn configure(dir: &std::path::Path, s: &MqttSettings, camera: &str) {
    let mut lib = Library::open(dir).expect("library");
    lib.set_mqtt_settings(s).expect("mqtt settings");
    let camera_id = lib.camera_by_name(camera).expect("camera").id;
    lib.add_trigger_source(&NewTriggerSource {
        camera_id,
        name: "door".into(),
        topic: DOOR_TOPIC.into(),
        when: TriggerCondition::parse("contact == false").expect("condition"),
        hold_s: None,
    })
    .expect("trigger source");
}

pub(crate) fn events(vigil: &Vigil) -> Vec<serde_json::Value> {
    serde_json::from_str(&vigil.ok(&["events", "--json"])).expect("events JSON")
}

fn is_type(m: &Message, kind: &str) -> bool {
    m.json()["type"] == kind && m.json()["label"] == "door"
}

#[test]
fn a_door_message_makes_one_event_with_a_clip_and_vigil_tells_the_broker() {
    let broker = Mosquitto::start();
    let dir = tempfile::tempdir().expect("dir");
    let vigil = Vigil::new(dir.path());
    let policy = [
        "--record",
        "events",
        "--pre-event",
        "4s",
        "--post-event",
        "2s",
    ];
    vigil.add_demo_camera("front", &policy);
    vigil.mask_everything("front");
    configure(dir.path(), &settings(&broker), "front");
    let sub = broker.subscribe(&["vigil/#", "homeassistant/#"]);
    let mut child = vigil.spawn(&["run", "--for", "120s"]);
    let long = Duration::from_secs(20);
    assert!(
        sub.wait_for("vigil/available", long, |m| m.text() == "online")
            .is_some(),
        "Vigil said it is online"
    );
    check_discovery(&sub);
    // A late subscriber gets the retained availability.
    let late = broker.subscribe(&["vigil/available"]);
    let retained = late
        .wait_for("vigil/available", long, |_| true)
        .expect("retained availability");
    assert!(retained.retained && retained.text() == "online");

    // A deliberate wait: the camera connects and the 4-s pre-event buffer fills.
    std::thread::sleep(Duration::from_secs(8));
    let door = open_and_close_the_door(&broker, &sub);
    assert!(
        wait_until(long, || !vigil.recordings().is_empty()),
        "the clip was finished and indexed"
    );
    // SIGKILL: no goodbye, so the broker publishes the last will.
    child.kill().expect("kill vigil");
    let _ = child.wait();
    assert!(
        sub.wait_for("vigil/available", long, |m| m.text() == "offline")
            .is_some(),
        "the last will said offline"
    );
    check_event_and_clip(&vigil, &door);
}

/// The event as the feed told it: its id, start and end.
struct Door {
    id: i64,
    start_us: i64,
    end: serde_json::Value,
}

/// The discovery documents of camera `front` and its recording state.
fn check_discovery(sub: &Subscriber) {
    let long = Duration::from_secs(20);
    let motion_doc = sub
        .wait_for(
            "homeassistant/binary_sensor/vigil_front/motion/config",
            long,
            |m| !m.payload.is_empty(),
        )
        .expect("the motion sensor's discovery document");
    let doc = motion_doc.json();
    assert_eq!(doc["state_topic"], "vigil/front/motion");
    assert_eq!(doc["availability_topic"], "vigil/available");
    assert_eq!(doc["device_class"], "motion");
    assert_eq!(doc["device"]["name"], "front");
    for topic in [
        "homeassistant/sensor/vigil_front/last_event/config",
        "homeassistant/switch/vigil_front/recording/config",
    ] {
        assert!(
            sub.wait_for(topic, long, |m| !m.payload.is_empty())
                .is_some(),
            "{topic}"
        );
    }
    assert!(
        sub.wait_for("vigil/front/recording/state", long, |m| m.text() == "ON")
            .is_some(),
        "recording is not paused"
    );
}

/// Opens the door (twice: the repeat starts nothing), closes it, and checks the feed's
/// `new` and `end` documents and the last event.
fn open_and_close_the_door(broker: &Mosquitto, sub: &Subscriber) -> Door {
    let long = Duration::from_secs(20);
    let before = now_us();
    broker.publish(DOOR_TOPIC, r#"{"contact":false,"battery":97}"#);
    let new = sub
        .wait_for("vigil/events", long, |m| is_type(m, "new"))
        .expect("the events feed announced the door event");
    let after = now_us();
    broker.publish(DOOR_TOPIC, r#"{"contact":false,"battery":97}"#);
    std::thread::sleep(Duration::from_secs(2));
    broker.publish(DOOR_TOPIC, r#"{"contact":true,"battery":97}"#);
    let end = sub
        .wait_for("vigil/events", long, |m| is_type(m, "end"))
        .expect("the events feed announced its end");
    let (new, end) = (new.json(), end.json());
    let fields = [
        "id",
        "camera",
        "source",
        "label",
        "zone",
        "start_us",
        "end_us",
        "has_snapshot",
        "thumbnail",
    ];
    for field in fields {
        assert!(new.get(field).is_some(), "{field} in {new}");
    }
    assert_eq!(new["camera"], "front");
    assert_eq!(new["source"], "external");
    assert_eq!(new["end_us"], serde_json::Value::Null);
    assert_eq!(end["id"], new["id"]);
    let id = new["id"].as_i64().expect("id");
    assert!(
        sub.on("vigil/events")
            .iter()
            .any(|m| is_type(m, "update") && m.json()["id"] == id),
        "an update said the event's clip began"
    );
    assert_eq!(
        new["thumbnail"].as_str(),
        Some(format!("/api/events/{id}/thumbnail.jpg").as_str())
    );
    let start_us = new["start_us"].as_i64().expect("start");
    assert!(
        (before..=after).contains(&start_us),
        "starts at the message"
    );
    let last = sub
        .wait_for("vigil/front/last_event", long, |m| m.json()["id"] == id)
        .expect("last event");
    assert_eq!(last.json()["label"], "door");
    Door { id, start_us, end }
}

/// One event row (external, door) as the feed told it, and one clip around it.
fn check_event_and_clip(vigil: &Vigil, door: &Door) {
    let evs = events(vigil);
    assert_eq!(evs.len(), 1, "one event: {evs:?}");
    assert_eq!(
        (evs[0]["source"].as_str(), evs[0]["label"].as_str()),
        (Some("external"), Some("door"))
    );
    assert_eq!(evs[0]["id"].as_i64(), Some(door.id));
    assert_eq!(evs[0]["end_us"], door.end["end_us"]);
    let clips = vigil.recordings();
    assert_eq!(clips.len(), 1, "one clip: {clips:?}");
    let clip = &clips[0];
    assert_eq!(clip["event_id"].as_i64(), Some(door.id));
    let c_start = clip["start_us"].as_i64().unwrap_or(0);
    assert!(
        c_start <= door.start_us - 2_000_000,
        "the clip begins {} s before the message",
        (door.start_us - c_start) as f64 / 1e6
    );
    let p = ffprobe(clip["path"].as_str().unwrap_or(""));
    assert_eq!(p.codec, "h264");
    assert!(p.frames > 0);
    assert_files_match_rows(vigil);
}

/// 2-s continuous segments and event clips (the demo scene moves: motion events come).
pub(crate) fn both() -> Policy {
    Policy {
        mode: RecordMode::Both,
        segment_s: 2,
        pre_event_s: 1,
        post_event_s: 1,
        ..Policy::default()
    }
}

pub(crate) fn start_host(dir: &std::path::Path) -> EngineHost {
    EngineHost::start_with(HostOptions {
        engine: EngineOptions::new(dir.to_path_buf()),
        api: None,
        web: None,
    })
    .expect("host")
}

pub(crate) fn segments(lib: &Library) -> usize {
    lib.segments(&SegmentQuery::default())
        .expect("segments")
        .len()
}

pub(crate) fn mode(host: &EngineHost, camera: &str) -> Option<RecordMode> {
    host.status()
        .cameras
        .iter()
        .find(|c| c.name == camera && c.conn == ConnState::Connected)
        .and_then(|c| c.mode)
}

#[test]
fn commands_pause_and_resume_recording_and_trigger_events_and_motion_shows() {
    let broker = Mosquitto::start();
    let dir = tempfile::tempdir().expect("dir");
    let mut lib = Library::open(dir.path()).expect("library");
    lib.add_camera(&common::demo_camera("yard"), &both())
        .expect("camera");
    lib.set_mqtt_settings(&settings(&broker)).expect("settings");
    let sub = broker.subscribe(&["vigil/#"]);
    let host = start_host(dir.path());
    let long = Duration::from_secs(30);

    assert!(
        sub.wait_for("vigil/yard/motion", long, |m| m.text() == "ON")
            .is_some(),
        "the demo scene's motion turned the motion state on"
    );
    assert!(
        sub.wait_for("vigil/yard/motion", long, |m| m.text() == "OFF")
            .is_some(),
        "and off"
    );
    assert!(
        sub.wait_for("vigil/yard/recording", long, |m| m.text() == "ON")
            .is_some(),
        "a file is being written"
    );
    let motion_new = sub
        .wait_for("vigil/events", long, |m| {
            m.json()["type"] == "new" && m.json()["source"] == "motion"
        })
        .expect("motion events are in the feed");
    assert_eq!(motion_new.json()["has_snapshot"], true);
    let snap = sub
        .wait_for("vigil/yard/snapshot", long, |m| !m.payload.is_empty())
        .expect("a snapshot");
    assert_eq!(&snap.payload[..2], &[0xff, 0xd8], "a JPEG");

    broker.publish("vigil/yard/trigger", r#"{"label":"doorbell","hold_s":1}"#);
    let bell = sub
        .wait_for("vigil/events", long, |m| {
            m.json()["label"] == "doorbell" && m.json()["type"] == "new"
        })
        .expect("the trigger command made an event")
        .json();
    let bell_end = sub
        .wait_for("vigil/events", long, |m| {
            m.json()["id"] == bell["id"] && m.json()["type"] == "end"
        })
        .expect("the held trigger's end was announced once its hold passed")
        .json();
    assert_eq!(bell["end_us"], bell_end["end_us"], "known from the start");

    broker.publish("vigil/yard/recording/set", "OFF");
    assert!(
        sub.wait_for("vigil/yard/recording/state", long, |m| m.text() == "OFF")
            .is_some(),
        "recording/state says paused"
    );
    assert!(
        wait_until(long, || mode(&host, "yard") == Some(RecordMode::Off)),
        "the camera runs paused"
    );
    let paused = segments(&lib);
    // A deliberate 5 s (more than two segment lengths): nothing new may be indexed.
    std::thread::sleep(Duration::from_secs(5));
    assert_eq!(segments(&lib), paused, "no new segments while paused");
    assert!(lib
        .recording_paused(lib.camera_by_name("yard").expect("cam").id)
        .expect("paused"));

    broker.publish("vigil/yard/recording/set", "ON");
    assert!(
        wait_until(long, || mode(&host, "yard") == Some(RecordMode::Both)),
        "the camera records again"
    );
    assert!(
        wait_until(long, || segments(&lib) > paused + 1),
        "segments are indexed again"
    );
    assert_eq!(
        sub.last_text("vigil/yard/recording/state").as_deref(),
        Some("ON")
    );
    host.shutdown();
    assert!(
        sub.wait_for("vigil/available", long, |m| m.text() == "offline")
            .is_some(),
        "a clean stop says offline"
    );
}
