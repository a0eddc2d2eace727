//! The camera dialog's fields: the engine's [`CameraForm`] (shared with the web viewer's
//! administration page, so both apply the same rules).

pub use vigil_core::model::camera_form::CameraForm;
