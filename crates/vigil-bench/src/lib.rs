//! Benchmarks that print figures side by side with a baseline measured in the same run.
//! `remux`: N cameras recorded by the real engine from a 1080p H.264 file, against the same
//! work done by `ffmpeg -c copy -f segment` processes — CPU per stream-second, CPU share of
//! one core for live-paced cameras, and peak memory per camera; and the CPU of converting
//! one camera's G.711 sound to AAC.
//! `motion`: CPU of motion analysis against decoding alone and `ffmpeg -f null`, event
//! latency through the real engine, and the pre-event buffer's memory.
//! `ui`: the desktop app's UI time per frame and CPU with 1, 4 and 16 live tiles, against
//! ffmpeg decoding and scaling the same streams to the tile size.
//! `seek`: playback seek latency (request → decoded RGBA picture) on 1080p H.264 segments,
//! against one accurate-seek `ffmpeg -ss` process per picture.
//! `export`: a multi-segment export against `ffmpeg -ss … -c copy` and `-f concat`.
//! `motion_search`: motion search over a generated week of 16 cameras' and a year of one
//! camera's motion index, cold and warm, against the same search without the OR filter.
//! `timeline`: the timeline query on a generated 700 k-row library against the naive query,
//! and start-up on that library.
//! `web`: the web viewer's live latency in headless Chromium against a minimal relay;
//! `web --fanout` (`web_fanout`): the server's CPU with many live viewers against recording
//! alone.
//! `web-playback`: the web viewer's playback start on the 700 k-row library, against
//! `ffmpeg -ss … -c copy` and in Chromium.
//! `detect`: object detection's inference time against onnxruntime, CPU per camera with
//! motion-gated detection, and quality on hand-annotated real footage.
//! `integrity`: `vigil check --integrity`'s re-hashing speed against `sha256sum`.
//! `browser`: a headless Chromium driver over the DevTools protocol (tests and web benches).

pub mod audio;
mod baseline;
pub mod browser;
pub mod detect;
pub mod export;
mod fast;
pub mod integrity;
pub mod measure;
pub mod media;
pub mod motion;
pub mod motion_search;
mod report;
mod scratch;
pub mod seek;
pub mod timeline;
pub mod ui;
mod vigil;
pub mod web;
pub mod web_fanout;
pub mod web_playback;

use std::path::{Path, PathBuf};
use std::time::Duration;

pub use detect::{detect, DetectOptions, DetectReport};
pub use media::TestMedia;
pub use motion::{motion, MotionOptions, MotionReport};
pub use motion_search::{motion_search, MotionSearchOptions, MotionSearchReport};
pub use seek::{seek, SeekOptions, SeekReport};
pub use timeline::{timeline, TimelineOptions, TimelineReport};
pub use ui::{ui, UiOptions, UiReport, UiStreams};
use vigil_core::engine::EngineError;
use vigil_core::library::LibraryError;
use vigil_core::media::MediaError;
pub use web::{web, WebBenchOptions, WebReport};
pub use web_fanout::{web_fanout, FanoutOptions, FanoutReport};
pub use web_playback::{web_playback, WebPlaybackOptions, WebPlaybackReport};

/// Segment length both recorders use, seconds.
pub const SEGMENT_S: u32 = 10;

#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    #[error("{what}: {source}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot run {tool} (is FFmpeg installed?): {source}")]
    Tool {
        tool: &'static str,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Library(#[from] LibraryError),
    #[error(transparent)]
    Engine(#[from] EngineError),
    #[error(transparent)]
    Media(#[from] MediaError),
    #[error(transparent)]
    Browser(#[from] browser::BrowserError),
    #[error(transparent)]
    Integrity(#[from] vigil_core::evidence::integrity::IntegrityError),
    #[error("{0}")]
    Failed(String),
}

impl BenchError {
    pub(crate) fn io(what: impl Into<String>, source: std::io::Error) -> Self {
        Self::Io {
            what: what.into(),
            source,
        }
    }

    pub(crate) fn tool(tool: &'static str, source: std::io::Error) -> Self {
        Self::Tool { tool, source }
    }
}

/// What `vigil bench remux` runs.
#[derive(Debug, Clone)]
pub struct RemuxOptions {
    /// Holds the cached test video and, while running, the recordings (removed after).
    pub work_dir: PathBuf,
    /// Cameras read as fast as possible (throughput).
    pub streams: usize,
    /// Cameras paced at their native rate (the live case).
    pub realtime_streams: usize,
    /// How long the live-paced run lasts.
    pub realtime: Duration,
    /// Rounds of the as-fast-as-possible comparison; the median counts.
    pub rounds: usize,
    pub skip_throughput: bool,
    pub skip_realtime: bool,
}

/// How the cameras deliver video.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Pace {
    /// Each camera's file is read as fast as possible, once.
    AsFastAsPossible,
    /// Each camera delivers at the file's native rate for this long.
    Realtime(Duration),
}

/// One recorder's figures for one run.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    pub streams: usize,
    /// CPU time, user + system, seconds.
    pub cpu_s: f64,
    pub wall_s: f64,
    /// Video recorded, summed over cameras, seconds.
    pub stream_s: f64,
    /// Vigil: growth of the process's peak resident memory divided by the cameras.
    /// ffmpeg: mean peak private (anonymous) memory of one process, sampled. Bytes.
    pub peak_mem_per_stream: Option<u64>,
    /// Vigil: the whole process's peak resident memory. ffmpeg: the mean peak of one
    /// process, shared libraries included. Bytes.
    pub process_peak_rss: Option<u64>,
}

impl Figures {
    pub fn cpu_ms_per_stream_s(&self) -> f64 {
        ratio(self.cpu_s * 1000.0, self.stream_s)
    }

    /// Seconds of video remuxed per CPU-second: "× real time on one core".
    pub fn realtime_per_core(&self) -> f64 {
        ratio(self.stream_s, self.cpu_s)
    }

    /// CPU used as a share of one core over the wall time, percent.
    pub fn core_percent(&self) -> f64 {
        ratio(self.cpu_s * 100.0, self.wall_s)
    }
}

fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 {
        a / b
    } else {
        f64::NAN
    }
}

/// Vigil and the ffmpeg baseline doing the same work in the same run.
#[derive(Debug, Clone)]
pub struct Comparison {
    pub vigil: Figures,
    pub ffmpeg: Figures,
    /// Video each recorder was sent, summed over cameras, seconds.
    pub sent_s: f64,
    /// Vigil's and ffmpeg's CPU split into a fixed cost per camera and a cost per
    /// stream-second, from a second run on a short clip (throughput only).
    pub split: Option<(Split, Split)>,
    /// Rounds measured; the figures are each recorder's median round.
    pub rounds: usize,
    /// Vigil's median run with its segment hashing off (throughput only): beside `vigil`,
    /// what the integrity hash costs.
    pub vigil_unhashed: Option<Figures>,
}

/// CPU split into what starting a camera costs and what each second of video costs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Split {
    pub fixed_ms_per_camera: f64,
    pub steady_ms_per_stream_s: f64,
}

impl Split {
    /// From a run on the whole file and one on a short clip, same cameras: the difference is
    /// the cost of the extra video alone.
    pub fn from_runs(full: &Figures, short: &Figures) -> Self {
        let steady = ratio(full.cpu_s - short.cpu_s, full.stream_s - short.stream_s);
        let fixed_s = short.cpu_s - steady * short.stream_s;
        Self {
            fixed_ms_per_camera: fixed_s * 1000.0 / short.streams.max(1) as f64,
            steady_ms_per_stream_s: steady * 1000.0,
        }
    }
}

/// Everything `vigil bench remux` measured; `Display` prints the tables.
#[derive(Debug, Clone)]
pub struct RemuxReport {
    pub media: TestMedia,
    pub throughput: Option<Comparison>,
    pub realtime: Option<(Duration, Comparison)>,
    /// Converting one camera's G.711 sound to AAC (`None` if it could not be measured).
    pub audio: Option<audio::AudioCost>,
}

/// Runs the remux benchmark. `progress` receives a line before each step.
pub fn remux(
    opts: &RemuxOptions,
    progress: &mut dyn FnMut(&str),
) -> Result<RemuxReport, BenchError> {
    if opts.streams == 0 || opts.realtime_streams == 0 {
        return Err(BenchError::Failed(
            "the number of streams must be at least 1".into(),
        ));
    }
    // The file must outlast the live-paced run, so no camera reaches its end.
    let file_s = 60.max(opts.realtime.as_secs() + 10);
    progress(&format!(
        "test video: {file_s} s of 1080p25 H.264 (made once, then cached)"
    ));
    let media = media::ensure(&opts.work_dir, file_s)?;
    let runs = scratch::dir(&opts.work_dir, "run-")?;
    let (throughput, realtime) = run_all(opts, &media, runs.path(), progress)?;
    drop(runs);
    progress("G.711 sound: converting one camera's 10 minutes of µ-law to AAC");
    let audio = match audio::g711_cost(&opts.work_dir) {
        Ok(a) => Some(a),
        Err(e) => {
            progress(&format!("G.711 sound not measured: {e}"));
            None
        }
    };
    Ok(RemuxReport {
        media,
        throughput,
        realtime: realtime.map(|c| (opts.realtime, c)),
        audio,
    })
}

type Both = (Option<Comparison>, Option<Comparison>);

fn run_all(
    opts: &RemuxOptions,
    media: &TestMedia,
    runs: &Path,
    progress: &mut dyn FnMut(&str),
) -> Result<Both, BenchError> {
    // The live run goes first, while the heap is fresh, so its peak-memory figure is clean.
    let mut realtime = None;
    if !opts.skip_realtime {
        let (n, pace) = (opts.realtime_streams, Pace::Realtime(opts.realtime));
        let secs = opts.realtime.as_secs();
        progress(&format!(
            "live pace: Vigil recording {n} cameras for {secs} s"
        ));
        let vigil = vigil::run(&media.path, n, pace, runs)?;
        progress(&format!(
            "live pace: {n} × ffmpeg -re … -f segment for {secs} s"
        ));
        let ffmpeg = baseline::run(&media.path, n, pace, runs, "ffmpeg-live-")?;
        let sent_s = n as f64 * opts.realtime.as_secs_f64();
        realtime = Some(Comparison {
            vigil,
            ffmpeg,
            sent_s,
            split: None,
            rounds: 1,
            vigil_unhashed: None,
        });
    }
    let throughput = if opts.skip_throughput {
        None
    } else {
        Some(fast::compare(
            opts.streams,
            opts.rounds,
            media,
            runs,
            progress,
        )?)
    };
    Ok((throughput, realtime))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_derive_per_stream_second_and_core_share() {
        let f = Figures {
            streams: 32,
            cpu_s: 3.0,
            wall_s: 30.0,
            stream_s: 960.0,
            peak_mem_per_stream: None,
            process_peak_rss: None,
        };
        assert!((f.cpu_ms_per_stream_s() - 3.125).abs() < 1e-9);
        assert!((f.realtime_per_core() - 320.0).abs() < 1e-9);
        assert!((f.core_percent() - 10.0).abs() < 1e-9);
        let empty = Figures { stream_s: 0.0, ..f };
        assert!(empty.cpu_ms_per_stream_s().is_nan());
        // 32 cameras: 10 ms each to start, 0.5 ms per stream-second.
        let short = Figures {
            cpu_s: 0.32 + 0.0005 * 64.0,
            stream_s: 64.0,
            ..f
        };
        let long = Figures {
            cpu_s: 0.32 + 0.0005 * 960.0,
            ..f
        };
        let split = Split::from_runs(&long, &short);
        assert!((split.fixed_ms_per_camera - 10.0).abs() < 1e-6);
        assert!((split.steady_ms_per_stream_s - 0.5).abs() < 1e-6);
    }
}
