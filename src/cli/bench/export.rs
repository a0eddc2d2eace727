//! `vigil bench export`: a 45-s export spanning 5 recorded segments, timed against
//! `ffmpeg -ss … -c copy` and `ffmpeg -f concat` on the same range in the same run.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use vigil_bench::export::{export, ExportBenchOptions};

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// Rounds (each way's median round counts).
    #[arg(long, default_value_t = 7)]
    rounds: usize,
    /// Start of the exported range, seconds into the 60-s test video.
    #[arg(long, default_value_t = 12.3)]
    from: f64,
    /// Length of the exported range, seconds.
    #[arg(long, default_value_t = 45.0)]
    seconds: f64,
    /// Segment length of the library the export reads, seconds.
    #[arg(long, default_value_t = 10)]
    segment_seconds: u32,
    /// Where the test video is cached and the library and outputs are written while running.
    #[arg(long, default_value = "target/bench-media")]
    work_dir: PathBuf,
}

pub fn run(args: ExportArgs) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(args.rounds >= 1, "--rounds must be at least 1");
    anyhow::ensure!(
        args.from >= 0.0 && args.seconds > 0.0 && args.from + args.seconds <= 60.0,
        "--from and --seconds must lie within the 60-s test video"
    );
    anyhow::ensure!(
        (2..=60).contains(&args.segment_seconds),
        "--segment-seconds must be 2 to 60"
    );
    let opts = ExportBenchOptions {
        work_dir: args.work_dir,
        rounds: args.rounds,
        from_s: args.from,
        seconds: args.seconds,
        segment_s: args.segment_seconds,
    };
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let kind = if cfg!(debug_assertions) {
        "debug: figures are not meaningful"
    } else {
        "release"
    };
    println!("vigil bench export ({kind} build, {cpus} CPUs)");
    let report = export(&opts, &mut |step| eprintln!("… {step}"))?;
    print!("{report}");
    Ok(ExitCode::SUCCESS)
}
