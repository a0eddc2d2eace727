//! The detection bench's tables as plain text.

use std::fmt;

use super::quality::SIZES;
use super::timeline::MAX_DETECTIONS_PER_S;
use super::{DetectReport, QualityRun, THRESHOLDS};

fn pct(part: usize, whole: usize) -> String {
    if whole == 0 {
        "–".into()
    } else {
        format!("{:.0} %", part as f64 * 100.0 / whole as f64)
    }
}

impl fmt::Display for DetectReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Detector: {}", self.detector)?;
        self.fmt_times(f)?;
        self.fmt_cpu(f)?;
        for q in &self.quality {
            fmt_quality(f, q)?;
        }
        if let Some(q) = &self.quality.first() {
            fmt_frames(f, q)?;
        }
        if let Some(q) = &self.quiet {
            writeln!(f)?;
            writeln!(
                f,
                "No-people clip (tree.avi, every frame, full size): {} person detections ≥ {} on {} frames of foliage (best score {:.3}); {} on the {} frames with a hand in front of the lens (best {:.3}).",
                q.on_foliage,
                THRESHOLDS[0],
                q.frames - q.hand_frames,
                q.best_foliage,
                q.on_hand,
                q.hand_frames,
                q.best_hand
            )?;
        }
        Ok(())
    }
}

impl DetectReport {
    fn fmt_times(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (w, h) = self.picture;
        writeln!(f)?;
        writeln!(
            f,
            "Inference per picture ({w}x{h} frame of vtest.avi, after a warm-up; wall p50/p95, this thread's CPU p50)"
        )?;
        writeln!(
            f,
            "{:<40} {:<30} {:>3} {:>8} {:>8} {:>8} {:>10}  covers",
            "model", "runtime", "thr", "p50 ms", "p95 ms", "CPU ms", "per core/s"
        )?;
        for r in &self.runtimes {
            // With more threads this thread's CPU is only part of the work.
            let (cpu, per_core) = if r.threads == 1 {
                (
                    format!("{:.2}", r.times.cpu_ms(0.5)),
                    format!("{:.1}", r.times.per_core_s()),
                )
            } else {
                ("–".into(), "–".into())
            };
            writeln!(
                f,
                "{:<40} {:<30} {:>3} {:>8.2} {:>8.2} {:>8} {:>10}  {}",
                r.model,
                r.runtime,
                r.threads,
                r.times.wall_ms(0.5),
                r.times.wall_ms(0.95),
                cpu,
                per_core,
                r.covers
            )?;
        }
        if let Some(r) = &self.resize {
            writeln!(
                f,
                "(of the built-in detector's time, resizing to 300x300 alone: p50 {:.2} ms)",
                r.wall_ms(0.5)
            )?;
        }
        for n in &self.baseline_note {
            writeln!(f, "{n}")?;
        }
        Ok(())
    }

    fn fmt_cpu(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.timelines.is_empty() {
            return Ok(());
        }
        writeln!(f)?;
        writeln!(
            f,
            "CPU per camera: each clip as H.264, decoded at 320 px, motion analysed at 5 fps, the detector run while motion lasts at ≤ {MAX_DETECTIONS_PER_S}/s of video (one thread)"
        )?;
        writeln!(
            f,
            "{:<10} {:>7} {:>9} {:>7} {:>6} {:>8} {:>9} {:>8} {:>9} {:>9} {:>9}",
            "clip",
            "video s",
            "analysed",
            "motion",
            "runs",
            "w/person",
            "confirm s",
            "% core",
            "detect %",
            "picture %",
            "decode+motion %"
        )?;
        for (name, t) in &self.timelines {
            let share = |d: std::time::Duration| d.as_secs_f64() * 100.0 / t.duration_s;
            let rest = t.cpu.saturating_sub(t.cpu_detect + t.cpu_picture);
            writeln!(
                f,
                "{:<10} {:>7.1} {:>9} {:>7} {:>6} {:>8} {:>9} {:>8.2} {:>9.2} {:>9.2} {:>9.2}",
                name,
                t.duration_s,
                t.analyzed,
                t.with_motion,
                t.runs.len(),
                t.runs_with_objects(),
                t.confirmed_after_s(2, 3)
                    .map_or_else(|| "never".into(), |s| format!("{s:.1}")),
                t.core_percent(),
                share(t.cpu_detect),
                share(t.cpu_picture),
                share(rest)
            )?;
        }
        writeln!(
            f,
            "(% core = CPU time / video time: the share of one core a live camera showing this scene costs. confirm s = first motion to the run where 2 of the last 3 runs found a person. picture = the frame as RGB, today a JPEG round trip through the thumbnail encoder)"
        )
    }
}

fn fmt_quality(f: &mut fmt::Formatter<'_>, q: &QualityRun) -> fmt::Result {
    writeln!(f)?;
    writeln!(
        f,
        "Quality on {}, detector given {} {}x{} (IoU ≥ 0.5 with hand-made boxes; difficult people not counted)",
        q.clip,
        q.how.describe(),
        q.size.0,
        q.size.1
    )?;
    writeln!(
        f,
        "(false = detections matching no person; on bg = of those, on no person at all; all found / ≥1 found = frames)"
    )?;
    writeln!(
        f,
        "{:>9} {:>6} {:>5} {:>6} {:>6} {:>6} {:>9} {:>9} {:>9}   recall by person height: {} | {} | {}",
        "min score",
        "people",
        "found",
        "recall",
        "false",
        "on bg",
        "precision",
        "all found",
        "≥1 found",
        SIZES[0].0,
        SIZES[1].0,
        SIZES[2].0
    )?;
    for &t in &THRESHOLDS {
        let Some(s) = q.totals(t) else { continue };
        let sizes: Vec<String> = s
            .by_size
            .iter()
            .map(|(n, k)| format!("{k}/{n} {}", pct(*k, *n)))
            .collect();
        writeln!(
            f,
            "{:>9} {:>6} {:>5} {:>6} {:>6} {:>6} {:>9} {:>9} {:>9}   {}",
            t,
            s.people,
            s.found,
            pct(s.found, s.people),
            s.false_alarms,
            s.on_background,
            pct(s.found, s.found + s.false_alarms),
            format!("{}/{}", s.frames_all_found, s.frames),
            format!("{}/{}", s.frames_someone_found, s.frames),
            sizes.join(" | ")
        )?;
    }
    Ok(())
}

fn fmt_frames(f: &mut fmt::Formatter<'_>, q: &QualityRun) -> fmt::Result {
    let Some((t, frames)) = q.at.first() else {
        return Ok(());
    };
    writeln!(f)?;
    writeln!(
        f,
        "Per frame, {} at {}x{}, min score {t}:",
        q.clip, q.size.0, q.size.1
    )?;
    writeln!(
        f,
        "{:>6} {:>6} {:>5} {:>6} {:>6} {:>10}",
        "frame", "people", "found", "false", "on bg", "best score"
    )?;
    for s in frames {
        writeln!(
            f,
            "{:>6} {:>6} {:>5} {:>6} {:>6} {:>10.3}",
            s.frame, s.people, s.found, s.false_alarms, s.on_background, s.best_score
        )?;
    }
    Ok(())
}
