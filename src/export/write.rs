//! Writing a planned export: each piece's file read in turn, packets before the start
//! keyframe and from the end on dropped, the rest remuxed into a temporary MP4 next to the
//! target, which is read back, synced and renamed into place only when complete.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use ffmpeg_next as ffmpeg;

use super::mux::{output_error, Mux};
use super::plan::{ExportPlan, Piece};
use super::reader::{open_container, SegmentReader};
use super::timeline::{Start, StartSearch};
use super::{ExportError, ExportReport, Progress};
use crate::library::io_reason;

/// Writes `plan` to `path` as one MP4, without re-encoding.
///
/// Runs on the calling thread until the file is complete (seconds to minutes for long
/// ranges): a GUI calls it from a thread of its own and watches `progress`, whose
/// [`Progress::cancel`] makes it return [`ExportError::Cancelled`] within one packet.
/// The file starts at the keyframe at or before `plan.from_us` (the report says how far
/// before); gaps between recordings are closed in the file's timeline and listed in the
/// report. Nothing is left at `path` (or beside it) unless the export succeeds. An existing
/// file at `path` is an error unless `overwrite`.
pub fn write(
    plan: &ExportPlan,
    path: &Path,
    overwrite: bool,
    progress: &Progress,
) -> Result<ExportReport, ExportError> {
    if path.is_dir() {
        return Err(ExportError::Output {
            path: path.to_path_buf(),
            reason: "it is a folder".into(),
        });
    }
    if !overwrite && path.exists() {
        return Err(ExportError::Exists(path.to_path_buf()));
    }
    let mut temp = TempFile {
        path: temp_path(path)?,
        keep: false,
    };
    progress.start(plan.covered_us());
    let mut copy = Copy {
        mux: None,
        temp: &temp.path,
        shown: path,
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
    mux.finish()?;
    let (duration_us, frames) = read_back(&temp.path, path)?;
    let bytes = temp.persist(path, overwrite)?;
    progress.set_done(plan.covered_us());
    Ok(ExportReport {
        path: path.to_path_buf(),
        camera: plan.camera.clone(),
        requested_from_us: plan.from_us,
        requested_to_us: plan.to_us,
        starts_at_us,
        ends_at_us,
        duration_us,
        frames,
        gaps,
        bytes,
        segments_used: plan.segments_used(),
    })
}

/// The state of one export while pieces are copied.
struct Copy<'a> {
    mux: Option<Mux>,
    temp: &'a Path,
    shown: &'a Path,
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
        let mut reader = SegmentReader::open(&piece.segment)?;
        let params = reader.parameters()?;
        match &mut self.mux {
            Some(mux) => mux.next_piece(&params, piece.from_us)?,
            None => {
                let mux = Mux::create(self.temp, self.shown, params, reader.time_base())?;
                self.mux = Some(mux);
            }
        }
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
            let (wall, key) = (reader.wall_us(pkt.pts().unwrap_or(0)), pkt.is_key());
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
                        reader.seek(None)?;
                        continue;
                    }
                    Start::Release(pkts) => {
                        search = None;
                        pkts
                    }
                },
            };
            if !self.emit(&reader, piece, batch)? {
                break;
            }
        }
        if let Some(s) = search {
            self.emit(&reader, piece, s.finish())?;
        }
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
        batch: Vec<ffmpeg::Packet>,
    ) -> Result<bool, ExportError> {
        let Some(mux) = self.mux.as_mut() else {
            return Ok(false);
        };
        for pkt in batch {
            let wall = reader.wall_us(pkt.pts().unwrap_or(0));
            // Stopping at the first packet shown too late (in decode order) keeps every
            // written frame decodable: all its references come before it.
            if piece.cuts_end() && wall >= piece.to_us {
                return Ok(false);
            }
            let frame_us = reader.ticks_us(pkt.duration()).max(0);
            self.starts_at_us.get_or_insert(wall);
            self.ends_at_us = self.ends_at_us.max(wall + frame_us);
            mux.write(pkt, reader.time_base())?;
            let into_piece = (wall - piece.from_us).clamp(0, piece.to_us - piece.from_us);
            self.progress.set_done(self.done_us + into_piece);
        }
        Ok(true)
    }
}

/// Reads the written file's length and frame count from its MP4 header.
fn read_back(temp: &Path, shown: &Path) -> Result<(i64, u64), ExportError> {
    let ictx = open_container(temp).map_err(|e| output_error(shown, e))?;
    let stream = ictx
        .streams()
        .best(ffmpeg::media::Type::Video)
        .ok_or_else(|| ExportError::Output {
            path: shown.to_path_buf(),
            reason: "the written file has no video stream".into(),
        })?;
    let tb = stream.time_base();
    let duration = if stream.duration() > 0 {
        super::timeline::rescale(stream.duration(), tb, ffmpeg::Rational::new(1, 1_000_000))
    } else {
        ictx.duration().max(0)
    };
    Ok((duration, stream.frames().max(0) as u64))
}

/// `.NAME.vigil-export-PID-N.part` next to the target (N: this process's export count, so
/// two exports to one name at once do not share a temporary file).
fn temp_path(path: &Path) -> Result<PathBuf, ExportError> {
    let name = path
        .file_name()
        .ok_or_else(|| ExportError::Output {
            path: path.to_path_buf(),
            reason: "it does not name a file".into(),
        })?
        .to_string_lossy();
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    static COUNT: AtomicU64 = AtomicU64::new(0);
    let n = COUNT.fetch_add(1, Ordering::Relaxed);
    let temp = format!(".{name}.vigil-export-{}-{n}.part", std::process::id());
    Ok(dir.map_or_else(|| PathBuf::from(&temp), |d| d.join(&temp)))
}

/// The temporary output: removed when dropped unless persisted.
struct TempFile {
    path: PathBuf,
    keep: bool,
}

impl TempFile {
    /// Syncs the file, renames it to `path`, syncs the folder. Returns its size.
    fn persist(&mut self, path: &Path, overwrite: bool) -> Result<u64, ExportError> {
        let fail = |e: std::io::Error| ExportError::Output {
            path: path.to_path_buf(),
            reason: io_reason(&e),
        };
        let file = std::fs::File::open(&self.path).map_err(fail)?;
        file.sync_all().map_err(fail)?;
        let bytes = file.metadata().map_err(fail)?.len();
        if !overwrite && path.exists() {
            return Err(ExportError::Exists(path.to_path_buf()));
        }
        std::fs::rename(&self.path, path).map_err(fail)?;
        self.keep = true;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            if let Ok(d) = std::fs::File::open(dir) {
                let _ = d.sync_all();
            }
        }
        Ok(bytes)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if self.keep {
            return;
        }
        if let Err(e) = std::fs::remove_file(&self.path) {
            if e.kind() != std::io::ErrorKind::NotFound {
                tracing::warn!(path = %self.path.display(), error = %e, "cannot remove the unfinished export");
            }
        }
    }
}
