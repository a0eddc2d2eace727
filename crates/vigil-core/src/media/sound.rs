//! A source's sound: finding the camera's audio stream beside its video, describing it
//! ([`AudioInfo`]), and noticing when it changes codec or rate mid-stream.

use std::sync::Arc;

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
