//! The real clips the detection bench runs on and their hand-made annotations
//! (`tests/data/detect/*.json`): where they are, and their annotated frames as RGB pictures.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde::Deserialize;

use crate::media::first_line;
use crate::BenchError;

/// The people clip and the clip without people, as named in `tests/data/detect/`.
pub const PEOPLE: &str = "vtest";
pub const NO_PEOPLE: &str = "tree";

/// The annotations, compiled in so the bench runs from any directory.
const VTEST_JSON: &str = include_str!("../../../../tests/data/detect/vtest.json");
const TREE_JSON: &str = include_str!("../../../../tests/data/detect/tree.json");

/// A box in pixels: x, y, w, h.
pub type PixelBox = [u32; 4];

/// One clip's annotations.
#[derive(Debug, Clone, Deserialize)]
pub struct Annotations {
    /// File name of the clip (`vtest.avi`).
    pub clip: String,
    pub sha256: String,
    /// Width and height of the frames the boxes are in.
    pub size: [u32; 2],
    pub frames: Vec<AnnotatedFrame>,
}

/// The people in one frame, by decoded frame index.
#[derive(Debug, Clone, Deserialize)]
pub struct AnnotatedFrame {
    pub frame: u32,
    pub time_s: f64,
    pub people: Vec<PixelBox>,
    /// Mostly hidden or cut by the edge: a detection on them is neither right nor wrong.
    #[serde(default)]
    pub difficult: Vec<PixelBox>,
    /// A hand in front of the lens (the no-people clip): reported apart.
    #[serde(default)]
    pub hand: bool,
}

impl Annotations {
    /// The committed annotations of `name` (`vtest` or `tree`).
    pub fn load(name: &str) -> Result<Self, BenchError> {
        let text = match name {
            PEOPLE => VTEST_JSON,
            NO_PEOPLE => TREE_JSON,
            other => return Err(BenchError::Failed(format!("no annotations for {other}"))),
        };
        serde_json::from_str(text)
            .map_err(|e| BenchError::Failed(format!("the annotations of {name} are invalid: {e}")))
    }

    /// The clip in `dir`, or a sentence saying how to fetch it.
    pub fn clip_path(&self, dir: &Path) -> Result<PathBuf, BenchError> {
        let path = dir.join(&self.clip);
        if path.is_file() {
            Ok(path)
        } else {
            Err(BenchError::Failed(format!(
                "the clip {} is missing; run packaging/fetch-detect-clips.sh {} first",
                path.display(),
                dir.display()
            )))
        }
    }
}

/// Where `packaging/fetch-detect-clips.sh` puts the clips by default.
pub fn default_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("VIGIL_DETECT_CLIPS") {
        return PathBuf::from(dir);
    }
    let home = std::env::var_os("HOME").map_or_else(|| PathBuf::from("."), PathBuf::from);
    home.join(".cache/vigil/detect-clips")
}

/// `clip` as H.264 in an MP4 (what a camera sends; Vigil reads only H.264 and H.265), made
/// once into `work_dir` with its frames' timestamps kept, no B-frames (cameras send none),
/// a key frame every 20 frames.
pub fn h264(clip: &Path, work_dir: &Path) -> Result<PathBuf, BenchError> {
    let stem = clip
        .file_stem()
        .map_or_else(|| "clip".into(), |s| s.to_string_lossy());
    let out = work_dir.join(format!("{stem}-h264.mp4"));
    if out.is_file() {
        return Ok(out);
    }
    std::fs::create_dir_all(work_dir)
        .map_err(|e| BenchError::io(format!("cannot create {}", work_dir.display()), e))?;
    let tmp = work_dir.join(format!("{stem}.tmp.mp4"));
    let done = Command::new("ffmpeg")
        .args(["-nostdin", "-v", "error", "-y", "-i"])
        .arg(clip)
        .args([
            "-an", "-c:v", "libx264", "-preset", "veryfast", "-crf", "18",
        ])
        .args([
            "-pix_fmt",
            "yuv420p",
            "-g",
            "20",
            "-bf",
            "0",
            "-fps_mode",
            "passthrough",
        ])
        .arg(&tmp)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| BenchError::tool("ffmpeg", e))?;
    if !done.status.success() {
        let _ = std::fs::remove_file(&tmp);
        return Err(BenchError::Failed(format!(
            "ffmpeg could not make an H.264 copy of {}: {}",
            clip.display(),
            first_line(&done.stderr)
        )));
    }
    std::fs::rename(&tmp, &out)
        .map_err(|e| BenchError::io(format!("cannot write {}", out.display()), e))?;
    Ok(out)
}

/// An owned RGB24 picture.
#[derive(Debug, Clone)]
pub struct Picture {
    pub width: u32,
    pub height: u32,
    pub data: Vec<u8>,
}

/// The frames `indices` of `clip` as RGB, decoded by ffmpeg (the same frames the annotations
/// were made on), `width` wide (`None`: full size; else scaled like the analyzer does, fast
/// bilinear, aspect kept, even height). `size` is the clip's frame size.
pub fn frames(
    clip: &Path,
    size: [u32; 2],
    indices: &[u32],
    width: Option<u32>,
) -> Result<Vec<Picture>, BenchError> {
    let select: Vec<String> = indices.iter().map(|n| format!("eq(n\\,{n})")).collect();
    let mut filter = format!("select='{}'", select.join("+"));
    let (w, h) = match width {
        Some(w) => {
            let h = ((u64::from(size[1]) * u64::from(w) / u64::from(size[0])) as u32) & !1;
            filter.push_str(&format!(",scale={w}:{h}:flags=fast_bilinear"));
            (w, h)
        }
        None => (size[0], size[1]),
    };
    let mut child = Command::new("ffmpeg")
        .args(["-nostdin", "-v", "error", "-i"])
        .arg(clip)
        .args(["-vf", &filter, "-fps_mode", "passthrough"])
        .args(["-f", "rawvideo", "-pix_fmt", "rgb24", "-"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| BenchError::tool("ffmpeg", e))?;
    let mut raw = Vec::new();
    if let Some(mut out) = child.stdout.take() {
        out.read_to_end(&mut raw)
            .map_err(|e| BenchError::io("cannot read ffmpeg's frames", e))?;
    }
    let mut log = Vec::new();
    if let Some(mut err) = child.stderr.take() {
        let _ = err.read_to_end(&mut log);
    }
    let status = child
        .wait()
        .map_err(|e| BenchError::io("cannot wait for ffmpeg", e))?;
    let one = w as usize * h as usize * 3;
    if !status.success() || raw.len() != one * indices.len() {
        return Err(BenchError::Failed(format!(
            "ffmpeg gave {} bytes for {} frames of {} ({w}x{h}): {}",
            raw.len(),
            indices.len(),
            clip.display(),
            first_line(&log)
        )));
    }
    Ok(raw
        .chunks_exact(one)
        .map(|c| Picture {
            width: w,
            height: h,
            data: c.to_vec(),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_annotations_parse_and_fit_their_frames() {
        let v = Annotations::load(PEOPLE).unwrap();
        assert_eq!(v.frames.len(), 26);
        let people: usize = v.frames.iter().map(|f| f.people.len()).sum();
        assert!(people > 100, "{people}");
        for f in &v.frames {
            for b in f.people.iter().chain(&f.difficult) {
                assert!(
                    b[0] + b[2] <= v.size[0] && b[1] + b[3] <= v.size[1],
                    "{b:?}"
                );
            }
        }
        let t = Annotations::load(NO_PEOPLE).unwrap();
        assert_eq!(t.frames.len(), 68);
        assert!(t.frames.iter().all(|f| f.people.is_empty()));
        assert_eq!(t.frames.iter().filter(|f| f.hand).count(), 15);
    }
}
