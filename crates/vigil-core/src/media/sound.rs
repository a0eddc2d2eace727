//! A source's sound: finding the camera's audio stream beside its video, describing it
//! ([`AudioInfo`]), and noticing when it changes codec or rate mid-stream.

use std::sync::Arc;
use std::time::{Duration, Instant};

use ffmpeg_next as ffmpeg;

use super::packet::{AudioCodec, AudioInfo, SharedParams};

/// The audio stream a source carries (delivered or only reported, see
/// [`super::input::MediaInput::open_with_audio`]).
#[derive(Debug, Clone)]
pub struct SoundTrack {
    pub index: usize,
    pub info: Arc<AudioInfo>,
}

/// The source's best audio stream, if it has one.
pub fn best_audio(ictx: &ffmpeg::format::context::Input) -> Option<SoundTrack> {
    let stream = ictx.streams().best(ffmpeg::media::Type::Audio)?;
    Some(SoundTrack {
        index: stream.index(),
        info: Arc::new(audio_info(&stream)),
    })
}

/// The audio stream at `index`, when that stream is audio (a stream that appeared after the
/// source was opened, as MPEG-TS allows).
pub fn audio_at(ictx: &ffmpeg::format::context::Input, index: usize) -> Option<SoundTrack> {
    let stream = ictx.stream(index)?;
    (stream.parameters().medium() == ffmpeg::media::Type::Audio).then(|| SoundTrack {
        index,
        info: Arc::new(audio_info(&stream)),
    })
}

/// Rate and channels from codec parameters.
fn rate_and_channels(params: &ffmpeg::codec::Parameters) -> (u32, u16) {
    // SAFETY: reading plain fields of valid codec parameters.
    unsafe {
        let p = params.as_ptr();
        let layout = (*p).ch_layout.nb_channels;
        let channels = if layout > 0 { layout } else { (*p).channels };
        (
            (*p).sample_rate.max(0) as u32,
            channels.clamp(0, 255) as u16,
        )
    }
}

/// True when `stream` still carries the sound `info` describes (codec, rate, channels):
/// checked on every audio packet, without copying the parameters.
pub fn still(info: &AudioInfo, stream: &ffmpeg::format::stream::Stream<'_>) -> bool {
    let params = stream.parameters();
    AudioCodec::from_ffmpeg(params.id()) == info.codec
        && rate_and_channels(&params) == (info.sample_rate, info.channels)
}

/// What the stream says about its sound now.
pub fn audio_info(stream: &ffmpeg::format::stream::Stream<'_>) -> AudioInfo {
    let params = stream.parameters();
    let codec = AudioCodec::from_ffmpeg(params.id());
    let (sample_rate, channels) = rate_and_channels(&params);
    let tb = stream.time_base();
    AudioInfo {
        codec,
        sample_rate,
        channels,
        time_base: (tb.numerator(), tb.denominator()),
        params: SharedParams::new(params),
    }
}

/// True when the stream's parameters are known well enough to record or convert it: rate,
/// channels, and for AAC its configuration (extradata). Codecs Vigil does not handle count
/// as complete: they are only reported.
pub fn complete(info: &AudioInfo) -> bool {
    let handled = matches!(
        info.codec,
        AudioCodec::Aac | AudioCodec::Opus | AudioCodec::Pcmu | AudioCodec::Pcma
    );
    if !handled {
        return true;
    }
    info.sample_rate > 0
        && info.channels > 0
        && (info.codec != AudioCodec::Aac || !info.params.extradata().is_empty())
}

/// True for sound Vigil takes in (records, converts or plays): AAC, Opus and G.711.
pub fn accepted(codec: AudioCodec) -> bool {
    codec.remuxable() || codec.needs_conversion()
}

/// Longest the sound waits for an RTP source's RTCP sender reports, from the open.
pub const SYNC_WAIT: Duration = Duration::from_secs(10);

/// Whether an RTP source's sound and picture share a clock yet.
///
/// Over RTSP each stream's timestamps start from its own first packet; FFmpeg moves a stream
/// onto the sender's common clock once an RTCP sender report for that stream has come, and
/// from then on marks its packets with the producer's reference time (`AV_PKT_DATA_PRFT`).
/// Sound delivered before both streams are on that clock can be a fraction of a second off
/// the picture, so it is held back until then, or, for a camera that sends no reports,
/// until [`SYNC_WAIT`] has passed (then matched by the streams' first packets, and said).
#[derive(Debug)]
pub struct ClockSync {
    opened: Instant,
    video: bool,
    audio: bool,
    state: SyncState,
}

/// Where a connection's sound stands with the clock sync.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncState {
    /// Waiting for the sender reports: sound is held back.
    Waiting,
    /// Sound and picture share the sender's clock (or the source is not RTP).
    Synced,
    /// No reports within [`SYNC_WAIT`]: sound flows, matched by first packets.
    Unsynced,
}

impl ClockSync {
    pub fn new(ictx: &ffmpeg::format::context::Input) -> Self {
        let name = ictx.format().name().to_string();
        let rtp = name.split(',').any(|n| matches!(n, "rtsp" | "rtp" | "sdp"));
        Self {
            opened: Instant::now(),
            video: false,
            audio: false,
            state: if rtp {
                SyncState::Waiting
            } else {
                SyncState::Synced
            },
        }
    }

    /// Notes a packet read: `audio` for the sound's, else the picture's.
    pub fn saw(&mut self, pkt: &ffmpeg::Packet, audio: bool) {
        if self.state == SyncState::Synced {
            return;
        }
        let on_clock = pkt
            .side_data()
            .any(|d| d.kind() == ffmpeg::codec::packet::side_data::Type::PRFT);
        if audio {
            self.audio = on_clock;
        } else {
            self.video = on_clock;
        }
        if self.video && self.audio {
            self.state = SyncState::Synced;
        } else if self.state == SyncState::Waiting && self.opened.elapsed() >= SYNC_WAIT {
            self.state = SyncState::Unsynced;
        }
    }

    pub fn state(&self) -> SyncState {
        self.state
    }
}
