//! The remux benchmark's tables: Vigil and the ffmpeg baseline side by side, then each
//! target and whether this run met it.

use std::fmt::{self, Display, Formatter};

use super::{Comparison, Figures, RemuxReport, Split};

/// The live-pace target: this many cameras …
pub const TARGET_CAMERAS: usize = 32;
/// … under this share of one core, percent.
pub const TARGET_CORE_PERCENT: f64 = 25.0;

const MIB: f64 = 1024.0 * 1024.0;

impl Display for RemuxReport {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let m = &self.media;
        writeln!(
            f,
            "test video: {} ({} {}x{}, {:.1} s, {:.2} Mbit/s)",
            m.path.display(),
            m.codec,
            m.width,
            m.height,
            m.duration_s,
            m.bitrate_bps / 1e6
        )?;
        if let Some(c) = &self.throughput {
            writeln!(f)?;
            throughput(f, c)?;
        }
        if let Some((d, c)) = &self.realtime {
            writeln!(f)?;
            writeln!(
                f,
                "Live pace: {} cameras delivering at 25 fps for {} s (ffmpeg with -re)",
                c.vigil.streams,
                d.as_secs()
            )?;
            let split = self.throughput.as_ref().and_then(|t| t.split);
            live(f, c, split)?;
        }
        if let Some(a) = &self.audio {
            writeln!(f)?;
            writeln!(
                f,
                "G.711 sound to AAC (audio only; video is never re-encoded): {:.0} µs CPU per camera-second, {:.3} % of one core per camera ({:.0} s converted into {} AAC packets in {:.3} s)",
                a.cpu_us_per_camera_s(),
                a.core_percent_per_camera(),
                a.sound_s,
                a.packets,
                a.cpu_s
            )?;
            if let Some(ff) = a.ffmpeg_cpu_s {
                writeln!(
                    f,
                    "  baseline, ffmpeg -f mulaw -i … -c:a aac -b:a 32k -f null - on the same sound: {:.0} µs CPU per camera-second ({:.3} s, start-up included)",
                    ff * 1e6 / a.sound_s.max(f64::MIN_POSITIVE),
                    ff
                )?;
            }
        }
        Ok(())
    }
}

/// A row of a table: its label, how to compute it from one recorder's figures, decimals.
type Metric = (&'static str, fn(&Figures) -> f64, usize);

const THROUGHPUT: [Metric; 7] = [
    ("CPU time (s)", |x| x.cpu_s, 2),
    (
        "CPU per stream-second (ms)",
        Figures::cpu_ms_per_stream_s,
        2,
    ),
    ("wall time (s)", |x| x.wall_s, 2),
    (
        "throughput (x real time per core)",
        Figures::realtime_per_core,
        0,
    ),
    (
        "throughput (x real time, wall)",
        |x| x.stream_s / x.wall_s,
        0,
    ),
    ("video recorded (stream-s)", |x| x.stream_s, 1),
    ("peak memory per camera (MiB)", mem_mib, 1),
];

const LIVE: [Metric; 7] = [
    ("CPU (% of one core)", Figures::core_percent, 1),
    ("CPU per camera (% of one core)", per_camera_percent, 2),
    (
        "CPU per stream-second (ms)",
        Figures::cpu_ms_per_stream_s,
        2,
    ),
    ("CPU time (s)", |x| x.cpu_s, 2),
    ("wall time (s)", |x| x.wall_s, 1),
    ("video recorded (stream-s)", |x| x.stream_s, 1),
    ("peak memory per camera (MiB)", mem_mib, 1),
];

fn throughput(f: &mut Formatter<'_>, c: &Comparison) -> fmt::Result {
    writeln!(
        f,
        "As fast as possible: {} cameras, each reading the whole file once (median of {} rounds)",
        c.vigil.streams, c.rounds
    )?;
    table(f, c, &THROUGHPUT)?;
    let (v, b) = (
        c.vigil.cpu_ms_per_stream_s(),
        c.ffmpeg.cpu_ms_per_stream_s(),
    );
    let mut verdicts = vec![format!(
        "  target: Vigil's CPU per stream-second at most ffmpeg's, as measured: {} ({v:.2} vs {b:.2} ms)",
        verdict(v <= b)
    )];
    if let Some((sv, sb)) = &c.split {
        let fixed = |s: &Split| s.fixed_ms_per_camera;
        let steady = |s: &Split| s.steady_ms_per_stream_s;
        split_row(f, "  start-up cost per camera (ms)", fixed(sv), fixed(sb))?;
        split_row(
            f,
            "  CPU per stream-s w/o start-up (ms)",
            steady(sv),
            steady(sb),
        )?;
        verdicts.push(format!(
            "  target: the same with start-up excluded (a camera records for days): {} ({:.2} vs {:.2} ms)",
            verdict(steady(sv) <= steady(sb)),
            steady(sv),
            steady(sb)
        ));
    }
    if let Some(u) = &c.vigil_unhashed {
        let (with, without) = (c.vigil.cpu_ms_per_stream_s(), u.cpu_ms_per_stream_s());
        writeln!(
            f,
            "  segment SHA-256 (integrity chain): Vigil {with:.2} ms CPU per stream-s with the \
             hash, {without:.2} without ({:+.1} %, {:.3} ms per stream-s)",
            100.0 * (with - without) / without,
            with - without
        )?;
    }
    notes(f, c)?;
    for v in verdicts {
        writeln!(f, "{v}")?;
    }
    Ok(())
}

/// A row derived from two runs (so not one of the `Figures` metrics).
fn split_row(f: &mut Formatter<'_>, label: &str, v: f64, b: f64) -> fmt::Result {
    writeln!(
        f,
        "{label:<38}{:>12}{:>16}{:>16}",
        number(v, 2),
        number(b, 2),
        number(v / b, 2)
    )
}

fn live(f: &mut Formatter<'_>, c: &Comparison, split: Option<(Split, Split)>) -> fmt::Result {
    table(f, c, &LIVE)?;
    if let Some((sv, sb)) = split {
        // Start-up as measured in the as-fast-as-possible run (open, probe, process start).
        let steady = |x: &Figures, s: &Split| {
            let startup_s = s.fixed_ms_per_camera * x.streams as f64 / 1000.0;
            (x.cpu_s - startup_s) * 100.0 / x.wall_s
        };
        split_row(
            f,
            "  CPU % of a core w/o start-up (est.)",
            steady(&c.vigil, &sv),
            steady(&c.ffmpeg, &sb),
        )?;
    }
    notes(f, c)?;
    let at_target = per_camera_percent(&c.vigil) * TARGET_CAMERAS as f64;
    let scaled = if c.vigil.streams == TARGET_CAMERAS {
        String::new()
    } else {
        format!(", scaled from {} cameras", c.vigil.streams)
    };
    writeln!(
        f,
        "  target: {TARGET_CAMERAS} cameras under {TARGET_CORE_PERCENT:.0} % of one core: {} (Vigil {at_target:.1} %{scaled})",
        verdict(at_target < TARGET_CORE_PERCENT)
    )
}

/// What the figures above cannot show: video lost, and what the memory rows count.
fn notes(f: &mut Formatter<'_>, c: &Comparison) -> fmt::Result {
    writeln!(f, "  video sent to each recorder: {:.1} stream-s", c.sent_s)?;
    for (who, x) in [("Vigil", &c.vigil), ("ffmpeg", &c.ffmpeg)] {
        if x.stream_s < 0.99 * c.sent_s {
            writeln!(
                f,
                "  WARNING: {who} recorded only {:.1} % of the video it was sent",
                100.0 * x.stream_s / c.sent_s
            )?;
        }
    }
    writeln!(
        f,
        "  memory: Vigil's row is the growth of its process peak (VmHWM) per camera, whole \
         process peak {:.0} MiB; ffmpeg's is a process's peak private memory (RssAnon), \
         {:.0} MiB per process with shared libraries (VmHWM)",
        c.vigil
            .process_peak_rss
            .map_or(f64::NAN, |b| b as f64 / MIB),
        c.ffmpeg
            .process_peak_rss
            .map_or(f64::NAN, |b| b as f64 / MIB),
    )
}

fn per_camera_percent(x: &Figures) -> f64 {
    x.core_percent() / x.streams as f64
}

fn mem_mib(x: &Figures) -> f64 {
    x.peak_mem_per_stream.map_or(f64::NAN, |b| b as f64 / MIB)
}

pub(super) fn verdict(met: bool) -> &'static str {
    if met {
        "MET"
    } else {
        "NOT MET"
    }
}

fn table(f: &mut Formatter<'_>, c: &Comparison, metrics: &[Metric]) -> fmt::Result {
    writeln!(
        f,
        "  {:<36}{:>12}{:>16}{:>16}",
        "", "Vigil", "ffmpeg segment", "Vigil / ffmpeg"
    )?;
    for (label, value, decimals) in metrics {
        let (v, b) = (value(&c.vigil), value(&c.ffmpeg));
        writeln!(
            f,
            "  {label:<36}{:>12}{:>16}{:>16}",
            number(v, *decimals),
            number(b, *decimals),
            number(v / b, 2)
        )?;
    }
    Ok(())
}

pub(super) fn number(x: f64, decimals: usize) -> String {
    if x.is_finite() {
        format!("{x:.decimals$}")
    } else {
        "-".to_string()
    }
}
