//! `vigil bench detect`: object detection on the CPU. Inference time per picture in Vigil's
//! runtimes against onnxruntime's Python API on the same models, CPU per camera with
//! motion-gated detection on a busy and a quiet real clip, and the built-in person detector's
//! recall and precision on hand-annotated frames.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use vigil_bench::detect::clips;
use vigil_bench::{self as bench, DetectOptions};

#[derive(Args, Debug)]
pub struct DetectArgs {
    /// Timed inference runs per runtime.
    #[arg(long, default_value_t = 100)]
    runs: usize,
    /// Where packaging/fetch-detect-clips.sh put the clips (default
    /// $VIGIL_DETECT_CLIPS, else ~/.cache/vigil/detect-clips).
    #[arg(long)]
    clips: Option<PathBuf>,
    /// A YOLOv8n-layout ONNX model (1x3x320x320 in) timed in tract-onnx and onnxruntime
    /// (default: the test fixture ~/.cache/vigil/fixtures/320n.onnx; skipped when missing).
    #[arg(long)]
    yolo: Option<PathBuf>,
    /// Skip the onnxruntime baseline (set up by packaging/bench-detect-setup.sh).
    #[arg(long)]
    skip_baseline: bool,
    /// Skip the CPU-per-camera runs.
    #[arg(long)]
    skip_cpu: bool,
    /// Skip the quality check.
    #[arg(long)]
    skip_quality: bool,
    /// Write every detection of the quality runs (score ≥ 0.3, normalized boxes) to this
    /// JSON file, to look at the misses and false alarms.
    #[arg(long)]
    dump_detections: Option<PathBuf>,
    /// Where the clips' H.264 copies are cached.
    #[arg(long, default_value = "target/bench-media/detect")]
    work_dir: PathBuf,
}

pub fn run(args: DetectArgs) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(
        (1..=10_000).contains(&args.runs),
        "--runs must be 1 to 10000"
    );
    let home = std::env::var_os("HOME").map_or_else(|| PathBuf::from("."), PathBuf::from);
    let opts = DetectOptions {
        clips_dir: args.clips.unwrap_or_else(clips::default_dir),
        work_dir: args.work_dir,
        runs: args.runs,
        yolo: args
            .yolo
            .unwrap_or_else(|| home.join(".cache/vigil/fixtures/320n.onnx")),
        skip_baseline: args.skip_baseline,
        skip_cpu: args.skip_cpu,
        skip_quality: args.skip_quality,
        dump: args.dump_detections,
    };
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "vigil bench detect ({} build, {cpus} CPUs)",
        super::build_kind()
    );
    let report = bench::detect(&opts, &mut |step| eprintln!("… {step}"))?;
    print!("{report}");
    Ok(ExitCode::SUCCESS)
}
