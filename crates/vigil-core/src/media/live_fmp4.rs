//! Live fragmented MP4 for browsers (Media Source Extensions): a camera's compressed packets
//! packaged as they arrive, one fragment per packet, never decoded or re-encoded. A
//! [`LiveMuxer`] turns a stream's parameters into an initialization segment (sent again when
//! the parameter sets change) and each packet into a media segment, converting Annex B
//! (RTSP, the demo camera) to the length-prefixed NAL units MP4 holds. Pure Rust.

mod boxes;
mod config;
mod nal;

use boxes::{fragment_header, init_segment, SampleInfo};
use nal::{kind, split_annex_b, NalKind};

pub use config::{ConfigError, DecoderConfig, ParameterSets};

use super::packet::{Packet, StreamInfo, VideoCodec};

/// Ticks per second of every live track (decode times in fragments count these).
pub const TIMESCALE: u32 = 90_000;
/// A sample further than this from the previous one (or going back) starts afresh right
/// after it, unless the stream's frame interval says otherwise.
const MAX_GAP: i128 = TIMESCALE as i128;

/// Why a stream or a packet cannot be packaged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LiveMuxError {
    #[error("a {0}x{1} picture does not fit an MP4 track")]
    PictureSize(u32, u32),
    #[error("the stream's time base {0}/{1} is unusable")]
    TimeBase(i32, i32),
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("the packet holds no Annex B NAL units")]
    NotAnnexB,
    #[error("a packet of {0} bytes is too large for a fragment")]
    TooLarge(usize),
}

/// What the muxer needs to know about a stream.
#[derive(Debug, Clone)]
pub struct TrackParams {
    pub codec: VideoCodec,
    pub width: u32,
    pub height: u32,
    /// Time base of packet timestamps (numerator, denominator).
    pub time_base: (i32, i32),
    pub fps: Option<f64>,
    /// Parameter sets in Annex B, an `avcC`/`hvcC` record, or nothing (sets come in-band).
    pub extradata: Vec<u8>,
}

impl TrackParams {
    pub fn of(info: &StreamInfo) -> Self {
        Self {
            codec: info.codec,
            width: info.width,
            height: info.height,
            time_base: info.time_base,
            fps: info.fps,
            extradata: info.params.extradata(),
        }
    }
}

/// An initialization segment (`ftyp` + `moov`) and what a browser needs to open it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitSegment {
    pub data: Vec<u8>,
    /// The codec string, e.g. `avc1.640028`.
    pub codec: String,
    pub width: u32,
    pub height: u32,
}

impl InitSegment {
    /// The MIME type for `MediaSource.isTypeSupported` and `addSourceBuffer`.
    pub fn mime_type(&self) -> String {
        format!("video/mp4; codecs=\"{}\"", self.codec)
    }
}

/// A media segment (`moof` + `mdat`) holding one packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fragment {
    pub data: Vec<u8>,
    /// `mfhd` sequence number.
    pub sequence: u32,
    /// `tfdt` decode time, in [`TIMESCALE`] ticks.
    pub decode_time: u64,
    pub keyframe: bool,
    /// The packet's wall-clock time, UTC µs (for a viewer's latency measurement).
    pub wall_us: i64,
}

/// Where a track's timeline stands: the next fragment's decode time and the last sequence
/// number used. A new muxer for the same viewer continues from its predecessor's.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Position {
    pub decode_time: u64,
    pub sequence: u32,
}

/// What one packet became: a new initialization segment first (when it carries one), then
/// its fragment. Packets before the first keyframe become nothing.
#[derive(Debug, Default)]
pub struct Muxed {
    pub init: Option<InitSegment>,
    pub fragment: Option<Fragment>,
}

/// How the stream's samples arrive.
enum Samples {
    /// Start codes; parameter sets declared in the extradata (maybe none) and in keyframes.
    AnnexB { declared: ParameterSets },
    /// Length-prefixed as in an MP4 file, described by the file's record.
    LengthPrefixed(DecoderConfig),
}

/// The previous sample, to time the next.
#[derive(Debug, Clone, Copy)]
struct Last {
    /// Its decode time in stream time, in [`TIMESCALE`] ticks.
    dts: i128,
    decode_time: u64,
}

/// Packages one connection's packets for one viewer.
pub struct LiveMuxer {
    codec: VideoCodec,
    width: u16,
    height: u16,
    time_base: (i32, i32),
    samples: Samples,
    /// Parameter sets of the last initialization segment (Annex B streams).
    current: Option<ParameterSets>,
    init_sent: bool,
    position: Position,
    last: Option<Last>,
    /// The stream's frame interval as measured between packets, in ticks.
    interval: Option<u32>,
    default_duration: u32,
}

impl LiveMuxer {
    /// A muxer for a stream, its timeline continuing from `start`.
    pub fn new(track: &TrackParams, start: Position) -> Result<Self, LiveMuxError> {
        let (num, den) = track.time_base;
        if num <= 0 || den <= 0 {
            return Err(LiveMuxError::TimeBase(num, den));
        }
        let size_err = || LiveMuxError::PictureSize(track.width, track.height);
        let width = u16::try_from(track.width).map_err(|_| size_err())?;
        let height = u16::try_from(track.height).map_err(|_| size_err())?;
        if width == 0 || height == 0 {
            return Err(size_err());
        }
        let extra = &track.extradata;
        let samples = if extra.first() == Some(&1) {
            Samples::LengthPrefixed(DecoderConfig::from_record(track.codec, extra)?)
        } else {
            let declared = ParameterSets::from_nals(track.codec, split_annex_b(extra));
            Samples::AnnexB { declared }
        };
        let default_duration = track
            .fps
            .filter(|f| f.is_finite() && *f >= 1.0)
            .map_or(TIMESCALE / 25, |f| {
                (f64::from(TIMESCALE) / f).round() as u32
            });
        Ok(Self {
            codec: track.codec,
            width,
            height,
            time_base: (num, den),
            samples,
            current: None,
            init_sent: false,
            position: start,
            last: None,
            interval: None,
            default_duration,
        })
    }

    /// Where the timeline stands after the packets so far.
    pub fn position(&self) -> Position {
        self.position
    }

    /// Packages one packet (see [`Muxed`]).
    pub fn push(&mut self, packet: &Packet) -> Result<Muxed, LiveMuxError> {
        let mut out = Muxed::default();
        if !self.init_sent && !packet.keyframe {
            return Ok(out);
        }
        let nals = match &self.samples {
            Samples::LengthPrefixed(config) => {
                if !self.init_sent {
                    out.init = Some(self.init_segment(config));
                }
                None
            }
            Samples::AnnexB { .. } => {
                let nals = split_annex_b(&packet.data);
                if nals.is_empty() {
                    return Err(LiveMuxError::NotAnnexB);
                }
                if packet.keyframe {
                    out.init = self.new_parameter_sets(&nals)?;
                }
                Some(nals)
            }
        };
        self.init_sent |= out.init.is_some();
        out.fragment = match nals {
            None => self.fragment(packet, packet.data.len(), |buf| {
                buf.extend_from_slice(&packet.data)
            })?,
            Some(nals) => {
                let kept: Vec<&[u8]> = nals
                    .into_iter()
                    .filter(|n| kind(self.codec, n) == NalKind::Other)
                    .collect();
                let size = kept.iter().map(|n| 4 + n.len()).sum();
                self.fragment(packet, size, |buf| {
                    for n in &kept {
                        buf.extend_from_slice(&(n.len() as u32).to_be_bytes());
                        buf.extend_from_slice(n);
                    }
                })?
            }
        };
        Ok(out)
    }

    fn init_segment(&self, config: &DecoderConfig) -> InitSegment {
        InitSegment {
            data: init_segment(config, self.width, self.height, TIMESCALE),
            codec: config.codec_string(),
            width: u32::from(self.width),
            height: u32::from(self.height),
        }
    }

    /// A new initialization segment when a keyframe's parameter sets differ from the last
    /// segment's (or there was none yet: then the declared sets do if the keyframe has none).
    fn new_parameter_sets(&mut self, nals: &[&[u8]]) -> Result<Option<InitSegment>, LiveMuxError> {
        let in_band = ParameterSets::from_nals(self.codec, nals.iter().copied());
        let sets = if in_band.is_complete(self.codec) {
            in_band
        } else if self.current.is_some() {
            return Ok(None);
        } else if let Samples::AnnexB { declared } = &self.samples {
            declared.clone()
        } else {
            return Ok(None);
        };
        if self.current.as_ref() == Some(&sets) {
            return Ok(None);
        }
        let config = DecoderConfig::from_parameter_sets(self.codec, &sets)?;
        self.current = Some(sets);
        Ok(Some(self.init_segment(&config)))
    }

    /// Stream ticks as [`TIMESCALE`] ticks.
    fn ticks(&self, t: i64) -> i128 {
        let (num, den) = self.time_base;
        i128::from(t) * i128::from(num) * i128::from(TIMESCALE) / i128::from(den)
    }

    /// The fragment of a packet whose `size` bytes of sample data `write` appends.
    fn fragment(
        &mut self,
        packet: &Packet,
        size: usize,
        write: impl FnOnce(&mut Vec<u8>),
    ) -> Result<Option<Fragment>, LiveMuxError> {
        if size == 0 {
            return Ok(None);
        }
        let size32 = u32::try_from(size)
            .ok()
            .filter(|s| *s < u32::MAX - 1024)
            .ok_or(LiveMuxError::TooLarge(size))?;
        let sample = self.time(packet, size32);
        self.position.sequence = self.position.sequence.wrapping_add(1);
        let mut w = fragment_header(self.position.sequence, &sample);
        write(&mut w.buf);
        Ok(Some(Fragment {
            data: w.buf,
            sequence: self.position.sequence,
            decode_time: sample.decode_time,
            keyframe: packet.keyframe,
            wall_us: packet.wall_us,
        }))
    }

    /// Times the next sample. Its decode time follows the previous sample's by the packets'
    /// distance, except across a gap (packets dropped for a slow viewer, a reconnection,
    /// timestamps going back): then it starts where the previous sample ended, so a
    /// viewer's timeline never has holes.
    fn time(&mut self, packet: &Packet, size: u32) -> SampleInfo {
        let dts = self.ticks(packet.dts);
        let limit = self.interval.map_or(MAX_GAP, |i| 3 * i128::from(i));
        let measured = self
            .last
            .map(|last| (last, dts - last.dts))
            .filter(|(_, delta)| *delta > 0 && *delta <= limit);
        let decode_time = match measured {
            Some((last, delta)) => last.decode_time.saturating_add(delta as u64),
            None => self.position.decode_time,
        };
        if let Some((_, delta)) = measured {
            self.interval = u32::try_from(delta).ok().or(self.interval);
        }
        let duration = Some(self.ticks(packet.duration))
            .filter(|d| *d > 0)
            .and_then(|d| u32::try_from(d).ok())
            .or(self.interval)
            .unwrap_or(self.default_duration)
            .max(1);
        self.last = Some(Last { dts, decode_time });
        self.position.decode_time = decode_time.saturating_add(u64::from(duration));
        let offset = self.ticks(packet.pts.saturating_sub(packet.dts));
        SampleInfo {
            decode_time,
            duration,
            composition_offset: offset.clamp(i128::from(i32::MIN), i128::from(i32::MAX)) as i32,
            keyframe: packet.keyframe,
            size,
        }
    }
}

#[cfg(test)]
mod tests;
