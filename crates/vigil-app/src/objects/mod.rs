//! Object detection in the desktop app: the Objects section of the recording-policy editor
//! (what makes an event, how sure, which model), the detector's boxes drawn on the selected
//! live tile (a switch remembered in the library) and on the zone editor's picture, and
//! object events in words ("person in driveway").
//!
//! `boxes` maps and paints what the detector found last; `toggle` is the live view's switch;
//! `section` draws the form (`vigil_core::model::objects_form` holds its rules); `picker`
//! asks for a model file off the UI thread; `words` says events and problems.

pub mod boxes;
mod picker;
pub mod section;
pub mod toggle;
pub mod words;

pub use boxes::{fresh_boxes, paint_boxes, paint_fresh, BOX_COLOR, FRESH_US};
pub use section::ObjectsSection;
pub use toggle::LiveBoxes;
