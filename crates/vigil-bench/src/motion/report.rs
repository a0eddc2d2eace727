//! The motion benchmark's tables: the five ways of decoding side by side per resolution,
//! event latency against its target, and the pre-event buffer against its arithmetic.

use std::fmt::{self, Display, Formatter};

use super::{CpuFigures, LatencyFigures, MemoryFigures, MotionReport};
use crate::report::{number, verdict};
use crate::{Figures, Split, TestMedia};

/// Analysis beyond decoding must add under this fraction.
pub const TARGET_OVERHEAD: f64 = 0.10;
/// A camera analysed (for its motion index) on its sub-stream must take under this % of one
/// core.
pub const TARGET_SUB_STREAM_CORE_PCT: f64 = 2.0;
/// A camera without a sub-stream, its index kept from key frames only, must take under this %
/// of one core.
pub const TARGET_KEY_FRAMES_CORE_PCT: f64 = 2.0;
/// Event latency target, ms.
pub const TARGET_LATENCY_MS: f64 = 250.0;

const MIB: f64 = 1024.0 * 1024.0;

impl Display for MotionReport {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        for c in &self.cpu {
            cpu(f, c)?;
            writeln!(f)?;
        }
        if let Some(l) = &self.latency {
            latency(f, l)?;
            writeln!(f)?;
        }
        if let Some(m) = &self.memory {
            memory(f, m)?;
        }
        Ok(())
    }
}

fn media_line(m: &TestMedia) -> String {
    format!(
        "{} ({} {}x{}, {:.1} s, {:.2} Mbit/s)",
        m.path.display(),
        m.codec,
        m.width,
        m.height,
        m.duration_s,
        m.bitrate_bps / 1e6
    )
}

/// A row: its label, how to compute it from one way's figures and split, decimals.
type Metric = (&'static str, fn(&Figures, &Split) -> f64, usize);

const CPU_ROWS: [Metric; 5] = [
    (
        "CPU per stream-second (ms)",
        |x, _| x.cpu_ms_per_stream_s(),
        2,
    ),
    (
        "% of one core, one 25 fps camera",
        |x, _| x.cpu_ms_per_stream_s() / 10.0,
        2,
    ),
    (
        "cameras one core can take",
        |x, _| 1000.0 / x.cpu_ms_per_stream_s(),
        1,
    ),
    ("start-up per file (ms)", |_, s| s.fixed_ms_per_camera, 1),
    (
        "CPU per stream-s w/o start-up (ms)",
        |_, s| s.steady_ms_per_stream_s,
        2,
    ),
];

fn cpu(f: &mut Formatter<'_>, c: &CpuFigures) -> fmt::Result {
    writeln!(
        f,
        "CPU per analyzed camera, {} H.264: {}",
        c.label,
        media_line(&c.media)
    )?;
    writeln!(
        f,
        "one pass each over the file, median of {} rounds (Vigil on one thread, CLOCK_THREAD_CPUTIME_ID; ffmpeg from wait4)",
        c.rounds
    )?;
    writeln!(
        f,
        "  {:<36}{:>14}{:>14}{:>14}{:>20}{:>14}",
        "", "Vigil", "Vigil", "ffmpeg", "ffmpeg -threads 1", "Vigil (c)"
    )?;
    writeln!(
        f,
        "  {:<36}{:>14}{:>14}{:>14}{:>20}{:>14}",
        "", "decode (a)", "analysis (b)", "defaults", "-skip_loop_filter", "key frames"
    )?;
    for (label, value, decimals) in CPU_ROWS {
        write!(f, "  {label:<36}")?;
        for (i, width) in [14, 14, 14, 20, 14].into_iter().enumerate() {
            write!(
                f,
                "{:>width$}",
                number(value(&c.runs[i], &c.splits[i]), decimals)
            )?;
        }
        writeln!(f)?;
    }
    cpu_notes(f, c)
}

fn cpu_notes(f: &mut Formatter<'_>, c: &CpuFigures) -> fmt::Result {
    writeln!(f, "  analysis beyond decoding, (b - a) / a, median round:")?;
    let ways = [
        ("separate passes (the table)", c.overhead(), &c.overheads),
        (
            "one pass, both fed packet by packet",
            c.overhead_interleaved(),
            &c.interleaved,
        ),
    ];
    for (how, median, rounds) in ways {
        let (lo, _, hi) = summary(rounds);
        writeln!(
            f,
            "    {how:<38}{:>6.1} %   (rounds {:.1} to {:.1} %)",
            median * 100.0,
            lo * 100.0,
            hi * 100.0
        )?;
    }
    // In `WAYS` order: decode, analysis, ffmpeg's defaults, ffmpeg with Vigil's settings.
    let ms = |i: usize| c.runs[i].cpu_ms_per_stream_s();
    writeln!(
        f,
        "  Vigil's decoding / ffmpeg's with the same settings: {:.2}; full analysis / ffmpeg's defaults: {:.2}",
        ms(0) / ms(3),
        ms(1) / ms(2)
    )?;
    let a = &c.analyzed;
    writeln!(
        f,
        "  detector: {} frames analyzed ({:.1} per second), {} motion events, {} frames taken as lighting changes",
        a.frames,
        a.frames as f64 / c.media.duration_s,
        a.events,
        a.rejected
    )?;
    index_notes(f, c)?;
    key_frame_notes(f, c)?;
    if c.media.height <= 360 {
        // A sub-stream: the 10 % target is for main streams, whose decoding dwarfs analysis.
        return Ok(());
    }
    let worst = c.overhead().max(c.overhead_interleaved());
    writeln!(
        f,
        "  target: analysis beyond decoding under {:.0} %: {}",
        TARGET_OVERHEAD * 100.0,
        verdict(worst < TARGET_OVERHEAD)
    )
}

/// (c): the index of a camera without a sub-stream (key frames only), against its target.
fn key_frame_notes(f: &mut Formatter<'_>, c: &CpuFigures) -> fmt::Result {
    let pct = c.runs[4].cpu_ms_per_stream_s() / 10.0;
    writeln!(
        f,
        "  key frames only (c), a main-stream camera's index without events: {pct:.2} % of one core per camera, {:.1} x less than (b)",
        c.runs[1].cpu_ms_per_stream_s() / c.runs[4].cpu_ms_per_stream_s()
    )?;
    if c.media.height > 360 {
        writeln!(
            f,
            "  target: a main-stream camera's key-frame index under {TARGET_KEY_FRAMES_CORE_PCT:.0} % of one core: {}",
            verdict(pct < TARGET_KEY_FRAMES_CORE_PCT)
        )?;
    }
    Ok(())
}

/// The motion index's share of the analysis (b), and (b) with and without it, per camera.
fn index_notes(f: &mut Formatter<'_>, c: &CpuFigures) -> fmt::Result {
    let a = &c.analyzed;
    let index_ms = a.index_cpu.as_secs_f64() * 1000.0 / c.media.duration_s;
    let with = c.runs[1].cpu_ms_per_stream_s();
    writeln!(
        f,
        "  motion index (moved cells of 32x18 + camera-minute rows), inside (b): {index_ms:.3} ms per stream-second = {:.3} % of one core; {} of {} frames had motion; {} minute row(s), {:.1} kB",
        index_ms / 10.0,
        a.index_frames,
        a.frames,
        a.index_minutes,
        a.index_bytes as f64 / 1e3
    )?;
    writeln!(
        f,
        "  % of one core per camera: analysis without the index {:.2}, with it {:.2}",
        (with - index_ms) / 10.0,
        with / 10.0
    )?;
    if c.media.height <= 360 {
        writeln!(
            f,
            "  target: a camera analysed on its 360p sub-stream, index included, under {:.0} % of one core: {}",
            TARGET_SUB_STREAM_CORE_PCT,
            verdict(with / 10.0 < TARGET_SUB_STREAM_CORE_PCT)
        )?;
    }
    Ok(())
}

fn latency(f: &mut Formatter<'_>, l: &LatencyFigures) -> fmt::Result {
    writeln!(
        f,
        "Event latency: real engine, events mode, 30 s pre-event, cameras reading at 25 fps"
    )?;
    if let Some(m) = &l.scene {
        writeln!(f, "scene: {}", media_line(m))?;
    }
    writeln!(
        f,
        "  {:<48}{:>8}{:>10}{:>10}{:>10}{:>10}",
        "(ms)", "samples", "min", "median", "p95", "max"
    )?;
    let pre_ms: Vec<f64> = l.pre_event_s.iter().map(|s| s * 1000.0).collect();
    let rows: [(&str, &[f64]); 8] = [
        ("motion: frame at analyzer -> row + clip open", &l.motion_ms),
        ("trigger: request -> row + clip open", &l.trigger_ms),
        ("mqtt: message at Vigil -> row + clip open", &l.mqtt_ms),
        (
            "mqtt: published -> event row seen (polled)",
            &l.mqtt_published_to_row_ms,
        ),
        (
            "box on screen -> event row seen (polled)",
            &l.onset_to_row_ms,
        ),
        ("event start stamp - box's first frame", &l.start_error_ms),
        ("event end stamp - box's last frame", &l.end_lag_ms),
        ("event clip video before the event start", &pre_ms),
    ];
    for (label, samples) in rows {
        let s = summary(samples);
        writeln!(
            f,
            "  {label:<48}{:>8}{:>10}{:>10}{:>10}{:>10}",
            samples.len(),
            number(s.0, 1),
            number(s.1, 1),
            number(p95(samples), 1),
            number(s.2, 1)
        )?;
    }
    if let Some(o) = &l.onvif {
        o.report(f)?;
    }
    latency_notes(f, l)
}

/// Per-event values, warnings and the verdict under the latency table.
fn latency_notes(f: &mut Formatter<'_>, l: &LatencyFigures) -> fmt::Result {
    let in_order = |v: &[f64]| {
        let each: Vec<String> = v.iter().map(|x| format!("{x:.1}")).collect();
        each.join(" ")
    };
    writeln!(
        f,
        "  motion latency of each event, in order (ms): {}",
        in_order(&l.motion_ms)
    )?;
    writeln!(
        f,
        "  event end stamp - box's last frame, in order (ms): {}",
        in_order(&l.end_lag_ms)
    )?;
    writeln!(
        f,
        "  clip video before each event, in order (s): {}",
        in_order(&l.pre_event_s)
    )?;
    let uncovered = l.pre_event_s.iter().filter(|s| **s <= 0.0).count();
    if uncovered > 0 {
        writeln!(
            f,
            "  WARNING: {uncovered} motion event(s) began where no event clip has video"
        )?;
    }
    writeln!(
        f,
        "  boxes shown: {}, motion events: {} ({} away from any box); triggers sent: {} over HTTP, {} over MQTT",
        l.boxes, l.events, l.stray_events, l.triggers_sent, l.mqtt_sent
    )?;
    for (what, samples, sent) in [
        ("motion", &l.motion_ms, l.events),
        ("trigger", &l.trigger_ms, l.triggers_sent),
        ("MQTT", &l.mqtt_ms, l.mqtt_sent),
    ] {
        if samples.len() < sent {
            writeln!(
                f,
                "  WARNING: {} of {sent} {what} events reported no latency",
                sent - samples.len()
            )?;
        }
    }
    for (what, samples) in [("trigger", &l.trigger_ms), ("MQTT", &l.mqtt_ms)] {
        writeln!(
            f,
            "  target: {what} event latency p95 under {TARGET_LATENCY_MS:.0} ms: {} (p95 {})",
            verdict(!samples.is_empty() && p95(samples) < TARGET_LATENCY_MS),
            number(p95(samples), 1)
        )?;
    }
    let worst = summary(&l.motion_ms).2;
    writeln!(
        f,
        "  target: motion event latency under {TARGET_LATENCY_MS:.0} ms: {} (max {})",
        verdict(!l.motion_ms.is_empty() && worst < TARGET_LATENCY_MS),
        number(worst, 1)
    )
}

fn memory(f: &mut Formatter<'_>, m: &MemoryFigures) -> fmt::Result {
    writeln!(
        f,
        "Pre-event buffer: one camera, events mode, {} s pre-event, motion masked out, after {:.1} s",
        m.pre_event_s, m.run_s
    )?;
    writeln!(f, "video: {}", media_line(&m.media))?;
    let (lo, hi) = m.expected();
    writeln!(
        f,
        "  buffer held (MiB): {:.1} at the end, {:.1} at most ({:.1} s of video at the file's mean bitrate)",
        m.last_bytes as f64 / MIB,
        m.max_bytes as f64 / MIB,
        m.max_bytes as f64 * 8.0 / m.media.bitrate_bps
    )?;
    writeln!(
        f,
        "  expected: {:.2} Mbit/s x ({} s + 3 s margin, plus up to one {} s GOP) = {:.1} to {:.1} MiB",
        m.media.bitrate_bps / 1e6,
        m.pre_event_s,
        crate::media::GOP_S,
        lo / MIB,
        hi / MIB
    )?;
    writeln!(
        f,
        "  whole camera, growth of the process's peak resident memory: {} MiB",
        m.peak_growth
            .map_or("-".into(), |b| format!("{:.1}", b as f64 / MIB))
    )
}

/// (min, median, max); NaN for no samples.
/// The 95th percentile (nearest rank); NaN without samples.
fn p95(samples: &[f64]) -> f64 {
    let mut v = samples.to_vec();
    v.sort_by(f64::total_cmp);
    if v.is_empty() {
        return f64::NAN;
    }
    let rank = ((v.len() as f64) * 0.95).ceil() as usize;
    v[rank.clamp(1, v.len()) - 1]
}

fn summary(samples: &[f64]) -> (f64, f64, f64) {
    let mut v = samples.to_vec();
    v.sort_by(f64::total_cmp);
    match (v.first(), v.last()) {
        (Some(&lo), Some(&hi)) => (lo, v[v.len() / 2], hi),
        _ => (f64::NAN, f64::NAN, f64::NAN),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_is_min_median_max() {
        assert_eq!(summary(&[3.0, 1.0, 2.0]), (1.0, 2.0, 3.0));
        assert!(summary(&[]).1.is_nan());
        assert_eq!(number(f64::NAN, 1), "-");
        let hundred: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(p95(&hundred), 95.0);
        assert!(p95(&[]).is_nan());
    }
}
