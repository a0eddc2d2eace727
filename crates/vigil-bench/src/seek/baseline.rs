//! The seek benchmark's baseline: one `ffmpeg -ss T -i SEGMENT -frames:v 1` process per
//! seek (accurate seek: decode from the keyframe before, drop what precedes T), writing the
//! RGBA picture to a pipe — what a tool without a resident decoder pays for one picture.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::media::first_line;
use crate::BenchError;
use vigil_core::media::decode::RgbaImage;

/// Runs one accurate seek; returns the time from spawning to the last byte, and the picture.
pub(super) fn ffmpeg_seek(
    file: &Path,
    seconds: f64,
    size: (u32, u32),
) -> Result<(Duration, Vec<u8>), BenchError> {
    let scale = format!("scale={}:{}:flags=fast_bilinear", size.0, size.1);
    let started = Instant::now();
    let out = Command::new("ffmpeg")
        .args([
            "-nostdin",
            "-v",
            "error",
            "-ss",
            &format!("{seconds:.6}"),
            "-i",
        ])
        .arg(file)
        .args(["-frames:v", "1", "-an", "-vf", &scale])
        .args(["-f", "rawvideo", "-pix_fmt", "rgba", "-"])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| BenchError::tool("ffmpeg", e))?;
    let took = started.elapsed();
    let want = size.0 as usize * size.1 as usize * 4;
    if !out.status.success() || out.stdout.len() != want {
        return Err(BenchError::Failed(format!(
            "ffmpeg gave {} bytes for a {}x{} picture at {seconds:.3} s of {}: {}",
            out.stdout.len(),
            size.0,
            size.1,
            file.display(),
            first_line(&out.stderr)
        )));
    }
    Ok((took, out.stdout))
}

/// Mean absolute difference per byte between two pictures of the same size (alpha
/// included: it is 255 in both).
pub(super) fn mean_abs_diff(ours: &RgbaImage, theirs: &[u8]) -> f64 {
    if ours.data.len() != theirs.len() || theirs.is_empty() {
        return f64::NAN;
    }
    let sum: u64 = ours
        .data
        .iter()
        .zip(theirs)
        .map(|(a, b)| u64::from(a.abs_diff(*b)))
        .sum();
    sum as f64 / theirs.len() as f64
}
