//! Removing a camera, with confirmation: the dialog says how many recordings (and bytes) the
//! camera has, and removing one with recordings needs "also delete its N recordings" ticked
//! (the library refuses otherwise; disabling keeps everything). With recordings, the camera
//! is first disabled and the dialog waits until the engine has stopped it (its open segment
//! finished and indexed), then its files are deleted. Every step is a job of the
//! configuration store, polled while the window keeps drawing.

use egui::{Context, RichText, Spinner};

use super::widgets::{buttons, modal, problem};
use super::Outcome;
use crate::config_jobs::{poll, wake};
use crate::text;
use crate::tr;
use vigil_core::service::{ConfigJob, ConfigStore, ConnState, EngineStatus};

/// Where a removal stands.
enum Stage {
    Confirm,
    /// Removing a camera that has no recordings and is not running; the job answers.
    Removing(ConfigJob<()>),
    /// Disabling it; the job answers.
    Disabling(ConfigJob<()>),
    /// Disabled; waiting for the engine to stop the camera.
    Stopping,
    /// Deleting its files; the job answers.
    Deleting(ConfigJob<()>),
}

pub struct RemoveDialog {
    camera: String,
    recordings: u64,
    bytes: u64,
    delete_recordings: bool,
    error: Option<String>,
    stage: Stage,
}

impl RemoveDialog {
    /// `usage` is the camera's (recordings, bytes), read when the dialog opens.
    pub fn new(camera: &str, usage: (u64, u64)) -> Self {
        Self {
            camera: camera.to_string(),
            recordings: usage.0,
            bytes: usage.1,
            delete_recordings: false,
            error: None,
            stage: Stage::Confirm,
        }
    }

    /// What the dialog says about the camera's recordings.
    pub fn summary(&self) -> String {
        match self.recordings {
            0 => tr!("setup-remove-summary-none", name = self.camera.as_str()),
            n => tr!(
                "setup-remove-summary",
                name = self.camera.as_str(),
                count = n,
                size = text::bytes(self.bytes)
            ),
        }
    }

    /// The checkbox's words, when there is something to delete.
    pub fn delete_label(&self) -> Option<String> {
        (self.recordings > 0).then(|| {
            tr!(
                "setup-remove-delete-label",
                count = self.recordings,
                size = text::bytes(self.bytes)
            )
        })
    }

    /// Why Remove cannot be pressed yet, if it cannot.
    pub fn blocked(&self) -> Option<String> {
        (self.recordings > 0 && !self.delete_recordings).then(|| tr!("setup-remove-blocked"))
    }

    /// Whether a step of the removal is running on a job (not: waiting for the engine to
    /// stop the camera).
    pub fn is_busy(&self) -> bool {
        matches!(
            self.stage,
            Stage::Removing(_) | Stage::Disabling(_) | Stage::Deleting(_)
        )
    }

    pub fn show(&mut self, ctx: &Context, config: &ConfigStore, status: &EngineStatus) -> Outcome {
        if let Some(outcome) = self.advance(ctx, config, status) {
            return outcome;
        }
        let title = tr!("setup-remove-title", name = self.camera.as_str());
        let busy = !matches!(self.stage, Stage::Confirm);
        if busy {
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
        let (outcome, escape) = modal(ctx, "remove", &title, |ui| {
            ui.label(self.summary());
            if busy {
                ui.horizontal(|ui| {
                    ui.add(Spinner::new());
                    ui.label(match self.stage {
                        Stage::Removing(_) => tr!("setup-removing"),
                        Stage::Disabling(_) => tr!("setup-disabling"),
                        Stage::Stopping => tr!("setup-stopping"),
                        _ => tr!("setup-deleting"),
                    });
                });
                return Outcome::Open;
            }
            if let Some(label) = self.delete_label() {
                ui.checkbox(&mut self.delete_recordings, RichText::new(label));
            }
            if let Some(e) = &self.error {
                problem(ui, e);
            }
            let blocked = self.blocked();
            let (remove, cancel) = buttons(ui, &tr!("common-remove"), blocked.as_deref());
            if cancel {
                return Outcome::Close;
            }
            if remove && self.blocked().is_none() {
                self.start(config, status, ui.ctx());
            }
            Outcome::Open
        });
        if escape && !busy {
            Outcome::Close
        } else {
            outcome
        }
    }

    /// Remove pressed: a camera without recordings that is not running goes at once; any
    /// other is disabled first, and removed once the engine has stopped it (a running camera
    /// may be writing its first segment: removing its row under it would orphan the file).
    fn start(&mut self, config: &ConfigStore, status: &EngineStatus, ctx: &Context) {
        self.error = None;
        self.stage = if self.recordings == 0 && !running(status, &self.camera) {
            Stage::Removing(config.remove_camera(&self.camera, false, Some(wake(ctx))))
        } else {
            Stage::Disabling(config.set_enabled(&self.camera, false, Some(wake(ctx))))
        };
    }

    /// Moves a removal in progress on: disabled → stopping; stopped → delete; removed →
    /// done. A step that fails says why and goes back to the confirmation.
    fn advance(
        &mut self,
        ctx: &Context,
        config: &ConfigStore,
        status: &EngineStatus,
    ) -> Option<Outcome> {
        // The engine's phrases for a lost job ("… stopped unexpectedly").
        let (removing, disabling) = ("removing the camera", "disabling the camera"); // i18n-ignore
        let (error, next) = match &mut self.stage {
            Stage::Confirm => return None,
            Stage::Removing(job) => match poll(job, removing)? {
                Ok(()) => return Some(Outcome::Done(self.removed())),
                Err(e) => (Some(e.to_string()), Stage::Confirm),
            },
            Stage::Disabling(job) => match poll(job, disabling)? {
                Ok(()) => (None, Stage::Stopping),
                Err(e) => (Some(e.to_string()), Stage::Confirm),
            },
            Stage::Stopping => {
                if running(status, &self.camera) {
                    return None;
                }
                let job = config.remove_camera(&self.camera, true, Some(wake(ctx)));
                (None, Stage::Deleting(job))
            }
            Stage::Deleting(job) => match poll(job, removing)? {
                Ok(()) => return Some(Outcome::Done(self.removed())),
                Err(e) => (
                    Some(tr!(
                        "setup-cannot-remove",
                        name = self.camera.as_str(),
                        error = e.to_string()
                    )),
                    Stage::Confirm,
                ),
            },
        };
        self.error = error;
        self.stage = next;
        None
    }

    /// What the notice line says once the camera is gone.
    fn removed(&self) -> String {
        match self.recordings {
            0 => tr!("setup-removed", name = self.camera.as_str()),
            n => tr!(
                "setup-removed-with-recordings",
                name = self.camera.as_str(),
                count = n
            ),
        }
    }
}

/// Whether the engine may still be recording the camera (its status is not disabled or stopped).
fn running(status: &EngineStatus, camera: &str) -> bool {
    status
        .cameras
        .iter()
        .find(|c| c.name == camera)
        .is_some_and(|c| !matches!(c.conn, ConnState::Disabled | ConnState::Stopped))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_camera_with_recordings_needs_the_box_ticked() {
        let mut d = RemoveDialog::new("yard", (12, 3_400_000_000));
        assert_eq!(
            d.summary(),
            "'yard' has 12 recordings (3.40 GB). Disabling the camera keeps them."
        );
        assert_eq!(
            d.delete_label().as_deref(),
            Some("also delete its 12 recordings (3.40 GB)")
        );
        assert!(d.blocked().is_some());
        d.delete_recordings = true;
        assert!(d.blocked().is_none());
    }

    #[test]
    fn a_camera_without_recordings_goes_at_once() {
        let d = RemoveDialog::new("door", (0, 0));
        assert_eq!(d.summary(), "'door' has no recordings.");
        assert_eq!(d.delete_label(), None);
        assert!(d.blocked().is_none());
    }
}
