//! An H.264 encoder for pictures Vigil draws itself (the demo camera): libx264 tuned for
//! low latency, a keyframe exactly every GOP, parameter sets in the extradata only.

use std::sync::Arc;

use ffmpeg::util::error::EAGAIN;
use ffmpeg::{codec, encoder, format::Pixel, frame, Dictionary, Packet, Rational};
use ffmpeg_next as ffmpeg;

use super::input::RawPacket;
use super::packet::{SharedParams, StreamInfo, VideoCodec};

/// Why the encoder failed, in words.
#[derive(Debug, thiserror::Error)]
pub enum EncodeError {
    #[error("no H.264 encoder in this FFmpeg build (libx264 missing)")]
    NoEncoder,
    #[error("could not open the H.264 encoder: {0}")]
    Open(String),
    #[error("H.264 encoding failed: {0}")]
    Encode(String),
}

/// An open H.264 encoder of YUV 4:2:0 pictures; packets are timed in 1/fps.
pub struct H264Encoder {
    encoder: encoder::Video,
    width: u32,
    height: u32,
    fps: u32,
    next_frame: i64,
}

impl H264Encoder {
    /// Opens libx264 (or FFmpeg's H.264 encoder) for `width`×`height` at `fps` with a
    /// keyframe every `gop` frames, about 1 Mbit/s at 640x360 scaled by area.
    pub fn open(width: u32, height: u32, fps: u32, gop: u32) -> Result<Self, EncodeError> {
        super::init();
        let codec = encoder::find_by_name("libx264")
            .or_else(|| encoder::find(codec::Id::H264))
            .ok_or(EncodeError::NoEncoder)?;
        let open = |e: ffmpeg::Error| EncodeError::Open(e.to_string());
        let mut enc = codec::Context::new_with_codec(codec)
            .encoder()
            .video()
            .map_err(open)?;
        enc.set_width(width);
        enc.set_height(height);
        enc.set_format(Pixel::YUV420P);
        enc.set_time_base(Rational::new(1, fps as i32));
        enc.set_frame_rate(Some(Rational::new(fps as i32, 1)));
        enc.set_gop(gop);
        enc.set_max_b_frames(0);
        let bit_rate =
            (u64::from(width) * u64::from(height) * 1_000_000 / (640 * 360)).max(200_000);
        enc.set_bit_rate(bit_rate as usize);
        enc.set_flags(codec::flag::Flags::GLOBAL_HEADER);
        let mut opts = Dictionary::new();
        opts.set("preset", "ultrafast");
        opts.set("tune", "zerolatency");
        // Keyframes exactly every `gop` frames, never extra ones on "scene cuts".
        opts.set("x264-params", "scenecut=0");
        let encoder = enc.open_with(opts).map_err(open)?;
        tracing::debug!(codec = codec.name(), bit_rate, "H.264 encoder opened");
        Ok(Self {
            encoder,
            width,
            height,
            fps,
            next_frame: 0,
        })
    }

    /// The stream the packets form (parameters include SPS/PPS extradata: the encoder is
    /// opened with the global-header flag).
    pub fn stream_info(&self) -> StreamInfo {
        StreamInfo {
            codec: VideoCodec::H264,
            width: self.width,
            height: self.height,
            time_base: (1, self.fps as i32),
            fps: Some(f64::from(self.fps)),
            params: SharedParams::new(codec::Parameters::from(&self.encoder)),
            audio: None,
        }
    }

    /// Encodes the next picture, which `paint(plane, data, stride)` draws into its three
    /// planes (Y, U, V); returns the packets the encoder produced (0..n), timed in 1/fps.
    pub fn encode(
        &mut self,
        mut paint: impl FnMut(usize, &mut [u8], usize),
    ) -> Result<Vec<RawPacket>, EncodeError> {
        let n = self.next_frame;
        let mut frame = frame::Video::new(Pixel::YUV420P, self.width, self.height);
        for p in 0..3 {
            let stride = frame.stride(p);
            paint(p, frame.data_mut(p), stride);
        }
        frame.set_pts(Some(n));
        let failed = |e: ffmpeg::Error| EncodeError::Encode(e.to_string());
        self.encoder.send_frame(&frame).map_err(failed)?;
        self.next_frame += 1;
        let mut packets = Vec::new();
        loop {
            let mut packet = Packet::empty();
            match self.encoder.receive_packet(&mut packet) {
                Ok(()) => {
                    let Some(data) = packet.data() else { continue };
                    let pts = packet.pts().unwrap_or(0);
                    packets.push(RawPacket {
                        data: Arc::from(data),
                        pts,
                        dts: packet.dts().unwrap_or(pts),
                        duration: 1, // one frame, in 1/fps
                        keyframe: packet.is_key(),
                        audio: false,
                    });
                }
                Err(ffmpeg::Error::Other { errno: EAGAIN }) | Err(ffmpeg::Error::Eof) => break,
                Err(e) => return Err(failed(e)),
            }
        }
        Ok(packets)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyframes_come_every_gop_with_parameter_sets_in_the_extradata() {
        let (fps, gop) = (30, 15);
        let mut enc = H264Encoder::open(640, 360, fps, gop).expect("encoder");
        let params = enc.stream_info().params.get();
        assert_eq!(params.id(), codec::Id::H264);
        // SAFETY: reading a plain field of a valid AVCodecParameters we own.
        let extradata = unsafe { (*params.as_ptr()).extradata_size };
        assert!(extradata > 0, "no SPS/PPS extradata");
        let mut packets = Vec::new();
        for _ in 0..2 * gop {
            packets.extend(enc.encode(|_, data, _| data.fill(128)).expect("encode"));
        }
        assert_eq!(packets.len(), 2 * gop as usize); // zerolatency: no delay
        for (i, p) in packets.iter().enumerate() {
            assert_eq!(p.keyframe, i % gop as usize == 0, "packet {i}");
            let want = i as i64;
            assert_eq!((p.pts, p.dts, p.duration), (want, want, 1));
        }
    }
}
