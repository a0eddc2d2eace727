//! Times on screen: the library stores UTC microseconds; the operator reads their own local
//! time, written the way their language writes dates (`2026-12-04 15:05:07` in English,
//! `2026년 12월 4일 (금) 오후 3:05:07` in Korean). The offset comes from the C library for
//! each instant (`localtime_r`, thread-safe, daylight saving included), so no process-wide
//! "local offset" is assumed. Each format has a pure `…_in(language, …)` form for tests;
//! the date patterns are locale data kept here (a new language adds its arm to each).

use crate::i18n::{language, Language};
use time::{OffsetDateTime, UtcOffset, Weekday};

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

/// A date and time to the second in local time: "2026-11-25 03:12:45" /
/// "2026년 11월 25일 (수) 오전 3:12:45".
pub fn date_time(us: i64) -> String {
    date_time_in(language(), local(us))
}

/// A date and time to the minute: "Fri 4 Dec 2026 15:05" / "2026년 12월 4일 (금) 오후 3:05".
pub fn long_date(us: i64) -> String {
    long_date_in(language(), local(us))
}

/// The time of day in local time: "15:05:07" / "오후 3:05:07".
pub fn clock(us: i64) -> String {
    clock_in(language(), local(us), true)
}

/// A length of time: "12 s", "4 min 05 s", "1 h 02 min" / "12초", "4분 05초", "1시간 02분".
pub fn duration(us: i64) -> String {
    duration_in(language(), us)
}

/// A short day for a timeline tick (`t` already local): "Fri 4 Dec" / "12월 4일 (금)".
pub fn day_label(t: OffsetDateTime) -> String {
    day_label_in(language(), t)
}

/// A window length in round figures: "45 s", "12 min", "3.0 h", "2.5 days" /
/// "45초", "12분", "3.0시간", "2.5일".
pub fn span(us: i64) -> String {
    span_in(language(), us)
}

/// "20261125-031245" in local time, the same in every language (file names).
pub fn file_stamp(us: i64) -> String {
    let t = local(us);
    format!(
        "{:04}{:02}{:02}-{:02}{:02}{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

pub fn date_time_in(lang: Language, t: OffsetDateTime) -> String {
    match lang {
        Language::English => format!(
            "{:04}-{:02}-{:02} {}",
            t.year(),
            u8::from(t.month()),
            t.day(),
            clock_in(lang, t, true)
        ),
        Language::Korean => format!("{} {}", korean_date(t), clock_in(lang, t, true)),
    }
}

pub fn long_date_in(lang: Language, t: OffsetDateTime) -> String {
    match lang {
        Language::English => format!(
            "{} {} {} {} {}",
            weekday_in(lang, t.weekday()),
            t.day(),
            english_month(t),
            t.year(),
            clock_in(lang, t, false)
        ),
        Language::Korean => format!("{} {}", korean_date(t), clock_in(lang, t, false)),
    }
}

/// The time of day, with or without seconds: 24-hour in English, 오전/오후 and 12-hour in
/// Korean.
pub fn clock_in(lang: Language, t: OffsetDateTime, seconds: bool) -> String {
    let (h, m, s) = (t.hour(), t.minute(), t.second());
    let secs = if seconds {
        format!(":{s:02}")
    } else {
        String::new()
    };
    match lang {
        Language::English => format!("{h:02}:{m:02}{secs}"),
        Language::Korean => {
            let half = if h < 12 { "오전" } else { "오후" }; // i18n-ignore: locale data
            let h12 = if h % 12 == 0 { 12 } else { h % 12 };
            format!("{half} {h12}:{m:02}{secs}")
        }
    }
}

pub fn duration_in(lang: Language, us: i64) -> String {
    let s = us.max(0) / 1_000_000;
    let (h, m) = (s / 3600, (s % 3600) / 60);
    match (lang, s) {
        (Language::English, 0..60) => format!("{s} s"),
        (Language::English, 60..3600) => format!("{m} min {:02} s", s % 60), // i18n-ignore: locale data
        (Language::English, _) => format!("{h} h {m:02} min"), // i18n-ignore: locale data
        (Language::Korean, 0..60) => format!("{s}초"),
        (Language::Korean, 60..3600) => format!("{m}분 {:02}초", s % 60),
        (Language::Korean, _) => format!("{h}시간 {m:02}분"), // i18n-ignore: locale data
    }
}

pub fn day_label_in(lang: Language, t: OffsetDateTime) -> String {
    match lang {
        Language::English => format!(
            "{} {} {}",
            weekday_in(lang, t.weekday()),
            t.day(),
            english_month(t)
        ),
        Language::Korean => format!(
            "{}월 {}일 ({})",
            u8::from(t.month()),
            t.day(),
            weekday_in(lang, t.weekday())
        ),
    }
}

pub fn span_in(lang: Language, us: i64) -> String {
    let s = us as f64 / 1e6;
    let (value, unit) = if s < 120.0 {
        (format!("{s:.0}"), 0)
    } else if s < 7200.0 {
        (format!("{:.0}", s / 60.0), 1)
    } else if s < 2.0 * 86_400.0 {
        (format!("{:.1}", s / 3600.0), 2)
    } else {
        (format!("{:.1}", s / 86_400.0), 3)
    };
    let units: [&str; 4] = match lang {
        Language::English => [" s", " min", " h", " days"], // i18n-ignore: locale data
        Language::Korean => ["초", "분", "시간", "일"],     // i18n-ignore: locale data
    };
    format!("{value}{}", units[unit])
}

/// "2026년 12월 4일 (금)".
fn korean_date(t: OffsetDateTime) -> String {
    format!(
        "{}년 {}월 {}일 ({})",
        t.year(),
        u8::from(t.month()),
        t.day(),
        weekday_in(Language::Korean, t.weekday())
    )
}

/// "Fri" / "금".
pub fn weekday_in(lang: Language, day: Weekday) -> &'static str {
    let i = usize::from(day.number_days_from_monday());
    match lang {
        Language::English => ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][i],
        Language::Korean => ["월", "화", "수", "목", "금", "토", "일"][i],
    }
}

/// "Dec".
fn english_month(t: OffsetDateTime) -> &'static str {
    let names = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    names[usize::from(u8::from(t.month()) - 1)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use Language::{English, Korean};

    /// 2026-12-04 15:05:07 UTC, a Friday.
    fn friday_afternoon() -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp(1_796_396_707).unwrap()
    }

    fn at(hour: u8, minute: u8) -> OffsetDateTime {
        friday_afternoon()
            .replace_hour(hour)
            .unwrap()
            .replace_minute(minute)
            .unwrap()
    }

    #[test]
    fn local_time_uses_the_offset_of_the_instant() {
        let us = 1_764_040_365_000_000; // 2025-11-25T03:12:45Z
        let off = offset_at(us);
        let t = local(us);
        assert_eq!(t.offset(), off);
        assert_eq!(t.unix_timestamp(), us / 1_000_000);
        assert_eq!(date_time_in(English, t).len(), "2025-11-25 03:12:45".len());
        assert_eq!(file_stamp(us).len(), "20251125-031245".len());
    }

    #[test]
    fn english_keeps_its_formats() {
        let t = friday_afternoon();
        assert_eq!(date_time_in(English, t), "2026-12-04 15:05:07");
        assert_eq!(long_date_in(English, t), "Fri 4 Dec 2026 15:05");
        assert_eq!(clock_in(English, t, true), "15:05:07");
        assert_eq!(day_label_in(English, t), "Fri 4 Dec");
        assert_eq!(duration_in(English, 12_400_000), "12 s");
        assert_eq!(duration_in(English, 245_000_000), "4 min 05 s");
        assert_eq!(duration_in(English, 3_720_000_000), "1 h 02 min");
        assert_eq!(span_in(English, 45_000_000), "45 s");
        assert_eq!(span_in(English, 720_000_000), "12 min");
        assert_eq!(span_in(English, 3 * 3_600_000_000), "3.0 h");
        assert_eq!(span_in(English, 216_000_000_000), "2.5 days");
    }

    #[test]
    fn korean_writes_dates_as_a_korean_client_does() {
        let t = friday_afternoon();
        assert_eq!(long_date_in(Korean, t), "2026년 12월 4일 (금) 오후 3:05");
        assert_eq!(date_time_in(Korean, t), "2026년 12월 4일 (금) 오후 3:05:07");
        assert_eq!(clock_in(Korean, t, true), "오후 3:05:07");
        assert_eq!(day_label_in(Korean, t), "12월 4일 (금)");
        assert_eq!(duration_in(Korean, 12_400_000), "12초");
        assert_eq!(duration_in(Korean, 245_000_000), "4분 05초");
        assert_eq!(duration_in(Korean, 3_720_000_000), "1시간 02분");
        assert_eq!(duration_in(Korean, -5), "0초");
        assert_eq!(span_in(Korean, 45_000_000), "45초");
        assert_eq!(span_in(Korean, 720_000_000), "12분");
        assert_eq!(span_in(Korean, 3 * 3_600_000_000), "3.0시간");
        assert_eq!(span_in(Korean, 216_000_000_000), "2.5일");
    }

    #[test]
    fn korean_clocks_count_twelve_hours_from_midnight_and_noon() {
        assert_eq!(clock_in(Korean, at(0, 5), false), "오전 12:05");
        assert_eq!(clock_in(Korean, at(9, 30), false), "오전 9:30");
        assert_eq!(clock_in(Korean, at(12, 0), false), "오후 12:00");
        assert_eq!(clock_in(Korean, at(23, 59), false), "오후 11:59");
        let weekdays: Vec<_> = (0..7)
            .map(|d| weekday_in(Korean, Weekday::Monday.nth_next(d)))
            .collect();
        assert_eq!(weekdays, ["월", "화", "수", "목", "금", "토", "일"]);
    }
}
