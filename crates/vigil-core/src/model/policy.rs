//! Recording policy per camera: what to record and how long to keep it.

use serde::Serialize;

use super::InvalidInput;

/// What a camera records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RecordMode {
    Off,
    Continuous,
    Events,
    Both,
}

impl RecordMode {
    pub fn as_str(self) -> &'static str {
        match self {
            RecordMode::Off => "off",
            RecordMode::Continuous => "continuous",
            RecordMode::Events => "events",
            RecordMode::Both => "both",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "off" => Ok(RecordMode::Off),
            "continuous" | "cvr" => Ok(RecordMode::Continuous),
            "events" | "evr" => Ok(RecordMode::Events),
            "both" => Ok(RecordMode::Both),
            other => Err(InvalidInput(format!(
                "recording mode '{other}' is unknown; use off, continuous, events or both"
            ))),
        }
    }

    pub fn records_continuously(self) -> bool {
        matches!(self, RecordMode::Continuous | RecordMode::Both)
    }

    pub fn records_events(self) -> bool {
        matches!(self, RecordMode::Events | RecordMode::Both)
    }
}

/// A camera's recording policy. Durations in seconds, sizes in bytes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Policy {
    pub mode: RecordMode,
    /// Target length of a continuous segment; cuts happen at the first keyframe at or after it.
    pub segment_s: u32,
    /// Continuous segments older than this are deleted.
    pub retain_days: f64,
    /// Continuous segments beyond this many bytes (oldest first) are deleted. `None`: no cap.
    pub max_bytes: Option<u64>,
    pub pre_event_s: u32,
    pub post_event_s: u32,
    pub max_clip_s: u32,
    pub event_retain_days: f64,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            mode: RecordMode::Continuous,
            segment_s: 60,
            retain_days: 7.0,
            max_bytes: None,
            pre_event_s: 10,
            post_event_s: 30,
            max_clip_s: 300,
            event_retain_days: 30.0,
        }
    }
}

pub const MIN_SEGMENT_S: u32 = 2;
pub const MAX_SEGMENT_S: u32 = 3600;
/// The longest pre-event time: the pre-event buffer holds all of it in memory (at 4 Mbit/s,
/// 120 s is about 60 MB per camera).
pub const MAX_PRE_EVENT_S: u32 = 120;
pub const MAX_POST_EVENT_S: u32 = 3600;
/// The longest event clip before it is cut (and continued in a new one).
pub const MAX_CLIP_S: u32 = 3600;

impl Policy {
    /// Checks the policy as a whole; the message names the field and the allowed range.
    pub fn validate(&self) -> Result<(), InvalidInput> {
        if !(MIN_SEGMENT_S..=MAX_SEGMENT_S).contains(&self.segment_s) {
            return Err(InvalidInput(format!(
                "segment length {} s is out of range; use {MIN_SEGMENT_S} to {MAX_SEGMENT_S} seconds",
                self.segment_s
            )));
        }
        for (what, days) in [
            ("retention", self.retain_days),
            ("event retention", self.event_retain_days),
        ] {
            if !days.is_finite() || days <= 0.0 || days > 36_500.0 {
                return Err(InvalidInput(format!(
                    "{what} of {days} days is out of range; use more than 0 and at most 36500 days"
                )));
            }
        }
        for (what, value, max) in [
            ("pre-event time", self.pre_event_s, MAX_PRE_EVENT_S),
            ("post-event time", self.post_event_s, MAX_POST_EVENT_S),
            ("maximum clip length", self.max_clip_s, MAX_CLIP_S),
        ] {
            if value > max {
                return Err(InvalidInput(format!(
                    "{what} {value} s is out of range; use at most {max} seconds"
                )));
            }
        }
        if self.max_clip_s == 0 {
            return Err(InvalidInput(
                "maximum clip length must be at least 1 second".into(),
            ));
        }
        if self.max_bytes == Some(0) {
            return Err(InvalidInput("maximum disk use must be more than 0".into()));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_policy_is_valid_and_bad_ones_are_named() {
        assert!(Policy::default().validate().is_ok());
        let p = Policy {
            segment_s: 1,
            ..Policy::default()
        };
        assert!(p.validate().unwrap_err().0.contains("segment length"));
        let p = Policy {
            retain_days: 0.0,
            ..Policy::default()
        };
        assert!(p.validate().unwrap_err().0.contains("retention"));
        let p = Policy {
            pre_event_s: MAX_PRE_EVENT_S + 1,
            ..Policy::default()
        };
        assert!(p.validate().unwrap_err().0.contains("pre-event time"));
        let p = Policy {
            max_clip_s: 0,
            ..Policy::default()
        };
        assert!(p.validate().unwrap_err().0.contains("clip length"));
        assert_eq!(RecordMode::parse("BOTH").unwrap(), RecordMode::Both);
        assert!(RecordMode::parse("sometimes").is_err());
    }
}
