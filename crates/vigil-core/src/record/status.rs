//! What the recorder publishes about its camera: whether a file is open, what it wrote,
//! the events in progress, its last error and the stream changes it handled. Written only
//! by the camera's recorder thread.

use serde::Serialize;

use crate::model::published::Publisher;
use crate::model::time::now_us;

/// An event in progress on a camera.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActiveEvent {
    /// The source's key (e.g. `zone:3`, `trigger:door`).
    pub key: String,
    /// `motion`, `trigger`, …
    pub source: String,
    pub label: String,
    pub start_us: i64,
    /// Known in advance for a trigger with a hold time; `None` until the source says it ended.
    pub until_us: Option<i64>,
}

impl ActiveEvent {
    pub fn is_active(&self, now_us: i64) -> bool {
        self.until_us.is_none_or(|until| until > now_us)
    }
}

/// The recorder's part of a camera's status.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RecordStatus {
    /// A segment file is open and being written.
    pub recording: bool,
    /// The last recording error (disk full, cannot write), with its time; cleared when a
    /// segment is indexed again.
    pub error: Option<String>,
    pub error_us: Option<i64>,
    /// `error` says the disk (or the database on it) was full.
    pub disk_full: bool,
    /// When a segment was last indexed, UTC µs.
    pub indexed_us: Option<i64>,
    pub segments_written: u64,
    pub bytes_written: u64,
    /// Memory held by the pre-event buffer, bytes.
    pub prebuffer_bytes: u64,
    /// Time from the latest event being noticed to its row written and clip opened, µs.
    pub event_latency_us: Option<i64>,
    /// Events in progress (motion, triggers), as the recorder knows them.
    pub events: Vec<ActiveEvent>,
    /// The latest change in the stream the recorder handled (a timestamp jump, a long
    /// stretch without a keyframe, a full pre-event buffer), in words, with its time.
    pub stream_notice: Option<String>,
    pub stream_notice_us: Option<i64>,
    /// Audio packets left out of recordings for broken timestamps (backwards, overlapping,
    /// far ahead of the video), since the recorder started.
    pub audio_broken: u64,
}

impl RecordStatus {
    /// Records a recording error in words, with its time.
    pub fn set_error(&mut self, message: &str) {
        self.error = Some(message.to_string());
        self.error_us = Some(now_us());
    }

    /// Records a change in the camera's stream in words, with its time.
    pub fn set_notice(&mut self, message: &str) {
        self.stream_notice = Some(message.to_string());
        self.stream_notice_us = Some(now_us());
    }

    /// A finished segment of `bytes` is indexed: counted, and the last error is over.
    pub fn indexed(&mut self, bytes: u64) {
        self.segments_written += 1;
        self.bytes_written += bytes;
        self.error = None;
        self.error_us = None;
        self.disk_full = false;
        self.indexed_us = Some(now_us());
    }
}

/// The recorder thread's writer of its [`RecordStatus`].
pub type RecordPublisher = Publisher<RecordStatus>;
