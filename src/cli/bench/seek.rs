//! `vigil bench seek`: playback seek latency (request → decoded RGBA picture) on 1080p25
//! H.264 segments with a 2 s GOP, against one accurate-seek `ffmpeg -ss` process per picture.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use vigil_bench::{self as bench, SeekOptions};

#[derive(Args, Debug)]
pub struct SeekArgs {
    /// Random seeks per way of seeking (cold, warm, through the player).
    #[arg(long, default_value_t = 200)]
    seeks: usize,
    /// Seeks timed for the ffmpeg baseline, per picture size.
    #[arg(long, default_value_t = 30)]
    baseline_seeks: usize,
    /// Segment length of the benchmark's library, seconds.
    #[arg(long, default_value_t = 10)]
    segment_seconds: u32,
    /// Where the test video is cached and the library is written while running.
    #[arg(long, default_value = "target/bench-media")]
    work_dir: PathBuf,
}

pub fn run(args: SeekArgs) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(
        (1..=100_000).contains(&args.seeks),
        "--seeks must be 1 to 100000"
    );
    anyhow::ensure!(
        (2..=60).contains(&args.segment_seconds),
        "--segment-seconds must be 2 to 60"
    );
    let opts = SeekOptions {
        work_dir: args.work_dir,
        seeks: args.seeks,
        baseline_seeks: args.baseline_seeks,
        segment_s: args.segment_seconds,
    };
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "vigil bench seek ({} build, {cpus} CPUs)",
        super::build_kind()
    );
    let report = bench::seek(&opts, &mut |step| eprintln!("… {step}"))?;
    print!("{report}");
    Ok(ExitCode::SUCCESS)
}
