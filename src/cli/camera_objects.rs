//! The object detection flags of `vigil camera add` and `vigil camera edit` (`--objects`,
//! minimum score and box size, an ONNX model of the operator's), turned into the camera's
//! stored [`ObjectSettings`]; the model file is checked here (it must be there), loaded by
//! the engine.

use std::path::{Path, PathBuf};

use clap::Args;

use vigil_core::model::objects::parse_objects;
use vigil_core::model::objects_form::{check_settings, parse_min_box, parse_min_score};
use vigil_core::model::{DetectorFormat, DetectorModel, ObjectSettings};

/// `--detector-model builtin` goes back to the built-in person detector.
const BUILTIN: &str = "builtin";

#[derive(Args, Debug, Default)]
pub struct ObjectArgs {
    /// Record events only when one of these objects is seen inside a detect zone (e.g.
    /// person, or person,car with a model that knows cars); motion alone then makes no
    /// event.
    #[arg(long, value_name = "LIST")]
    pub objects: Option<String>,
    /// How sure the detector must be, 0 to 1 (e.g. 0.6) or a percentage [default: 0.6].
    #[arg(long, value_name = "SCORE")]
    pub min_score: Option<String>,
    /// The smallest object box that counts, of the picture: 0.1% or 0.001 [default: 0.1%].
    #[arg(long, value_name = "SIZE")]
    pub min_box: Option<String>,
    /// An ONNX detector of your own instead of the built-in person detector ("builtin" goes
    /// back to it). Needs --detector-format.
    #[arg(long, value_name = "PATH")]
    pub detector_model: Option<String>,
    /// How the ONNX model's output is laid out: ssd (SSDLite anchors, 300×300) or yolo
    /// (YOLOv8: 1×(4+classes)×N).
    #[arg(long, value_name = "FORMAT")]
    pub detector_format: Option<String>,
    /// The ONNX model's class names, one per line in the model's class order.
    #[arg(long, value_name = "FILE")]
    pub detector_labels: Option<PathBuf>,
}

impl ObjectArgs {
    fn any_detail(&self) -> bool {
        self.min_score.is_some()
            || self.min_box.is_some()
            || self.detector_model.is_some()
            || self.detector_format.is_some()
            || self.detector_labels.is_some()
    }

    /// The settings to store, from `current` (the stored ones; `None` when detection is
    /// off) changed by the flags given: `None` when the flags change nothing. Details given
    /// for a camera whose detection stays off are refused, not ignored.
    pub fn settings(
        &self,
        current: Option<&ObjectSettings>,
    ) -> anyhow::Result<Option<ObjectSettings>> {
        if self.objects.is_none() && !self.any_detail() {
            return Ok(None);
        }
        if self.objects.is_none() && current.is_none() {
            anyhow::bail!(
                "object detection is off for this camera; add --objects person to turn it on \
                 with these settings"
            );
        }
        let mut s = current.cloned().unwrap_or_default();
        if let Some(raw) = &self.objects {
            s.objects = parse_objects(raw)?;
        }
        if let Some(raw) = &self.min_score {
            s.min_score = parse_min_score(raw)?;
        }
        if let Some(raw) = &self.min_box {
            s.min_area = parse_min_box(raw)?;
        }
        s.model = self.model(&s.model)?;
        check_settings(&s)?;
        Ok(Some(s))
    }

    /// The model the flags name, starting from `current`.
    fn model(&self, current: &DetectorModel) -> anyhow::Result<DetectorModel> {
        let format = self
            .detector_format
            .as_deref()
            .map(DetectorFormat::parse)
            .transpose()?;
        let labels = self.detector_labels.as_deref().map(absolute).transpose()?;
        let (current_format, current_labels) = match current {
            DetectorModel::Onnx { format, labels, .. } => (Some(*format), labels.clone()),
            DetectorModel::Builtin => (None, None),
        };
        match self.detector_model.as_deref().map(str::trim) {
            Some(BUILTIN) => {
                if format.is_some() || labels.is_some() {
                    anyhow::bail!(
                        "the built-in detector has its own format and labels; leave out \
                         --detector-format and --detector-labels"
                    );
                }
                Ok(DetectorModel::Builtin)
            }
            Some(path) => {
                let Some(format) = format.or(current_format) else {
                    anyhow::bail!(
                        "say how the model's output is laid out: --detector-format ssd or yolo"
                    );
                };
                Ok(DetectorModel::Onnx {
                    path: absolute(Path::new(path))?,
                    format,
                    labels: labels.or(current_labels),
                })
            }
            None => match current {
                DetectorModel::Onnx { path, .. } => Ok(DetectorModel::Onnx {
                    path: path.clone(),
                    format: format.or(current_format).unwrap_or(DetectorFormat::Ssd),
                    labels: labels.or(current_labels),
                }),
                DetectorModel::Builtin if format.is_some() || labels.is_some() => {
                    anyhow::bail!(
                        "the built-in detector has its own format and labels; give \
                         --detector-model PATH to use an ONNX model of your own"
                    )
                }
                DetectorModel::Builtin => Ok(DetectorModel::Builtin),
            },
        }
    }
}

/// The path as the engine will find it from any working directory.
fn absolute(path: &Path) -> anyhow::Result<PathBuf> {
    std::path::absolute(path)
        .map_err(|e| anyhow::anyhow!("cannot use the path {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_flags_change_nothing_and_details_need_detection_on() {
        assert_eq!(ObjectArgs::default().settings(None).unwrap(), None);
        let a = ObjectArgs {
            min_score: Some("0.8".into()),
            ..ObjectArgs::default()
        };
        let e = a.settings(None).unwrap_err().to_string();
        assert!(e.contains("add --objects person"), "{e}");
        let on = ObjectSettings::default();
        let s = a.settings(Some(&on)).unwrap().unwrap();
        assert!((s.min_score - 0.8).abs() < 1e-6);
        assert_eq!(s.objects, ["person"]);
    }

    #[test]
    fn an_onnx_model_needs_its_format_and_must_be_there() {
        let dir = tempfile::tempdir().unwrap();
        let model = dir.path().join("yolo.onnx");
        let labels = dir.path().join("labels.txt");
        std::fs::write(&model, b"onnx").unwrap();
        std::fs::write(&labels, b"person\ncar\n").unwrap();
        let mut a = ObjectArgs {
            objects: Some("person,car".into()),
            detector_model: Some(model.display().to_string()),
            ..ObjectArgs::default()
        };
        assert!(a
            .settings(None)
            .unwrap_err()
            .to_string()
            .contains("--detector-format"));
        a.detector_format = Some("yolo".into());
        a.detector_labels = Some(labels.clone());
        let s = a.settings(None).unwrap().unwrap();
        assert_eq!(
            s.model,
            DetectorModel::Onnx {
                path: model.clone(),
                format: DetectorFormat::Yolo,
                labels: Some(labels)
            }
        );
        // Back to the built-in one, which knows people only.
        let back = ObjectArgs {
            detector_model: Some("builtin".into()),
            ..ObjectArgs::default()
        };
        let e = back.settings(Some(&s)).unwrap_err().to_string();
        assert!(e.contains("people only"), "{e}");
        let back = ObjectArgs {
            objects: Some("person".into()),
            ..back
        };
        assert_eq!(
            back.settings(Some(&s)).unwrap().unwrap().model,
            DetectorModel::Builtin
        );
        let gone = ObjectArgs {
            objects: Some("person".into()),
            detector_model: Some(dir.path().join("nope.onnx").display().to_string()),
            detector_format: Some("ssd".into()),
            ..ObjectArgs::default()
        };
        let e = gone.settings(None).unwrap_err().to_string();
        assert!(e.contains("does not exist"), "{e}");
    }
}
