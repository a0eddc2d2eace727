//! Plain data types shared by every layer: cameras, policies, segments, time and secrets.

pub mod camera;
pub mod camera_form;
pub mod event;
pub mod policy;
pub mod published;
pub mod reason;
pub mod secret;
pub mod segment;
pub mod text;
pub mod time;

pub use camera::{Camera, CameraName, InvalidInput, NewCamera, Transport};
pub use event::{Event, EventSource, NewEvent};
pub use policy::{Policy, RecordMode};
pub use segment::{Segment, SegmentKind};
