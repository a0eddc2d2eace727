//! The integrity chain: per camera, an append-only list of signed entries, one for every
//! recording indexed (`segment`) and one for every recording deleted (`deletion`), each
//! linked to the previous by SHA-256 and signed with the installation's key. Entries are
//! appended in the transaction that changes the rows they describe, so rows and chain agree
//! after any crash. `evidence::integrity` checks them against rows and files.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use ring::digest::{Context, SHA256};
use rusqlite::{params, Connection, OptionalExtension};

use super::signing_key::InstallationKey;
use super::LibraryError;

/// What an entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EntryKind {
    Segment,
    Deletion,
}

impl EntryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Segment => "segment",
            Self::Deletion => "deletion",
        }
    }
}

/// What an entry says about one recording (everything the link covers but its place).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryBody {
    pub entry: EntryKind,
    pub path: String,
    pub kind: String,
    pub start_us: i64,
    pub end_us: i64,
    pub bytes: u64,
    /// Lowercase hex SHA-256 of the file; `None` when it could not be read.
    pub sha256: Option<String>,
    /// For a deletion: its reason (`DeletionReason::as_str`).
    pub reason: Option<String>,
    pub by_user: Option<String>,
    /// When the recording was indexed or deleted.
    pub at_us: i64,
}

/// One stored entry of a camera's chain.
#[derive(Debug, Clone)]
pub struct ChainEntry {
    pub camera_id: i64,
    pub seq: i64,
    /// The entry's text as stored; `None` when the stored text is not a known kind.
    pub entry: Option<EntryKind>,
    pub body: EntryBody,
    pub prev: Vec<u8>,
    pub link: Vec<u8>,
    pub signature: Vec<u8>,
}

/// Whether the recorder hashes finished segments (always, but for the remux benchmark's
/// run without the hash, which measures what the hash costs).
static HASHING: AtomicBool = AtomicBool::new(true);

/// See [`HASHING`]: true unless the benchmark turned it off.
pub fn hashing() -> bool {
    HASHING.load(Ordering::Relaxed)
}

/// Benchmarks only (`vigil bench remux`): turns the recorder's hashing off or on again.
#[doc(hidden)]
pub fn set_hashing(on: bool) {
    HASHING.store(on, Ordering::Relaxed);
}

/// The link before a camera's first entry.
pub const GENESIS: [u8; 32] = [0; 32];

/// The canonical encoding of an entry at `seq` of `camera_id`'s chain: a version tag and
/// every field, each preceded by its length (u32, big-endian); numbers big-endian.
pub fn encode(camera_id: i64, seq: i64, e: &EntryBody) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    let mut field = |bytes: &[u8]| {
        out.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
        out.extend_from_slice(bytes);
    };
    field(b"vigil-chain-1");
    field(&camera_id.to_be_bytes());
    field(&seq.to_be_bytes());
    field(e.entry.as_str().as_bytes());
    field(e.path.as_bytes());
    field(e.kind.as_bytes());
    field(&e.start_us.to_be_bytes());
    field(&e.end_us.to_be_bytes());
    field(&e.bytes.to_be_bytes());
    field(e.sha256.as_deref().unwrap_or("").as_bytes());
    field(e.reason.as_deref().unwrap_or("").as_bytes());
    field(e.by_user.as_deref().unwrap_or("").as_bytes());
    field(&e.at_us.to_be_bytes());
    out
}

/// `SHA-256(prev ‖ encode(entry))`.
pub fn link_of(prev: &[u8], camera_id: i64, seq: i64, e: &EntryBody) -> [u8; 32] {
    let mut ctx = Context::new(&SHA256);
    ctx.update(prev);
    ctx.update(&encode(camera_id, seq, e));
    let mut out = [0u8; 32];
    out.copy_from_slice(ctx.finish().as_ref());
    out
}

/// Lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The SHA-256 (lowercase hex) and length of a file, read through once.
pub fn hash_file(path: &Path) -> std::io::Result<(String, u64)> {
    let mut file = std::fs::File::open(path)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::other(
            "something other than a file is there",
        ));
    }
    let mut ctx = Context::new(&SHA256);
    let mut buf = vec![0u8; 1 << 20];
    let mut len = 0u64;
    loop {
        let n = match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        ctx.update(&buf[..n]);
        len += n as u64;
    }
    Ok((hex(ctx.finish().as_ref()), len))
}

/// Appends an entry to `camera_id`'s chain. Call it inside the transaction that makes the
/// change, after its first write (so the transaction already holds the write lock).
pub(super) fn append(
    conn: &Connection,
    camera_id: i64,
    body: &EntryBody,
) -> Result<(), LibraryError> {
    let last: Option<(i64, Vec<u8>)> = conn
        .prepare_cached(
            "SELECT seq, link FROM integrity_chain WHERE camera_id = ?1 ORDER BY seq DESC LIMIT 1",
        )?
        .query_row([camera_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (seq, prev) = match last {
        Some((seq, link)) => (seq + 1, link),
        None => (1, GENESIS.to_vec()),
    };
    let link = link_of(&prev, camera_id, seq, body);
    let signature = match signer(conn) {
        Some(key) => key.sign(&link),
        None => Vec::new(),
    };
    conn.prepare_cached(
        "INSERT INTO integrity_chain (camera_id, seq, entry, path, kind, start_us, end_us,
            bytes, sha256, reason, by_user, at_us, prev, link, signature)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    )?
    .execute(params![
        camera_id,
        seq,
        body.entry.as_str(),
        body.path,
        body.kind,
        body.start_us,
        body.end_us,
        i64::try_from(body.bytes).unwrap_or(i64::MAX),
        body.sha256,
        body.reason,
        body.by_user,
        body.at_us,
        prev,
        &link[..],
        signature,
    ])?;
    Ok(())
}

/// Keys by data directory, loaded (or made) once per process.
static SIGNERS: OnceLock<Mutex<HashMap<PathBuf, Arc<InstallationKey>>>> = OnceLock::new();

/// The signing key of the library `conn` writes to, made if there is none yet. `None` (and
/// an error in the log) when it cannot be read or made: the entry is then stored unsigned,
/// which the check reports, rather than losing the recording's row.
fn signer(conn: &Connection) -> Option<Arc<InstallationKey>> {
    let dir = Path::new(conn.path().filter(|p| !p.is_empty())?).parent()?;
    signer_for(dir)
}

/// The signing key of the library in `data_dir` (see [`signer`]).
pub fn signer_for(data_dir: &Path) -> Option<Arc<InstallationKey>> {
    let cache = SIGNERS.get_or_init(|| Mutex::new(HashMap::new()));
    let mut keys = cache.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(key) = keys.get(data_dir) {
        return Some(key.clone());
    }
    match InstallationKey::load_or_create(data_dir) {
        Ok(key) => {
            let key = Arc::new(key);
            keys.insert(data_dir.to_path_buf(), key.clone());
            Some(key)
        }
        Err(e) => {
            tracing::error!(error = %e, "integrity chain entries are stored unsigned");
            None
        }
    }
}

/// Appends a `segment` entry for a row just written.
pub(super) fn append_segment(
    conn: &Connection,
    seg: &super::FinishedSegment,
    sha256: Option<&str>,
) -> Result<(), LibraryError> {
    let body = EntryBody {
        entry: EntryKind::Segment,
        path: seg.rel_path.clone(),
        kind: seg.kind.as_str().to_string(),
        start_us: seg.start_us,
        end_us: seg.end_us,
        bytes: seg.bytes,
        sha256: sha256.map(str::to_string),
        reason: None,
        by_user: None,
        at_us: crate::model::time::now_us(),
    };
    append(conn, seg.camera_id, &body)
}

/// Why recordings are deleted, as the chain records it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Deleting<'a> {
    /// `DeletionReason::as_str`.
    pub reason: &'a str,
    pub by_user: Option<&'a str>,
    pub at_us: i64,
}

/// Appends a `deletion` entry for every segment row `where_sql` selects (`?1` = `arg`).
pub(super) fn append_deletions(
    conn: &Connection,
    where_sql: &str,
    arg: i64,
    why: Deleting<'_>,
) -> Result<(), LibraryError> {
    let sql = format!(
        "SELECT s.camera_id, s.path, s.kind, s.start_us, s.end_us, s.bytes, s.sha256
         FROM segments s WHERE {where_sql} ORDER BY s.camera_id, s.start_us"
    );
    let rows: Vec<(i64, EntryBody)> = {
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([arg], |r| {
            let bytes: i64 = r.get(5)?;
            Ok((
                r.get(0)?,
                EntryBody {
                    entry: EntryKind::Deletion,
                    path: r.get(1)?,
                    kind: r.get(2)?,
                    start_us: r.get(3)?,
                    end_us: r.get(4)?,
                    bytes: bytes.max(0) as u64,
                    sha256: r.get(6)?,
                    reason: Some(why.reason.to_string()),
                    by_user: why.by_user.map(str::to_string),
                    at_us: why.at_us,
                },
            ))
        })?;
        rows.collect::<Result<_, _>>()?
    };
    for (camera_id, body) in &rows {
        append(conn, *camera_id, body)?;
    }
    Ok(())
}

/// Migration step: `segments.sha256` (lowercase hex; NULL for recordings indexed before
/// integrity tracking) and the time tracking began (`settings.integrity_since_us`).
pub(super) fn add_segment_hashes(conn: &Connection) -> Result<(), LibraryError> {
    let has: bool = conn.query_row(
        "SELECT EXISTS(SELECT 1 FROM pragma_table_info('segments') WHERE name = 'sha256')",
        [],
        |r| r.get(0),
    )?;
    if !has {
        conn.execute_batch("ALTER TABLE segments ADD COLUMN sha256 TEXT")?;
    }
    conn.execute(
        "INSERT OR IGNORE INTO settings (key, value) VALUES ('integrity_since_us', ?1)",
        [crate::model::time::now_us().to_string()],
    )?;
    Ok(())
}

#[cfg(test)]
#[path = "chain_tests.rs"]
mod tests;
