//! The unit that flows from ingest to the recorder (and the analyzer, and live view): a
//! compressed video packet stamped with wall-clock time, cheap to clone, plus the stream it
//! belongs to, whose codec parameters are FFmpeg's (hence here; `crate::packet` re-exports
//! it for the pipeline).

use std::sync::{Arc, Mutex};

use ffmpeg_next as ffmpeg;

/// Video codecs Vigil records. Anything else is refused with a clear message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VideoCodec {
    H264,
    H265,
}

impl VideoCodec {
    pub fn from_ffmpeg(id: ffmpeg::codec::Id) -> Option<Self> {
        match id {
            ffmpeg::codec::Id::H264 => Some(VideoCodec::H264),
            ffmpeg::codec::Id::HEVC => Some(VideoCodec::H265),
            _ => None,
        }
    }

    /// The name ffprobe uses (`h264`, `hevc`), stored in the library.
    pub fn as_str(self) -> &'static str {
        match self {
            VideoCodec::H264 => "h264",
            VideoCodec::H265 => "hevc",
        }
    }
}

/// Audio codecs a camera may send beside its video. AAC and Opus are recorded as they come;
/// G.711 (PCMU/PCMA), which MP4 and browsers do not carry, is converted (audio only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AudioCodec {
    Aac,
    Opus,
    /// G.711 µ-law.
    Pcmu,
    /// G.711 A-law.
    Pcma,
    /// Anything else (G.726, MP3, …), by FFmpeg's codec name: reported, not recorded.
    Other(&'static str),
}

impl AudioCodec {
    pub fn from_ffmpeg(id: ffmpeg::codec::Id) -> Self {
        match id {
            ffmpeg::codec::Id::AAC => AudioCodec::Aac,
            ffmpeg::codec::Id::OPUS => AudioCodec::Opus,
            ffmpeg::codec::Id::PCM_MULAW => AudioCodec::Pcmu,
            ffmpeg::codec::Id::PCM_ALAW => AudioCodec::Pcma,
            other => AudioCodec::Other(other.name()),
        }
    }

    /// The name shown and stored (`aac`, `opus`, `pcm_mulaw`, `pcm_alaw`, or FFmpeg's).
    pub fn as_str(self) -> &'static str {
        match self {
            AudioCodec::Aac => "aac",
            AudioCodec::Opus => "opus",
            AudioCodec::Pcmu => "pcm_mulaw",
            AudioCodec::Pcma => "pcm_alaw",
            AudioCodec::Other(name) => name,
        }
    }

    /// True for codecs an MP4 segment carries as they come.
    pub fn remuxable(self) -> bool {
        matches!(self, AudioCodec::Aac | AudioCodec::Opus)
    }

    /// True for G.711, which is converted before it is recorded.
    pub fn needs_conversion(self) -> bool {
        matches!(self, AudioCodec::Pcmu | AudioCodec::Pcma)
    }
}

/// What a consumer needs to know about one connection's audio stream.
#[derive(Debug, Clone)]
pub struct AudioInfo {
    pub codec: AudioCodec,
    pub sample_rate: u32,
    pub channels: u16,
    /// Time base of the audio packets' timestamps, as (numerator, denominator).
    pub time_base: (i32, i32),
    pub params: SharedParams,
}

impl AudioInfo {
    /// Converts a duration in audio ticks to microseconds.
    pub fn ticks_to_us(&self, ticks: i64) -> i64 {
        ticks_to_us(self.time_base, ticks)
    }
}

/// Converts stream ticks in time base `(num, den)` to microseconds, saturating.
fn ticks_to_us((num, den): (i32, i32), ticks: i64) -> i64 {
    if den == 0 {
        return 0;
    }
    let v = i128::from(ticks) * 1_000_000 * i128::from(num) / i128::from(den);
    i64::try_from(v).unwrap_or(if v < 0 { i64::MIN } else { i64::MAX })
}

/// Codec parameters of the source stream, shared read-only by every consumer.
/// `Parameters` is `Send` but not `Sync`, hence the mutex; it is locked only when a
/// consumer opens a muxer or a decoder, never per packet.
#[derive(Clone)]
pub struct SharedParams(Arc<Mutex<ffmpeg::codec::Parameters>>);

impl SharedParams {
    pub fn new(params: ffmpeg::codec::Parameters) -> Self {
        Self(Arc::new(Mutex::new(params)))
    }

    /// A private copy of the parameters.
    pub fn get(&self) -> ffmpeg::codec::Parameters {
        match self.0.lock() {
            Ok(p) => p.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// A copy of the codec's extradata: parameter sets in Annex B (RTSP, the demo camera) or
    /// an `avcC`/`hvcC` record (MP4 files); empty when the stream has none.
    pub fn extradata(&self) -> Vec<u8> {
        let guard = self.0.lock().unwrap_or_else(|p| p.into_inner());
        // SAFETY: reading plain fields of valid codec parameters, under their lock;
        // extradata holds extradata_size bytes when it is not null.
        unsafe {
            let p = guard.as_ptr();
            if (*p).extradata.is_null() || (*p).extradata_size <= 0 {
                return Vec::new();
            }
            std::slice::from_raw_parts((*p).extradata, (*p).extradata_size as usize).to_vec()
        }
    }
}

impl std::fmt::Debug for SharedParams {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SharedParams")
    }
}

/// What a consumer needs to know about one connection's video stream.
#[derive(Debug, Clone)]
pub struct StreamInfo {
    pub codec: VideoCodec,
    pub width: u32,
    pub height: u32,
    /// Time base of packet timestamps, as (numerator, denominator).
    pub time_base: (i32, i32),
    /// Nominal frame rate if the source declares one.
    pub fps: Option<f64>,
    pub params: SharedParams,
    /// The connection's audio stream, when the camera sends one and its camera records or
    /// plays sound; `None` otherwise. A change of audio is a new connection (a new
    /// [`StreamEvent::Started`]).
    pub audio: Option<Arc<AudioInfo>>,
}

/// Largest picture side Vigil accepts (8K is 7680×4320). A stream that claims more is
/// refused before any decoder or muxer is opened for it: a corrupt or hostile SPS must not
/// make a decoder allocate gigabytes.
pub const MAX_PICTURE_SIDE: u32 = 8192;

/// Checks a picture size a stream declares; the error is a sentence for the status.
pub fn check_picture_size(width: u32, height: u32) -> Result<(), String> {
    if width == 0 || height == 0 {
        return Err(format!(
            "the stream declares an empty picture ({width}x{height})"
        ));
    }
    if width > MAX_PICTURE_SIDE || height > MAX_PICTURE_SIDE {
        return Err(format!(
            "the stream declares a {width}x{height} picture; Vigil accepts at most {MAX_PICTURE_SIDE}x{MAX_PICTURE_SIDE}"
        ));
    }
    Ok(())
}

impl StreamInfo {
    /// Refuses absurd picture sizes (see [`check_picture_size`]).
    pub fn check_size(&self) -> Result<(), String> {
        check_picture_size(self.width, self.height)
    }

    /// Converts a duration in stream ticks to microseconds.
    pub fn ticks_to_us(&self, ticks: i64) -> i64 {
        ticks_to_us(self.time_base, ticks)
    }
}

/// One compressed packet (video, or audio in [`StreamEvent::Audio`]). `data` is shared, so cloning is a reference-count bump.
#[derive(Debug, Clone)]
pub struct Packet {
    pub data: Arc<[u8]>,
    /// Presentation time in stream ticks (see [`StreamInfo::time_base`]).
    pub pts: i64,
    /// Decode time in stream ticks.
    pub dts: i64,
    /// Duration in stream ticks (0 when unknown).
    pub duration: i64,
    pub keyframe: bool,
    /// Wall-clock time of this packet's presentation, UTC µs (anchored to the stream's PTS).
    pub wall_us: i64,
}

/// What ingest tells its consumers, in order: a connection starts, packets flow, it ends.
#[derive(Debug, Clone)]
pub enum StreamEvent {
    /// A new connection with this stream; previous timestamps no longer continue.
    Started(Arc<StreamInfo>),
    Packet(Packet),
    /// A compressed audio packet of the connection's [`StreamInfo::audio`]: `pts`, `dts`
    /// and `duration` in the audio time base, `wall_us` from the same per-connection anchor
    /// as the video's, `keyframe` true. Only consumers that record or play sound use it;
    /// video consumers skip it.
    Audio(Packet),
    /// The connection ended (the reason is in the camera status).
    Ended,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_convert_to_microseconds() {
        let info = StreamInfo {
            codec: VideoCodec::H264,
            width: 640,
            height: 360,
            time_base: (1, 90_000),
            fps: Some(25.0),
            params: SharedParams::new(ffmpeg::codec::Parameters::new()),
            audio: None,
        };
        assert_eq!(info.ticks_to_us(90_000), 1_000_000);
        assert_eq!(info.ticks_to_us(3600), 40_000);
        assert_eq!(info.ticks_to_us(-90), -1000);
        // Camera timestamps at the edges of i64 saturate instead of overflowing.
        assert_eq!(info.ticks_to_us(i64::MAX), i64::MAX);
        assert_eq!(info.ticks_to_us(i64::MIN), i64::MIN);
    }

    #[test]
    fn absurd_picture_sizes_are_refused() {
        assert!(check_picture_size(3840, 2160).is_ok());
        assert!(check_picture_size(8192, 8192).is_ok());
        let e = check_picture_size(8193, 1080).unwrap_err();
        assert!(e.contains("8193x1080"), "{e}");
        assert!(check_picture_size(65_535, 65_535).is_err());
        assert!(check_picture_size(0, 720).is_err());
    }
}
