//! The deletion log: one row for every recording whose row left the library, written in the
//! same transaction that deletes it, saying what it was, when it went, why, and (when a person
//! deleted it) who. It is what lets a gap in a timeline say "deleted by retention" and the
//! integrity check tell a legitimate purge from a recording that vanished.

use rusqlite::{params, Connection};

use super::{Library, LibraryError};

/// Why recordings were deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeletionReason {
    /// Older than the camera's retention.
    RetentionAge,
    /// Over the camera's size limit.
    RetentionSize,
    /// The disk was nearly full: the oldest recordings of any camera went.
    DiskFloor,
    /// A person deleted them (an event and its clips).
    Person,
    /// Their camera was removed with its recordings.
    CameraRemoved,
    /// Their file was missing when the library was checked at start-up.
    FileMissing,
}

impl DeletionReason {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::RetentionAge => "retention-age",
            Self::RetentionSize => "retention-size",
            Self::DiskFloor => "disk-floor",
            Self::Person => "person",
            Self::CameraRemoved => "camera-removed",
            Self::FileMissing => "file-missing",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "retention-age" => Self::RetentionAge,
            "retention-size" => Self::RetentionSize,
            "disk-floor" => Self::DiskFloor,
            "person" => Self::Person,
            "camera-removed" => Self::CameraRemoved,
            "file-missing" => Self::FileMissing,
            _ => return None,
        })
    }

    /// In words, for a timeline gap or a report ("deleted by retention (older than its
    /// camera keeps)").
    pub fn describe(self) -> &'static str {
        match self {
            Self::RetentionAge => "deleted by retention (older than the camera keeps)",
            Self::RetentionSize => "deleted by retention (over the camera's size limit)",
            Self::DiskFloor => "deleted because the disk was nearly full",
            Self::Person => "deleted by a person",
            Self::CameraRemoved => "deleted with its camera",
            Self::FileMissing => "its file was missing at start-up",
        }
    }
}

/// One deleted recording.
#[derive(Debug, Clone, PartialEq)]
pub struct Deletion {
    pub camera_id: i64,
    /// The camera's identifier when it was deleted (kept when the camera is gone).
    pub camera: String,
    pub kind: String,
    pub start_us: i64,
    pub end_us: i64,
    pub path: String,
    pub bytes: u64,
    pub reason: DeletionReason,
    /// Who, when a person deleted it.
    pub by_user: Option<String>,
    pub at_us: i64,
}

/// Who did it and why, for [`log_deletions`].
#[derive(Debug, Clone, Copy)]
pub(super) struct Why<'a> {
    pub reason: DeletionReason,
    pub by_user: Option<&'a str>,
    pub at_us: i64,
}

impl Why<'_> {
    pub fn now(reason: DeletionReason) -> Self {
        Why {
            reason,
            by_user: None,
            at_us: crate::model::time::now_us(),
        }
    }
}

/// Logs the segment rows `where_sql` selects (with `?1` bound to `arg`) as deleted, in the
/// log and in their cameras' integrity chains. Call it inside the transaction that deletes
/// them, before the DELETE.
pub(super) fn log_deletions(
    conn: &Connection,
    where_sql: &str,
    arg: i64,
    why: Why<'_>,
) -> Result<usize, LibraryError> {
    let sql = format!(
        "INSERT INTO deletions (camera_id, camera, kind, start_us, end_us, path, bytes, reason,
                                by_user, at_us)
         SELECT s.camera_id, COALESCE(c.name, ''), s.kind, s.start_us, s.end_us, s.path,
                s.bytes, ?2, ?3, ?4
         FROM segments s LEFT JOIN cameras c ON c.id = s.camera_id WHERE {where_sql}"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let logged = stmt.execute(params![arg, why.reason.as_str(), why.by_user, why.at_us])?;
    let chained = super::chain::Deleting {
        reason: why.reason.as_str(),
        by_user: why.by_user,
        at_us: why.at_us,
    };
    super::chain::append_deletions(conn, where_sql, arg, chained)?;
    Ok(logged)
}

impl Library {
    /// Recordings deleted from `camera_id` (every camera when `None`) that overlapped
    /// `[from_us, to_us)`, oldest first.
    pub fn deletions(
        &self,
        camera_id: Option<i64>,
        from_us: i64,
        to_us: i64,
    ) -> Result<Vec<Deletion>, LibraryError> {
        // Two statements, so each is served by its index (an `?1 IS NULL OR …` would not be).
        let sql = match camera_id {
            Some(_) => {
                "SELECT camera_id, camera, kind, start_us, end_us, path, bytes, reason, by_user,
                        at_us FROM deletions
                 WHERE camera_id = ?1 AND start_us < ?3 AND end_us > ?2 ORDER BY start_us, id"
            }
            None => {
                "SELECT camera_id, camera, kind, start_us, end_us, path, bytes, reason, by_user,
                        at_us FROM deletions
                 WHERE ?1 IS NULL AND start_us < ?3 AND end_us > ?2 ORDER BY start_us, id"
            }
        };
        let mut stmt = self.conn().prepare_cached(sql)?;
        let rows = stmt.query_map(params![camera_id, from_us, to_us], |r| {
            let bytes: i64 = r.get(6)?;
            let reason: String = r.get(7)?;
            Ok(Deletion {
                camera_id: r.get(0)?,
                camera: r.get(1)?,
                kind: r.get(2)?,
                start_us: r.get(3)?,
                end_us: r.get(4)?,
                path: r.get(5)?,
                bytes: bytes.max(0) as u64,
                reason: DeletionReason::parse(&reason).unwrap_or(DeletionReason::FileMissing),
                by_user: r.get(8)?,
                at_us: r.get(9)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

#[cfg(test)]
#[path = "deletions_tests.rs"]
mod tests;
