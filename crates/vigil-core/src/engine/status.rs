//! Per-camera status the engine publishes for the CLI and GUI: connection state, stream
//! facts, rates, recording state and the last error in words. Each pipeline stage publishes
//! its own part (`ingest::status`, `record::status`, `analyze::status`, each written by that
//! stage's thread only); the engine assembles them into one [`CameraStatus`] per camera.
//! The shared types are re-exported from the stage that owns them.

use serde::Serialize;

use crate::analyze::status::AnalysisStatus;
use crate::ingest::status::IngestStatus;
use crate::model::time::now_us;
use crate::model::{MotionFrom, RecordMode};
use crate::record::status::RecordStatus;

pub use crate::events::onvif::watch::{OnvifState, OnvifStatus};
pub use crate::ingest::status::{AudioStatus, ConnState, WAITING};
pub use crate::record::status::ActiveEvent;

/// A snapshot of one camera, assembled by the engine from what its stages publish
/// ([`IngestStatus`], [`RecordStatus`], [`AnalysisStatus`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CameraStatus {
    /// The camera's identifier (folders, URLs, topics).
    pub name: String,
    /// The name people see (any text, NFC): what front ends show.
    pub display_name: String,
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
    /// The recording mode the running camera follows (none while it is not running).
    pub mode: Option<RecordMode>,
    /// A motion analyzer makes events for this camera (it records events, or has detect
    /// zones); every recording camera analyses motion for its motion index besides.
    pub analyzing: bool,
    /// The camera's sub-stream for small live tiles (its live sub-stream URL's, else its
    /// detect sub-stream, which then feeds the analyzer too), when it has one. Secondary:
    /// the camera's state above is its main stream's.
    pub sub: Option<SubStreamStatus>,
    /// The camera's detect sub-stream when it feeds the motion analyzer alone: the camera
    /// has a live sub-stream URL of its own, which `sub` then describes.
    pub detect: Option<SubStreamStatus>,
    /// The camera's ONVIF events (its own motion, inputs, tampering), when ONVIF is on.
    /// Secondary: whatever ONVIF does, the video is recorded.
    pub onvif: Option<OnvifStatus>,
    /// Object detection, when the camera asks for it: what it found last, or why it is off.
    pub objects: Option<crate::analyze::status::ObjectsStatus>,
    /// Minutes of the motion index dropped because its writer was behind.
    pub motion_index_dropped: u64,
    /// The sound the camera sends (codec, rate, whether it is recorded, what is wrong with
    /// it); `None` when it sends none or is not connected yet.
    pub audio: Option<AudioStatus>,
}

/// A camera's sub-stream as its own ingest publishes it: whether it is connected, what it
/// delivers, and why it is not connected. Never decides whether the camera is online.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SubStreamStatus {
    pub conn: ConnState,
    /// e.g. `h264`; none until the sub-stream was seen.
    pub codec: Option<String>,
    pub width: u32,
    pub height: u32,
    pub fps: f64,
    /// The last connection error of the sub-stream, with its time.
    pub last_error: Option<String>,
    pub last_error_us: Option<i64>,
}

impl SubStreamStatus {
    pub(crate) fn of(ingest: IngestStatus) -> Self {
        Self {
            conn: ingest.conn,
            codec: ingest.codec,
            width: ingest.width,
            height: ingest.height,
            fps: ingest.fps,
            last_error: ingest.last_error,
            last_error_us: ingest.last_error_us,
        }
    }

    pub fn connected(&self) -> bool {
        self.conn == ConnState::Connected
    }

    /// Why the sub-stream shows nothing, while it is not connected and has failed.
    pub fn problem(&self) -> Option<&str> {
        match self.conn {
            ConnState::Connected => None,
            _ => self.last_error.as_deref(),
        }
    }
}

impl CameraStatus {
    pub fn new(name: &str, masked_url: &str) -> Self {
        Self {
            name: name.to_string(),
            display_name: name.to_string(),
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
            mode: None,
            analyzing: false,
            sub: None,
            detect: None,
            onvif: None,
            objects: None,
            motion_index_dropped: 0,
            audio: None,
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
        let line = match &self.stream_notice {
            Some(note) => format!("{line} [stream: {note}]"),
            None => line,
        };
        let line = match self.sub.as_ref().and_then(SubStreamStatus::problem) {
            Some(err) => format!("{line} (sub-stream: {err})"),
            None => line,
        };
        let line = match self.detect.as_ref().and_then(SubStreamStatus::problem) {
            Some(err) => format!("{line} (detect sub-stream: {err})"),
            None => line,
        };
        let line = match self.objects.as_ref().and_then(|o| o.error.as_ref()) {
            Some(err) => format!("{line} (object detection: {err})"),
            None => line,
        };
        let line = match self
            .onvif
            .as_ref()
            .filter(|o| o.motion_from == MotionFrom::Camera)
        {
            Some(_) => format!("{line} [motion from the camera's own detector]"),
            None => line,
        };
        let line = match self.audio.as_ref().and_then(|a| a.problem.as_ref()) {
            Some(err) => format!("{line} (sound: {err})"),
            None => line,
        };
        match self.onvif_problem() {
            Some(err) => format!("{line} ({err})"),
            None => line,
        }
    }

    /// "ONVIF events: …" while the camera's ONVIF events are failing.
    pub fn onvif_problem(&self) -> Option<String> {
        self.onvif
            .as_ref()
            .and_then(OnvifStatus::problem)
            .map(|e| format!("ONVIF events: {e}"))
    }
}

impl CameraStatus {
    /// The snapshot of a running camera from its stages' parts. Where two stages report
    /// the same kind of thing, the old single field shows the later: `record_error` is the
    /// recorder's error or the analyzer's, an analysis error counting until the next segment
    /// is indexed; `stream_notice` is the latest of ingest's and the recorder's. `sub` is the
    /// sub-stream's ingest, when the camera has one.
    pub fn assemble(
        name: &str,
        masked_url: &str,
        ingest: IngestStatus,
        record: RecordStatus,
        analysis: Option<AnalysisStatus>,
        sub: Option<IngestStatus>,
    ) -> Self {
        let analysis = analysis.unwrap_or_default();
        let analysis_error = match (analysis.error, analysis.error_us) {
            (Some(e), Some(at)) if record.indexed_us.is_none_or(|i| at > i) => Some((e, at)),
            _ => None,
        };
        let record_error = latest(record.error.zip(record.error_us), analysis_error);
        let notice = latest(
            ingest.stream_notice.zip(ingest.stream_notice_us),
            record.stream_notice.zip(record.stream_notice_us),
        );
        Self {
            name: name.to_string(),
            display_name: name.to_string(),
            url: masked_url.to_string(),
            conn: ingest.conn,
            codec: ingest.codec,
            width: ingest.width,
            height: ingest.height,
            fps: ingest.fps,
            bitrate_bps: ingest.bitrate_bps,
            recording: record.recording,
            last_error: ingest.last_error,
            last_error_us: ingest.last_error_us,
            record_error: record_error.map(|(e, _)| e),
            connected_since_us: ingest.connected_since_us,
            reconnects: ingest.reconnects,
            segments_written: record.segments_written,
            bytes_written: record.bytes_written,
            recorder_stalls: ingest.recorder_stalls,
            prebuffer_bytes: record.prebuffer_bytes,
            event_latency_us: record.event_latency_us,
            motion: analysis.motion,
            objects: analysis.objects,
            motion_index_dropped: analysis.index_dropped,
            events: record.events,
            stream_notice_us: notice.as_ref().map(|(_, at)| *at),
            stream_notice: notice.map(|(n, _)| n),
            mode: None,
            analyzing: false,
            sub: sub.map(SubStreamStatus::of),
            detect: None,
            onvif: None,
            audio: ingest.audio,
        }
    }
}

/// The later of two timed texts (the second on a tie).
fn latest(a: Option<(String, i64)>, b: Option<(String, i64)>) -> Option<(String, i64)> {
    match (a, b) {
        (Some(a), Some(b)) => Some(if a.1 > b.1 { a } else { b }),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_later_of_two_stages_reports_shows() {
        let ingest = IngestStatus {
            stream_notice: Some("new size".into()),
            stream_notice_us: Some(10),
            ..IngestStatus::default()
        };
        let mut record = RecordStatus {
            stream_notice: Some("timestamps jumped".into()),
            stream_notice_us: Some(20),
            error: Some("disk full".into()),
            error_us: Some(5),
            ..RecordStatus::default()
        };
        let analysis = AnalysisStatus {
            error: Some("no decoder".into()),
            error_us: Some(7),
            ..AnalysisStatus::default()
        };
        let c = CameraStatus::assemble(
            "c",
            "u",
            ingest,
            record.clone(),
            Some(analysis.clone()),
            None,
        );
        assert_eq!(c.stream_notice.as_deref(), Some("timestamps jumped"));
        assert_eq!(c.stream_notice_us, Some(20));
        assert_eq!(c.record_error.as_deref(), Some("no decoder"));
        // A segment indexed after the analysis error clears the old field, as it did.
        record.error = None;
        record.indexed_us = Some(8);
        let c = CameraStatus::assemble(
            "c",
            "u",
            IngestStatus::default(),
            record,
            Some(analysis),
            None,
        );
        assert_eq!(c.record_error, None);
        assert_eq!(c.conn, ConnState::Connecting);
    }

    #[test]
    fn a_failing_sub_stream_is_a_problem_not_the_cameras_state() {
        let main = IngestStatus {
            conn: ConnState::Connected,
            codec: Some("hevc".into()),
            width: 1920,
            height: 1080,
            ..IngestStatus::default()
        };
        let mut sub = IngestStatus {
            conn: ConnState::Waiting,
            ..IngestStatus::default()
        };
        sub.set_error("connection refused");
        let c = CameraStatus::assemble("door", "u", main, RecordStatus::default(), None, Some(sub));
        assert_eq!(c.conn, ConnState::Connected, "the main stream's state");
        let s = c.sub.as_ref().expect("a sub-stream");
        assert!(!s.connected());
        assert_eq!(s.problem(), Some("connection refused"));
        assert!(
            c.summary().ends_with("(sub-stream: connection refused)"),
            "{}",
            c.summary()
        );
    }

    #[test]
    fn the_summary_mentions_sound_only_when_something_is_wrong() {
        let mut audio = AudioStatus {
            codec: "aac".into(),
            sample_rate: 16_000,
            channels: 1,
            recorded: true,
            problem: None,
            dropped: 0,
        };
        assert_eq!(audio.describe(), "aac 16 kHz mono (recorded)");
        let main = IngestStatus {
            conn: ConnState::Connected,
            audio: Some(audio.clone()),
            ..IngestStatus::default()
        };
        let mut c = CameraStatus::assemble("door", "u", main, RecordStatus::default(), None, None);
        assert!(!c.summary().contains("sound"), "{}", c.summary());
        audio.problem = Some("the camera stopped sending sound".into());
        c.audio = Some(audio);
        assert!(
            c.summary()
                .ends_with("(sound: the camera stopped sending sound)"),
            "{}",
            c.summary()
        );
    }

    #[test]
    fn failing_onvif_events_are_a_sentence_in_the_summary() {
        let main = IngestStatus {
            conn: ConnState::Connected,
            ..IngestStatus::default()
        };
        let mut onvif = OnvifStatus::new(MotionFrom::Camera);
        let mut c = CameraStatus::assemble("door", "u", main, RecordStatus::default(), None, None);
        c.onvif = Some(onvif.clone());
        assert!(
            c.summary()
                .ends_with("[motion from the camera's own detector]"),
            "{}",
            c.summary()
        );
        onvif.state = OnvifState::Failed;
        onvif.last_error = Some("the camera refused the ONVIF user name or password".into());
        c.onvif = Some(onvif);
        assert!(
            c.summary()
                .ends_with("(ONVIF events: the camera refused the ONVIF user name or password)"),
            "{}",
            c.summary()
        );
        assert_eq!(c.conn, ConnState::Connected);
    }
}
