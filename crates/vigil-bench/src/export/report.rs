//! The export benchmark's table: each way's median wall and CPU time, its spread, and what
//! its output holds, so that the same range is seen to be exported by all.

use std::fmt::{self, Display, Formatter};

use super::{ExportBenchReport, Way, WayFigures};

impl Way {
    pub fn label(self) -> &'static str {
        match self {
            Way::VigilApi => "Vigil export (engine API, in process)",
            Way::VigilCli => "vigil export (CLI process)",
            Way::FfmpegSeek => "ffmpeg -ss -c copy, original file",
            Way::FfmpegSeekFaststart => "  same, -movflags +faststart",
            Way::FfmpegConcat => "ffmpeg -f concat, segments, +faststart",
        }
    }
}

/// The median of `v` (NaN when empty).
pub fn median(v: &[f64]) -> f64 {
    let mut s: Vec<f64> = v.iter().copied().filter(|x| !x.is_nan()).collect();
    if s.is_empty() {
        return f64::NAN;
    }
    s.sort_by(f64::total_cmp);
    let n = s.len();
    if n % 2 == 1 {
        s[n / 2]
    } else {
        (s[n / 2 - 1] + s[n / 2]) / 2.0
    }
}

fn spread(v: &[f64]) -> (f64, f64) {
    let min = v.iter().copied().fold(f64::INFINITY, f64::min);
    let max = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    (min * 1e3, max * 1e3)
}

impl Display for ExportBenchReport {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let (m, o) = (&self.media, &self.opts);
        writeln!(
            f,
            "test video: {} ({} {}x{}, {:.1} s, {:.2} Mbit/s), cut into {} s fragmented-MP4 segments",
            m.path.display(),
            m.codec,
            m.width,
            m.height,
            m.duration_s,
            m.bitrate_bps / 1e6,
            o.segment_s
        )?;
        writeln!(
            f,
            "Export {:.1} s from {:.1} s in ({} segments), median of {} rounds, order rotating",
            o.seconds, o.from_s, self.segments_used, o.rounds
        )?;
        writeln!(
            f,
            "  {:<40} {:>9} {:>9} {:>11} {:>17} {:>8} {:>7} {:>6}",
            "",
            "wall (ms)",
            "CPU (ms)",
            "x real time",
            "wall min-max (ms)",
            "video s",
            "frames",
            "MB"
        )?;
        let base = self
            .ways
            .iter()
            .find(|(w, _)| *w == Way::FfmpegSeek)
            .map(|(_, x)| median(&x.wall_s));
        for (way, x) in &self.ways {
            row(f, *way, x)?;
        }
        if let (Some(base), Some((_, v))) =
            (base, self.ways.iter().find(|(w, _)| *w == Way::VigilApi))
        {
            writeln!(
                f,
                "  Vigil (API) wall time / ffmpeg -ss -c copy: {:.2}",
                median(&v.wall_s) / base
            )?;
        }
        let (vigil, ffmpeg) = &self.startup;
        writeln!(
            f,
            "  process start-up alone (vigil --version, ffmpeg -version), wall / CPU: vigil {:.1} / {:.1} ms, ffmpeg {:.1} / {:.1} ms",
            median(&vigil.wall_s) * 1e3,
            median(&vigil.cpu_s) * 1e3,
            median(&ffmpeg.wall_s) * 1e3,
            median(&ffmpeg.cpu_s) * 1e3
        )?;
        writeln!(f, "  Vigil's report: {}", self.vigil_summary)
    }
}

fn row(f: &mut Formatter<'_>, way: Way, x: &WayFigures) -> fmt::Result {
    let (wall, cpu) = (median(&x.wall_s), median(&x.cpu_s));
    let (lo, hi) = spread(&x.wall_s);
    writeln!(
        f,
        "  {:<40} {:>9.1} {:>9.1} {:>11.0} {:>17} {:>8.2} {:>7} {:>6.1}",
        way.label(),
        wall * 1e3,
        cpu * 1e3,
        x.video_s / wall,
        format!("{lo:.1}-{hi:.1}"),
        x.video_s,
        x.frames,
        x.bytes as f64 / 1e6
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_of_odd_and_even_counts() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert!(median(&[]).is_nan());
    }
}
