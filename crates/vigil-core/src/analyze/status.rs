//! What motion analysis publishes about its camera: the motion level per zone at the last
//! analyzed frame and why it cannot analyze, if it cannot. Written only by the camera's
//! analyzer thread.

use crate::detect::ZoneActivity;
use crate::model::published::Publisher;
use crate::model::time::now_us;

/// The analyzer's part of a camera's status.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AnalysisStatus {
    /// Motion level per zone at the last analyzed frame (empty when not analyzing).
    pub motion: Vec<ZoneActivity>,
    /// Why the stream cannot be analyzed (no decoder for it), with its time; cleared when
    /// a stream opens for analysis.
    pub error: Option<String>,
    pub error_us: Option<i64>,
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
