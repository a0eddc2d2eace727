//! `vigil bench detect`: object detection on the CPU. Inference time per picture in Vigil's
//! runtimes (tract-tensorflow on the built-in person detector, tract-onnx on a YOLOv8n-layout
//! model) against onnxruntime's Python API on the same models and inputs in the same run;
//! the CPU a camera costs when detection runs only while motion lasts (a busy and a quiet real
//! clip); and the built-in detector's quality on hand-annotated frames of real footage.
//!
//! `clips` (footage and annotations) → `evaluate` (the detector on the annotated frames) and
//! `quality` (matching) · `timing` (Vigil's runtimes) · `baseline` (onnxruntime) · `timeline`
//! (the motion-gated clip run, reusable) → `report`.

mod baseline;
pub mod clips;
pub mod evaluate;
pub mod quality;
mod report;
pub mod timeline;
pub mod timing;

use std::path::PathBuf;

use vigil_core::objects::builtin::{PersonDetector, NMS_IOU};
use vigil_core::objects::{nms, ssd, Found, ObjectDetector, RgbFrame};

use crate::BenchError;
use clips::{Annotations, Picture, NO_PEOPLE, PEOPLE};
pub use evaluate::{Picturing, QualityRun, Quiet, THRESHOLDS};
use timeline::{Gate, Timeline};
use timing::Times;

/// What `vigil bench detect` runs.
#[derive(Debug, Clone)]
pub struct DetectOptions {
    /// Where `packaging/fetch-detect-clips.sh` put the clips.
    pub clips_dir: PathBuf,
    /// Where the clips' H.264 copies are cached.
    pub work_dir: PathBuf,
    /// Timed inference runs per runtime.
    pub runs: usize,
    /// The YOLOv8n-layout ONNX model for tract-onnx and the baseline (skipped if missing).
    pub yolo: PathBuf,
    pub skip_baseline: bool,
    pub skip_cpu: bool,
    pub skip_quality: bool,
    /// Write every detection (score ≥ 0.3) of the quality runs here, as JSON.
    pub dump: Option<PathBuf>,
}

/// One runtime's inference times.
#[derive(Debug, Clone)]
pub struct RuntimeTimes {
    pub model: String,
    pub runtime: String,
    pub threads: usize,
    pub times: Times,
    /// What the time covers.
    pub covers: &'static str,
}

/// Everything `vigil bench detect` measured; `Display` prints the tables.
#[derive(Debug, Clone, Default)]
pub struct DetectReport {
    pub detector: String,
    pub picture: (u32, u32),
    pub runtimes: Vec<RuntimeTimes>,
    /// Resizing the picture to the SSD's 300×300 input alone.
    pub resize: Option<Times>,
    pub baseline_note: Vec<String>,
    pub timelines: Vec<(String, Timeline)>,
    pub quality: Vec<QualityRun>,
    pub quiet: Option<Quiet>,
}

/// Runs the detection benchmark. `progress` receives a line before each step.
pub fn detect(
    opts: &DetectOptions,
    progress: &mut dyn FnMut(&str),
) -> Result<DetectReport, BenchError> {
    let people = Annotations::load(PEOPLE)?;
    let quiet = Annotations::load(NO_PEOPLE)?;
    let (people_clip, quiet_clip) = (
        people.clip_path(&opts.clips_dir)?,
        quiet.clip_path(&opts.clips_dir)?,
    );
    progress("loading the built-in person detector");
    let det = PersonDetector::load_installed().map_err(|e| BenchError::Failed(e.to_string()))?;
    let mut report = DetectReport {
        detector: det.describe(),
        ..DetectReport::default()
    };
    let first = people.frames.first().map_or(0, |f| f.frame);
    let picture = clips::frames(&people_clip, people.size, &[first], Some(320))?
        .pop()
        .ok_or_else(|| BenchError::Failed("no picture to time on".into()))?;
    report.picture = (picture.width, picture.height);
    progress(&format!(
        "timing Vigil's runtimes ({} runs each)",
        opts.runs
    ));
    time_vigil(opts, &det, &picture, &mut report)?;
    if !opts.skip_baseline {
        progress("timing the onnxruntime baseline on the same models and input");
        time_baseline(opts, &det, &picture, &mut report)?;
    }
    if !opts.skip_cpu {
        for (name, clip) in [(PEOPLE, &people_clip), (NO_PEOPLE, &quiet_clip)] {
            progress(&format!(
                "CPU per camera: {name} as H.264, motion-gated detection"
            ));
            let h264 = clips::h264(clip, &opts.work_dir)?;
            let t = timeline::run_clip(&h264, &det, Gate::default())?;
            report.timelines.push((clip_name(clip), t));
        }
    }
    if !opts.skip_quality {
        progress("quality: the built-in detector on the annotated frames");
        for how in [Picturing::Full, Picturing::Analysis, Picturing::Tiles] {
            report
                .quality
                .push(evaluate::people(&det, &people, &people_clip, how)?);
        }
        report.quiet = Some(evaluate::quiet(&det, &quiet, &quiet_clip)?);
        if let Some(path) = &opts.dump {
            evaluate::dump(path, &report.quality)?;
        }
    }
    Ok(report)
}

fn clip_name(p: &std::path::Path) -> String {
    p.file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
}

fn time_vigil(
    opts: &DetectOptions,
    det: &PersonDetector,
    picture: &Picture,
    report: &mut DetectReport,
) -> Result<(), BenchError> {
    let (all, resize) = timing::builtin(det, picture, opts.runs)?;
    report.runtimes.push(RuntimeTimes {
        model: "built-in SSDLite person (.pb)".into(),
        runtime: "tract-tensorflow 0.23.9".into(),
        threads: 1,
        times: all,
        covers: "resize + network + decode + NMS",
    });
    report.resize = Some(resize);
    if opts.yolo.is_file() {
        let yolo = timing::Yolo::load(&opts.yolo)?;
        let (t, _) = yolo.time(&timing::yolo_input(picture)?, opts.runs)?;
        report.runtimes.push(RuntimeTimes {
            model: "YOLOv8n 320n.onnx".into(),
            runtime: "tract-onnx 0.23.9".into(),
            threads: 1,
            times: t,
            covers: "network",
        });
    } else {
        report.baseline_note.push(format!(
            "YOLOv8n model {} not found: tract-onnx not timed",
            opts.yolo.display()
        ));
    }
    Ok(())
}

fn time_baseline(
    opts: &DetectOptions,
    det: &PersonDetector,
    picture: &Picture,
    report: &mut DetectReport,
) -> Result<(), BenchError> {
    if let Some(why) = baseline::missing() {
        report.baseline_note.push(why);
        return Ok(());
    }
    let mut models = Vec::new();
    if baseline::ssd_onnx().is_file() {
        models.push(baseline::Model {
            name: "built-in SSDLite person (converted ONNX)".into(),
            path: baseline::ssd_onnx(),
            input: timing::ssd_input(picture)?,
            shape: vec![1, 300, 300, 3],
        });
    } else {
        report.baseline_note.push(format!(
            "{} is missing (packaging/bench-detect-setup.sh converts it): no SSD baseline",
            baseline::ssd_onnx().display()
        ));
    }
    let yolo_input = opts
        .yolo
        .is_file()
        .then(|| timing::yolo_input(picture))
        .transpose()?;
    if let Some(input) = &yolo_input {
        models.push(baseline::Model {
            name: "YOLOv8n 320n.onnx".into(),
            path: opts.yolo.clone(),
            input: input.clone(),
            shape: vec![1, 3, timing::YOLO_SIDE, timing::YOLO_SIDE],
        });
    }
    let (version, measured) = baseline::run(&models, opts.runs, &[1, 2])?;
    for (m, got) in models.iter().zip(&measured) {
        report
            .baseline_note
            .push(check_outputs(det, picture, m, got, opts)?);
        for (threads, times) in &got.times {
            report.runtimes.push(RuntimeTimes {
                model: m.name.clone(),
                runtime: format!("onnxruntime {version} (Python)"),
                threads: *threads,
                times: times.clone(),
                covers: "network",
            });
        }
    }
    Ok(())
}

/// Checks the baseline computed what Vigil computes on the same input: the SSD's decoded
/// people against `PersonDetector`'s, the YOLO output against tract-onnx's.
fn check_outputs(
    det: &PersonDetector,
    picture: &Picture,
    m: &baseline::Model,
    got: &baseline::Measured,
    opts: &DetectOptions,
) -> Result<String, BenchError> {
    if m.shape.len() == 4 && m.shape[3] == 3 {
        let (Some(boxes), Some(logits)) = (got.outputs.first(), got.outputs.get(1)) else {
            return Ok("the SSD baseline gave no outputs to check".into());
        };
        let labels = vec!["person".to_string()];
        let anchors = ssd::ssdlite_300_anchors();
        let theirs = nms::suppress(
            ssd::decode(&anchors, boxes, logits, 2, &labels, 0.3),
            NMS_IOU,
            50,
        );
        let frame = RgbFrame::new(picture.width, picture.height, &picture.data)
            .map_err(|e| BenchError::Failed(e.to_string()))?;
        let ours = det
            .detect(&frame, 0.3)
            .map_err(|e| BenchError::Failed(e.to_string()))?;
        return Ok(format!(
            "SSD check, same picture: Vigil finds {} people ≥ 0.3 (best {:.4}), the converted model in onnxruntime {} (best {:.4}), largest score difference of matching boxes {:.1e}",
            ours.len(),
            best(&ours),
            theirs.len(),
            best(&theirs),
            score_gap(&ours, &theirs)
        ));
    }
    let tract = timing::Yolo::load(&opts.yolo)?.run(&m.input)?;
    let diff = got
        .outputs
        .first()
        .map_or(f32::INFINITY, |o| baseline::max_abs_diff(o, &tract));
    Ok(format!(
        "YOLO check, same input: largest difference between tract-onnx's and onnxruntime's output {diff:.1e}"
    ))
}

pub(crate) fn best(v: &[Found]) -> f32 {
    v.iter().map(|f| f.score).fold(0.0, f32::max)
}

/// Largest score difference between boxes of `a` and the `b` box overlapping them most
/// (IoU > 0.8); infinite when a box has no partner.
fn score_gap(a: &[Found], b: &[Found]) -> f32 {
    if a.len() != b.len() {
        return f32::INFINITY;
    }
    a.iter()
        .map(|x| {
            b.iter()
                .filter(|y| y.bbox.iou(&x.bbox) > 0.8)
                .map(|y| (y.score - x.score).abs())
                .fold(f32::INFINITY, f32::min)
        })
        .fold(0.0, f32::max)
}
