//! The recording-policy editor's Objects section: "Record events only when a person is
//! seen", which objects, the minimum score (a slider) and box size, and the model (the
//! built-in person detector or an ONNX file of the operator's, with its format and labels
//! file, picked with Browse…). Shows why the camera's detector cannot run when the engine
//! says so. The rules are the engine's [`ObjectsForm`]; the files are checked by the
//! configuration store when saving.

use std::path::PathBuf;

use egui::{Grid, RichText, Slider, TextEdit, Ui};

use super::model_picker::pick_file;
use super::widgets::{field_row, problem};
use crate::config_jobs::wake;
use crate::tr;
use vigil_core::model::objects_form::{min_box_text, ObjectsForm, SCORE_RANGE};
use vigil_core::model::{DetectorFormat, ObjectSettings};
use vigil_core::service::{Job, JobState};

/// Which file a Browse… is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Which {
    Model,
    Labels,
}

pub struct ObjectsSection {
    pub form: ObjectsForm,
    /// As stored when the editor opened.
    stored: Option<ObjectSettings>,
    browsing: Option<(Which, Job<Option<PathBuf>>)>,
}

impl ObjectsSection {
    pub fn new(stored: Option<&ObjectSettings>) -> Self {
        Self {
            form: ObjectsForm::from_settings(stored),
            stored: stored.cloned(),
            browsing: None,
        }
    }

    /// Why the section cannot be saved, if it cannot.
    pub fn first_error(&self) -> Option<String> {
        self.form
            .first_error()
            .map(|e| tr!("setup-objects-problem", error = e))
    }

    /// The settings to store when they differ from the stored ones: `Some(None)` turns
    /// detection off; `None` changes nothing.
    pub fn change(&self) -> Result<Option<Option<ObjectSettings>>, String> {
        let mut wanted = self.form.settings()?;
        // The size as shown parses back to within a rounding of the stored one: an
        // untouched field must not count as a change (it would restart the camera).
        if let (Some(w), Some(s)) = (&mut wanted, &self.stored) {
            if self.form.min_box.trim() == min_box_text(s.min_area) {
                w.min_area = s.min_area;
            }
        }
        Ok((wanted != self.stored).then_some(wanted))
    }

    /// Takes the file dialog's answer when it has come.
    fn poll_browse(&mut self) {
        let Some((which, job)) = &mut self.browsing else {
            return;
        };
        let answer = match job.poll() {
            JobState::Running => return,
            JobState::Done(answer) => answer,
            JobState::Lost => None,
        };
        if let Some(path) = answer {
            let text = path.display().to_string();
            match which {
                Which::Model => self.form.model_path = text,
                Which::Labels => self.form.labels_path = text,
            }
        }
        self.browsing = None;
    }

    /// Draws the section; `error` is why the camera's detector cannot run now (the
    /// engine's sentence), if it cannot.
    pub fn show(&mut self, ui: &mut Ui, error: Option<&str>) {
        self.poll_browse();
        ui.label(RichText::new(tr!("setup-objects")).strong());
        ui.checkbox(&mut self.form.on, tr!("setup-objects-on"));
        if let Some(e) = error {
            problem(ui, &tr!("setup-objects-cannot-run", error = e));
        }
        if !self.form.on {
            return;
        }
        let f = &mut self.form;
        let (objects_err, box_err) = (f.objects_error(), f.min_box_error());
        Grid::new("objects-fields")
            .num_columns(2)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                field_row(
                    ui,
                    &tr!("setup-object-labels"),
                    TextEdit::singleline(&mut f.objects).hint_text("person"), // i18n-ignore
                    true,
                    objects_err.as_deref(),
                );
                let label = ui.label(tr!("setup-min-score"));
                ui.add(Slider::new(&mut f.min_score, SCORE_RANGE).fixed_decimals(2))
                    .labelled_by(label.id);
                ui.end_row();
                field_row(
                    ui,
                    &tr!("setup-min-size"),
                    TextEdit::singleline(&mut f.min_box).hint_text(tr!("setup-min-size-hint")),
                    true,
                    box_err.as_deref(),
                );
                ui.label(tr!("setup-model"));
                ui.horizontal_wrapped(|ui| {
                    ui.selectable_value(&mut f.onnx, false, tr!("setup-model-builtin"));
                    ui.selectable_value(&mut f.onnx, true, tr!("setup-model-onnx"));
                });
                ui.end_row();
            });
        if self.form.onnx {
            self.onnx_fields(ui);
        }
        ui.label(RichText::new(tr!("setup-objects-note")).weak());
    }

    fn onnx_fields(&mut self, ui: &mut Ui) {
        let (model_err, labels_err) = (self.form.model_error(), self.form.labels_error());
        let mut browse = None;
        let f = &mut self.form;
        Grid::new("objects-model-fields")
            .num_columns(3)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                field_row_with_browse(
                    ui,
                    &tr!("setup-model-file"),
                    &mut f.model_path,
                    model_err.as_deref(),
                    || browse = Some(Which::Model),
                );
                ui.label(tr!("setup-format"));
                ui.horizontal(|ui| {
                    let (ssd, yolo) = ("SSD", "YOLO"); // i18n-ignore: names
                    ui.selectable_value(&mut f.format, DetectorFormat::Ssd, ssd);
                    ui.selectable_value(&mut f.format, DetectorFormat::Yolo, yolo);
                });
                ui.end_row();
                field_row_with_browse(
                    ui,
                    &tr!("setup-labels-file"),
                    &mut f.labels_path,
                    labels_err.as_deref(),
                    || browse = Some(Which::Labels),
                );
            });
        if let (Some(which), None) = (browse, &self.browsing) {
            let (title, filter): (String, (String, &'static [&'static str])) = match which {
                Which::Model => (
                    tr!("setup-choose-model"),
                    (tr!("setup-model-filter"), &["onnx"]),
                ),
                Which::Labels => (
                    tr!("setup-choose-labels"),
                    (tr!("setup-labels-filter"), &["txt", "names"]),
                ),
            };
            let job = pick_file(title, filter, Some(wake(ui.ctx())));
            self.browsing = Some((which, job));
        }
    }
}

/// A path field with its problem under it and a Browse… button after it.
fn field_row_with_browse(
    ui: &mut Ui,
    label: &str,
    text: &mut String,
    error: Option<&str>,
    on_browse: impl FnOnce(),
) {
    let l = ui.label(label);
    ui.vertical(|ui| {
        ui.add(
            TextEdit::singleline(text)
                .hint_text("/path/to/file") // i18n-ignore
                .desired_width(250.0),
        )
        .labelled_by(l.id);
        if let Some(e) = error {
            problem(ui, e);
        }
    });
    if ui
        .button(tr!("setup-browse-for", what = label.to_lowercase()))
        .clicked()
    {
        on_browse();
    }
    ui.end_row();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn untouched_settings_are_no_change() {
        let stored = ObjectSettings {
            min_area: 0.0012345,
            min_score: 0.71,
            ..ObjectSettings::default()
        };
        let mut section = ObjectsSection::new(Some(&stored));
        assert_eq!(section.change(), Ok(None));
        section.form.min_box = "1%".into();
        let changed = section.change().unwrap().unwrap().unwrap();
        assert!((changed.min_area - 0.01).abs() < 1e-7);
        section.form.on = false;
        assert_eq!(section.change(), Ok(Some(None)));
        assert_eq!(ObjectsSection::new(None).change(), Ok(None));
    }
}
