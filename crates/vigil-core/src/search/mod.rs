//! Retroactive motion search: a camera, a region drawn on its picture and a time range in,
//! the moments with motion in that region out, read from the motion index
//! (`library::motion_index`) without decoding any video. Minutes whose OR mask misses the
//! region are skipped unread; the answer also says which parts of the range had no index.

pub mod hits;
pub mod region;

use serde::Serialize;

use crate::detect::cells::CellMask;
use crate::jobs::JobContext;
use crate::library::motion_codec::{count_in_frames, DamagedRow};
use crate::library::motion_index::{minute_of, US_PER_MINUTE};
use crate::library::{Library, LibraryError};
use crate::model::InvalidInput;
pub use hits::{HitMerger, MotionHit};
pub use region::SearchRegion;

/// Hits closer than this merge, unless the query says otherwise (2 s).
pub const DEFAULT_MERGE_GAP_US: i64 = 2_000_000;
/// Rows read between two looks at cancel and progress.
const CHECK_EVERY: u32 = 512;

/// What to look for.
#[derive(Debug, Clone, PartialEq)]
pub struct MotionQuery {
    pub camera_id: i64,
    pub region: SearchRegion,
    /// The range, UTC µs, `[from_us, to_us)`.
    pub from_us: i64,
    pub to_us: i64,
    /// Hits shorter than this are left out (0: none).
    pub min_duration_us: i64,
    /// Motion this close together is one hit.
    pub merge_gap_us: i64,
}

/// The answer: the hits in time order, and the parts of the range without an index.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MotionSearch {
    pub hits: Vec<MotionHit>,
    /// Spans of the range (UTC µs, `[start, end)`) with no index: the camera was not
    /// analysed then (not recording, offline, before the index existed, or trimmed).
    pub unindexed: Vec<(i64, i64)>,
    /// Minutes of the range with an index, and minutes in the range.
    pub indexed_minutes: i64,
    pub range_minutes: i64,
    /// Cells of the 32×18 grid the region covers.
    pub region_cells: u32,
}

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error(transparent)]
    Invalid(#[from] InvalidInput),
    #[error(transparent)]
    Library(#[from] LibraryError),
    #[error(transparent)]
    Damaged(#[from] DamagedRow),
    #[error("the motion search was cancelled")]
    Cancelled,
}

impl MotionQuery {
    fn check(&self) -> Result<CellMask, InvalidInput> {
        if self.from_us >= self.to_us {
            return Err(InvalidInput(
                "the search range is empty: its start must be before its end".into(),
            ));
        }
        if self.min_duration_us < 0 || self.merge_gap_us < 0 {
            return Err(InvalidInput(
                "the minimum duration and the merge gap cannot be negative".into(),
            ));
        }
        self.region.cells()
    }
}

/// Which rows a search reads the frames of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowFilter {
    /// Only rows whose OR mask meets the region (what [`search`] does).
    OrMask,
    /// Every row with motion anywhere: the benchmark's baseline.
    Off,
}

/// Runs a search on `lib`, reporting progress to `job` and stopping when it is cancelled.
pub fn search(
    lib: &Library,
    query: &MotionQuery,
    job: &JobContext,
) -> Result<MotionSearch, SearchError> {
    search_with(lib, query, job, RowFilter::OrMask)
}

/// [`search`] with a choice of row filter (the benchmark compares them).
pub fn search_with(
    lib: &Library,
    query: &MotionQuery,
    job: &JobContext,
    filter: RowFilter,
) -> Result<MotionSearch, SearchError> {
    let mask = query.check()?;
    let row_filter = match filter {
        RowFilter::OrMask => mask,
        RowFilter::Off => CellMask::FULL,
    };
    let region_cells = mask.count();
    let (first, end) = (minute_of(query.from_us), minute_of(query.to_us - 1) + 1);
    let mut scan = Scan {
        query,
        mask,
        merger: HitMerger::new(query.merge_gap_us, query.min_duration_us),
        next_minute: first,
        unindexed: Vec::new(),
        indexed: 0,
        damaged: None,
    };
    let mut rows = 0u32;
    let mut cancelled = false;
    lib.scan_motion_index(query.camera_id, first, end, &row_filter, |view| {
        rows += 1;
        if rows.is_multiple_of(CHECK_EVERY) {
            if job.cancelled() {
                cancelled = true;
                return false;
            }
            job.set_progress((view.minute - first) as f64 / (end - first) as f64);
        }
        scan.minute(view.minute, view.frames);
        scan.damaged.is_none()
    })?;
    if cancelled {
        return Err(SearchError::Cancelled);
    }
    if let Some(e) = scan.damaged {
        return Err(e.into());
    }
    scan.gap_until(end);
    job.set_progress(1.0);
    Ok(MotionSearch {
        hits: scan.merger.finish(),
        unindexed: scan.unindexed,
        indexed_minutes: scan.indexed,
        range_minutes: end - first,
        region_cells,
    })
}

/// A search's state while it walks the rows.
struct Scan<'q> {
    query: &'q MotionQuery,
    mask: CellMask,
    merger: HitMerger,
    /// The minute the next row should be, were the index complete.
    next_minute: i64,
    unindexed: Vec<(i64, i64)>,
    indexed: i64,
    damaged: Option<DamagedRow>,
}

impl Scan<'_> {
    fn minute(&mut self, minute: i64, frames: Option<&[u8]>) {
        self.gap_until(minute);
        self.next_minute = minute + 1;
        self.indexed += 1;
        let Some(frames) = frames else {
            return;
        };
        let base = minute * US_PER_MINUTE;
        let (from, to) = (self.query.from_us, self.query.to_us);
        let total = self.mask.count() as f32;
        let (mask, merger) = (&self.mask, &mut self.merger);
        let read = count_in_frames(frames, mask, |offset_ms, moved| {
            let at = base + i64::from(offset_ms) * 1000;
            if moved > 0 && at >= from && at < to {
                merger.push(at, moved as f32 / total);
            }
        });
        if let Err(e) = read {
            self.damaged = Some(e);
        }
    }

    /// Notes the minutes from the expected one up to `minute` as without index.
    fn gap_until(&mut self, minute: i64) {
        if minute <= self.next_minute {
            return;
        }
        let start = (self.next_minute * US_PER_MINUTE).max(self.query.from_us);
        let end = (minute * US_PER_MINUTE).min(self.query.to_us);
        match self.unindexed.last_mut() {
            Some(last) if last.1 == start => last.1 = end,
            _ => self.unindexed.push((start, end)),
        }
    }
}

#[cfg(test)]
#[path = "search_tests.rs"]
mod tests;
