//! The segment writer: remuxes packets, unchanged, into a fragmented MP4 (a fragment per
//! keyframe and at least every second), so a crash loses at most the last fragment and every
//! file stays playable. Video is stream 0; the camera's sound, when it is recorded (AAC or
//! Opus, as it came or converted from G.711), is stream 1, interleaved in time order and
//! placed by wall-clock time on the video's zero. On finish the file is synced before anyone
//! indexes it.

use std::fs::File;
use std::path::{Path, PathBuf};

use ffmpeg::Rescale;
use ffmpeg_next as ffmpeg;

use super::audio_track::{AudioPlacer, Placement};
use super::packet::{AudioCodec, AudioInfo, Packet, StreamInfo};
use super::timeline::TimestampRebaser;
use super::MediaError;
use crate::model::reason::io_reason;

/// Longest fragment, µs: bounds what a crash can lose even with long GOPs.
const MAX_FRAGMENT_US: u32 = 1_000_000;

/// A forward step between consecutive packets beyond this is a timestamp jump, µs.
const MAX_STEP_US: i64 = 10_000_000;

/// Longest the muxer holds packets back to interleave the tracks, µs (FFmpeg's default is
/// 10 s, which a crash would lose when the sound stops).
const MAX_INTERLEAVE_US: u32 = 1_000_000;

/// What a finished segment holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenSegment {
    pub frames: u64,
    pub bytes: u64,
    /// Audio packets written (0 without an audio track).
    pub audio_packets: u64,
    /// The audio track's codec, `None` when the file has none.
    pub audio_codec: Option<AudioCodec>,
}

/// The audio track of a file being written (stream 1).
struct AudioOut {
    codec: AudioCodec,
    in_tb: ffmpeg::Rational,
    out_tb: ffmpeg::Rational,
    placer: AudioPlacer,
    packets: u64,
}

/// One MP4 file being written.
pub struct SegmentWriter {
    octx: ffmpeg::format::context::Output,
    path: PathBuf,
    in_tb: ffmpeg::Rational,
    out_tb: ffmpeg::Rational,
    timeline: TimestampRebaser,
    /// Presentation span written so far (rebased ticks): earliest start, latest end.
    span: Option<(i64, i64)>,
    frames: u64,
    packet: ffmpeg::Packet,
    audio: Option<AudioOut>,
}

impl SegmentWriter {
    /// Creates the file (and its folder) and writes the MP4 header.
    pub fn create(path: &Path, info: &StreamInfo) -> Result<Self, MediaError> {
        super::init();
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| io_error(&format!("cannot create {}", dir.display()), &e))?;
        }
        let fail = |e: ffmpeg::Error| write_error(path, "cannot create", e);
        let mut octx = ffmpeg::format::output_as(path, "mp4").map_err(fail)?;
        {
            let mut ost = octx
                .add_stream(ffmpeg::encoder::find(ffmpeg::codec::Id::None))
                .map_err(fail)?;
            ost.set_parameters(info.params.get());
            // SAFETY: codec_tag is a plain field of the stream's own parameters; 0 lets the
            // MP4 muxer choose the right tag (avc1/hvc1) instead of copying the source's.
            unsafe {
                (*ost.parameters().as_mut_ptr()).codec_tag = 0;
            }
            ost.set_time_base(ffmpeg::Rational::new(info.time_base.0, info.time_base.1));
        }
        let audio = info.audio.as_deref().filter(|a| a.codec.remuxable());
        if let Some(a) = audio {
            add_audio_stream(&mut octx, a).map_err(fail)?;
        }
        let mut opts = ffmpeg::Dictionary::new();
        opts.set("movflags", "+frag_keyframe+empty_moov+default_base_moof");
        opts.set("frag_duration", &MAX_FRAGMENT_US.to_string());
        opts.set("flush_packets", "1");
        opts.set("max_interleave_delta", &MAX_INTERLEAVE_US.to_string());
        if info.codec == super::packet::VideoCodec::H265 {
            // hvc1 is what browsers and Apple players expect for HEVC in MP4.
            opts.set("tag", "hvc1");
        }
        let unused: Vec<String> = octx
            .write_header_with(opts)
            .map_err(fail)?
            .iter()
            .map(|(k, _)| k.to_string())
            .collect();
        for k in unused.iter().filter(|k| k.as_str() != "tag") {
            tracing::warn!(option = %k, "the MP4 muxer ignored an option");
        }
        let out_tb = octx.stream(0).map(|s| s.time_base()).ok_or_else(|| {
            MediaError::Write(format!("{}: muxer lost its stream", path.display()))
        })?;
        let audio = match audio {
            Some(a) => {
                let out_tb = octx.stream(1).map(|s| s.time_base()).ok_or_else(|| {
                    MediaError::Write(format!("{}: muxer lost its audio stream", path.display()))
                })?;
                Some(AudioOut {
                    codec: a.codec,
                    in_tb: ffmpeg::Rational::new(a.time_base.0, a.time_base.1),
                    out_tb,
                    placer: AudioPlacer::new((out_tb.numerator(), out_tb.denominator())),
                    packets: 0,
                })
            }
            None => None,
        };
        Ok(Self {
            octx,
            path: path.to_path_buf(),
            in_tb: ffmpeg::Rational::new(info.time_base.0, info.time_base.1),
            out_tb,
            timeline: TimestampRebaser::new(max_step_ticks(info.time_base)),
            span: None,
            frames: 0,
            packet: ffmpeg::Packet::empty(),
            audio,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn frames(&self) -> u64 {
        self.frames
    }

    /// Times the camera's timestamps jumped inside this file (each one closed up).
    pub fn discontinuities(&self) -> u64 {
        self.timeline.discontinuities()
    }

    /// True when the file has an audio track.
    pub fn has_audio(&self) -> bool {
        self.audio.is_some()
    }

    /// Audio packets dropped for broken timestamps (backwards, overlapping, far ahead).
    pub fn audio_broken(&self) -> u64 {
        self.audio.as_ref().map_or(0, |a| a.placer.broken())
    }

    /// Appends one audio packet, unchanged, at the place its wall-clock time gives it on the
    /// video's zero. Returns false when it was not written: no audio track, before the file's
    /// first video frame, or a broken timestamp (see [`AudioPlacer`]).
    pub fn write_audio(&mut self, pkt: &Packet) -> Result<bool, MediaError> {
        let Some(audio) = self.audio.as_mut() else {
            return Ok(false);
        };
        if pkt.data.is_empty() {
            return Ok(false);
        }
        let duration = Rescale::rescale(&pkt.duration.max(0), audio.in_tb, audio.out_tb);
        let Placement::Write { pts, duration } = audio.placer.place(pkt.wall_us, duration) else {
            return Ok(false);
        };
        let mut out = ffmpeg::Packet::copy(&pkt.data);
        out.set_pts(Some(pts));
        out.set_dts(Some(pts));
        out.set_duration(duration);
        out.set_stream(1);
        out.set_flags(ffmpeg::packet::Flags::KEY);
        out.write_interleaved(&mut self.octx)
            .map_err(|e| write_error(&self.path, "cannot write", e))?;
        audio.packets += 1;
        Ok(true)
    }

    /// Appends one packet, unchanged but for timestamps rebased to the segment's start.
    /// Timestamps that go backwards or leap forward (a camera glitch or clock change) are
    /// closed up: the file continues at the previous frame spacing, so its DTS stay monotonic
    /// and its timeline has no hole. All arithmetic on camera values saturates.
    pub fn write(&mut self, pkt: &Packet) -> Result<(), MediaError> {
        let (dts, pts) = self.timeline.place(pkt.dts, pkt.pts, pkt.duration);
        let duration = if pkt.duration > 0 {
            pkt.duration
        } else {
            self.timeline.last_delta()
        };
        let end = pts.saturating_add(duration);
        self.span = Some(match self.span {
            None => (pts, end),
            Some((lo, hi)) => (lo.min(pts), hi.max(end)),
        });
        let mut out = ffmpeg::Packet::copy(&pkt.data);
        out.set_pts(Some(pts));
        out.set_dts(Some(dts));
        out.set_duration(duration);
        out.set_stream(0);
        if pkt.keyframe {
            out.set_flags(ffmpeg::packet::Flags::KEY);
        }
        out.rescale_ts(self.in_tb, self.out_tb);
        if let Some(audio) = self.audio.as_mut() {
            let pts_us = Rescale::rescale(&pts, self.in_tb, ffmpeg::Rational::new(1, 1_000_000));
            audio.placer.video(pkt.wall_us, pts_us);
            // Two tracks: the muxer orders them by time.
            out.write_interleaved(&mut self.octx)
                .map_err(|e| write_error(&self.path, "cannot write", e))?;
        } else {
            self.packet = out;
            self.packet
                .write(&mut self.octx)
                .map_err(|e| write_error(&self.path, "cannot write", e))?;
        }
        self.frames += 1;
        Ok(())
    }

    /// Writes the trailer, closes and syncs the file (and its folder). Returns what it holds.
    pub fn finish(mut self) -> Result<WrittenSegment, MediaError> {
        self.octx
            .write_trailer()
            .map_err(|e| write_error(&self.path, "cannot finish", e))?;
        // A write error FFmpeg's buffered I/O kept to itself would leave a truncated file
        // indexed as complete.
        super::container::output_written(&self.octx)
            .map_err(|e| write_error(&self.path, "cannot finish", e))?;
        let duration_us = self.span.map_or(0, |(lo, hi)| {
            let ticks =
                (i128::from(hi) - i128::from(lo)) * i128::from(self.in_tb.numerator()) * 1_000_000;
            i64::try_from(ticks / i128::from(self.in_tb.denominator().max(1))).unwrap_or(i64::MAX)
        });
        let (audio_packets, audio_codec) = self
            .audio
            .as_ref()
            .map_or((0, None), |a| (a.packets, Some(a.codec)));
        let Self {
            octx, path, frames, ..
        } = self;
        drop(octx);
        if let Err(e) = super::mp4_duration::write_duration(&path, duration_us) {
            // The file still plays; players just cannot tell its length up front.
            tracing::warn!(path = %path.display(), error = %e, "cannot write the duration into the MP4 header");
        }
        let bytes = sync_file(&path)?;
        if let Some(dir) = path.parent() {
            if let Ok(d) = File::open(dir) {
                let _ = d.sync_all();
            }
        }
        Ok(WrittenSegment {
            frames,
            bytes,
            audio_packets,
            audio_codec,
        })
    }
}

/// Adds the audio track (stream 1) with the camera's (or the converter's) parameters.
fn add_audio_stream(
    octx: &mut ffmpeg::format::context::Output,
    a: &AudioInfo,
) -> Result<(), ffmpeg::Error> {
    let mut ost = octx.add_stream(ffmpeg::encoder::find(ffmpeg::codec::Id::None))?;
    ost.set_parameters(a.params.get());
    // SAFETY: codec_tag is a plain field of the stream's own parameters; 0 lets the MP4
    // muxer choose the right tag (mp4a/Opus).
    unsafe {
        (*ost.parameters().as_mut_ptr()).codec_tag = 0;
    }
    let rate = i32::try_from(a.sample_rate).unwrap_or(0);
    let tb = if rate > 0 {
        ffmpeg::Rational::new(1, rate)
    } else {
        ffmpeg::Rational::new(a.time_base.0, a.time_base.1)
    };
    ost.set_time_base(tb);
    Ok(())
}

/// [`MAX_STEP_US`] in ticks of `time_base`.
fn max_step_ticks(time_base: (i32, i32)) -> i64 {
    let (num, den) = (i64::from(time_base.0.max(1)), i64::from(time_base.1.max(1)));
    (MAX_STEP_US.saturating_mul(den) / 1_000_000 / num).max(1)
}

fn sync_file(path: &Path) -> Result<u64, MediaError> {
    let shown = path.display();
    let f = File::options()
        .read(true)
        .write(true)
        .open(path)
        .map_err(|e| io_error(&format!("cannot reopen {shown}"), &e))?;
    f.sync_all()
        .map_err(|e| io_error(&format!("cannot sync {shown}"), &e))?;
    let meta = f
        .metadata()
        .map_err(|e| io_error(&format!("cannot stat {shown}"), &e))?;
    Ok(meta.len())
}

fn io_error(what: &str, e: &std::io::Error) -> MediaError {
    let msg = format!("{what}: {}", io_reason(e));
    if e.kind() == std::io::ErrorKind::StorageFull {
        MediaError::DiskFull(msg)
    } else {
        MediaError::Write(msg)
    }
}

fn write_error(path: &Path, what: &str, e: ffmpeg::Error) -> MediaError {
    let reason = match e {
        ffmpeg::Error::Other { errno } if errno == libc::ENOSPC => {
            return MediaError::DiskFull(format!("{what} {}: the disk is full", path.display()))
        }
        ffmpeg::Error::Other { errno } if errno == libc::EACCES => "permission denied".to_string(),
        ffmpeg::Error::Other { errno } if errno == libc::EROFS => {
            "the file system is read-only".to_string()
        }
        other => other.to_string(),
    };
    MediaError::Write(format!("{what} {}: {reason}", path.display()))
}
