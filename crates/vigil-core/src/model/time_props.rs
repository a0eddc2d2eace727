//! Property tests for the duration and RFC 3339 parsers.

use proptest::prelude::*;

use super::*;

/// Pieces a hostile or careless user may type into a duration field.
fn duration_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[0-9]{0,25}",
        "[0-9]{0,6}\\.[0-9]{0,6}",
        Just("ms".to_string()),
        Just("min".to_string()),
        "[smhd]",
        "[-+eE.,_ ]",
        "(inf|nan|infinity|NaN)",
        "\\PC",
    ];
    prop::collection::vec(piece, 0..8).prop_map(|p| p.concat())
}

proptest! {

    /// Any text: no panic, and whatever is accepted is within the documented range.
    #[test]
    fn duration_parse_never_panics(text in duration_text()) {
        if let Ok(us) = parse_duration_us(&text) {
            prop_assert!((0..=1_000_000_000_000 * US_PER_SEC).contains(&us), "{} -> {}", text, us);
        }
    }

    /// Units add up exactly, and the same time written in seconds agrees.
    #[test]
    fn duration_units_add_up(d in 0u32..1000, h in 0u32..1000, m in 0u32..1000, s in 0u32..1000, ms in 0u32..1000) {
        let text = format!("{d}d{h}h{m}m{s}s{ms}ms");
        let want = ((i64::from(d) * 86_400 + i64::from(h) * 3600 + i64::from(m) * 60 + i64::from(s))
            * 1000 + i64::from(ms)) * 1000;
        prop_assert_eq!(parse_duration_us(&text), Ok(want), "{}", text);
        prop_assert_eq!(parse_duration_us(&format!("{}", want / US_PER_SEC)), Ok(want / US_PER_SEC * US_PER_SEC));
    }

    /// Negative and too-long durations are refused in words, never wrapped.
    #[test]
    fn out_of_range_durations_are_refused(secs in 1.0e12f64..1.0e300, neg in 1u64..u64::MAX, unit in "(s|m|h|d|ms)?") {
        let too_long = format!("{secs}{unit}");
        if unit != "ms" {
            prop_assert!(parse_duration_us(&too_long).is_err() || secs == 1.0e12, "{}", too_long);
        }
        let negative = format!("-{neg}{unit}");
        prop_assert!(parse_duration_us(&negative).is_err(), "{}", negative);
    }

    /// Every instant RFC 3339 can write formats and parses back exactly; the others clamp.
    #[test]
    fn rfc3339_round_trips(us in any::<i64>(), near in RFC3339_MIN_US..=RFC3339_MAX_US) {
        for t in [us, near] {
            let text = format_rfc3339(t);
            prop_assert_eq!(parse_rfc3339(&text), Ok(t.clamp(RFC3339_MIN_US, RFC3339_MAX_US)), "{}", text);
        }
    }

    /// Arbitrary and nearly-right timestamps: no panic, and accepted ones format back to an
    /// equal instant.
    #[test]
    fn rfc3339_parse_never_panics(
        text in prop_oneof![
            "\\PC{0,30}",
            "[0-9]{4,6}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,12})?(Z|[+-][0-9]{2}:[0-9]{2})",
        ]
    ) {
        if let Ok(us) = parse_rfc3339(&text) {
            if (RFC3339_MIN_US..=RFC3339_MAX_US).contains(&us) {
                prop_assert_eq!(parse_rfc3339(&format_rfc3339(us)), Ok(us));
            }
        }
    }
}
