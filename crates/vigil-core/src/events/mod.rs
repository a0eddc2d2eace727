//! The event bus: activity from any source (motion analysis, external triggers over HTTP or
//! the CLI, later MQTT and camera-side ONVIF events) delivered to the recorder of the camera
//! it concerns, which writes the event row and opens or extends an event clip.

pub mod client;
pub mod feed;
pub mod http;
pub mod mqtt;
pub mod onvif;

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use crossbeam_channel::{Sender, TrySendError};

use crate::model::objects::ObjectBox;
use crate::model::text::printable;
use crate::model::EventSource;

/// Activity on one camera. `key` ties a `Begin` to its `End` (e.g. `zone:3`, `trigger:17`).
#[derive(Debug, Clone, PartialEq)]
pub enum Activity {
    Begin {
        key: String,
        source: EventSource,
        label: String,
        zone_id: Option<i64>,
        start_us: i64,
        /// Known at once for a trigger with a hold time.
        end_us: Option<i64>,
        score: f32,
        /// JPEG of the moment it started (for an object, its best picture with the box drawn).
        thumbnail: Option<Vec<u8>>,
        /// Where the object is, for an object event; `None` for any other source.
        object_box: Option<ObjectBox>,
        /// When the source noticed it (the analyzer received the frame that confirmed the
        /// motion, or the trigger request arrived): for the event-latency figure.
        observed: std::time::Instant,
    },
    /// A better sighting of an ongoing object event: a higher score, its box and its
    /// picture (the event keeps the best of each).
    Update {
        key: String,
        score: f32,
        object_box: Option<ObjectBox>,
        thumbnail: Option<Vec<u8>>,
    },
    End {
        key: String,
        end_us: i64,
        peak: f32,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BusError {
    #[error("no camera named '{0}' is recording")]
    UnknownCamera(String),
    #[error("camera '{0}' is not keeping up; try again")]
    Busy(String),
}

/// Routes activity to cameras by name. Cheap to clone; cameras register when they start.
#[derive(Debug, Clone, Default)]
pub struct EventBus {
    routes: Arc<RwLock<HashMap<String, Sender<Activity>>>>,
    /// Where recorders announce the events they record (see [`feed`]).
    feed: feed::EventFeed,
}

impl EventBus {
    pub fn new() -> Self {
        Self::default()
    }

    /// The engine-wide feed of recorded events.
    pub fn feed(&self) -> feed::EventFeed {
        self.feed.clone()
    }

    pub fn register(&self, camera: &str, tx: Sender<Activity>) {
        if let Ok(mut r) = self.routes.write() {
            r.insert(camera.to_string(), tx);
        }
    }

    pub fn unregister(&self, camera: &str) {
        if let Ok(mut r) = self.routes.write() {
            r.remove(camera);
        }
    }

    /// Delivers `activity` to the camera's recorder. A `Begin`'s label is stored and shown
    /// as text: any control character in it (a terminal escape sequence from an HTTP client,
    /// say) is written out as a visible `\u{…}` escape first ([`crate::model::text`]).
    pub fn send(&self, camera: &str, mut activity: Activity) -> Result<(), BusError> {
        if let Activity::Begin { label, .. } = &mut activity {
            if let Cow::Owned(clean) = printable(label) {
                *label = clean;
            }
        }
        let routes = self
            .routes
            .read()
            .map_err(|_| BusError::UnknownCamera(camera.to_string()))?;
        let tx = routes
            .get(camera)
            .ok_or_else(|| BusError::UnknownCamera(camera.to_string()))?;
        tx.try_send(activity).map_err(|e| match e {
            TrySendError::Full(_) => BusError::Busy(camera.to_string()),
            TrySendError::Disconnected(_) => BusError::UnknownCamera(camera.to_string()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_reach_the_recorder_with_control_characters_escaped() {
        let bus = EventBus::new();
        let (tx, rx) = crossbeam_channel::bounded(4);
        bus.register("door", tx);
        let begin = |label: &str| Activity::Begin {
            key: "trigger:1".into(),
            source: EventSource::External,
            label: label.into(),
            zone_id: None,
            start_us: 0,
            end_us: Some(1),
            score: 1.0,
            thumbnail: None,
            object_box: None,
            observed: std::time::Instant::now(),
        };
        bus.send("door", begin("front\u{1b}]0;pwned\u{7}"))
            .expect("sent");
        bus.send("door", begin("plain")).expect("sent");
        let labels: Vec<String> = rx
            .try_iter()
            .map(|a| match a {
                Activity::Begin { label, .. } => label,
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(labels, ["front\\u{1b}]0;pwned\\u{7}", "plain"]);
    }
}
