//! Comparing a camera's chain with its rows, and the rows' files with the hashes the chain
//! recorded.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::library::chain::{hash_file, ChainEntry, EntryKind};
use crate::library::{io_reason, DeletionReason, Library, LibraryError};
use crate::library::{ChainSnapshot, HashedRow};

use super::{local_time, recording, CheckScope, Deleted, IntegrityReport, Problem, ProblemKind};
use super::{Progress, Untracked};

/// One camera being checked.
pub(super) struct Camera<'a> {
    pub name: String,
    root: &'a Path,
    since_us: Option<i64>,
}

/// A file to re-hash, with what the chain recorded of it.
pub(super) struct FileCheck {
    camera: String,
    rel: String,
    abs: PathBuf,
    start_us: i64,
    seq: i64,
    bytes: u64,
    sha256: String,
}

impl<'a> Camera<'a> {
    pub fn new(snap: &ChainSnapshot, id: i64, root: &'a Path) -> Self {
        let name = snap
            .cameras
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("camera #{id}"));
        Self {
            name,
            root,
            since_us: snap.since_us,
        }
    }

    pub fn recording(&self, start_us: i64, rel: &str) -> String {
        recording(self.root, start_us, rel)
    }

    /// A problem of this camera; `sentence` gets the camera's name in front.
    pub fn problem(&self, kind: ProblemKind, e: Option<&ChainEntry>, sentence: String) -> Problem {
        Problem {
            kind,
            camera: self.name.clone(),
            path: e.map(|e| self.root.join(&e.body.path).display().to_string()),
            start_us: e.map(|e| e.body.start_us),
            seq: e.map(|e| e.seq),
            sentence: format!("{}: {sentence}", self.name),
        }
    }

    fn row_problem(
        &self,
        kind: ProblemKind,
        row: &HashedRow,
        seq: Option<i64>,
        what: &str,
    ) -> Problem {
        Problem {
            kind,
            camera: self.name.clone(),
            path: Some(self.root.join(&row.path).display().to_string()),
            start_us: Some(row.start_us),
            seq,
            sentence: format!(
                "{}: {} {what}",
                self.name,
                self.recording(row.start_us, &row.path)
            ),
        }
    }

    /// Compares the chain with the rows in `scope`; queues the files to re-hash. Entries in
    /// `edited` (already reported) are not compared. Answers the recordings indexed before
    /// integrity tracking.
    pub fn compare(
        &self,
        chain: &[ChainEntry],
        edited: &HashSet<i64>,
        rows: &[&HashedRow],
        scope: CheckScope,
        report: &mut IntegrityReport,
        files: &mut Vec<FileCheck>,
    ) -> Untracked {
        // The newest entry of each path says what the chain last recorded of it.
        let mut latest: HashMap<&str, &ChainEntry> = HashMap::with_capacity(chain.len());
        for e in chain {
            latest.insert(e.body.path.as_str(), e);
        }
        let mut untracked = Untracked::default();
        let mut with_rows = HashSet::with_capacity(rows.len());
        for row in rows {
            with_rows.insert(row.path.as_str());
            if !scope.covers(row.start_us, row.end_us) {
                continue;
            }
            match latest.get(row.path.as_str()) {
                None if row.sha256.is_none() && self.since_us.is_none_or(|s| row.start_us < s) => {
                    untracked.count += 1;
                    untracked.from_us = Some(untracked.from_us.map_or(row.start_us, |f| f.min(row.start_us)));
                    untracked.to_us = Some(untracked.to_us.map_or(row.end_us, |t| t.max(row.end_us)));
                }
                None => report.problems.push(self.row_problem(
                    ProblemKind::RowNotInChain,
                    row,
                    None,
                    "has a row but no entry in the integrity chain: it was added outside the recorder",
                )),
                Some(e) if e.entry != Some(EntryKind::Segment) => {
                    report.problems.push(self.row_problem(
                        ProblemKind::RowNotInChain,
                        row,
                        Some(e.seq),
                        &format!("has a row, but entry {} of the integrity chain records its deletion: the row was put back outside the recorder", e.seq),
                    ))
                }
                Some(e) if edited.contains(&e.seq) => {}
                Some(e) => self.compare_row(row, e, report, files),
            }
        }
        self.without_rows(&latest, edited, &with_rows, scope, report);
        report.deleted.sort_by_key(|d| (d.start_us, d.path.clone()));
        untracked
    }

    /// Paths the chain recorded that have no row now: deleted (listed, or a problem when the
    /// file went missing first) or removed without a deletion entry.
    fn without_rows(
        &self,
        latest: &HashMap<&str, &ChainEntry>,
        edited: &HashSet<i64>,
        with_rows: &HashSet<&str>,
        scope: CheckScope,
        report: &mut IntegrityReport,
    ) {
        for e in latest.values() {
            if edited.contains(&e.seq)
                || with_rows.contains(e.body.path.as_str())
                || !scope.covers(e.body.start_us, e.body.end_us)
            {
                continue;
            }
            let reason = e.body.reason.as_deref().and_then(DeletionReason::parse);
            match e.entry {
                // Vigil dropped the row because the file had gone: someone removed it.
                Some(EntryKind::Deletion) if reason == Some(DeletionReason::FileMissing) => {
                    report.problems.push(self.problem(
                        ProblemKind::FileMissing,
                        Some(e),
                        format!(
                            "{} was missing from disk when Vigil checked its library at {}: its file was removed outside Vigil (chain entry {})",
                            self.recording(e.body.start_us, &e.body.path),
                            local_time(e.body.at_us),
                            e.seq
                        ),
                    ))
                }
                Some(EntryKind::Deletion) => report.deleted.push(self.deleted(e)),
                _ => report.problems.push(self.problem(
                    ProblemKind::RowRemoved,
                    Some(e),
                    format!(
                        "{} was removed from the library without a deletion entry (chain entry {})",
                        self.recording(e.body.start_us, &e.body.path),
                        e.seq
                    ),
                )),
            }
        }
    }

    /// A row the chain recorded: its fields must be the entry's; its file is queued.
    fn compare_row(
        &self,
        row: &HashedRow,
        e: &ChainEntry,
        report: &mut IntegrityReport,
        files: &mut Vec<FileCheck>,
    ) {
        let b = &e.body;
        let mut edited = Vec::new();
        let when = |us: i64| local_time(us);
        if row.start_us != b.start_us {
            edited.push(format!(
                "its start is {} but was {}",
                when(row.start_us),
                when(b.start_us)
            ));
        }
        if row.end_us != b.end_us {
            edited.push(format!(
                "its end is {} but was {}",
                when(row.end_us),
                when(b.end_us)
            ));
        }
        if row.bytes != b.bytes {
            edited.push(format!(
                "its size is {} bytes but was {}",
                row.bytes, b.bytes
            ));
        }
        if row.kind != b.kind {
            edited.push(format!("its kind is {} but was {}", row.kind, b.kind));
        }
        if row.sha256 != b.sha256 {
            edited.push("its hash differs from the one recorded".to_string());
        }
        if !edited.is_empty() {
            report.problems.push(self.row_problem(
                ProblemKind::RowEdited,
                row,
                Some(e.seq),
                &format!(
                    "has an edited row: {} (chain entry {})",
                    edited.join(", "),
                    e.seq
                ),
            ));
        }
        let Some(sha256) = b.sha256.clone() else {
            report.problems.push(self.row_problem(
                ProblemKind::Unhashed,
                row,
                Some(e.seq),
                "was indexed without a hash (its file could not be read then), so its content cannot be checked",
            ));
            return;
        };
        files.push(FileCheck {
            camera: self.name.clone(),
            rel: b.path.clone(),
            abs: self.root.join(&b.path),
            start_us: b.start_us,
            seq: e.seq,
            bytes: b.bytes,
            sha256,
        });
    }

    fn deleted(&self, e: &ChainEntry) -> Deleted {
        let reason = e.body.reason.clone().unwrap_or_default();
        let how = DeletionReason::parse(&reason).map_or("deleted", |r| r.describe());
        let who = e
            .body
            .by_user
            .as_deref()
            .map(|u| format!(" ({u})"))
            .unwrap_or_default();
        Deleted {
            camera: self.name.clone(),
            path: self.root.join(&e.body.path).display().to_string(),
            start_us: e.body.start_us,
            end_us: e.body.end_us,
            reason,
            by_user: e.body.by_user.clone(),
            at_us: e.body.at_us,
            sentence: format!(
                "{}: {} was {how}{who} at {}",
                self.name,
                self.recording(e.body.start_us, &e.body.path),
                local_time(e.body.at_us)
            ),
        }
    }
}

/// Re-hashes the queued files. A file missing whose row is gone by now was deleted while the
/// check ran (retention): not a problem.
pub(super) fn check_files(
    lib: &Library,
    files: &[FileCheck],
    report: &mut IntegrityReport,
    progress: &mut dyn FnMut(Progress),
) -> Result<(), LibraryError> {
    let mut p = Progress {
        files_total: files.len() as u64,
        bytes_total: files.iter().map(|f| f.bytes).sum(),
        ..Default::default()
    };
    for f in files {
        if let Some((kind, what)) = check_file(f) {
            if kind == ProblemKind::FileMissing && !lib.segment_exists(&f.rel)? {
                // Deleted while the check ran (retention): listed by the next check.
                continue;
            }
            report.problems.push(Problem {
                kind,
                camera: f.camera.clone(),
                path: Some(f.abs.display().to_string()),
                start_us: Some(f.start_us),
                seq: Some(f.seq),
                sentence: format!(
                    "{}: {} {what}",
                    f.camera,
                    recording(lib.root(), f.start_us, &f.rel)
                ),
            });
        }
        report.checked += 1;
        report.bytes += f.bytes;
        p.files_done += 1;
        p.bytes_done += f.bytes;
        progress(p);
    }
    Ok(())
}

/// What is wrong with one file, if anything.
fn check_file(f: &FileCheck) -> Option<(ProblemKind, String)> {
    let meta = match std::fs::metadata(&f.abs) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Some((
                ProblemKind::FileMissing,
                "is missing: its file is gone, but no deletion was recorded".into(),
            ))
        }
        Err(e) => {
            return Some((
                ProblemKind::Unreadable,
                format!("cannot be read: {}", io_reason(&e)),
            ))
        }
    };
    if meta.len() != f.bytes {
        return Some((
            ProblemKind::SizeDiffers,
            format!(
                "was changed: its file has {} bytes, but {} were recorded",
                meta.len(),
                f.bytes
            ),
        ));
    }
    match hash_file(&f.abs) {
        Err(e) => Some((
            ProblemKind::Unreadable,
            format!("cannot be read: {}", io_reason(&e)),
        )),
        Ok((sha256, _)) if sha256 != f.sha256 => Some((
            ProblemKind::ContentChanged,
            "was changed: its content no longer matches the SHA-256 recorded when it was indexed"
                .into(),
        )),
        Ok(_) => None,
    }
}
