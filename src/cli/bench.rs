//! `vigil bench remux`: remux throughput, CPU per camera and peak memory, measured side by
//! side with `ffmpeg -c copy -f segment` in the same run. `vigil bench motion`: CPU of motion
//! analysis against decoding alone and `ffmpeg -f null`, event latency, pre-event buffer
//! memory. Both print plain-text tables.

mod detect;
mod export;
mod motion_search;
mod seek;
mod timeline;
mod web;
mod web_playback;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Subcommand};

use vigil_bench::{self as bench, MotionOptions, RemuxOptions};

#[derive(Subcommand, Debug)]
pub enum BenchCmd {
    /// Record N 1080p H.264 cameras from a file and compare with ffmpeg's segmenter.
    Remux(RemuxArgs),
    /// Motion analysis: CPU per camera against decoding alone and ffmpeg, event latency,
    /// pre-event buffer memory.
    Motion(MotionArgs),
    /// The desktop app: UI time per frame and CPU with 16, 36 and 64 live tiles on 640x360
    /// sub-streams and on 1080p main streams, against ffmpeg decoding and scaling the same.
    Ui(UiArgs),
    /// Motion search over a generated motion index (16 cameras × 7 days, 1 camera × 365
    /// days), cold and warm, against the same search without the per-minute OR filter.
    MotionSearch(motion_search::MotionSearchArgs),
    /// The timeline query on a generated library (16 cameras × 30 days of 60 s segments)
    /// against the naive query, and start-up on that library.
    Timeline(timeline::TimelineArgs),
    /// Export of 45 s spanning 5 segments, against ffmpeg -ss -c copy and -f concat.
    Export(export::ExportArgs),
    /// Playback seek latency on 1080p H.264 segments (2 s GOP), against ffmpeg -ss.
    Seek(seek::SeekArgs),
    /// The web viewer's live latency in headless Chromium, against a minimal relay.
    Web(web::WebArgs),
    /// The web viewer's playback start on a 700 k-segment library, against ffmpeg -ss -c
    /// copy, and the camera page in Chromium.
    WebPlayback(web_playback::WebPlaybackArgs),
    /// Object detection: inference time against onnxruntime, CPU per camera with
    /// motion-gated detection, quality on hand-annotated real footage.
    Detect(detect::DetectArgs),
    /// `vigil check --integrity`'s re-hashing speed (GB/s) against sha256sum.
    Integrity(IntegrityArgs),
}

#[derive(Args, Debug)]
pub struct IntegrityArgs {
    /// Recordings in the generated library.
    #[arg(long, default_value_t = 40)]
    files: usize,
    /// Size of each, MB.
    #[arg(long, default_value_t = 25)]
    file_mb: u64,
    /// Where the generated library is made (removed after).
    #[arg(long, default_value = "target/bench-media")]
    work_dir: PathBuf,
}

#[derive(Args, Debug)]
pub struct UiArgs {
    /// Tile counts to measure, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "16,36,64")]
    tiles: Vec<usize>,
    /// Stream setups, comma-separated: `sub` (each camera has a 640x360 sub-stream beside
    /// its 1080p main stream; the app picks by tile size), `main` (1080p only).
    #[arg(long, value_delimiter = ',', default_value = "sub,main")]
    streams: Vec<String>,
    /// Measured seconds per tile count (at most 40: the test video lasts 60 s).
    #[arg(long, default_value_t = 15)]
    seconds: u64,
    /// Window size in points, WIDTHxHEIGHT.
    #[arg(long, default_value = "1920x1080")]
    window: String,
    /// Where the test video is cached and the engine's data is written while running.
    #[arg(long, default_value = "target/bench-media")]
    work_dir: PathBuf,
}

#[derive(Args, Debug)]
pub struct MotionArgs {
    /// Length of the 1080p and 720p test videos whose analysis is timed, seconds.
    #[arg(long, default_value_t = 30)]
    seconds: u64,
    /// Rounds of the CPU comparison (the median round counts).
    #[arg(long, default_value_t = 5)]
    rounds: usize,
    /// Motion events (and triggers) to time; the scene shows a box every 10 s.
    #[arg(long, default_value_t = 6)]
    latency_events: usize,
    /// Pre-event buffer of the memory run, seconds; the run lasts this plus 10 s (e.g. 5 for
    /// a quick check).
    #[arg(long, default_value_t = 30)]
    pre_event: u32,
    /// Skip the CPU comparison.
    #[arg(long)]
    skip_cpu: bool,
    /// Skip the event-latency run.
    #[arg(long)]
    skip_latency: bool,
    /// Skip the pre-event buffer run.
    #[arg(long)]
    skip_memory: bool,
    /// Where the test videos are cached and the engine's data is written while running.
    #[arg(long, default_value = "target/bench-media")]
    work_dir: PathBuf,
}

#[derive(Args, Debug)]
pub struct RemuxArgs {
    /// Cameras read as fast as possible (throughput run).
    #[arg(long, default_value_t = 8)]
    streams: usize,
    /// Cameras paced at 25 fps like live ones (CPU share of one core, peak memory).
    #[arg(long, default_value_t = 32)]
    realtime_streams: usize,
    /// Length of the live-paced run, seconds.
    #[arg(long, default_value_t = 30)]
    seconds: u64,
    /// Rounds of the as-fast-as-possible run (the median counts).
    #[arg(long, default_value_t = 3)]
    rounds: usize,
    /// Skip the live-paced run.
    #[arg(long)]
    skip_realtime: bool,
    /// Skip the as-fast-as-possible run.
    #[arg(long)]
    skip_throughput: bool,
    /// Where the test video is cached and recordings are written while running.
    #[arg(long, default_value = "target/bench-media")]
    work_dir: PathBuf,
}

pub fn run(cmd: BenchCmd) -> anyhow::Result<ExitCode> {
    match cmd {
        BenchCmd::Remux(args) => remux(args),
        BenchCmd::Motion(args) => motion(args),
        BenchCmd::Ui(args) => ui(args),
        BenchCmd::Timeline(args) => timeline::run(args),
        BenchCmd::MotionSearch(args) => motion_search::run(args),
        BenchCmd::Export(args) => export::run(args),
        BenchCmd::Seek(args) => seek::run(args),
        BenchCmd::Web(args) => web::run(args),
        BenchCmd::WebPlayback(args) => web_playback::run(args),
        BenchCmd::Detect(args) => detect::run(args),
        BenchCmd::Integrity(args) => integrity(args),
    }
}

fn integrity(args: IntegrityArgs) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(
        args.files >= 1 && args.file_mb >= 1,
        "--files and --file-mb must be at least 1"
    );
    let opts = bench::integrity::IntegrityOptions {
        work_dir: args.work_dir,
        files: args.files,
        file_bytes: args.file_mb * 1_000_000,
    };
    println!("vigil bench integrity ({} build)", build_kind());
    let report = bench::integrity::integrity(&opts, &mut |step| eprintln!("… {step}"))?;
    print!("{report}");
    Ok(ExitCode::SUCCESS)
}

fn ui(args: UiArgs) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(
        (3..=40).contains(&args.seconds),
        "--seconds must be between 3 and 40"
    );
    anyhow::ensure!(
        !args.tiles.is_empty() && args.tiles.iter().all(|n| (1..=64).contains(n)),
        "--tiles takes counts from 1 to 64, e.g. 1,4,16"
    );
    let (w, h) = args
        .window
        .split_once('x')
        .and_then(|(w, h)| Some((w.trim().parse::<f32>().ok()?, h.trim().parse::<f32>().ok()?)))
        .filter(|(w, h)| *w >= 320.0 && *h >= 240.0)
        .ok_or_else(|| {
            anyhow::anyhow!("--window takes WIDTHxHEIGHT, at least 320x240, e.g. 1920x1080")
        })?;
    let streams = args
        .streams
        .iter()
        .map(|s| bench::UiStreams::parse(s))
        .collect::<Option<Vec<_>>>()
        .filter(|v| !v.is_empty())
        .ok_or_else(|| anyhow::anyhow!("--streams takes sub, main or both, e.g. sub,main"))?;
    let opts = bench::UiOptions {
        work_dir: args.work_dir,
        tiles: args.tiles,
        streams,
        seconds: args.seconds,
        window: (w, h),
    };
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!("vigil bench ui ({} build, {cpus} CPUs)", build_kind());
    let report = bench::ui(&opts, &mut |step| eprintln!("… {step}"))?;
    print!("{report}");
    Ok(ExitCode::SUCCESS)
}

fn motion(args: MotionArgs) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(args.seconds >= 5, "--seconds must be at least 5");
    anyhow::ensure!(args.rounds >= 1, "--rounds must be at least 1");
    anyhow::ensure!(
        args.latency_events >= 1,
        "--latency-events must be at least 1"
    );
    let opts = MotionOptions {
        work_dir: args.work_dir,
        seconds: args.seconds,
        rounds: args.rounds,
        latency_events: args.latency_events,
        pre_event_s: args.pre_event,
        skip_cpu: args.skip_cpu,
        skip_latency: args.skip_latency,
        skip_memory: args.skip_memory,
    };
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!("vigil bench motion ({} build, {cpus} CPUs)", build_kind());
    let report = bench::motion(&opts, &mut |step| eprintln!("… {step}"))?;
    print!("{report}");
    Ok(ExitCode::SUCCESS)
}

fn remux(args: RemuxArgs) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(args.seconds >= 5, "--seconds must be at least 5");
    let opts = RemuxOptions {
        work_dir: args.work_dir,
        streams: args.streams,
        realtime_streams: args.realtime_streams,
        realtime: Duration::from_secs(args.seconds),
        rounds: args.rounds,
        skip_throughput: args.skip_throughput,
        skip_realtime: args.skip_realtime,
    };
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!("vigil bench remux ({} build, {cpus} CPUs)", build_kind());
    let report = bench::remux(&opts, &mut |step| eprintln!("… {step}"))?;
    println!("{report}");
    Ok(ExitCode::SUCCESS)
}

fn build_kind() -> &'static str {
    if cfg!(debug_assertions) {
        "debug: figures are not meaningful"
    } else {
        "release"
    }
}
