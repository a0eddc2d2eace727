//! The export's output: one MP4 with the first recording's codec parameters, unchanged, and
//! packets restamped onto one timeline — a regular MP4 (`+faststart`, the index before the
//! video) into a file, or a fragmented one (no seeking) into a pipe. The sound, when there
//! is some, is stream 1: each piece's sound is placed against the piece's first video frame
//! by wall time, so it stays in sync across files and closed gaps.

use std::path::{Path, PathBuf};

use super::timeline::{SoundClock, Splicer};
use super::{show_time, ExportError};
use crate::media::remux::{
    AudioFormat, AudioParams, FilePacket, Mp4Output, RemuxError, StreamFormat, StreamParams,
    TimeBase,
};
use crate::model::time::{rescale, MICROS};

/// How the MP4 is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layout {
    /// One index, moved before the video once it is all written (needs a seekable file).
    Faststart,
    /// An empty index first, then self-contained fragments from each keyframe: written
    /// front to back, for a pipe.
    Fragmented,
}

impl Layout {
    fn movflags(self) -> &'static str {
        match self {
            Layout::Faststart => "+faststart",
            Layout::Fragmented => "+frag_keyframe+empty_moov+default_base_moof",
        }
    }
}

/// What [`Mux::finish`] wrote, as counted while writing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Written {
    pub frames: u64,
    /// From the first frame shown to the end of the last, µs.
    pub duration_us: i64,
    /// Bytes written.
    pub bytes: u64,
}

/// The MP4 being written (to the temporary file, or a pipe).
pub(crate) struct Mux {
    out: Mp4Output,
    out_tb: TimeBase,
    timeline: Splicer,
    format: StreamFormat,
    /// Where the file will end up, for messages.
    shown: PathBuf,
    frames: u64,
    /// Earliest shown and latest end of the packets written, in `out_tb`.
    first_pts: Option<i64>,
    end_pts: i64,
    audio: Option<Sound>,
    /// The current piece's first video frame written: its wall time and where the output
    /// shows it, µs.
    anchor: Option<(i64, i64)>,
}

/// The export's sound track while it is written.
struct Sound {
    format: AudioFormat,
    clock: SoundClock,
    packets: u64,
}

impl Mux {
    /// Opens `url` (a path, `/proc/self/fd/N` or `pipe:1`) and writes the MP4 header for a
    /// stream with `params` (time base `tb`) and, with `audio`, a sound track.
    pub fn create(
        url: &Path,
        shown: &Path,
        (params, tb): (StreamParams, TimeBase),
        audio: Option<&AudioParams>,
        layout: Layout,
    ) -> Result<Self, ExportError> {
        let format = params.format();
        let out = Mp4Output::create(url, params, tb, audio, layout.movflags())
            .map_err(|e| output_error(shown, e))?;
        let out_tb = out.time_base();
        let sound = match (audio, out.audio_time_base()) {
            (Some(a), Some(tb)) => Some(Sound {
                format: a.format(),
                clock: SoundClock::new(tb),
                packets: 0,
            }),
            _ => None,
        };
        Ok(Self {
            out,
            out_tb,
            timeline: Splicer::new(out_tb),
            format,
            shown: shown.to_path_buf(),
            frames: 0,
            first_pts: None,
            end_pts: 0,
            audio: sound,
            anchor: None,
        })
    }

    /// The sound track's format, when the export has one.
    pub fn audio_format(&self) -> Option<&AudioFormat> {
        self.audio.as_ref().map(|a| &a.format)
    }

    /// Sound packets written so far.
    pub fn audio_packets(&self) -> u64 {
        self.audio.as_ref().map_or(0, |a| a.packets)
    }

    /// Whether the current piece's first video frame is written (sound can be placed).
    pub fn anchored(&self) -> bool {
        self.anchor.is_some()
    }

    /// Checks that a further file (whose first piece starts at `at_us`) can continue this
    /// stream, and starts a new piece of the timeline.
    pub fn next_piece(&mut self, params: &StreamParams, at_us: i64) -> Result<(), ExportError> {
        let next = params.format();
        if !next.same_video(&self.format) {
            return Err(ExportError::FormatChanged {
                at: show_time(at_us),
                before: self.format.describe(),
                after: next.describe(),
            });
        }
        if next.extradata != self.format.extradata {
            // Same codec and size, other parameter sets (e.g. the camera's encoder restarted):
            // players take the in-band ones that cameras send with every keyframe.
            tracing::warn!(at = %show_time(at_us), "codec parameter sets differ between recordings; the export keeps the first ones");
        }
        self.timeline.next_piece();
        self.anchor = None;
        if let Some(a) = &mut self.audio {
            a.clock.next_piece();
        }
        Ok(())
    }

    /// Writes a video packet read from a file with time base `tb`, shown at wall time
    /// `wall_us`, restamped.
    pub fn write(
        &mut self,
        pkt: FilePacket,
        tb: TimeBase,
        wall_us: i64,
    ) -> Result<(), ExportError> {
        let out = self.timeline.map(pkt.pts(), pkt.dts(), pkt.duration(), tb);
        if self.anchor.is_none() {
            self.anchor = Some((wall_us, rescale(out.pts, self.out_tb, MICROS)));
        }
        self.frames += 1;
        self.first_pts = Some(self.first_pts.map_or(out.pts, |f| f.min(out.pts)));
        self.end_pts = self.end_pts.max(out.pts + out.duration.max(0));
        self.out
            .write(pkt, (out.pts, out.dts, out.duration))
            .map_err(|e| output_error(&self.shown, e))
    }

    /// Writes a sound packet of the current piece (read with time base `tb`, shown at wall
    /// time `wall_us`) where its wall time falls against the piece's first video frame.
    /// Dropped (false) when there is no sound track or no video frame of this piece yet,
    /// when it would be heard before that frame, or when it overlaps sound already written.
    pub fn write_audio(
        &mut self,
        pkt: FilePacket,
        tb: TimeBase,
        wall_us: i64,
    ) -> Result<bool, ExportError> {
        let (Some(a), Some(anchor)) = (self.audio.as_mut(), self.anchor) else {
            return Ok(false);
        };
        let Some((pts, dur)) = a
            .clock
            .place(anchor, (pkt.pts(), pkt.duration(), tb), wall_us)
        else {
            return Ok(false);
        };
        a.packets += 1;
        self.out
            .write(pkt, (pts, pts, dur))
            .map_err(|e| output_error(&self.shown, e))?;
        Ok(true)
    }

    /// Writes the index (moved before the video with `+faststart`; the last fragment and the
    /// fragment index when fragmented) and closes the output.
    pub fn finish(self) -> Result<Written, ExportError> {
        let bytes = self
            .out
            .finish()
            .map_err(|e| output_error(&self.shown, e))?;
        let first = self.first_pts.unwrap_or(0);
        Ok(Written {
            frames: self.frames,
            duration_us: rescale((self.end_pts - first).max(0), self.out_tb, MICROS),
            bytes,
        })
    }
}

/// A failure writing the export, with where it goes.
pub(crate) fn output_error(path: &Path, e: RemuxError) -> ExportError {
    ExportError::Output {
        path: path.to_path_buf(),
        reason: e.to_string(),
    }
}
