//! Plain data types shared by every layer: cameras, policies, segments, time and secrets.

pub mod camera;
pub mod camera_form;
pub mod event;
pub mod layout;
pub mod mqtt;
pub mod names;
pub mod objects;
pub mod objects_form;
pub mod onvif;
pub mod person;
pub mod policy;
pub mod published;
pub mod reason;
pub mod secret;
pub mod segment;
pub mod text;
pub mod time;
pub mod tour;
pub mod trigger_source;

pub use camera::{Camera, CameraName, InvalidInput, NewCamera, Transport};
pub use event::{Event, EventSource, NewEvent};
pub use layout::{LayoutKind, SavedLayout};
pub use mqtt::{Broker, MqttSettings};
pub use names::{DisplayName, IdKind};
pub use objects::{DetectorFormat, DetectorModel, ObjectBox, ObjectSettings};
pub use onvif::{MotionFrom, OnvifSettings};
pub use policy::{Policy, RecordMode};
pub use segment::{Segment, SegmentKind};
pub use tour::{Tour, TourStep};
pub use trigger_source::{NewTriggerSource, TriggerCondition, TriggerSource};
