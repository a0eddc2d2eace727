//! A tiny synthetic H.264 stream for the live module's unit tests: a `Started` event and
//! packets (keyframes with their SPS/PPS in-band, or P slices), no camera needed.

use std::sync::Arc;

use crate::packet::{Packet, SharedParams, StreamEvent, StreamInfo, VideoCodec};

/// The stream opens: 64×48 H.264 at 25 fps, declaring no parameter sets.
pub(crate) fn started() -> StreamEvent {
    StreamEvent::Started(Arc::new(StreamInfo {
        codec: VideoCodec::H264,
        width: 64,
        height: 48,
        time_base: (1, 25),
        fps: Some(25.0),
        params: SharedParams::new(ffmpeg_next::codec::Parameters::new()),
        audio: None,
    }))
}

/// Packet `n`: a keyframe with its SPS/PPS in-band, or a P slice.
pub(crate) fn packet(n: i64, key: bool) -> StreamEvent {
    let mut data = Vec::new();
    if key {
        data.extend_from_slice(&[0, 0, 0, 1, 0x67, 0x42, 0xc0, 0x1e, 0xd9]);
        data.extend_from_slice(&[0, 0, 0, 1, 0x68, 0xce, 0x3c, 0x80]);
    }
    data.extend_from_slice(&[0, 0, 0, 1, if key { 0x65 } else { 0x41 }, 1, 2]);
    StreamEvent::Packet(Packet {
        data: Arc::from(data),
        pts: n,
        dts: n,
        duration: 1,
        keyframe: key,
        wall_us: n,
    })
}
