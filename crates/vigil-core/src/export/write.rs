//! Writing a planned export: each piece's file read in turn, packets before the start
//! keyframe and from the end on dropped, the rest remuxed into a temporary MP4 next to the
//! target ([`super::target`]), which is read back, synced and renamed into place only when
//! complete — or, fragmented, straight into standard output. The sound of the pieces that
//! have it (in the export's one sound format) goes along, trimmed to the video's span.

use std::path::{Path, PathBuf};

use super::mux::{output_error, Layout, Mux, Written};
use super::plan::{ExportPlan, Piece};
use super::reader::SegmentReader;
use super::target::{check_target, TempOutput};
use super::timeline::{Start, StartSearch};
use super::{ExportError, ExportReport, Progress};
use crate::media::remux::{probe_written, AudioParams, FilePacket, RecordingFile};

/// Sound packets held while a piece's start keyframe is looked for (a few seconds' worth);
/// older ones are dropped first.
const MAX_WAITING: usize = 1024;

/// Writes `plan` to `path` as one MP4, without re-encoding.
///
/// Runs on the calling thread until the file is complete (seconds to minutes for long
/// ranges): a GUI calls it from a thread of its own and watches `progress`, whose
/// [`Progress::cancel`] makes it return [`ExportError::Cancelled`] within one packet.
/// The file starts at the keyframe at or before `plan.from_us` (the report says how far
/// before); gaps between recordings are closed in the file's timeline and listed in the
/// report. Nothing is left at `path` (or beside it) unless the export succeeds. An existing
/// regular file at `path` is an error unless `overwrite`; anything else there (a folder, a
/// device, a pipe, a socket, or a link to one) is always refused ([`ExportError::NotAFile`]).
pub fn write(
    plan: &ExportPlan,
    path: &Path,
    overwrite: bool,
    progress: &Progress,
) -> Result<ExportReport, ExportError> {
    check_target(path, overwrite)?;
    let temp = TempOutput::create(path)?;
    let url = temp.url();
    let copied = copy_all(plan, &url, path, Layout::Faststart, progress)?;
    let (duration_us, frames) = read_back(&url, path)?;
    let bytes = temp.persist(path, overwrite)?;
    progress.set_done(plan.covered_us());
    Ok(copied.report(plan, path, duration_us, frames, bytes))
}

/// Writes `plan` to standard output as one fragmented MP4 (written front to back, so a pipe
/// into a player works), without re-encoding; nothing else is written there. Otherwise as
/// [`write`]; the report's path is `-` and its figures are counted while writing.
pub fn write_stdout(plan: &ExportPlan, progress: &Progress) -> Result<ExportReport, ExportError> {
    let report = write_url(plan, "pipe:1", Path::new("standard output"), progress)?;
    Ok(ExportReport {
        path: PathBuf::from("-"),
        ..report
    })
}

/// Writes `plan` as one fragmented MP4 (as [`write_stdout`]) into the pipe or file open as
/// `fd`, which the caller keeps open until this returns and closes afterwards (e.g. a
/// download streamed to a browser while it is made). `shown` names it in messages.
pub fn write_fd(
    plan: &ExportPlan,
    fd: std::os::fd::BorrowedFd<'_>,
    shown: &Path,
    progress: &Progress,
) -> Result<ExportReport, ExportError> {
    use std::os::fd::AsRawFd;
    write_url(plan, &format!("pipe:{}", fd.as_raw_fd()), shown, progress)
}

/// Writes `plan` as one fragmented MP4 to FFmpeg's output `url` (a `pipe:N`), with the
/// figures counted while writing; `shown` names it in messages and the report.
fn write_url(
    plan: &ExportPlan,
    url: &str,
    shown: &Path,
    progress: &Progress,
) -> Result<ExportReport, ExportError> {
    let copied = copy_all(plan, Path::new(url), shown, Layout::Fragmented, progress)?;
    progress.set_done(plan.covered_us());
    let Written {
        frames,
        duration_us,
        bytes,
    } = copied.written;
    Ok(copied.report(plan, shown, duration_us, frames, bytes))
}

/// What copying the pieces gave, before the report.
pub(super) struct Copied {
    starts_at_us: i64,
    ends_at_us: i64,
    gaps: Vec<(i64, i64)>,
    written: Written,
    /// The sound track's format in words, when the export has one.
    audio: Option<String>,
    /// Recorded stretches whose sound was left out (another sound format than the track's).
    silent: Vec<(i64, i64)>,
}

impl Copied {
    pub(super) fn report(
        self,
        plan: &ExportPlan,
        path: &Path,
        duration_us: i64,
        frames: u64,
        bytes: u64,
    ) -> ExportReport {
        ExportReport {
            path: path.to_path_buf(),
            camera: plan.camera.clone(),
            requested_from_us: plan.from_us,
            requested_to_us: plan.to_us,
            starts_at_us: self.starts_at_us,
            ends_at_us: self.ends_at_us,
            duration_us,
            frames,
            gaps: self.gaps,
            bytes,
            segments_used: plan.segments_used(),
            manifest: None,
            audio: self.audio,
            silent: self.silent,
        }
    }
}

/// Copies every piece of `plan` into a new MP4 at `url` (`shown` in messages) and finishes it.
pub(super) fn copy_all(
    plan: &ExportPlan,
    url: &Path,
    shown: &Path,
    layout: Layout,
    progress: &Progress,
) -> Result<Copied, ExportError> {
    progress.start(plan.covered_us());
    let audio = if plan.audio { first_audio(plan)? } else { None };
    let mut copy = Copy {
        mux: None,
        audio,
        waiting: Vec::new(),
        silent: Vec::new(),
        url,
        shown,
        layout,
        progress,
        done_us: 0,
        starts_at_us: None,
        ends_at_us: 0,
        skipped: Vec::new(),
    };
    for piece in &plan.pieces {
        copy.piece(piece)?;
    }
    let Copy {
        mux,
        starts_at_us,
        ends_at_us,
        skipped,
        silent,
        ..
    } = copy;
    let mut gaps = plan.gaps.clone();
    gaps.extend(skipped);
    gaps.sort_unstable();
    let (Some(mux), Some(starts_at_us)) = (mux, starts_at_us) else {
        return Err(ExportError::NothingRecorded {
            camera: plan.camera.clone(),
            from: super::show_time(plan.from_us),
            to: super::show_time(plan.to_us),
        });
    };
    let audio = mux
        .audio_format()
        .filter(|_| mux.audio_packets() > 0)
        .map(|f| f.describe());
    let written = mux.finish()?;
    Ok(Copied {
        starts_at_us,
        ends_at_us,
        gaps,
        written,
        audio,
        silent,
    })
}

/// The sound track of the export: the first piece's file that has one sets its format.
fn first_audio(plan: &ExportPlan) -> Result<Option<AudioParams>, ExportError> {
    for piece in &plan.pieces {
        let path = Path::new(&piece.segment.path);
        let file = RecordingFile::open(path).map_err(|e| ExportError::Input {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        if let Some(params) = file.audio_params() {
            return Ok(Some(params));
        }
    }
    Ok(None)
}

/// The state of one export while pieces are copied.
struct Copy<'a> {
    mux: Option<Mux>,
    /// The sound track's parameters, until the output is made with them.
    audio: Option<AudioParams>,
    /// Sound packets of the current piece read before its first video frame is written,
    /// with their wall times.
    waiting: Vec<(FilePacket, i64)>,
    /// Stretches whose sound was left out (see [`Copied::silent`]).
    silent: Vec<(i64, i64)>,
    url: &'a Path,
    shown: &'a Path,
    layout: Layout,
    progress: &'a Progress,
    /// Covered time of the pieces already finished, µs.
    done_us: i64,
    starts_at_us: Option<i64>,
    ends_at_us: i64,
    /// Stretches left out at the start of later pieces (up to their first keyframe).
    skipped: Vec<(i64, i64)>,
}

impl Copy<'_> {
    fn piece(&mut self, piece: &Piece) -> Result<(), ExportError> {
        let with_audio = self
            .mux
            .as_ref()
            .map_or(self.audio.is_some(), |m| m.audio_format().is_some());
        let (mut reader, audio) = SegmentReader::open_with(&piece.segment, with_audio)?;
        let params = reader.params()?;
        match &mut self.mux {
            Some(mux) => mux.next_piece(&params, piece.from_us)?,
            None => {
                let tb = reader.time_base();
                let track = self.audio.take();
                let mux = Mux::create(
                    self.url,
                    self.shown,
                    (params, tb),
                    track.as_ref(),
                    self.layout,
                )?;
                self.mux = Some(mux);
            }
        }
        let sound = self.sound_of(piece, audio.as_ref());
        self.waiting.clear();
        let first = self.starts_at_us.is_none();
        let mut search = None;
        // A later piece that starts inside its file continues what the previous piece
        // already wrote: starting at the keyframe before would repeat footage, so it starts
        // at its first keyframe from its start on, and the stretch before is a gap.
        let mut after_key = None;
        if piece.cuts_start() {
            reader.seek(Some(piece.from_us))?;
            if first {
                search = Some(StartSearch::new(piece.from_us, true));
            } else {
                after_key = Some(piece.from_us);
            }
        }
        while let Some(pkt) = reader.read()? {
            if self.progress.is_cancelled() {
                return Err(ExportError::Cancelled);
            }
            if pkt.is_audio() {
                if sound {
                    self.sound_packet(&reader, piece, pkt)?;
                }
                continue;
            }
            let (wall, key) = (reader.wall_us(pkt.pts()), pkt.is_key());
            if let Some(from) = after_key {
                if !(key && wall >= from) {
                    continue;
                }
                if wall > from {
                    self.skipped.push((from, wall));
                }
                after_key = None;
            }
            let batch = match search.as_mut() {
                None => vec![pkt],
                Some(s) => match s.offer(pkt, key, wall) {
                    Start::Hold => continue,
                    Start::Rewind => {
                        tracing::debug!(path = %reader.path().display(), "seek went past the start; reading the file from its beginning");
                        s.rewound();
                        self.waiting.clear();
                        reader.seek(None)?;
                        continue;
                    }
                    Start::Release(pkts) => {
                        search = None;
                        pkts
                    }
                },
            };
            let more = self.emit(&reader, piece, batch)?;
            self.flush_audio(&reader)?;
            if !more {
                break;
            }
        }
        if let Some(s) = search {
            self.emit(&reader, piece, s.finish())?;
            self.flush_audio(&reader)?;
        }
        self.waiting.clear();
        self.done_us += piece.to_us - piece.from_us;
        self.progress.set_done(self.done_us);
        Ok(())
    }

    /// Writes packets in decode order until one is shown at or after the piece's end (when
    /// the piece ends inside its file). Returns false once that end is reached.
    fn emit(
        &mut self,
        reader: &SegmentReader,
        piece: &Piece,
        batch: Vec<FilePacket>,
    ) -> Result<bool, ExportError> {
        let Some(mux) = self.mux.as_mut() else {
            return Ok(false);
        };
        for pkt in batch {
            let wall = reader.wall_us(pkt.pts());
            // Stopping at the first packet shown too late (in decode order) keeps every
            // written frame decodable: all its references come before it.
            if piece.cuts_end() && wall >= piece.to_us {
                return Ok(false);
            }
            let frame_us = reader.ticks_us(pkt.duration()).max(0);
            self.starts_at_us.get_or_insert(wall);
            self.ends_at_us = self.ends_at_us.max(wall + frame_us);
            mux.write(pkt, reader.time_base(), wall)?;
            let into_piece = (wall - piece.from_us).clamp(0, piece.to_us - piece.from_us);
            self.progress.set_done(self.done_us + into_piece);
        }
        Ok(true)
    }
}

impl Copy<'_> {
    /// Whether this piece's sound goes into the export: it has some, in the track's format.
    /// Sound in another format is left out, and its stretch said in the report.
    fn sound_of(&mut self, piece: &Piece, audio: Option<&AudioParams>) -> bool {
        let (Some(audio), Some(track)) = (audio, self.mux.as_ref().and_then(Mux::audio_format))
        else {
            return false;
        };
        let format = audio.format();
        if format == *track {
            return true;
        }
        tracing::warn!(from = %super::show_time(piece.from_us), track = %track.describe(), found = %format.describe(), "sound in another format than the export's sound track; left out");
        match self.silent.last_mut() {
            Some(last) if last.1 == piece.from_us => last.1 = piece.to_us,
            _ => self.silent.push((piece.from_us, piece.to_us)),
        }
        false
    }

    /// A sound packet of `piece`: written where it falls against the piece's video, held
    /// until the piece's first video frame is written, or dropped past the piece's end.
    fn sound_packet(
        &mut self,
        reader: &SegmentReader,
        piece: &Piece,
        pkt: FilePacket,
    ) -> Result<(), ExportError> {
        let wall = reader.audio_wall_us(pkt.pts());
        if piece.cuts_end() && wall >= piece.to_us {
            return Ok(());
        }
        match self.mux.as_mut() {
            Some(mux) if mux.anchored() => {
                mux.write_audio(pkt, reader.audio_time_base(), wall)?;
            }
            Some(_) => {
                if self.waiting.len() >= MAX_WAITING {
                    self.waiting.remove(0);
                }
                self.waiting.push((pkt, wall));
            }
            None => {}
        }
        Ok(())
    }

    /// Writes the sound held for this piece once its first video frame is written.
    fn flush_audio(&mut self, reader: &SegmentReader) -> Result<(), ExportError> {
        let Some(mux) = self.mux.as_mut().filter(|m| m.anchored()) else {
            return Ok(());
        };
        for (pkt, wall) in self.waiting.drain(..) {
            mux.write_audio(pkt, reader.audio_time_base(), wall)?;
        }
        Ok(())
    }
}

/// Reads the written file's length and frame count from its MP4 header.
pub(super) fn read_back(url: &Path, shown: &Path) -> Result<(i64, u64), ExportError> {
    probe_written(url).map_err(|e| output_error(shown, e))
}
