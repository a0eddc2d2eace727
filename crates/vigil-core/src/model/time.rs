//! Time helpers: UTC microseconds since the Unix epoch (`i64`) everywhere, RFC 3339 and
//! human durations ("90s", "2m", "1h30m") at the edges.

use std::time::{SystemTime, UNIX_EPOCH};

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::InvalidInput;

pub const US_PER_SEC: i64 = 1_000_000;

/// Now, as UTC microseconds since the Unix epoch.
pub fn now_us() -> i64 {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_micros()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_micros()).unwrap_or(i64::MAX),
    }
}

/// The first and last instants RFC 3339 can write (years 0000 to 9999), in microseconds.
pub const RFC3339_MIN_US: i64 = -62_167_219_200 * US_PER_SEC;
pub const RFC3339_MAX_US: i64 = 253_402_300_800 * US_PER_SEC - 1;

/// Converts UTC microseconds to a `time` date-time (clamped to the representable range).
pub fn to_datetime(us: i64) -> OffsetDateTime {
    let nanos = i128::from(us) * 1000;
    OffsetDateTime::from_unix_timestamp_nanos(nanos).unwrap_or_else(|_| {
        let bound = if us < 0 {
            time::PrimitiveDateTime::MIN
        } else {
            time::PrimitiveDateTime::MAX
        };
        bound.assume_utc()
    })
}

/// Formats UTC microseconds as RFC 3339 with microseconds, e.g. `2026-11-25T12:00:00.123456Z`.
/// Times before year 0000 or after 9999 (which RFC 3339 cannot write) are clamped to them.
pub fn format_rfc3339(us: i64) -> String {
    let dt = to_datetime(us.clamp(RFC3339_MIN_US, RFC3339_MAX_US));
    let date = dt.date();
    let t = dt.time();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
        date.year(),
        u8::from(date.month()),
        date.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.microsecond()
    )
}

/// Parses an RFC 3339 timestamp (any offset) to UTC microseconds.
pub fn parse_rfc3339(s: &str) -> Result<i64, InvalidInput> {
    let dt = OffsetDateTime::parse(s.trim(), &Rfc3339).map_err(|_| {
        InvalidInput(format!(
            "'{s}' is not an RFC 3339 time; write it like 2026-11-25T03:00:00Z"
        ))
    })?;
    i64::try_from(dt.unix_timestamp_nanos() / 1000)
        .map_err(|_| InvalidInput(format!("'{s}' is out of range")))
}

/// Parses a duration such as `90s`, `2m`, `1h`, `1h30m`, `500ms` or `7d` to microseconds.
/// A bare number means seconds.
pub fn parse_duration_us(s: &str) -> Result<i64, InvalidInput> {
    let bad = || {
        InvalidInput(format!(
            "'{s}' is not a duration; write it like 90s, 2m, 1h or 1h30m"
        ))
    };
    let text = s.trim();
    if text.is_empty() {
        return Err(bad());
    }
    if let Ok(secs) = text.parse::<f64>() {
        return secs_to_us(secs).ok_or_else(bad);
    }
    let mut total: f64 = 0.0;
    let mut rest = text;
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .ok_or_else(bad)?;
        if num_len == 0 {
            return Err(bad());
        }
        let value: f64 = rest[..num_len].parse().map_err(|_| bad())?;
        rest = &rest[num_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let factor = match &rest[..unit_len] {
            "ms" => 0.001,
            "s" => 1.0,
            "m" | "min" => 60.0,
            "h" => 3600.0,
            "d" => 86400.0,
            _ => return Err(bad()),
        };
        total += value * factor;
        rest = &rest[unit_len..];
    }
    secs_to_us(total).ok_or_else(bad)
}

fn secs_to_us(secs: f64) -> Option<i64> {
    if !secs.is_finite() || !(0.0..=1e12).contains(&secs) {
        return None;
    }
    Some((secs * US_PER_SEC as f64).round() as i64)
}

/// `ticks` from time base `from` to time base `to` (each `(numerator, denominator)`),
/// rounded to the nearest; saturates instead of overflowing, 0 for a zero time base.
pub fn rescale(ticks: i64, from: (i32, i32), to: (i32, i32)) -> i64 {
    let num = i128::from(ticks) * i128::from(from.0) * i128::from(to.1);
    let den = i128::from(from.1) * i128::from(to.0);
    if den == 0 {
        return 0;
    }
    let half = den.abs() / 2;
    let q = if (num >= 0) == (den > 0) {
        (num.abs() + half) / den.abs()
    } else {
        -((num.abs() + half) / den.abs())
    };
    i64::try_from(q).unwrap_or(if q < 0 { i64::MIN } else { i64::MAX })
}

/// The time base of microseconds.
pub const MICROS: (i32, i32) = (1, 1_000_000);

#[cfg(test)]
#[path = "time_props.rs"]
mod props;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rescale_rounds_to_nearest() {
        let ms = (1, 1000);
        let k90 = (1, 90_000);
        assert_eq!(rescale(3600, k90, ms), 40);
        assert_eq!(rescale(-3600, k90, ms), -40);
        assert_eq!(rescale(1, (1, 3), ms), 333);
        assert_eq!(rescale(2, (1, 3), ms), 667);
    }

    #[test]
    fn times_out_of_range_are_clamped_not_reset_to_1970() {
        // to_datetime used to fall back to the Unix epoch, contrary to its documentation.
        assert!(to_datetime(i64::MAX).year() >= 9999);
        assert!(to_datetime(i64::MIN).year() <= -9999);
        assert_eq!(format_rfc3339(i64::MAX), "9999-12-31T23:59:59.999999Z");
        assert_eq!(format_rfc3339(i64::MIN), "0000-01-01T00:00:00.000000Z");
        assert_eq!(
            parse_rfc3339(&format_rfc3339(RFC3339_MIN_US)).unwrap(),
            RFC3339_MIN_US
        );
    }

    #[test]
    fn durations_parse() {
        assert_eq!(parse_duration_us("90s").unwrap(), 90 * US_PER_SEC);
        assert_eq!(parse_duration_us("2m").unwrap(), 120 * US_PER_SEC);
        assert_eq!(parse_duration_us("1h").unwrap(), 3600 * US_PER_SEC);
        assert_eq!(parse_duration_us("1h30m").unwrap(), 5400 * US_PER_SEC);
        assert_eq!(parse_duration_us("500ms").unwrap(), 500_000);
        assert_eq!(parse_duration_us("12").unwrap(), 12 * US_PER_SEC);
        for bad in ["", "abc", "5x", "m", "-3s", "1.2.3s"] {
            assert!(parse_duration_us(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn rfc3339_round_trip() {
        let us = 1_764_072_000_123_456;
        let text = format_rfc3339(us);
        assert_eq!(text, "2025-11-25T12:00:00.123456Z");
        assert_eq!(parse_rfc3339(&text).unwrap(), us);
        assert_eq!(
            parse_rfc3339("2025-11-25T13:00:00+01:00").unwrap(),
            1_764_072_000_000_000
        );
        assert!(parse_rfc3339("yesterday").is_err());
    }
}
