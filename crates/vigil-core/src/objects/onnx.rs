//! Operators' own ONNX detectors, run by tract-onnx: the YOLOv8 layout (letterboxed NCHW
//! input in [0, 1], one 1×(4+C)×N output) or the SSD layout of the built-in model (300×300
//! NHWC input in [-1, 1], box encodings against the SSDLite 300 anchors, then class logits
//! with the background first). Outputs are taken by position, not by name.

use std::path::Path;
use std::sync::Arc;

use tract_onnx::pb::ModelProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::infer::Factoid;

use super::builtin::{self, output};
use super::frame::RgbFrame;
use super::ssd::{self, Anchor};
use super::yolo::{self, Layout};
use super::{labels, nms, Found, ObjectDetector, ObjectError};
use crate::model::objects::DetectorFormat;

/// Larger than any detector this is meant for (ONNX files cannot exceed 2 GB anyway).
const MAX_BYTES: u64 = 1 << 31;
/// Input side of an Ultralytics export that records none (their default `imgsz`).
const YOLO_DEFAULT_SIDE: usize = 640;
/// SSD input side: the anchors are those of a 300×300 SSDLite / SSD-MobileNet.
const SSD_SIDE: usize = 300;
const MAX_DETECTIONS: usize = 50;

/// How the loaded model's input and output are read.
enum Kind {
    Yolo {
        side: usize,
        layout: Layout,
    },
    Ssd {
        anchors: Vec<Anchor>,
        columns: usize,
    },
}

/// A loaded ONNX detector; cheap to share between threads.
pub struct OnnxDetector {
    plan: Arc<TypedSimplePlan>,
    kind: Kind,
    labels: Vec<String>,
    path: String,
}

/// The model's file as bytes, or why it cannot be used.
fn read_model(path: &Path) -> Result<Vec<u8>, ObjectError> {
    let unreadable = |detail: String| ObjectError::ModelUnreadable {
        path: path.display().to_string(),
        detail,
    };
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => {
            unreadable("it does not exist; check the path given as the detector model".into())
        }
        _ => unreadable(e.to_string()),
    })?;
    if !meta.is_file() {
        return Err(unreadable("it is not a file".into()));
    }
    if meta.len() > MAX_BYTES {
        return Err(unreadable(format!("it is {} bytes, too large", meta.len())));
    }
    std::fs::read(path).map_err(|e| unreadable(e.to_string()))
}

/// A metadata entry the exporter wrote (Ultralytics: `imgsz`, `names`, …).
fn metadata<'a>(proto: &'a ModelProto, key: &str) -> Option<&'a str> {
    proto
        .metadata_props
        .iter()
        .find(|p| p.key == key)
        .map(|p| p.value.as_str())
}

/// The square input side of a YOLO model: its input's fixed height, else the `imgsz` the
/// exporter recorded, else Ultralytics' default.
fn yolo_side(model: &InferenceModel, proto: &ModelProto) -> usize {
    let fixed = model
        .input_fact(0)
        .ok()
        .and_then(|f| f.shape.dim(2))
        .and_then(|d| d.concretize())
        .and_then(|d| d.as_i64())
        .and_then(|d| usize::try_from(d).ok());
    let recorded = || {
        let raw = metadata(proto, "imgsz")?;
        raw.trim_matches(|c| c == '[' || c == ']')
            .split(',')
            .next()?
            .trim()
            .parse()
            .ok()
    };
    fixed
        .filter(|&s| s > 0)
        .or_else(recorded)
        .unwrap_or(YOLO_DEFAULT_SIDE)
}

/// The model's metadata and its graph optimised for `format`'s input (errors are details
/// for [`ObjectError::ModelLoad`]).
fn optimised(bytes: &[u8], format: DetectorFormat) -> Result<(ModelProto, TypedModel), String> {
    let framework = onnx().with_ignore_value_info(true);
    let proto = framework
        .proto_model_for_read(&mut &bytes[..])
        .map_err(|e| format!("it is not an ONNX model ({e:#})"))?;
    let mut model = framework
        .model_for_proto_model(&proto)
        .map_err(|e| format!("{e:#}"))?;
    let shape = match format {
        DetectorFormat::Yolo => {
            let side = yolo_side(&model, &proto);
            [1, 3, side, side]
        }
        DetectorFormat::Ssd => [1, SSD_SIDE, SSD_SIDE, 3],
    };
    model
        .set_input_fact(0, f32::fact(shape).into())
        .map_err(|e| format!("{e:#}"))?;
    let model = model.into_optimized().map_err(|e| {
        format!(
            "{e:#} (is it a {} model with a {shape:?} input?)",
            format.as_str()
        )
    })?;
    Ok((proto, model))
}

/// How `model`'s input and outputs are read in `format`.
fn kind_of(model: &TypedModel, format: DetectorFormat) -> Result<Kind, String> {
    let out_shape = |i: usize| -> Result<Vec<usize>, String> {
        let fact = model
            .output_fact(i)
            .map_err(|_| format!("it has no output {i}"))?;
        fact.shape
            .as_concrete()
            .map(<[usize]>::to_vec)
            .ok_or_else(|| format!("its output {i} has no fixed shape"))
    };
    match format {
        DetectorFormat::Yolo => {
            let input = model
                .input_fact(0)
                .ok()
                .and_then(|f| f.shape.as_concrete().map(<[usize]>::to_vec));
            let side = input
                .and_then(|s| s.get(2).copied())
                .filter(|&s| s > 0)
                .ok_or_else(|| "its input has no fixed size".to_string())?;
            Ok(Kind::Yolo {
                side,
                layout: Layout::of_shape(&out_shape(0)?)?,
            })
        }
        DetectorFormat::Ssd => ssd_kind(&out_shape(0)?, &out_shape(1)?),
    }
}

impl OnnxDetector {
    /// Loads the ONNX model at `path` in `format`, naming classes from the labels file
    /// (`labels`) or, for Ultralytics exports without one, from the model's own metadata.
    pub fn load(
        path: &Path,
        format: DetectorFormat,
        labels: Option<&Path>,
    ) -> Result<Self, ObjectError> {
        let shown = path.display().to_string();
        let fail = |detail: String| ObjectError::ModelLoad {
            path: shown.clone(),
            detail,
        };
        let (proto, model) = optimised(&read_model(path)?, format).map_err(fail)?;
        let kind = kind_of(&model, format).map_err(fail)?;
        let classes = match &kind {
            Kind::Yolo { layout, .. } => layout.classes(),
            Kind::Ssd { columns, .. } => columns - 1,
        };
        let labels = class_names(&proto, &shown, labels, classes, format)?;
        let plan = model.into_runnable().map_err(|e| fail(format!("{e:#}")))?;
        Ok(Self {
            plan,
            kind,
            labels,
            path: shown,
        })
    }
}

/// Checks the SSD outputs: box encodings for the 1917 SSDLite 300 anchors, then logits.
fn ssd_kind(boxes: &[usize], logits: &[usize]) -> Result<Kind, String> {
    let anchors = ssd::ssdlite_300_anchors();
    let n = anchors.len();
    let volume = |s: &[usize]| s.iter().product::<usize>();
    if volume(boxes) != n * 4 {
        return Err(format!(
            "its first output has shape {boxes:?}, not the box encodings of the {n} anchors of \
             a 300×300 SSDLite (the ssd format means that anchor layout)"
        ));
    }
    let columns = volume(logits) / n;
    if columns < 2 || columns * n != volume(logits) {
        return Err(format!(
            "its second output has shape {logits:?}, not {n} rows of class logits \
             (background first)"
        ));
    }
    Ok(Kind::Ssd { anchors, columns })
}

/// The model's class names: from the labels file, else from an Ultralytics export's
/// `names` metadata. An SSD labels file may start with the background class.
fn class_names(
    proto: &ModelProto,
    model_path: &str,
    file: Option<&Path>,
    classes: usize,
    format: DetectorFormat,
) -> Result<Vec<String>, ObjectError> {
    let Some(file) = file else {
        let names = metadata(proto, "names").and_then(labels::from_ultralytics_names);
        return names
            .and_then(|n| labels::check_count(n, classes).ok())
            .ok_or_else(|| ObjectError::ModelLoad {
                path: model_path.to_string(),
                detail: format!(
                    "it names no classes itself; give a labels file with its {classes} class \
                     names, one per line"
                ),
            });
    };
    labels_file(file, classes, format)
}

/// The labels file's names for a model with `classes` classes.
fn labels_file(
    file: &Path,
    classes: usize,
    format: DetectorFormat,
) -> Result<Vec<String>, ObjectError> {
    let mut names = labels::read(file)?;
    let background = ["background", "__background__", "???"];
    if format == DetectorFormat::Ssd
        && names.len() > classes
        && background.contains(&names[0].as_str())
    {
        names.remove(0);
    }
    labels::check_count(names, classes).map_err(|detail| ObjectError::Labels {
        path: file.display().to_string(),
        detail,
    })
}

impl OnnxDetector {
    fn run(&self, input: Vec<f32>, shape: [usize; 4]) -> Result<TVec<TValue>, ObjectError> {
        let err = |e: TractError| ObjectError::Inference(format!("{e:#}"));
        let tensor = tract_ndarray::Array4::from_shape_vec(shape, input)
            .map_err(|e| ObjectError::Inference(e.to_string()))?
            .into_tensor();
        self.plan.run(tvec![tensor.into()]).map_err(err)
    }
}

impl ObjectDetector for OnnxDetector {
    fn describe(&self) -> String {
        let format = match self.kind {
            Kind::Yolo { .. } => "YOLO",
            Kind::Ssd { .. } => "SSD",
        };
        format!("ONNX {format} detector ({})", self.path)
    }

    fn labels(&self) -> &[String] {
        &self.labels
    }

    fn detect(&self, frame: &RgbFrame<'_>, min_score: f32) -> Result<Vec<Found>, ObjectError> {
        frame.check()?;
        match &self.kind {
            Kind::Yolo { side, layout } => {
                let (input, letterbox) = frame.letterboxed_chw(*side as u32, 1.0 / 255.0, 0.0, 0);
                let out = self.run(input, [1, 3, *side, *side])?;
                let found = yolo::decode(
                    &output(&out, 0)?,
                    *layout,
                    &self.labels,
                    min_score,
                    &letterbox,
                );
                Ok(nms::suppress(found, yolo::NMS_IOU, MAX_DETECTIONS))
            }
            Kind::Ssd { anchors, columns } => {
                let s = SSD_SIDE as u32;
                let input = frame.resized_hwc(s, s, 2.0 / 255.0, -1.0);
                let out = self.run(input, [1, SSD_SIDE, SSD_SIDE, 3])?;
                let (boxes, logits) = (output(&out, 0)?, output(&out, 1)?);
                let found =
                    ssd::decode(anchors, &boxes, &logits, *columns, &self.labels, min_score);
                Ok(nms::suppress(found, builtin::NMS_IOU, MAX_DETECTIONS))
            }
        }
    }
}
