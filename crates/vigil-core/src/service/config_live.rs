//! The configuration handle's part for live view: a camera's live sub-stream URL (the
//! stream its small tiles show when that is not its detect sub-stream). Like every
//! [`ConfigStore`] call, each one answers on a job and a change is applied at once.

use super::config::{ConfigJob, ConfigStore};
use crate::jobs::Wake;

impl ConfigStore {
    /// The camera's live sub-stream URL (with its credentials: show it only masked or
    /// split), `None` when its detect sub-stream serves the live view.
    pub fn live_url(&self, camera_id: i64, wake: Option<Wake>) -> ConfigJob<Option<String>> {
        self.read("reading the live sub-stream URL", wake, move |lib| {
            lib.live_url(camera_id)
        })
    }

    /// Sets the camera's live sub-stream URL, or removes it with `None`.
    pub fn set_live_url(
        &self,
        camera_id: i64,
        url: Option<String>,
        wake: Option<Wake>,
    ) -> ConfigJob<()> {
        self.change("saving the live sub-stream URL", wake, move |lib| {
            lib.set_live_url(camera_id, url.as_deref())
        })
    }
}
