//! `vigil bench timeline`: the timeline query (`Library::timeline`) on a generated library of
//! 16 cameras × 30 days of 60 s segments (≈ 700 k rows), for views of a week, a day, an hour
//! and a minute at a given width, for all cameras and for one, at random positions — against,
//! in the same run, the same query without the hourly summary and the naive query
//! (`Library::segments` over the window, every row). And start-up on that library:
//! `Library::open` plus the first query, `Engine::start` and `EngineHost::start`.

mod frame;
mod generate;
mod report;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::BenchError;
pub use frame::FrameRow;
use generate::Rng;
pub use generate::{ensure, Generated, Spec};
use vigil_core::engine::{Engine, EngineOptions};
use vigil_core::host::EngineHost;
use vigil_core::library::{Library, LibraryError, SegmentQuery, TimelineQuery};
use vigil_core::model::time::US_PER_SEC;

/// A baseline cell stops taking samples after this long (at least 3 samples).
const BASELINE_BUDGET: Duration = Duration::from_secs(4);

#[derive(Debug, Clone)]
pub struct TimelineOptions {
    /// Holds the cached library (made once).
    pub work_dir: PathBuf,
    pub spec: Spec,
    /// Width of the timeline in pixels: one pixel is the merging resolution.
    pub width_px: u32,
    /// Random positions per view.
    pub samples: usize,
    /// Skip timing `Engine::start` / `EngineHost::start` (each on a copy of the library).
    pub skip_engine: bool,
}

/// Query times of one way of answering, ms.
#[derive(Debug, Clone, Copy, Default)]
pub struct Times {
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub samples: usize,
}

/// One view size and camera count.
#[derive(Debug, Clone)]
pub struct ViewRow {
    pub view: &'static str,
    pub span_us: i64,
    pub cameras: usize,
    pub timeline: Times,
    pub rows_only: Times,
    pub naive: Times,
    /// Mean ranges (both kinds) and event markers the timeline returned.
    pub ranges: f64,
    pub markers: f64,
    /// Mean segment rows the naive query returned.
    pub naive_rows: f64,
}

#[derive(Debug, Clone, Default)]
pub struct Startup {
    pub open_ms: f64,
    pub first_query_ms: f64,
    pub engine_start_ms: Option<f64>,
    pub host_start_ms: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct TimelineReport {
    pub library: Generated,
    pub width_px: u32,
    pub views: Vec<ViewRow>,
    /// The panel's UI-thread cost per frame at a week, a day and an hour.
    pub frames: Vec<FrameRow>,
    pub startup: Startup,
}

const VIEWS: [(&str, i64); 4] = [
    ("week", 7 * 86_400),
    ("day", 86_400),
    ("hour", 3600),
    ("minute", 60),
];

/// Runs the benchmark. `progress` receives a line before each step.
pub fn timeline(
    opts: &TimelineOptions,
    progress: &mut dyn FnMut(&str),
) -> Result<TimelineReport, BenchError> {
    if opts.spec.cameras == 0 || opts.spec.days < 8 || opts.width_px < 100 || opts.samples == 0 {
        return Err(BenchError::Failed(
            "need at least 1 camera, 8 days, 100 px and 1 sample".into(),
        ));
    }
    let generated = generate::ensure(&opts.work_dir, opts.spec, progress)?;
    progress("start-up: Library::open and the first query");
    let startup = startup(&generated, opts.width_px)?;
    let lib = Library::open(&generated.dir)?;
    let mut views = Vec::new();
    for (view, secs) in VIEWS {
        for cameras in [generated.camera_ids.len(), 1] {
            progress(&format!("{view} view, {cameras} camera(s)"));
            views.push(view_row(&lib, &generated, opts, view, secs, cameras)?);
        }
    }
    progress("the panel: UI frame and tessellation at a week, a day and an hour");
    let frames = frame::frames(&generated, opts.width_px)?;
    let mut startup = startup;
    if !opts.skip_engine {
        progress("start-up: Engine::start on a copy of the library");
        startup.engine_start_ms = Some(engine_start(&lib, &generated, false)?);
        progress("start-up: EngineHost::start (the desktop app) on a copy of the library");
        startup.host_start_ms = Some(engine_start(&lib, &generated, true)?);
    }
    Ok(TimelineReport {
        library: generated,
        width_px: opts.width_px,
        views,
        frames,
        startup,
    })
}

fn query(g: &Generated, cameras: usize, from_us: i64, span_us: i64, width: u32) -> TimelineQuery {
    TimelineQuery {
        camera_ids: g.camera_ids[..cameras.min(g.camera_ids.len())].to_vec(),
        from_us,
        to_us: from_us + span_us,
        min_gap_us: span_us / i64::from(width),
    }
}

fn view_row(
    lib: &Library,
    g: &Generated,
    opts: &TimelineOptions,
    view: &'static str,
    secs: i64,
    cameras: usize,
) -> Result<ViewRow, BenchError> {
    let span = secs * US_PER_SEC;
    let mut rng = Rng::new(secs as u64 * 31 + cameras as u64);
    let starts: Vec<i64> = (0..opts.samples)
        .map(|_| rng.range(g.from_us, g.to_us - span))
        .collect();
    // Warm the page cache the way a user scrolling around would.
    for &from in starts.iter().take(3) {
        lib.timeline(&query(g, cameras, from, span, opts.width_px))?;
    }
    let (mut ranges, mut markers) = (0usize, 0usize);
    let timeline = time_each(&starts, None, |from| {
        let t = lib.timeline(&query(g, cameras, from, span, opts.width_px))?;
        for c in &t.cameras {
            ranges += c.continuous.len() + c.event_clips.len();
            markers += c.events.len();
        }
        Ok(())
    })?;
    let rows_only = time_each(&starts, Some(BASELINE_BUDGET), |from| {
        lib.timeline_with(&query(g, cameras, from, span, opts.width_px), false)?;
        Ok(())
    })?;
    let mut naive_rows = 0usize;
    let one = (cameras == 1).then(|| g.camera_ids[0]);
    let naive = time_each(&starts, Some(BASELINE_BUDGET), |from| {
        let rows = lib.segments(&SegmentQuery {
            camera_id: one,
            from_us: Some(from),
            to_us: Some(from + span),
            kind: None,
        })?;
        naive_rows += rows.len();
        Ok(())
    })?;
    let n = timeline.samples.max(1) as f64;
    Ok(ViewRow {
        view,
        span_us: span,
        cameras,
        timeline,
        rows_only,
        naive,
        ranges: ranges as f64 / n,
        markers: markers as f64 / n,
        naive_rows: naive_rows as f64 / naive.samples.max(1) as f64,
    })
}

/// Times `f` at each start (stopping after `budget`, if given, once 3 are done).
fn time_each(
    starts: &[i64],
    budget: Option<Duration>,
    mut f: impl FnMut(i64) -> Result<(), LibraryError>,
) -> Result<Times, BenchError> {
    let began = Instant::now();
    let mut ms = Vec::with_capacity(starts.len());
    for &from in starts {
        let t = Instant::now();
        f(from)?;
        ms.push(t.elapsed().as_secs_f64() * 1000.0);
        if budget.is_some_and(|b| ms.len() >= 3 && began.elapsed() > b) {
            break;
        }
    }
    Ok(summarize(ms))
}

/// Median and 95th percentile of `ms`.
pub(crate) fn summarize(mut ms: Vec<f64>) -> Times {
    ms.sort_by(f64::total_cmp);
    if ms.is_empty() {
        return Times::default();
    }
    let pick = |q: f64| ms[((ms.len() - 1) as f64 * q).round() as usize];
    Times {
        p50_ms: pick(0.5),
        p95_ms: pick(0.95),
        samples: ms.len(),
    }
}

/// A fresh `Library::open` (its page cache empty; the OS's warm) and a day's view of every
/// camera at the library's end, as the app shows first.
fn startup(g: &Generated, width: u32) -> Result<Startup, BenchError> {
    let t = Instant::now();
    let lib = Library::open(&g.dir)?;
    let open_ms = t.elapsed().as_secs_f64() * 1000.0;
    let day = 86_400 * US_PER_SEC;
    let t = Instant::now();
    lib.timeline(&query(g, g.camera_ids.len(), g.to_us - day, day, width))?;
    Ok(Startup {
        open_ms,
        first_query_ms: t.elapsed().as_secs_f64() * 1000.0,
        ..Startup::default()
    })
}

/// Starts the engine (or the app's engine host) on a copy of the library left as by a crash
/// (one event still open and one journaled file per camera), returns how long the start took,
/// and shuts it down. The copy is removed after: the background reconciler drops its rows,
/// since the benchmark's segments have no files.
fn engine_start(lib: &Library, g: &Generated, host: bool) -> Result<f64, BenchError> {
    let parent = g.dir.parent().unwrap_or(&g.dir);
    let scratch = crate::scratch::dir(parent, "timeline-copy-")?;
    let copy = scratch.path();
    let db = copy.join("vigil.db");
    lib.conn()
        .execute("VACUUM INTO ?1", [db.to_string_lossy()])
        .map_err(LibraryError::from)?;
    start_on(copy, host)
}

fn start_on(copy: &std::path::Path, host: bool) -> Result<f64, BenchError> {
    {
        let crashed = Library::open(copy)?;
        crashed
            .conn()
            .execute_batch(
                "UPDATE events SET end_us = NULL
                   WHERE id IN (SELECT MAX(id) FROM events GROUP BY camera_id);
                 INSERT INTO open_segments (path, camera_id, kind, start_us)
                   SELECT 'recordings/' || name || '/lost.mp4', id, 'continuous', 0 FROM cameras;",
            )
            .map_err(LibraryError::from)?;
    }
    let opts = EngineOptions {
        min_free_bytes: Some(0),
        ..EngineOptions::new(copy.to_path_buf())
    };
    let t = Instant::now();
    let ms = if host {
        let h = EngineHost::start(opts)?;
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        h.shutdown();
        ms
    } else {
        let e = Engine::start(opts)?;
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        e.shutdown();
        ms
    };
    Ok(ms)
}
