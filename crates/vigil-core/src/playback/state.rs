//! What a player shares with its viewer: the latest picture of each camera (replaced, never
//! queued), a counter of pictures published, and the playback state in words. The viewer
//! reads them without waiting for the player; the player calls the repaint callback after
//! each change.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use super::sound::SoundSlot;
use super::{DecodedFrame, Repaint};
use crate::model::time::format_rfc3339;

/// Where one camera's playback stands.
#[derive(Debug, Clone, PartialEq)]
pub enum TrackStatus {
    /// Nothing shown yet.
    Idle,
    /// Showing the picture at the position.
    Showing,
    /// Nothing was recorded at the position; `next_us` is when the next recording starts
    /// (`None`: nothing after it).
    InGap { next_us: Option<i64> },
    /// The position is past this camera's last recording.
    Ended,
    /// The recording cannot be played; the sentence says why.
    Error(String),
}

impl fmt::Display for TrackStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TrackStatus::Idle => f.write_str("waiting"),
            TrackStatus::Showing => f.write_str("showing the recording"),
            TrackStatus::InGap { next_us: Some(t) } => write!(
                f,
                "nothing recorded here; the next recording starts at {}",
                format_rfc3339(*t)
            ),
            TrackStatus::InGap { next_us: None } | TrackStatus::Ended => {
                f.write_str("nothing recorded after this")
            }
            TrackStatus::Error(why) => f.write_str(why),
        }
    }
}

/// One camera of a player.
#[derive(Debug, Clone, PartialEq)]
pub struct TrackState {
    pub camera_id: i64,
    pub status: TrackStatus,
    /// The segment the shown picture comes from.
    pub segment_id: Option<i64>,
    /// Wall time of the shown picture, UTC µs.
    pub frame_wall_us: Option<i64>,
    /// The codec of the shown segment's sound (`aac`, `opus`); `None`: it has no sound.
    pub sound: Option<String>,
}

/// A player's state, as last published.
#[derive(Debug, Clone, PartialEq)]
pub struct PlayerState {
    /// The timeline position, UTC µs (every camera shows the picture at this instant).
    pub position_us: i64,
    pub playing: bool,
    pub speed: f64,
    /// One per camera, in the order the player was opened with.
    pub tracks: Vec<TrackState>,
    /// The last gap playback jumped over, `(from_us, to_us)`.
    pub jumped_gap: Option<(i64, i64)>,
    /// Playback reached the end of every camera's recordings and paused.
    pub ended: bool,
}

impl PlayerState {
    pub(super) fn new(cameras: &[i64], position_us: i64) -> Self {
        Self {
            position_us,
            playing: false,
            speed: 1.0,
            tracks: cameras
                .iter()
                .map(|&camera_id| TrackState {
                    camera_id,
                    status: TrackStatus::Idle,
                    segment_id: None,
                    frame_wall_us: None,
                    sound: None,
                })
                .collect(),
            jumped_gap: None,
            ended: false,
        }
    }

    /// The state in one line, e.g. for a status bar.
    pub fn describe(&self) -> String {
        let what = if self.ended {
            "end of the recordings".to_string()
        } else if self.playing {
            format!("playing at {}×", self.speed)
        } else {
            "paused".to_string()
        };
        let mut line = format!("{what} at {}", format_rfc3339(self.position_us));
        if let Some((from, to)) = self.jumped_gap {
            let secs = (to - from) as f64 / 1e6;
            line.push_str(&format!("; skipped {secs:.1} s with no recording"));
        }
        for t in self
            .tracks
            .iter()
            .filter(|t| t.status != TrackStatus::Showing)
        {
            line.push_str(&format!("; camera {}: {}", t.camera_id, t.status));
        }
        line
    }
}

/// The slots between one player thread and its viewer: each camera's latest picture and
/// the state.
pub(super) struct PlayerSlots {
    frames: Vec<Mutex<Option<Arc<DecodedFrame>>>>,
    seq: AtomicU64,
    state: Mutex<PlayerState>,
    repaint: Option<Repaint>,
    /// The listened camera's sound, due now.
    pub sound: SoundSlot,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl PlayerSlots {
    pub fn new(state: PlayerState, repaint: Option<Repaint>) -> Self {
        Self {
            frames: state.tracks.iter().map(|_| Mutex::new(None)).collect(),
            seq: AtomicU64::new(0),
            state: Mutex::new(state),
            repaint,
            sound: SoundSlot::default(),
        }
    }

    /// Replaces track `i`'s picture (`None`: nothing to show) without waking the viewer.
    pub fn put(&self, i: usize, frame: Option<DecodedFrame>) {
        if let Some(slot) = self.frames.get(i) {
            *lock(slot) = frame.map(Arc::new);
            self.seq.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Publishes the state (after the pictures it describes) and wakes the viewer when
    /// there are new `pictures` or more changed than the position.
    pub fn set_state(&self, state: &PlayerState, pictures: bool) {
        let mut slot = lock(&self.state);
        let moved_only = PlayerState {
            position_us: state.position_us,
            ..slot.clone()
        } == *state;
        *slot = state.clone();
        drop(slot);
        if pictures || !moved_only {
            if let Some(repaint) = &self.repaint {
                repaint();
            }
        }
    }

    pub fn latest(&self, i: usize) -> Option<Arc<DecodedFrame>> {
        self.frames.get(i).and_then(|s| lock(s).clone())
    }

    pub fn seq(&self) -> u64 {
        self.seq.load(Ordering::Relaxed)
    }

    pub fn state(&self) -> PlayerState {
        lock(&self.state).clone()
    }
}
