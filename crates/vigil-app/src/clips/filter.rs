//! The clip library's filter: camera, period, source and free text (label or zone), turned
//! into an archive request (camera, time range, source) plus the text match done here.

use vigil_core::model::{Event, EventSource};
use vigil_core::service::{EventListRequest, EventQuery};

/// Most events a list shows (newest kept).
pub const LIST_LIMIT: u32 = 500;
/// Most events read for the list (the newest), before the text filter.
pub const READ_LIMIT: u32 = 2000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Period {
    LastHour,
    #[default]
    LastDay,
    LastWeek,
    All,
}

impl Period {
    pub const ALL: [Period; 4] = [
        Period::LastHour,
        Period::LastDay,
        Period::LastWeek,
        Period::All,
    ];

    pub fn label(self) -> String {
        match self {
            Period::LastHour => crate::tr!("clips-last-hour"),
            Period::LastDay => crate::tr!("clips-last-day"),
            Period::LastWeek => crate::tr!("clips-last-week"),
            Period::All => crate::tr!("clips-all-time"),
        }
    }

    fn span_us(self) -> Option<i64> {
        const HOUR: i64 = 3_600_000_000;
        match self {
            Period::LastHour => Some(HOUR),
            Period::LastDay => Some(24 * HOUR),
            Period::LastWeek => Some(7 * 24 * HOUR),
            Period::All => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ClipFilter {
    /// A camera's name; `None` for every camera.
    pub camera: Option<String>,
    pub period: Period,
    pub source: Option<EventSource>,
    /// Matched, ignoring case, against the event's label and zone name.
    pub text: String,
}

impl ClipFilter {
    /// Whether `other` asks the library the same question (the text is matched here).
    pub fn same_query(&self, other: &ClipFilter) -> bool {
        self.camera == other.camera && self.period == other.period && self.source == other.source
    }

    /// The archive request for this filter at `now_us` (the archive answers that the chosen
    /// camera is not configured, when it is not).
    pub fn request(&self, now_us: i64) -> EventListRequest {
        EventListRequest {
            camera: self.camera.clone(),
            query: EventQuery {
                camera_id: None,
                from_us: self.period.span_us().map(|s| now_us - s),
                to_us: None,
                source: self.source,
                label: None,
                limit: Some(READ_LIMIT),
                newest_first: true,
                ..EventQuery::default()
            },
        }
    }

    pub fn matches_text(&self, e: &Event) -> bool {
        let want = self.text.trim().to_lowercase();
        want.is_empty()
            || e.label.to_lowercase().contains(&want)
            || e.zone
                .as_deref()
                .is_some_and(|z| z.to_lowercase().contains(&want))
    }

    /// The events to list: text-matched, newest first, at most [`LIST_LIMIT`].
    pub fn select(&self, mut events: Vec<Event>) -> Vec<Event> {
        events.retain(|e| self.matches_text(e));
        events.sort_by(|a, b| b.start_us.cmp(&a.start_us).then(b.id.cmp(&a.id)));
        events.truncate(LIST_LIMIT as usize);
        events
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(id: i64, label: &str, zone: Option<&str>, start_us: i64) -> Event {
        Event {
            id,
            camera_id: 1,
            camera: "yard".into(),
            source: EventSource::Motion,
            label: label.into(),
            zone_id: None,
            zone: zone.map(str::to_string),
            start_us,
            end_us: Some(start_us + 1),
            score: 0.1,
            protected: false,
            has_thumbnail: false,
            object_box: None,
        }
    }

    #[test]
    fn request_and_text_match() {
        let f = ClipFilter {
            camera: Some("yard".into()),
            period: Period::LastHour,
            source: Some(EventSource::External),
            text: "GATE".into(),
        };
        let r = f.request(10_000_000_000);
        assert_eq!(r.camera.as_deref(), Some("yard"));
        assert_eq!(r.query.from_us, Some(10_000_000_000 - 3_600_000_000));
        assert_eq!(r.query.source, Some(EventSource::External));
        assert_eq!(r.query.limit, Some(READ_LIMIT));
        assert!(r.query.newest_first);
        let listed = f.select(vec![
            event(1, "motion in gate", None, 5),
            event(2, "motion", Some("Gate"), 9),
            event(3, "door", None, 7),
        ]);
        let ids: Vec<i64> = listed.iter().map(|e| e.id).collect();
        assert_eq!(ids, vec![2, 1], "text matches label or zone; newest first");
    }
}
