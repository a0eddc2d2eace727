//! Retention: per camera by age and by size, plus a global free-disk floor. Oldest first,
//! never footage of a protected event;
//! in batches; rows go to the trash journal in the same transaction that deletes them, then
//! the files are removed, so a crash in between leaves nothing pointing at a missing file.

use rusqlite::params;

use super::deletions::{log_deletions, DeletionReason, Why};
use super::disk::DiskSpace;
use super::{Library, LibraryError};
use crate::model::time::US_PER_SEC;

const BATCH: i64 = 500;

/// A segment overlapping a protected event or a protected bookmark (a moment's with
/// `bookmarks::MOMENT_PAD_US`, 10 s, either side) is never deleted, whatever its kind.
const UNPROTECTED: &str = "NOT EXISTS (SELECT 1 FROM events e WHERE e.protected = 1
    AND e.camera_id = segments.camera_id AND e.start_us < segments.end_us
    AND COALESCE(e.end_us, e.start_us) >= segments.start_us)
    AND NOT EXISTS (SELECT 1 FROM bookmarks b WHERE b.protected = 1
    AND b.camera_id = segments.camera_id
    AND b.start_us - (CASE WHEN b.end_us = b.start_us THEN 10000000 ELSE 0 END) < segments.end_us
    AND b.end_us + (CASE WHEN b.end_us = b.start_us THEN 10000000 ELSE 0 END) > segments.start_us)";
const US_PER_DAY: f64 = 86_400.0 * US_PER_SEC as f64;

/// What one sweep removed, and why.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SweepReport {
    pub by_age: u64,
    pub by_size: u64,
    pub by_disk_floor: u64,
    pub bytes: u64,
}

impl SweepReport {
    pub fn files(&self) -> u64 {
        self.by_age + self.by_size + self.by_disk_floor
    }
}

/// Retention's view of the disk: how much is free now and the floor to keep.
#[derive(Debug, Clone, Copy)]
pub struct DiskFloor {
    pub space: DiskSpace,
    pub min_free: u64,
}

impl Library {
    /// Folds the write-ahead log back into the database and empties it. On a full disk the
    /// log (it grows to about 4 MB before SQLite folds it by itself) is space the recorder
    /// needs to index its next segment; the engine calls this after an emergency sweep.
    pub fn truncate_log(&self) -> Result<(), LibraryError> {
        // Returns one row (busy, log frames, frames folded); a busy log just stays as it is.
        self.conn()
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// One retention pass at time `now_us`. `floor`, if given, deletes the oldest recordings of
    /// any camera until the free space is back above `min_free`.
    pub fn sweep(
        &mut self,
        now_us: i64,
        floor: Option<DiskFloor>,
    ) -> Result<SweepReport, LibraryError> {
        let mut report = SweepReport::default();
        for cam in self.cameras()? {
            let policy = self.policy(cam.id)?;
            let cutoff = now_us - (policy.retain_days * US_PER_DAY) as i64;
            let event_cutoff = now_us - (policy.event_retain_days * US_PER_DAY) as i64;
            let (n, b) = self.delete_where(
                &format!("camera_id = ?1 AND ((kind = 'continuous' AND end_us < ?2) OR (kind = 'event' AND end_us < ?3)) AND {UNPROTECTED}"),
                params![cam.id, cutoff, event_cutoff],
                DeletionReason::RetentionAge,
            )?;
            self.conn().execute(
                "DELETE FROM events WHERE camera_id = ?1 AND protected = 0
                   AND COALESCE(end_us, start_us) < ?2",
                params![cam.id, event_cutoff],
            )?;
            // The motion index lives as long as the camera's longest-kept footage.
            let index_days = policy.retain_days.max(policy.event_retain_days);
            let index_cutoff = now_us - (index_days * US_PER_DAY) as i64;
            self.trim_motion_index(cam.id, super::motion_index::minute_of(index_cutoff))?;
            if n > 0 {
                tracing::info!(camera = %cam.name, files = n, bytes = b, days = policy.retain_days, "retention: deleted recordings past their age limit");
            }
            report.by_age += n;
            report.bytes += b;
            if let Some(max) = policy.max_bytes {
                let (n, b) = self.trim_camera_to(cam.id, max)?;
                if n > 0 {
                    tracing::info!(camera = %cam.name, files = n, bytes = b, max_bytes = max, "retention: deleted oldest recordings over the size limit");
                }
                report.by_size += n;
                report.bytes += b;
            }
        }
        if let Some(floor) = floor {
            let (n, b) = self.free_up(floor)?;
            if n > 0 {
                tracing::warn!(
                    files = n,
                    bytes = b,
                    min_free = floor.min_free,
                    "disk nearly full: deleted the oldest recordings of all cameras"
                );
            }
            report.by_disk_floor += n;
            report.bytes += b;
        }
        Ok(report)
    }

    /// Deletes all rows matching `where_sql` in batches (oldest first); returns (files, bytes).
    fn delete_where(
        &mut self,
        where_sql: &str,
        args: impl rusqlite::Params + Clone,
        reason: DeletionReason,
    ) -> Result<(u64, u64), LibraryError> {
        let mut total = (0, 0);
        loop {
            let ids = self.select_ids(
                &format!("SELECT id, bytes FROM segments WHERE {where_sql} ORDER BY start_us LIMIT {BATCH}"),
                args.clone(),
            )?;
            if ids.is_empty() {
                return Ok(total);
            }
            let (n, b) = self.trash_segments(&ids, reason)?;
            total.0 += n;
            total.1 += b;
        }
    }

    fn trim_camera_to(
        &mut self,
        camera_id: i64,
        max_bytes: u64,
    ) -> Result<(u64, u64), LibraryError> {
        let used: i64 = self.conn().query_row(
            "SELECT COALESCE(SUM(bytes), 0) FROM segments WHERE camera_id = ?1 AND kind = 'continuous'",
            [camera_id],
            |r| r.get(0),
        )?;
        let mut excess = (used.max(0) as u64).saturating_sub(max_bytes);
        let mut total = (0, 0);
        while excess > 0 {
            let batch = self.select_ids(
                &format!("SELECT id, bytes FROM segments WHERE camera_id = ?1 AND kind = 'continuous' AND {UNPROTECTED} ORDER BY start_us LIMIT {BATCH}"),
                [camera_id],
            )?;
            if batch.is_empty() {
                break;
            }
            let take = take_until(&batch, excess);
            let (n, b) = self.trash_segments(take, DeletionReason::RetentionSize)?;
            total.0 += n;
            total.1 += b;
            excess = excess.saturating_sub(b);
        }
        Ok(total)
    }

    fn free_up(&mut self, floor: DiskFloor) -> Result<(u64, u64), LibraryError> {
        let mut needed = floor.min_free.saturating_sub(floor.space.available);
        let mut total = (0, 0);
        while needed > 0 {
            let batch = self.select_ids(
                &format!("SELECT id, bytes FROM segments WHERE {UNPROTECTED} ORDER BY start_us LIMIT {BATCH}"),
                [],
            )?;
            if batch.is_empty() {
                break;
            }
            let take = take_until(&batch, needed);
            let (n, b) = self.trash_segments(take, DeletionReason::DiskFloor)?;
            total.0 += n;
            total.1 += b;
            needed = needed.saturating_sub(b);
        }
        Ok(total)
    }

    fn select_ids(
        &self,
        sql: &str,
        args: impl rusqlite::Params,
    ) -> Result<Vec<(i64, u64)>, LibraryError> {
        let mut stmt = self.conn().prepare_cached(sql)?;
        let rows = stmt.query_map(args, |r| {
            let bytes: i64 = r.get(1)?;
            Ok((r.get(0)?, bytes.max(0) as u64))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Moves rows to the trash journal (and the deletion log, with `reason`) and deletes
    /// their files. Returns (files, bytes).
    fn trash_segments(
        &mut self,
        ids: &[(i64, u64)],
        reason: DeletionReason,
    ) -> Result<(u64, u64), LibraryError> {
        let why = Why::now(reason);
        let tx = self.conn_mut().transaction()?;
        {
            let mut to_trash = tx.prepare_cached(
                "INSERT OR IGNORE INTO trash (path) SELECT path FROM segments WHERE id = ?1",
            )?;
            let mut delete = tx.prepare_cached("DELETE FROM segments WHERE id = ?1")?;
            for (id, _) in ids {
                log_deletions(&tx, "s.id = ?1", *id, why)?;
                to_trash.execute([id])?;
                delete.execute([id])?;
            }
        }
        tx.commit()?;
        self.empty_trash()?;
        Ok((ids.len() as u64, ids.iter().map(|(_, b)| b).sum()))
    }
}

/// The shortest prefix of `batch` whose bytes reach `needed` (the whole batch if they don't).
fn take_until(batch: &[(i64, u64)], needed: u64) -> &[(i64, u64)] {
    let mut sum = 0;
    for (i, (_, b)) in batch.iter().enumerate() {
        sum += b;
        if sum >= needed {
            return &batch[..=i];
        }
    }
    batch
}

#[cfg(test)]
mod tests {
    use super::take_until;

    #[test]
    fn take_until_stops_at_the_needed_bytes() {
        let batch = [(1, 10), (2, 10), (3, 10)];
        assert_eq!(take_until(&batch, 15).len(), 2);
        assert_eq!(take_until(&batch, 10).len(), 1);
        assert_eq!(take_until(&batch, 100).len(), 3);
    }
}
