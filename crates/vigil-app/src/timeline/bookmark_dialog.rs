//! "Add bookmark…" from the timeline: a small window for the bookmark at the playhead (or
//! now, when live) or over the selected range — which camera, a name, a note, protect from
//! retention — saved through the service's bookmarks handle as a job, its refusal shown as
//! the sentence the library gives.

use egui::{ComboBox, RichText, TextEdit};

use crate::local_time;
use crate::tr;
use vigil_core::service::{Bookmark, Bookmarks, Job, JobState, NewBookmark, ServiceError, Wake};

/// What the dialog did this frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Open,
    Saved(Bookmark),
    Closed,
}

pub struct BookmarkDialog {
    pub camera_id: i64,
    pub name: String,
    pub note: String,
    pub protect: bool,
    pub start_us: i64,
    pub end_us: i64,
    saving: Option<Job<Result<Bookmark, ServiceError>>>,
    error: Option<String>,
}

impl BookmarkDialog {
    /// A dialog for `[start_us, end_us]` (a moment when equal) on `camera_id`.
    pub fn new(camera_id: i64, start_us: i64, end_us: i64) -> Self {
        Self {
            camera_id,
            name: String::new(),
            note: String::new(),
            protect: false,
            start_us,
            end_us,
            saving: None,
            error: None,
        }
    }

    /// Draws the window; saves when asked.
    pub fn show(
        &mut self,
        ctx: &egui::Context,
        cameras: &[(i64, String)],
        store: &Bookmarks,
        wake: &Wake,
    ) -> Outcome {
        if let Some(done) = self.take_answer() {
            return done;
        }
        let mut open = true;
        let mut outcome = Outcome::Open;
        egui::Window::new(tr!("bookmark-add-title"))
            .id(egui::Id::unique("timeline-add-bookmark"))
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .default_width(340.0)
            .show(ctx, |ui| {
                ui.label(self.when());
                let shown = cameras
                    .iter()
                    .find(|(id, _)| *id == self.camera_id)
                    .map_or_else(String::new, |(_, n)| n.clone());
                ComboBox::from_label(tr!("bookmark-camera"))
                    .selected_text(shown)
                    .show_ui(ui, |ui| {
                        for (id, name) in cameras {
                            ui.selectable_value(&mut self.camera_id, *id, name);
                        }
                    });
                let label = ui.label(tr!("bookmark-name"));
                ui.add(TextEdit::singleline(&mut self.name).desired_width(f32::INFINITY))
                    .labelled_by(label.id);
                let label = ui.label(tr!("bookmark-note"));
                ui.add(
                    TextEdit::multiline(&mut self.note)
                        .desired_rows(3)
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label.id);
                ui.checkbox(&mut self.protect, tr!("bookmark-protect"));
                if let Some(e) = &self.error {
                    ui.label(RichText::new(e).color(egui::Color32::from_rgb(235, 90, 80)));
                }
                ui.horizontal(|ui| {
                    let save = egui::Button::new(tr!("bookmark-save"));
                    if ui.add_enabled(self.saving.is_none(), save).clicked() {
                        self.save(store, wake);
                    }
                    if ui.button(tr!("common-cancel")).clicked() {
                        outcome = Outcome::Closed;
                    }
                });
            });
        if !open {
            return Outcome::Closed;
        }
        outcome
    }

    fn when(&self) -> String {
        if self.start_us == self.end_us {
            tr!("bookmark-at", time = local_time::date_time(self.start_us))
        } else {
            tr!(
                "bookmark-range",
                from = local_time::date_time(self.start_us),
                to = local_time::date_time(self.end_us),
                span = local_time::duration(self.end_us - self.start_us)
            )
        }
    }

    fn save(&mut self, store: &Bookmarks, wake: &Wake) {
        let new = NewBookmark {
            camera_id: self.camera_id,
            start_us: self.start_us,
            end_us: self.end_us,
            name: self.name.clone(),
            note: self.note.clone(),
            protected: self.protect,
            by_user: vigil_core::model::person::local_person("desktop"),
        };
        self.error = None;
        self.saving = Some(store.add(new, Some(wake.clone())));
    }

    fn take_answer(&mut self) -> Option<Outcome> {
        let job = self.saving.as_mut()?;
        let answer = match job.poll() {
            JobState::Running => return None,
            JobState::Done(a) => a,
            JobState::Lost => Err(ServiceError::ArchiveJobLost {
                what: "adding the bookmark", // i18n-ignore: completes the engine's sentence
            }),
        };
        self.saving = None;
        match answer {
            Ok(b) => Some(Outcome::Saved(b)),
            Err(e) => {
                self.error = Some(tr!("bookmark-cannot-add", error = e.to_string()));
                None
            }
        }
    }
}
