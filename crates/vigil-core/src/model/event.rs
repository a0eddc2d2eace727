//! Events: something happened on a camera (motion in a zone, an external trigger such as a
//! door sensor, the camera's own alarm, or an operator's mark).

use serde::Serialize;

use super::objects::ObjectBox;
use super::InvalidInput;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EventSource {
    Motion,
    External,
    Camera,
    Manual,
    /// An object (a person, …) the detector confirmed.
    Object,
}

impl EventSource {
    pub fn as_str(self) -> &'static str {
        match self {
            EventSource::Motion => "motion",
            EventSource::External => "external",
            EventSource::Camera => "camera",
            EventSource::Manual => "manual",
            EventSource::Object => "object",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        match raw {
            "motion" => Ok(EventSource::Motion),
            "external" => Ok(EventSource::External),
            "camera" => Ok(EventSource::Camera),
            "manual" => Ok(EventSource::Manual),
            "object" => Ok(EventSource::Object),
            other => Err(InvalidInput(format!(
                "event source '{other}' is unknown; use motion, object, external, camera or manual"
            ))),
        }
    }
}

/// An event to record.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEvent {
    pub camera_id: i64,
    pub source: EventSource,
    pub label: String,
    pub zone_id: Option<i64>,
    pub start_us: i64,
    /// Known at once for a trigger with a hold time; `None` while motion goes on.
    pub end_us: Option<i64>,
    pub score: f32,
    /// A JPEG of the moment it started.
    pub thumbnail: Option<Vec<u8>>,
    /// Where the object is, for an object event (`None` for other sources).
    pub object_box: Option<ObjectBox>,
}

/// An event as the library lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    pub id: i64,
    pub camera_id: i64,
    pub camera: String,
    pub source: EventSource,
    pub label: String,
    pub zone_id: Option<i64>,
    pub zone: Option<String>,
    pub start_us: i64,
    pub end_us: Option<i64>,
    pub score: f32,
    pub protected: bool,
    pub has_thumbnail: bool,
    /// Where the object was at its best sighting, for an object event (`None` otherwise).
    pub object_box: Option<ObjectBox>,
}
