//! The work of a player thread: its cameras' tracks and the one playhead they follow —
//! commands applied, every camera brought up to the clock's position, gaps jumped when no
//! camera has anything to show, pictures and state published; the listened camera's sound
//! handed out at 1× ([`super::sound`]).

use std::sync::Arc;
use std::time::Duration;

use super::clock::{Clock, Playhead};
use super::command::{Command, MAX_SPEED, MIN_SPEED};
use super::locate::locate_before;
use super::sound::{SoundTrack, SOUND_LEAD_US};
use super::state::{PlayerSlots, PlayerState, TrackStatus};
use super::track::{Follow, Track};
use crate::library::Library;

/// Steps taken by one `Step` command at most.
const MAX_STEPS: u32 = 1000;

/// The player thread's state: its tracks, the playhead they follow, and where it publishes.
pub(super) struct PlayerWorker {
    lib: Library,
    tracks: Vec<Track>,
    playhead: Playhead,
    clock: Arc<dyn Clock>,
    size: (u32, u32),
    shared: Arc<PlayerSlots>,
    /// Position at which something next changes (`None`: nothing will).
    due: Option<i64>,
    jumped_gap: Option<(i64, i64)>,
    ended: bool,
    sound: SoundTrack,
}

impl PlayerWorker {
    pub fn new(
        lib: Library,
        cameras: &[i64],
        playhead: Playhead,
        clock: Arc<dyn Clock>,
        size: (u32, u32),
        shared: Arc<PlayerSlots>,
    ) -> Self {
        Self {
            lib,
            tracks: cameras.iter().map(|&c| Track::new(c)).collect(),
            playhead,
            clock,
            size,
            shared,
            due: None,
            jumped_gap: None,
            ended: false,
            sound: SoundTrack::new((48_000, 2)),
        }
    }

    /// The sample rate and channels the sound is decoded to.
    pub fn set_sound_format(&mut self, format: (u32, u16)) {
        self.sound = SoundTrack::new(format);
    }

    /// How long the thread may wait for a command; `None` = until one comes.
    pub fn wait(&self) -> Option<Duration> {
        self.playhead.sleep_for(self.due, self.clock.now_us())
    }

    pub fn max_sleep(&self) -> Duration {
        self.clock.max_sleep()
    }

    pub fn apply(&mut self, cmd: Command) {
        let now = self.clock.now_us();
        let sound_before = (self.playhead.playing(), self.playhead.speed());
        let mut cut = !matches!(
            cmd,
            Command::SetSize(..) | Command::Play | Command::SetSpeed(_)
        );
        match cmd {
            Command::Play => {
                self.ended = false;
                self.playhead.set_playing(true, now);
            }
            Command::Pause => self.playhead.set_playing(false, now),
            Command::Seek(pos) => self.seek(pos, now),
            Command::Step(n) => {
                self.playhead.set_playing(false, now);
                self.step(n, now);
            }
            Command::SetSpeed(speed) if speed.is_finite() => {
                self.playhead
                    .set_speed(speed.clamp(MIN_SPEED, MAX_SPEED), now);
            }
            Command::SetSpeed(_) => {}
            Command::SetSize(w, h) => self.size = (w.max(1), h.max(1)),
            Command::SetSound(camera) => {
                let known = camera.is_none_or(|c| self.tracks.iter().any(|t| t.camera_id() == c));
                self.sound.set_camera(camera.filter(|_| known));
            }
        }
        cut |= sound_before != (self.playhead.playing(), self.playhead.speed());
        if cut {
            // No stale sound: the output drops what it holds, the sound restarts here.
            self.sound.reset();
            self.shared.sound.flush();
        }
        self.due = Some(self.playhead.position(now));
    }

    /// At 1× forward: hands out the listened camera's sound up to a little ahead of `pos`.
    fn follow_sound(&mut self, pos: i64) {
        if !self.sound_flows() {
            return;
        }
        let blocks = self.sound.fill(&self.lib, pos, pos + SOUND_LEAD_US);
        if !blocks.is_empty() {
            self.shared.sound.push(blocks);
        }
    }

    fn seek(&mut self, pos: i64, now: i64) {
        self.playhead.set_position(pos, now);
        self.ended = false;
        self.jumped_gap = None;
        for t in &mut self.tracks {
            t.seek(&self.lib, pos);
        }
    }

    /// Steps the first camera that shows a picture; the others show the same instant.
    fn step(&mut self, n: i32, now: i64) {
        let lead = self
            .tracks
            .iter()
            .position(|t| *t.status() == TrackStatus::Showing)
            .unwrap_or(0);
        // From a gap, a step goes to the next recording's first picture or the previous
        // one's last.
        if let TrackStatus::InGap { next_us } = *self.tracks[lead].status() {
            let here = self.playhead.position(now);
            let to = match (n > 0, next_us) {
                (true, next) => next,
                (false, _) => locate_before(&self.lib, self.tracks[lead].camera_id(), here)
                    .ok()
                    .flatten()
                    .map(|s| s.end_us - 1),
            };
            if let Some(to) = to {
                self.seek(to, now);
            }
            return;
        }
        let mut pos = None;
        for _ in 0..n.unsigned_abs().min(MAX_STEPS) {
            match self.tracks[lead].step(&self.lib, n > 0) {
                Ok(Some(wall)) => pos = Some(wall),
                Ok(None) => break,
                Err(e) => {
                    self.tracks[lead].fail(e.to_string());
                    break;
                }
            }
        }
        let Some(pos) = pos else { return };
        self.playhead.set_position(pos, now);
        self.jumped_gap = None;
        for (i, t) in self.tracks.iter_mut().enumerate() {
            if i != lead {
                t.seek(&self.lib, pos);
            }
        }
    }

    /// While playing: brings every camera up to the clock's position; when none has
    /// anything to show, jumps to the first next recording, or stops at the end.
    pub fn follow(&mut self) {
        if !self.playhead.playing() {
            self.due = None;
            return;
        }
        let now = self.clock.now_us();
        let pos = self.playhead.position(now);
        let (mut due, mut behind, mut next_rec) = (None::<i64>, false, None::<i64>);
        for t in &mut self.tracks {
            match t.follow(&self.lib, pos) {
                Follow::Until(at) => due = min_some(due, at),
                Follow::Behind => behind = true,
                Follow::Gap(next) => next_rec = min_some(next_rec, next),
            }
        }
        self.follow_sound(pos);
        let showing = self
            .tracks
            .iter()
            .any(|t| *t.status() == TrackStatus::Showing);
        if !showing {
            match next_rec {
                Some(next) => {
                    tracing::debug!(from = pos, to = next, "playback jumps a gap");
                    self.playhead.set_position(next, now);
                    self.jumped_gap = Some((pos, next));
                    behind = true;
                }
                None => {
                    self.playhead.set_playing(false, now);
                    self.ended = true;
                }
            }
        }
        self.due = if behind {
            Some(pos)
        } else {
            min_some(due, next_rec)
        };
        if self.sound_flows() {
            // The sound is handed out a little ahead of the playhead: come back before that
            // runs out, however far apart the pictures are (a camera at 1 fps, a still scene).
            self.due = min_some(self.due, Some(pos.saturating_add(SOUND_LEAD_US / 2)));
        }
    }

    /// True while a camera is listened to at 1× forward.
    fn sound_flows(&self) -> bool {
        self.sound.camera().is_some() && (self.playhead.speed() - 1.0).abs() <= 1e-9
    }

    /// Publishes the pictures that changed (all with `force`), then the state.
    pub fn publish(&mut self, force: bool) {
        let mut pictures = false;
        for (i, t) in self.tracks.iter_mut().enumerate() {
            match t.picture(self.size, force) {
                None => {}
                Some(Ok(frame)) => {
                    self.shared.put(i, frame);
                    pictures = true;
                }
                Some(Err(e)) => {
                    t.fail(e.to_string());
                    self.shared.put(i, None);
                    pictures = true;
                }
            }
        }
        let state = PlayerState {
            position_us: self.playhead.position(self.clock.now_us()),
            playing: self.playhead.playing(),
            speed: self.playhead.speed(),
            tracks: self.tracks.iter().map(Track::state).collect(),
            jumped_gap: self.jumped_gap,
            ended: self.ended,
        };
        self.shared.set_state(&state, pictures);
    }
}

fn min_some(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) => x,
        (None, y) => y,
    }
}
