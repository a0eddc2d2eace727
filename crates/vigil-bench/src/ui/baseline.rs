//! The baseline: N `ffmpeg` processes doing a tile's work with nothing else — reading the file
//! at its native rate, decoding on one thread and scaling to the tile size in RGBA with the
//! same scaler — for the same wall time; their CPU from `wait4`, their pace from
//! `-progress` (seconds of video per second of wall time, 1.0 = kept up).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::measure::{signal_child, try_wait_child};
use crate::BenchError;

/// What N ffmpeg processes did.
#[derive(Debug, Clone, Copy, Default)]
pub struct Baseline {
    /// All of them, % of one core over the wall time.
    pub cpu: f64,
    /// The slowest one's pace: seconds of video per second of wall time.
    pub pace: f64,
}

/// Runs `n` ffmpeg processes on `file` for `seconds` (those that cannot keep up are stopped
/// when the time is over, and their pace says how far they got).
pub fn ffmpeg(
    file: &Path,
    n: usize,
    (w, h): (u32, u32),
    seconds: u64,
) -> Result<Baseline, BenchError> {
    let progress = tempfile::Builder::new()
        .prefix("vigil-bench-ui-")
        .tempdir()
        .map_err(|e| BenchError::io("cannot make a temporary directory", e))?;
    let started = Instant::now();
    let mut running = Vec::with_capacity(n);
    for i in 0..n {
        let report = progress.path().join(format!("{i}.txt"));
        let child = Command::new("ffmpeg")
            .args(["-nostdin", "-v", "error", "-threads", "1", "-re"])
            .args(["-stream_loop", "-1", "-t", &seconds.to_string(), "-i"])
            .arg(file)
            .args([
                "-vf",
                &format!("scale={w}:{h}:flags=fast_bilinear,format=rgba"),
            ])
            .args(["-f", "null", "-", "-progress"])
            .arg(&report)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| BenchError::tool("ffmpeg", e))?;
        running.push((child.id(), report));
    }
    let deadline = Duration::from_secs(seconds) + Duration::from_secs(2);
    let (mut cpu, mut failed, mut pace) = (Duration::ZERO, 0, f64::INFINITY);
    let mut stopped = false;
    while !running.is_empty() {
        let over = started.elapsed() > deadline;
        let mut still = Vec::with_capacity(running.len());
        for (pid, report) in running {
            match try_wait_child(pid)? {
                Some(usage) => {
                    cpu += usage.cpu;
                    // A process stopped at the deadline ends by the signal: not a failure.
                    failed += usize::from(!usage.success && !stopped);
                    let done = out_time_s(&report).unwrap_or(0.0);
                    pace = pace.min(done / started.elapsed().as_secs_f64().max(1e-3));
                }
                None => {
                    if over && !stopped {
                        signal_child(pid, libc::SIGKILL);
                    }
                    still.push((pid, report));
                }
            }
        }
        stopped |= over;
        running = still;
        std::thread::sleep(Duration::from_millis(20));
    }
    if failed > 0 {
        return Err(BenchError::Failed(format!(
            "{failed} of {n} ffmpeg baseline processes failed"
        )));
    }
    let wall = started.elapsed().as_secs_f64();
    Ok(Baseline {
        cpu: cpu.as_secs_f64() / wall * 100.0,
        pace: if pace.is_finite() { pace.min(1.0) } else { 0.0 },
    })
}

/// The last `out_time_us=` an ffmpeg `-progress` file holds, seconds.
fn out_time_s(report: &Path) -> Option<f64> {
    let text = std::fs::read_to_string(report).ok()?;
    text.lines()
        .rev()
        .find_map(|l| l.strip_prefix("out_time_us="))
        .and_then(|v| v.trim().parse::<i64>().ok())
        .map(|us| us.max(0) as f64 / 1e6)
}
