//! The add / edit camera dialog: "Find cameras…" when adding (ONVIF discovery filling the
//! form), name, main and detect URLs, transport, user and (masked) password, "Record sound"
//! with its legal note, "Test connection" with its answer, the live sub-stream URL, the
//! ONVIF section, and — when
//! adding — the recording policy. Save stores the camera, then its ONVIF settings, then its
//! live sub-stream URL, through the configuration store (jobs, polled each frame
//! while the dialog shows it is saving); its errors stay in the dialog.

use egui::{Context, Grid, RichText, ScrollArea, Spinner, TextEdit, Ui};

use super::conn_test::{ConnTest, TestView};
use super::find::Finder;
use super::live_url_form::LiveUrlForm;
use super::onvif_form::OnvifForm;
use super::policy::policy_section;
use super::policy_form::PolicyForm;
use super::widgets::{buttons, field_row, modal, problem, sound_row, ERROR_RED, GOOD_GREEN};
use super::Outcome;
use crate::backend::Backend;
use crate::config_jobs::{poll, wake};
use crate::tr;
use vigil_core::model::camera_form::CameraForm;
use vigil_core::model::onvif::OnvifSettings;
use vigil_core::model::secret::scrub;
use vigil_core::model::{Camera, Policy, Transport};
use vigil_core::service::camera_finder::{Credentials, Found};
use vigil_core::service::{ConfigJob, ConfigStore};

/// A Save in progress: what to say when it is stored, the URL to keep out of its errors,
/// the store's job for the camera, then the ONVIF settings to store (`Some(None)`: off),
/// then the live sub-stream URL to store (`Some(None)`: none).
struct Saving {
    done: String,
    url: String,
    job: ConfigJob<Camera>,
    onvif: Option<Option<OnvifSettings>>,
    onvif_job: Option<ConfigJob<()>>,
    live: Option<Option<String>>,
    live_job: Option<ConfigJob<()>>,
}

pub struct CameraDialog {
    form: CameraForm,
    /// The new camera's policy (adding only; an existing camera's is edited on its own).
    policy: Option<PolicyForm>,
    test: ConnTest,
    finder: Finder,
    onvif: OnvifForm,
    live: LiveUrlForm,
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
            finder: Finder::default(),
            onvif: OnvifForm::default(),
            live: LiveUrlForm::default(),
            error: None,
            saving: None,
        }
    }

    pub fn edit(form: CameraForm) -> Self {
        Self {
            onvif: form.id.map(OnvifForm::stored).unwrap_or_default(),
            live: form.id.map(LiveUrlForm::stored).unwrap_or_default(),
            form,
            policy: None,
            test: ConnTest::default(),
            finder: Finder::default(),
            error: None,
            saving: None,
        }
    }

    /// Whether a Save is being stored or the stored ONVIF settings read.
    pub fn is_busy(&self) -> bool {
        self.saving.is_some() || self.onvif.is_reading() || self.live.is_reading()
    }

    pub fn show(&mut self, ctx: &Context, config: &ConfigStore, backend: &dyn Backend) -> Outcome {
        if let Some(done) = self.saved(config, ctx) {
            return done;
        }
        self.test.poll(&self.form);
        self.onvif.poll(config, ctx);
        self.live.poll(config, ctx);
        if let Some(streams) = self.finder.poll() {
            self.form.url = streams.main;
            self.form.detect_url = streams.sub.unwrap_or_default();
        }
        if self.test.view() == TestView::Testing || self.finder.is_busy() {
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
        let title = match self.form.id {
            None => tr!("setup-add-camera-title"),
            Some(_) => tr!("setup-edit-camera-title", name = self.form.name.trim()),
        };
        let (outcome, escape) = modal(ctx, "camera", &title, |ui| {
            let max = (ui.ctx().content_rect().height() - 160.0).max(200.0);
            ScrollArea::vertical().max_height(max).show(ui, |ui| {
                // Only when adding: picking a camera renames the form.
                if self.form.id.is_none() {
                    if let Some(found) = self.finder.show(ui) {
                        self.pick(&found, ui.ctx());
                    }
                    ui.separator();
                }
                self.connection_fields(ui);
                self.test_row(ui, backend);
                ui.separator();
                self.onvif.show(ui);
                if let Some(policy) = &mut self.policy {
                    ui.separator();
                    ui.label(RichText::new(tr!("setup-recording-policy")).strong());
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

    /// Fills the form from a camera found: its name, its host in the URL, ONVIF on at its
    /// port; with the dialog's login, its stream URLs once read.
    fn pick(&mut self, found: &Found, ctx: &Context) {
        self.form.absorb_credentials();
        self.form.name = found.camera_name();
        self.form.url = format!("rtsp://{}/", found.host);
        self.onvif.on = true;
        if let Some(port) = found.onvif_port() {
            self.onvif.port = port.to_string();
        }
        if self.form.user.trim().is_empty() {
            self.finder.hint(&tr!("setup-find-login-hint"));
            return;
        }
        let creds = Credentials {
            user: self.form.user.trim().to_string(),
            password: self.form.password.clone(),
        };
        self.finder.read_streams(found, creds, ctx);
    }

    fn connection_fields(&mut self, ui: &mut Ui) {
        let live = &mut self.live;
        let f = &mut self.form;
        let (name_err, url_err, detect_err) = (f.name_error(), f.url_error(), f.detect_url_error());
        Grid::new("camera-fields")
            .num_columns(2)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                field_row(
                    ui,
                    &tr!("setup-name"),
                    TextEdit::singleline(&mut f.name).hint_text("front_door"), // i18n-ignore
                    true,
                    name_err.as_deref(),
                );
                // The identifier folders, URLs and topics use: derived, read-only.
                ui.label("");
                ui.weak(tr!("setup-camera-id", id = f.shown_id()));
                ui.end_row();
                let url = field_row(
                    ui,
                    "URL",
                    TextEdit::singleline(&mut f.url).hint_text("rtsp://10.0.0.5/stream1"), // i18n-ignore
                    true,
                    url_err.as_deref(),
                );
                let detect = field_row(
                    ui,
                    &tr!("setup-detect-url"),
                    TextEdit::singleline(&mut f.detect_url).hint_text(tr!("setup-optional")),
                    true,
                    detect_err.as_deref(),
                );
                if url.lost_focus() || detect.lost_focus() {
                    f.absorb_credentials();
                }
                live.row(ui);
                ui.label(tr!("setup-transport"));
                ui.horizontal(|ui| {
                    let (tcp, udp) = ("TCP", "UDP"); // i18n-ignore: names
                    ui.selectable_value(&mut f.transport, Transport::Tcp, tcp);
                    ui.selectable_value(&mut f.transport, Transport::Udp, udp);
                });
                ui.end_row();
                field_row(
                    ui,
                    &tr!("setup-user"),
                    TextEdit::singleline(&mut f.user),
                    true,
                    None,
                );
                field_row(
                    ui,
                    &tr!("setup-password"),
                    TextEdit::singleline(&mut f.password).password(true),
                    true,
                    None,
                );
            });
        ui.label(RichText::new(tr!("setup-credentials-note")).weak());
        LiveUrlForm::note(ui);
        sound_row(ui, &mut self.form.audio);
    }

    fn test_row(&mut self, ui: &mut Ui, backend: &dyn Backend) {
        ui.horizontal_wrapped(|ui| {
            let view = self.test.view();
            let can_test = view != TestView::Testing && self.form.url_error().is_none();
            if ui
                .add_enabled(can_test, egui::Button::new(tr!("setup-test-connection")))
                .clicked()
            {
                self.form.absorb_credentials();
                self.test.start(&self.form, backend, ui.ctx());
            }
            match self.test.view() {
                TestView::Idle => {}
                TestView::Testing => {
                    ui.add(Spinner::new());
                    ui.label(tr!("setup-testing"));
                }
                TestView::Passed(line) => {
                    ui.label(
                        RichText::new(tr!("setup-test-works", summary = line)).color(GOOD_GREEN),
                    );
                }
                TestView::Failed(e) => {
                    ui.label(RichText::new(tr!("setup-test-failed", error = e)).color(ERROR_RED));
                }
            }
        });
    }

    fn save_row(&mut self, ui: &mut Ui, config: &ConfigStore) -> Outcome {
        if let Some(e) = &self.error {
            problem(ui, e);
        }
        let blocked = self
            .form
            .first_error()
            .or_else(|| self.live.first_error())
            .or_else(|| self.onvif.first_error())
            .or_else(|| {
                let policy = self.policy.as_ref()?;
                policy
                    .check(None)
                    .first_error()
                    .map(|e| tr!("setup-policy-problem", error = e))
            });
        let (save, cancel) = buttons(ui, &tr!("common-save"), blocked.as_deref());
        if self.saving.is_some() {
            ui.horizontal(|ui| {
                ui.add(Spinner::new());
                ui.label(tr!("setup-saving"));
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
        let display = self.form.display_name()?;
        // Adding with ONVIF off stores nothing more; editing stores on or off.
        let onvif = match (self.onvif.settings()?, self.form.id) {
            (None, None) => None,
            (s, _) => Some(s),
        };
        self.live.absorb_credentials();
        let live = match (
            self.live.full_url(&self.form.user, &self.form.password)?,
            self.form.id,
        ) {
            (None, None) => None,
            (l, _) => Some(l),
        };
        let (name, url) = (display.to_string(), cam.url.clone());
        let (done, job) = match self.form.id {
            None => {
                let policy = match &self.policy {
                    Some(p) => p.check(None).result()?,
                    None => Policy::default(),
                };
                let job = config.add_named_camera(cam, display, policy, Some(wake(ctx)));
                (tr!("setup-camera-added", name = name.as_str()), job)
            }
            Some(id) => {
                let job = config.update_named_camera(id, cam, display, Some(wake(ctx)));
                (tr!("setup-camera-saved", name = name.as_str()), job)
            }
        };
        Ok(Saving {
            done,
            url,
            job,
            onvif,
            onvif_job: None,
            live,
            live_job: None,
        })
    }

    /// The Save's answer once stored (the camera, then its ONVIF settings, then its live
    /// sub-stream URL): done; a refusal stays in the dialog, without the password.
    fn saved(&mut self, config: &ConfigStore, ctx: &Context) -> Option<Outcome> {
        let saving = self.saving.as_mut()?;
        if let Some(job) = &mut saving.live_job {
            let answer = poll(job, "saving the live sub-stream URL")?; // i18n-ignore
            let saving = self.saving.take()?;
            return match answer {
                Ok(()) => Some(Outcome::Done(saving.done)),
                Err(e) => {
                    let e = scrub(&e.to_string(), &saving.url);
                    self.error = Some(tr!("setup-live-url-not-saved", error = e));
                    None
                }
            };
        }
        if let Some(job) = &mut saving.onvif_job {
            let answer = poll(job, "saving the ONVIF settings")?; // i18n-ignore
            return match answer {
                Ok(()) => {
                    saving.onvif_job = None;
                    self.save_live(config, ctx)
                }
                Err(e) => {
                    self.saving = None;
                    self.error = Some(tr!("setup-onvif-not-saved", error = e.to_string()));
                    None
                }
            };
        }
        let answer = poll(&mut saving.job, "saving the camera")?; // i18n-ignore
        match answer {
            Ok(cam) => {
                // A retry after an ONVIF refusal edits the camera now stored.
                self.form.id = Some(cam.id);
                match saving.onvif.take() {
                    Some(onvif) => {
                        saving.onvif_job = Some(config.set_onvif(cam.id, onvif, Some(wake(ctx))));
                        None
                    }
                    None => self.save_live(config, ctx),
                }
            }
            Err(e) => {
                let url = saving.url.clone();
                self.saving = None;
                self.error = Some(scrub(&e.to_string(), &url));
                None
            }
        }
    }
}

impl CameraDialog {
    /// Starts storing the live sub-stream URL when the Save has one to store; done else.
    fn save_live(&mut self, config: &ConfigStore, ctx: &Context) -> Option<Outcome> {
        let saving = self.saving.as_mut()?;
        match (saving.live.take(), self.form.id) {
            (Some(url), Some(id)) => {
                saving.live_job = Some(config.set_live_url(id, url, Some(wake(ctx))));
                None
            }
            _ => self.saving.take().map(|s| Outcome::Done(s.done)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found() -> Found {
        Found {
            endpoint: "urn:uuid:1".into(),
            xaddrs: vec!["http://10.0.0.7:8000/onvif/device_service".into()],
            name: Some("Front Door".into()),
            hardware: Some("X100".into()),
            location: None,
            host: "10.0.0.7".into(),
        }
    }

    #[test]
    fn picking_a_camera_fills_the_form_and_asks_for_a_login() {
        let mut d = CameraDialog::add();
        d.pick(&found(), &egui::Context::default());
        assert_eq!(d.form.name, "Front-Door");
        assert_eq!(d.form.url, "rtsp://10.0.0.7/");
        assert!(d.onvif.on);
        assert_eq!(d.onvif.port, "8000");
        assert!(!d.finder.is_busy(), "no login: nothing is read");

        // With a login its stream URLs are read on a job (the stub or a real camera answers).
        d.form.user = "admin".into();
        d.form.password = "pw".into();
        d.pick(&found(), &egui::Context::default());
        assert!(d.finder.is_busy(), "reading the stream URLs");
    }
}
