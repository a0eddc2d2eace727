//! G.711 (PCMU/PCMA) to AAC-LC, the one audio conversion Vigil makes (MP4 and browsers do not
//! carry G.711; video is never re-encoded): FFmpeg decodes the G.711, the samples are mixed
//! to mono float at the camera's own rate (8 kHz, which AAC supports, so nothing needs
//! resampling), and FFmpeg's native AAC encoder makes ~32 kb/s AAC-LC. Output packets keep
//! the input's wall-clock anchor: sample `n` of the encoder's timeline is presented at the
//! anchor plus `n` samples, and the encoder's priming (its first packet starts 1024 samples
//! early) is placed before the anchor, so decoded sound lines up with the video.

use std::sync::Arc;

use ffmpeg::util::error::EAGAIN;
use ffmpeg::{codec, encoder, format::Sample, frame, ChannelLayout};
use ffmpeg_next as ffmpeg;

use super::packet::{AudioCodec, AudioInfo, Packet, SharedParams};

/// The AAC bit rate, bits/s (mono speech and room sound).
const BIT_RATE: usize = 32_000;

/// Rates FFmpeg's AAC encoder takes (MPEG-4 audio sample rates).
const AAC_RATES: [u32; 12] = [
    96_000, 88_200, 64_000, 48_000, 44_100, 32_000, 24_000, 22_050, 16_000, 12_000, 11_025, 8_000,
];

/// A packet later than the samples so far by up to this is a gap filled with silence, µs;
/// beyond it (or earlier than them by more than [`OVERLAP_US`]) the timeline starts afresh.
const MAX_FILL_US: i64 = 1_000_000;
/// A packet earlier than the samples so far by up to this overlaps them: dropped, µs.
const OVERLAP_US: i64 = 1_000_000;
/// Differences below this are rounding or clock nudges: ignored, µs.
const SLACK_US: i64 = 10_000;

/// Why the conversion failed, in words.
#[derive(Debug, thiserror::Error)]
pub enum ConvertError {
    #[error("the camera's {0} sound cannot be recorded: it is not G.711")]
    NotG711(&'static str),
    #[error("cannot open the G.711 decoder: {0}")]
    Decoder(String),
    #[error("no AAC encoder in this FFmpeg build: {0}")]
    Encoder(String),
    #[error("converting the camera's G.711 sound failed: {0}")]
    Convert(String),
}

/// One camera connection's G.711 → AAC converter.
pub struct G711ToAac {
    decoder: ffmpeg::decoder::Audio,
    encoder: encoder::Audio,
    info: Arc<AudioInfo>,
    rate: u32,
    frame_size: usize,
    /// Mono samples decoded and not yet encoded.
    pending: Vec<f32>,
    /// Wall-clock time of sample 0 of the encoder's timeline, UTC µs.
    anchor_wall_us: Option<i64>,
    /// Samples given to the encoder so far (its next frame's PTS).
    encoded: i64,
    /// Input packets dropped (overlapping timestamps, undecodable).
    dropped: u64,
    /// Times the timeline started afresh (a jump in the camera's timestamps).
    restarts: u64,
}

impl G711ToAac {
    /// Opens a converter for the camera's G.711 stream `input`.
    pub fn open(input: &AudioInfo) -> Result<Self, ConvertError> {
        super::init();
        if !input.codec.needs_conversion() {
            return Err(ConvertError::NotG711(input.codec.as_str()));
        }
        let decoder = open_decoder(input)?;
        let rate = if AAC_RATES.contains(&input.sample_rate) {
            input.sample_rate
        } else {
            16_000
        };
        let encoder = open_encoder(rate)?;
        let frame_size = (encoder.frame_size() as usize).max(1);
        let params = codec::Parameters::from(&encoder);
        let info = Arc::new(AudioInfo {
            codec: AudioCodec::Aac,
            sample_rate: rate,
            channels: 1,
            time_base: (1, rate as i32),
            params: SharedParams::new(params),
        });
        Ok(Self {
            decoder,
            encoder,
            info,
            rate,
            frame_size,
            pending: Vec::new(),
            anchor_wall_us: None,
            encoded: 0,
            dropped: 0,
            restarts: 0,
        })
    }

    /// The AAC stream the converted packets form (what the segment writer records).
    pub fn info(&self) -> Arc<AudioInfo> {
        Arc::clone(&self.info)
    }

    /// Input packets dropped so far (overlapping timestamps, undecodable data).
    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    /// Times the timeline started afresh after a jump in the camera's timestamps.
    pub fn restarts(&self) -> u64 {
        self.restarts
    }

    /// Converts one G.711 packet; returns the AAC packets ready (0..n), in the output time
    /// base (1/rate), stamped with their wall-clock time.
    pub fn convert(&mut self, pkt: &Packet) -> Result<Vec<Packet>, ConvertError> {
        let samples = match self.decode(pkt) {
            Ok(s) => s,
            Err(e) => {
                self.dropped += 1;
                tracing::debug!(error = %e, "undecodable G.711 packet dropped");
                return Ok(Vec::new());
            }
        };
        if samples.is_empty() {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        let anchor = *self.anchor_wall_us.get_or_insert(pkt.wall_us);
        let expected = anchor.saturating_add(self.samples_to_us(self.next_sample()));
        let late = pkt.wall_us.saturating_sub(expected);
        if !(-OVERLAP_US..=MAX_FILL_US).contains(&late) {
            // A jump: finish what was converted, then start a new timeline here.
            out.extend(self.finish()?);
            self.encoder = open_encoder(self.rate)?;
            self.pending.clear();
            self.encoded = 0;
            self.anchor_wall_us = Some(pkt.wall_us);
            self.restarts += 1;
        } else if late < -SLACK_US {
            self.dropped += 1;
            return Ok(out);
        } else if late > SLACK_US {
            let gap = usize::try_from(self.us_to_samples(late)).unwrap_or(0);
            self.pending.resize(self.pending.len() + gap, 0.0);
        }
        self.pending.extend_from_slice(&samples);
        self.encode_ready(&mut out)?;
        Ok(out)
    }

    /// At the end of the stream: encodes what is pending (padded with silence) and drains the
    /// encoder.
    pub fn finish(&mut self) -> Result<Vec<Packet>, ConvertError> {
        let mut out = Vec::new();
        if !self.pending.is_empty() {
            let pad = self.frame_size - self.pending.len() % self.frame_size;
            if pad < self.frame_size {
                self.pending.resize(self.pending.len() + pad, 0.0);
            }
            self.encode_ready(&mut out)?;
        }
        if self.anchor_wall_us.is_some() {
            let failed = |e: ffmpeg::Error| ConvertError::Convert(e.to_string());
            self.encoder.send_eof().map_err(failed)?;
            self.receive(&mut out)?;
        }
        Ok(out)
    }

    /// Position of the next input sample on the encoder's timeline.
    fn next_sample(&self) -> i64 {
        self.encoded
            .saturating_add(i64::try_from(self.pending.len()).unwrap_or(i64::MAX))
    }

    fn samples_to_us(&self, n: i64) -> i64 {
        let v = i128::from(n) * 1_000_000 / i128::from(self.rate.max(1));
        i64::try_from(v).unwrap_or(if v < 0 { i64::MIN } else { i64::MAX })
    }

    fn us_to_samples(&self, us: i64) -> i64 {
        let v = i128::from(us) * i128::from(self.rate) / 1_000_000;
        i64::try_from(v).unwrap_or(0)
    }

    /// Decodes a packet into mono float samples.
    fn decode(&mut self, pkt: &Packet) -> Result<Vec<f32>, ffmpeg::Error> {
        self.decoder.send_packet(&ffmpeg::Packet::copy(&pkt.data))?;
        let mut samples = Vec::new();
        let mut frame = frame::Audio::empty();
        while self.decoder.receive_frame(&mut frame).is_ok() {
            mono_samples(&frame, &mut samples);
        }
        Ok(samples)
    }

    /// Encodes every whole frame pending.
    fn encode_ready(&mut self, out: &mut Vec<Packet>) -> Result<(), ConvertError> {
        let failed = |e: ffmpeg::Error| ConvertError::Convert(e.to_string());
        while self.pending.len() >= self.frame_size {
            let mut f = frame::Audio::new(
                Sample::F32(ffmpeg::format::sample::Type::Planar),
                self.frame_size,
                ChannelLayout::MONO,
            );
            f.set_rate(self.rate);
            f.set_pts(Some(self.encoded));
            let plane = f.data_mut(0);
            for (dst, s) in plane
                .chunks_exact_mut(4)
                .zip(self.pending.drain(..self.frame_size))
            {
                dst.copy_from_slice(&s.to_ne_bytes());
            }
            self.encoder.send_frame(&f).map_err(failed)?;
            self.encoded += self.frame_size as i64;
            self.receive(out)?;
        }
        Ok(())
    }

    /// Takes the packets the encoder has ready.
    fn receive(&mut self, out: &mut Vec<Packet>) -> Result<(), ConvertError> {
        let anchor = self.anchor_wall_us.unwrap_or(0);
        loop {
            let mut p = ffmpeg::Packet::empty();
            match self.encoder.receive_packet(&mut p) {
                Ok(()) => {
                    let Some(data) = p.data() else { continue };
                    let pts = p.pts().unwrap_or(self.encoded);
                    let duration = if p.duration() > 0 {
                        p.duration()
                    } else {
                        self.frame_size as i64
                    };
                    out.push(Packet {
                        data: Arc::from(data),
                        pts,
                        dts: pts,
                        duration,
                        keyframe: true,
                        wall_us: anchor.saturating_add(self.samples_to_us(pts)),
                    });
                }
                Err(ffmpeg::Error::Other { errno: EAGAIN }) | Err(ffmpeg::Error::Eof) => {
                    return Ok(())
                }
                Err(e) => return Err(ConvertError::Convert(e.to_string())),
            }
        }
    }
}

/// Codec parameters of a G.711 stream as an RTSP PCMU/PCMA track declares it (mono).
pub fn g711_params(kind: AudioCodec, rate: u32) -> SharedParams {
    let id = if kind == AudioCodec::Pcma {
        codec::Id::PCM_ALAW
    } else {
        codec::Id::PCM_MULAW
    };
    let mut params = codec::Parameters::new();
    // SAFETY: plain fields of parameters we own.
    unsafe {
        let p = params.as_mut_ptr();
        (*p).codec_type = ffmpeg::ffi::AVMediaType::AVMEDIA_TYPE_AUDIO;
        (*p).codec_id = id.into();
        (*p).sample_rate = i32::try_from(rate).unwrap_or(8_000);
        ffmpeg::ffi::av_channel_layout_default(&mut (*p).ch_layout, 1);
    }
    SharedParams::new(params)
}

fn open_decoder(input: &AudioInfo) -> Result<ffmpeg::decoder::Audio, ConvertError> {
    let fail = |e: ffmpeg::Error| ConvertError::Decoder(e.to_string());
    let mut ctx = codec::context::Context::from_parameters(input.params.get()).map_err(fail)?;
    // SAFETY: plain fields of the context we own; G.711 from RTSP is 8 kHz mono when the
    // SDP leaves them out.
    unsafe {
        let p = ctx.as_mut_ptr();
        if (*p).sample_rate <= 0 {
            (*p).sample_rate = i32::try_from(input.sample_rate)
                .ok()
                .filter(|r| *r > 0)
                .unwrap_or(8_000);
        }
        if (*p).ch_layout.nb_channels <= 0 {
            ffmpeg::ffi::av_channel_layout_default(
                &mut (*p).ch_layout,
                i32::from(input.channels.max(1)),
            );
        }
    }
    ctx.decoder().audio().map_err(fail)
}

fn open_encoder(rate: u32) -> Result<encoder::Audio, ConvertError> {
    let fail = |e: ffmpeg::Error| ConvertError::Encoder(e.to_string());
    let codec = encoder::find(codec::Id::AAC)
        .ok_or_else(|| ConvertError::Encoder("AAC encoder not found".into()))?;
    let mut enc = codec::Context::new_with_codec(codec)
        .encoder()
        .audio()
        .map_err(fail)?;
    enc.set_rate(rate as i32);
    enc.set_channel_layout(ChannelLayout::MONO);
    enc.set_channels(1);
    enc.set_format(Sample::F32(ffmpeg::format::sample::Type::Planar));
    enc.set_bit_rate(BIT_RATE);
    enc.set_time_base(ffmpeg::Rational::new(1, rate as i32));
    // The AudioSpecificConfig in the extradata, where the MP4 muxer wants it.
    enc.set_flags(codec::flag::Flags::GLOBAL_HEADER);
    enc.open_as(codec).map_err(fail)
}

/// Appends a decoded frame's samples mixed to mono, as floats in [-1, 1]. G.711 decodes to
/// packed (interleaved) signed 16-bit.
fn mono_samples(frame: &frame::Audio, out: &mut Vec<f32>) {
    let channels = usize::from(frame.channels().max(1));
    let n = frame.samples();
    let bytes = n * channels * 2;
    if frame.format() != Sample::I16(ffmpeg::format::sample::Type::Packed) || n == 0 {
        return;
    }
    let data = frame.data(0);
    let Some(data) = data.get(..bytes) else {
        return;
    };
    out.reserve(n);
    for sample in data.chunks_exact(2 * channels) {
        let sum: i32 = sample
            .chunks_exact(2)
            .map(|b| i32::from(i16::from_ne_bytes([b[0], b[1]])))
            .sum();
        out.push(sum as f32 / (32_768.0 * channels as f32));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// G.711 µ-law stream info as ingest would give it (8 kHz mono, 1/8000).
    fn pcmu_info() -> AudioInfo {
        AudioInfo {
            codec: AudioCodec::Pcmu,
            sample_rate: 8_000,
            channels: 1,
            time_base: (1, 8_000),
            params: g711_params(AudioCodec::Pcmu, 8_000),
        }
    }

    /// 20 ms of µ-law (160 bytes) at `wall_us`.
    fn pcmu(i: i64, wall_us: i64) -> Packet {
        let data: Vec<u8> = (0..160).map(|k| ((k * 7 + i) % 256) as u8).collect();
        Packet {
            data: Arc::from(data),
            pts: i * 160,
            dts: i * 160,
            duration: 160,
            keyframe: true,
            wall_us,
        }
    }

    const T0: i64 = 1_700_000_000_000_000;

    #[test]
    fn ten_seconds_of_pcmu_become_aac_on_the_same_clock() {
        let mut c = G711ToAac::open(&pcmu_info()).expect("converter");
        let info = c.info();
        assert_eq!(info.codec, AudioCodec::Aac);
        assert_eq!((info.sample_rate, info.channels), (8_000, 1));
        assert!(!info.params.extradata().is_empty(), "AudioSpecificConfig");
        let mut out = Vec::new();
        for i in 0..500 {
            out.extend(c.convert(&pcmu(i, T0 + i * 20_000)).expect("convert"));
        }
        out.extend(c.finish().expect("finish"));
        // 80 000 samples (10 s) in 1024-sample frames, plus the priming frame and padding.
        let covered: i64 = out.iter().map(|p| p.duration).sum();
        assert!((80_000..=80_000 + 3 * 1024).contains(&covered), "{covered}");
        // The first packet is the encoder's priming, 1024 samples before the first input.
        assert_eq!(out[0].wall_us, T0 - 128_000);
        for w in out.windows(2) {
            assert_eq!(w[1].pts - w[0].pts, 1024);
            assert_eq!(w[1].wall_us - w[0].wall_us, 128_000);
        }
        assert_eq!((c.dropped(), c.restarts()), (0, 0));
    }

    #[test]
    fn gaps_are_filled_overlaps_dropped_and_jumps_restart() {
        let mut c = G711ToAac::open(&pcmu_info()).expect("converter");
        let mut out = Vec::new();
        for i in 0..100 {
            out.extend(c.convert(&pcmu(i, T0 + i * 20_000)).expect("convert"));
        }
        // 100 ms lost: silence keeps the packets after it at their time.
        out.extend(c.convert(&pcmu(105, T0 + 2_100_000)).expect("gap"));
        assert_eq!(c.next_sample(), 101 * 160 + 800);
        // A repeat of an earlier packet overlaps: dropped.
        out.extend(c.convert(&pcmu(50, T0 + 2_000_000)).expect("overlap"));
        assert_eq!(c.dropped(), 1);
        // An hour later: a new timeline anchored there.
        let later = T0 + 3_600_000_000;
        let before = out.len();
        out.extend(c.convert(&pcmu(0, later)).expect("jump"));
        assert_eq!(c.restarts(), 1);
        assert!(out.len() > before, "what came before the jump was flushed");
        for i in 1..100 {
            out.extend(c.convert(&pcmu(i, later + i * 20_000)).expect("convert"));
        }
        let after: Vec<_> = out
            .iter()
            .filter(|p| p.wall_us >= later - 200_000)
            .collect();
        assert!(!after.is_empty());
        assert_eq!(after[0].wall_us, later - 128_000);
    }

    #[test]
    fn only_g711_is_converted() {
        let mut info = pcmu_info();
        info.codec = AudioCodec::Aac;
        assert!(matches!(
            G711ToAac::open(&info),
            Err(ConvertError::NotG711("aac"))
        ));
    }
}
