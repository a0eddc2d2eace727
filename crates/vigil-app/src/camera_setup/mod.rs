//! Camera setup in the desktop app: the add / edit camera dialog (with "Test connection"),
//! the recording-policy editor and the remove confirmation. At most one is open; each reads
//! the configuration once when it opens and writes it through the [`ConfigStore`] on Save,
//! which applies the change to the running engine at once.

mod conn_test;
mod dialog;
mod estimate;
mod form;
mod policy;
mod policy_form;
mod remove;
mod widgets;

use egui::Context;

use crate::backend::Backend;
use dialog::CameraDialog;
use form::CameraForm;
use policy::PolicyDialog;
use remove::RemoveDialog;
use vigil_core::engine::config::ConfigStore;
use vigil_core::engine::EngineStatus;

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

/// The open setup dialog, if any.
#[derive(Default)]
pub struct CameraSetup {
    dialog: Option<Dialog>,
}

impl CameraSetup {
    /// Whether a dialog is open (the grid's keyboard shortcuts wait meanwhile).
    pub fn is_open(&self) -> bool {
        self.dialog.is_some()
    }

    pub fn open_add(&mut self) {
        self.dialog = Some(Dialog::Camera(Box::new(CameraDialog::add())));
    }

    /// Opens the camera dialog on `name`'s stored settings (one read from the library).
    pub fn open_edit(&mut self, config: &ConfigStore, name: &str) -> Result<(), String> {
        let cam = config
            .camera(name)
            .map_err(|e| format!("cannot edit {name}: {e}"))?;
        let form = CameraForm::from_camera(&cam.camera);
        self.dialog = Some(Dialog::Camera(Box::new(CameraDialog::edit(form))));
        Ok(())
    }

    /// Opens the policy editor on `name`'s stored policy.
    pub fn open_policy(&mut self, config: &ConfigStore, name: &str) -> Result<(), String> {
        let cam = config
            .camera(name)
            .map_err(|e| format!("cannot edit the policy of {name}: {e}"))?;
        let dialog = PolicyDialog::new(name, cam.camera.id, &cam.policy);
        self.dialog = Some(Dialog::Policy(Box::new(dialog)));
        Ok(())
    }

    /// Opens the remove confirmation, with the camera's recordings counted.
    pub fn open_remove(&mut self, config: &ConfigStore, name: &str) -> Result<(), String> {
        let cam = config
            .camera(name)
            .map_err(|e| format!("cannot remove {name}: {e}"))?;
        self.dialog = Some(Dialog::Remove(RemoveDialog::new(name, cam.usage)));
        Ok(())
    }

    /// Draws the open dialog. Returns a sentence when a change was stored (for the notice
    /// line). Without a configuration store nothing can be changed, so the dialog closes.
    pub fn show(
        &mut self,
        ctx: &Context,
        backend: &dyn Backend,
        status: &EngineStatus,
    ) -> Option<String> {
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
                Some(done)
            }
        }
    }
}
