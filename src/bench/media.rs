//! The benchmark's test video: 1080p25 H.264 at about 4 Mbit/s with a 2 s GOP, made once
//! with the `ffmpeg` CLI (test pattern plus moving noise, so the bitrate is real) and cached.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::BenchError;

pub const WIDTH: u32 = 1920;
pub const HEIGHT: u32 = 1080;
pub const FPS: u32 = 25;
pub const BITRATE: &str = "4M";

/// A cached test file and what ffprobe says about it.
#[derive(Debug, Clone)]
pub struct TestMedia {
    pub path: PathBuf,
    pub codec: String,
    pub width: u32,
    pub height: u32,
    pub duration_s: f64,
    pub bitrate_bps: f64,
}

/// Returns the cached test file of `duration_s` seconds in `work_dir`, making it first if
/// needed. Fails unless ffprobe reads it as H.264 1920x1080.
pub fn ensure(work_dir: &Path, duration_s: u64) -> Result<TestMedia, BenchError> {
    std::fs::create_dir_all(work_dir)
        .map_err(|e| BenchError::io(format!("cannot create {}", work_dir.display()), e))?;
    let name = format!("testsrc2-{HEIGHT}p{FPS}-{BITRATE}-gop2s-{duration_s}s.mp4");
    let path = work_dir.join(name);
    let cached = path.exists() && probe(&path).is_ok();
    if !cached {
        let partial = path.with_extension("partial.mp4");
        generate(&partial, duration_s)?;
        std::fs::rename(&partial, &path)
            .map_err(|e| BenchError::io(format!("cannot rename {}", partial.display()), e))?;
    }
    let path = path
        .canonicalize()
        .map_err(|e| BenchError::io(format!("cannot resolve {}", path.display()), e))?;
    probe(&path)
}

/// The first `seconds` of `media`, cut without re-encoding (cached beside it): the same
/// streams with almost no video, to measure what starting a camera costs.
pub fn clip(media: &TestMedia, seconds: u64) -> Result<TestMedia, BenchError> {
    let path = media.path.with_extension(format!("first{seconds}s.mp4"));
    if !(path.exists() && probe(&path).is_ok()) {
        let partial = path.with_extension("partial.mp4");
        let output = Command::new("ffmpeg")
            .args(["-nostdin", "-v", "error", "-y", "-i"])
            .arg(&media.path)
            .args([
                "-t",
                &seconds.to_string(),
                "-map",
                "0:v",
                "-c",
                "copy",
                "-f",
                "mp4",
            ])
            .arg(&partial)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| BenchError::tool("ffmpeg", e))?;
        if !output.status.success() {
            return Err(BenchError::Failed(format!(
                "ffmpeg could not cut the test video: {}",
                first_line(&output.stderr)
            )));
        }
        std::fs::rename(&partial, &path)
            .map_err(|e| BenchError::io(format!("cannot rename {}", partial.display()), e))?;
    }
    probe(&path)
}

fn generate(out: &Path, duration_s: u64) -> Result<(), BenchError> {
    let source = format!("testsrc2=size={WIDTH}x{HEIGHT}:rate={FPS}");
    let duration = duration_s.to_string();
    let mut cmd = Command::new("ffmpeg");
    cmd.args([
        "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", &source,
    ])
    .args(["-t", &duration, "-vf", "noise=alls=12:allf=t"])
    .args([
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-pix_fmt",
        "yuv420p",
    ])
    .args(["-b:v", BITRATE, "-maxrate", BITRATE, "-bufsize", "8M"])
    .args(["-g", "50", "-keyint_min", "50", "-sc_threshold", "0", "-an"])
    .args(["-f", "mp4"])
    .arg(out);
    let output = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| BenchError::tool("ffmpeg", e))?;
    if !output.status.success() {
        return Err(BenchError::Failed(format!(
            "ffmpeg could not make the test video: {}",
            first_line(&output.stderr)
        )));
    }
    Ok(())
}

/// Asks ffprobe what the file holds; accepts only H.264 at 1920x1080.
pub fn probe(path: &Path) -> Result<TestMedia, BenchError> {
    let output = Command::new("ffprobe")
        .args(["-v", "error", "-select_streams", "v:0"])
        .args([
            "-show_entries",
            "stream=codec_name,width,height:format=duration,bit_rate",
        ])
        .args(["-of", "default=noprint_wrappers=1"])
        .arg(path)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| BenchError::tool("ffprobe", e))?;
    let text = String::from_utf8_lossy(&output.stdout);
    let field = |key: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(key)?.strip_prefix('='))
            .map(str::trim)
            .unwrap_or("")
            .to_string()
    };
    let media = TestMedia {
        path: path.to_path_buf(),
        codec: field("codec_name"),
        width: field("width").parse().unwrap_or(0),
        height: field("height").parse().unwrap_or(0),
        duration_s: field("duration").parse().unwrap_or(0.0),
        bitrate_bps: field("bit_rate").parse().unwrap_or(0.0),
    };
    if !output.status.success()
        || media.codec != "h264"
        || (media.width, media.height) != (WIDTH, HEIGHT)
        || media.duration_s <= 0.0
    {
        return Err(BenchError::Failed(format!(
            "{} is not H.264 {WIDTH}x{HEIGHT} (ffprobe: codec '{}', {}x{}, {} s) {}",
            path.display(),
            media.codec,
            media.width,
            media.height,
            media.duration_s,
            first_line(&output.stderr)
        )));
    }
    Ok(media)
}

/// The first line of a tool's error output, for messages.
pub fn first_line(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("no message")
        .trim()
        .to_string()
}
