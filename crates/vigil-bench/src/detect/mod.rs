//! `vigil bench detect`: object detection on the CPU. Inference time per picture in Vigil's
//! runtimes (tract-tensorflow on the built-in person detector, tract-onnx on a YOLOv8n-layout
//! model) against onnxruntime's Python API on the same models and inputs in the same run;
//! the CPU a camera costs when detection runs only while motion lasts (a busy and a quiet real
//! clip); and the built-in detector's quality on hand-annotated frames of real footage.
//!
//! `clips` (footage and annotations) → `quality` (matching) · `timing` (Vigil's runtimes) ·
//! `baseline` (onnxruntime) · `timeline` (the motion-gated clip run, reusable) → `report`.

mod baseline;
pub mod clips;
pub mod quality;
mod report;
pub mod timeline;
pub mod timing;

use std::path::PathBuf;

use vigil_core::objects::builtin::{PersonDetector, NMS_IOU};
use vigil_core::objects::{nms, ssd, Found, ObjectDetector, RgbFrame};

use crate::BenchError;
use clips::{Annotations, Picture, NO_PEOPLE, PEOPLE};
use quality::{FrameScore, Totals};
use timeline::{Gate, Timeline};
use timing::Times;

/// Score thresholds the quality table shows; the first is the product's default.
pub const THRESHOLDS: [f32; 4] = [0.6, 0.5, 0.4, 0.3];

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

/// Quality on one clip at one picture size: per-frame scores at each of `THRESHOLDS`.
#[derive(Debug, Clone)]
pub struct QualityRun {
    pub clip: String,
    pub size: (u32, u32),
    /// (threshold, per-frame scores).
    pub at: Vec<(f32, Vec<FrameScore>)>,
    /// Every detection per annotated frame (lowest threshold), normalized boxes.
    pub found: Vec<(u32, Vec<Found>)>,
}

impl QualityRun {
    pub fn totals(&self, threshold: f32) -> Option<Totals> {
        self.at
            .iter()
            .find(|(t, _)| (*t - threshold).abs() < 1e-6)
            .map(|(_, f)| Totals::of(f))
    }
}

/// The no-people clip: detections per frame at the product's threshold.
#[derive(Debug, Clone, Default)]
pub struct Quiet {
    pub frames: usize,
    pub hand_frames: usize,
    /// Person detections ≥ 0.6 on frames without the hand, and on frames with it.
    pub on_foliage: usize,
    pub on_hand: usize,
    /// Best person score on foliage frames and on hand frames.
    pub best_foliage: f32,
    pub best_hand: f32,
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
        for width in [None, Some(320)] {
            report
                .quality
                .push(quality_run(&det, &people, &people_clip, width)?);
        }
        report.quiet = Some(quiet_run(&det, &quiet, &quiet_clip)?);
        if let Some(path) = &opts.dump {
            dump(path, &report.quality)?;
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

fn best(v: &[Found]) -> f32 {
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

/// The built-in detector on every annotated frame of `ann`, at full size or `width` wide.
fn quality_run(
    det: &PersonDetector,
    ann: &Annotations,
    clip: &std::path::Path,
    width: Option<u32>,
) -> Result<QualityRun, BenchError> {
    let indices: Vec<u32> = ann.frames.iter().map(|f| f.frame).collect();
    let pictures = clips::frames(clip, ann.size, &indices, width)?;
    let lowest = THRESHOLDS.iter().copied().fold(1.0, f32::min);
    let mut found = Vec::new();
    for p in &pictures {
        found.push(detect_on(det, p, lowest)?);
    }
    let at = THRESHOLDS
        .iter()
        .map(|&t| {
            let scores = ann
                .frames
                .iter()
                .zip(&found)
                .map(|(truth, d)| quality::score_frame(d, truth, (ann.size[0], ann.size[1]), t))
                .collect();
            (t, scores)
        })
        .collect();
    let size = pictures.first().map_or((0, 0), |p| (p.width, p.height));
    Ok(QualityRun {
        clip: ann.clip.clone(),
        size,
        at,
        found: indices.into_iter().zip(found).collect(),
    })
}

/// Writes the quality runs' detections as JSON: per run the picture size and, per frame,
/// each detection's score and box in pixels of the annotated frame.
fn dump(path: &std::path::Path, runs: &[QualityRun]) -> Result<(), BenchError> {
    let runs: Vec<serde_json::Value> = runs
        .iter()
        .map(|q| {
            let frames: Vec<serde_json::Value> = q
                .found
                .iter()
                .map(|(n, found)| {
                    let dets: Vec<serde_json::Value> = found
                        .iter()
                        .map(|f| serde_json::json!({ "score": f.score, "box": f.bbox }))
                        .collect();
                    serde_json::json!({ "frame": n, "detections": dets })
                })
                .collect();
            serde_json::json!({ "clip": q.clip, "picture": [q.size.0, q.size.1], "frames": frames })
        })
        .collect();
    let text = serde_json::to_string_pretty(&runs)
        .map_err(|e| BenchError::Failed(format!("cannot write the detections: {e}")))?;
    std::fs::write(path, text)
        .map_err(|e| BenchError::io(format!("cannot write {}", path.display()), e))
}

fn detect_on(det: &PersonDetector, p: &Picture, min: f32) -> Result<Vec<Found>, BenchError> {
    let frame =
        RgbFrame::new(p.width, p.height, &p.data).map_err(|e| BenchError::Failed(e.to_string()))?;
    det.detect(&frame, min)
        .map_err(|e| BenchError::Failed(e.to_string()))
}

/// The built-in detector on every frame of the no-people clip.
fn quiet_run(
    det: &PersonDetector,
    ann: &Annotations,
    clip: &std::path::Path,
) -> Result<Quiet, BenchError> {
    let indices: Vec<u32> = ann.frames.iter().map(|f| f.frame).collect();
    let pictures = clips::frames(clip, ann.size, &indices, None)?;
    let mut q = Quiet {
        frames: ann.frames.len(),
        ..Quiet::default()
    };
    let threshold = THRESHOLDS[0];
    for (truth, p) in ann.frames.iter().zip(&pictures) {
        let found = detect_on(det, p, 0.01)?;
        let (b, n) = (
            best(&found),
            found.iter().filter(|f| f.score >= threshold).count(),
        );
        if truth.hand {
            q.hand_frames += 1;
            q.on_hand += n;
            q.best_hand = q.best_hand.max(b);
        } else {
            q.on_foliage += n;
            q.best_foliage = q.best_foliage.max(b);
        }
    }
    Ok(q)
}
