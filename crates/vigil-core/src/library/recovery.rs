//! Keeping files and rows in agreement. After a crash, the open-segment journal names the
//! files that were being written: each is probed and indexed if playable, removed if it was
//! readable and holds no frames, and kept with its journal row if it cannot be read now.
//! A full reconciliation also walks the recordings folder: files without rows are indexed
//! (or removed if unplayable), rows without files are dropped.

use std::collections::HashSet;
use std::path::Path;

use super::layout::{folder_camera_id, parse_rel_path, RECORDINGS};
use super::{io_reason, FinishedSegment, Library, LibraryError};
use crate::media::probe::{probe_file, ProbeInfo};
use crate::media::MediaError;
use crate::model::{Camera, SegmentKind};

/// What a recovery pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct RecoveryReport {
    /// Files found without a row and indexed.
    pub indexed: u64,
    /// Unplayable files removed.
    pub removed_files: u64,
    /// Rows whose file was missing, dropped.
    pub dropped_rows: u64,
    /// Rows whose file was missing but kept, because so many were missing that the disk is
    /// more likely unmounted than the files deleted (see [`MASS_MISSING`]).
    pub kept_missing: u64,
    /// Files left by a crash that could not be read now (I/O error, permissions, no free
    /// descriptor…): kept, with their journal rows, for the next check.
    pub kept_unreadable: u64,
}

/// With at least this many rows, if more than half of their files are missing, reconcile
/// keeps the rows (an unmounted or renamed recordings disk must not empty the library) and
/// says so; `vigil check --drop-missing` drops them when they really are gone.
pub const MASS_MISSING: usize = 20;

impl Library {
    /// Settles the open-segment journal and the trash after a crash. Cheap: it touches only
    /// the files that were open. Call it only while holding the recorder lock.
    pub fn recover_journal(&mut self) -> Result<RecoveryReport, LibraryError> {
        let mut report = RecoveryReport::default();
        self.empty_trash()?;
        for (rel, camera_id, kind, start_us) in self.open_segments()? {
            let abs = self.absolute(&rel);
            if !abs.exists() {
                self.abandon_segment(&rel)?;
                continue;
            }
            self.settle_file(&rel, camera_id, kind, start_us, &mut report)?;
        }
        Ok(report)
    }

    /// Walks the recordings folder and the segment rows and makes them agree: files without
    /// rows are indexed (or removed if unplayable), rows without files dropped. Files in the
    /// open-segment journal are being written (or were settled by [`Library::recover_journal`]
    /// at start-up) and are left alone. Takes time on a large library; the engine runs it in
    /// the background. Call it only while holding the recorder lock.
    pub fn reconcile(&mut self) -> Result<RecoveryReport, LibraryError> {
        self.reconcile_with(false)
    }

    /// [`Library::reconcile`]; with `drop_mass_missing`, rows are dropped even when most of
    /// the files are missing.
    pub fn reconcile_with(
        &mut self,
        drop_mass_missing: bool,
    ) -> Result<RecoveryReport, LibraryError> {
        let mut report = RecoveryReport::default();
        let files = list_segment_files(self.root());
        let rows = self.all_segment_paths()?;
        let total = rows.len();
        let mut missing = Vec::new();
        let mut known = HashSet::with_capacity(rows.len());
        for (id, rel) in rows {
            if self.absolute(&rel).exists() {
                known.insert(rel);
            } else {
                missing.push(id);
            }
        }
        let mass = total >= MASS_MISSING && missing.len() * 2 > total;
        if mass && !drop_mass_missing {
            tracing::error!(
                missing = missing.len(),
                rows = total,
                folder = %self.root().join(super::layout::RECORDINGS).display(),
                "most recordings are missing from disk: is the recordings disk mounted? \
                 Their rows are kept; `vigil check --drop-missing` drops them"
            );
            report.kept_missing = missing.len() as u64;
            missing.clear();
        }
        if !missing.is_empty() {
            tracing::warn!(
                rows = missing.len(),
                "recordings missing from disk; dropping their rows"
            );
            report.dropped_rows = missing.len() as u64;
            self.forget_segments(&missing)?;
        }
        // Read after listing the files, so a segment opened meanwhile is in one or the other.
        let open: HashSet<String> = self
            .open_segments()?
            .into_iter()
            .map(|(rel, ..)| rel)
            .collect();
        let cameras = self.cameras()?;
        for rel in files {
            if known.contains(&rel) || open.contains(&rel) {
                continue;
            }
            let Some(parsed) = parse_rel_path(&rel) else {
                continue;
            };
            let Some(cam) = camera_of_folder(&cameras, &parsed.camera) else {
                tracing::warn!(path = %rel, "recording of an unknown camera left in place");
                continue;
            };
            // A row may have been written since the listing (a segment finished meanwhile).
            if self.segment_exists(&rel)? {
                continue;
            }
            self.settle_file(&rel, cam.id, parsed.kind, parsed.start_us, &mut report)?;
        }
        Ok(report)
    }

    /// Indexes a file that has no row if it plays; removes it if it is readable and really
    /// holds no frames; otherwise (it cannot be read now) keeps it and its journal row for a
    /// later pass ([`decide`]).
    fn settle_file(
        &mut self,
        rel: &str,
        camera_id: i64,
        kind: SegmentKind,
        start_us: i64,
        report: &mut RecoveryReport,
    ) -> Result<(), LibraryError> {
        let abs = self.absolute(rel);
        // Read through once: the read proves the file readable and gives its hash.
        let (read, hashed) = match super::chain::hash_file(&abs) {
            Ok((sha256, bytes)) => (Ok(()), Some((sha256, bytes))),
            Err(e) => (Err(e), None),
        };
        match decide(read, || probe_file(&abs)) {
            Settle::Index(p) => {
                let (sha256, bytes) = hashed.unzip();
                let seg = recovered(rel, camera_id, kind, start_us, bytes.unwrap_or(0), &p);
                self.finish_hashed_segment(&seg, sha256.as_deref())?;
                tracing::info!(path = %rel, frames = p.frames, "indexed a recording left by a crash");
                report.indexed += 1;
            }
            Settle::Remove(why) => {
                tracing::warn!(path = %rel, error = %why, "removing an unplayable recording left by a crash");
                let _ = std::fs::remove_file(&abs);
                self.abandon_segment(rel)?;
                report.removed_files += 1;
            }
            Settle::Keep(why) => {
                tracing::warn!(path = %rel, error = %why, "cannot read a recording left by a crash; keeping it for the next check");
                report.kept_unreadable += 1;
            }
        }
        Ok(())
    }
}

/// What to do with a recording file that has no row.
#[derive(Debug)]
enum Settle {
    /// It plays: index what it holds.
    Index(ProbeInfo),
    /// It was read through and holds no video frames (or is not a recording at all).
    Remove(String),
    /// It cannot be read now — an I/O error, permissions, out of descriptors or memory,
    /// something else where the file should be — which may pass: keep it (and its journal
    /// row) for a later pass rather than delete footage.
    Keep(String),
}

/// The decision on a file without a row: `read` is whether the file could be read through,
/// `probe` what FFmpeg finds in it (asked only when it was readable). Only a file that was
/// readable and that FFmpeg says holds no frames ([`MediaError::Unsupported`]) is removed.
fn decide(
    read: std::io::Result<()>,
    probe: impl FnOnce() -> Result<ProbeInfo, MediaError>,
) -> Settle {
    if let Err(e) = read {
        return Settle::Keep(io_reason(&e));
    }
    match probe() {
        Ok(p) => Settle::Index(p),
        Err(MediaError::Unsupported(why)) => Settle::Remove(why),
        Err(other) => Settle::Keep(other.to_string()),
    }
}

fn recovered(
    rel: &str,
    camera_id: i64,
    kind: SegmentKind,
    start_us: i64,
    bytes: u64,
    p: &ProbeInfo,
) -> FinishedSegment {
    FinishedSegment {
        camera_id,
        kind,
        start_us,
        end_us: start_us + p.duration_us.max(1),
        rel_path: rel.to_string(),
        bytes,
        codec: p.codec.as_str().to_string(),
        width: p.width,
        height: p.height,
        frames: p.frames,
        event_id: None,
        audio_codec: p.audio_codec.clone(),
    }
}

/// The camera a recordings folder belongs to: `cam-<id>` by id, else (a library written
/// before schema 4) the camera of that name.
fn camera_of_folder<'a>(cameras: &'a [Camera], folder: &str) -> Option<&'a Camera> {
    match folder_camera_id(folder) {
        Some(id) => cameras.iter().find(|c| c.id == id),
        None => cameras.iter().find(|c| c.name.as_str() == folder),
    }
}

/// Relative paths of every `.mp4` under `recordings/<camera>/<date>/`.
fn list_segment_files(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let read = |p: &Path| std::fs::read_dir(p).into_iter().flatten().flatten();
    for cam in read(&root.join(RECORDINGS)) {
        for day in read(&cam.path()) {
            for file in read(&day.path()) {
                let path = file.path();
                if path.extension().is_some_and(|e| e == "mp4") {
                    if let Ok(rel) = path.strip_prefix(root) {
                        out.push(rel.to_string_lossy().into_owned());
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packet::VideoCodec;
    use std::io::Error;

    fn info() -> ProbeInfo {
        ProbeInfo {
            codec: VideoCodec::H264,
            width: 640,
            height: 360,
            frames: 50,
            duration_us: 2_000_000,
            audio_codec: None,
        }
    }

    #[test]
    fn a_file_that_cannot_be_read_now_is_kept_whatever_ffmpeg_would_say() {
        for e in [
            Error::from_raw_os_error(libc::EIO),
            Error::from_raw_os_error(libc::EACCES),
            Error::from_raw_os_error(libc::EMFILE),
            Error::from_raw_os_error(libc::ENFILE),
            Error::from_raw_os_error(libc::ENOMEM),
            Error::from_raw_os_error(libc::EISDIR),
            Error::other("something other than a file is there"),
        ] {
            let shown = e.to_string();
            let verdict = decide(Err(e), || panic!("not probed when unreadable"));
            assert!(matches!(verdict, Settle::Keep(_)), "{shown}: {verdict:?}");
        }
    }

    #[test]
    fn a_readable_file_is_removed_only_when_it_holds_no_frames() {
        let none = || {
            Err(MediaError::Unsupported(
                "x.mp4 holds no video frames".into(),
            ))
        };
        assert!(matches!(decide(Ok(()), none), Settle::Remove(_)));
        // FFmpeg failing for another reason (out of descriptors or memory…) keeps it.
        for e in [
            MediaError::Source("x.mp4: too many open files".into()),
            MediaError::Write("x".into()),
            MediaError::Stopped,
        ] {
            let verdict = decide(Ok(()), || Err(e.clone()));
            assert!(matches!(verdict, Settle::Keep(_)), "{e}: {verdict:?}");
        }
        assert!(matches!(decide(Ok(()), || Ok(info())), Settle::Index(p) if p.frames == 50));
    }
}
