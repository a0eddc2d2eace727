//! The app's sound as the front end's callers see it: which output device it plays on, each
//! camera's volume and mute, and the playhead move that starts recorded sound.

use super::VigilApp;
use crate::audio::{Device, Sound};

impl VigilApp {
    /// Plays sound on `device` instead of the system's default output (tests: a named device
    /// that is missing, to take the no-output path).
    pub fn with_sound_device(mut self, device: Device) -> Self {
        self.sound = Sound::new(device);
        self
    }

    /// Moves the timeline's playhead to `at_us` (watching recordings), as the clip library's
    /// Play does, without opening a camera full screen.
    pub fn show_recordings_at(&mut self, at_us: i64) {
        self.recorded.jump_to(at_us);
    }

    /// The sound output, each camera's volume and mute, and live listening.
    pub fn sound(&self) -> &Sound {
        &self.sound
    }

    pub fn sound_mut(&mut self) -> &mut Sound {
        &mut self.sound
    }
}
