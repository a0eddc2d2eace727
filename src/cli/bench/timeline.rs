//! `vigil bench timeline`: timeline query time on a generated 700 k-row library, side by side
//! with the naive query, and start-up on that library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use vigil_bench::timeline::Spec;
use vigil_bench::{self as bench, TimelineOptions};

#[derive(Args, Debug)]
pub struct TimelineArgs {
    /// Cameras in the generated library.
    #[arg(long, default_value_t = 16)]
    cameras: usize,
    /// Days of recordings per camera (at least 8: the widest view is a week).
    #[arg(long, default_value_t = 30)]
    days: u32,
    /// Length of a continuous segment, seconds.
    #[arg(long, default_value_t = 60)]
    segment_seconds: u32,
    /// Events (each with its clip) per camera per day.
    #[arg(long, default_value_t = 50)]
    events_per_day: u32,
    /// Timeline width in pixels (one pixel is the merging resolution).
    #[arg(long, default_value_t = 1600)]
    width: u32,
    /// Random positions timed per view.
    #[arg(long, default_value_t = 200)]
    samples: usize,
    /// Skip timing Engine::start and EngineHost::start (each on a copy of the library).
    #[arg(long)]
    skip_engine: bool,
    /// Where the generated library is cached.
    #[arg(long, default_value = "target/bench-media")]
    work_dir: PathBuf,
}

pub fn run(args: TimelineArgs) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(
        (1..=256).contains(&args.cameras),
        "--cameras must be 1 to 256"
    );
    anyhow::ensure!((8..=366).contains(&args.days), "--days must be 8 to 366");
    anyhow::ensure!(
        (2..=3600).contains(&args.segment_seconds),
        "--segment-seconds must be 2 to 3600"
    );
    anyhow::ensure!(
        args.width >= 100 && args.samples >= 1,
        "--width must be at least 100 and --samples at least 1"
    );
    let opts = TimelineOptions {
        work_dir: args.work_dir,
        spec: Spec {
            cameras: args.cameras,
            days: args.days,
            segment_s: args.segment_seconds,
            events_per_day: args.events_per_day,
        },
        width_px: args.width,
        samples: args.samples,
        skip_engine: args.skip_engine,
    };
    let kind = if cfg!(debug_assertions) {
        "debug: figures are not meaningful"
    } else {
        "release"
    };
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!("vigil bench timeline ({kind} build, {cpus} CPUs)");
    let report = bench::timeline(&opts, &mut |step| eprintln!("… {step}"))?;
    print!("{report}");
    Ok(ExitCode::SUCCESS)
}
