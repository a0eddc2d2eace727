//! `vigil bench motion-search`: retroactive motion search (`search::search`) over a
//! generated motion index — a week of 16 cameras and a year of one camera, made by the
//! analyzer's minute builder and stored by the index writer — for one region, cold (the
//! database file dropped from the page cache, a fresh connection) and warm, side by side
//! with the same search without the per-minute OR filter (every row with motion read and
//! decoded), in the same run. Also the index's size per camera-day and the writer's cost.

mod generate;
mod report;

use std::path::{Path, PathBuf};
use std::time::Instant;

use super::BenchError;
pub use generate::Generated;
use vigil_core::jobs::JobContext;
use vigil_core::library::Library;
use vigil_core::search::{search_with, MotionQuery, RowFilter, SearchRegion, DEFAULT_MERGE_GAP_US};

/// The region searched: about a parked car's place in the picture (24 cells).
pub const REGION: (f32, f32, f32, f32) = (0.3, 0.55, 0.2, 0.2);

#[derive(Debug, Clone)]
pub struct MotionSearchOptions {
    /// Holds the cached indexes (made once).
    pub work_dir: PathBuf,
    pub cameras: usize,
    pub days: u32,
    /// Days of the one-camera long index (a year: 365).
    pub long_days: u32,
    /// Timed runs of each cell (cold and warm each).
    pub runs: usize,
}

/// Cold and warm times of one way, ms (median of the runs).
#[derive(Debug, Clone, Copy, Default)]
pub struct ColdWarm {
    pub cold_ms: f64,
    pub warm_ms: f64,
}

/// One search: over which index and cameras, with and without the OR filter.
#[derive(Debug, Clone)]
pub struct SearchRow {
    pub what: String,
    pub filtered: ColdWarm,
    pub baseline: ColdWarm,
    /// Hits found (the same both ways, checked).
    pub hits: usize,
}

#[derive(Debug, Clone)]
pub struct MotionSearchReport {
    pub week: Generated,
    pub long: Generated,
    pub region_cells: u32,
    pub rows: Vec<SearchRow>,
    pub runs: usize,
}

/// Runs the benchmark. `progress` receives a line before each step.
pub fn motion_search(
    opts: &MotionSearchOptions,
    progress: &mut dyn FnMut(&str),
) -> Result<MotionSearchReport, BenchError> {
    if opts.cameras == 0 || opts.days == 0 || opts.long_days == 0 || opts.runs == 0 {
        return Err(BenchError::Failed(
            "cameras, days and runs must be at least 1".into(),
        ));
    }
    let week = generate::ensure(&opts.work_dir, opts.cameras, opts.days, progress)?;
    let long = generate::ensure(&opts.work_dir, 1, opts.long_days, progress)?;
    let region = SearchRegion::Rect {
        x: REGION.0,
        y: REGION.1,
        w: REGION.2,
        h: REGION.3,
    };
    let region_cells = region.cells().map_err(|e| BenchError::Failed(e.0))?.count();
    let mut rows = Vec::new();
    let cases = [
        (format!("{} days, one camera", week.days), &week, 1),
        (
            format!("{} days, all {} cameras", week.days, week.cameras),
            &week,
            week.cameras,
        ),
        (format!("{} days, one camera", long.days), &long, 1),
    ];
    for (what, index, cameras) in cases {
        progress(&format!("searching {what}"));
        let ids = &index.camera_ids[..cameras.min(index.camera_ids.len())];
        let (filtered, hits) = time_both(index, ids, &region, RowFilter::OrMask, opts.runs)?;
        let (baseline, base_hits) = time_both(index, ids, &region, RowFilter::Off, opts.runs)?;
        if hits != base_hits {
            return Err(BenchError::Failed(format!(
                "{what}: {hits} hits with the OR filter, {base_hits} without"
            )));
        }
        rows.push(SearchRow {
            what,
            filtered,
            baseline,
            hits,
        });
    }
    Ok(MotionSearchReport {
        week,
        long,
        region_cells,
        rows,
        runs: opts.runs,
    })
}

/// Cold and warm medians of searching `ids` one after the other; the hits found.
fn time_both(
    index: &Generated,
    ids: &[i64],
    region: &SearchRegion,
    filter: RowFilter,
    runs: usize,
) -> Result<(ColdWarm, usize), BenchError> {
    let (mut cold, mut warm, mut hits) = (Vec::new(), Vec::new(), 0);
    for _ in 0..runs {
        evict(&index.dir.join("vigil.db"))?;
        let lib = Library::open(&index.dir)?;
        let (ms, n) = search_all(&lib, index, ids, region, filter)?;
        cold.push(ms);
        hits = n;
        warm.push(search_all(&lib, index, ids, region, filter)?.0);
    }
    Ok((
        ColdWarm {
            cold_ms: median(cold),
            warm_ms: median(warm),
        },
        hits,
    ))
}

fn search_all(
    lib: &Library,
    index: &Generated,
    ids: &[i64],
    region: &SearchRegion,
    filter: RowFilter,
) -> Result<(f64, usize), BenchError> {
    let t0 = Instant::now();
    let mut hits = 0;
    for &camera_id in ids {
        let query = MotionQuery {
            camera_id,
            region: region.clone(),
            from_us: index.from_us,
            to_us: index.to_us,
            min_duration_us: 0,
            merge_gap_us: DEFAULT_MERGE_GAP_US,
        };
        let found = search_with(lib, &query, &JobContext::default(), filter)
            .map_err(|e| BenchError::Failed(e.to_string()))?;
        hits += found.hits.len();
    }
    Ok((t0.elapsed().as_secs_f64() * 1000.0, hits))
}

/// Drops a file's pages from the page cache (clean pages; the index is not written while
/// the benchmark reads it), so the next read comes from the disk.
fn evict(path: &Path) -> Result<(), BenchError> {
    let file = std::fs::File::open(path).map_err(|e| BenchError::io("opening the index", e))?;
    // SAFETY: advice on an open descriptor; no memory is touched.
    let rc = unsafe {
        libc::posix_fadvise(
            std::os::fd::AsRawFd::as_raw_fd(&file),
            0,
            0,
            libc::POSIX_FADV_DONTNEED,
        )
    };
    if rc != 0 {
        return Err(BenchError::io(
            "dropping the index from the page cache",
            std::io::Error::from_raw_os_error(rc),
        ));
    }
    Ok(())
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}
