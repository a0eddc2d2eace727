//! Probing a recording file: codec, size, frame count, duration and the audio track's codec,
//! read from the container without decoding. Used to index files found after a crash; a truncated last fragment is
//! not counted.

use std::path::Path;

use ffmpeg_next as ffmpeg;

use super::packet::{AudioCodec, VideoCodec};
use super::MediaError;

/// What a recording file holds.
#[derive(Debug, Clone, PartialEq)]
pub struct ProbeInfo {
    pub codec: VideoCodec,
    pub width: u32,
    pub height: u32,
    pub frames: u64,
    /// From the first packet's presentation to the end of the last, µs.
    pub duration_us: i64,
    /// The audio track's codec (`aac`, `opus`), `None` when the file has none.
    pub audio_codec: Option<String>,
}

/// Why a file could not be opened: [`MediaError::Unsupported`] when FFmpeg read it and found
/// no container it knows (e.g. a file cut short before its header was complete), else
/// [`MediaError::Source`] (an I/O error, out of descriptors or memory: it may pass).
fn open_error(e: ffmpeg::Error, what: &str) -> MediaError {
    use ffmpeg::Error as E;
    match e {
        E::InvalidData | E::Eof | E::StreamNotFound | E::DemuxerNotFound => {
            MediaError::Unsupported(format!("{what} is not a playable recording"))
        }
        other => MediaError::Source(super::error::describe(other, what, None)),
    }
}

/// Reads every packet of the file's video stream (no decoding). A file cut short by a crash
/// probes to what was completely written; a file with no video frame is an error.
pub fn probe_file(path: &Path) -> Result<ProbeInfo, MediaError> {
    super::init();
    let what = path.display().to_string();
    let mut ictx = ffmpeg::format::input(path).map_err(|e| open_error(e, &what))?;
    let stream = ictx
        .streams()
        .best(ffmpeg::media::Type::Video)
        .ok_or_else(|| MediaError::Unsupported(format!("{what} has no video stream")))?;
    let index = stream.index();
    let tb = stream.time_base();
    let audio_codec = ictx.streams().best(ffmpeg::media::Type::Audio).map(|a| {
        AudioCodec::from_ffmpeg(a.parameters().id())
            .as_str()
            .to_string()
    });
    let params = stream.parameters();
    let codec = VideoCodec::from_ffmpeg(params.id())
        .ok_or_else(|| MediaError::Unsupported(format!("{what} is not H.264 or H.265")))?;
    // SAFETY: reading plain fields of the stream's codec parameters.
    let (width, height) = unsafe {
        let p = params.as_ptr();
        ((*p).width.max(0) as u32, (*p).height.max(0) as u32)
    };
    let mut frames = 0u64;
    let mut first: Option<i64> = None;
    let mut end = i64::MIN;
    let mut last_pts: Option<i64> = None;
    loop {
        // A fresh packet each time: av_read_frame does not free what a packet held.
        let mut packet = ffmpeg::Packet::empty();
        if packet.read(&mut ictx).is_err() {
            break;
        }
        if packet.stream() != index {
            continue;
        }
        if packet.is_corrupt() {
            // A fragment cut short by a crash or a full disk: what follows is unusable.
            break;
        }
        let Some(pts) = packet.pts().or(packet.dts()) else {
            continue;
        };
        frames += 1;
        first = Some(first.map_or(pts, |f: i64| f.min(pts)));
        let duration = if packet.duration() > 0 {
            packet.duration()
        } else {
            last_pts.map_or(0, |l| (pts - l).max(0))
        };
        end = end.max(pts + duration);
        last_pts = Some(pts);
    }
    let Some(first) = first else {
        return Err(MediaError::Unsupported(format!(
            "{what} holds no video frames"
        )));
    };
    let ticks = end - first;
    let duration_us = i64::try_from(
        i128::from(ticks) * 1_000_000 * i128::from(tb.numerator())
            / i128::from(tb.denominator().max(1)),
    )
    .unwrap_or(0);
    Ok(ProbeInfo {
        codec,
        width,
        height,
        frames,
        duration_us,
        audio_codec,
    })
}
