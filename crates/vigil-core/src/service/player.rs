//! [`PlayerHandle`]: a front end's end of a playback session handed out by the service. The
//! session runs on its own thread ([`crate::playback::Player`]); the handle queues commands
//! without waiting and reads the latest pictures and state the session published.

use std::path::Path;
use std::sync::Arc;

use super::error::ServiceError;
use crate::media::audio_decode::AudioBlock;
use crate::playback::{DecodedFrame, Player, PlayerOptions, PlayerState};

/// One playback session of one or several cameras in sync. Dropping it ends the session.
pub struct PlayerHandle {
    player: Player,
}

impl PlayerHandle {
    /// Starts a session on the library in `data_dir`, paused at `start_us` (UTC µs), showing
    /// each camera's picture there once decoded. `cameras` are camera ids.
    pub fn open(
        data_dir: &Path,
        cameras: &[i64],
        start_us: i64,
        opts: PlayerOptions,
    ) -> Result<Self, ServiceError> {
        Ok(Self {
            player: Player::open(data_dir, cameras, start_us, opts)?,
        })
    }

    pub fn play(&self) -> Result<(), ServiceError> {
        Ok(self.player.play()?)
    }

    pub fn pause(&self) -> Result<(), ServiceError> {
        Ok(self.player.pause()?)
    }

    /// Shows the exact picture at `wall_us` of every camera.
    pub fn seek(&self, wall_us: i64) -> Result<(), ServiceError> {
        Ok(self.player.seek(wall_us)?)
    }

    /// Pauses and moves this many pictures forward (positive) or back (negative).
    pub fn step(&self, frames: i32) -> Result<(), ServiceError> {
        Ok(self.player.step(frames)?)
    }

    /// Refuses speeds outside [`crate::playback::MIN_SPEED`]..=[`crate::playback::MAX_SPEED`].
    pub fn set_speed(&self, speed: f64) -> Result<(), ServiceError> {
        Ok(self.player.set_speed(speed)?)
    }

    /// The box pictures are fitted into (aspect kept, never enlarged).
    pub fn set_size(&self, width: u32, height: u32) -> Result<(), ServiceError> {
        Ok(self.player.set_size(width, height)?)
    }

    /// Whose sound is heard: one of the session's cameras, or nobody (`None`, the start).
    /// Sound plays at 1× forward only.
    pub fn set_sound(&self, camera_id: Option<i64>) -> Result<(), ServiceError> {
        Ok(self.player.set_sound(camera_id)?)
    }

    /// The sound due since the last call, oldest first, decoded to the options'
    /// `sound_format` (empty unless playing at 1× with a camera listened to).
    pub fn take_sound(&self) -> Vec<AudioBlock> {
        self.player.take_sound()
    }

    /// Counts the cuts of the sound (seek, speed, pause, another camera): when it moves, the
    /// front end drops what its output still holds.
    pub fn sound_flushes(&self) -> u64 {
        self.player.sound_flushes()
    }

    /// Carries on as `before` (another session's last state) did: its speed, and playing if
    /// it played. For a viewer that re-opens a player on other cameras.
    pub fn carry_on_from(&self, before: &PlayerState) -> Result<(), ServiceError> {
        self.set_speed(before.speed)?;
        if before.playing {
            self.play()?;
        }
        Ok(())
    }

    /// The camera ids, in the order given when opened.
    pub fn cameras(&self) -> &[i64] {
        self.player.cameras()
    }

    /// The state as last published.
    pub fn state(&self) -> PlayerState {
        self.player.state()
    }

    /// The latest picture of `camera_id` (`None`: nothing to show, e.g. a gap).
    pub fn latest(&self, camera_id: i64) -> Option<Arc<DecodedFrame>> {
        self.player.latest(camera_id)
    }

    /// Pictures published so far, all cameras (compare to know whether there is a new one).
    pub fn frame_seq(&self) -> u64 {
        self.player.frame_seq()
    }
}

#[cfg(test)]
#[path = "player_tests.rs"]
mod tests;
