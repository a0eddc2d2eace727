//! The timeline query: for a window and a set of cameras, the recorded ranges by kind merged
//! down to the resolution the view can show, the events as markers (merged when closer than
//! that), what is being recorded now, and motion activity per bucket. Fast on a large library:
//! ranges come from the covering index `segments_timeline`, and windows wider than a few hours
//! read the per-hour summary `segment_hours` (schema v3) and only look at the segments of hours
//! that are partly recorded.

use super::{Library, LibraryError};
use crate::model::{EventSource, SegmentKind};

/// One UTC hour, the summary's unit.
pub const HOUR_US: i64 = 3_600_000_000;
/// At most this many activity buckets per camera, whatever `min_gap_us` says.
pub const MAX_BUCKETS: i64 = 8192;

/// What to draw: cameras (in row order) and the window `[from_us, to_us)`. `min_gap_us` is the
/// duration of one pixel: ranges closer than that are merged, events closer than that are one
/// marker, and motion is counted per bucket of that length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineQuery {
    pub camera_ids: Vec<i64>,
    pub from_us: i64,
    pub to_us: i64,
    pub min_gap_us: i64,
}

/// A recorded range, clipped to the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeRange {
    pub start_us: i64,
    pub end_us: i64,
}

/// An event marker: one event, or `count` events starting within `min_gap_us` of each other
/// (then `id`, `label`, `source` and `zone` are the first one's, `end_us` the latest end).
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineEvent {
    pub id: i64,
    pub start_us: i64,
    /// `None` while the event (or one of those merged) is still going on.
    pub end_us: Option<i64>,
    pub label: String,
    pub source: EventSource,
    pub zone: Option<String>,
    pub count: u32,
}

/// A file being written now (not yet a segment row): recorded from `start_us` to now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InProgress {
    pub kind: SegmentKind,
    pub start_us: i64,
}

/// One camera's row.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CameraTimeline {
    pub camera_id: i64,
    /// Continuous recordings, oldest first, merged across gaps up to `min_gap_us`.
    pub continuous: Vec<TimeRange>,
    /// Event clips, the same way.
    pub event_clips: Vec<TimeRange>,
    /// Files being written that started before the window's end.
    pub in_progress: Vec<InProgress>,
    /// Event markers overlapping the window, oldest first.
    pub events: Vec<TimelineEvent>,
    /// Motion events overlapping each bucket of `Timeline::bucket_us`, from `from_us`.
    pub motion: Vec<u32>,
}

/// The answer to a [`TimelineQuery`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Timeline {
    pub from_us: i64,
    pub to_us: i64,
    /// Length of one motion bucket (`min_gap_us`, or longer when that would make more than
    /// [`MAX_BUCKETS`]).
    pub bucket_us: i64,
    /// In the query's order.
    pub cameras: Vec<CameraTimeline>,
}

impl Timeline {
    pub fn camera(&self, camera_id: i64) -> Option<&CameraTimeline> {
        self.cameras.iter().find(|c| c.camera_id == camera_id)
    }
}

/// `a / b` rounded up, for `a >= 0` and `b > 0`.
pub(crate) fn ceil_div(a: i64, b: i64) -> i64 {
    a / b + i64::from(a % b != 0)
}

/// Builds ranges from pieces given in start order, merging those closer than `min_gap_us`.
pub(crate) struct Merger {
    min_gap_us: i64,
    pub(crate) out: Vec<TimeRange>,
}

impl Merger {
    pub(crate) fn new(min_gap_us: i64) -> Self {
        Self {
            min_gap_us: min_gap_us.max(0),
            out: Vec::new(),
        }
    }

    pub(crate) fn push(&mut self, start_us: i64, end_us: i64) {
        if end_us < start_us {
            return;
        }
        if let Some(last) = self.out.last_mut() {
            if start_us.saturating_sub(last.end_us) <= self.min_gap_us {
                last.end_us = last.end_us.max(end_us);
                return;
            }
        }
        self.out.push(TimeRange { start_us, end_us });
    }
}

/// The window after clamping, and the lookbacks read once per query.
pub(crate) struct Window {
    pub(crate) from_us: i64,
    pub(crate) to_us: i64,
    pub(crate) min_gap_us: i64,
    pub(crate) bucket_us: i64,
    pub(crate) buckets: usize,
    /// How far before a point a segment (an event) overlapping it can start.
    pub(crate) segment_span_us: i64,
    pub(crate) event_span_us: i64,
    /// Whether wide windows may read the per-hour summary.
    pub(crate) summary: bool,
}

impl Library {
    /// The timeline for `q` (see [`TimelineQuery`]); read in one transaction, so ranges,
    /// events and the summary agree even while the recorder and retention write.
    pub fn timeline(&self, q: &TimelineQuery) -> Result<Timeline, LibraryError> {
        self.timeline_with(q, true)
    }

    /// [`Library::timeline`], optionally without the per-hour summary (every range from the
    /// segment rows), for the benchmark to show what the summary buys.
    #[doc(hidden)]
    pub fn timeline_with(
        &self,
        q: &TimelineQuery,
        summary: bool,
    ) -> Result<Timeline, LibraryError> {
        let from_us = q.from_us.max(0);
        let to_us = q.to_us.max(from_us);
        let span = to_us - from_us;
        let min_gap_us = q.min_gap_us.max(0);
        let bucket_us = min_gap_us.max(ceil_div(span, MAX_BUCKETS)).max(1);
        let buckets = usize::try_from(ceil_div(span, bucket_us)).unwrap_or(0);
        let mut out = Timeline {
            from_us,
            to_us,
            bucket_us,
            cameras: Vec::with_capacity(q.camera_ids.len()),
        };
        let tx = self.conn().unchecked_transaction()?;
        let (segment_span_us, event_span_us) = self.span_limits()?;
        let w = Window {
            from_us,
            to_us,
            min_gap_us,
            bucket_us,
            buckets,
            segment_span_us,
            event_span_us,
            summary,
        };
        for &camera_id in &q.camera_ids {
            let mut row = CameraTimeline {
                camera_id,
                motion: vec![0; buckets],
                ..CameraTimeline::default()
            };
            if span > 0 {
                row.continuous = self.ranges(camera_id, SegmentKind::Continuous, &w)?;
                row.event_clips = self.ranges(camera_id, SegmentKind::Event, &w)?;
                row.in_progress = self.in_progress(camera_id, to_us)?;
                self.timeline_events(camera_id, &w, &mut row)?;
            }
            out.cameras.push(row);
        }
        tx.finish()?;
        Ok(out)
    }

    /// A number that changes whenever another connection commits a change to the library
    /// (SQLite's `data_version`): cheap to poll, to know when a view must be read again.
    pub fn data_version(&self) -> Result<i64, LibraryError> {
        Ok(self
            .conn()
            .pragma_query_value(None, "data_version", |r| r.get(0))?)
    }

    /// The longest segment and the longest closed event ever indexed, µs.
    pub(crate) fn span_limits(&self) -> Result<(i64, i64), LibraryError> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT name, max_us FROM span_limits")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        let (mut segment, mut event) = (0, 0);
        for row in rows {
            match row? {
                (name, max) if name == "segment" => segment = max.max(0),
                (name, max) if name == "event" => event = max.max(0),
                _ => {}
            }
        }
        Ok((segment, event))
    }
}

#[cfg(test)]
#[path = "timeline_tests.rs"]
pub(crate) mod tests;
