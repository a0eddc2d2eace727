//! Reading one recording file for an export: its video packets (and, when asked, its
//! sound's: passed on to the muxer without a copy, see [`crate::media::remux`]), each one's
//! wall-clock time, and seeking near a wall time.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};

use super::ExportError;
use crate::media::remux::{
    AudioParams, FilePacket, RecordingFile, RemuxError, StreamParams, TimeBase,
};
use crate::model::time::{rescale, MICROS};
use crate::model::Segment;

/// An open recording file.
pub(crate) struct SegmentReader {
    file: RecordingFile,
    tb: TimeBase,
    /// Presentation time of the file's first packet, ticks: it is shown at `start_us`.
    first_pts: i64,
    start_us: i64,
    /// Read at open to learn `first_pts` (the first video packet, and any sound before
    /// it), not yet handed out.
    pending: VecDeque<FilePacket>,
    /// The sound track's time base, when its packets are read too.
    audio_tb: Option<TimeBase>,
    path: PathBuf,
}

impl SegmentReader {
    /// Opens the segment's file and reads its first packet.
    pub fn open(seg: &Segment) -> Result<Self, ExportError> {
        Self::open_with(seg, false).map(|(reader, _)| reader)
    }

    /// Opens the segment's file, with its sound track when `audio` and the file has one
    /// (then [`SegmentReader::read`] hands out sound packets too, and the track's
    /// parameters are returned), and reads up to its first video packet.
    pub fn open_with(
        seg: &Segment,
        audio: bool,
    ) -> Result<(Self, Option<AudioParams>), ExportError> {
        let path = PathBuf::from(&seg.path);
        let mut file = RecordingFile::open(&path).map_err(|e| input_error(&path, e))?;
        let params = if audio { file.with_audio() } else { None };
        let mut reader = Self {
            tb: file.time_base(),
            file,
            first_pts: 0,
            start_us: seg.start_us,
            pending: VecDeque::new(),
            audio_tb: params.as_ref().map(AudioParams::time_base),
            path,
        };
        loop {
            let read = reader
                .file
                .read()
                .map_err(|e| input_error(&reader.path, e))?;
            let pkt = read.ok_or_else(|| ExportError::Input {
                path: reader.path.clone(),
                reason: "it holds no video frames".into(),
            })?;
            let video = !pkt.is_audio();
            if video {
                reader.first_pts = pkt.pts();
            }
            reader.pending.push_back(pkt);
            if video {
                break;
            }
        }
        Ok((reader, params))
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

    /// Wall-clock time, UTC µs, of a sound packet with this presentation time: both tracks
    /// share the file's timeline, so the sound keeps its place against the video.
    pub fn audio_wall_us(&self, pts: i64) -> i64 {
        let Some(atb) = self.audio_tb else {
            return self.start_us;
        };
        let at = |ticks: i64, tb: TimeBase| {
            i128::from(ticks) * 1_000_000 * i128::from(tb.0) / i128::from(tb.1.max(1))
        };
        let us = at(pts, atb) - at(self.first_pts, self.tb);
        self.start_us + i64::try_from(us).unwrap_or(0)
    }

    /// The sound track's time base (the video's when it is not read).
    pub fn audio_time_base(&self) -> TimeBase {
        self.audio_tb.unwrap_or(self.tb)
    }

    /// Duration in stream ticks as µs.
    pub fn ticks_us(&self, ticks: i64) -> i64 {
        self.wall_us(self.first_pts + ticks) - self.start_us
    }

    /// Moves to the keyframe at or before wall time `at_us` (FFmpeg's index; the caller
    /// checks where it landed). `None` rewinds to the file's start.
    pub fn seek(&mut self, at_us: Option<i64>) -> Result<(), ExportError> {
        self.pending.clear();
        let first_us = rescale(self.first_pts, self.tb, MICROS);
        let ts = first_us + at_us.map_or(0, |at| (at - self.start_us).max(0));
        self.file
            .seek_us(ts)
            .map_err(|e| input_error(&self.path, e))
    }

    /// The next video packet (or sound packet, when opened with sound) with its timestamps
    /// set (pts and dts), or `None` at the end. A fragment cut short by a crash ends the
    /// file (with a warning) rather than failing.
    pub fn read(&mut self) -> Result<Option<FilePacket>, ExportError> {
        if let Some(p) = self.pending.pop_front() {
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
