//! What a recording policy costs at a camera's measured bitrate: disk per day, days kept in a
//! disk cap, disk per hour of events, and the memory the pre-event buffer holds. Pure
//! arithmetic and the sentences that say it.

use crate::text;
use crate::tr;
use vigil_core::model::{Policy, RecordMode};
use vigil_core::service::REPORT_LATENCY_US;

const SECONDS_PER_DAY: f64 = 86_400.0;

/// Seconds the pre-event buffer keeps beyond the pre-event time (activity is reported late).
pub fn prebuffer_margin_s() -> f64 {
    REPORT_LATENCY_US as f64 / 1e6
}

/// Bytes a stream of `bitrate_bps` writes in a day.
pub fn bytes_per_day(bitrate_bps: f64) -> f64 {
    bitrate_bps / 8.0 * SECONDS_PER_DAY
}

/// Memory the pre-event buffer holds at `bitrate_bps`: the pre-event time plus the reporting
/// margin (it also keeps up to one GOP more, so a clip can start on a keyframe).
pub fn prebuffer_bytes(pre_event_s: u32, bitrate_bps: f64) -> f64 {
    bitrate_bps / 8.0 * (f64::from(pre_event_s) + prebuffer_margin_s())
}

/// The longest pre-event time whose buffer stays within `limit_bytes` at `bitrate_bps`.
pub fn max_pre_event_s(limit_bytes: f64, bitrate_bps: f64) -> u32 {
    let s = limit_bytes / (bitrate_bps / 8.0) - prebuffer_margin_s();
    s.clamp(0.0, f64::from(u32::MAX)).floor() as u32
}

/// "4.0 Mbit/s", "512 kbit/s".
pub fn bitrate(bps: f64) -> String {
    if bps >= 1e6 {
        format!("{:.1} Mbit/s", bps / 1e6) // i18n-ignore
    } else {
        format!("{:.0} kbit/s", bps / 1e3) // i18n-ignore
    }
}

/// "7", "4.6", "0.35" days.
fn days(d: f64) -> String {
    if (d - d.round()).abs() < 1e-9 || d >= 10.0 {
        format!("{d:.0}")
    } else if d >= 1.0 {
        format!("{d:.1}")
    } else {
        format!("{d:.2}")
    }
}

fn size(bytes: f64) -> String {
    text::bytes(bytes.max(0.0) as u64)
}

/// The disk and memory a policy needs at the measured bitrate, one sentence a line.
/// `bitrate_bps` is `None` (or not positive) when nothing has been measured yet.
pub fn estimate(policy: &Policy, bitrate_bps: Option<f64>) -> Vec<String> {
    if policy.mode == RecordMode::Off {
        return vec![tr!("setup-estimate-off")];
    }
    let Some(bps) = bitrate_bps.filter(|b| b.is_finite() && *b > 0.0) else {
        return vec![tr!("setup-estimate-no-bitrate")];
    };
    let mut lines = Vec::new();
    if policy.mode.records_continuously() {
        lines.extend(continuous(policy, bps));
    }
    if policy.mode.records_events() {
        lines.extend(events(policy, bps));
    }
    lines
}

fn continuous(policy: &Policy, bps: f64) -> Vec<String> {
    let per_day = bytes_per_day(bps);
    let need = per_day * policy.retain_days;
    let keep = days(policy.retain_days);
    let second = match policy.max_bytes {
        Some(cap) if (cap as f64) < need => tr!(
            "setup-estimate-capped",
            days = days(cap as f64 / per_day),
            cap = size(cap as f64),
            keep = keep
        ),
        Some(cap) => tr!(
            "setup-estimate-within",
            size = size(need),
            keep = keep,
            cap = size(cap as f64)
        ),
        None => tr!("setup-estimate-needs", size = size(need), keep = keep),
    };
    vec![
        tr!(
            "setup-estimate-continuous",
            size = size(per_day),
            bitrate = bitrate(bps)
        ),
        second,
    ]
}

fn events(policy: &Policy, bps: f64) -> Vec<String> {
    let per_hour = bps / 8.0 * 3600.0;
    let shortest = policy.pre_event_s + policy.post_event_s;
    vec![
        tr!(
            "setup-estimate-events",
            size = size(per_hour),
            bitrate = bitrate(bps),
            days = days(policy.event_retain_days)
        ),
        tr!(
            "setup-estimate-clip",
            seconds = shortest.to_string(),
            size = size(bps / 8.0 * f64::from(shortest))
        ),
        tr!(
            "setup-estimate-prebuffer",
            size = size(prebuffer_bytes(policy.pre_event_s, bps)),
            seconds = (f64::from(policy.pre_event_s) + prebuffer_margin_s()).to_string(),
            margin = format!("{:.0}", prebuffer_margin_s())
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    const FOUR_MBIT: f64 = 4_000_000.0;

    fn policy(mode: RecordMode) -> Policy {
        Policy {
            mode,
            ..Policy::default()
        }
    }

    #[test]
    fn continuous_is_bitrate_times_a_day() {
        assert_eq!(bytes_per_day(FOUR_MBIT), 43_200_000_000.0);
        let lines = estimate(&policy(RecordMode::Continuous), Some(FOUR_MBIT));
        assert_eq!(
            lines,
            [
                "continuous: ≈ 43.2 GB/day at 4.0 Mbit/s",
                "needs ≈ 302 GB for 7 days"
            ]
        );
    }

    #[test]
    fn a_cap_smaller_than_the_retention_says_how_many_days_fit() {
        let small = Policy {
            max_bytes: Some(200_000_000_000),
            ..policy(RecordMode::Continuous)
        };
        let lines = estimate(&small, Some(FOUR_MBIT));
        assert_eq!(
            lines[1],
            "keeps ≈ 4.6 days in the 200 GB cap (fewer than the 7 days asked)"
        );
        let big = Policy {
            max_bytes: Some(500_000_000_000),
            ..small
        };
        assert_eq!(
            estimate(&big, Some(FOUR_MBIT))[1],
            "needs ≈ 302 GB for 7 days (within the 500 GB cap)"
        );
    }

    #[test]
    fn events_are_per_hour_of_activity_with_the_buffer_memory() {
        let lines = estimate(&policy(RecordMode::Events), Some(FOUR_MBIT));
        assert_eq!(lines.len(), 3);
        assert!(
            lines[0].starts_with("events: per hour of events ≈ 1.80 GB at 4.0 Mbit/s"),
            "{}",
            lines[0]
        );
        assert!(lines[0].contains("depends on how much happens"));
        assert_eq!(
            lines[1],
            "each clip holds at least 40 s (pre + post) ≈ 20.0 MB"
        );
        // 10 s pre-event + 3 s margin at 0.5 MB/s.
        assert_eq!(prebuffer_bytes(10, FOUR_MBIT), 6_500_000.0);
        assert!(
            lines[2].contains("≈ 6.50 MB of memory (13 s kept"),
            "{}",
            lines[2]
        );
        assert_eq!(
            estimate(&policy(RecordMode::Both), Some(FOUR_MBIT)).len(),
            5
        );
    }

    #[test]
    fn nothing_measured_or_nothing_recorded_is_said_so() {
        for bps in [None, Some(0.0), Some(f64::NAN)] {
            let lines = estimate(&policy(RecordMode::Continuous), bps);
            assert_eq!(lines.len(), 1);
            assert!(lines[0].starts_with("no bitrate measured yet"));
        }
        assert!(estimate(&policy(RecordMode::Off), Some(FOUR_MBIT))[0].contains("nothing"));
    }

    #[test]
    fn the_longest_pre_event_within_a_memory_limit() {
        // 100 MB at 0.5 MB/s is 200 s, minus the 3 s margin.
        assert_eq!(max_pre_event_s(100e6, FOUR_MBIT), 197);
        assert_eq!(max_pre_event_s(1e6, FOUR_MBIT), 0);
        assert_eq!(bitrate(512_000.0), "512 kbit/s");
    }
}
