//! Times on screen: the library stores UTC microseconds; the operator reads their own local
//! time. The offset comes from the C library for each instant (`localtime_r`, thread-safe,
//! daylight saving included), so no process-wide "local offset" is assumed.

use time::{OffsetDateTime, UtcOffset};

/// The local UTC offset in effect at `us` (UTC µs); UTC if it cannot be known.
pub fn offset_at(us: i64) -> UtcOffset {
    let secs = us.div_euclid(1_000_000) as libc::time_t;
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    // SAFETY: `localtime_r` only writes into `tm`, which lives for the call.
    let ok = unsafe { !libc::localtime_r(&secs, &mut tm).is_null() };
    if !ok {
        return UtcOffset::UTC;
    }
    UtcOffset::from_whole_seconds(tm.tm_gmtoff as i32).unwrap_or(UtcOffset::UTC)
}

/// `us` (UTC µs) as a local date and time.
pub fn local(us: i64) -> OffsetDateTime {
    let utc = OffsetDateTime::from_unix_timestamp_nanos(i128::from(us) * 1000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH);
    utc.to_offset(offset_at(us))
}

/// "2026-11-25 03:12:45" in local time.
pub fn date_time(us: i64) -> String {
    let t = local(us);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// "03:12:45" in local time.
pub fn clock(us: i64) -> String {
    let t = local(us);
    format!("{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second())
}

/// "12 s", "4 min 05 s", "1 h 02 min".
pub fn duration(us: i64) -> String {
    let s = us.max(0) / 1_000_000;
    match s {
        0..60 => format!("{s} s"),
        60..3600 => format!("{} min {:02} s", s / 60, s % 60),
        _ => format!("{} h {:02} min", s / 3600, (s % 3600) / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_time_uses_the_offset_of_the_instant() {
        let us = 1_764_040_365_000_000; // 2025-11-25T03:12:45Z
        let off = offset_at(us);
        let t = local(us);
        assert_eq!(t.offset(), off);
        assert_eq!(t.unix_timestamp(), us / 1_000_000);
        assert_eq!(date_time(us).len(), "2025-11-25 03:12:45".len());
        assert_eq!(duration(12_400_000), "12 s");
        assert_eq!(duration(245_000_000), "4 min 05 s");
        assert_eq!(duration(3_720_000_000), "1 h 02 min");
    }
}
