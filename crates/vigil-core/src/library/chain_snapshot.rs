//! Reading the integrity chain back for the check: every camera's entries, the segment rows
//! with their hashes, and camera names, all from one read transaction.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension};

use super::chain::{ChainEntry, EntryBody, EntryKind};
use super::{Library, LibraryError};

/// A segment row as the integrity check compares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HashedRow {
    pub camera_id: i64,
    pub path: String,
    pub kind: String,
    pub start_us: i64,
    pub end_us: i64,
    pub bytes: u64,
    pub sha256: Option<String>,
}

/// What the check reads from the database, all from one snapshot.
#[derive(Debug, Clone, Default)]
pub struct ChainSnapshot {
    /// Whether this library has integrity tracking at all (schema with the chain).
    pub tracked: bool,
    /// When tracking began (rows without an entry ending before it are older).
    pub since_us: Option<i64>,
    /// Camera id → its identifier (cameras removed: from the deletion log, else `None`).
    pub cameras: HashMap<i64, String>,
    /// Every camera's chain, in order.
    pub chains: HashMap<i64, Vec<ChainEntry>>,
    pub rows: Vec<HashedRow>,
}

impl Library {
    /// Reads chains, rows and camera names in one read transaction (`camera_id` alone when
    /// given), so a segment indexed meanwhile is in both or in neither.
    pub fn chain_snapshot(&self, camera_id: Option<i64>) -> Result<ChainSnapshot, LibraryError> {
        let tx = self.conn().unchecked_transaction()?;
        let tracked: bool = tx.query_row(
            "SELECT EXISTS(SELECT 1 FROM sqlite_master WHERE name = 'integrity_chain')",
            [],
            |r| r.get(0),
        )?;
        let mut snap = ChainSnapshot {
            tracked,
            ..Default::default()
        };
        snap.cameras = camera_names(&tx)?;
        if tracked {
            snap.since_us = tx
                .query_row(
                    "SELECT value FROM settings WHERE key = 'integrity_since_us'",
                    [],
                    |r| r.get::<_, String>(0),
                )
                .optional()?
                .and_then(|v| v.parse().ok());
            snap.chains = read_chains(&tx, camera_id)?;
        }
        snap.rows = read_rows(&tx, camera_id, tracked)?;
        tx.commit()?;
        Ok(snap)
    }
}

fn camera_names(conn: &Connection) -> Result<HashMap<i64, String>, LibraryError> {
    let mut out = HashMap::new();
    let has_deletions: bool = conn.query_row(
        "SELECT EXISTS(SELECT 1 FROM sqlite_master WHERE name = 'deletions')",
        [],
        |r| r.get(0),
    )?;
    if has_deletions {
        let mut stmt = conn.prepare("SELECT DISTINCT camera_id, camera FROM deletions")?;
        for row in stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))? {
            let (id, name): (i64, String) = row?;
            out.insert(id, name);
        }
    }
    let mut stmt = conn.prepare("SELECT id, name FROM cameras")?;
    for row in stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))? {
        let (id, name): (i64, String) = row?;
        out.insert(id, name);
    }
    Ok(out)
}

fn read_chains(
    conn: &Connection,
    camera_id: Option<i64>,
) -> Result<HashMap<i64, Vec<ChainEntry>>, LibraryError> {
    let mut stmt = conn.prepare(
        "SELECT camera_id, seq, entry, path, kind, start_us, end_us, bytes, sha256, reason,
                by_user, at_us, prev, link, signature
         FROM integrity_chain WHERE ?1 IS NULL OR camera_id = ?1 ORDER BY camera_id, seq",
    )?;
    let rows = stmt.query_map([camera_id], |r| {
        let entry: String = r.get(2)?;
        let kind = match entry.as_str() {
            "segment" => Some(EntryKind::Segment),
            "deletion" => Some(EntryKind::Deletion),
            _ => None,
        };
        let bytes: i64 = r.get(7)?;
        Ok(ChainEntry {
            camera_id: r.get(0)?,
            seq: r.get(1)?,
            entry: kind,
            body: EntryBody {
                entry: kind.unwrap_or(EntryKind::Segment),
                path: r.get(3)?,
                kind: r.get(4)?,
                start_us: r.get(5)?,
                end_us: r.get(6)?,
                bytes: bytes.max(0) as u64,
                sha256: r.get(8)?,
                reason: r.get(9)?,
                by_user: r.get(10)?,
                at_us: r.get(11)?,
            },
            prev: r.get(12)?,
            link: r.get(13)?,
            signature: r.get(14)?,
        })
    })?;
    let mut out: HashMap<i64, Vec<ChainEntry>> = HashMap::new();
    for e in rows {
        let e = e?;
        out.entry(e.camera_id).or_default().push(e);
    }
    Ok(out)
}

fn read_rows(
    conn: &Connection,
    camera_id: Option<i64>,
    tracked: bool,
) -> Result<Vec<HashedRow>, LibraryError> {
    let sha = if tracked { "sha256" } else { "NULL" };
    let mut stmt = conn.prepare(&format!(
        "SELECT camera_id, path, kind, start_us, end_us, bytes, {sha} FROM segments
         WHERE ?1 IS NULL OR camera_id = ?1 ORDER BY camera_id, start_us"
    ))?;
    let rows = stmt.query_map([camera_id], |r| {
        let bytes: i64 = r.get(5)?;
        Ok(HashedRow {
            camera_id: r.get(0)?,
            path: r.get(1)?,
            kind: r.get(2)?,
            start_us: r.get(3)?,
            end_us: r.get(4)?,
            bytes: bytes.max(0) as u64,
            sha256: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
