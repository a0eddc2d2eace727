//! Segment rows: the open-segment journal, finishing a segment, and range queries.

use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Row};

use super::{Library, LibraryError};
use crate::model::{Segment, SegmentKind};

/// A segment whose file is complete and synced, ready to be indexed.
#[derive(Debug, Clone)]
pub struct FinishedSegment {
    pub camera_id: i64,
    pub kind: SegmentKind,
    pub start_us: i64,
    pub end_us: i64,
    /// Relative to the data directory.
    pub rel_path: String,
    pub bytes: u64,
    pub codec: String,
    pub width: u32,
    pub height: u32,
    pub frames: u64,
    pub event_id: Option<i64>,
    /// The audio track's codec (`aac`, `opus`), `None` when the file has no sound.
    pub audio_codec: Option<String>,
}

/// Which segments to list: those overlapping `[from_us, to_us)`.
#[derive(Debug, Clone, Default)]
pub struct SegmentQuery {
    pub camera_id: Option<i64>,
    pub from_us: Option<i64>,
    pub to_us: Option<i64>,
    pub kind: Option<SegmentKind>,
}

const SEGMENT_COLS: &str = "s.id, s.camera_id, c.name, s.kind, s.start_us, s.end_us, s.path,
    s.bytes, s.codec, s.width, s.height, s.frames, s.event_id, s.sha256, s.audio_codec";

impl Library {
    /// Notes that a file is being written, before its first byte. After a crash the journal
    /// names the files to probe, so start-up never has to scan the whole recordings tree.
    pub fn begin_segment(
        &self,
        camera_id: i64,
        kind: SegmentKind,
        start_us: i64,
        rel_path: &str,
    ) -> Result<(), LibraryError> {
        self.conn().execute(
            "INSERT OR REPLACE INTO open_segments (path, camera_id, kind, start_us)
             VALUES (?1, ?2, ?3, ?4)",
            params![rel_path, camera_id, kind.as_str(), start_us],
        )?;
        Ok(())
    }

    /// Indexes a finished (and synced) file and closes its journal entry, in one transaction,
    /// hashing the file first (a file that cannot be read is indexed without a hash).
    pub fn finish_segment(&mut self, seg: &FinishedSegment) -> Result<i64, LibraryError> {
        let sha256 = match super::chain::hash_file(&self.absolute(&seg.rel_path)) {
            Ok((hex, _)) => Some(hex),
            Err(e) => {
                tracing::warn!(path = %seg.rel_path, error = %e, "recording indexed without its hash: it cannot be read");
                None
            }
        };
        self.finish_hashed_segment(seg, sha256.as_deref())
    }

    /// Indexes a finished (and synced) file whose SHA-256 (lowercase hex) is known, with its
    /// integrity chain entry, and closes its journal entry, in one transaction.
    pub fn finish_hashed_segment(
        &mut self,
        seg: &FinishedSegment,
        sha256: Option<&str>,
    ) -> Result<i64, LibraryError> {
        let tx = self.conn_mut().transaction()?;
        tx.execute(
            "INSERT OR REPLACE INTO segments (camera_id, kind, start_us, end_us, path, bytes,
                codec, width, height, frames, event_id, sha256, audio_codec)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            params![
                seg.camera_id,
                seg.kind.as_str(),
                seg.start_us,
                seg.end_us,
                seg.rel_path,
                i64::try_from(seg.bytes).unwrap_or(i64::MAX),
                seg.codec,
                seg.width,
                seg.height,
                i64::try_from(seg.frames).unwrap_or(i64::MAX),
                seg.event_id,
                sha256,
                seg.audio_codec
            ],
        )?;
        let id = tx.last_insert_rowid();
        super::chain::append_segment(&tx, seg, sha256)?;
        tx.execute("DELETE FROM open_segments WHERE path = ?1", [&seg.rel_path])?;
        tx.commit()?;
        Ok(id)
    }

    /// Drops a journal entry whose file was discarded (e.g. nothing playable was written).
    pub fn abandon_segment(&self, rel_path: &str) -> Result<(), LibraryError> {
        self.conn()
            .execute("DELETE FROM open_segments WHERE path = ?1", [rel_path])?;
        Ok(())
    }

    /// Journal entries: `(rel_path, camera_id, kind, start_us)`.
    pub fn open_segments(&self) -> Result<Vec<(String, i64, SegmentKind, i64)>, LibraryError> {
        let mut stmt = self
            .conn()
            .prepare("SELECT path, camera_id, kind, start_us FROM open_segments")?;
        let rows = stmt.query_map([], |r| {
            let kind: String = r.get(2)?;
            Ok((
                r.get(0)?,
                r.get(1)?,
                SegmentKind::parse(&kind).unwrap_or(SegmentKind::Continuous),
                r.get(3)?,
            ))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Segments overlapping the query range, oldest first, with absolute paths. Only the
    /// conditions given are in the SQL, so SQLite can use an index for each, and a segment
    /// overlapping `from_us` is looked for no further back than the longest segment indexed.
    pub fn segments(&self, q: &SegmentQuery) -> Result<Vec<Segment>, LibraryError> {
        let mut sql = format!(
            "SELECT {SEGMENT_COLS} FROM segments s JOIN cameras c ON c.id = s.camera_id WHERE 1"
        );
        let mut args: Vec<Value> = Vec::with_capacity(5);
        if let Some(id) = q.camera_id {
            sql.push_str(" AND s.camera_id = ?");
            args.push(id.into());
        }
        if let Some(kind) = q.kind {
            sql.push_str(" AND s.kind = ?");
            args.push(kind.as_str().to_string().into());
        }
        if let Some(from) = q.from_us {
            let (longest, _) = self.span_limits()?;
            sql.push_str(" AND s.end_us > ? AND s.start_us >= ?");
            args.push(from.into());
            args.push(from.saturating_sub(longest).into());
        }
        if let Some(to) = q.to_us {
            sql.push_str(" AND s.start_us < ?");
            args.push(to.into());
        }
        sql.push_str(" ORDER BY s.start_us, s.camera_id");
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(args), |r| self.segment_from_row(r))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// A camera's newest finished recording (by start), if it has any.
    pub fn newest_segment(&self, camera_id: i64) -> Result<Option<Segment>, LibraryError> {
        let sql = format!(
            "SELECT {SEGMENT_COLS} FROM segments s JOIN cameras c ON c.id = s.camera_id \
             WHERE s.camera_id = ? ORDER BY s.start_us DESC LIMIT 1"
        );
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let mut rows = stmt.query_map([camera_id], |r| self.segment_from_row(r))?;
        Ok(rows.next().transpose()?)
    }

    fn segment_from_row(&self, r: &Row<'_>) -> rusqlite::Result<Segment> {
        let kind: String = r.get(3)?;
        let rel: String = r.get(6)?;
        let bytes: i64 = r.get(7)?;
        let frames: i64 = r.get(11)?;
        Ok(Segment {
            id: r.get(0)?,
            camera_id: r.get(1)?,
            camera: r.get(2)?,
            kind: SegmentKind::parse(&kind).unwrap_or(SegmentKind::Continuous),
            start_us: r.get(4)?,
            end_us: r.get(5)?,
            path: self.absolute(&rel).to_string_lossy().into_owned(),
            bytes: bytes.max(0) as u64,
            codec: r.get(8)?,
            width: r.get(9)?,
            height: r.get(10)?,
            frames: frames.max(0) as u64,
            event_id: r.get(12)?,
            sha256: r.get(13)?,
            audio_codec: r.get(14)?,
        })
    }

    /// Every indexed relative path (for reconciliation against the disk).
    pub fn all_segment_paths(&self) -> Result<Vec<(i64, String)>, LibraryError> {
        let mut stmt = self.conn().prepare("SELECT id, path FROM segments")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn segment_exists(&self, rel_path: &str) -> Result<bool, LibraryError> {
        Ok(self.conn().query_row(
            "SELECT EXISTS(SELECT 1 FROM segments WHERE path = ?1)",
            [rel_path],
            |r| r.get(0),
        )?)
    }

    /// Deletes segment rows by id (their files are already gone), logged as deleted because
    /// their file was missing.
    pub fn forget_segments(&mut self, ids: &[i64]) -> Result<(), LibraryError> {
        let why = super::deletions::Why::now(super::DeletionReason::FileMissing);
        let tx = self.conn_mut().transaction()?;
        {
            let mut stmt = tx.prepare_cached("DELETE FROM segments WHERE id = ?1")?;
            for id in ids {
                super::deletions::log_deletions(&tx, "s.id = ?1", *id, why)?;
                stmt.execute([id])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Removes the files listed in the trash journal, then their journal entries.
    /// Returns the number of files removed.
    pub fn empty_trash(&mut self) -> Result<usize, LibraryError> {
        let paths: Vec<String> = {
            let mut stmt = self.conn().prepare("SELECT path FROM trash")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            rows.collect::<Result<_, _>>()?
        };
        let mut removed = 0;
        let mut done = Vec::with_capacity(paths.len());
        for rel in paths {
            match std::fs::remove_file(self.absolute(&rel)) {
                Ok(()) => {
                    removed += 1;
                    done.push(rel);
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => done.push(rel),
                Err(e) => tracing::warn!(path = %rel, error = %e, "cannot delete recording"),
            }
        }
        let tx = self.conn_mut().transaction()?;
        {
            let mut stmt = tx.prepare_cached("DELETE FROM trash WHERE path = ?1")?;
            for rel in &done {
                stmt.execute([rel])?;
            }
        }
        tx.commit()?;
        Ok(removed)
    }
}
