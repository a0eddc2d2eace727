//! A finished recording file as the library indexes it.

use serde::Serialize;

/// Why a segment was recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SegmentKind {
    Continuous,
    Event,
}

impl SegmentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SegmentKind::Continuous => "continuous",
            SegmentKind::Event => "event",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "continuous" => Some(SegmentKind::Continuous),
            "event" => Some(SegmentKind::Event),
            _ => None,
        }
    }
}

/// One indexed recording file. Times are UTC microseconds since the Unix epoch;
/// `path` is absolute.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Segment {
    pub id: i64,
    pub camera_id: i64,
    pub camera: String,
    pub kind: SegmentKind,
    pub start_us: i64,
    pub end_us: i64,
    pub path: String,
    pub bytes: u64,
    pub codec: String,
    pub width: u32,
    pub height: u32,
    pub frames: u64,
    pub event_id: Option<i64>,
    /// SHA-256 of the file as it was recorded (lowercase hex); `None` for recordings indexed
    /// before the integrity chain (schema 14).
    pub sha256: Option<String>,
    /// The codec of the file's audio track (`aac`, `opus`); `None` when it has no sound.
    #[serde(rename = "audio")]
    pub audio_codec: Option<String>,
}
