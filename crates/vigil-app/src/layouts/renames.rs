//! Following a camera renamed while the app runs: placed cells hold camera names, so when the
//! cameras' names change the ids are read again and a camera whose id now has another name
//! keeps its cell under the new name (the library stores cells by id, so saved layouts
//! follow by themselves).

use egui::Context;

use crate::config_jobs::{poll, wake};
use crate::grid::GridState;
use vigil_core::service::{ConfigJob, ConfigStore};

/// What a lost job was doing: completes the engine's English `JobLost` sentence (engine
/// words, like the error it is part of).
const JOB_READING_THE_CAMERA_NAMES: &str = "reading the camera names"; // i18n-ignore

#[derive(Default)]
pub(super) struct Renames {
    /// Every camera's (id, name) as last read.
    known: Vec<(i64, String)>,
    /// The camera names of the status when last looked at.
    seen: Vec<String>,
    job: Option<ConfigJob<Vec<(i64, String)>>>,
    /// The names changed while a read was running: read again after it.
    again: bool,
}

impl Renames {
    pub(super) fn is_busy(&self) -> bool {
        self.job.is_some()
    }

    /// Once per frame. Answers whether a placed camera was renamed.
    pub(super) fn frame(
        &mut self,
        ctx: &Context,
        config: &ConfigStore,
        grid: &mut GridState,
        names: &[String],
    ) -> Result<bool, String> {
        if names != self.seen {
            self.seen = names.to_vec();
            self.again = true;
        }
        let mut renamed = false;
        if let Some(answer) = self
            .job
            .as_mut()
            .and_then(|j| poll(j, JOB_READING_THE_CAMERA_NAMES))
        {
            self.job = None;
            let now = answer
                .map_err(|e| crate::tr!("layouts-cannot-follow-renames", error = e.to_string()))?;
            for (id, new) in &now {
                let old = self.known.iter().find(|(k, _)| k == id).map(|(_, n)| n);
                if let Some(old) = old.filter(|old| *old != new) {
                    grid.rename_placed(old, new);
                    renamed = true;
                }
            }
            self.known = now;
        }
        if self.again && self.job.is_none() {
            self.again = false;
            self.job = Some(config.camera_ids(Some(wake(ctx))));
        }
        Ok(renamed)
    }
}
