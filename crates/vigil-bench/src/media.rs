//! The benchmarks' test videos, made once with the `ffmpeg` CLI and cached: H.264 with a 2 s
//! GOP from a lavfi source. The remux benchmark's is 1080p25 at about 4 Mbit/s (test pattern
//! plus moving noise, so the bitrate is real); others are described by a [`Recipe`].

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::BenchError;

pub const WIDTH: u32 = 1920;
pub const HEIGHT: u32 = 1080;
pub const FPS: u32 = 25;
pub const BITRATE: &str = "4M";
/// Every test video has a keyframe every this many seconds.
pub const GOP_S: u32 = 2;

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

/// How a test video is made: a lavfi source, optional filters, and x264 settings.
#[derive(Debug, Clone)]
pub struct Recipe {
    /// File name stem; the duration is appended.
    pub name: String,
    pub width: u32,
    pub height: u32,
    pub fps: u32,
    /// lavfi source, e.g. `testsrc2=size=1920x1080:rate=25`.
    pub source: String,
    /// `-vf` filter graph, if any.
    pub filters: Option<String>,
    /// x264 preset, profile and rate control arguments.
    pub encode: Vec<String>,
}

impl Recipe {
    /// The remux benchmark's video: test pattern plus moving noise, libx264 ultrafast at
    /// 4 Mbit/s.
    pub fn remux() -> Self {
        Self {
            name: format!("testsrc2-{HEIGHT}p{FPS}-{BITRATE}-gop2s"),
            width: WIDTH,
            height: HEIGHT,
            fps: FPS,
            source: format!("testsrc2=size={WIDTH}x{HEIGHT}:rate={FPS}"),
            filters: Some("noise=alls=12:allf=t".into()),
            encode: ["-preset", "ultrafast", "-b:v", BITRATE, "-maxrate", BITRATE]
                .into_iter()
                .chain(["-bufsize", "8M"])
                .map(String::from)
                .collect(),
        }
    }
}

/// Returns the remux benchmark's cached test file of `duration_s` seconds in `work_dir`,
/// making it first if needed. Fails unless ffprobe reads it as H.264 1920x1080.
pub fn ensure(work_dir: &Path, duration_s: u64) -> Result<TestMedia, BenchError> {
    make(work_dir, &Recipe::remux(), duration_s)
}

/// Returns the cached test file made by `recipe`, `duration_s` seconds long, making it first
/// if needed. Fails unless ffprobe reads it as H.264 at the recipe's size.
pub fn make(work_dir: &Path, recipe: &Recipe, duration_s: u64) -> Result<TestMedia, BenchError> {
    std::fs::create_dir_all(work_dir)
        .map_err(|e| BenchError::io(format!("cannot create {}", work_dir.display()), e))?;
    let size = (recipe.width, recipe.height);
    let path = work_dir.join(format!("{}-{duration_s}s.mp4", recipe.name));
    let cached = path.exists() && probe(&path, size).is_ok();
    if !cached {
        let partial = path.with_extension("partial.mp4");
        generate(&partial, recipe, duration_s)?;
        std::fs::rename(&partial, &path)
            .map_err(|e| BenchError::io(format!("cannot rename {}", partial.display()), e))?;
    }
    let path = path
        .canonicalize()
        .map_err(|e| BenchError::io(format!("cannot resolve {}", path.display()), e))?;
    probe(&path, size)
}

/// The first `seconds` of `media`, cut without re-encoding (cached beside it): the same
/// streams with almost no video, to measure what starting a camera costs.
pub fn clip(media: &TestMedia, seconds: u64) -> Result<TestMedia, BenchError> {
    let path = media.path.with_extension(format!("first{seconds}s.mp4"));
    let size = (media.width, media.height);
    if !(path.exists() && probe(&path, size).is_ok()) {
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
    probe(&path, size)
}

fn generate(out: &Path, recipe: &Recipe, duration_s: u64) -> Result<(), BenchError> {
    let (duration, gop) = (duration_s.to_string(), (GOP_S * recipe.fps).to_string());
    let mut cmd = Command::new("ffmpeg");
    cmd.args(["-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i"])
        .arg(&recipe.source)
        .args(["-t", &duration]);
    if let Some(filters) = &recipe.filters {
        cmd.args(["-vf", filters]);
    }
    cmd.args(["-c:v", "libx264", "-pix_fmt", "yuv420p"])
        .args(&recipe.encode)
        .args(["-g", &gop, "-keyint_min", &gop, "-sc_threshold", "0", "-an"])
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

/// Asks ffprobe what the file holds; accepts only H.264 at `size` (width, height).
pub fn probe(path: &Path, size: (u32, u32)) -> Result<TestMedia, BenchError> {
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
        || (media.width, media.height) != size
        || media.duration_s <= 0.0
    {
        return Err(BenchError::Failed(format!(
            "{} is not H.264 {}x{} (ffprobe: codec '{}', {}x{}, {} s) {}",
            path.display(),
            size.0,
            size.1,
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
