//! The integrity check (`vigil check --integrity`): re-hashes the recordings, walks each
//! camera's chain (links and signatures against this installation's public key) and compares
//! chain, rows and files, reading only. Every problem is one sentence naming the camera and
//! the recording; deletions the chain recorded are listed as legitimate, not as problems.

mod compare;
mod walk;

use std::path::Path;
use std::time::Instant;

use crate::evidence::key::{InstallationKey, KeyError};
use crate::library::chain::ChainEntry;
use crate::library::{ChainSnapshot, HashedRow};
use crate::library::{Library, LibraryError};

/// What kind of problem, for scripts (`--json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProblemKind {
    /// The file's SHA-256 differs from the one recorded.
    ContentChanged,
    FileMissing,
    SizeDiffers,
    /// The file is there but cannot be read now.
    Unreadable,
    /// The row's start, end, bytes, path, kind or hash differ from its chain entry.
    RowEdited,
    /// The chain has the recording, its row is gone and no deletion was recorded.
    RowRemoved,
    /// A row the chain never recorded (added outside the recorder).
    RowNotInChain,
    /// An entry removed or edited: its link does not follow.
    ChainBroken,
    /// An entry not signed by this installation's key.
    SignatureInvalid,
    /// An entry stored without a signature (the key could not be read when it was written).
    Unsigned,
    /// The recording was indexed without a hash (its file could not be read then).
    Unhashed,
    /// This installation has no signing key, so no signature can be checked.
    KeyMissing,
}

/// One problem, in a sentence.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    pub kind: ProblemKind,
    pub camera: String,
    /// The recording's file (absolute), when the problem concerns one.
    pub path: Option<String>,
    pub start_us: Option<i64>,
    /// The chain entry concerned, when there is one.
    pub seq: Option<i64>,
    pub sentence: String,
}

/// A recording the chain says was deleted, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Deleted {
    pub camera: String,
    pub path: String,
    pub start_us: i64,
    pub end_us: i64,
    pub reason: String,
    pub by_user: Option<String>,
    pub at_us: i64,
    pub sentence: String,
}

/// Recordings indexed before integrity tracking began: no hash, no entry.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Untracked {
    pub count: u64,
    pub from_us: Option<i64>,
    pub to_us: Option<i64>,
}

/// One camera's chain: its head is what an operator notes to detect a later truncation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CameraChain {
    pub camera_id: i64,
    pub camera: String,
    pub entries: u64,
    pub head_seq: i64,
    /// The newest entry's link (lowercase hex); empty for an empty chain.
    pub head_link: String,
    pub recorded_before_tracking: Untracked,
}

/// What the check found.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct IntegrityReport {
    /// Recordings whose files were checked, and their bytes.
    pub checked: u64,
    pub bytes: u64,
    pub seconds: f64,
    /// The public key the signatures were checked against.
    pub key_fingerprint: Option<String>,
    pub cameras: Vec<CameraChain>,
    pub problems: Vec<Problem>,
    pub deleted: Vec<Deleted>,
}

/// Which recordings to check: a camera, and those overlapping `[from_us, to_us)`.
#[derive(Debug, Clone, Copy, Default)]
pub struct CheckScope {
    pub camera_id: Option<i64>,
    pub from_us: Option<i64>,
    pub to_us: Option<i64>,
}

impl CheckScope {
    fn covers(&self, start_us: i64, end_us: i64) -> bool {
        self.from_us.is_none_or(|f| end_us > f) && self.to_us.is_none_or(|t| start_us < t)
    }
}

/// How far the re-hashing is.
#[derive(Debug, Clone, Copy, Default)]
pub struct Progress {
    pub files_done: u64,
    pub files_total: u64,
    pub bytes_done: u64,
    pub bytes_total: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum IntegrityError {
    #[error(transparent)]
    Library(#[from] LibraryError),
    #[error(transparent)]
    Key(#[from] KeyError),
}

/// Checks the library (see the module's note). `progress` is called after each file.
pub fn check(
    lib: &Library,
    scope: CheckScope,
    progress: &mut dyn FnMut(Progress),
) -> Result<IntegrityReport, IntegrityError> {
    let started = Instant::now();
    let public_key = match InstallationKey::load(lib.root()) {
        Ok(key) => Some(key.public_key()),
        Err(KeyError::Missing { .. }) => None,
        Err(e) => return Err(e.into()),
    };
    let snap = lib.chain_snapshot(scope.camera_id)?;
    let mut report = IntegrityReport {
        key_fingerprint: public_key.map(|k| crate::evidence::key::fingerprint(&k)),
        ..Default::default()
    };
    let mut files = Vec::new();
    for camera_id in camera_ids(&snap) {
        let cam = compare::Camera::new(&snap, camera_id, lib.root());
        let chain: &[ChainEntry] = snap.chains.get(&camera_id).map_or(&[], |c| c);
        let rows: Vec<&HashedRow> = snap
            .rows
            .iter()
            .filter(|r| r.camera_id == camera_id)
            .collect();
        let walked = walk::walk(&cam, chain, public_key.as_ref(), &mut report.problems);
        let untracked = cam.compare(chain, &walked.edited, &rows, scope, &mut report, &mut files);
        report.cameras.push(CameraChain {
            camera_id,
            camera: cam.name.clone(),
            entries: chain.len() as u64,
            head_seq: walked.head_seq,
            head_link: walked.head_link,
            recorded_before_tracking: untracked,
        });
    }
    if public_key.is_none() && snap.chains.values().any(|c| !c.is_empty()) {
        report.problems.push(Problem {
            kind: ProblemKind::KeyMissing,
            camera: String::new(),
            path: None,
            start_us: None,
            seq: None,
            sentence: format!(
                "this installation has no signing key ({}): the chain's signatures cannot be checked",
                lib.root().join(crate::evidence::key::KEY_FILE).display()
            ),
        });
    }
    compare::check_files(lib, &files, &mut report, progress)?;
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// Every camera with a chain or rows, in id order.
fn camera_ids(snap: &ChainSnapshot) -> Vec<i64> {
    let mut ids: Vec<i64> = snap
        .chains
        .keys()
        .copied()
        .chain(snap.rows.iter().map(|r| r.camera_id))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// `us` (UTC µs) as a local date and time with its offset: `2026-12-05 19:04:03 +01:00`.
pub fn local_time(us: i64) -> String {
    let secs = us.div_euclid(1_000_000) as libc::time_t;
    // SAFETY: a plain C struct, all zeroes is a valid value.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    // SAFETY: `localtime_r` only writes into `tm`, which lives for the call.
    let ok = unsafe { !libc::localtime_r(&secs, &mut tm).is_null() };
    if !ok {
        return crate::model::time::format_rfc3339(us);
    }
    let off = tm.tm_gmtoff / 60;
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02} {}{:02}:{:02}",
        tm.tm_year + 1900,
        tm.tm_mon + 1,
        tm.tm_mday,
        tm.tm_hour,
        tm.tm_min,
        tm.tm_sec,
        if off < 0 { '-' } else { '+' },
        off.abs() / 60,
        off.abs() % 60
    )
}

/// The recording in words: "the recording of <local time> (<file>)".
fn recording(root: &Path, start_us: i64, rel: &str) -> String {
    format!(
        "the recording of {} ({})",
        local_time(start_us),
        root.join(rel).display()
    )
}

#[cfg(test)]
mod tests;
