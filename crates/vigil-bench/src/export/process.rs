//! The export benchmark's child processes and files: running a command to its end with its
//! wall and CPU time, process start-up alone, the concat list, and ffprobe of an output.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::super::measure::{signal_child, try_wait_child};
use super::super::media::first_line;
use super::super::BenchError;
use super::Way;

/// Wall and CPU time of starting and ending each process with no work: `vigil --version`
/// and `ffmpeg -version` (both load the FFmpeg libraries).
pub fn startup_cost() -> Result<[(Duration, Duration); 2], BenchError> {
    let exe =
        std::env::current_exe().map_err(|e| BenchError::io("cannot find the vigil binary", e))?;
    let vigil = run_child(Command::new(exe).arg("--version"), Way::VigilCli)?;
    let ffmpeg = run_child(Command::new("ffmpeg").arg("-version"), Way::FfmpegSeek)?;
    Ok([vigil, ffmpeg])
}

/// Runs a child to its end: wall time and its CPU time (`wait4`), polled every millisecond.
pub fn run_child(cmd: &mut Command, way: Way) -> Result<(Duration, Duration), BenchError> {
    let t0 = Instant::now();
    let child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            BenchError::tool(
                if way == Way::VigilCli {
                    "vigil"
                } else {
                    "ffmpeg"
                },
                e,
            )
        })?;
    let deadline = t0 + Duration::from_secs(300);
    let usage = loop {
        if let Some(u) = try_wait_child(child.id())? {
            break u;
        }
        if Instant::now() > deadline {
            signal_child(child.id(), libc::SIGKILL);
            return Err(BenchError::Failed(format!("{way:?} took over 5 minutes")));
        }
        std::thread::sleep(Duration::from_millis(1));
    };
    let wall = t0.elapsed();
    if !usage.success {
        let mut log = Vec::new();
        if let Some(mut err) = child.stderr {
            let _ = std::io::Read::read_to_end(&mut err, &mut log);
        }
        return Err(BenchError::Failed(format!(
            "{way:?} failed: {}",
            first_line(&log)
        )));
    }
    Ok((wall, usage.cpu))
}

pub fn write_concat_list(list: &Path, files: &[PathBuf]) -> Result<(), BenchError> {
    let text: String = files
        .iter()
        .map(|f| format!("file '{}'\n", f.display()))
        .collect();
    std::fs::write(list, text)
        .map_err(|e| BenchError::io(format!("cannot write {}", list.display()), e))
}

/// ffprobe's view of an output: length (edit list applied), video frames, bytes.
pub fn describe(path: &Path) -> Result<(f64, u64, u64), BenchError> {
    let output = Command::new("ffprobe")
        .args(["-v", "error", "-select_streams", "v:0"])
        .args(["-show_entries", "stream=nb_frames:format=duration,size"])
        .args(["-of", "default=noprint_wrappers=1"])
        .arg(path)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| BenchError::tool("ffprobe", e))?;
    let text = String::from_utf8_lossy(&output.stdout);
    let field = |key: &str| -> f64 {
        text.lines()
            .find_map(|l| l.strip_prefix(key)?.strip_prefix('='))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(f64::NAN)
    };
    if !output.status.success() {
        return Err(BenchError::Failed(format!(
            "ffprobe cannot read {}: {}",
            path.display(),
            first_line(&output.stderr)
        )));
    }
    Ok((
        field("duration"),
        field("nb_frames") as u64,
        field("size") as u64,
    ))
}
