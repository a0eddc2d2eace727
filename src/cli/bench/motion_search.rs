//! `vigil bench motion-search`: motion search over a generated motion index, cold and warm,
//! side by side with the same search without the per-minute OR filter.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use vigil_bench::{self as bench, MotionSearchOptions};

#[derive(Args, Debug)]
pub struct MotionSearchArgs {
    /// Cameras in the generated week.
    #[arg(long, default_value_t = 16)]
    cameras: usize,
    /// Days of the generated week.
    #[arg(long, default_value_t = 7)]
    days: u32,
    /// Days of the one-camera long index.
    #[arg(long, default_value_t = 365)]
    long_days: u32,
    /// Timed runs of each search (cold and warm each).
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// Where the generated indexes are cached.
    #[arg(long, default_value = "target/bench-media")]
    work_dir: PathBuf,
}

pub fn run(args: MotionSearchArgs) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(
        (1..=256).contains(&args.cameras),
        "--cameras must be 1 to 256"
    );
    anyhow::ensure!((1..=3660).contains(&args.days), "--days must be 1 to 3660");
    anyhow::ensure!(
        (1..=3660).contains(&args.long_days),
        "--long-days must be 1 to 3660"
    );
    anyhow::ensure!((1..=100).contains(&args.runs), "--runs must be 1 to 100");
    let opts = MotionSearchOptions {
        work_dir: args.work_dir,
        cameras: args.cameras,
        days: args.days,
        long_days: args.long_days,
        runs: args.runs,
    };
    let kind = if cfg!(debug_assertions) {
        "debug: figures are not meaningful"
    } else {
        "release"
    };
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!("vigil bench motion-search ({kind} build, {cpus} CPUs)");
    let report = bench::motion_search(&opts, &mut |step| eprintln!("… {step}"))?;
    print!("{report}");
    Ok(ExitCode::SUCCESS)
}
