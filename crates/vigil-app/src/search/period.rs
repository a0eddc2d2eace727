//! The period a motion search covers: a preset (the last hour, day or week, the timeline's
//! visible window, or its selection) turned into a UTC µs range.

use crate::tr;

const HOUR_US: i64 = 3_600_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Period {
    #[default]
    LastHour,
    LastDay,
    LastWeek,
    /// What the timeline shows.
    Window,
    /// The timeline's selection.
    Selection,
}

/// What the timeline shows and has selected, and the time now (UTC µs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeContext {
    pub now_us: i64,
    pub window: (i64, i64),
    pub selection: Option<(i64, i64)>,
}

impl Period {
    pub const ALL: [Period; 5] = [
        Period::LastHour,
        Period::LastDay,
        Period::LastWeek,
        Period::Window,
        Period::Selection,
    ];

    pub fn label(self) -> String {
        match self {
            Period::LastHour => tr!("search-period-hour"),
            Period::LastDay => tr!("search-period-day"),
            Period::LastWeek => tr!("search-period-week"),
            Period::Window => tr!("search-period-window"),
            Period::Selection => tr!("search-period-selection"),
        }
    }

    /// The range `[from, to)`; `None` for the selection when there is none.
    pub fn range(self, t: &TimeContext) -> Option<(i64, i64)> {
        let back = |us: i64| Some((t.now_us - us, t.now_us));
        match self {
            Period::LastHour => back(HOUR_US),
            Period::LastDay => back(24 * HOUR_US),
            Period::LastWeek => back(7 * 24 * HOUR_US),
            Period::Window => Some((t.window.0, t.window.1.min(t.now_us))),
            Period::Selection => t.selection.map(|(a, b)| (a.min(b), a.max(b))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_are_ranges_ending_now_or_the_timelines() {
        let t = TimeContext {
            now_us: 100 * HOUR_US,
            window: (90 * HOUR_US, 101 * HOUR_US),
            selection: None,
        };
        assert_eq!(
            Period::LastHour.range(&t),
            Some((99 * HOUR_US, 100 * HOUR_US))
        );
        assert_eq!(Period::LastWeek.range(&t).unwrap().0, (100 - 168) * HOUR_US);
        assert_eq!(
            Period::Window.range(&t),
            Some((90 * HOUR_US, 100 * HOUR_US))
        );
        assert_eq!(Period::Selection.range(&t), None);
        let t = TimeContext {
            selection: Some((5, 2)),
            ..t
        };
        assert_eq!(Period::Selection.range(&t), Some((2, 5)));
    }
}
