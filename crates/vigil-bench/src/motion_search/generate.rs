//! The motion search benchmark's index: N cameras × D days of camera-minutes made by the
//! analyzer's own [`MinuteBuilder`] from a synthetic but realistic scene, stored by the
//! index writer's own [`Library::store_motion_minutes`], cached in the work directory.
//!
//! The scene: motion in bursts of 2 s to 3 min (log-uniform), 20 % of the time by day
//! (07:00–19:00 UTC) and 5 % by night; each burst one object of 3–8 × 2–5 cells (1–7 % of
//! the grid) crossing the picture in a straight line at 5 analysed frames a second.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::BenchError;
use vigil_core::analyze::index::MinuteBuilder;
use vigil_core::detect::cells::{CellMask, GRID_H, GRID_W};
use vigil_core::library::motion_index::MotionMinute;
use vigil_core::library::Library;
use vigil_core::model::{CameraName, NewCamera, Policy, Transport};

const DAY_S: i64 = 86_400;
/// 2025-12-01T00:00:00Z: where the generated index starts.
pub const START_US: i64 = 1_764_547_200_000_000;
/// Analysed frames per second.
const FPS: i64 = 5;
/// Minutes per write transaction (the writer's own batches are up to 64).
const BATCH: usize = 1440;

/// A generated (or cached) index.
#[derive(Debug, Clone)]
pub struct Generated {
    pub dir: PathBuf,
    pub cameras: usize,
    pub days: u32,
    pub camera_ids: Vec<i64>,
    pub from_us: i64,
    pub to_us: i64,
    pub rows: u64,
    /// Bytes of the rows' cells and frames, and of the database file.
    pub payload_bytes: u64,
    pub db_bytes: u64,
    /// How long making it took and the writer's share of that, if made in this run.
    pub made_in: Option<Duration>,
    pub store_us_per_row: Option<f64>,
}

impl Generated {
    /// The database file's bytes per camera-day.
    pub fn bytes_per_camera_day(&self) -> f64 {
        self.db_bytes as f64 / (self.cameras as f64 * f64::from(self.days))
    }
}

/// splitmix64.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }
}

/// One burst of motion: an object crossing the grid.
struct Burst {
    start_s: f64,
    end_s: f64,
    size: (f64, f64),
    from: (f64, f64),
    to: (f64, f64),
}

impl Burst {
    fn cells_at(&self, t: f64) -> CellMask {
        let k = ((t - self.start_s) / (self.end_s - self.start_s)).clamp(0.0, 1.0);
        let x = self.from.0 + (self.to.0 - self.from.0) * k;
        let y = self.from.1 + (self.to.1 - self.from.1) * k;
        let mut m = CellMask::EMPTY;
        let (x0, y0) = (x.floor().max(0.0) as usize, y.floor().max(0.0) as usize);
        let x1 = ((x + self.size.0).ceil() as usize).min(GRID_W);
        let y1 = ((y + self.size.1).ceil() as usize).min(GRID_H);
        for cy in y0..y1 {
            for cx in x0..x1 {
                m.set(cy * GRID_W + cx);
            }
        }
        m
    }
}

/// The next burst after `t` seconds: a quiet gap drawn for the target density of the hour,
/// then a burst of 2 s to 3 min.
fn next_burst(rng: &mut Rng, t: f64) -> Burst {
    let hour = (t as i64).rem_euclid(DAY_S) / 3600;
    let share = if (7..19).contains(&hour) { 0.20 } else { 0.05 };
    // Mean of log-uniform(2, 180): (180 - 2) / ln 90 ≈ 39.6 s.
    let mean_quiet = 39.6 * (1.0 - share) / share;
    let start_s = t + rng.range(0.0, 2.0 * mean_quiet);
    let len = (2.0f64.ln() + rng.unit() * 90.0f64.ln()).exp();
    let size = (rng.range(3.0, 9.0).floor(), rng.range(2.0, 6.0).floor());
    let (gw, gh) = (GRID_W as f64, GRID_H as f64);
    let side = |rng: &mut Rng| (rng.range(-size.0, gw), rng.range(-size.1, gh));
    Burst {
        start_s,
        end_s: start_s + len,
        size,
        from: side(rng),
        to: side(rng),
    }
}

/// Opens the cached index of `cameras` × `days`, making it first if needed.
pub fn ensure(
    work_dir: &Path,
    cameras: usize,
    days: u32,
    progress: &mut dyn FnMut(&str),
) -> Result<Generated, BenchError> {
    let dir = work_dir.join(format!("motion-index-{cameras}x{days}d-v2"));
    let done = dir.join("complete");
    let mut made = None;
    if !done.exists() {
        // Made beside its place and moved there whole: a directory of this name is always
        // complete.
        let scratch = crate::scratch::dir(work_dir, "motion-index.partial-")?;
        progress(&format!(
            "generating the motion index of {cameras} camera(s) × {days} days (once, then cached)"
        ));
        let t0 = Instant::now();
        let store = make(scratch.path(), cameras, days, progress)?;
        made = Some((t0.elapsed(), store));
        std::fs::write(scratch.path().join("complete"), b"ok")
            .map_err(|e| BenchError::io("marking the index made", e))?;
        crate::scratch::publish(scratch, &dir)?;
    }
    let lib = Library::open(&dir)?;
    let camera_ids: Vec<i64> = lib.cameras()?.iter().map(|c| c.id).collect();
    let (rows, payload): (i64, i64) = lib
        .conn()
        .query_row(
            "SELECT COUNT(*), COALESCE(SUM(LENGTH(cells) + LENGTH(frames)), 0) FROM motion_index",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map_err(vigil_core::library::LibraryError::from)?;
    let db_bytes = std::fs::metadata(dir.join("vigil.db")).map_or(0, |m| m.len());
    Ok(Generated {
        dir,
        cameras,
        days,
        camera_ids,
        from_us: START_US,
        to_us: START_US + i64::from(days) * DAY_S * 1_000_000,
        rows: rows as u64,
        payload_bytes: payload as u64,
        db_bytes,
        made_in: made.map(|m| m.0),
        store_us_per_row: made.map(|m| m.1),
    })
}

/// Makes the index; answers the writer's time per row, µs.
fn make(
    dir: &Path,
    cameras: usize,
    days: u32,
    progress: &mut dyn FnMut(&str),
) -> Result<f64, BenchError> {
    let mut lib = Library::open(dir)?;
    let (mut stored, mut rows) = (Duration::ZERO, 0u64);
    for c in 0..cameras {
        let cam = NewCamera {
            name: CameraName::parse(&format!("cam{c:02}")).map_err(|e| BenchError::Failed(e.0))?,
            url: format!("rtsp://10.0.0.{}/main", c + 10),
            detect_url: None,
            transport: Transport::Tcp,
            enabled: true,
            audio: false,
        };
        let id = lib.add_camera(&cam, &Policy::default())?.id;
        progress(&format!("camera {}/{cameras}", c + 1));
        let mut rng = Rng(0x5EED + c as u64);
        let mut builder = MinuteBuilder::new(id);
        let mut batch: Vec<MotionMinute> = Vec::with_capacity(BATCH);
        let mut burst = next_burst(&mut rng, 0.0);
        let end_s = i64::from(days) * DAY_S;
        let mut flush = |batch: &mut Vec<MotionMinute>, lib: &mut Library| {
            let t0 = Instant::now();
            let r = lib.store_motion_minutes(batch);
            stored += t0.elapsed();
            rows += batch.len() as u64;
            batch.clear();
            r
        };
        for frame in 0..end_s * FPS {
            let t = frame as f64 / FPS as f64;
            while t >= burst.end_s {
                burst = next_burst(&mut rng, burst.end_s);
            }
            let cells = if t >= burst.start_s {
                burst.cells_at(t)
            } else if frame % (60 * FPS) == 0 {
                CellMask::EMPTY
            } else {
                // A quiet frame changes nothing in the minute (its row exists already).
                continue;
            };
            let at_us = START_US + frame * (1_000_000 / FPS);
            if let Some(done) = builder.push(at_us, &cells) {
                batch.push(done);
                if batch.len() == BATCH {
                    flush(&mut batch, &mut lib)?;
                }
            }
        }
        batch.extend(builder.take());
        flush(&mut batch, &mut lib)?;
    }
    lib.truncate_log()?;
    Ok(stored.as_secs_f64() * 1e6 / rows.max(1) as f64)
}
