//! `vigil bench web`: the web viewer's live latency (server reads a frame → headless Chromium
//! presents it) against a minimal WebSocket-to-MSE relay of the same camera, in one run;
//! `vigil bench web --fanout`: the server's CPU with N live viewers against recording alone.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use vigil_bench::{self as bench, FanoutOptions, WebBenchOptions};

#[derive(Args, Debug)]
pub struct WebArgs {
    /// Live fan-out instead of latency: `vigil run --web` recording 4 RTSP cameras, its CPU
    /// with no viewer and with `--viewers` WebSocket viewers (plus one that never reads).
    #[arg(long)]
    fanout: bool,
    /// Reading viewers with --fanout, spread over the 4 cameras (20 browsers × 4 cameras).
    #[arg(long, default_value_t = 80, requires = "fanout")]
    viewers: usize,
    /// The simulated cameras' picture with --fanout: `snow` (noise, so the encoder runs at
    /// its 2 Mbit/s like a busy camera) or `ball` (a test pattern, a few hundred kbit/s).
    #[arg(long, default_value = "snow", value_parser = ["snow", "ball"], requires = "fanout")]
    scene: String,
    /// Measured seconds per side, over all turns (each turn starts once its page
    /// plays near the newest frame); with --fanout, per window.
    #[arg(long, default_value_t = 20)]
    seconds: u64,
    /// The sides take turns this many times, sharing the measured seconds.
    #[arg(long, default_value_t = 4)]
    rounds: usize,
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
    if args.fanout {
        return fanout(args);
    }
    anyhow::ensure!(
        (1..=20).contains(&args.rounds) && args.seconds / args.rounds as u64 >= 2,
        "--rounds must be 1 to 20, with at least 2 measured seconds per turn"
    );
    let opts = WebBenchOptions {
        work_dir: args.work_dir,
        seconds: args.seconds,
        rounds: args.rounds,
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

fn fanout(args: WebArgs) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(
        (1..=1000).contains(&args.viewers),
        "--viewers must be 1 to 1000"
    );
    let opts = FanoutOptions {
        work_dir: args.work_dir,
        seconds: args.seconds,
        viewers: args.viewers,
        cameras: 4,
        scene: args.scene,
        width: 1280,
        height: 720,
        fps: 25,
    };
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "vigil bench web --fanout ({} build, {cpus} CPUs)",
        super::build_kind()
    );
    let report = bench::web_fanout(&opts, &mut |step| eprintln!("… {step}"))?;
    print!("{report}");
    Ok(ExitCode::SUCCESS)
}
