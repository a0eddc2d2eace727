//! The timeline's view state and its pure operations: the visible window, the playhead (or
//! live), the selection; time ↔ x mapping in `f64` (an `f32` cannot hold microseconds over a
//! week), zoom about a point, pan, and following "now" while live.

/// The narrowest and widest window the wheel can reach.
pub const MIN_SPAN_US: i64 = 10 * 1_000_000;
pub const MAX_SPAN_US: i64 = 8 * 86_400 * 1_000_000;
/// Zoom per wheel line (a mouse wheel notch): 1.25× closer or farther.
pub const ZOOM_PER_LINE: f64 = 1.25;
/// While live, "now" sits this far (a fraction of the window) from the right edge.
pub const LIVE_MARGIN: f64 = 0.05;

/// What the timeline shows and where the user is in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineView {
    /// The visible window `[start_us, end_us)`, UTC µs.
    pub start_us: i64,
    pub end_us: i64,
    /// The time being played or looked at; `None` is live.
    pub playhead_us: Option<i64>,
    /// A range chosen with shift-drag, `(from, to)` with `from <= to`.
    pub selection: Option<(i64, i64)>,
    /// While live, the window slides with now (cleared by panning).
    pub follow_live: bool,
}

/// Maps time to x and back over a horizontal span of the screen, in `f64`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimeAxis {
    pub start_us: i64,
    pub span_us: i64,
    /// Left edge and width of the time area, points.
    pub x0: f32,
    pub width: f32,
}

impl TimeAxis {
    pub fn new(view: &TimelineView, x0: f32, width: f32) -> Self {
        Self {
            start_us: view.start_us,
            span_us: view.span_us(),
            x0,
            width: width.max(1.0),
        }
    }

    /// Microseconds per point.
    pub fn us_per_px(&self) -> f64 {
        self.span_us as f64 / f64::from(self.width)
    }

    pub fn x(&self, t_us: i64) -> f32 {
        let dt = (t_us - self.start_us) as f64;
        (f64::from(self.x0) + dt / self.us_per_px()) as f32
    }

    /// The time under `x` (not clamped to the window).
    pub fn time_at(&self, x: f32) -> i64 {
        let dx = f64::from(x) - f64::from(self.x0);
        self.start_us + (dx * self.us_per_px()).round() as i64
    }
}

impl TimelineView {
    /// Live, showing `span_us` up to now.
    pub fn live(now_us: i64, span_us: i64) -> Self {
        let mut v = Self {
            start_us: 0,
            end_us: span_us.clamp(MIN_SPAN_US, MAX_SPAN_US),
            playhead_us: None,
            selection: None,
            follow_live: true,
        };
        v.follow(now_us);
        v
    }

    pub fn span_us(&self) -> i64 {
        (self.end_us - self.start_us).max(1)
    }

    pub fn is_live(&self) -> bool {
        self.playhead_us.is_none()
    }

    /// Zooms by `factor` (> 1 closer) keeping `anchor_us` where it is on screen; the window
    /// stays between [`MIN_SPAN_US`] and [`MAX_SPAN_US`].
    pub fn zoom_about(&mut self, anchor_us: i64, factor: f64) {
        if !factor.is_finite() || factor <= 0.0 {
            return;
        }
        let span = self.span_us() as f64;
        let new_span = (span / factor).clamp(MIN_SPAN_US as f64, MAX_SPAN_US as f64);
        let frac = (anchor_us - self.start_us) as f64 / span;
        self.start_us = anchor_us - (frac * new_span).round() as i64;
        self.end_us = self.start_us + new_span.round() as i64;
    }

    /// Zoom for `lines` wheel lines (positive: closer) about the point under `x`.
    pub fn zoom_wheel(&mut self, axis: &TimeAxis, x: f32, lines: f32) {
        self.zoom_about(axis.time_at(x), ZOOM_PER_LINE.powf(f64::from(lines)));
    }

    /// Moves the window with the pointer by `dx` points (right shows earlier times). Stops
    /// following live.
    pub fn pan_px(&mut self, axis: &TimeAxis, dx: f32) {
        let shift = (f64::from(dx) * axis.us_per_px()).round() as i64;
        self.start_us -= shift;
        self.end_us -= shift;
        if shift != 0 {
            self.follow_live = false;
        }
    }

    /// Sets the playhead (leaving live).
    pub fn set_playhead(&mut self, t_us: i64) {
        self.playhead_us = Some(t_us);
        self.follow_live = false;
    }

    /// Back to live: no playhead, the window ends just after now.
    pub fn go_live(&mut self, now_us: i64) {
        self.playhead_us = None;
        self.follow_live = true;
        self.follow(now_us);
    }

    /// A selection from `a` to `b`, in either order.
    pub fn select(&mut self, a: i64, b: i64) {
        self.selection = Some((a.min(b), a.max(b)));
    }

    /// While following live, slides the window so now sits near its right edge.
    pub fn follow(&mut self, now_us: i64) {
        if self.follow_live && self.playhead_us.is_none() {
            let span = self.span_us();
            self.end_us = now_us + (span as f64 * LIVE_MARGIN).round() as i64;
            self.start_us = self.end_us - span;
        }
    }

    /// Keeps the window on sensible ground: not before 1970, and at least half of it at or
    /// before now.
    pub fn clamp(&mut self, now_us: i64) {
        let span = self.span_us().clamp(MIN_SPAN_US, MAX_SPAN_US);
        let latest_end = now_us + span / 2;
        self.end_us = self.end_us.min(latest_end).max(span);
        self.start_us = self.end_us - span;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_795_000_000_000_000;
    const HOUR: i64 = 3_600_000_000;

    fn view(start: i64, end: i64) -> TimelineView {
        TimelineView {
            start_us: start,
            end_us: end,
            playhead_us: Some(start),
            selection: None,
            follow_live: false,
        }
    }

    #[test]
    fn time_and_x_map_both_ways_to_the_microsecond_over_a_week() {
        let v = view(NOW - 7 * 24 * HOUR, NOW + HOUR);
        let axis = TimeAxis::new(&v, 100.0, 1600.0);
        assert_eq!(axis.x(v.start_us), 100.0);
        assert_eq!(axis.x(v.end_us), 1700.0);
        assert_eq!(axis.time_at(100.0), v.start_us);
        assert_eq!(axis.time_at(1700.0), v.end_us);
        // A point in the middle comes back within half a microsecond-rounding.
        let t = NOW - 12_345_678;
        let back = axis.time_at(axis.x(t));
        assert!(
            (back - t).abs() as f64 <= axis.us_per_px() * 1e-3,
            "{back} vs {t}"
        );
    }

    #[test]
    fn zoom_keeps_the_anchor_fixed_and_stays_within_bounds() {
        let mut v = view(NOW - HOUR, NOW);
        let axis = TimeAxis::new(&v, 0.0, 1000.0);
        let anchor_x = 250.0;
        let before = axis.time_at(anchor_x);
        v.zoom_wheel(&axis, anchor_x, 3.0);
        let after = TimeAxis::new(&v, 0.0, 1000.0);
        assert!((after.time_at(anchor_x) - before).abs() <= 1);
        assert!((v.span_us() as f64 - HOUR as f64 / 1.25f64.powi(3)).abs() < 2.0);
        for _ in 0..100 {
            v.zoom_about(NOW - HOUR / 2, 2.0);
        }
        assert_eq!(v.span_us(), MIN_SPAN_US);
        for _ in 0..100 {
            v.zoom_about(NOW - HOUR / 2, 0.5);
        }
        assert_eq!(v.span_us(), MAX_SPAN_US);
        v.zoom_about(NOW, f64::NAN);
        assert_eq!(v.span_us(), MAX_SPAN_US);
    }

    #[test]
    fn panning_moves_by_the_pointer_and_stops_following_live() {
        let mut v = TimelineView::live(NOW, HOUR);
        assert!(v.is_live() && v.follow_live);
        assert!(v.end_us > NOW && v.start_us < NOW);
        let axis = TimeAxis::new(&v, 0.0, 3600.0); // one second per point
        let start = v.start_us;
        v.pan_px(&axis, 60.0);
        assert_eq!(v.start_us, start - 60_000_000);
        assert!(!v.follow_live);
        v.follow(NOW + HOUR);
        assert_eq!(v.start_us, start - 60_000_000, "no longer follows");
        v.go_live(NOW + HOUR);
        assert!(v.is_live() && v.end_us > NOW + HOUR);
    }

    #[test]
    fn playhead_selection_and_clamping() {
        let mut v = TimelineView::live(NOW, HOUR);
        v.set_playhead(NOW - 10);
        assert_eq!(v.playhead_us, Some(NOW - 10));
        assert!(!v.follow_live);
        v.select(NOW, NOW - HOUR);
        assert_eq!(v.selection, Some((NOW - HOUR, NOW)));
        // Far in the future: pulled back so half the window is before now.
        let mut f = view(NOW + 10 * HOUR, NOW + 11 * HOUR);
        f.clamp(NOW);
        assert_eq!(f.end_us, NOW + HOUR / 2);
        assert_eq!(f.span_us(), HOUR);
        let mut early = view(-5 * HOUR, -4 * HOUR);
        early.clamp(NOW);
        assert_eq!((early.start_us, early.end_us), (0, HOUR));
    }
}
