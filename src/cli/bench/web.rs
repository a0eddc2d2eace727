//! `vigil bench web`: the web viewer's live latency (server reads a frame → headless Chromium
//! presents it) against a minimal WebSocket-to-MSE relay of the same camera, in one run.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use vigil_bench::{self as bench, WebBenchOptions};

#[derive(Args, Debug)]
pub struct WebArgs {
    /// Measured seconds per side (after a few seconds of warm-up each).
    #[arg(long, default_value_t = 20)]
    seconds: u64,
    /// The camera both sides show.
    #[arg(long, default_value = "demo://?width=1280&height=720&fps=25")]
    camera: String,
    /// Where the engine's data is written while running (removed after).
    #[arg(long, default_value = "target/bench-media")]
    work_dir: PathBuf,
}

pub fn run(args: WebArgs) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(
        (5..=600).contains(&args.seconds),
        "--seconds must be 5 to 600"
    );
    let opts = WebBenchOptions {
        work_dir: args.work_dir,
        seconds: args.seconds,
        camera_url: args.camera,
    };
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "vigil bench web ({} build, {cpus} CPUs)",
        super::build_kind()
    );
    let report = bench::web(&opts, &mut |step| eprintln!("… {step}"))?;
    print!("{report}");
    Ok(ExitCode::SUCCESS)
}
