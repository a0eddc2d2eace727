//! The built-in detector on the annotated frames: the people clip's 26 frames (whole frame,
//! the analyzer's 320-px picture, or the whole frame cut in four overlapping tiles), every
//! frame of the no-people clip, and the detections written out for a look.

use std::path::Path;

use vigil_core::objects::builtin::{PersonDetector, NMS_IOU};
use vigil_core::objects::{nms, Found, ObjectBox, ObjectDetector, RgbFrame};

use super::best;
use super::clips::{self, Annotations, Picture};
use super::quality::{self, FrameScore, Totals};
use crate::BenchError;

/// Score thresholds the quality table shows; the first is the product's default.
pub const THRESHOLDS: [f32; 4] = [0.6, 0.5, 0.4, 0.3];

/// How the frame is given to the detector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Picturing {
    /// The whole frame at its own size (the detector stretches it to 300×300).
    Full,
    /// The frame scaled to 320 px wide, as the analyzer decodes it.
    Analysis,
    /// The whole frame in 2×2 tiles of 60 % of its width and height (overlapping), each
    /// detected on, boxes mapped back and suppressed across tiles: what more pixels per
    /// person (e.g. crops around motion) give.
    Tiles,
}

impl Picturing {
    pub fn describe(self) -> &'static str {
        match self {
            Picturing::Full => "the whole frame,",
            Picturing::Analysis => "the analysis picture, 320 px wide,",
            Picturing::Tiles => "the whole frame in 4 overlapping tiles, 4 runs,",
        }
    }
}

/// Quality on one clip at one picture size: per-frame scores at each of `THRESHOLDS`.
#[derive(Debug, Clone)]
pub struct QualityRun {
    pub clip: String,
    pub how: Picturing,
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

/// The built-in detector on every annotated frame of `ann`.
pub fn people(
    det: &PersonDetector,
    ann: &Annotations,
    clip: &Path,
    how: Picturing,
) -> Result<QualityRun, BenchError> {
    let indices: Vec<u32> = ann.frames.iter().map(|f| f.frame).collect();
    let width = (how == Picturing::Analysis).then_some(320);
    let pictures = clips::frames(clip, ann.size, &indices, width)?;
    let lowest = THRESHOLDS.iter().copied().fold(1.0, f32::min);
    let mut found = Vec::new();
    for p in &pictures {
        found.push(match how {
            Picturing::Tiles => detect_tiled(det, p, lowest)?,
            _ => detect_on(det, p, lowest)?,
        });
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
        how,
        size,
        at,
        found: indices.into_iter().zip(found).collect(),
    })
}

/// Writes the quality runs' detections as JSON: per run the picture size and, per frame,
/// each detection's score and box in pixels of the annotated frame.
pub fn dump(path: &Path, runs: &[QualityRun]) -> Result<(), BenchError> {
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
            serde_json::json!({
                "clip": q.clip, "how": q.how.describe(), "picture": [q.size.0, q.size.1], "frames": frames,
            })
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

/// Share of the frame's width and height each of the 2×2 tiles covers.
const TILE: f32 = 0.6;

/// Detections on the 2×2 tiles of `p`, in whole-frame coordinates, one box per person.
fn detect_tiled(det: &PersonDetector, p: &Picture, min: f32) -> Result<Vec<Found>, BenchError> {
    let (tw, th) = (
        (p.width as f32 * TILE).ceil() as u32,
        (p.height as f32 * TILE).ceil() as u32,
    );
    let whole =
        RgbFrame::new(p.width, p.height, &p.data).map_err(|e| BenchError::Failed(e.to_string()))?;
    let mut all = Vec::new();
    for (x0, y0) in [
        (0, 0),
        (p.width - tw, 0),
        (0, p.height - th),
        (p.width - tw, p.height - th),
    ] {
        let tile = Picture {
            width: tw,
            height: th,
            data: whole.crop(x0, y0, tw, th),
        };
        let (fx, fy) = (x0 as f32 / p.width as f32, y0 as f32 / p.height as f32);
        let (sx, sy) = (tw as f32 / p.width as f32, th as f32 / p.height as f32);
        for mut f in detect_on(det, &tile, min)? {
            f.bbox = ObjectBox {
                x: fx + f.bbox.x * sx,
                y: fy + f.bbox.y * sy,
                w: f.bbox.w * sx,
                h: f.bbox.h * sy,
            };
            all.push(f);
        }
    }
    Ok(nms::suppress(all, NMS_IOU, 100))
}

/// The built-in detector on every frame of the no-people clip.
pub fn quiet(det: &PersonDetector, ann: &Annotations, clip: &Path) -> Result<Quiet, BenchError> {
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
