//! A media file read as a camera connection would deliver it, for tests and benchmarks of
//! the recorder: its video and audio streams described as ingest describes them, every packet
//! stamped with wall-clock time from one anchor (the first video frame at `start_wall_us`),
//! in arrival order (a video frame when it is presented, an audio packet once it is complete,
//! i.e. at its end, as RTP sends it).

use std::path::Path;
use std::sync::Arc;

use ffmpeg_next as ffmpeg;

use super::packet::{AudioCodec, AudioInfo, Packet, SharedParams, StreamInfo, VideoCodec};
use super::MediaError;

/// A file's connection: what `Started` carries, then the packets in arrival order.
#[derive(Debug)]
pub struct FileConnection {
    pub info: Arc<StreamInfo>,
    /// `(is_audio, packet)` in arrival order.
    pub packets: Vec<(bool, Packet)>,
}

/// Reads every packet of `path`'s best video stream and (when `with_audio`) its best audio
/// stream.
pub fn read_connection(
    path: &Path,
    start_wall_us: i64,
    with_audio: bool,
) -> Result<FileConnection, MediaError> {
    super::init();
    let what = path.display().to_string();
    let fail = |e: ffmpeg::Error| MediaError::Source(format!("{what}: {e}"));
    let mut ictx = ffmpeg::format::input(path).map_err(fail)?;
    let video = ictx
        .streams()
        .best(ffmpeg::media::Type::Video)
        .ok_or_else(|| MediaError::Unsupported(format!("{what} has no video stream")))?;
    let v_index = video.index();
    let v_tb = video.time_base();
    let v_params = video.parameters();
    let codec = VideoCodec::from_ffmpeg(v_params.id())
        .ok_or_else(|| MediaError::Unsupported(format!("{what} is not H.264 or H.265")))?;
    // SAFETY: plain fields of the stream's codec parameters.
    let (width, height) = unsafe {
        let p = v_params.as_ptr();
        ((*p).width.max(0) as u32, (*p).height.max(0) as u32)
    };
    let fps = video.avg_frame_rate();
    let audio = if with_audio {
        ictx.streams()
            .best(ffmpeg::media::Type::Audio)
            .map(|a| (a.index(), a.time_base(), audio_info(&a)))
    } else {
        None
    };
    let info = Arc::new(StreamInfo {
        codec,
        width,
        height,
        time_base: (v_tb.numerator(), v_tb.denominator()),
        fps: (fps.denominator() > 0).then(|| f64::from(fps)),
        params: SharedParams::new(v_params),
        audio: audio.as_ref().map(|(_, _, a)| Arc::clone(a)),
    });
    let us = |ts: i64, tb: ffmpeg::Rational| -> i64 {
        ffmpeg::Rescale::rescale(&ts, tb, ffmpeg::Rational::new(1, 1_000_000))
    };
    // (presentation µs, duration µs, is_audio, packet with wall time still to set)
    let mut read: Vec<(i64, i64, bool, Packet)> = Vec::new();
    loop {
        let mut pkt = ffmpeg::Packet::empty();
        if pkt.read(&mut ictx).is_err() {
            break;
        }
        let is_audio = match (&audio, pkt.stream()) {
            (_, i) if i == v_index => false,
            (Some((ai, _, _)), i) if i == *ai => true,
            _ => continue,
        };
        let tb = if is_audio {
            audio.as_ref().map_or(v_tb, |(_, t, _)| *t)
        } else {
            v_tb
        };
        let (Some(pts), Some(data)) = (pkt.pts().or(pkt.dts()), pkt.data()) else {
            continue;
        };
        let dts = pkt.dts().unwrap_or(pts);
        read.push((
            us(pts, tb),
            us(pkt.duration(), tb),
            is_audio,
            Packet {
                data: Arc::from(data),
                pts,
                dts,
                duration: pkt.duration(),
                keyframe: is_audio || pkt.is_key(),
                wall_us: 0,
            },
        ));
    }
    // The anchor: the first video frame is presented at `start_wall_us`.
    let zero = read.iter().filter(|r| !r.2).map(|r| r.0).min().unwrap_or(0);
    let mut timed: Vec<(i64, bool, Packet)> = read
        .into_iter()
        .map(|(pts_us, dur_us, is_audio, mut p)| {
            p.wall_us = start_wall_us + pts_us - zero;
            let arrival = if is_audio {
                p.wall_us + dur_us
            } else {
                p.wall_us
            };
            (arrival, is_audio, p)
        })
        .collect();
    timed.sort_by_key(|(arrival, _, _)| *arrival);
    Ok(FileConnection {
        info,
        packets: timed.into_iter().map(|(_, a, p)| (a, p)).collect(),
    })
}

fn audio_info(stream: &ffmpeg::format::stream::Stream<'_>) -> Arc<AudioInfo> {
    let params = stream.parameters();
    let tb = stream.time_base();
    // SAFETY: plain fields of the stream's codec parameters.
    let (rate, channels) = unsafe {
        let p = params.as_ptr();
        (
            (*p).sample_rate.max(0) as u32,
            (*p).ch_layout.nb_channels.max(0) as u16,
        )
    };
    Arc::new(AudioInfo {
        codec: AudioCodec::from_ffmpeg(params.id()),
        sample_rate: rate,
        channels,
        time_base: (tb.numerator(), tb.denominator()),
        params: SharedParams::new(params),
    })
}
