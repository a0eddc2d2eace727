//! The seek benchmark's figures and table: latency percentiles per way of seeking, the
//! ffmpeg baseline, how close ffmpeg's pictures are to Vigil's, and the target verdict.

use std::fmt::{self, Display, Formatter};

use super::{SIZES, TARGET_P95_MS};
use crate::media::TestMedia;

/// One way of seeking and how long each seek took, ms.
#[derive(Debug, Clone)]
pub struct Latencies {
    pub label: String,
    pub ms: Vec<f64>,
}

impl Latencies {
    pub fn new(label: String, mut ms: Vec<f64>) -> Self {
        ms.sort_by(f64::total_cmp);
        Self { label, ms }
    }

    /// The `q` quantile (0..=1), nearest rank; NaN when empty.
    pub fn quantile(&self, q: f64) -> f64 {
        if self.ms.is_empty() {
            return f64::NAN;
        }
        let rank = (q * self.ms.len() as f64).ceil().max(1.0) as usize;
        self.ms[rank.min(self.ms.len()) - 1]
    }

    pub fn mean(&self) -> f64 {
        self.ms.iter().sum::<f64>() / self.ms.len().max(1) as f64
    }
}

/// Everything `vigil bench seek` measured; `Display` prints the table.
#[derive(Debug, Clone)]
pub struct SeekReport {
    pub media: TestMedia,
    pub segments: usize,
    pub segment_s: u32,
    /// Vigil's ways of seeking.
    pub rows: Vec<Latencies>,
    /// The ffmpeg baseline, one per size.
    pub baseline: Vec<Latencies>,
    /// Mean absolute difference per byte between ffmpeg's picture and Vigil's, per seek.
    pub diffs: Vec<f64>,
}

impl SeekReport {
    pub fn new(media: TestMedia, segments: usize, segment_s: u32, rows: Vec<Latencies>) -> Self {
        Self {
            media,
            segments,
            segment_s,
            rows,
            baseline: Vec::new(),
            diffs: Vec::new(),
        }
    }

    pub fn add_baseline(&mut self, times: Latencies, diffs: Vec<f64>) {
        self.baseline.push(times);
        self.diffs.extend(diffs);
    }

    /// The rows the target applies to: full-size pictures, cold and through the player.
    fn judged(&self) -> impl Iterator<Item = &Latencies> {
        let full = format!("{}x{}", SIZES[0].0, SIZES[0].1);
        self.rows
            .iter()
            .filter(move |r| r.label.ends_with(&full) && !r.label.starts_with("warm"))
    }

    /// The worst p95 of the judged rows, ms.
    pub fn worst_p95(&self) -> f64 {
        self.judged()
            .map(|r| r.quantile(0.95))
            .fold(f64::NAN, f64::max)
    }

    pub fn met(&self) -> bool {
        self.worst_p95() < TARGET_P95_MS
    }
}

impl Display for SeekReport {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let m = &self.media;
        writeln!(
            f,
            "test video: {} ({} {}x{}, {:.1} s, {:.2} Mbit/s, keyframe every 2 s)",
            m.path.display(),
            m.codec,
            m.width,
            m.height,
            m.duration_s,
            m.bitrate_bps / 1e6
        )?;
        writeln!(
            f,
            "as {} fMP4 segments of {} s written by the recorder's segment writer\n",
            self.segments, self.segment_s
        )?;
        writeln!(
            f,
            "Random seeks, request -> decoded RGBA picture (ms)       seeks     p50     p95     max    mean"
        )?;
        for r in self.rows.iter().chain(&self.baseline) {
            writeln!(
                f,
                "  {:<54}{:>6}{:>8.1}{:>8.1}{:>8.1}{:>8.1}",
                r.label,
                r.ms.len(),
                r.quantile(0.5),
                r.quantile(0.95),
                r.quantile(1.0),
                r.mean()
            )?;
        }
        if !self.diffs.is_empty() {
            let max = self.diffs.iter().copied().fold(f64::NAN, f64::max);
            let mean = self.diffs.iter().sum::<f64>() / self.diffs.len() as f64;
            writeln!(
                f,
                "ffmpeg's picture of the same frame vs Vigil's: mean abs difference per byte {mean:.2} (worst {max:.2})"
            )?;
        }
        writeln!(
            f,
            "target: p95 under {TARGET_P95_MS:.0} ms (1920x1080, cold and through the player): {} (worst p95 {:.1} ms)",
            if self.met() { "MET" } else { "NOT MET" },
            self.worst_p95()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_are_nearest_rank() {
        let l = Latencies::new("x".into(), (1..=100).rev().map(f64::from).collect());
        assert_eq!(l.quantile(0.5), 50.0);
        assert_eq!(l.quantile(0.95), 95.0);
        assert_eq!(l.quantile(1.0), 100.0);
        assert_eq!(l.quantile(0.0), 1.0);
        assert!((l.mean() - 50.5).abs() < 1e-9);
        assert!(Latencies::new("e".into(), vec![]).quantile(0.5).is_nan());
    }
}
