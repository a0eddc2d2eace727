//! Reading one recording file for an export: its video packets as FFmpeg packets (passed on
//! to the muxer without a copy), each one's wall-clock time, and seeking near a wall time.

use std::ffi::CString;
use std::path::{Path, PathBuf};

use ffmpeg_next as ffmpeg;
use ffmpeg_next::ffi;

use super::ExportError;
use crate::model::Segment;

/// An open recording file.
pub(crate) struct SegmentReader {
    ictx: ffmpeg::format::context::Input,
    index: usize,
    tb: ffmpeg::Rational,
    /// Presentation time of the file's first packet, ticks: it is shown at `start_us`.
    first_pts: i64,
    start_us: i64,
    /// The first packet, read at open to learn `first_pts`, not yet handed out.
    pending: Option<ffmpeg::Packet>,
    path: PathBuf,
}

impl SegmentReader {
    /// Opens the segment's file. Only the container is read (no probe decoding): MP4 says
    /// everything a remux needs in its header.
    pub fn open(seg: &Segment) -> Result<Self, ExportError> {
        crate::media::init();
        let path = PathBuf::from(&seg.path);
        let ictx = open_container(&path).map_err(|e| input_error(&path, e))?;
        let stream = ictx
            .streams()
            .best(ffmpeg::media::Type::Video)
            .ok_or_else(|| ExportError::Input {
                path: path.clone(),
                reason: "it has no video stream".into(),
            })?;
        let (index, tb) = (stream.index(), stream.time_base());
        let mut reader = Self {
            ictx,
            index,
            tb,
            first_pts: 0,
            start_us: seg.start_us,
            pending: None,
            path,
        };
        let first = reader.read()?.ok_or_else(|| ExportError::Input {
            path: reader.path.clone(),
            reason: "it holds no video frames".into(),
        })?;
        reader.first_pts = first.pts().unwrap_or(0);
        reader.pending = Some(first);
        Ok(reader)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn time_base(&self) -> ffmpeg::Rational {
        self.tb
    }

    /// The video stream's codec parameters, as stored in the file.
    pub fn parameters(&self) -> Result<ffmpeg::codec::Parameters, ExportError> {
        self.ictx
            .stream(self.index)
            .map(|s| s.parameters())
            .ok_or_else(|| ExportError::Input {
                path: self.path.clone(),
                reason: "its video stream disappeared".into(),
            })
    }

    /// Wall-clock time, UTC µs, at which a packet with this presentation time is shown.
    pub fn wall_us(&self, pts: i64) -> i64 {
        let ticks = i128::from(pts - self.first_pts);
        let us = ticks * 1_000_000 * i128::from(self.tb.numerator())
            / i128::from(self.tb.denominator().max(1));
        self.start_us + i64::try_from(us).unwrap_or(0)
    }

    /// Duration in stream ticks as µs.
    pub fn ticks_us(&self, ticks: i64) -> i64 {
        self.wall_us(self.first_pts + ticks) - self.start_us
    }

    /// Moves to the keyframe at or before wall time `at_us` (FFmpeg's index; the caller
    /// checks where it landed). `None` rewinds to the file's start.
    pub fn seek(&mut self, at_us: Option<i64>) -> Result<(), ExportError> {
        self.pending = None;
        let first_us =
            super::timeline::rescale(self.first_pts, self.tb, ffmpeg::Rational::new(1, 1_000_000));
        let ts = first_us + at_us.map_or(0, |at| (at - self.start_us).max(0));
        let result = self.ictx.seek(ts, ..ts);
        result.map_err(|e| input_error(&self.path, e))
    }

    /// The next video packet with its timestamps set (pts and dts), or `None` at the end.
    /// A fragment cut short by a crash ends the file (with a warning) rather than failing.
    pub fn read(&mut self) -> Result<Option<ffmpeg::Packet>, ExportError> {
        if let Some(p) = self.pending.take() {
            return Ok(Some(p));
        }
        loop {
            let mut packet = ffmpeg::Packet::empty();
            match packet.read(&mut self.ictx) {
                Ok(()) => {}
                Err(ffmpeg::Error::Eof) => return Ok(None),
                Err(ffmpeg::Error::InvalidData) => {
                    tracing::warn!(path = %self.path.display(), "recording ends with an unreadable fragment; exporting what precedes it");
                    return Ok(None);
                }
                Err(e) => return Err(input_error(&self.path, e)),
            }
            if packet.stream() != self.index {
                continue;
            }
            if packet.is_corrupt() {
                tracing::warn!(path = %self.path.display(), "recording ends with a damaged fragment; exporting what precedes it");
                return Ok(None);
            }
            match (packet.pts(), packet.dts()) {
                (Some(_), Some(_)) => {}
                (Some(p), None) => packet.set_dts(Some(p)),
                (None, Some(d)) => packet.set_pts(Some(d)),
                (None, None) => continue,
            }
            return Ok(Some(packet));
        }
    }
}

/// `avformat_open_input` without `avformat_find_stream_info`, which would decode frames.
pub(crate) fn open_container(path: &Path) -> Result<ffmpeg::format::context::Input, ffmpeg::Error> {
    let c_path =
        CString::new(path.to_string_lossy().as_bytes()).map_err(|_| ffmpeg::Error::InvalidData)?;
    let mut ps = std::ptr::null_mut();
    // SAFETY: c_path is a valid C string; on failure avformat_open_input frees the context
    // and leaves `ps` null; on success `Input::wrap` takes ownership and closes it on drop.
    unsafe {
        let rc = ffi::avformat_open_input(
            &mut ps,
            c_path.as_ptr(),
            std::ptr::null(),
            std::ptr::null_mut(),
        );
        if rc != 0 {
            return Err(ffmpeg::Error::from(rc));
        }
        Ok(ffmpeg::format::context::Input::wrap(ps))
    }
}

fn input_error(path: &Path, e: ffmpeg::Error) -> ExportError {
    let shown = path.display().to_string();
    let reason = crate::media::error::describe(e, &shown, None);
    ExportError::Input {
        path: path.to_path_buf(),
        reason: reason
            .strip_prefix(&format!("{shown}: "))
            .unwrap_or(&reason)
            .replace(&shown, "the file"),
    }
}
