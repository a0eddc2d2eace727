//! The timeline benchmark's plain-text table and verdicts.

use std::fmt;

use super::{TimelineReport, Times};

/// The targets: a view's query, and start-up.
const QUERY_TARGET_MS: f64 = 10.0;
const STARTUP_TARGET_MS: f64 = 1000.0;

fn times(t: &Times) -> String {
    format!("{:.2} / {:.2}", t.p50_ms, t.p95_ms)
}

fn verdict(ok: bool) -> &'static str {
    if ok {
        "MET"
    } else {
        "NOT MET"
    }
}

impl fmt::Display for TimelineReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let g = &self.library;
        writeln!(
            f,
            "Timeline: {} cameras, {:.1} days; {} segment rows, {} events; vigil.db {:.0} MiB{}",
            g.camera_ids.len(),
            (g.to_us - g.from_us) as f64 / 86_400e6,
            g.segments,
            g.events,
            g.db_bytes as f64 / 1_048_576.0,
            g.made_in
                .map(|d| format!(" (generated in {:.1} s)", d.as_secs_f64()))
                .unwrap_or_default()
        )?;
        writeln!(
            f,
            "query time at {} px, ms p50 / p95 over random positions (samples in brackets)",
            self.width_px
        )?;
        writeln!(
            f,
            "  {:<7}{:>4}  {:>21}  {:>21}  {:>21}  {:>8} {:>8} {:>9}",
            "view",
            "cams",
            "timeline",
            "rows only",
            "naive (every row)",
            "ranges",
            "markers",
            "rows"
        )?;
        for v in &self.views {
            writeln!(
                f,
                "  {:<7}{:>4}  {:>15} ({:>3})  {:>15} ({:>3})  {:>15} ({:>3})  {:>8.1} {:>8.1} {:>9.0}",
                v.view,
                v.cameras,
                times(&v.timeline),
                v.timeline.samples,
                times(&v.rows_only),
                v.rows_only.samples,
                times(&v.naive),
                v.naive.samples,
                v.ranges,
                v.markers,
                v.naive_rows
            )?;
        }
        writeln!(
            f,
            "  timeline: Library::timeline (hourly summary for windows over 3 h); rows only: the\n  \
             same without the summary; naive: Library::segments over the window, every row;\n  \
             ranges, markers: returned per query (all cameras); rows: what the naive query returned"
        )?;
        writeln!(
            f,
            "the panel on the UI thread, every camera (data already read), ms p50 / p95"
        )?;
        writeln!(
            f,
            "  {:<7}{:>4}  {:>15}  {:>15}",
            "view", "cams", "frame", "tessellate"
        )?;
        for r in &self.frames {
            writeln!(
                f,
                "  {:<7}{:>4}  {:>15}  {:>15}",
                r.view,
                r.cameras,
                times(&r.show),
                times(&r.tessellate)
            )?;
        }
        let s = &self.startup;
        writeln!(f, "start-up")?;
        writeln!(
            f,
            "  Library::open                              {:>8.1} ms",
            s.open_ms
        )?;
        writeln!(
            f,
            "  then the first query (a day, every camera)   {:>8.1} ms",
            s.first_query_ms
        )?;
        if let Some(ms) = s.engine_start_ms {
            writeln!(
                f,
                "  Engine::start (after a crash)              {ms:>8.1} ms"
            )?;
        }
        if let Some(ms) = s.host_start_ms {
            writeln!(
                f,
                "  EngineHost::start (the desktop app)        {ms:>8.1} ms"
            )?;
        }
        let worst = self
            .views
            .iter()
            .map(|v| v.timeline.p95_ms)
            .fold(0.0, f64::max);
        writeln!(
            f,
            "target: timeline query under {QUERY_TARGET_MS} ms: {} (worst p95 {worst:.2} ms)",
            verdict(worst < QUERY_TARGET_MS)
        )?;
        let start = [
            Some(s.open_ms + s.first_query_ms),
            s.engine_start_ms,
            s.host_start_ms,
        ]
        .into_iter()
        .flatten()
        .fold(0.0, f64::max);
        writeln!(
            f,
            "target: start-up under 1 s: {} (slowest {start:.1} ms)",
            verdict(start < STARTUP_TARGET_MS)
        )
    }
}
