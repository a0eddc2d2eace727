//! Carrying out what the operator asked for while a frame was drawn ([`UiAction`]s from the
//! top bar, tile menus, the clip library and the timeline): configuration changes, dialogs,
//! zone drawing, showing a recording, exports.

use super::VigilApp;
use crate::actions::UiAction;

impl VigilApp {
    /// Carries out the requests collected while drawing.
    pub(super) fn run_actions(&mut self) {
        for action in std::mem::take(&mut self.actions) {
            if let Err(e) = self.run_action(&action) {
                self.config_error = Some(e);
            }
        }
    }

    fn run_action(&mut self, action: &UiAction) -> Result<(), String> {
        if let UiAction::Export(request) = action {
            let Some(exports) = self.backend.exports() else {
                return Err("this view has no recordings to export".into());
            };
            self.export.start(exports, request);
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
            return Err("this view cannot change the configuration".into());
        };
        match action {
            UiAction::SetEnabled(name, on) => config.set_enabled(name, *on).map_err(|e| {
                format!(
                    "cannot {} {name}: {e}",
                    if *on { "enable" } else { "disable" }
                )
            }),
            UiAction::AddCamera => {
                self.setup.open_add();
                Ok(())
            }
            UiAction::EditCamera(name) => self.setup.open_edit(config, name),
            UiAction::EditPolicy(name) => self.setup.open_policy(config, name),
            UiAction::RemoveCamera(name) => self.setup.open_remove(config, name),
            UiAction::ShowRecording { .. } | UiAction::Export(_) => Ok(()),
            UiAction::EditZones(name) => {
                self.zones.open(config, name)?;
                self.grid.select(name);
                self.grid.open_fullscreen(&self.names);
                Ok(())
            }
        }
    }

    /// The last configuration change that failed, in words.
    pub fn config_error(&self) -> Option<&str> {
        self.config_error.as_deref()
    }
}
