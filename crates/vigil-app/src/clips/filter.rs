//! The clip library's filter: camera, period, source and free text (label or zone), turned
//! into a library query (camera, time range, source) plus the text match done here.

use vigil_core::library::events::EventQuery;
use vigil_core::model::{Camera, Event, EventSource};

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

    pub fn label(self) -> &'static str {
        match self {
            Period::LastHour => "Last hour",
            Period::LastDay => "Last 24 h",
            Period::LastWeek => "Last 7 days",
            Period::All => "All",
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
    /// The library query for this filter at `now_us`; `None` when the chosen camera is
    /// not configured (any more).
    /// Whether `other` asks the library the same question (the text is matched here).
    pub fn same_query(&self, other: &ClipFilter) -> bool {
        self.camera == other.camera && self.period == other.period && self.source == other.source
    }

    pub fn query(&self, cameras: &[Camera], now_us: i64) -> Option<EventQuery> {
        let camera_id = match &self.camera {
            Some(name) => Some(cameras.iter().find(|c| c.name.as_str() == name)?.id),
            None => None,
        };
        Some(EventQuery {
            camera_id,
            from_us: self.period.span_us().map(|s| now_us - s),
            to_us: None,
            source: self.source,
            label: None,
            limit: Some(READ_LIMIT),
            newest_first: true,
        })
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
    use vigil_core::model::{CameraName, Transport};

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
        }
    }

    #[test]
    fn query_and_text_match() {
        let cams = vec![Camera {
            id: 7,
            name: CameraName::parse("yard").unwrap(),
            url: "demo://".into(),
            detect_url: None,
            transport: Transport::Tcp,
            enabled: true,
            created_us: 0,
        }];
        let mut f = ClipFilter {
            camera: Some("yard".into()),
            period: Period::LastHour,
            source: Some(EventSource::External),
            text: "GATE".into(),
        };
        let q = f.query(&cams, 10_000_000_000).unwrap();
        assert_eq!(q.camera_id, Some(7));
        assert_eq!(q.from_us, Some(10_000_000_000 - 3_600_000_000));
        assert_eq!(q.source, Some(EventSource::External));
        f.camera = Some("gone".into());
        assert!(f.query(&cams, 0).is_none());
        let listed = f.select(vec![
            event(1, "motion in gate", None, 5),
            event(2, "motion", Some("Gate"), 9),
            event(3, "door", None, 7),
        ]);
        let ids: Vec<i64> = listed.iter().map(|e| e.id).collect();
        assert_eq!(ids, vec![2, 1], "text matches label or zone; newest first");
    }
}
