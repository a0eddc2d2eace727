//! The timeline benchmark's library: N cameras × D days of continuous segments with a short
//! outage now and then, plus events (mostly motion in a zone, some door triggers and camera
//! alarms) each with its event clip and a 12 kB thumbnail, as the analyzer stores one.
//! Rows only, no files: inserted with prepared statements in one transaction (the schema's
//! triggers keep the hourly summary as the recorder's inserts would), and cached in the work
//! directory.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rusqlite::params;

use crate::BenchError;
use vigil_core::detect::{Polygon, ZoneKind, ZoneSpec};
use vigil_core::library::layout::segment_rel_path;
use vigil_core::library::Library;
use vigil_core::model::time::{now_us, US_PER_SEC};
use vigil_core::model::{CameraName, NewCamera, Policy, RecordMode, SegmentKind, Transport};

const DAY_US: i64 = 86_400 * US_PER_SEC;
/// An event's thumbnail, as the analyzer stores it (a 320-px JPEG at quality 80).
const THUMBNAIL_BYTES: i64 = 12_000;
/// 4 Mbit/s, what a 1080p camera sends.
const BYTES_PER_S: i64 = 500_000;

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    pub cameras: usize,
    pub days: u32,
    pub segment_s: u32,
    pub events_per_day: u32,
}

/// A generated (or cached) library.
#[derive(Debug, Clone)]
pub struct Generated {
    pub dir: PathBuf,
    pub camera_ids: Vec<i64>,
    pub from_us: i64,
    pub to_us: i64,
    pub segments: u64,
    pub events: u64,
    pub db_bytes: u64,
    /// How long making it took, if it was made in this run.
    pub made_in: Option<Duration>,
}

/// splitmix64: small, fast, good enough to scatter events.
pub(super) struct Rng(u64);

impl Rng {
    pub(super) fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub(super) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `[lo, hi)` (`lo` when the range is empty).
    pub(super) fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        lo + (self.next() % (hi - lo) as u64) as i64
    }
}

/// Opens the cached library for `spec` under `work_dir`, making it first if needed.
pub fn ensure(
    work_dir: &Path,
    spec: Spec,
    progress: &mut dyn FnMut(&str),
) -> Result<Generated, BenchError> {
    let dir = work_dir.join(format!(
        "timeline-{}cam-{}d-{}s-{}ev-v3",
        spec.cameras, spec.days, spec.segment_s, spec.events_per_day
    ));
    let done = dir.join("generated");
    if let Ok(text) = std::fs::read_to_string(&done) {
        let mut it = text
            .split_whitespace()
            .filter_map(|v| v.parse::<i64>().ok());
        if let (Some(from_us), Some(to_us)) = (it.next(), it.next()) {
            progress(&format!("library: cached in {}", dir.display()));
            return describe(&dir, from_us, to_us, None);
        }
    }
    // Made beside its place and moved there whole: a directory of this name is always
    // complete.
    let made = crate::scratch::dir(work_dir, "timeline.partial-")?;
    let to_us = now_us() / (60 * US_PER_SEC) * (60 * US_PER_SEC);
    let from_us = to_us - i64::from(spec.days) * DAY_US;
    progress(&format!(
        "library: generating {} cameras × {} days of {} s segments, {} events per camera \
         per day (once, then cached)",
        spec.cameras, spec.days, spec.segment_s, spec.events_per_day
    ));
    let started = Instant::now();
    fill(made.path(), spec, from_us, to_us)?;
    let made_in = started.elapsed();
    let marker = made.path().join("generated");
    std::fs::write(&marker, format!("{from_us} {to_us}\n"))
        .map_err(|e| BenchError::io(format!("cannot write {}", marker.display()), e))?;
    crate::scratch::publish(made, &dir)?;
    describe(&dir, from_us, to_us, Some(made_in))
}

fn describe(
    dir: &Path,
    from_us: i64,
    to_us: i64,
    made_in: Option<Duration>,
) -> Result<Generated, BenchError> {
    let lib = Library::open(dir)?;
    let camera_ids = lib.cameras()?.iter().map(|c| c.id).collect();
    let count = |sql: &str| -> Result<u64, BenchError> {
        let n: i64 = lib
            .conn()
            .query_row(sql, [], |r| r.get(0))
            .map_err(vigil_core::library::LibraryError::from)?;
        Ok(n.max(0) as u64)
    };
    let segments = count("SELECT COUNT(*) FROM segments")?;
    let events = count("SELECT COUNT(*) FROM events")?;
    let db_bytes = std::fs::metadata(dir.join("vigil.db")).map_or(0, |m| m.len());
    Ok(Generated {
        dir: dir.to_path_buf(),
        camera_ids,
        from_us,
        to_us,
        segments,
        events,
        db_bytes,
        made_in,
    })
}

fn fill(dir: &Path, spec: Spec, from_us: i64, to_us: i64) -> Result<(), BenchError> {
    let mut lib = Library::open(dir)?;
    let policy = Policy {
        mode: RecordMode::Both,
        segment_s: spec.segment_s,
        retain_days: 36_500.0,
        event_retain_days: 36_500.0,
        ..Policy::default()
    };
    let mut cams = Vec::new();
    for i in 0..spec.cameras {
        let name = format!("cam{:02}", i + 1);
        let cam = NewCamera {
            name: CameraName::parse(&name).map_err(|e| BenchError::Failed(e.0))?,
            // Nothing listens on the discard port: connecting fails at once.
            url: format!("rtsp://127.0.0.1:9/{name}"),
            detect_url: None,
            transport: Transport::Tcp,
            enabled: true,
            audio: false,
        };
        let id = lib.add_camera(&cam, &policy)?.id;
        let zone = ZoneSpec::new(0, "gate", ZoneKind::Detect, Polygon::full_frame());
        let zone_id = lib.add_zone(id, &zone)?.id;
        cams.push((id, name, zone_id));
    }
    let tx = lib
        .conn_mut()
        .transaction()
        .map_err(vigil_core::library::LibraryError::from)?;
    insert_rows(&tx, spec, &cams, from_us, to_us)
        .map_err(vigil_core::library::LibraryError::from)?;
    tx.commit()
        .map_err(vigil_core::library::LibraryError::from)?;
    Ok(())
}

fn insert_rows(
    tx: &rusqlite::Transaction<'_>,
    spec: Spec,
    cams: &[(i64, String, i64)],
    from_us: i64,
    to_us: i64,
) -> rusqlite::Result<()> {
    let mut segment = tx.prepare(
        "INSERT OR IGNORE INTO segments (camera_id, kind, start_us, end_us, path, bytes, codec,
             width, height, frames, event_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'h264', 1920, 1080, ?7, ?8)",
    )?;
    let mut event = tx.prepare(
        "INSERT INTO events (camera_id, source, label, zone_id, start_us, end_us, score, thumbnail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, zeroblob(?8))",
    )?;
    let seg_us = i64::from(spec.segment_s) * US_PER_SEC;
    for (i, (cam, name, zone)) in cams.iter().enumerate() {
        let mut rng = Rng::new(0x5EED + i as u64);
        // Continuous segments cut at 2 s keyframes; an outage of 1–30 min about once a day.
        let mut t = from_us + rng.range(0, 2 * US_PER_SEC);
        while t < to_us {
            let len = seg_us + 2 * US_PER_SEC * rng.range(0, 2);
            let end = (t + len).min(to_us);
            let rel = segment_rel_path(name, SegmentKind::Continuous, t);
            let bytes = (end - t) / US_PER_SEC * BYTES_PER_S + rng.range(0, 100_000);
            segment.execute(params![
                cam,
                "continuous",
                t,
                end,
                rel,
                bytes,
                (end - t) / 40_000,
                None::<i64>
            ])?;
            t = end;
            if rng.range(0, DAY_US / len.max(1)) == 0 {
                t += rng.range(60, 1800) * US_PER_SEC;
            }
        }
        // Events at random times, each with its clip (10 s before, 30 s after).
        let n = i64::from(spec.events_per_day) * (to_us - from_us) / DAY_US;
        let mut starts: Vec<i64> = (0..n)
            .map(|_| rng.range(from_us, to_us - DAY_US / 24))
            .collect();
        starts.sort_unstable();
        for start in starts {
            let end = start + rng.range(5, 90) * US_PER_SEC;
            let (source, label, zone_id) = match rng.range(0, 20) {
                0..=15 => ("motion", "motion", Some(*zone)),
                16..=18 => ("external", "door", None),
                _ => ("camera", "tamper", None),
            };
            event.execute(params![
                cam,
                source,
                label,
                zone_id,
                start,
                end,
                0.4,
                THUMBNAIL_BYTES
            ])?;
            let event_id = tx.last_insert_rowid();
            let (a, b) = (start - 10 * US_PER_SEC, end + 30 * US_PER_SEC);
            let rel = segment_rel_path(name, SegmentKind::Event, a);
            segment.execute(params![
                cam,
                "event",
                a,
                b,
                rel,
                (b - a) / US_PER_SEC * BYTES_PER_S,
                (b - a) / 40_000,
                Some(event_id)
            ])?;
        }
    }
    Ok(())
}
