//! Camera setup in the desktop app: the add / edit camera dialog (with "Test connection",
//! "Find cameras…" and the ONVIF section), the recording-policy editor and the remove
//! confirmation. At most one is open; each reads
//! the configuration once when it opens and writes it through the [`ConfigStore`] on Save,
//! which applies the change to the running engine at once. Reads and writes are the store's
//! jobs, polled each frame: a dialog opens when its read answers, and stays open (saving)
//! until its write does. The camera fields' rules are the engine's
//! [`CameraForm`] (shared with the web viewer's administration page).

mod conn_test;
mod dialog;
mod estimate;
mod find;
mod live_url_form;
mod model_picker;
mod objects_section;
mod onvif_form;
mod policy;
mod policy_form;
mod remove;
mod trigger_form;
mod trigger_sources;
pub(crate) mod widgets;

use egui::Context;

use crate::backend::Backend;
use crate::config_jobs::{poll, Answer};
use crate::tr;
use dialog::CameraDialog;
use policy::PolicyDialog;
use remove::RemoveDialog;
use vigil_core::model::camera_form::CameraForm;
use vigil_core::service::{CameraConfig, ConfigJob, ConfigStore, EngineStatus, Wake};

/// What a dialog asks for after a frame.
pub(crate) enum Outcome {
    Open,
    Close,
    /// The change is stored; close, saying this.
    Done(String),
}

enum Dialog {
    Camera(Box<CameraDialog>),
    Policy(Box<PolicyDialog>),
    Remove(RemoveDialog),
}

/// Which dialog is waiting for the camera's stored settings.
enum Opening {
    Edit(String),
    Policy(String),
    Remove(String),
}

/// The open setup dialog, if any, or the read that will open one.
#[derive(Default)]
pub struct CameraSetup {
    dialog: Option<Dialog>,
    opening: Option<(Opening, ConfigJob<CameraConfig>)>,
}

impl CameraSetup {
    /// Whether a dialog is open or opening (the grid's keyboard shortcuts wait meanwhile).
    pub fn is_open(&self) -> bool {
        self.dialog.is_some() || self.opening.is_some()
    }

    /// Whether a configuration job of the dialogs is running (opening, saving, removing).
    pub fn is_busy(&self) -> bool {
        self.opening.is_some()
            || match &self.dialog {
                Some(Dialog::Camera(d)) => d.is_busy(),
                Some(Dialog::Policy(d)) => d.is_saving(),
                Some(Dialog::Remove(d)) => d.is_busy(),
                None => false,
            }
    }

    pub fn open_add(&mut self) {
        self.opening = None;
        self.dialog = Some(Dialog::Camera(Box::new(CameraDialog::add())));
    }

    /// Opens the camera dialog on `name`'s stored settings, once read.
    pub fn open_edit(&mut self, config: &ConfigStore, name: &str, wake: Wake) {
        self.read(config, Opening::Edit(name.to_string()), wake);
    }

    /// Opens the policy editor on `name`'s stored policy, once read.
    pub fn open_policy(&mut self, config: &ConfigStore, name: &str, wake: Wake) {
        self.read(config, Opening::Policy(name.to_string()), wake);
    }

    /// Opens the remove confirmation, with the camera's recordings counted, once read.
    pub fn open_remove(&mut self, config: &ConfigStore, name: &str, wake: Wake) {
        self.read(config, Opening::Remove(name.to_string()), wake);
    }

    fn read(&mut self, config: &ConfigStore, opening: Opening, wake: Wake) {
        let name = match &opening {
            Opening::Edit(n) | Opening::Policy(n) | Opening::Remove(n) => n,
        };
        let job = config.camera(name, Some(wake));
        self.dialog = None;
        self.opening = Some((opening, job));
    }

    /// Opens the dialog whose read answered; the error in words if it failed.
    fn opened(&mut self) -> Option<Result<(), String>> {
        let (opening, job) = self.opening.as_mut()?;
        let answer: Answer<CameraConfig> = poll(job, "reading the camera")?; // i18n-ignore
        let dialog = match (opening, answer) {
            (Opening::Edit(_), Ok(cam)) => {
                let form = CameraForm::from_camera(&cam.camera);
                Ok(Dialog::Camera(Box::new(CameraDialog::edit(form))))
            }
            (Opening::Policy(name), Ok(cam)) => Ok(Dialog::Policy(Box::new(PolicyDialog::new(
                name,
                cam.camera.id,
                &cam.policy,
                cam.objects.as_ref(),
                cam.camera.audio,
            )))),
            (Opening::Remove(name), Ok(cam)) => {
                Ok(Dialog::Remove(RemoveDialog::new(name, cam.usage)))
            }
            (Opening::Edit(name), Err(e)) => Err(tr!(
                "setup-cannot-edit",
                name = name.as_str(),
                error = e.to_string()
            )),
            (Opening::Policy(name), Err(e)) => Err(tr!(
                "setup-cannot-edit-policy",
                name = name.as_str(),
                error = e.to_string()
            )),
            (Opening::Remove(name), Err(e)) => Err(tr!(
                "setup-cannot-remove",
                name = name.as_str(),
                error = e.to_string()
            )),
        };
        self.opening = None;
        Some(dialog.map(|d| self.dialog = Some(d)))
    }

    /// Draws the open dialog. Returns a sentence when a change was stored (for the notice
    /// line), or why a dialog could not open. Without a configuration store nothing can be
    /// changed, so the dialog closes.
    pub fn show(
        &mut self,
        ctx: &Context,
        backend: &dyn Backend,
        status: &EngineStatus,
    ) -> Option<Result<String, String>> {
        if let Some(Err(e)) = self.opened() {
            return Some(Err(e));
        }
        let dialog = self.dialog.as_mut()?;
        let Some(config) = backend.config() else {
            self.dialog = None;
            return None;
        };
        let outcome = match dialog {
            Dialog::Camera(d) => d.show(ctx, config, backend),
            Dialog::Policy(d) => d.show(ctx, config, status),
            Dialog::Remove(d) => d.show(ctx, config, status),
        };
        match outcome {
            Outcome::Open => None,
            Outcome::Close => {
                self.dialog = None;
                None
            }
            Outcome::Done(done) => {
                self.dialog = None;
                Some(Ok(done))
            }
        }
    }
}
