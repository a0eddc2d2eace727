//! The motion index's rows (`motion_index`, one per camera-minute, see [`super::motion_codec`]):
//! written by the analyzers' index writer, read by motion search, trimmed with retention and
//! removed with their camera (`ON DELETE CASCADE`).

use rusqlite::types::Type;
use rusqlite::{params, OptionalExtension};

use super::motion_codec::{decode_frames, encode_frames, mask_blob, mask_of};
use super::{Library, LibraryError};
use crate::detect::cells::CellMask;

/// Microseconds in an index minute.
pub const US_PER_MINUTE: i64 = 60_000_000;

/// One camera-minute of the index as the analyzer built it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MotionMinute {
    pub camera_id: i64,
    /// UTC minutes since the Unix epoch.
    pub minute: i64,
    /// OR of every frame's cells.
    pub cells: CellMask,
    /// The frames with motion ([`super::motion_codec`]).
    pub frames: Vec<u8>,
}

/// A stored minute as a search sees it: its frames only when its OR mask met the search's.
pub struct MinuteView<'a> {
    pub minute: i64,
    pub frames: Option<&'a [u8]>,
}

/// A row's key: the camera in the high 32 bits, the minute (0 to 2^32 - 1, clamped) in the
/// low ones.
pub fn row_key(camera_id: i64, minute: i64) -> i64 {
    (camera_id << 32) | minute.clamp(0, u32::MAX as i64)
}

/// The minute of a row key.
fn minute_of_key(key: i64) -> i64 {
    key & i64::from(u32::MAX)
}

/// The UTC minute holding `us`.
pub fn minute_of(us: i64) -> i64 {
    us.div_euclid(US_PER_MINUTE)
}

impl Library {
    /// Stores minutes in one transaction. A minute already stored (the analyzer restarted
    /// within it) is merged with the new one, not replaced.
    pub fn store_motion_minutes(&mut self, rows: &[MotionMinute]) -> Result<(), LibraryError> {
        let tx = self.conn_mut().transaction()?;
        {
            let mut read =
                tx.prepare_cached("SELECT cells, frames FROM motion_index WHERE key = ?1")?;
            let mut write = tx.prepare_cached(
                "INSERT OR REPLACE INTO motion_index (key, camera_id, cells, frames)
                 VALUES (?1, ?2, ?3, ?4)",
            )?;
            for row in rows {
                let key = row_key(row.camera_id, row.minute);
                let old: Option<(Vec<u8>, Vec<u8>)> = read
                    .query_row([key], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()?;
                let (cells, frames) = match old {
                    Some((cells, frames)) => merged(row, &cells, &frames),
                    None => (row.cells, row.frames.clone()),
                };
                write.execute(params![key, row.camera_id, mask_blob(&cells), frames])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Visits a camera's stored minutes in `[from_minute, to_minute)`, ascending. A minute's
    /// frames are read only when its OR mask meets `mask`. `visit` answers whether to go on.
    pub fn scan_motion_index(
        &self,
        camera_id: i64,
        from_minute: i64,
        to_minute: i64,
        mask: &CellMask,
        mut visit: impl FnMut(MinuteView<'_>) -> bool,
    ) -> Result<(), LibraryError> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT key, cells, frames FROM motion_index WHERE key >= ?1 AND key < ?2 ORDER BY key",
        )?;
        let (from, to) = (
            row_key(camera_id, from_minute),
            row_key(camera_id, to_minute),
        );
        let mut rows = stmt.query([from, to])?;
        while let Some(row) = rows.next()? {
            let minute = minute_of_key(row.get(0)?);
            let cells = mask_of(blob(row, 1)?);
            let frames = if cells.meets(mask) {
                Some(blob(row, 2)?)
            } else {
                None
            };
            if !visit(MinuteView { minute, frames }) {
                break;
            }
        }
        Ok(())
    }

    /// Deletes a camera's index before `before_minute`; answers the rows deleted.
    pub fn trim_motion_index(
        &self,
        camera_id: i64,
        before_minute: i64,
    ) -> Result<usize, LibraryError> {
        Ok(self.conn().execute(
            "DELETE FROM motion_index WHERE key >= ?1 AND key < ?2",
            [row_key(camera_id, 0), row_key(camera_id, before_minute)],
        )?)
    }

    /// The first and last indexed minute of a camera, if any.
    pub fn motion_index_span(&self, camera_id: i64) -> Result<Option<(i64, i64)>, LibraryError> {
        let span: (Option<i64>, Option<i64>) = self.conn().query_row(
            "SELECT MIN(key), MAX(key) FROM motion_index WHERE key >= ?1 AND key < ?2",
            [row_key(camera_id, 0), row_key(camera_id + 1, 0)],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(span
            .0
            .zip(span.1)
            .map(|(a, b)| (minute_of_key(a), minute_of_key(b))))
    }
}

/// Column `i` of `row` as a blob.
fn blob<'r>(row: &'r rusqlite::Row<'_>, i: usize) -> rusqlite::Result<&'r [u8]> {
    row.get_ref(i)?
        .as_blob()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, Type::Blob, Box::new(e)))
}

/// A new minute merged into a stored one: cells ORed, frames in time order.
fn merged(row: &MotionMinute, old_cells: &[u8], old_frames: &[u8]) -> (CellMask, Vec<u8>) {
    let mut cells = mask_of(old_cells);
    cells.or_assign(&row.cells);
    let frames = match (decode_frames(old_frames), decode_frames(&row.frames)) {
        (Ok(mut a), Ok(b)) => {
            a.extend(b);
            a.sort_by_key(|f| f.offset_ms);
            encode_frames(&a)
        }
        // A damaged stored row is replaced by the new one.
        _ => row.frames.clone(),
    };
    (cells, frames)
}

#[cfg(test)]
#[path = "motion_index_tests.rs"]
mod tests;
