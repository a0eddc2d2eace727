//! The export benchmark's library: the remux benchmark's 60 s 1080p25 file cut, without
//! re-encoding, into 10-s fragmented-MP4 segments (as the recorder writes them) by
//! `ffmpeg -f segment`, each indexed as a continuous segment of one camera.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::super::media::first_line;
use super::super::BenchError;
use vigil_core::library::layout::segment_rel_path;
use vigil_core::library::{FinishedSegment, Library};
use vigil_core::media::probe::probe_file;
use vigil_core::model::{CameraName, NewCamera, Policy, RecordMode, SegmentKind, Transport};

/// The camera the segments belong to.
pub const CAMERA: &str = "bench";
/// Wall time of the first segment's start: 2026-01-01T00:00:00Z.
pub const BASE_US: i64 = 1_767_225_600_000_000;

/// A data directory holding the cut segments, indexed.
pub struct CutLibrary {
    pub data_dir: PathBuf,
}

/// Cuts `media` into `segment_s` segments in a data directory under `dir` (new and empty)
/// and indexes them one after the other from [`BASE_US`].
pub fn build(media: &Path, segment_s: u32, dir: &Path) -> Result<CutLibrary, BenchError> {
    let cut_dir = dir.join("cut");
    std::fs::create_dir_all(&cut_dir)
        .map_err(|e| BenchError::io(format!("cannot create {}", cut_dir.display()), e))?;
    cut(media, segment_s, &cut_dir)?;
    let data_dir = dir.join("data");
    let mut lib = Library::open(&data_dir)?;
    let cam = lib.add_camera(
        &NewCamera {
            name: CameraName::parse(CAMERA).map_err(vigil_core::library::LibraryError::from)?,
            url: media.to_string_lossy().into_owned(),
            detect_url: None,
            transport: Transport::Tcp,
            enabled: false,
            audio: false,
        },
        &Policy {
            mode: RecordMode::Continuous,
            segment_s,
            ..Policy::default()
        },
    )?;
    let mut cut_files: Vec<PathBuf> = std::fs::read_dir(&cut_dir)
        .map_err(|e| BenchError::io(format!("cannot list {}", cut_dir.display()), e))?
        .flatten()
        .map(|e| e.path())
        .collect();
    cut_files.sort();
    let mut start_us = BASE_US;
    let mut indexed = 0;
    for file in cut_files {
        let info = probe_file(&file)?;
        let rel = segment_rel_path(CAMERA, SegmentKind::Continuous, start_us);
        let abs = lib.absolute(&rel);
        if let Some(parent) = abs.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| BenchError::io(format!("cannot create {}", parent.display()), e))?;
        }
        std::fs::rename(&file, &abs)
            .map_err(|e| BenchError::io(format!("cannot move {}", file.display()), e))?;
        let bytes = std::fs::metadata(&abs)
            .map_err(|e| BenchError::io(format!("cannot stat {}", abs.display()), e))?
            .len();
        lib.begin_segment(cam.id, SegmentKind::Continuous, start_us, &rel)?;
        lib.finish_segment(&FinishedSegment {
            camera_id: cam.id,
            kind: SegmentKind::Continuous,
            start_us,
            end_us: start_us + info.duration_us,
            rel_path: rel,
            bytes,
            codec: info.codec.as_str().to_string(),
            width: info.width,
            height: info.height,
            frames: info.frames,
            event_id: None,
            audio_codec: None,
        })?;
        start_us += info.duration_us;
        indexed += 1;
    }
    if indexed < 2 {
        return Err(BenchError::Failed(format!(
            "cutting the test video gave {} segment(s)",
            indexed
        )));
    }
    Ok(CutLibrary { data_dir })
}

/// `ffmpeg -c copy -f segment` into fragmented MP4s like the recorder's: a fragment per
/// keyframe and at least every second, timestamps starting at 0 in every file.
fn cut(media: &Path, segment_s: u32, out_dir: &Path) -> Result<(), BenchError> {
    let output = Command::new("ffmpeg")
        .args(["-nostdin", "-v", "error", "-i"])
        .arg(media)
        .args(["-map", "0:v", "-c", "copy", "-f", "segment"])
        .args([
            "-segment_time",
            &segment_s.to_string(),
            "-reset_timestamps",
            "1",
        ])
        .args(["-segment_format", "mp4", "-segment_format_options"])
        .arg("movflags=+frag_keyframe+empty_moov+default_base_moof:frag_duration=1000000")
        .arg(out_dir.join("seg%03d.mp4"))
        .stdin(Stdio::null())
        .output()
        .map_err(|e| BenchError::tool("ffmpeg", e))?;
    if !output.status.success() {
        return Err(BenchError::Failed(format!(
            "ffmpeg could not cut the test video into segments: {}",
            first_line(&output.stderr)
        )));
    }
    Ok(())
}
