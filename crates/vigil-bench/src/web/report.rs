//! The web benchmark's table: live latency of the web viewer and of the minimal relay side by
//! side, then the targets and whether this run met them.

use std::fmt::{self, Display, Formatter};

use super::{Latency, WebReport};
use crate::report::{number, verdict};

/// Live latency targets (issue 11), ms.
pub const TARGET_P50_MS: f64 = 80.0;
pub const TARGET_P95_MS: f64 = 150.0;

/// A row: its label, how to compute it from one side's figures, decimals.
type Row = (&'static str, fn(&Latency) -> f64, usize);

const ROWS: [Row; 8] = [
    ("latency p50 (ms)", |l| l.percentile(50.0), 1),
    ("latency p95 (ms)", |l| l.percentile(95.0), 1),
    ("latency p99 (ms)", |l| l.percentile(99.0), 1),
    ("latency max (ms)", |l| l.percentile(100.0), 1),
    ("frames measured", |l| l.samples_ms.len() as f64, 0),
    (
        "frames presented per second",
        |l| l.presented as f64 / l.seconds,
        1,
    ),
    ("measured seconds", |l| l.seconds, 1),
    ("server CPU (% of one core)", |l| l.server_cpu_percent, 1),
];

impl Display for WebReport {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Live latency, {}: server reads a frame's fragment -> headless Chromium presents it",
            self.camera_url
        )?;
        writeln!(
            f,
            "(requestVideoFrameCallback time minus the server's stamp; same camera, one run, \
             {} alternating turns per side)",
            self.rounds
        )?;
        writeln!(
            f,
            "  {:<34}{:>18}{:>16}{:>14}",
            "", "Vigil live view", "minimal relay", "Vigil - relay"
        )?;
        for (label, value, decimals) in ROWS {
            let (v, r) = (value(&self.vigil), value(&self.relay));
            writeln!(
                f,
                "  {label:<34}{:>18}{:>16}{:>14}",
                number(v, decimals),
                number(r, decimals),
                number(v - r, decimals)
            )?;
        }
        writeln!(
            f,
            "  Vigil: HTTPS/WSS with a session, the live page's grid and status polling; relay: \
             plain ws://, one <video>. Server CPU includes recording the camera."
        )?;
        let (p50, p95) = (self.vigil.percentile(50.0), self.vigil.percentile(95.0));
        writeln!(
            f,
            "Target p50 < {TARGET_P50_MS} ms: {} ({})",
            verdict(p50 < TARGET_P50_MS),
            number(p50, 1)
        )?;
        writeln!(
            f,
            "Target p95 < {TARGET_P95_MS} ms: {} ({})",
            verdict(p95 < TARGET_P95_MS),
            number(p95, 1)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank_and_the_table_names_both_sides() {
        let l = Latency {
            samples_ms: (1..=100).rev().map(f64::from).collect(),
            presented: 100,
            seconds: 10.0,
            server_cpu_percent: 3.0,
        };
        assert_eq!(l.percentile(50.0), 50.0);
        assert_eq!(l.percentile(95.0), 95.0);
        assert_eq!(l.percentile(100.0), 100.0);
        assert!(Latency {
            samples_ms: vec![],
            ..l.clone()
        }
        .percentile(50.0)
        .is_nan());
        let text = WebReport {
            camera_url: "demo://".into(),
            rounds: 1,
            vigil: l.clone(),
            relay: l,
        }
        .to_string();
        assert!(text.contains("Vigil live view") && text.contains("minimal relay"));
        assert!(text.contains("Target p50 < 80 ms: MET (50.0)"), "{text}");
    }
}
