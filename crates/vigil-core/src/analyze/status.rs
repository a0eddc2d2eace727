//! What motion analysis publishes about its camera: the motion level per zone at the last
//! analyzed frame, object detection's findings, and why it cannot analyze, if it cannot. Written only by the camera's
//! analyzer thread.

use serde::Serialize;

use crate::detect::ZoneActivity;
use crate::model::published::Publisher;
use crate::model::time::now_us;
use crate::objects::Found;

/// The analyzer's part of a camera's status.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AnalysisStatus {
    /// Motion level per zone at the last analyzed frame (empty when not analyzing).
    pub motion: Vec<ZoneActivity>,
    /// Why the stream cannot be analyzed (no decoder for it), with its time; cleared when
    /// a stream opens for analysis.
    pub error: Option<String>,
    pub error_us: Option<i64>,
    /// Object detection, when the camera asks for it (`ObjectSettings`).
    pub objects: Option<ObjectsStatus>,
    /// Minutes of the motion index dropped because its writer was behind.
    pub index_dropped: u64,
}

/// Object detection on a camera that asks for it: what it looks for, with which detector,
/// what it found last, and why it is off when it is (the camera then records on motion).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct ObjectsStatus {
    /// The labels that make events (e.g. `person`).
    pub wanted: Vec<String>,
    /// The detector in use, in words; none until it is loaded or when it cannot be.
    pub detector: Option<String>,
    /// Why detection is off (model missing or corrupt, in words): the camera falls back to
    /// events on motion alone until the model is fixed and the camera restarted.
    pub error: Option<String>,
    /// What the detector found on the latest picture it analysed, and that picture's time.
    pub found: Vec<Found>,
    pub found_us: Option<i64>,
    /// Pictures analysed, and requests dropped because the detectors were busy.
    pub runs: u64,
    pub dropped: u64,
}

impl AnalysisStatus {
    /// Records an analysis error in words, with its time.
    pub fn set_error(&mut self, message: &str) {
        self.error = Some(message.to_string());
        self.error_us = Some(now_us());
    }
}

/// The analyzer thread's writer of its [`AnalysisStatus`].
pub type AnalysisPublisher = Publisher<AnalysisStatus>;
