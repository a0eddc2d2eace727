//! The timeline's recorded ranges: one camera's segments of one kind over a window, merged
//! to the view's resolution — from the covering index for narrow windows, from the per-hour
//! summary (whole hours) and the segments of partly recorded hours for wide ones — and the
//! files being written now.

use rusqlite::params;

use super::timeline::{InProgress, Merger, TimeRange, Window, HOUR_US};
use super::{Library, LibraryError};
use crate::model::SegmentKind;

/// Windows longer than this read the per-hour summary; shorter ones read the segments.
const SUMMARY_FROM_US: i64 = 3 * HOUR_US;
/// The summary's triggers count segments spanning up to this many hours.
const SUMMARY_MAX_SPAN_US: i64 = 7 * HOUR_US;

impl Library {
    /// One camera's ranges of one kind over the window.
    pub(crate) fn ranges(
        &self,
        camera_id: i64,
        kind: SegmentKind,
        w: &Window,
    ) -> Result<Vec<TimeRange>, LibraryError> {
        let mut merged = Merger::new(w.min_gap_us);
        let wide = w.to_us - w.from_us > SUMMARY_FROM_US;
        if w.summary && wide && w.segment_span_us <= SUMMARY_MAX_SPAN_US {
            self.ranges_by_hour(camera_id, kind, w, &mut merged)?;
        } else {
            self.ranges_from_rows(camera_id, kind, w.from_us, w.to_us, w, &mut merged)?;
        }
        Ok(merged.out)
    }

    /// Whole recorded hours straight from the summary; the segments of the others.
    fn ranges_by_hour(
        &self,
        camera_id: i64,
        kind: SegmentKind,
        w: &Window,
        merged: &mut Merger,
    ) -> Result<(), LibraryError> {
        let hours: Vec<(i64, i64)> = {
            let mut stmt = self.conn().prepare_cached(
                "SELECT hour, covered_us FROM segment_hours
                 WHERE camera_id = ?1 AND kind = ?2 AND hour BETWEEN ?3 AND ?4 ORDER BY hour",
            )?;
            let rows = stmt.query_map(
                params![
                    camera_id,
                    kind.as_str(),
                    w.from_us / HOUR_US,
                    (w.to_us - 1) / HOUR_US
                ],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            rows.collect::<Result<_, _>>()?
        };
        // Runs of consecutive partly recorded hours are read from the segments in one go.
        let mut partial: Option<(i64, i64)> = None;
        for (hour, covered) in hours {
            let lo = (hour * HOUR_US).max(w.from_us);
            let hi = ((hour + 1) * HOUR_US).min(w.to_us);
            // Exactly full only: overlapping recordings (an event clip's pre-event video,
            // segments after a restart) can add up to an hour with holes left in it.
            if covered == HOUR_US {
                if let Some((a, b)) = partial.take() {
                    self.ranges_from_rows(camera_id, kind, a, b, w, merged)?;
                }
                merged.push(lo, hi);
            } else {
                partial = match partial {
                    Some((a, b)) if b == lo => Some((a, hi)),
                    Some((a, b)) => {
                        self.ranges_from_rows(camera_id, kind, a, b, w, merged)?;
                        Some((lo, hi))
                    }
                    None => Some((lo, hi)),
                };
            }
        }
        if let Some((a, b)) = partial {
            self.ranges_from_rows(camera_id, kind, a, b, w, merged)?;
        }
        Ok(())
    }

    /// Segments overlapping `[lo, hi)`, clipped to it, into `merged`.
    fn ranges_from_rows(
        &self,
        camera_id: i64,
        kind: SegmentKind,
        lo: i64,
        hi: i64,
        w: &Window,
        merged: &mut Merger,
    ) -> Result<(), LibraryError> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT start_us, end_us FROM segments INDEXED BY segments_timeline
             WHERE camera_id = ?1 AND kind = ?2 AND start_us >= ?3 AND start_us < ?4
               AND end_us > ?5
             ORDER BY start_us",
        )?;
        let mut rows = stmt.query(params![
            camera_id,
            kind.as_str(),
            lo.saturating_sub(w.segment_span_us),
            hi,
            lo
        ])?;
        while let Some(r) = rows.next()? {
            let (start, end): (i64, i64) = (r.get(0)?, r.get(1)?);
            merged.push(start.max(lo), end.min(hi));
        }
        Ok(())
    }

    pub(crate) fn in_progress(
        &self,
        camera_id: i64,
        to_us: i64,
    ) -> Result<Vec<InProgress>, LibraryError> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT kind, start_us FROM open_segments WHERE camera_id = ?1 AND start_us < ?2
             ORDER BY start_us",
        )?;
        let rows = stmt.query_map(params![camera_id, to_us], |r| {
            let kind: String = r.get(0)?;
            Ok(InProgress {
                kind: SegmentKind::parse(&kind).unwrap_or(SegmentKind::Continuous),
                start_us: r.get(1)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

#[cfg(test)]
#[path = "timeline_summary_tests.rs"]
mod tests;
