//! `vigil bench export`: exporting a range that spans several recorded segments, timed
//! against ffmpeg doing the same in the same run — `ffmpeg -ss … -c copy` on the original
//! file, and `ffmpeg -f concat` over the same segment files — as wall and CPU time, medians
//! of N rounds whose order rotates.

mod process;
mod report;
mod setup;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use super::measure::cpu_self;
use super::media::{self, TestMedia};
use super::BenchError;
use process::{describe, run_child, startup_cost, write_concat_list};
use vigil_core::export::{self, Progress};
use vigil_core::library::Library;
use vigil_core::model::time::format_rfc3339;

/// What `vigil bench export` runs.
#[derive(Debug, Clone)]
pub struct ExportBenchOptions {
    /// Holds the cached test video and, while running, the library and outputs.
    pub work_dir: PathBuf,
    pub rounds: usize,
    /// Start of the exported range, seconds into the 60-s video.
    pub from_s: f64,
    /// Length of the exported range, seconds.
    pub seconds: f64,
    /// Segment length of the library, seconds.
    pub segment_s: u32,
}

/// One way of exporting the range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Way {
    /// `export::plan` + `export::write` in this process (what the app calls).
    VigilApi,
    /// `vigil export …` as a child process, start-up included.
    VigilCli,
    /// `ffmpeg -ss FROM -i ORIGINAL -t DUR -c copy`.
    FfmpegSeek,
    /// The same with `-movflags +faststart`, as Vigil writes.
    FfmpegSeekFaststart,
    /// `ffmpeg -f concat` over the segment files, `+faststart`.
    FfmpegConcat,
}

pub const WAYS: [Way; 5] = [
    Way::VigilApi,
    Way::VigilCli,
    Way::FfmpegSeek,
    Way::FfmpegSeekFaststart,
    Way::FfmpegConcat,
];

/// The figures of one way.
#[derive(Debug, Clone, Default)]
pub struct WayFigures {
    /// Per round, seconds.
    pub wall_s: Vec<f64>,
    pub cpu_s: Vec<f64>,
    /// What the output holds (ffprobe): length in seconds, frames, bytes.
    pub video_s: f64,
    pub frames: u64,
    pub bytes: u64,
}

/// The benchmark's result.
#[derive(Debug, Clone)]
pub struct ExportBenchReport {
    pub media: TestMedia,
    pub opts: ExportBenchOptions,
    /// Segment files the range spans.
    pub segments_used: usize,
    /// Vigil's own account of its output.
    pub vigil_summary: String,
    pub ways: Vec<(Way, WayFigures)>,
    /// `vigil --version` and `ffmpeg -version` (wall and CPU per round; no video): what
    /// starting either process costs before any work.
    pub startup: (WayFigures, WayFigures),
}

/// Runs the export benchmark.
pub fn export(
    opts: &ExportBenchOptions,
    progress: &mut dyn FnMut(&str),
) -> Result<ExportBenchReport, BenchError> {
    progress("test video: 60 s of 1080p25 H.264 at 4 Mbit/s (made once, then cached)");
    let media = media::ensure(&opts.work_dir, 60)?;
    let scratch = crate::scratch::dir(&opts.work_dir, "export-bench-")?;
    let dir = scratch.path().to_path_buf();
    progress(&format!("cutting it into {} s segments", opts.segment_s));
    let cut = setup::build(&media.path, opts.segment_s, &dir)?;
    let from_us = setup::BASE_US + (opts.from_s * 1e6).round() as i64;
    let to_us = from_us + (opts.seconds * 1e6).round() as i64;
    let lib = Library::open(&cut.data_dir)?;
    let plan = export::plan(&lib, setup::CAMERA, from_us, to_us).map_err(failed)?;
    let used: Vec<PathBuf> = plan
        .pieces
        .iter()
        .map(|p| PathBuf::from(&p.segment.path))
        .collect();
    let first_used_start = plan.pieces.first().map_or(from_us, |p| p.segment.start_us);
    let list = dir.join("concat.txt");
    write_concat_list(&list, &used)?;
    let job = Job {
        lib: &lib,
        data_dir: &cut.data_dir,
        media: &media.path,
        list: &list,
        from_us,
        to_us,
        from_s: opts.from_s,
        concat_from_s: (from_us - first_used_start) as f64 / 1e6,
        seconds: opts.seconds,
    };
    let mut ways: Vec<(Way, WayFigures)> =
        WAYS.iter().map(|w| (*w, WayFigures::default())).collect();
    let mut vigil_summary = String::new();
    let mut startup = (WayFigures::default(), WayFigures::default());
    for round in 0..opts.rounds {
        progress(&format!("round {} of {}", round + 1, opts.rounds));
        let n = ways.len();
        for k in 0..n {
            let i = (k + round) % n;
            let way = ways[i].0;
            let out = dir.join(format!("out-{i}.mp4"));
            let _ = std::fs::remove_file(&out);
            let (wall, cpu, summary) = job.run(way, &out)?;
            let figures = &mut ways[i].1;
            figures.wall_s.push(wall.as_secs_f64());
            figures.cpu_s.push(cpu.as_secs_f64());
            if round == 0 {
                (figures.video_s, figures.frames, figures.bytes) = describe(&out)?;
                if let Some(s) = summary {
                    vigil_summary = s;
                }
            }
        }
        for (figures, (wall, cpu)) in [&mut startup.0, &mut startup.1]
            .into_iter()
            .zip(startup_cost()?)
        {
            figures.wall_s.push(wall.as_secs_f64());
            figures.cpu_s.push(cpu.as_secs_f64());
        }
    }
    drop(lib);
    drop(scratch);
    Ok(ExportBenchReport {
        media,
        opts: opts.clone(),
        segments_used: used.len(),
        vigil_summary,
        ways,
        startup,
    })
}

/// Everything one run of one way needs.
struct Job<'a> {
    lib: &'a Library,
    data_dir: &'a Path,
    media: &'a Path,
    list: &'a Path,
    from_us: i64,
    to_us: i64,
    from_s: f64,
    concat_from_s: f64,
    seconds: f64,
}

impl Job<'_> {
    /// Runs one way into `out`: wall time, CPU time, and Vigil's summary line if in process.
    fn run(
        &self,
        way: Way,
        out: &Path,
    ) -> Result<(Duration, Duration, Option<String>), BenchError> {
        let secs = |s: f64| format!("{s:.3}");
        let mut cmd = match way {
            Way::VigilApi => {
                let (t0, cpu0) = (Instant::now(), cpu_self()?);
                let plan = export::plan(self.lib, setup::CAMERA, self.from_us, self.to_us)
                    .map_err(failed)?;
                let report = export::write(&plan, out, true, &Progress::new()).map_err(failed)?;
                let (wall, cpu) = (t0.elapsed(), cpu_self()?.saturating_sub(cpu0));
                return Ok((wall, cpu, Some(report.summary())));
            }
            Way::VigilCli => {
                let exe = std::env::current_exe()
                    .map_err(|e| BenchError::io("cannot find the vigil binary", e))?;
                let mut c = Command::new(exe);
                c.arg("--data-dir").arg(self.data_dir).args([
                    "export",
                    "--camera",
                    setup::CAMERA,
                    "--from",
                    &format_rfc3339(self.from_us),
                    "--to",
                    &format_rfc3339(self.to_us),
                    "--force",
                    "-o",
                ]);
                c.arg(out);
                c
            }
            Way::FfmpegSeek | Way::FfmpegSeekFaststart => {
                let mut c = Command::new("ffmpeg");
                c.args(["-nostdin", "-v", "error", "-ss", &secs(self.from_s), "-i"])
                    .arg(self.media)
                    .args(["-t", &secs(self.seconds), "-map", "0:v", "-c", "copy"]);
                if way == Way::FfmpegSeekFaststart {
                    c.args(["-movflags", "+faststart"]);
                }
                c.arg("-y").arg(out);
                c
            }
            Way::FfmpegConcat => {
                let mut c = Command::new("ffmpeg");
                c.args(["-nostdin", "-v", "error", "-f", "concat", "-safe", "0"])
                    .args(["-ss", &secs(self.concat_from_s), "-i"])
                    .arg(self.list)
                    .args(["-t", &secs(self.seconds), "-map", "0:v", "-c", "copy"])
                    .args(["-movflags", "+faststart", "-y"])
                    .arg(out);
                c
            }
        };
        let (wall, cpu) = run_child(&mut cmd, way)?;
        Ok((wall, cpu, None))
    }
}

fn failed(e: export::ExportError) -> BenchError {
    BenchError::Failed(format!("export failed: {e}"))
}
