//! The fan-out benchmark's figures and table: the server's CPU recording alone and recording
//! with N viewers side by side, what the viewers got, the per-viewer memory bound, the slow
//! viewer's fate, and where the server's time went (by thread).

use std::fmt::{self, Display, Formatter};
use std::time::Duration;

use crate::report::{number, verdict};

/// Target (issue 11): fan-out to 20 browsers × 4 cameras beyond recording, % of one core.
pub const TARGET_PERCENT: f64 = 5.0;
/// Threads listed in the breakdown.
const TOP_THREADS: usize = 10;

/// One measured window of the server.
#[derive(Debug, Clone, Default)]
pub struct Window {
    pub seconds: f64,
    pub cpu: Duration,
    /// Of which in the kernel.
    pub system: Duration,
    /// CPU by thread name, most first.
    pub threads: Vec<(String, Duration)>,
}

impl Window {
    /// CPU in % of one core.
    pub fn percent(&self) -> f64 {
        percent(self.cpu, self.seconds)
    }

    fn thread(&self, name: &str) -> Duration {
        self.threads
            .iter()
            .find(|(n, _)| n == name)
            .map_or(Duration::ZERO, |(_, t)| *t)
    }
}

fn percent(cpu: Duration, seconds: f64) -> f64 {
    if seconds > 0.0 {
        cpu.as_secs_f64() * 100.0 / seconds
    } else {
        f64::NAN
    }
}

/// What one reading viewer got during the window with viewers.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub camera: String,
    pub messages: u64,
    pub bytes: u64,
    pub fragments: u64,
    /// Frames missing between its fragments.
    pub skipped: u64,
    /// Largest message since it joined, bytes.
    pub largest: u64,
    /// The server closed it.
    pub ended: bool,
}

#[derive(Debug, Clone)]
pub struct FanoutReport {
    pub cameras: usize,
    /// Width, height, frames per second of the simulated cameras.
    pub picture: (u32, u32, u32),
    /// The simulator's scene.
    pub scene: String,
    pub viewers: usize,
    pub alone: Window,
    pub with_viewers: Window,
    pub per_viewer: Vec<Viewer>,
    /// The camera the slow viewer watched.
    pub slow_camera: String,
    /// A viewer's queue length, messages.
    pub queue: usize,
    /// The server's anonymous resident memory before the viewers joined and at the end.
    pub anon_before: u64,
    pub anon_after: u64,
    /// When the server closed the slow viewer's socket, after it joined.
    pub stalled_closed_after: Option<Duration>,
}

impl FanoutReport {
    /// The fan-out's cost beyond recording, % of one core.
    pub fn difference(&self) -> f64 {
        self.with_viewers.percent() - self.alone.percent()
    }

    pub fn largest_message(&self) -> u64 {
        self.per_viewer.iter().map(|v| v.largest).max().unwrap_or(0)
    }

    /// Fragments per second of the slowest reading viewer, of the slow viewer's camera
    /// (`true`) or of the others.
    fn slowest_rate(&self, slow_camera: bool) -> f64 {
        let s = self.with_viewers.seconds;
        self.per_viewer
            .iter()
            .filter(|v| (v.camera == self.slow_camera) == slow_camera)
            .map(|v| v.fragments as f64 / s)
            .fold(f64::INFINITY, f64::min)
    }
}

impl Display for FanoutReport {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let (w, h, fps) = self.picture;
        let (a, v) = (&self.alone, &self.with_viewers);
        let s = v.seconds;
        writeln!(
            f,
            "Live fan-out: `vigil run --web` (HTTPS) recording {} RTSP cameras ({w}x{h}, {fps} fps, \
             simulator scene {}), {:.0} s per window",
            self.cameras, self.scene, s
        )?;
        writeln!(
            f,
            "  {:<50}{:>16}{:>22}",
            "",
            "recording alone",
            format!("+ {} viewers", self.viewers)
        )?;
        let cpu = format!(
            "{:>16}{:>22}",
            number(a.percent(), 2),
            number(v.percent(), 2)
        );
        writeln!(f, "  {:<50}{cpu}", "server CPU (% of one core)")?;
        let sys = format!(
            "{:>16}{:>22}",
            number(percent(a.system, a.seconds), 2),
            number(percent(v.system, v.seconds), 2)
        );
        writeln!(f, "  {:<50}{sys}", "  of which in the kernel (stime)")?;
        let messages: u64 = self.per_viewer.iter().map(|x| x.messages).sum();
        let bytes: u64 = self.per_viewer.iter().map(|x| x.bytes).sum();
        let skipped: u64 = self.per_viewer.iter().map(|x| x.skipped).sum();
        let rows = [
            ("messages delivered per second", messages as f64 / s, 0),
            ("MB delivered per second", bytes as f64 / s / 1e6, 2),
            (
                "slowest viewer, fragments/s (slow one's camera)",
                self.slowest_rate(true),
                1,
            ),
            (
                "slowest viewer, fragments/s (other cameras)",
                self.slowest_rate(false),
                1,
            ),
            ("frames the reading viewers missed", skipped as f64, 0),
        ];
        for (label, value, decimals) in rows {
            writeln!(f, "  {label:<50}{:>16}{:>22}", "-", number(value, decimals))?;
        }
        let diff = self.difference();
        writeln!(
            f,
            "Fan-out beyond recording: {} % of one core for {} viewers ({} % per viewer); \
             target < {TARGET_PERCENT} %: {}",
            number(diff, 2),
            self.viewers,
            number(diff / self.viewers.max(1) as f64, 3),
            verdict(diff < TARGET_PERCENT)
        )?;
        let largest = self.largest_message();
        writeln!(
            f,
            "Per-viewer memory bound: {} queued messages x largest message {} KiB = {} KiB \
             (messages are shared between a camera's viewers, so usually far less); server \
             anonymous memory {} MiB before the viewers, {} MiB with them",
            self.queue,
            number(largest as f64 / 1024.0, 1),
            number((self.queue as u64 * largest) as f64 / 1024.0, 0),
            number(self.anon_before as f64 / 1048576.0, 1),
            number(self.anon_after as f64 / 1048576.0, 1),
        )?;
        let fate = match self.stalled_closed_after {
            Some(t) => format!(
                "closed by the server {:.1} s after it joined",
                t.as_secs_f64()
            ),
            None => "NOT closed by the server during the window".to_string(),
        };
        writeln!(
            f,
            "Slow viewer (never reads, on {}): {fate}",
            self.slow_camera
        )?;
        threads(f, self)
    }
}

/// The server's threads by CPU in the window with viewers, beside the window without.
fn threads(f: &mut Formatter<'_>, r: &FanoutReport) -> fmt::Result {
    let (a, v) = (&r.alone, &r.with_viewers);
    writeln!(f, "Server threads, % of one core (top {TOP_THREADS}):")?;
    writeln!(
        f,
        "  {:<24}{:>16}{:>22}",
        "thread", "recording alone", "+ viewers"
    )?;
    for (name, t) in v.threads.iter().take(TOP_THREADS) {
        writeln!(
            f,
            "  {name:<24}{:>16}{:>22}",
            number(percent(a.thread(name), a.seconds), 2),
            number(percent(*t, v.seconds), 2)
        )?;
    }
    Ok(())
}
