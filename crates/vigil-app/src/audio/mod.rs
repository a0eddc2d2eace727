//! The app's sound: one output (cpal, opened when sound is first wanted), fed from one source
//! at a time — the recording player's sound of the selected tile, or the selected tile's live
//! sound while "Listen" is on — through a bounded ring that drops when full and plays silence
//! when empty. Each camera's volume and mute are kept for the session. When no sound can be
//! played, the status bar says why in one sentence and nothing else changes.

pub mod controls;
pub mod output;
pub mod ring;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use output::{OutputState, SoundOutput};
use ring::{lock, SampleRing, SharedRing};
use vigil_core::service::{AudioBlock, CameraStatus, ListenHandle, Repaint};

pub use output::{CHANNELS, RATE};

use crate::backend::Backend;

/// Sound the ring holds at most: half a second, more than the player's lead.
const RING_SAMPLES: usize = RATE as usize * CHANNELS as usize / 2;
/// The volume a camera starts at.
pub const DEFAULT_VOLUME: f32 = 0.8;

/// One camera's sound settings for the session.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TileSound {
    /// 0.0 (silent) to 1.0.
    pub volume: f32,
    pub muted: bool,
}

impl Default for TileSound {
    fn default() -> Self {
        Self {
            volume: DEFAULT_VOLUME,
            muted: false,
        }
    }
}

/// Which output device: the system's default, or one by name (tests use ALSA's `null`).
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Device {
    #[default]
    System,
    Named(String),
}

/// Where the sound heard comes from now.
enum Source {
    Nothing,
    /// The player's sound of this camera.
    Playback(String),
    /// A live listener.
    Live(ListenHandle),
}

pub struct Sound {
    ring: SharedRing,
    device: Device,
    output: Option<SoundOutput>,
    settings: HashMap<String, TileSound>,
    source: Source,
    /// "Listen" is on: the selected tile's live sound plays.
    listening: bool,
    /// Blocks handed to the output per camera since the app started.
    heard: HashMap<String, u64>,
    /// Why live listening cannot start, in words.
    listen_error: Option<String>,
}

impl Default for Sound {
    fn default() -> Self {
        Self::new(Device::System)
    }
}

impl Sound {
    pub fn new(device: Device) -> Self {
        Self {
            ring: Arc::new(Mutex::new(SampleRing::new(RING_SAMPLES))),
            device,
            output: None,
            settings: HashMap::new(),
            source: Source::Nothing,
            listening: false,
            heard: HashMap::new(),
            listen_error: None,
        }
    }

    /// A camera's volume and mute.
    pub fn settings(&self, camera: &str) -> TileSound {
        self.settings.get(camera).copied().unwrap_or_default()
    }

    pub fn set_muted(&mut self, camera: &str, muted: bool) {
        self.settings.entry(camera.to_string()).or_default().muted = muted;
        if muted && self.source_camera() == Some(camera) {
            lock(&self.ring).clear();
        }
    }

    pub fn set_volume(&mut self, camera: &str, volume: f32) {
        self.settings.entry(camera.to_string()).or_default().volume = volume.clamp(0.0, 1.0);
    }

    /// Whether `camera`'s sound may be heard (not muted).
    pub fn audible(&self, camera: &str) -> bool {
        !self.settings(camera).muted
    }

    /// The camera heard now, if any.
    pub fn source_camera(&self) -> Option<&str> {
        match &self.source {
            Source::Nothing => None,
            Source::Playback(c) => Some(c),
            Source::Live(h) => Some(h.camera()),
        }
    }

    /// Blocks of `camera`'s sound handed to the output since the app started.
    pub fn heard(&self, camera: &str) -> u64 {
        self.heard.get(camera).copied().unwrap_or(0)
    }

    /// Samples waiting in the output's ring.
    pub fn queued(&self) -> usize {
        lock(&self.ring).len()
    }

    /// Whether "Listen" (live sound of the selected tile) is on.
    pub fn listening(&self) -> bool {
        self.listening
    }

    pub fn set_listening(&mut self, on: bool) {
        self.listening = on;
    }

    /// The status bar's sentence when no sound can be played (or live listening failed).
    pub fn problem(&mut self) -> Option<String> {
        if let Some(p) = self.output.as_mut().and_then(SoundOutput::problem) {
            return Some(p);
        }
        self.listen_error.clone()
    }

    /// Whether the output plays (false before it is opened, and when it failed).
    pub fn output_state(&mut self) -> Option<OutputState> {
        self.output.as_mut().map(|o| o.state().clone())
    }

    /// Drops the sound queued for the output (a seek, a speed change, another tile).
    pub fn flush(&self) {
        lock(&self.ring).clear();
    }

    /// The player's sound of `camera` (nothing: `None`), as it comes.
    pub fn play_recorded(&mut self, camera: Option<&str>, blocks: &[AudioBlock]) {
        match camera {
            Some(c)
                if self.source_camera() != Some(c) || matches!(self.source, Source::Live(_)) =>
            {
                self.flush();
                self.source = Source::Playback(c.to_string());
            }
            None if matches!(self.source, Source::Playback(_)) => {
                self.flush();
                self.source = Source::Nothing;
            }
            _ => {}
        }
        if let Some(c) = camera {
            self.feed(c, blocks);
        }
    }

    /// Live: listens to `selected` while "Listen" is on and its sound is on and not muted;
    /// stops otherwise. Feeds what the listener decoded.
    pub fn sync_live(
        &mut self,
        backend: &dyn Backend,
        selected: Option<&CameraStatus>,
        repaint: &Repaint,
    ) {
        let want = selected
            .filter(|c| self.listening && live_sound(c).is_some() && self.audible(&c.name))
            .map(|c| c.name.clone());
        let current = match &self.source {
            Source::Live(h) => Some(h.camera().to_string()),
            _ => None,
        };
        if want != current {
            if matches!(self.source, Source::Live(_)) || want.is_some() {
                self.flush();
                self.source = Source::Nothing;
            }
            if let Some(name) = &want {
                match backend.listen(name, RATE, CHANNELS, Some(Arc::clone(repaint))) {
                    Ok(h) => {
                        self.listen_error = None;
                        self.source = Source::Live(h);
                    }
                    Err(e) => self.listen_error = Some(e.to_string()),
                }
            }
        }
        let blocks = match &self.source {
            Source::Live(h) => (h.camera().to_string(), h.take_blocks()),
            _ => return,
        };
        self.feed(&blocks.0, &blocks.1);
    }

    /// Stops live listening (the tiles show recordings, or the app closes).
    pub fn stop_live(&mut self) {
        if matches!(self.source, Source::Live(_)) {
            self.flush();
            self.source = Source::Nothing;
        }
    }

    /// Hands `blocks` of `camera` to the output (opened on first use) at its volume.
    fn feed(&mut self, camera: &str, blocks: &[AudioBlock]) {
        if blocks.is_empty() {
            return;
        }
        if self.output.is_none() {
            let device = match &self.device {
                Device::System => None,
                Device::Named(n) => Some(n.clone()),
            };
            self.output = Some(SoundOutput::open(device, Arc::clone(&self.ring)));
        }
        let gain = self.settings(camera).volume;
        let mut ring = lock(&self.ring);
        for b in blocks {
            // The engine decodes to the output's format; anything else is not played.
            if b.rate == RATE && b.channels == CHANNELS {
                ring.push(&b.samples, gain);
            }
        }
        drop(ring);
        *self.heard.entry(camera.to_string()).or_default() += blocks.len() as u64;
    }
}

/// The codec of the sound `cam` sends to listeners: only when its sound is on and Vigil
/// takes that codec in (the same packets the recorder gets).
pub fn live_sound(cam: &CameraStatus) -> Option<String> {
    cam.audio
        .as_ref()
        .filter(|a| a.recorded)
        .map(|a| a.codec.clone())
}
