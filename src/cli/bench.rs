//! `vigil bench remux`: remux throughput, CPU per camera and peak memory, measured side by
//! side with `ffmpeg -c copy -f segment` in the same run. Prints plain-text tables.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Subcommand};

use vigil::bench::{self, RemuxOptions};

#[derive(Subcommand, Debug)]
pub enum BenchCmd {
    /// Record N 1080p H.264 cameras from a file and compare with ffmpeg's segmenter.
    Remux(RemuxArgs),
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
    let BenchCmd::Remux(args) = cmd;
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
