//! Object detection: which things (people, …) a picture holds and where, from a neural
//! network run on the CPU. Pure inference: pictures in, labelled boxes out; no threads.
//!
//! `files` (where the installed model is, and that it is the file we expect) → `builtin`
//! (the person detector: loads the frozen TensorFlow graph with tract) → `ssd` (anchors and
//! box decoding) → `nms` (one box per object). `onnx` runs an operator's ONNX model with
//! tract-onnx, decoded by `ssd` or `yolo`, its classes named by `labels`. `frame` resizes
//! camera pictures to the network's input. The analyzer's detector pool calls an
//! [`ObjectDetector`]. Model provenance and the runtime choice: docs/DETECTION.md.

pub mod builtin;
pub mod files;
pub mod frame;
pub mod labels;
pub mod nms;
pub mod onnx;
pub mod ssd;
pub mod yolo;

use serde::Serialize;

pub use crate::model::objects::ObjectBox;
pub use frame::RgbFrame;

/// One object in a picture: its label (`person`), the detector's score (0..1) and its box.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Found {
    pub label: String,
    pub score: f32,
    #[serde(rename = "box")]
    pub bbox: ObjectBox,
}

/// Why a detector cannot be used or a picture could not be analysed, in words.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ObjectError {
    #[error("the {what} is not installed (looked in {looked}); run packaging/install-deps.sh to install it")]
    ModelMissing { what: String, looked: String },
    #[error("the model file {path} is not the expected one ({detail}); reinstall it with packaging/install-deps.sh")]
    ModelMismatch { path: String, detail: String },
    #[error("the model file {path} cannot be read: {detail}")]
    ModelUnreadable { path: String, detail: String },
    #[error("the model file {path} cannot be loaded: {detail}")]
    ModelLoad { path: String, detail: String },
    #[error("the labels file {path} cannot be used: {detail}")]
    Labels { path: String, detail: String },
    #[error("the detector failed on a picture: {0}")]
    Inference(String),
    #[error("the picture cannot be analysed: {0}")]
    BadPicture(String),
}

/// A loaded detector, shared by the detector pool's threads.
pub trait ObjectDetector: Send + Sync {
    /// What it is, for the status and logs (e.g. "built-in person detector").
    fn describe(&self) -> String;
    /// The labels it can report.
    fn labels(&self) -> &[String];
    /// The objects in `frame` scoring at least `min_score`, one box per object, best first.
    fn detect(&self, frame: &RgbFrame<'_>, min_score: f32) -> Result<Vec<Found>, ObjectError>;
}

/// Loads the detector a camera's settings name: the built-in person detector (verified
/// against its recorded SHA-256) or an operator's ONNX model. Slow (a fraction of a
/// second): call it off any UI or request thread.
pub fn load(
    model: &crate::model::DetectorModel,
) -> Result<std::sync::Arc<dyn ObjectDetector>, ObjectError> {
    use crate::model::DetectorModel;
    match model {
        DetectorModel::Builtin => Ok(std::sync::Arc::new(
            builtin::PersonDetector::load_installed()?,
        )),
        DetectorModel::Onnx {
            path,
            format,
            labels,
        } => Ok(std::sync::Arc::new(onnx::OnnxDetector::load(
            path,
            *format,
            labels.as_deref(),
        )?)),
    }
}
