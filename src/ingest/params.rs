//! Mid-stream reconfiguration: a camera whose resolution is changed while it streams sends
//! keyframes with new parameter sets on the same connection. This watches keyframes'
//! parameter sets (a byte comparison; FFmpeg's parser runs only when they change) and, when
//! they declare another picture size, says what the stream is now, so consumers start afresh
//! (the recorder finishes its segment and opens a new one with the new header).

use crate::media::paramsets::{is_annex_b, parameter_sets, picture_size, with_parameter_sets};
use crate::packet::{check_picture_size, SharedParams, StreamInfo};

/// What a keyframe says about the stream.
#[derive(Debug)]
pub enum Change {
    /// The stream now has these parameters.
    Reconfigured(StreamInfo),
    /// The new parameters are refused (absurd size); the sentence says why.
    Refused(String),
}

#[derive(Debug, Default)]
pub struct ParamWatch {
    /// Off for length-prefixed (MP4-style) packets, where start codes cannot be trusted.
    annex_b: Option<bool>,
    /// Parameter sets of the last keyframe that had any.
    last_sets: Vec<u8>,
}

impl ParamWatch {
    pub fn new() -> Self {
        Self::default()
    }

    /// Looks at a keyframe of a stream currently described by `info`.
    pub fn keyframe(&mut self, info: &StreamInfo, data: &[u8]) -> Option<Change> {
        if !*self.annex_b.get_or_insert_with(|| is_annex_b(data)) {
            return None;
        }
        let sets = parameter_sets(info.codec, data);
        if sets.is_empty() || sets == self.last_sets {
            return None;
        }
        let first = self.last_sets.is_empty();
        self.last_sets = sets;
        let (width, height) = picture_size(info.codec, data)?;
        if (width, height) == (info.width, info.height) {
            return None;
        }
        if let Err(why) = check_picture_size(width, height) {
            return Some(Change::Refused(why));
        }
        tracing::debug!(first, width, height, "keyframe declares a new picture size");
        let params = with_parameter_sets(&info.params.get(), &self.last_sets, width, height);
        Some(Change::Reconfigured(StreamInfo {
            width,
            height,
            params: SharedParams::new(params),
            ..info.clone()
        }))
    }
}
