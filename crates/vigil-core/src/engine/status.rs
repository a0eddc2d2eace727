//! Per-camera status the engine publishes for the CLI and GUI: connection state, stream
//! facts, rates, recording state and the last error in words.

use std::sync::{Arc, Mutex, MutexGuard};

use serde::Serialize;

use crate::model::time::now_us;

/// Where a camera's connection stands.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ConnState {
    Connecting,
    Connected,
    /// Waiting before the next attempt; `retry_at_us` is UTC µs.
    Retrying {
        retry_at_us: i64,
    },
    /// Nothing answers at the camera's address (refused, unreachable, timed out): it is
    /// checked twice a second and opened as soon as it accepts a connection.
    Waiting,
    Stopped,
    /// Configured but switched off by the operator.
    Disabled,
}

/// What a camera that does not answer is doing, in words (CLI and GUI).
pub const WAITING: &str = "waiting for the camera to answer (checked twice a second)";

/// A snapshot of one camera.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CameraStatus {
    pub name: String,
    /// The URL with its password masked.
    pub url: String,
    pub conn: ConnState,
    pub codec: Option<String>,
    pub width: u32,
    pub height: u32,
    pub fps: f64,
    pub bitrate_bps: f64,
    /// A segment file is open and being written.
    pub recording: bool,
    /// The last connection error (why the camera is offline or was).
    pub last_error: Option<String>,
    pub last_error_us: Option<i64>,
    /// The last recording or analysis error (disk full, cannot write); cleared when a
    /// segment is indexed again.
    pub record_error: Option<String>,
    pub connected_since_us: Option<i64>,
    pub reconnects: u64,
    pub segments_written: u64,
    pub bytes_written: u64,
    /// Times the recorder queue was full (ingest then waits; nothing is dropped).
    pub recorder_stalls: u64,
    /// Memory held by the pre-event buffer, bytes.
    pub prebuffer_bytes: u64,
    /// Time from the latest event being noticed to its row written and clip opened, µs.
    pub event_latency_us: Option<i64>,
    /// Motion level per zone at the last analyzed frame (empty when not analyzing).
    pub motion: Vec<crate::detect::ZoneActivity>,
    /// Events in progress (motion, triggers), as the recorder knows them.
    pub events: Vec<ActiveEvent>,
    /// The latest change in the camera's stream the recorder handled (new picture size or
    /// codec, a timestamp jump, a long stretch without a keyframe), in words, with its time.
    pub stream_notice: Option<String>,
    pub stream_notice_us: Option<i64>,
}

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

impl CameraStatus {
    pub fn new(name: &str, masked_url: &str) -> Self {
        Self {
            name: name.to_string(),
            url: masked_url.to_string(),
            conn: ConnState::Connecting,
            codec: None,
            width: 0,
            height: 0,
            fps: 0.0,
            bitrate_bps: 0.0,
            recording: false,
            last_error: None,
            last_error_us: None,
            record_error: None,
            connected_since_us: None,
            reconnects: 0,
            segments_written: 0,
            bytes_written: 0,
            recorder_stalls: 0,
            prebuffer_bytes: 0,
            event_latency_us: None,
            motion: Vec::new(),
            events: Vec::new(),
            stream_notice: None,
            stream_notice_us: None,
        }
    }

    /// One line for a terminal: state, stream and the last error.
    pub fn summary(&self) -> String {
        let state = match &self.conn {
            ConnState::Connecting => "connecting".to_string(),
            ConnState::Connected => format!(
                "connected, {} {}x{}, {:.1} fps, {:.2} Mbit/s{}",
                self.codec.as_deref().unwrap_or("?"),
                self.width,
                self.height,
                self.fps,
                self.bitrate_bps / 1e6,
                if self.recording { ", recording" } else { "" }
            ),
            ConnState::Retrying { retry_at_us } => {
                let secs = ((retry_at_us - now_us()).max(0) + 999_999) / 1_000_000;
                format!("retrying in {secs} s")
            }
            ConnState::Waiting => WAITING.to_string(),
            ConnState::Stopped => "stopped".to_string(),
            ConnState::Disabled => "disabled".to_string(),
        };
        let line = match (&self.conn, &self.last_error) {
            (ConnState::Connected, _) | (_, None) => format!("{}: {state}", self.name),
            (_, Some(err)) => format!("{}: {err} — {state}", self.name),
        };
        let line = match &self.record_error {
            Some(err) => format!("{line} (recording problem: {err})"),
            None => line,
        };
        match &self.stream_notice {
            Some(note) => format!("{line} [stream: {note}]"),
            None => line,
        }
    }
}

/// A shared, updatable status for one camera. Cheap to clone; each update takes a short lock.
#[derive(Debug, Clone)]
pub struct StatusHandle(Arc<Mutex<CameraStatus>>);

impl StatusHandle {
    pub fn new(status: CameraStatus) -> Self {
        Self(Arc::new(Mutex::new(status)))
    }

    fn lock(&self) -> MutexGuard<'_, CameraStatus> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn snapshot(&self) -> CameraStatus {
        self.lock().clone()
    }

    pub fn update(&self, f: impl FnOnce(&mut CameraStatus)) {
        f(&mut self.lock());
    }

    /// Records a recording or analysis error in words.
    pub fn set_record_error(&self, message: &str) {
        self.update(|s| s.record_error = Some(message.to_string()));
    }

    /// Records a change in the camera's stream in words, with its time.
    pub fn set_notice(&self, message: &str) {
        self.update(|s| {
            s.stream_notice = Some(message.to_string());
            s.stream_notice_us = Some(now_us());
        });
    }

    /// Records a connection error in words, with its time.
    pub fn set_error(&self, message: &str) {
        self.update(|s| {
            s.last_error = Some(message.to_string());
            s.last_error_us = Some(now_us());
        });
    }
}
