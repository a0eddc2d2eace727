//! The motion search benchmark's table: each search cold and warm, with the OR filter and
//! without, the index's size, and the targets.

use std::fmt::{self, Display, Formatter};

use super::{Generated, MotionSearchReport, REGION};
use crate::report::verdict;

/// A week of 16 cameras, one region: under this, ms (warm and cold).
pub const TARGET_WEEK_MS: f64 = 200.0;
/// A year of one camera: under this, ms.
pub const TARGET_YEAR_MS: f64 = 1000.0;

fn index_line(f: &mut Formatter<'_>, g: &Generated) -> fmt::Result {
    writeln!(
        f,
        "  {} camera(s) x {} days: {} rows, database {:.1} MB = {:.1} kB per camera-day (rows' cells + frames {:.1} kB){}",
        g.cameras,
        g.days,
        g.rows,
        g.db_bytes as f64 / 1e6,
        g.bytes_per_camera_day() / 1e3,
        g.payload_bytes as f64 / (g.cameras as f64 * f64::from(g.days)) / 1e3,
        match (g.made_in, g.store_us_per_row) {
            (Some(t), Some(us)) => format!(
                "; made in {:.0} s, the writer's store {us:.0} us per camera-minute",
                t.as_secs_f64()
            ),
            _ => " (cached)".into(),
        }
    )
}

impl Display for MotionSearchReport {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Motion index (32x18 cells, 5 analysed frames/s, motion 20 % of the day-time and 5 % of the night in bursts of 2 s to 3 min):"
        )?;
        index_line(f, &self.week)?;
        index_line(f, &self.long)?;
        writeln!(
            f,
            "Search for motion in the region {},{},{},{} ({} cells), whole range; median of {} runs, cold = file dropped from the page cache + new connection",
            REGION.0, REGION.1, REGION.2, REGION.3, self.region_cells, self.runs
        )?;
        writeln!(
            f,
            "  {:<30}{:>12}{:>12}{:>16}{:>14}{:>8}",
            "(ms)", "cold", "warm", "no OR filter:", "", "hits"
        )?;
        writeln!(
            f,
            "  {:<30}{:>12}{:>12}{:>16}{:>14}",
            "", "", "", "cold", "warm"
        )?;
        for r in &self.rows {
            writeln!(
                f,
                "  {:<30}{:>12.1}{:>12.1}{:>16.1}{:>14.1}{:>8}",
                r.what,
                r.filtered.cold_ms,
                r.filtered.warm_ms,
                r.baseline.cold_ms,
                r.baseline.warm_ms,
                r.hits
            )?;
        }
        let worst = |i: usize| {
            self.rows
                .get(i)
                .map_or(f64::NAN, |r| r.filtered.cold_ms.max(r.filtered.warm_ms))
        };
        writeln!(
            f,
            "  target: a week of all cameras under {TARGET_WEEK_MS:.0} ms: {} ({:.1} ms); a year of one camera under {TARGET_YEAR_MS:.0} ms: {} ({:.1} ms)",
            verdict(worst(1) < TARGET_WEEK_MS),
            worst(1),
            verdict(worst(2) < TARGET_YEAR_MS),
            worst(2)
        )
    }
}
