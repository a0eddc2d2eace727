//! Time-axis ticks: "nice" steps from one second to one day chosen for the zoom, placed on
//! round local times (the one place the app leaves UTC), and their labels.

use crate::local_time::offset_at;
use vigil_core::model::time::to_datetime;

const SEC: i64 = 1_000_000;
const MIN: i64 = 60 * SEC;
const HOUR: i64 = 60 * MIN;
pub const DAY: i64 = 24 * HOUR;

/// Every step a tick can take.
pub const STEPS_US: [i64; 18] = [
    SEC,
    2 * SEC,
    5 * SEC,
    10 * SEC,
    15 * SEC,
    30 * SEC,
    MIN,
    2 * MIN,
    5 * MIN,
    10 * MIN,
    15 * MIN,
    30 * MIN,
    HOUR,
    2 * HOUR,
    3 * HOUR,
    6 * HOUR,
    12 * HOUR,
    DAY,
];

/// The smallest step whose ticks are at least `min_px` points apart (a day at most).
pub fn step_for(us_per_px: f64, min_px: f32) -> i64 {
    STEPS_US
        .iter()
        .copied()
        .find(|&s| s as f64 / us_per_px >= f64::from(min_px))
        .unwrap_or(DAY)
}

/// The largest step below `major` that divides it and is at least `min_px` apart, for
/// unlabelled ticks; `None` if there is none.
pub fn minor_step(major: i64, us_per_px: f64, min_px: f32) -> Option<i64> {
    STEPS_US
        .iter()
        .copied()
        .filter(|&s| s < major && major % s == 0 && s as f64 / us_per_px >= f64::from(min_px))
        .max()
}

/// Times in `[start_us, end_us]` that are whole multiples of `step_us` in local time
/// (`offset_us` east of UTC).
pub fn ticks(start_us: i64, end_us: i64, step_us: i64, offset_us: i64) -> Vec<i64> {
    let step = step_us.max(1);
    let local = start_us + offset_us;
    let first = local.div_euclid(step) * step + if local.rem_euclid(step) == 0 { 0 } else { step };
    let mut out = Vec::new();
    let mut t = first - offset_us;
    while t <= end_us && out.len() < 10_000 {
        out.push(t);
        t += step;
    }
    out
}

/// A tick's label in local time: the date at local midnight (or for day steps), else the
/// time of day, with seconds when the step is under a minute.
pub fn label(t_us: i64, step_us: i64, offset_us: i64) -> String {
    let local = to_datetime(t_us + offset_us);
    let (h, m, s) = (local.hour(), local.minute(), local.second());
    if step_us >= DAY || (t_us + offset_us).rem_euclid(DAY) == 0 {
        crate::local_time::day_label(local)
    } else if step_us < MIN {
        format!("{h:02}:{m:02}:{s:02}")
    } else {
        format!("{h:02}:{m:02}")
    }
}

/// A full local date and time to the millisecond, for the playhead and the selection.
pub fn long_label(t_us: i64, offset_us: i64) -> String {
    let local = to_datetime(t_us + offset_us);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:03}",
        local.year(),
        u8::from(local.month()),
        local.day(),
        local.hour(),
        local.minute(),
        local.second(),
        local.millisecond()
    )
}

/// A window length in words: "45 s", "12 min", "3 h", "2.5 days".
pub fn span_label(span_us: i64) -> String {
    crate::local_time::span(span_us)
}

/// The local time zone's offset east of UTC at `t_us`, µs (see [`crate::local_time`]).
pub fn local_offset_us(t_us: i64) -> i64 {
    i64::from(offset_at(t_us).whole_seconds()) * SEC
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-11-25 00:00:00 UTC, a Wednesday.
    const MIDNIGHT: i64 = 1_795_564_800 * SEC;

    #[test]
    fn steps_are_nice_and_far_enough_apart() {
        // A week over 1600 points: 378 s a point; 90 points → 9.45 h → 12 h.
        assert_eq!(step_for(7.0 * DAY as f64 / 1600.0, 90.0), 12 * HOUR);
        // Ten seconds over 1600 points: the smallest step, one second.
        assert_eq!(step_for(10.0 * SEC as f64 / 1600.0, 90.0), SEC);
        // An hour over 1600 points: 2.25 s a point; 90 points → 202 s → 5 min.
        assert_eq!(step_for(HOUR as f64 / 1600.0, 90.0), 5 * MIN);
        assert_eq!(step_for(1e15, 90.0), DAY);
        assert_eq!(minor_step(5 * MIN, HOUR as f64 / 1600.0, 12.0), Some(MIN));
        assert_eq!(minor_step(SEC, 1.0, 12.0), None);
    }

    #[test]
    fn ticks_fall_on_round_local_times() {
        let t = ticks(MIDNIGHT + 7 * MIN + 3, MIDNIGHT + 31 * MIN, 10 * MIN, 0);
        assert_eq!(
            t,
            vec![
                MIDNIGHT + 10 * MIN,
                MIDNIGHT + 20 * MIN,
                MIDNIGHT + 30 * MIN
            ]
        );
        // One hour east of UTC: local midnight is 23:00 UTC the day before.
        let t = ticks(MIDNIGHT - 2 * HOUR, MIDNIGHT, DAY, HOUR);
        assert_eq!(t, vec![MIDNIGHT - HOUR]);
        // A tick exactly at the start is kept.
        assert_eq!(ticks(MIDNIGHT, MIDNIGHT + SEC, SEC, 0).len(), 2);
    }

    #[test]
    fn labels_show_what_the_step_needs() {
        assert_eq!(label(MIDNIGHT, HOUR, 0), "Wed 25 Nov");
        assert_eq!(label(MIDNIGHT + 90 * MIN, 30 * MIN, 0), "01:30");
        assert_eq!(label(MIDNIGHT + 90 * MIN + 5 * SEC, 5 * SEC, 0), "01:30:05");
        assert_eq!(label(MIDNIGHT + 90 * MIN, 30 * MIN, 2 * HOUR), "03:30");
        assert_eq!(long_label(MIDNIGHT + 1_500, 0), "2026-11-25 00:00:00.001");
        assert_eq!(span_label(45 * SEC), "45 s");
        assert_eq!(span_label(3 * DAY), "3.0 days");
    }
}
