//! `vigil bench motion`: what motion analysis costs per camera and how fast it reacts.
//! `cpu`: on this thread, demux + decode alone against the analyzer's whole per-packet path
//! (decode, 320-px grey, detector at 5 fps, motion index cells and minutes), side by side with `ffmpeg -f null` decoding the
//! same file (its defaults, and the analyzer's decoder settings), and the key-frame-only path
//! of a main-stream camera whose analyzer keeps the index alone. `latency` and `memory`: the
//! real engine on a fresh data directory, cameras reading files at their native rate in
//! `events` mode. `report`: the tables.

mod cpu;
mod latency;
mod latency_mqtt;
mod latency_onvif;
mod memory;
mod report;

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::media::{self, Recipe};
use super::vigil::failed;
use super::{BenchError, Figures, Split, TestMedia};
pub use latency::LatencyFigures;
pub use memory::MemoryFigures;
use vigil_core::engine::status::CameraStatus;
use vigil_core::engine::{Engine, EngineOptions};
use vigil_core::library::{Library, LibraryError};
use vigil_core::model::{CameraName, NewCamera, Policy, RecordMode, Transport};

/// What `vigil bench motion` runs.
#[derive(Debug, Clone)]
pub struct MotionOptions {
    /// Holds the cached test videos and, while running, the engine's data directories.
    pub work_dir: PathBuf,
    /// Length of the CPU test videos, seconds.
    pub seconds: u64,
    /// Rounds of the CPU comparison; each way of decoding reports its median round.
    pub rounds: usize,
    /// Motion events (and as many triggers) to time; the scene shows a box every 10 s.
    pub latency_events: usize,
    /// Pre-event buffer of the memory run, which lasts this plus 10 s.
    pub pre_event_s: u32,
    pub skip_cpu: bool,
    pub skip_latency: bool,
    pub skip_memory: bool,
}

/// The five ways the same file is decoded, in table order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Way {
    /// (a) Vigil: demux and decode every packet with the analyzer's `GrayDecoder`.
    Decode,
    /// (b) Vigil: (a) plus 320-px grey and the motion detector at 5 fps, as the analyzer does.
    Analysis,
    /// `ffmpeg -i FILE -f null -`: frame threads, loop filter on.
    FfmpegDefault,
    /// `ffmpeg -threads 1 -skip_loop_filter all -i FILE -f null -`: the analyzer's settings.
    FfmpegLikeVigil,
    /// (c) Vigil: key frames only, decoded alone and analysed: the motion index of a camera
    /// without a sub-stream whose motion makes no events.
    KeyFrames,
}

pub const WAYS: [Way; 5] = [
    Way::Decode,
    Way::Analysis,
    Way::FfmpegDefault,
    Way::FfmpegLikeVigil,
    Way::KeyFrames,
];

/// What the detector saw in one pass of the full analysis.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Analyzed {
    pub frames: u64,
    pub events: u64,
    /// Frames taken as a lighting change (most of the frame changed at once).
    pub rejected: u64,
    /// The motion index's share of the analysis: the moved cells of each frame folded into
    /// camera-minutes (thread CPU time), and the minutes it made.
    pub index_cpu: Duration,
    pub index_minutes: u64,
    /// Frames with a moved cell, and the index's encoded bytes.
    pub index_frames: u64,
    pub index_bytes: u64,
}

/// One resolution's CPU comparison.
#[derive(Debug, Clone)]
pub struct CpuFigures {
    pub label: String,
    pub media: TestMedia,
    /// Each way's median round, in [`WAYS`] order.
    pub runs: Vec<Figures>,
    /// Each way's cost split into opening the file and each second of video.
    pub splits: Vec<Split>,
    /// (b − a) / a of every round; (a) and (b) run one after the other in each.
    pub overheads: Vec<f64>,
    /// (b − a) / a of every round's interleaved pass (both fed packet by packet).
    pub interleaved: Vec<f64>,
    pub analyzed: Analyzed,
    pub rounds: usize,
}

impl CpuFigures {
    /// Analysis beyond decoding, (b − a) / a: the median round's, since (a) and (b) of one
    /// round ran side by side in time and share its conditions.
    pub fn overhead(&self) -> f64 {
        middle(&self.overheads)
    }

    /// The same from the interleaved passes: the median round's.
    pub fn overhead_interleaved(&self) -> f64 {
        middle(&self.interleaved)
    }
}

fn middle(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

/// Everything `vigil bench motion` measured; `Display` prints the tables.
#[derive(Debug, Clone)]
pub struct MotionReport {
    pub cpu: Vec<CpuFigures>,
    pub latency: Option<LatencyFigures>,
    pub memory: Option<MemoryFigures>,
}

/// Runs the motion benchmark. `progress` receives a line before each step.
pub fn motion(
    opts: &MotionOptions,
    progress: &mut dyn FnMut(&str),
) -> Result<MotionReport, BenchError> {
    if opts.rounds == 0 || opts.seconds < 5 || opts.latency_events == 0 {
        return Err(BenchError::Failed(
            "rounds and events must be at least 1, seconds at least 5".into(),
        ));
    }
    let mut cpu = Vec::new();
    if !opts.skip_cpu {
        // 360p: a 1080p camera's sub-stream, which the analyzer reads when there is one.
        for (w, h, kbit) in [(1920, 1080, 4000), (1280, 720, 2000), (640, 360, 512)] {
            let label = format!("{h}p25");
            progress(&format!(
                "test video: {} s of {label} H.264 at {kbit} kbit/s (made once, then cached)",
                opts.seconds
            ));
            let media = media::make(&opts.work_dir, &camera_recipe(w, h, kbit), opts.seconds)?;
            cpu.push(cpu::compare(label, media, opts.rounds, progress)?);
        }
    }
    let runs = crate::scratch::dir(&opts.work_dir, "motion-")?;
    let (latency, memory) = live(opts, runs.path(), progress)?;
    drop(runs);
    Ok(MotionReport {
        cpu,
        latency,
        memory,
    })
}

type Live = (Option<LatencyFigures>, Option<MemoryFigures>);

fn live(
    opts: &MotionOptions,
    runs: &Path,
    progress: &mut dyn FnMut(&str),
) -> Result<Live, BenchError> {
    let latency = if opts.skip_latency {
        None
    } else {
        let n = opts.latency_events;
        Some(latency::latency(&opts.work_dir, runs, n, progress)?)
    };
    let memory = if opts.skip_memory {
        None
    } else {
        let pre = opts.pre_event_s;
        Some(memory::memory(&opts.work_dir, runs, pre, progress)?)
    };
    Ok((latency, memory))
}

/// A camera-like encode of moving content: test pattern plus sensor-like noise, x264 Main
/// profile (CABAC, loop filter on) without B-frames, constrained to `kbit` kbit/s.
fn camera_recipe(width: u32, height: u32, kbit: u32) -> Recipe {
    let rate_of = |k: u32| {
        if k.is_multiple_of(1000) {
            format!("{}M", k / 1000)
        } else {
            format!("{k}k")
        }
    };
    let (rate, bufsize) = (rate_of(kbit), rate_of(2 * kbit));
    Recipe {
        name: format!("camera-{height}p25-{rate}-main-gop2s"),
        width,
        height,
        fps: 25,
        source: format!("testsrc2=size={width}x{height}:rate=25"),
        filters: Some("noise=alls=12:allf=t".into()),
        encode: ["-preset", "veryfast", "-profile:v", "main", "-bf", "0"]
            .into_iter()
            .map(String::from)
            .chain(["-b:v", &rate, "-maxrate", &rate, "-bufsize", &bufsize].map(String::from))
            .collect(),
    }
}

/// Grey 720p25 with sensor-like noise at about 2 Mbit/s; with `boxes`, a white box shows
/// for 3 s every 10 s from second 5.
fn scene(boxes: bool) -> Recipe {
    let mut filters = "noise=alls=12:allf=t".to_string();
    if boxes {
        filters.push_str(
            ",drawbox=x=540:y=260:w=200:h=200:color=white:t=fill:enable='between(mod(t,10),5,8)'",
        );
    }
    Recipe {
        name: format!(
            "scene-{}-720p25-2M-gop2s",
            if boxes { "box" } else { "still" }
        ),
        width: 1280,
        height: 720,
        fps: 25,
        source: "color=c=gray:size=1280x720:rate=25".into(),
        filters: Some(filters),
        encode: [
            "-preset",
            "veryfast",
            "-profile:v",
            "main",
            "-bf",
            "0",
            "-b:v",
            "2M",
        ]
        .into_iter()
        .chain(["-maxrate", "2M", "-bufsize", "4M"])
        .map(String::from)
        .collect(),
    }
}

fn events_policy(pre_event_s: u32) -> Policy {
    Policy {
        mode: RecordMode::Events,
        pre_event_s,
        // Short, so each clip has closed before the next box or trigger.
        post_event_s: 1,
        ..Policy::default()
    }
}

fn add_camera(
    lib: &mut Library,
    name: &str,
    media: &TestMedia,
    pre_event_s: u32,
) -> Result<i64, BenchError> {
    let cam = NewCamera {
        name: CameraName::parse(name).map_err(LibraryError::from)?,
        url: media.path.to_string_lossy().into_owned(),
        detect_url: None,
        transport: Transport::Tcp,
        enabled: true,
        audio: false,
    };
    Ok(lib.add_camera(&cam, &events_policy(pre_event_s))?.id)
}

fn start_engine(data_dir: &Path) -> Result<Engine, BenchError> {
    let mut opts = EngineOptions::new(data_dir.to_path_buf());
    opts.realtime_files = true;
    opts.min_free_bytes = Some(0);
    opts.sweep_every = Duration::from_secs(3600);
    Ok(Engine::start(opts)?)
}

/// The named camera's status; fails if it could not open its file.
fn camera(engine: &Engine, name: &str) -> Result<CameraStatus, BenchError> {
    let status = engine.status().cameras.into_iter().find(|c| c.name == name);
    match status {
        Some(c) if failed(&c) => Err(BenchError::Failed(format!(
            "camera {name} failed: {}",
            c.last_error.as_deref().unwrap_or("unknown error")
        ))),
        Some(c) => Ok(c),
        None => Err(BenchError::Failed(format!("camera {name} is not running"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camera_recipe_doubles_the_rate_for_the_buffer() {
        let r = camera_recipe(1280, 720, 2000);
        assert_eq!(
            camera_recipe(640, 360, 512).name,
            "camera-360p25-512k-main-gop2s"
        );
        assert_eq!(r.name, "camera-720p25-2M-main-gop2s");
        let at = |k: &str| {
            r.encode
                .iter()
                .position(|a| a == k)
                .map(|i| &r.encode[i + 1])
        };
        assert_eq!(at("-bufsize").map(String::as_str), Some("4M"));
        assert_eq!(at("-profile:v").map(String::as_str), Some("main"));
    }
}
