//! The segment writer: remuxes packets, unchanged, into a fragmented MP4 (a fragment per
//! keyframe and at least every second), so a crash loses at most the last fragment and every
//! file stays playable. On finish the file is synced before anyone indexes it.

use std::fs::File;
use std::path::{Path, PathBuf};

use ffmpeg_next as ffmpeg;

use super::packet::{Packet, StreamInfo};
use super::timeline::TimestampRebaser;
use super::MediaError;
use crate::model::reason::io_reason;

/// Longest fragment, µs: bounds what a crash can lose even with long GOPs.
const MAX_FRAGMENT_US: u32 = 1_000_000;

/// A forward step between consecutive packets beyond this is a timestamp jump, µs.
const MAX_STEP_US: i64 = 10_000_000;

/// What a finished segment holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenSegment {
    pub frames: u64,
    pub bytes: u64,
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
        let mut opts = ffmpeg::Dictionary::new();
        opts.set("movflags", "+frag_keyframe+empty_moov+default_base_moof");
        opts.set("frag_duration", &MAX_FRAGMENT_US.to_string());
        opts.set("flush_packets", "1");
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
        Ok(Self {
            octx,
            path: path.to_path_buf(),
            in_tb: ffmpeg::Rational::new(info.time_base.0, info.time_base.1),
            out_tb,
            timeline: TimestampRebaser::new(max_step_ticks(info.time_base)),
            span: None,
            frames: 0,
            packet: ffmpeg::Packet::empty(),
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
        self.packet = out;
        self.packet
            .write(&mut self.octx)
            .map_err(|e| write_error(&self.path, "cannot write", e))?;
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
        Ok(WrittenSegment { frames, bytes })
    }
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
