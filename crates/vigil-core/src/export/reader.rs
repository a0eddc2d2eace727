//! Reading one recording file for an export: its video packets (passed on to the muxer
//! without a copy, see [`crate::media::remux`]), each one's wall-clock time, and seeking
//! near a wall time.

use std::path::{Path, PathBuf};

use super::ExportError;
use crate::media::remux::{FilePacket, RecordingFile, RemuxError, StreamParams, TimeBase};
use crate::model::time::{rescale, MICROS};
use crate::model::Segment;

/// An open recording file.
pub(crate) struct SegmentReader {
    file: RecordingFile,
    tb: TimeBase,
    /// Presentation time of the file's first packet, ticks: it is shown at `start_us`.
    first_pts: i64,
    start_us: i64,
    /// The first packet, read at open to learn `first_pts`, not yet handed out.
    pending: Option<FilePacket>,
    path: PathBuf,
}

impl SegmentReader {
    /// Opens the segment's file and reads its first packet.
    pub fn open(seg: &Segment) -> Result<Self, ExportError> {
        let path = PathBuf::from(&seg.path);
        let file = RecordingFile::open(&path).map_err(|e| input_error(&path, e))?;
        let mut reader = Self {
            tb: file.time_base(),
            file,
            first_pts: 0,
            start_us: seg.start_us,
            pending: None,
            path,
        };
        let first = reader.read()?.ok_or_else(|| ExportError::Input {
            path: reader.path.clone(),
            reason: "it holds no video frames".into(),
        })?;
        reader.first_pts = first.pts();
        reader.pending = Some(first);
        Ok(reader)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn time_base(&self) -> TimeBase {
        self.tb
    }

    /// The video stream's codec parameters, as stored in the file.
    pub fn params(&self) -> Result<StreamParams, ExportError> {
        self.file.params().map_err(|e| input_error(&self.path, e))
    }

    /// Wall-clock time, UTC µs, at which a packet with this presentation time is shown.
    pub fn wall_us(&self, pts: i64) -> i64 {
        let ticks = i128::from(pts - self.first_pts);
        let us = ticks * 1_000_000 * i128::from(self.tb.0) / i128::from(self.tb.1.max(1));
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
        let first_us = rescale(self.first_pts, self.tb, MICROS);
        let ts = first_us + at_us.map_or(0, |at| (at - self.start_us).max(0));
        self.file
            .seek_us(ts)
            .map_err(|e| input_error(&self.path, e))
    }

    /// The next video packet with its timestamps set (pts and dts), or `None` at the end.
    /// A fragment cut short by a crash ends the file (with a warning) rather than failing.
    pub fn read(&mut self) -> Result<Option<FilePacket>, ExportError> {
        if let Some(p) = self.pending.take() {
            return Ok(Some(p));
        }
        self.file.read().map_err(|e| input_error(&self.path, e))
    }
}

fn input_error(path: &Path, e: RemuxError) -> ExportError {
    ExportError::Input {
        path: path.to_path_buf(),
        reason: e.to_string(),
    }
}
