//! Object detection on screen: the detector's boxes drawn on the selected live tile (a
//! switch remembered in the library) and on the zone editor's picture. Object events in
//! words ("person in driveway") are `crate::object_words`; the Objects section of the
//! recording-policy editor is part of the camera dialogs (`camera_setup::objects_section`).
//!
//! `boxes` maps and paints what the detector found last; `toggle` is the live view's switch.

pub mod boxes;
pub mod toggle;

pub use boxes::{fresh_boxes, paint_boxes, paint_fresh, BOX_COLOR, FRESH_US};
pub use toggle::LiveBoxes;
