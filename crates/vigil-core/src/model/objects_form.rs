//! Object detection settings in operator units, as the command line and the desktop app's
//! Objects section take them: a minimum score like `0.6` or `60%`, a minimum box size like
//! `0.1%` or `0.001` of the picture, a model file that must be there; each problem in
//! words, and the [`ObjectSettings`] they make. The file checks touch the disk: run them
//! off any UI thread (the configuration store's job does).

use std::path::{Path, PathBuf};

use super::objects::{parse_objects, DetectorFormat, DetectorModel, ObjectSettings};
use super::InvalidInput;

/// The labels the built-in detector reports.
pub const BUILTIN_LABELS: &[&str] = &["person"];
/// The minimum score the app's slider offers.
pub const SCORE_RANGE: std::ops::RangeInclusive<f32> = 0.3..=0.95;

/// Reads a minimum score: `0.6` (a fraction) or `60%`, from 0 to 1.
pub fn parse_min_score(raw: &str) -> Result<f32, InvalidInput> {
    let text = raw.trim();
    let value = fraction_or_percent(text).ok_or_else(|| {
        InvalidInput(format!(
            "minimum score '{text}' must be a number from 0 to 1 like 0.6 (or a percentage \
             like 60%)"
        ))
    })?;
    Ok(value)
}

/// Reads a minimum box size: `0.1%` (percent of the picture) or `0.001` (a fraction).
pub fn parse_min_box(raw: &str) -> Result<f32, InvalidInput> {
    let text = raw.trim();
    fraction_or_percent(text).ok_or_else(|| {
        InvalidInput(format!(
            "minimum box size '{text}' must be a percentage of the picture like 0.1% (or a \
             fraction like 0.001), from 0 to 100%"
        ))
    })
}

fn fraction_or_percent(text: &str) -> Option<f32> {
    let value = match text.strip_suffix('%') {
        Some(pct) => pct.trim().parse::<f32>().ok()? / 100.0,
        None => text.parse::<f32>().ok()?,
    };
    (value.is_finite() && (0.0..=1.0).contains(&value)).then_some(value)
}

/// A minimum box size as the operator types it: "0.1%", "2.5%".
pub fn min_box_text(fraction: f32) -> String {
    let pct = format!("{:.4}", fraction * 100.0);
    let pct = pct.trim_end_matches('0').trim_end_matches('.');
    format!("{pct}%")
}

/// Refuses labels the chosen model cannot report (the built-in detector finds people only).
pub fn check_labels_for_model(
    objects: &[String],
    model: &DetectorModel,
) -> Result<(), InvalidInput> {
    if !matches!(model, DetectorModel::Builtin) {
        return Ok(());
    }
    match objects
        .iter()
        .find(|o| !BUILTIN_LABELS.contains(&o.as_str()))
    {
        Some(other) => Err(InvalidInput(format!(
            "the built-in detector finds people only (label person), not '{other}'; choose \
             an ONNX model that knows '{other}'"
        ))),
        None => Ok(()),
    }
}

/// Checks that an operator's model file (and its labels file) is there and is a file. The
/// model itself is loaded (and its problems reported) by the engine.
pub fn check_model_files(model: &DetectorModel) -> Result<(), InvalidInput> {
    let DetectorModel::Onnx { path, labels, .. } = model else {
        return Ok(());
    };
    check_file("model file", path)?;
    if let Some(labels) = labels {
        check_file("labels file", labels)?;
    }
    Ok(())
}

fn check_file(what: &str, path: &Path) -> Result<(), InvalidInput> {
    match std::fs::metadata(path) {
        Ok(m) if m.is_file() => Ok(()),
        Ok(_) => Err(InvalidInput(format!(
            "the {what} {} is not a file",
            path.display()
        ))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(InvalidInput(format!(
            "the {what} {} does not exist",
            path.display()
        ))),
        Err(e) => Err(InvalidInput(format!(
            "the {what} {} cannot be read: {e}",
            path.display()
        ))),
    }
}

/// Every check settings pass before they are stored: ranges, labels, files.
pub fn check_settings(s: &ObjectSettings) -> Result<(), InvalidInput> {
    s.check()?;
    check_labels_for_model(&s.objects, &s.model)?;
    check_model_files(&s.model)
}

/// The model in words: "built-in person detector", "yolo model /m/yolo.onnx".
pub fn model_words(model: &DetectorModel) -> String {
    match model {
        DetectorModel::Builtin => "built-in person detector".to_string(),
        DetectorModel::Onnx { path, format, .. } => {
            format!("{} model {}", format.as_str(), path.display())
        }
    }
}

/// One line for listings: "person, car · score ≥ 0.60 · box ≥ 0.1% · built-in person
/// detector".
pub fn summary(s: &ObjectSettings) -> String {
    format!(
        "{} · score ≥ {:.2} · box ≥ {} · {}",
        s.objects.join(", "),
        s.min_score,
        min_box_text(s.min_area),
        model_words(&s.model)
    )
}

/// What the operator has typed into the app's Objects section.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectsForm {
    /// Events only when one of the objects is seen (off: events on motion alone).
    pub on: bool,
    /// Comma-separated labels, e.g. "person".
    pub objects: String,
    pub min_score: f32,
    /// e.g. "0.1%".
    pub min_box: String,
    /// An ONNX model of the operator's instead of the built-in detector.
    pub onnx: bool,
    pub model_path: String,
    pub format: DetectorFormat,
    /// Empty: none.
    pub labels_path: String,
}

impl Default for ObjectsForm {
    fn default() -> Self {
        Self::from_settings(None)
    }
}

impl ObjectsForm {
    /// The form for stored settings (`None`: detection off, the defaults ready).
    pub fn from_settings(s: Option<&ObjectSettings>) -> Self {
        let d = ObjectSettings::default();
        let s_or_d = s.unwrap_or(&d);
        let (onnx, model_path, format, labels_path) = match &s_or_d.model {
            DetectorModel::Builtin => (false, String::new(), DetectorFormat::Ssd, String::new()),
            DetectorModel::Onnx {
                path,
                format,
                labels,
            } => (
                true,
                path.display().to_string(),
                *format,
                labels
                    .as_ref()
                    .map(|l| l.display().to_string())
                    .unwrap_or_default(),
            ),
        };
        Self {
            on: s.is_some(),
            objects: s_or_d.objects.join(", "),
            min_score: s_or_d.min_score,
            min_box: min_box_text(s_or_d.min_area),
            onnx,
            model_path,
            format,
            labels_path,
        }
    }

    /// The object list's problem, if any.
    pub fn objects_error(&self) -> Option<String> {
        let objects = match parse_objects(&self.objects) {
            Ok(o) => o,
            Err(e) => return Some(e.0),
        };
        let model = self.model().ok()?;
        check_labels_for_model(&objects, &model).err().map(|e| e.0)
    }

    pub fn min_box_error(&self) -> Option<String> {
        parse_min_box(&self.min_box).err().map(|e| e.0)
    }

    /// The model file field's problem, if any (the file itself is checked when saving).
    pub fn model_error(&self) -> Option<String> {
        self.model().err()
    }

    pub fn labels_error(&self) -> Option<String> {
        let labels = self.labels_path.trim();
        (self.onnx && !labels.is_empty() && !Path::new(labels).is_absolute())
            .then(|| format!("give the labels file's full path (starting with /), not '{labels}'"))
    }

    fn model(&self) -> Result<DetectorModel, String> {
        if !self.onnx {
            return Ok(DetectorModel::Builtin);
        }
        let path = self.model_path.trim();
        if path.is_empty() {
            return Err("choose the ONNX model file, or use the built-in person detector".into());
        }
        if !Path::new(path).is_absolute() {
            return Err(format!(
                "give the model file's full path (starting with /), not '{path}'"
            ));
        }
        let labels = self.labels_path.trim();
        Ok(DetectorModel::Onnx {
            path: PathBuf::from(path),
            format: self.format,
            labels: (!labels.is_empty()).then(|| PathBuf::from(labels)),
        })
    }

    /// Why the section cannot be saved, if it cannot (only while detection is on).
    pub fn first_error(&self) -> Option<String> {
        if !self.on {
            return None;
        }
        self.objects_error()
            .or_else(|| self.min_box_error())
            .or_else(|| self.model_error())
            .or_else(|| self.labels_error())
    }

    /// The settings to store: `None` when detection is off. The files are not checked here.
    pub fn settings(&self) -> Result<Option<ObjectSettings>, String> {
        if !self.on {
            return Ok(None);
        }
        if let Some(e) = self.first_error() {
            return Err(e);
        }
        let s = ObjectSettings {
            objects: parse_objects(&self.objects).map_err(|e| e.0)?,
            min_score: self.min_score,
            min_area: parse_min_box(&self.min_box).map_err(|e| e.0)?,
            model: self.model()?,
        };
        s.check().map_err(|e| e.0)?;
        Ok(Some(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_and_sizes_take_fractions_or_percentages() {
        assert!((parse_min_score("0.7").unwrap() - 0.7).abs() < 1e-6);
        assert!((parse_min_score(" 70 % ").unwrap() - 0.7).abs() < 1e-6);
        assert!(parse_min_score("1.5")
            .unwrap_err()
            .0
            .contains("from 0 to 1"));
        assert!(parse_min_score("high").is_err());
        assert!((parse_min_box("0.5%").unwrap() - 0.005).abs() < 1e-7);
        assert!((parse_min_box("0.001").unwrap() - 0.001).abs() < 1e-7);
        assert!(parse_min_box("150%")
            .unwrap_err()
            .0
            .contains("of the picture"));
        assert!(parse_min_box("-1").is_err());
        assert_eq!(min_box_text(0.001), "0.1%");
        assert_eq!(min_box_text(0.005), "0.5%");
        assert_eq!(min_box_text(0.25), "25%");
        assert!((parse_min_box(&min_box_text(0.0012)).unwrap() - 0.0012).abs() < 1e-7);
    }

    #[test]
    fn the_builtin_detector_finds_people_only() {
        let car = vec!["person".to_string(), "car".to_string()];
        let e = check_labels_for_model(&car, &DetectorModel::Builtin).unwrap_err();
        assert!(e.0.contains("people only") && e.0.contains("'car'"), "{e}");
        let onnx = DetectorModel::Onnx {
            path: "/m.onnx".into(),
            format: DetectorFormat::Yolo,
            labels: None,
        };
        assert!(check_labels_for_model(&car, &onnx).is_ok());
    }

    #[test]
    fn model_files_must_be_there_and_be_files() {
        let dir = tempfile::tempdir().unwrap();
        let model = dir.path().join("m.onnx");
        let onnx = |path: PathBuf, labels: Option<PathBuf>| DetectorModel::Onnx {
            path,
            format: DetectorFormat::Ssd,
            labels,
        };
        let e = check_model_files(&onnx(model.clone(), None)).unwrap_err();
        assert!(e.0.contains("does not exist"), "{e}");
        let e = check_model_files(&onnx(dir.path().to_path_buf(), None)).unwrap_err();
        assert!(e.0.contains("is not a file"), "{e}");
        std::fs::write(&model, b"x").unwrap();
        assert!(check_model_files(&onnx(model.clone(), None)).is_ok());
        let labels = dir.path().join("labels.txt");
        let e = check_model_files(&onnx(model.clone(), Some(labels))).unwrap_err();
        assert!(e.0.contains("labels file"), "{e}");
        assert!(check_model_files(&DetectorModel::Builtin).is_ok());
    }

    #[test]
    fn the_form_makes_the_settings_and_back() {
        let mut f = ObjectsForm::default();
        assert_eq!(f.settings(), Ok(None));
        f.on = true;
        assert_eq!(f.settings(), Ok(Some(ObjectSettings::default())));
        f.min_score = 0.75;
        f.min_box = "0.5%".into();
        f.onnx = true;
        assert!(f.first_error().unwrap().contains("choose the ONNX model"));
        f.model_path = "models/yolo.onnx".into();
        assert!(f.first_error().unwrap().contains("full path"));
        f.model_path = "/opt/m/yolo.onnx".into();
        f.format = DetectorFormat::Yolo;
        f.labels_path = "/opt/m/labels.txt".into();
        f.objects = "Person, car".into();
        let s = f.settings().unwrap().unwrap();
        assert_eq!(s.objects, ["person", "car"]);
        assert!((s.min_area - 0.005).abs() < 1e-7);
        assert_eq!(ObjectsForm::from_settings(Some(&s)).settings(), Ok(Some(s)));
        f.onnx = false;
        assert!(f.objects_error().unwrap().contains("people only"));
        f.on = false;
        assert_eq!(
            f.first_error(),
            None,
            "a switched-off section is not checked"
        );
    }

    #[test]
    fn summaries_read_as_a_line() {
        let s = ObjectSettings::default();
        assert_eq!(
            summary(&s),
            "person · score ≥ 0.60 · box ≥ 0.1% · built-in person detector"
        );
    }
}
