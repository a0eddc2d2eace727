//! The unit that flows from ingest to the recorder, the analyzer and live view: a compressed
//! video packet stamped with wall-clock time, plus the stream it belongs to. Defined in
//! [`crate::media::packet`] (a stream carries FFmpeg's codec parameters); named here by the
//! pipeline stages.

pub use crate::media::packet::{
    check_picture_size, AudioCodec, AudioInfo, Packet, SharedParams, StreamEvent, StreamInfo,
    VideoCodec, MAX_PICTURE_SIDE,
};
