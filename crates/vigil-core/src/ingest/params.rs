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

#[cfg(test)]
mod tests {
    use ffmpeg_next as ffmpeg;

    use super::*;
    use crate::packet::VideoCodec;

    /// The first access unit of a real H.264 stream of `size`.
    fn keyframe(size: &str) -> Vec<u8> {
        let out = std::process::Command::new("ffmpeg")
            .args(["-v", "error", "-f", "lavfi", "-i"])
            .arg(format!("testsrc2=size={size}:rate=25"))
            .args(["-frames:v", "1", "-c:v", "libx264", "-f", "h264", "-"])
            .output()
            .expect("run ffmpeg");
        assert!(out.status.success());
        out.stdout
    }

    fn info(width: u32, height: u32) -> StreamInfo {
        StreamInfo {
            codec: VideoCodec::H264,
            width,
            height,
            time_base: (1, 90_000),
            fps: Some(25.0),
            params: SharedParams::new(ffmpeg::codec::Parameters::new()),
            audio: None,
        }
    }

    #[test]
    fn a_keyframe_with_another_size_reconfigures_the_stream() {
        let mut w = ParamWatch::new();
        let (big, small) = (keyframe("640x360"), keyframe("320x180"));
        let start = info(640, 360);
        assert!(w.keyframe(&start, &big).is_none(), "same size as probed");
        assert!(w.keyframe(&start, &big).is_none(), "same parameter sets");
        let Some(Change::Reconfigured(new)) = w.keyframe(&start, &small) else {
            panic!("the new size was not noticed");
        };
        assert_eq!((new.width, new.height), (320, 180));
        // SAFETY: reading a plain field of the parameters built for the new stream.
        let extradata = unsafe { (*new.params.get().as_ptr()).extradata_size };
        assert!(extradata > 0, "the new parameter sets are the new header");
        assert!(w.keyframe(&new, &small).is_none());
    }

    #[test]
    fn length_prefixed_streams_are_left_alone() {
        let mut w = ParamWatch::new();
        let mut avcc = keyframe("320x180");
        avcc[..4].copy_from_slice(&[0, 0, 2, 0]);
        assert!(w.keyframe(&info(640, 360), &avcc).is_none());
        assert!(w.keyframe(&info(640, 360), &keyframe("320x180")).is_none());
    }
}
