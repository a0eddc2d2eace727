//! Audio decoding for listening (playback and live): compressed audio packets (AAC, Opus, and
//! whatever else FFmpeg decodes) become interleaved `f32` samples at the rate and channel
//! count the sound output asks for (swresample), in blocks stamped with the wall time of
//! their first sample. Nothing here writes or re-encodes a recording.

use ffmpeg_next as ffmpeg;
use ffmpeg_next::ffi;
use ffmpeg_next::format::sample::Type as SampleType;
use ffmpeg_next::format::Sample;
use ffmpeg_next::ChannelLayout;

use super::packet::{AudioInfo, Packet};
use super::MediaError;

/// Decoded sound: `samples` interleaved, `channels` per frame, at `rate` frames a second.
#[derive(Debug, Clone, PartialEq)]
pub struct AudioBlock {
    /// Wall time of the first sample, UTC µs.
    pub wall_us: i64,
    pub rate: u32,
    pub channels: u16,
    pub samples: Vec<f32>,
}

impl AudioBlock {
    /// Sample frames (one sample per channel) in the block.
    pub fn frames(&self) -> usize {
        self.samples.len() / usize::from(self.channels.max(1))
    }

    /// How long the block plays, µs.
    pub fn duration_us(&self) -> i64 {
        (self.frames() as i64 * 1_000_000) / i64::from(self.rate.max(1))
    }

    /// The loudest sample, 0.0 to 1.0 (tests and level meters).
    pub fn peak(&self) -> f32 {
        self.samples.iter().fold(0.0f32, |m, s| m.max(s.abs()))
    }
}

/// What the resampler was made for: a decoded frame's format, layout and rate.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Source {
    format: Sample,
    layout: ChannelLayout,
    rate: u32,
}

/// Decodes one audio stream to blocks of interleaved `f32`. Belongs to one thread.
pub struct AudioDecoder {
    decoder: ffmpeg::decoder::Audio,
    time_base: (i32, i32),
    out_rate: u32,
    out_channels: u16,
    resampler: Option<(Source, ffmpeg::software::resampling::Context)>,
    /// (pts, wall µs) of the last packet: decoded frames are placed from it.
    anchor: Option<(i64, i64)>,
    /// Where the next block starts when a frame carries no timestamp.
    next_wall_us: Option<i64>,
    codec: String,
}

impl AudioDecoder {
    /// A decoder for a connection's audio stream, giving `out_rate` Hz, `out_channels`.
    pub fn for_stream(
        info: &AudioInfo,
        out_rate: u32,
        out_channels: u16,
    ) -> Result<Self, MediaError> {
        Self::new(info.params.get(), info.time_base, out_rate, out_channels)
    }

    /// A decoder for codec parameters whose packets are stamped in `time_base`.
    pub fn new(
        params: ffmpeg::codec::Parameters,
        time_base: (i32, i32),
        out_rate: u32,
        out_channels: u16,
    ) -> Result<Self, MediaError> {
        super::init();
        let codec = params.id().name().to_string();
        let fail =
            |e: ffmpeg::Error| MediaError::Unsupported(format!("cannot decode {codec} sound: {e}"));
        let mut ctx = ffmpeg::codec::context::Context::from_parameters(params).map_err(fail)?;
        // SAFETY: a plain field of a codec context not yet opened; packets carry pts in the
        // stream's time base, so the decoder's frames do too.
        unsafe {
            (*ctx.as_mut_ptr()).pkt_timebase = ffi::AVRational {
                num: time_base.0,
                den: time_base.1.max(1),
            };
        }
        let decoder = ctx.decoder().audio().map_err(fail)?;
        Ok(Self {
            decoder,
            time_base,
            out_rate: out_rate.clamp(8_000, 192_000),
            out_channels: out_channels.clamp(1, 8),
            resampler: None,
            anchor: None,
            next_wall_us: None,
            codec,
        })
    }

    /// The rate and channel count of the blocks given out.
    pub fn output(&self) -> (u32, u16) {
        (self.out_rate, self.out_channels)
    }

    /// Decodes one packet (`pts` in the stream's time base, `wall_us` its wall time); returns
    /// the blocks it completed. Corrupt packets are skipped.
    pub fn decode(&mut self, pkt: &Packet) -> Result<Vec<AudioBlock>, MediaError> {
        let mut p = ffmpeg::Packet::copy(&pkt.data);
        p.set_pts(Some(pkt.pts));
        p.set_dts(Some(pkt.dts));
        if pkt.duration > 0 {
            p.set_duration(pkt.duration);
        }
        self.anchor = Some((pkt.pts, pkt.wall_us));
        match self.decoder.send_packet(&p) {
            Ok(()) | Err(ffmpeg::Error::InvalidData) => {}
            Err(ffmpeg::Error::Other { errno }) if errno == libc::EAGAIN => {}
            Err(e) => {
                return Err(MediaError::Source(format!(
                    "decoding {} sound failed: {e}",
                    self.codec
                )))
            }
        }
        self.receive()
    }

    /// Forgets what the decoder holds (after a seek, or a gap in the packets).
    pub fn flush(&mut self) {
        self.decoder.flush();
        self.anchor = None;
        self.next_wall_us = None;
    }

    fn receive(&mut self) -> Result<Vec<AudioBlock>, MediaError> {
        let mut out = Vec::new();
        let mut frame = ffmpeg::frame::Audio::empty();
        while self.decoder.receive_frame(&mut frame).is_ok() {
            if frame.samples() == 0 {
                continue;
            }
            let wall_us = self.wall_of(&frame);
            let samples = self.convert(&frame)?;
            let block = AudioBlock {
                wall_us,
                rate: self.out_rate,
                channels: self.out_channels,
                samples,
            };
            self.next_wall_us = Some(wall_us + block.duration_us());
            if !block.samples.is_empty() {
                out.push(block);
            }
        }
        Ok(out)
    }

    /// Wall time of a decoded frame: from its pts and the last packet's anchor, or following
    /// on from the previous block.
    fn wall_of(&self, frame: &ffmpeg::frame::Audio) -> i64 {
        let pts = frame.timestamp().or(frame.pts());
        match (pts, self.anchor) {
            (Some(pts), Some((apts, awall))) => {
                let (num, den) = self.time_base;
                let rel =
                    i128::from(pts - apts) * 1_000_000 * i128::from(num) / i128::from(den.max(1));
                awall.saturating_add(rel as i64)
            }
            _ => self
                .next_wall_us
                .or(self.anchor.map(|(_, w)| w))
                .unwrap_or(0),
        }
    }

    /// Resamples a decoded frame to interleaved `f32` at the output rate and channels.
    fn convert(&mut self, frame: &ffmpeg::frame::Audio) -> Result<Vec<f32>, MediaError> {
        let mut layout = frame.channel_layout();
        if layout.bits() == 0 || layout.channels() != i32::from(frame.channels()) {
            layout = ChannelLayout::default(i32::from(frame.channels().max(1)));
        }
        let src = Source {
            format: frame.format(),
            layout,
            rate: frame.rate().max(1),
        };
        if self.resampler.as_ref().is_none_or(|(s, _)| *s != src) {
            let ctx = ffmpeg::software::resampling::Context::get(
                src.format,
                src.layout,
                src.rate,
                Sample::F32(SampleType::Packed),
                ChannelLayout::default(i32::from(self.out_channels)),
                self.out_rate,
            )
            .map_err(|e| MediaError::Unsupported(format!("cannot convert the sound: {e}")))?;
            self.resampler = Some((src, ctx));
        }
        let Some((_, ctx)) = self.resampler.as_mut() else {
            return Ok(Vec::new());
        };
        let in_count = frame.samples() as i32;
        let ch = usize::from(self.out_channels);
        // SAFETY: the resampler was made for this frame's format, layout and rate; the input
        // planes are the frame's (`extended_data`, one per channel when planar), holding
        // `in_count` samples; the output is one packed f32 buffer of `room` frames.
        unsafe {
            let room = ffi::swr_get_out_samples(ctx.as_mut_ptr(), in_count).max(0);
            let mut buf = vec![0f32; room as usize * ch];
            let mut out_planes = [buf.as_mut_ptr().cast::<u8>()];
            let made = ffi::swr_convert(
                ctx.as_mut_ptr(),
                out_planes.as_mut_ptr(),
                room,
                (*frame.as_ptr()).extended_data as *mut *const u8,
                in_count,
            );
            if made < 0 {
                return Err(MediaError::Source(format!(
                    "cannot convert the sound: {}",
                    ffmpeg::Error::from(made)
                )));
            }
            buf.truncate(made as usize * ch);
            Ok(buf)
        }
    }
}

#[cfg(test)]
#[path = "audio_decode_tests.rs"]
mod tests;
