//! `vigil bench integrity`: the integrity check's re-hashing speed (GB/s) on a generated
//! library of recordings (files of pseudo-random bytes, indexed and chained through the
//! library's own API), against `sha256sum` reading the same files in the same run. The
//! files were just written, so both read from the page cache: the figure is the hashing's,
//! not the disk's (a cold check runs at the disk's read speed when that is lower).

use std::fmt::{self, Display, Formatter};
use std::io::Write;
use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use vigil_core::evidence::integrity::{self, CheckScope};
use vigil_core::library::layout::segment_rel_path;
use vigil_core::library::{FinishedSegment, Library};
use vigil_core::model::{CameraName, NewCamera, Policy, SegmentKind, Transport};

use super::measure::cpu_self;
use super::BenchError;

/// What `vigil bench integrity` runs.
#[derive(Debug, Clone)]
pub struct IntegrityOptions {
    /// Where the generated library is made (removed after).
    pub work_dir: PathBuf,
    pub files: usize,
    /// Size of each file, bytes.
    pub file_bytes: u64,
}

/// What it measured.
#[derive(Debug, Clone)]
pub struct IntegrityBench {
    pub files: usize,
    pub bytes: u64,
    /// Indexing every file (hash, row, signed chain entry), seconds.
    pub index_s: f64,
    pub check_wall_s: f64,
    pub check_cpu_s: f64,
    pub problems: usize,
    pub sha256sum_s: f64,
}

/// Generates the library, checks it, then runs `sha256sum` on the same files.
pub fn integrity(
    opts: &IntegrityOptions,
    progress: &mut dyn FnMut(&str),
) -> Result<IntegrityBench, BenchError> {
    std::fs::create_dir_all(&opts.work_dir)
        .map_err(|e| BenchError::io(format!("cannot create {}", opts.work_dir.display()), e))?;
    // A scratch library that removes itself, whatever happens.
    let scratch = tempfile::Builder::new()
        .prefix("integrity-")
        .tempdir_in(&opts.work_dir)
        .map_err(|e| BenchError::io("cannot make a scratch folder", e))?;
    run(opts, scratch.path(), progress)
}

fn run(
    opts: &IntegrityOptions,
    dir: &std::path::Path,
    progress: &mut dyn FnMut(&str),
) -> Result<IntegrityBench, BenchError> {
    let mut lib = Library::open(dir)?;
    let cam = lib
        .add_camera(
            &NewCamera {
                name: CameraName::parse("bench")
                    .map_err(vigil_core::library::LibraryError::from)?,
                url: "rtsp://192.0.2.1/bench".into(),
                detect_url: None,
                transport: Transport::Tcp,
                enabled: true,
                audio: false,
            },
            &Policy::default(),
        )?
        .id;
    progress(&format!(
        "writing {} files of {} MB",
        opts.files,
        opts.file_bytes / 1_000_000
    ));
    let paths = write_files(&lib, opts)?;
    let t0 = Instant::now();
    for (i, rel) in paths.iter().enumerate() {
        let start_us = 1_790_000_000_000_000 + i as i64 * 60_000_000;
        lib.finish_segment(&FinishedSegment {
            camera_id: cam,
            kind: SegmentKind::Continuous,
            start_us,
            end_us: start_us + 60_000_000,
            rel_path: rel.clone(),
            bytes: opts.file_bytes,
            codec: "h264".into(),
            width: 1920,
            height: 1080,
            frames: 1500,
            event_id: None,
            audio_codec: None,
        })?;
    }
    let index_s = t0.elapsed().as_secs_f64();
    progress("vigil check --integrity's check");
    let (cpu0, t0) = (cpu_self()?, Instant::now());
    let report = integrity::check(&lib, CheckScope::default(), &mut |_| {})?;
    let (check_wall_s, check_cpu_s) = (
        t0.elapsed().as_secs_f64(),
        (cpu_self()? - cpu0).as_secs_f64(),
    );
    progress("sha256sum on the same files");
    let t0 = Instant::now();
    let out = Command::new("sha256sum")
        .args(paths.iter().map(|p| lib.absolute(p)))
        .output()
        .map_err(|e| BenchError::io("cannot run sha256sum", e))?;
    if !out.status.success() {
        return Err(BenchError::Failed("sha256sum failed".into()));
    }
    Ok(IntegrityBench {
        files: opts.files,
        bytes: opts.file_bytes * opts.files as u64,
        index_s,
        check_wall_s,
        check_cpu_s,
        problems: report.problems.len(),
        sha256sum_s: t0.elapsed().as_secs_f64(),
    })
}

/// Files of pseudo-random bytes (xorshift), relative paths.
fn write_files(lib: &Library, opts: &IntegrityOptions) -> Result<Vec<String>, BenchError> {
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut block = vec![0u8; 1 << 20];
    let mut out = Vec::with_capacity(opts.files);
    for i in 0..opts.files {
        let rel = segment_rel_path(
            "cam-1",
            SegmentKind::Continuous,
            1_790_000_000_000_000 + i as i64 * 60_000_000,
        );
        let abs = lib.absolute(&rel);
        let fail = |e| BenchError::io(format!("cannot write {}", abs.display()), e);
        if let Some(parent) = abs.parent() {
            std::fs::create_dir_all(parent).map_err(fail)?;
        }
        let mut file = std::io::BufWriter::new(std::fs::File::create(&abs).map_err(fail)?);
        let mut left = opts.file_bytes;
        while left > 0 {
            for chunk in block.chunks_exact_mut(8) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                chunk.copy_from_slice(&state.to_le_bytes());
            }
            let n = left.min(block.len() as u64) as usize;
            file.write_all(&block[..n]).map_err(fail)?;
            left -= n as u64;
        }
        file.flush().map_err(fail)?;
        out.push(rel);
    }
    Ok(out)
}

impl Display for IntegrityBench {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let gb = self.bytes as f64 / 1e9;
        writeln!(
            f,
            "{} recordings, {gb:.2} GB (in the page cache)",
            self.files
        )?;
        writeln!(f, "{:<40}{:>12}{:>14}", "", "Vigil check", "sha256sum")?;
        writeln!(
            f,
            "{:<40}{:>12.2}{:>14.2}",
            "wall time (s)", self.check_wall_s, self.sha256sum_s
        )?;
        writeln!(
            f,
            "{:<40}{:>12.2}{:>14.2}",
            "re-hashed (GB/s)",
            gb / self.check_wall_s,
            gb / self.sha256sum_s
        )?;
        writeln!(f, "{:<40}{:>12.2}", "CPU time (s)", self.check_cpu_s)?;
        writeln!(
            f,
            "  indexing (hash, row, signed chain entry): {:.2} s, {:.2} ms per recording",
            self.index_s,
            self.index_s * 1000.0 / self.files.max(1) as f64
        )?;
        writeln!(f, "  problems found: {} (expected 0)", self.problems)
    }
}
