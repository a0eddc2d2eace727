//! [`Player`]: one playback session on its own thread. It plays one camera, or several in
//! sync (they all show the picture of the same instant, driven by one clock), takes commands
//! over a bounded channel, and publishes each camera's latest picture and the state for a
//! viewer that never waits on it. Dropping the player ends the thread.

use std::path::Path;
use std::sync::Arc;
use std::thread::JoinHandle;

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender, TrySendError};

use super::clock::{Clock, Playhead, SystemClock};
use super::command::{superseded, Command, MAX_SPEED, MIN_SPEED};
use super::state::{PlayerSlots, PlayerState};
use super::worker::PlayerWorker;
use super::{DecodedFrame, PlaybackError, Repaint};
use crate::library::Library;
use crate::media::audio_decode::AudioBlock;

/// Commands a player may have waiting; a scrubbing viewer sends many seeks, and the player
/// keeps only the last of a run of them.
const COMMAND_QUEUE: usize = 64;

/// How a player starts.
#[derive(Clone)]
pub struct PlayerOptions {
    /// The box pictures are fitted into.
    pub width: u32,
    pub height: u32,
    /// Called after each new picture or state change.
    pub repaint: Option<Repaint>,
    /// What drives playback time (the system clock; tests use a [`super::ManualClock`]).
    pub clock: Arc<dyn Clock>,
    /// The sound's sample rate and channels (what the viewer's output plays).
    pub sound_format: (u32, u16),
}

impl PlayerOptions {
    pub fn new(width: u32, height: u32) -> Self {
        Self {
            width,
            height,
            repaint: None,
            clock: Arc::new(SystemClock::new()),
            sound_format: (48_000, 2),
        }
    }
}

/// A viewer's end of a playback session.
pub struct Player {
    tx: Option<Sender<Command>>,
    shared: Arc<PlayerSlots>,
    cameras: Vec<i64>,
    thread: Option<JoinHandle<()>>,
}

impl Player {
    /// Starts playing nothing yet: paused at `start_us`, showing each camera's picture
    /// there once decoded. `cameras` are camera ids; with several, they play in sync.
    pub fn open(
        data_dir: &Path,
        cameras: &[i64],
        start_us: i64,
        opts: PlayerOptions,
    ) -> Result<Self, PlaybackError> {
        if cameras.is_empty() {
            return Err(PlaybackError::NoCamera);
        }
        let shared = Arc::new(PlayerSlots::new(
            PlayerState::new(cameras, start_us),
            opts.repaint.clone(),
        ));
        let (tx, rx) = crossbeam_channel::bounded(COMMAND_QUEUE);
        let (dir, ids, worker) = (data_dir.to_path_buf(), cameras.to_vec(), shared.clone());
        let thread = std::thread::Builder::new()
            .name("playback".into())
            .spawn(move || run(&dir, &ids, start_us, &opts, &worker, &rx))
            .map_err(PlaybackError::Thread)?;
        Ok(Self {
            tx: Some(tx),
            shared,
            cameras: cameras.to_vec(),
            thread: Some(thread),
        })
    }

    /// Queues a command without waiting. `Busy` if the player has 64 waiting.
    pub fn send(&self, cmd: Command) -> Result<(), PlaybackError> {
        let tx = self.tx.as_ref().ok_or(PlaybackError::Stopped)?;
        tx.try_send(cmd).map_err(|e| match e {
            TrySendError::Full(_) => PlaybackError::Busy,
            TrySendError::Disconnected(_) => PlaybackError::Stopped,
        })
    }

    pub fn play(&self) -> Result<(), PlaybackError> {
        self.send(Command::Play)
    }

    pub fn pause(&self) -> Result<(), PlaybackError> {
        self.send(Command::Pause)
    }

    pub fn seek(&self, wall_us: i64) -> Result<(), PlaybackError> {
        self.send(Command::Seek(wall_us))
    }

    pub fn step(&self, frames: i32) -> Result<(), PlaybackError> {
        self.send(Command::Step(frames))
    }

    /// Refuses speeds outside 0.25× to 16×.
    pub fn set_speed(&self, speed: f64) -> Result<(), PlaybackError> {
        if !(MIN_SPEED..=MAX_SPEED).contains(&speed) {
            return Err(PlaybackError::Speed(speed));
        }
        self.send(Command::SetSpeed(speed))
    }

    pub fn set_size(&self, width: u32, height: u32) -> Result<(), PlaybackError> {
        self.send(Command::SetSize(width, height))
    }

    /// Whose sound is heard: one of the player's cameras, or nobody (`None`, the start).
    pub fn set_sound(&self, camera_id: Option<i64>) -> Result<(), PlaybackError> {
        self.send(Command::SetSound(camera_id))
    }

    /// The sound due since the last call, oldest first (empty unless playing at 1×).
    pub fn take_sound(&self) -> Vec<AudioBlock> {
        self.shared.sound.take()
    }

    /// How many times the sound was cut (seek, speed, pause, listener): when it moves, the
    /// viewer drops what its output still holds.
    pub fn sound_flushes(&self) -> u64 {
        self.shared.sound.flushes()
    }

    /// The camera ids, in the order given to [`Player::open`].
    pub fn cameras(&self) -> &[i64] {
        &self.cameras
    }

    /// The state as last published.
    pub fn state(&self) -> PlayerState {
        self.shared.state()
    }

    /// The latest picture of `camera_id` (`None`: nothing to show, e.g. a gap).
    pub fn latest(&self, camera_id: i64) -> Option<Arc<DecodedFrame>> {
        let i = self.cameras.iter().position(|&c| c == camera_id)?;
        self.shared.latest(i)
    }

    /// Pictures published so far, all cameras (compare to know whether there is a new one).
    pub fn frame_seq(&self) -> u64 {
        self.shared.seq()
    }

    /// Ends the session and waits for its thread (a GUI just drops the player).
    pub fn stop(mut self) {
        self.end();
    }

    /// Closes the command channel (the thread sees it at its next wait) and joins it.
    fn end(&mut self) {
        self.tx = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Player {
    /// A dropped player stops its thread and waits for it (at most one picture's decoding).
    fn drop(&mut self) {
        self.end();
    }
}

/// The session thread: applies commands, follows the clock, publishes.
fn run(
    data_dir: &Path,
    cameras: &[i64],
    start_us: i64,
    opts: &PlayerOptions,
    shared: &Arc<PlayerSlots>,
    rx: &Receiver<Command>,
) {
    let lib = match Library::open(data_dir) {
        Ok(lib) => lib,
        Err(e) => {
            let mut state = shared.state();
            for t in &mut state.tracks {
                t.status = super::TrackStatus::Error(e.to_string());
            }
            shared.set_state(&state, true);
            while rx.recv().is_ok() {}
            return;
        }
    };
    let clock = Arc::clone(&opts.clock);
    let playhead = Playhead::new(start_us, clock.now_us());
    let size = (opts.width.max(1), opts.height.max(1));
    let mut session = PlayerWorker::new(lib, cameras, playhead, clock, size, Arc::clone(shared));
    session.set_sound_format(opts.sound_format);
    session.apply(Command::Seek(start_us));
    session.publish(false);
    loop {
        let first = match session.wait() {
            None => match rx.recv() {
                Ok(c) => Some(c),
                Err(_) => break,
            },
            Some(d) => match rx.recv_timeout(d.min(session.max_sleep())) {
                Ok(c) => Some(c),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => break,
            },
        };
        let mut cmds: Vec<Command> = first.into_iter().collect();
        cmds.extend(rx.try_iter());
        let resized = cmds.iter().any(|c| matches!(c, Command::SetSize(..)));
        for (i, cmd) in cmds.iter().enumerate() {
            if !superseded(&cmds, i) {
                session.apply(*cmd);
            }
        }
        session.follow();
        session.publish(resized);
    }
    tracing::debug!("playback session ended");
}
