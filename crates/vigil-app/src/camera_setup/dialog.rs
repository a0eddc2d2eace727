//! The add / edit camera dialog: name, main and detect URLs, transport, user and (masked)
//! password, "Test connection" with its answer, and — when adding — the recording policy.
//! Save stores the camera through the configuration store (a job, polled each frame while
//! the dialog shows it is saving); its errors stay in the dialog.

use egui::{Context, Grid, RichText, ScrollArea, Spinner, TextEdit, Ui};

use super::conn_test::{ConnTest, TestView};
use super::policy::policy_section;
use super::policy_form::PolicyForm;
use super::widgets::{buttons, field_row, modal, problem, ERROR_RED, GOOD_GREEN};
use super::Outcome;
use crate::backend::Backend;
use crate::config_jobs::{poll, wake};
use vigil_core::model::camera_form::CameraForm;
use vigil_core::model::secret::scrub;
use vigil_core::model::{Camera, Policy, Transport};
use vigil_core::service::{ConfigJob, ConfigStore};

/// A Save in progress: what to say when it is stored, the URL to keep out of its errors,
/// and the store's job.
struct Saving {
    done: String,
    url: String,
    job: ConfigJob<Camera>,
}

pub struct CameraDialog {
    form: CameraForm,
    /// The new camera's policy (adding only; an existing camera's is edited on its own).
    policy: Option<PolicyForm>,
    test: ConnTest,
    /// The store's answer to the last Save, in words.
    error: Option<String>,
    saving: Option<Saving>,
}

impl CameraDialog {
    pub fn add() -> Self {
        Self {
            form: CameraForm::default(),
            policy: Some(PolicyForm::from_policy(&Policy::default())),
            test: ConnTest::default(),
            error: None,
            saving: None,
        }
    }

    pub fn edit(form: CameraForm) -> Self {
        Self {
            form,
            policy: None,
            test: ConnTest::default(),
            error: None,
            saving: None,
        }
    }

    /// Whether a Save is being stored.
    pub fn is_saving(&self) -> bool {
        self.saving.is_some()
    }

    pub fn show(&mut self, ctx: &Context, config: &ConfigStore, backend: &dyn Backend) -> Outcome {
        if let Some(done) = self.saved() {
            return done;
        }
        self.test.poll(&self.form);
        if self.test.view() == TestView::Testing {
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
        let title = match self.form.id {
            None => "Add camera".to_string(),
            Some(_) => format!("Edit camera {}", self.form.name.trim()),
        };
        let (outcome, escape) = modal(ctx, "camera", &title, |ui| {
            let max = (ui.ctx().content_rect().height() - 160.0).max(200.0);
            ScrollArea::vertical().max_height(max).show(ui, |ui| {
                self.connection_fields(ui);
                self.test_row(ui, backend);
                if let Some(policy) = &mut self.policy {
                    ui.separator();
                    ui.label(RichText::new("Recording policy").strong());
                    let check = policy.check(None);
                    policy_section(ui, policy, &check, None);
                }
            });
            self.save_row(ui, config)
        });
        if escape {
            Outcome::Close
        } else {
            outcome
        }
    }

    fn connection_fields(&mut self, ui: &mut Ui) {
        let f = &mut self.form;
        let (name_err, url_err, detect_err) = (f.name_error(), f.url_error(), f.detect_url_error());
        Grid::new("camera-fields")
            .num_columns(2)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                field_row(
                    ui,
                    "Name",
                    TextEdit::singleline(&mut f.name).hint_text("front_door"),
                    true,
                    name_err.as_deref(),
                );
                let url = field_row(
                    ui,
                    "URL",
                    TextEdit::singleline(&mut f.url).hint_text("rtsp://10.0.0.5/stream1"),
                    true,
                    url_err.as_deref(),
                );
                let detect = field_row(
                    ui,
                    "Detect sub-stream URL",
                    TextEdit::singleline(&mut f.detect_url).hint_text("optional"),
                    true,
                    detect_err.as_deref(),
                );
                if url.lost_focus() || detect.lost_focus() {
                    f.absorb_credentials();
                }
                ui.label("Transport");
                ui.horizontal(|ui| {
                    ui.selectable_value(&mut f.transport, Transport::Tcp, "TCP");
                    ui.selectable_value(&mut f.transport, Transport::Udp, "UDP");
                });
                ui.end_row();
                field_row(ui, "User", TextEdit::singleline(&mut f.user), true, None);
                field_row(
                    ui,
                    "Password",
                    TextEdit::singleline(&mut f.password).password(true),
                    true,
                    None,
                );
            });
        ui.label(
            RichText::new("The user and password are kept out of the URL shown here; the detect sub-stream uses them too.")
                .weak(),
        );
    }

    fn test_row(&mut self, ui: &mut Ui, backend: &dyn Backend) {
        ui.horizontal_wrapped(|ui| {
            let view = self.test.view();
            let can_test = view != TestView::Testing && self.form.url_error().is_none();
            if ui
                .add_enabled(can_test, egui::Button::new("Test connection"))
                .clicked()
            {
                self.form.absorb_credentials();
                self.test.start(&self.form, backend, ui.ctx());
            }
            match self.test.view() {
                TestView::Idle => {}
                TestView::Testing => {
                    ui.add(Spinner::new());
                    ui.label("Testing…");
                }
                TestView::Passed(line) => {
                    ui.label(RichText::new(format!("Works: {line}")).color(GOOD_GREEN));
                }
                TestView::Failed(e) => {
                    ui.label(RichText::new(format!("Failed: {e}")).color(ERROR_RED));
                }
            }
        });
    }

    fn save_row(&mut self, ui: &mut Ui, config: &ConfigStore) -> Outcome {
        if let Some(e) = &self.error {
            problem(ui, e);
        }
        let blocked = self.form.first_error().or_else(|| {
            let policy = self.policy.as_ref()?;
            policy
                .check(None)
                .first_error()
                .map(|e| format!("recording policy: {e}"))
        });
        let (save, cancel) = buttons(ui, "Save", blocked.as_deref());
        if self.saving.is_some() {
            ui.horizontal(|ui| {
                ui.add(Spinner::new());
                ui.label("Saving…");
            });
        }
        if cancel {
            return Outcome::Close;
        }
        if save && self.saving.is_none() {
            match self.save(config, ui.ctx()) {
                Ok(saving) => self.saving = Some(saving),
                Err(e) => self.error = Some(e),
            }
        }
        Outcome::Open
    }

    /// Starts storing the camera (and a new camera's policy); the error in words if the
    /// form cannot be stored.
    fn save(&mut self, config: &ConfigStore, ctx: &Context) -> Result<Saving, String> {
        self.form.absorb_credentials();
        let cam = self.form.to_new_camera()?;
        let (name, url) = (cam.name.to_string(), cam.url.clone());
        let (done, job) = match self.form.id {
            None => {
                let policy = match &self.policy {
                    Some(p) => p.check(None).result()?,
                    None => Policy::default(),
                };
                let job = config.add_camera(cam, policy, Some(wake(ctx)));
                (format!("added camera '{name}'"), job)
            }
            Some(id) => {
                let job = config.update_camera(id, cam, Some(wake(ctx)));
                (format!("saved camera '{name}'"), job)
            }
        };
        Ok(Saving { done, url, job })
    }

    /// The Save's answer once stored: done; a refusal stays in the dialog, without the
    /// password.
    fn saved(&mut self) -> Option<Outcome> {
        let saving = self.saving.as_mut()?;
        let answer = poll(&mut saving.job, "saving the camera")?;
        let saving = self.saving.take()?;
        match answer {
            Ok(_) => Some(Outcome::Done(saving.done)),
            Err(e) => {
                self.error = Some(scrub(&e.to_string(), &saving.url));
                None
            }
        }
    }
}
