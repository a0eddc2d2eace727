//! The baseline: the same work done by `ffmpeg -c copy -f segment`, one process per camera
//! (as a script-based NVR would run it), measured with each child's `wait4` usage.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::measure::{proc_memory, signal_child, try_wait_child, ChildUsage};
use super::media::first_line;
use super::{BenchError, Figures, Pace, SEGMENT_S};
use vigil_core::media::probe::probe_file;

/// How long ffmpeg may take to finish its files after Ctrl-C before it is killed.
const STOP_GRACE: Duration = Duration::from_secs(10);
/// Longest a read-as-fast-as-possible run may take before it is killed.
const FAST_DEADLINE: Duration = Duration::from_secs(900);
/// How often each running ffmpeg's memory is sampled (and its exit checked): often for
/// sub-second runs, gently for live-paced ones (the sampling runs on the machine under test).
const SAMPLE_FAST: Duration = Duration::from_millis(10);
const SAMPLE_LIVE: Duration = Duration::from_millis(100);

/// Runs `n` ffmpeg segmenters on `media` at `pace`, writing into a fresh temporary directory
/// under `work_dir` named `prefix…` (removed with everything in it when the run ends).
pub fn run(
    media: &Path,
    n: usize,
    pace: Pace,
    work_dir: &Path,
    prefix: &str,
) -> Result<Figures, BenchError> {
    std::fs::create_dir_all(work_dir)
        .map_err(|e| BenchError::io(format!("cannot create {}", work_dir.display()), e))?;
    let out = tempfile::Builder::new()
        .prefix(prefix)
        .tempdir_in(work_dir)
        .map_err(|e| BenchError::io("cannot make the baseline's output directory", e))?;
    let out_dir = out.path();
    let dirs: Vec<PathBuf> = (0..n)
        .map(|i| out_dir.join(format!("cam-{i:03}")))
        .collect();
    for d in &dirs {
        std::fs::create_dir_all(d)
            .map_err(|e| BenchError::io(format!("cannot create {}", d.display()), e))?;
    }
    let t0 = Instant::now();
    let mut children = Vec::with_capacity(n);
    for d in &dirs {
        match spawn(media, pace, d) {
            Ok(c) => children.push(c),
            Err(e) => {
                // Do not leave the ones already started running.
                for c in &children {
                    signal_child(c.id(), libc::SIGKILL);
                }
                let _ = wait_all(&children, Pace::AsFastAsPossible);
                return Err(e);
            }
        }
    }
    let watched = wait_all(&children, pace)?;
    let wall = t0.elapsed();
    let usages: Vec<ChildUsage> = watched.iter().filter_map(|w| w.ended).collect();
    if pace == Pace::AsFastAsPossible {
        if let Some(i) = usages.iter().position(|u| !u.success) {
            let log = std::fs::read(dirs[i].join("ffmpeg.log")).unwrap_or_default();
            return Err(BenchError::Failed(format!(
                "ffmpeg failed: {}",
                first_line(&log)
            )));
        }
    }
    let stream_s = recorded_seconds(&dirs)?;
    drop(out);
    let cpu: Duration = usages.iter().map(|u| u.cpu).sum();
    let mean = |f: fn(&Watched) -> u64| watched.iter().map(f).sum::<u64>() / n as u64;
    Ok(Figures {
        streams: n,
        cpu_s: cpu.as_secs_f64(),
        wall_s: wall.as_secs_f64(),
        stream_s,
        peak_mem_per_stream: Some(mean(|w| w.peak_anon)),
        process_peak_rss: Some(mean(|w| w.peak_rss)),
    })
}

fn spawn(media: &Path, pace: Pace, dir: &Path) -> Result<Child, BenchError> {
    let log_path = dir.join("ffmpeg.log");
    let log = File::create(&log_path)
        .map_err(|e| BenchError::io(format!("cannot create {}", log_path.display()), e))?;
    let mut cmd = Command::new("ffmpeg");
    cmd.args(["-nostdin", "-v", "error"]);
    if matches!(pace, Pace::Realtime(_)) {
        cmd.arg("-re");
    }
    cmd.arg("-i")
        .arg(media)
        .args(["-map", "0:v", "-c", "copy", "-f", "segment"])
        .args([
            "-segment_time",
            &SEGMENT_S.to_string(),
            "-segment_format",
            "mp4",
        ])
        .args([
            "-segment_format_options",
            "movflags=+frag_keyframe+empty_moov+default_base_moof",
        ])
        .arg(dir.join("seg%03d.mp4"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .map_err(|e| BenchError::tool("ffmpeg", e))
}

/// One ffmpeg being watched: its memory as sampled while it runs, then how it ended.
#[derive(Default)]
pub(super) struct Watched {
    peak_rss: u64,
    peak_anon: u64,
    pub(super) ended: Option<ChildUsage>,
}

/// Waits for every child, sampling its memory from /proc while it runs: at once for a file
/// read to its end, or after the live-paced duration (then each is asked to stop, as Ctrl-C
/// would, and killed if it lingers).
pub(super) fn wait_all(children: &[Child], pace: Pace) -> Result<Vec<Watched>, BenchError> {
    let start = Instant::now();
    let (mut interrupt_at, mut kill_at, every) = match pace {
        Pace::AsFastAsPossible => (None, start + FAST_DEADLINE, SAMPLE_FAST),
        Pace::Realtime(d) => (Some(start + d), start + d + STOP_GRACE, SAMPLE_LIVE),
    };
    let mut watched: Vec<Watched> = children.iter().map(|_| Watched::default()).collect();
    loop {
        for (c, w) in children.iter().zip(watched.iter_mut()) {
            if w.ended.is_some() {
                continue;
            }
            if let Some(m) = proc_memory(c.id()) {
                w.peak_rss = w.peak_rss.max(m.peak_rss);
                w.peak_anon = w.peak_anon.max(m.anon);
            }
            w.ended = try_wait_child(c.id())?;
        }
        if watched.iter().all(|w| w.ended.is_some()) {
            return Ok(watched);
        }
        let now = Instant::now();
        if interrupt_at.is_some_and(|t| now >= t) {
            interrupt_at = None;
            signal_all(children, &watched, libc::SIGINT);
        }
        if now >= kill_at {
            kill_at = now + STOP_GRACE;
            signal_all(children, &watched, libc::SIGKILL);
        }
        let until_interrupt = interrupt_at.map_or(every, |t| t.saturating_duration_since(now));
        std::thread::sleep(every.min(until_interrupt));
    }
}

fn signal_all(children: &[Child], watched: &[Watched], signal: libc::c_int) {
    for (c, w) in children.iter().zip(watched) {
        if w.ended.is_none() {
            signal_child(c.id(), signal);
        }
    }
}

/// Seconds of video in the segment files, probed like Vigil probes its own after a crash.
fn recorded_seconds(dirs: &[PathBuf]) -> Result<f64, BenchError> {
    let mut us = 0i64;
    for dir in dirs {
        let entries = std::fs::read_dir(dir)
            .map_err(|e| BenchError::io(format!("cannot list {}", dir.display()), e))?;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|x| x == "mp4") {
                if let Ok(p) = probe_file(&path) {
                    us += p.duration_us;
                }
            }
        }
    }
    Ok(us as f64 / 1e6)
}
