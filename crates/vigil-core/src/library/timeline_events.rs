//! The timeline's events: markers merged when they start within one pixel of each other, and
//! motion activity counted per bucket, both folded in one pass over the window's events.

use rusqlite::{params, Row};

use super::timeline::{ceil_div, CameraTimeline, TimelineEvent, Window};
use super::{Library, LibraryError};
use crate::model::EventSource;

const EVENT_COLS: &str =
    "e.id, e.start_us, e.end_us, e.source, e.label, COALESCE(z.display_name, z.name) FROM events e";
const ZONES: &str = "LEFT JOIN zones z ON z.id = e.zone_id";

/// Folds events, in start order, into markers and motion activity.
pub(crate) struct EventFold {
    from_us: i64,
    to_us: i64,
    min_gap_us: i64,
    bucket_us: i64,
    /// Difference array of motion activity: +1 where an event begins, −1 after it ends.
    diff: Vec<i64>,
    out: Vec<TimelineEvent>,
    /// Start of the last event merged into the last marker.
    last_start_us: i64,
}

impl EventFold {
    pub(crate) fn new(from_us: i64, to_us: i64, min_gap_us: i64, bucket_us: i64) -> Self {
        let buckets = ceil_div((to_us - from_us).max(0), bucket_us.max(1));
        Self {
            from_us,
            to_us,
            min_gap_us: min_gap_us.max(0),
            bucket_us: bucket_us.max(1),
            diff: vec![0; usize::try_from(buckets).unwrap_or(0) + 1],
            out: Vec::new(),
            last_start_us: i64::MIN,
        }
    }

    pub(crate) fn add(&mut self, ev: TimelineEvent) {
        if ev.source == EventSource::Motion {
            self.count_motion(ev.start_us, ev.end_us);
        }
        if let Some(last) = self.out.last_mut() {
            if ev.start_us.saturating_sub(self.last_start_us) <= self.min_gap_us {
                last.count += ev.count;
                last.end_us = match (last.end_us, ev.end_us) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    _ => None,
                };
                self.last_start_us = ev.start_us;
                return;
            }
        }
        self.last_start_us = ev.start_us;
        self.out.push(ev);
    }

    fn count_motion(&mut self, start_us: i64, end_us: Option<i64>) {
        let n = self.diff.len() - 1;
        if n == 0 {
            return;
        }
        let a = start_us.max(self.from_us);
        let b = end_us.unwrap_or(self.to_us).min(self.to_us - 1).max(a);
        if a >= self.to_us {
            return;
        }
        let bucket = |t: i64| usize::try_from((t - self.from_us) / self.bucket_us).unwrap_or(0);
        let (i0, i1) = (bucket(a).min(n - 1), bucket(b).min(n - 1));
        self.diff[i0] += 1;
        self.diff[i1 + 1] -= 1;
    }

    /// The markers and the motion count per bucket.
    pub(crate) fn finish(self) -> (Vec<TimelineEvent>, Vec<u32>) {
        let mut level = 0i64;
        let n = self.diff.len() - 1;
        let motion = self.diff[..n]
            .iter()
            .map(|d| {
                level += d;
                u32::try_from(level.max(0)).unwrap_or(u32::MAX)
            })
            .collect();
        (self.out, motion)
    }
}

fn event_from_row(r: &Row<'_>) -> rusqlite::Result<TimelineEvent> {
    let source: String = r.get(3)?;
    Ok(TimelineEvent {
        id: r.get(0)?,
        start_us: r.get(1)?,
        end_us: r.get(2)?,
        source: EventSource::parse(&source).unwrap_or(EventSource::External),
        label: r.get(4)?,
        zone: r.get(5)?,
        count: 1,
    })
}

impl Library {
    /// Fills `row.events` and `row.motion` for the window.
    pub(crate) fn timeline_events(
        &self,
        camera_id: i64,
        w: &Window,
        row: &mut CameraTimeline,
    ) -> Result<(), LibraryError> {
        let mut fold = EventFold::new(w.from_us, w.to_us, w.min_gap_us, w.bucket_us);
        let lookback = w.from_us.saturating_sub(w.event_span_us);
        // Events still going on that began before any closed event overlapping the window
        // could (few; a partial index finds them).
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {EVENT_COLS} {ZONES}
             WHERE e.camera_id = ?1 AND e.end_us IS NULL AND e.start_us < ?2
             ORDER BY e.start_us, e.id"
        ))?;
        for ev in stmt.query_map(params![camera_id, lookback], event_from_row)? {
            fold.add(ev?);
        }
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {EVENT_COLS} INDEXED BY events_timeline {ZONES}
             WHERE e.camera_id = ?1 AND e.start_us >= ?2 AND e.start_us < ?3
               AND (e.start_us >= ?4 OR COALESCE(e.end_us, 9223372036854775807) > ?4)
             ORDER BY e.start_us"
        ))?;
        let rows = stmt.query_map(
            params![camera_id, lookback, w.to_us, w.from_us],
            event_from_row,
        )?;
        for ev in rows {
            fold.add(ev?);
        }
        let (events, motion) = fold.finish();
        debug_assert_eq!(motion.len(), w.buckets);
        row.events = events;
        row.motion = motion;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::timeline::{Merger, TimeRange};

    fn ev(id: i64, start_us: i64, end_us: Option<i64>, source: EventSource) -> TimelineEvent {
        TimelineEvent {
            id,
            start_us,
            end_us,
            label: format!("e{id}"),
            source,
            zone: None,
            count: 1,
        }
    }

    #[test]
    fn ranges_merge_across_gaps_up_to_the_pixel_and_overlaps_always() {
        let mut m = Merger::new(10);
        for (a, b) in [
            (0, 100),
            (100, 200),
            (205, 300),
            (250, 280),
            (311, 400),
            (399, 398),
        ] {
            m.push(a, b);
        }
        let r = |start_us, end_us| TimeRange { start_us, end_us };
        assert_eq!(m.out, vec![r(0, 300), r(311, 400)]);
    }

    #[test]
    fn markers_merge_by_start_and_motion_counts_each_bucket_an_event_covers() {
        // Ten buckets of 10 µs over [1000, 1100).
        let mut f = EventFold::new(1000, 1100, 10, 10);
        f.add(ev(1, 990, Some(1015), EventSource::Motion)); // straddles the start
        f.add(ev(2, 1004, Some(1005), EventSource::External)); // 14 after #1's start: a new marker
        f.add(ev(3, 1010, Some(1012), EventSource::Motion)); // 6 after #2: merged into it
        f.add(ev(4, 1060, None, EventSource::Motion)); // still going on
        let (markers, motion) = f.finish();
        let got: Vec<(i64, u32, Option<i64>)> =
            markers.iter().map(|m| (m.id, m.count, m.end_us)).collect();
        assert_eq!(
            got,
            vec![(1, 1, Some(1015)), (2, 2, Some(1012)), (4, 1, None)]
        );
        // #1 covers buckets 0–1, #3 bucket 1, #4 from bucket 6 to the end; #2 is not motion.
        assert_eq!(motion, vec![1, 2, 0, 0, 0, 0, 1, 1, 1, 1]);
    }
}
