//! Instant replay on a tile: the last [`REPLAY_US`] of one camera played at 1× inside its
//! tile (from the start of its recording when there is less), with a "REPLAY −0:23" label
//! and "Back to live"; other tiles stay live. Source: the camera's recordings through a
//! player of the engine service, the file being written now included (the player reads an
//! open fMP4 up to its last fragment), so the replay reaches up to about a second ago. At
//! the end it returns to live by itself; when nothing was recorded it says why in words.

use std::collections::HashMap;

use egui::{Color32, CornerRadius, Frame, Key, Margin, Rect, RichText, Ui, UiBuilder};

use super::backend::Backend;
use super::recorded::pictures::Pictures;
use crate::config_jobs::poll;
use crate::tr;
use vigil_core::model::time::now_us;
use vigil_core::model::{Camera, RecordMode};
use vigil_core::service::{
    EngineStatus, Job, PlayerHandle, PlayerOptions, PlayerState, Repaint, ServiceError, TrackStatus,
};

/// How far back an instant replay starts, µs.
pub const REPLAY_US: i64 = 30_000_000;
/// The replay's colour (its label), unlike the recording dot's red.
const REPLAY_BLUE: Color32 = Color32::from_rgb(60, 130, 235);

/// Where one camera's replay stands.
enum Stage {
    /// Reading the camera's id (an archive job).
    Finding(Job<Result<Vec<Camera>, ServiceError>>),
    /// Playing the recording.
    Playing {
        player: PlayerHandle,
        camera_id: i64,
        pictures: Pictures,
        size: [u32; 2],
        /// A picture of the recording was shown.
        showed: bool,
    },
    /// Nothing to play; why, in words (stays until the operator goes back to live).
    Nothing(String),
}

/// One tile's replay: of what the camera recorded from `from_us` up to `until_us` (when it
/// was asked for).
struct Replay {
    from_us: i64,
    until_us: i64,
    stage: Stage,
}

/// The replays running in tiles, by camera name.
#[derive(Default)]
pub struct Replays {
    running: HashMap<String, Replay>,
}

impl Replays {
    /// Starts replaying `camera`'s last 30 s in its tile (again from now if it was).
    pub fn start(&mut self, backend: &dyn Backend, camera: &str, wake: &Repaint) {
        let until_us = now_us();
        let stage = match backend.archive() {
            Some(archive) => Stage::Finding(archive.cameras(Some(wake.clone()))),
            None => Stage::Nothing(tr!("replay-no-recordings")),
        };
        self.running.insert(
            camera.to_string(),
            Replay {
                from_us: until_us - REPLAY_US,
                until_us,
                stage,
            },
        );
    }

    /// Back to live for `camera`'s tile.
    pub fn stop(&mut self, camera: &str) {
        self.running.remove(camera);
    }

    /// Whether `camera`'s tile shows a replay.
    pub fn is_replaying(&self, camera: &str) -> bool {
        self.running.contains_key(camera)
    }

    /// The tiles of `wanted` (name, size) that show live pictures (not a replay).
    pub fn only_live(&self, wanted: &[(String, [u32; 2])]) -> Vec<(String, [u32; 2])> {
        wanted
            .iter()
            .filter(|(name, _)| !self.is_replaying(name))
            .cloned()
            .collect()
    }

    /// R toggles the replay of the selected tile, Esc ends it; call only while no text
    /// field has focus. Answers whether a key was used.
    pub fn keys(
        &mut self,
        ui: &mut Ui,
        backend: &dyn Backend,
        selected: Option<&str>,
        wake: &Repaint,
    ) -> bool {
        let Some(camera) = selected else {
            return false;
        };
        let replaying = self.is_replaying(camera);
        let (r, esc) = ui.input_mut(|i| {
            (
                i.consume_key(egui::Modifiers::NONE, Key::R),
                replaying && i.consume_key(egui::Modifiers::NONE, Key::Escape),
            )
        });
        if esc || (r && replaying) {
            self.stop(camera);
        } else if r {
            self.start(backend, camera, wake);
        }
        r || esc
    }

    /// Brings every replay along: finds its camera and opens its player, uploads new
    /// pictures, keeps the pictures the size of the tile (`placed`: the tiles on screen),
    /// and ends replays that reached their end or whose tile left the screen. `status`
    /// gives each camera's recording mode (for the words when nothing was recorded).
    pub fn sync(
        &mut self,
        ctx: &egui::Context,
        backend: &dyn Backend,
        placed: &[(String, Rect)],
        status: &EngineStatus,
        repaint: &Repaint,
    ) {
        self.running
            .retain(|name, _| placed.iter().any(|(w, _)| w == name));
        let ppp = ctx.pixels_per_point();
        let px = |v: f32| (v * ppp).round().clamp(16.0, 8192.0) as u32;
        let mut ended = Vec::new();
        for (name, replay) in &mut self.running {
            let size = placed
                .iter()
                .find(|(w, _)| w == name)
                .map_or([640, 360], |(_, r)| [px(r.width()), px(r.height())]);
            let mode = status
                .cameras
                .iter()
                .find(|c| &c.name == name)
                .and_then(|c| c.mode);
            if replay.step(ctx, backend, name, size, mode, repaint) {
                ended.push(name.clone());
            }
        }
        for name in ended {
            self.running.remove(&name);
        }
    }

    /// The replay's picture in `camera`'s tile, and its size.
    pub fn picture(&self, camera: &str) -> Option<(&egui::TextureHandle, [u32; 2])> {
        match &self.running.get(camera)?.stage {
            Stage::Playing { pictures, .. } => pictures.picture(camera),
            _ => None,
        }
    }

    /// The replay player's state for `camera` (what its tile shows, and when it was taken).
    pub fn player_state(&self, camera: &str) -> Option<PlayerState> {
        match &self.running.get(camera)?.stage {
            Stage::Playing { player, .. } => Some(player.state()),
            _ => None,
        }
    }

    /// Why `camera`'s replay shows no picture, in words (`None`: it shows one, or starts).
    pub fn message(&self, camera: &str) -> Option<String> {
        let replay = self.running.get(camera)?;
        match &replay.stage {
            Stage::Finding(_) => Some(tr!("replay-starting")),
            Stage::Nothing(why) => Some(why.clone()),
            Stage::Playing { player, .. } => {
                let state = player.state();
                let track = state.tracks.first()?;
                match &track.status {
                    TrackStatus::Showing | TrackStatus::Ended => None,
                    TrackStatus::Idle => Some(tr!("replay-starting")),
                    TrackStatus::InGap { .. } => Some(tr!("replay-in-gap")),
                    TrackStatus::Error(why) => Some(tr!("replay-cannot", error = why.as_str())),
                }
            }
        }
    }

    /// "REPLAY −0:23": how long before the replay was asked for its picture was taken.
    pub fn label(&self, camera: &str) -> Option<String> {
        let replay = self.running.get(camera)?;
        let at = match &replay.stage {
            Stage::Playing { player, .. } => player.state().position_us,
            _ => replay.from_us,
        };
        let behind_s = ((replay.until_us - at).max(0) + 999_999) / 1_000_000;
        let behind = format!("\u{2212}{}:{:02}", behind_s / 60, behind_s % 60);
        Some(tr!("replay-label", behind = behind))
    }

    /// Draws the replay's label and "Back to live" over the bottom of `camera`'s tile;
    /// answers whether "Back to live" was clicked.
    pub fn overlay(&self, ui: &mut Ui, rect: Rect, camera: &str) -> bool {
        let Some(label) = self.label(camera) else {
            return false;
        };
        let bar = Rect::from_min_max(
            egui::pos2(rect.left() + 6.0, rect.bottom() - 32.0),
            egui::pos2(rect.right() - 6.0, rect.bottom() - 4.0),
        );
        // Right to left: the button keeps its place while the label's time counts down
        // (a button that moves under the pointer misses clicks).
        let mut child = ui.new_child(
            UiBuilder::new()
                .max_rect(bar)
                .layout(egui::Layout::right_to_left(egui::Align::Center)),
        );
        let back = child.button(tr!("replay-back-to-live")).clicked();
        Frame::new()
            .fill(REPLAY_BLUE)
            .corner_radius(CornerRadius::same(3))
            .inner_margin(Margin::symmetric(5, 2))
            .show(&mut child, |ui| {
                ui.label(RichText::new(label).strong().color(Color32::WHITE));
            });
        back
    }
}

impl Replay {
    /// One frame's work; answers whether the replay is over (back to live).
    fn step(
        &mut self,
        ctx: &egui::Context,
        backend: &dyn Backend,
        name: &str,
        size: [u32; 2],
        mode: Option<RecordMode>,
        repaint: &Repaint,
    ) -> bool {
        if let Stage::Finding(job) = &mut self.stage {
            let what = "reading the cameras"; // i18n-ignore: the engine's JobLost text
            let Some(answer) = poll(job, what) else {
                return false;
            };
            self.stage = match answer {
                Ok(cameras) => match cameras.iter().find(|c| c.name.as_str() == name) {
                    Some(cam) => self.open(backend, cam.id, size, repaint),
                    None => Stage::Nothing(tr!("replay-no-camera", name = name)),
                },
                Err(e) => Stage::Nothing(tr!("replay-failed", error = e.to_string())),
            };
        }
        let Stage::Playing {
            player,
            camera_id,
            pictures,
            size: shown_size,
            showed,
        } = &mut self.stage
        else {
            return false;
        };
        if *shown_size != size {
            *shown_size = size;
            let _ = player.set_size(size[0], size[1]);
        }
        pictures.update(ctx, player, &[(*camera_id, name.to_string())]);
        let state = player.state();
        let Some(track) = state.tracks.first() else {
            return true;
        };
        *showed |= track.frame_wall_us.is_some();
        if *showed {
            // Played up to when it was asked for, or to the end of what was recorded.
            return state.position_us >= self.until_us
                || state.ended
                || track.status == TrackStatus::Ended;
        }
        let nothing = match track.status {
            TrackStatus::Ended | TrackStatus::InGap { next_us: None } => true,
            TrackStatus::InGap { next_us: Some(t) } => t >= self.until_us,
            _ => state.ended,
        };
        if nothing {
            self.stage = Stage::Nothing(nothing_recorded(mode));
        }
        false
    }

    /// Opens a player on the camera at the replay's start, playing at 1×.
    fn open(
        &self,
        backend: &dyn Backend,
        camera_id: i64,
        size: [u32; 2],
        repaint: &Repaint,
    ) -> Stage {
        let opts = PlayerOptions {
            repaint: Some(repaint.clone()),
            ..PlayerOptions::new(size[0], size[1])
        };
        let started = backend
            .player(&[camera_id], self.from_us, opts)
            .and_then(|player| {
                player.set_speed(1.0)?;
                player.play()?;
                Ok(player)
            });
        match started {
            Ok(player) => Stage::Playing {
                player,
                camera_id,
                pictures: Pictures::default(),
                size,
                showed: false,
            },
            Err(e) => Stage::Nothing(tr!("replay-cannot", error = e.to_string())),
        }
    }
}

/// Why a replay has nothing to show, from the camera's recording mode.
fn nothing_recorded(mode: Option<RecordMode>) -> String {
    match mode {
        Some(RecordMode::Events) => tr!("replay-nothing-events-only"),
        Some(RecordMode::Off) | None => tr!("replay-nothing-not-recording"),
        _ => tr!("replay-nothing-recorded"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_recorded_says_why() {
        assert_eq!(
            nothing_recorded(Some(RecordMode::Events)),
            "nothing recorded in the last 30 s: this camera records only around events"
        );
        assert_eq!(
            nothing_recorded(Some(RecordMode::Continuous)),
            "nothing recorded in the last 30 s"
        );
    }
}
