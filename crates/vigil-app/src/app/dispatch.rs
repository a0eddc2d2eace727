//! Carrying out what the operator asked for while a frame was drawn ([`UiAction`]s from the
//! top bar, tile menus, the clip library and the timeline): configuration changes, dialogs,
//! zone drawing, showing a recording, exports. Configuration changes are jobs of the
//! configuration store; their answers are taken here in later frames.

use egui::Context;

use super::VigilApp;
use crate::actions::UiAction;
use crate::config_jobs::{poll, wake};
use crate::tr;
use vigil_core::service::ConfigJob;

/// A camera being enabled or disabled from its tile's menu: (name, on, the store's job).
pub(super) type Switching = (String, bool, ConfigJob<()>);

impl VigilApp {
    /// Carries out the requests collected while drawing.
    pub(super) fn run_actions(&mut self, ctx: &Context) {
        for action in std::mem::take(&mut self.actions) {
            if let Err(e) = self.run_action(&action, ctx) {
                self.config_error = Some(e);
            }
        }
    }

    /// Takes the answers of configuration changes started in earlier frames: a camera
    /// switched on or off, zone drawing opened.
    pub(super) fn take_config_answers(&mut self) {
        let mut failed = None;
        self.switching.retain_mut(|(name, on, job)| {
            let what = "switching the camera"; // i18n-ignore: the engine's phrase for a lost job
            let Some(answer) = poll(job, what) else {
                return true;
            };
            if let Err(e) = answer {
                let error = e.to_string();
                failed = Some(if *on {
                    tr!("app-enable-failed", name = name.as_str(), error = error)
                } else {
                    tr!("app-disable-failed", name = name.as_str(), error = error)
                });
            }
            false
        });
        match self.zones.opened() {
            Some(Ok(name)) => {
                self.grid.select(&name);
                self.grid.open_fullscreen(&self.names);
            }
            Some(Err(e)) => failed = Some(e),
            None => {}
        }
        if failed.is_some() {
            self.config_error = failed;
        }
    }

    /// Whether a configuration job is running (a dialog opening or saving, a camera being
    /// switched, zones being read or stored).
    pub fn is_configuring(&self) -> bool {
        !self.switching.is_empty()
            || self.setup.is_busy()
            || self.zones.is_busy()
            || self.mqtt.is_busy()
            || self.tours.is_busy()
            || self.monitors.is_busy()
            || self.boxes.is_busy()
    }

    fn run_action(&mut self, action: &UiAction, ctx: &Context) -> Result<(), String> {
        if let UiAction::Export(request) = action {
            let Some(exports) = self.backend.exports() else {
                return Err(tr!("app-no-recordings-to-export"));
            };
            self.export.start(exports, request);
            return Ok(());
        }
        if let UiAction::InstantReplay(camera) = action {
            self.replays
                .start(self.backend.as_ref(), camera, &wake(ctx));
            return Ok(());
        }
        if let UiAction::ShowRecording { camera, at_us } = action {
            self.grid.select(camera);
            self.grid.open_fullscreen(&self.names);
            self.wanted_recording = Some((camera.clone(), *at_us));
            self.recorded.jump_to(*at_us);
            return Ok(());
        }
        let Some(config) = self.backend.config() else {
            return Err(tr!("app-view-cannot-configure"));
        };
        let wake = wake(ctx);
        match action {
            UiAction::SetEnabled(name, on) => {
                let job = config.set_enabled(name, *on, Some(wake));
                self.switching.push((name.clone(), *on, job));
            }
            UiAction::AddCamera => self.setup.open_add(),
            UiAction::EditCamera(name) => self.setup.open_edit(config, name, wake),
            UiAction::EditPolicy(name) => self.setup.open_policy(config, name, wake),
            UiAction::RemoveCamera(name) => self.setup.open_remove(config, name, wake),
            UiAction::ShowRecording { .. } | UiAction::Export(_) | UiAction::InstantReplay(_) => {}
            // The camera opens full screen once its zones are read (`take_config_answers`).
            UiAction::EditZones(name) => self.zones.open(config, name, wake),
            UiAction::MqttSettings => self.mqtt.open(config, wake),
        }
        Ok(())
    }

    /// The last configuration change that failed, in words.
    pub fn config_error(&self) -> Option<&str> {
        self.config_error.as_deref()
    }
}
