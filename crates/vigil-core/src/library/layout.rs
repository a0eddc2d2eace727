//! Where recordings live on disk: `recordings/<folder>/<YYYY-MM-DD>/<HHMMSS.ffffff>-<kind>.mp4`
//! (UTC), relative to the data directory. The name carries the exact start time, so a file
//! found after a crash can be indexed without guessing. The folder is `cam-<id>`, after the
//! camera's row id, which never changes: a renamed camera keeps writing into its own folder
//! and a new camera given the old name never shares it. Libraries written before schema 4
//! have folders named after the camera; their rows keep those stored paths.

use std::path::Path;

use crate::model::time::to_datetime;
use crate::model::SegmentKind;

pub const RECORDINGS: &str = "recordings";

/// The folder (under [`RECORDINGS`]) a camera records into: `cam-<id>`.
pub fn camera_folder(camera_id: i64) -> String {
    format!("cam-{camera_id}")
}

/// The camera id a `cam-<id>` folder names; `None` for any other folder (e.g. one named
/// after a camera by an older Vigil).
pub fn folder_camera_id(folder: &str) -> Option<i64> {
    let digits = folder.strip_prefix("cam-")?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// The path, relative to the data directory, of a segment in `folder` (see
/// [`camera_folder`]) starting at `start_us`.
pub fn segment_rel_path(folder: &str, kind: SegmentKind, start_us: i64) -> String {
    let dt = to_datetime(start_us);
    let (date, t) = (dt.date(), dt.time());
    format!(
        "{RECORDINGS}/{folder}/{:04}-{:02}-{:02}/{:02}{:02}{:02}.{:06}-{}.mp4",
        date.year(),
        u8::from(date.month()),
        date.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.microsecond(),
        kind.as_str()
    )
}

/// What a segment's path says about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedPath {
    /// The folder under `recordings/` (see [`camera_folder`]).
    pub camera: String,
    pub kind: SegmentKind,
    pub start_us: i64,
}

/// Reads camera, kind and start time back from a relative segment path; `None` if the path
/// is not one Vigil writes.
pub fn parse_rel_path(rel: &str) -> Option<ParsedPath> {
    let mut parts = Path::new(rel).components().map(|c| c.as_os_str().to_str());
    if parts.next()?? != RECORDINGS {
        return None;
    }
    let camera = parts.next()??.to_string();
    let date = parts.next()??;
    let file = parts.next()??;
    if parts.next().is_some() {
        return None;
    }
    let stem = file.strip_suffix(".mp4")?;
    let (clock, kind) = stem.split_once('-')?;
    let kind = SegmentKind::parse(kind)?;
    let (hms, micros) = clock.split_once('.')?;
    // Only ASCII digits where digits belong: a name with other characters (say `2025-1é-2`,
    // whose byte length is right) is not one Vigil writes, and is never sliced mid-character.
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if hms.len() != 6 || micros.len() != 6 || !digits(hms) || !digits(micros) {
        return None;
    }
    let date_ok = date.len() == 10
        && date.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !date_ok {
        return None;
    }
    // Every byte is ASCII now, so these slices are on character boundaries.
    let num = |s: &str| s.parse::<i64>().ok();
    let (y, mo, d) = (num(&date[0..4])?, num(&date[5..7])?, num(&date[8..10])?);
    let (h, mi, s) = (num(&hms[0..2])?, num(&hms[2..4])?, num(&hms[4..6])?);
    let month = time::Month::try_from(u8::try_from(mo).ok()?).ok()?;
    let day = time::Date::from_calendar_date(i32::try_from(y).ok()?, month, u8::try_from(d).ok()?)
        .ok()?;
    let tod = time::Time::from_hms(
        u8::try_from(h).ok()?,
        u8::try_from(mi).ok()?,
        u8::try_from(s).ok()?,
    )
    .ok()?;
    let secs = day.with_time(tod).assume_utc().unix_timestamp();
    Some(ParsedPath {
        camera,
        kind,
        start_us: secs * 1_000_000 + num(micros)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_round_trips() {
        let us = 1_764_072_005_123_456;
        let rel = segment_rel_path("front", SegmentKind::Continuous, us);
        assert_eq!(
            rel,
            "recordings/front/2025-11-25/120005.123456-continuous.mp4"
        );
        let parsed = parse_rel_path(&rel).unwrap();
        assert_eq!(parsed.camera, "front");
        assert_eq!(parsed.kind, SegmentKind::Continuous);
        assert_eq!(parsed.start_us, us);
        assert!(parse_rel_path("recordings/front/notes.txt").is_none());
        assert!(parse_rel_path("recordings/front/2025-11-25/1200.mp4").is_none());
    }

    #[test]
    fn camera_folders_name_the_id() {
        assert_eq!(camera_folder(12), "cam-12");
        assert_eq!(folder_camera_id("cam-12"), Some(12));
        for other in ["front", "cam-", "cam-1a", "cam--1", "xcam-1"] {
            assert_eq!(folder_camera_id(other), None, "{other}");
        }
    }

    #[test]
    fn names_with_non_ascii_characters_are_not_recordings_and_do_not_panic() {
        for rel in [
            "recordings/front/2025-1é-2/120005.123456-continuous.mp4",
            "recordings/front/2025-11-25/12000é.12345-continuous.mp4",
            "recordings/front/2025-11-25/120005.1234é-continuous.mp4",
            "recordings/front/é025-11-2/120005.123456-continuous.mp4",
            "recordings/front/2025+11+25/120005.123456-continuous.mp4",
            "recordings/front/2025-11-25/+12005.123456-continuous.mp4",
            "recordings/front/2025-11-25/120005.-12345-continuous.mp4",
            "recordings/frönt/2025-11-25/120005.123456-évent.mp4",
        ] {
            assert_eq!(parse_rel_path(rel), None, "{rel}");
        }
        // A camera name is not sliced: any UTF-8 name parses.
        let rel = "recordings/frönt/2025-11-25/120005.123456-continuous.mp4";
        assert_eq!(parse_rel_path(rel).map(|p| p.camera), Some("frönt".into()));
    }
}
