//! What Vigil publishes and accepts over MQTT: the topics under the prefix, the JSON
//! documents of `<prefix>/events` and `<prefix>/<camera>/last_event`, and the outbox that
//! publishes them (QoS 1; state topics retained and sent only when they change; a full
//! request channel drops the message and counts it).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use rumqttc::{Client, QoS};
use serde_json::{json, Value};

use crate::events::feed::EventNotice;
use crate::model::time::format_rfc3339;

/// The topics under one prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topics {
    pub prefix: String,
}

/// A command Vigil accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `<prefix>/<camera>/trigger`
    Trigger { camera: String },
    /// `<prefix>/<camera>/recording/set`
    SetRecording { camera: String },
}

impl Topics {
    pub fn new(prefix: &str) -> Self {
        Self {
            prefix: prefix.to_string(),
        }
    }

    pub fn available(&self) -> String {
        format!("{}/available", self.prefix)
    }

    pub fn events(&self) -> String {
        format!("{}/events", self.prefix)
    }

    /// `motion`, `recording`, `recording/state`, `snapshot`, `last_event`, … of a camera.
    pub fn camera(&self, camera: &str, what: &str) -> String {
        format!("{}/{camera}/{what}", self.prefix)
    }

    /// The filters of the commands, to subscribe to.
    pub fn command_filters(&self) -> [String; 2] {
        [
            format!("{}/+/trigger", self.prefix),
            format!("{}/+/recording/set", self.prefix),
        ]
    }

    /// The command a message's topic names, if any.
    pub fn command(&self, topic: &str) -> Option<Command> {
        let rest = topic.strip_prefix(&self.prefix)?.strip_prefix('/')?;
        let (camera, what) = rest.split_once('/')?;
        if camera.is_empty() {
            return None;
        }
        let camera = camera.to_string();
        match what {
            "trigger" => Some(Command::Trigger { camera }),
            "recording/set" => Some(Command::SetRecording { camera }),
            _ => None,
        }
    }
}

/// The `<prefix>/events` document of a notice. `thumbnail` is the path of the event's
/// thumbnail in the web viewer's API.
pub fn event_document(n: &EventNotice) -> Value {
    json!({
        "type": n.kind.as_str(),
        "id": n.id,
        "camera": n.camera,
        "source": n.source.as_str(),
        "label": n.label,
        "zone": n.zone_id,
        "start_us": n.start_us,
        "end_us": n.end_us,
        "score": n.score,
        "box": n.object_box,
        "has_snapshot": n.has_snapshot,
        "thumbnail": format!("/api/events/{}/thumbnail.jpg", n.id),
    })
}

/// The retained `<prefix>/<camera>/last_event` document (Home Assistant's last-event sensor).
pub fn last_event_document(n: &EventNotice) -> Value {
    json!({
        "id": n.id,
        "label": n.label,
        "source": n.source.as_str(),
        "start_us": n.start_us,
        "time": format_rfc3339(n.start_us),
    })
}

/// Publishes through the connection's bounded request channel.
pub struct Outbox {
    client: Client,
    dropped: Arc<AtomicU64>,
    /// Retained state topics as last published in this connection.
    states: HashMap<String, Vec<u8>>,
}

impl Outbox {
    pub fn new(client: Client, dropped: Arc<AtomicU64>) -> Self {
        Self {
            client,
            dropped,
            states: HashMap::new(),
        }
    }

    /// Publishes at QoS 1; a full request channel drops it (counted).
    pub fn send(&self, topic: &str, payload: impl Into<Vec<u8>>, retain: bool) {
        if let Err(e) = self
            .client
            .try_publish(topic, QoS::AtLeastOnce, retain, payload)
        {
            self.dropped.fetch_add(1, Ordering::Relaxed);
            tracing::debug!(topic, error = %e, "MQTT message dropped");
        }
    }

    /// Publishes a retained state when it differs from what this connection last sent.
    pub fn state(&mut self, topic: &str, value: &[u8]) {
        if self.states.get(topic).is_some_and(|v| v == value) {
            return;
        }
        self.send(topic, value.to_vec(), true);
        self.states.insert(topic.to_string(), value.to_vec());
    }

    /// A new connection: every state is sent again.
    pub fn forget_states(&mut self) {
        self.states.clear();
    }

    pub fn subscribe(&self, filter: &str) {
        if let Err(e) = self.client.try_subscribe(filter, QoS::AtLeastOnce) {
            self.dropped.fetch_add(1, Ordering::Relaxed);
            tracing::warn!(filter, error = %e, "MQTT subscription not sent");
        }
    }

    pub fn unsubscribe(&self, filter: &str) {
        let _ = self.client.try_unsubscribe(filter);
    }
}

/// `ON` or `OFF`.
pub fn on_off(on: bool) -> &'static [u8] {
    if on {
        b"ON"
    } else {
        b"OFF"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::feed::NoticeKind;
    use crate::model::EventSource;

    #[test]
    fn commands_are_read_from_their_topics_only() {
        let t = Topics::new("site/vigil");
        assert_eq!(
            t.command("site/vigil/front/trigger"),
            Some(Command::Trigger {
                camera: "front".into()
            })
        );
        assert_eq!(
            t.command("site/vigil/front/recording/set"),
            Some(Command::SetRecording {
                camera: "front".into()
            })
        );
        for other in [
            "site/vigil/front/recording",
            "site/vigil//trigger",
            "site/vigilx/front/trigger",
            "zigbee2mqtt/door",
        ] {
            assert_eq!(t.command(other), None, "{other}");
        }
    }

    #[test]
    fn event_documents_carry_the_documented_fields() {
        let n = EventNotice {
            kind: NoticeKind::End,
            id: 7,
            camera: "front".into(),
            source: EventSource::External,
            label: "door".into(),
            zone_id: None,
            start_us: 1_000_000,
            end_us: Some(3_000_000),
            score: 1.0,
            object_box: None,
            has_snapshot: false,
            thumbnail: None,
        };
        let d = event_document(&n);
        assert_eq!(d["type"], "end");
        assert_eq!(d["source"], "external");
        assert_eq!(d["end_us"], 3_000_000);
        assert_eq!(d["has_snapshot"], false);
        assert_eq!(d["thumbnail"], "/api/events/7/thumbnail.jpg");
        assert_eq!(last_event_document(&n)["label"], "door");
    }
}
