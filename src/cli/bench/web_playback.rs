//! `vigil bench web-playback`: the web viewer's playback start (play request → first
//! fragment, and the camera page's address → frame shown in Chromium) on the timeline
//! benchmark's generated 700 k-row library, against `ffmpeg -ss … -c copy` in the same run.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use vigil_bench::timeline::Spec;
use vigil_bench::{self as bench, WebPlaybackOptions};

#[derive(Args, Debug)]
pub struct WebPlaybackArgs {
    /// Random instants timed through the play endpoint and ffmpeg.
    #[arg(long, default_value_t = 100)]
    starts: usize,
    /// Of those, how many are opened in headless Chromium (0: none).
    #[arg(long, default_value_t = 40)]
    browser_starts: usize,
    /// Cameras in the generated library (the timeline benchmark's; cached, shared with it).
    #[arg(long, default_value_t = 16)]
    cameras: usize,
    /// Days of 60 s segments per camera.
    #[arg(long, default_value_t = 30)]
    days: u32,
    /// Where the test video and the generated library are cached.
    #[arg(long, default_value = "target/bench-media")]
    work_dir: PathBuf,
}

pub fn run(args: WebPlaybackArgs) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(
        (1..=10_000).contains(&args.starts),
        "--starts must be 1 to 10000"
    );
    anyhow::ensure!(
        (1..=256).contains(&args.cameras) && (8..=366).contains(&args.days),
        "--cameras must be 1 to 256 and --days 8 to 366"
    );
    let opts = WebPlaybackOptions {
        work_dir: args.work_dir,
        spec: Spec {
            cameras: args.cameras,
            days: args.days,
            segment_s: 60,
            events_per_day: 50,
        },
        starts: args.starts,
        browser_starts: args.browser_starts.min(args.starts),
    };
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "vigil bench web-playback ({} build, {cpus} CPUs)",
        super::build_kind()
    );
    let report = bench::web_playback(&opts, &mut |step| eprintln!("… {step}"))?;
    print!("{report}");
    Ok(ExitCode::SUCCESS)
}
