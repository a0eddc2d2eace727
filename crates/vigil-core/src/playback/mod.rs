//! Playback of recordings: a wall time becomes a segment ([`locate`]), a segment file
//! becomes exact decoded frames ([`FrameReader`]: seek from the keyframe before, decode
//! forward to the frame whose presentation interval holds the time), and a [`Player`] thread
//! plays one or several cameras from one clock (play, pause, step, 0.25×–16×), across
//! segment boundaries and gaps, publishing the latest picture of each camera for a viewer,
//! and the sound of the one camera listened to, at 1× ([`sound`]).

mod clock;
mod command;
mod locate;
mod player;
mod seek;
mod sound;
mod state;
mod track;
mod worker;

use crate::library::LibraryError;
use crate::media::decode::RgbaImage;
use crate::media::file_decoder::FileDecodeError;
use crate::media::MediaError;

pub use clock::{Clock, ManualClock, SystemClock};
pub use command::{Command, MAX_SPEED, MIN_SPEED};
pub use locate::{locate, locate_before, Located};
pub use player::{Player, PlayerOptions};
pub use seek::FrameReader;
pub use sound::SOUND_LEAD_US;
pub use state::{PlayerState, TrackState, TrackStatus};

/// Called after each new picture or state change (e.g. the GUI's `request_repaint`).
pub use crate::live::Repaint;

/// One decoded picture of a recording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedFrame {
    pub camera_id: i64,
    /// The segment row the picture comes from.
    pub segment_id: i64,
    /// When the picture was taken, UTC µs: the segment's `start_us` plus the picture's
    /// presentation time after the file's first packet.
    pub wall_us: i64,
    /// Presentation timestamp in the file's video stream, in `time_base` units (what
    /// `ffprobe -show_frames` calls `pts`).
    pub pts: i64,
    /// The stream's time base as (numerator, denominator).
    pub time_base: (i32, i32),
    /// RGBA fitted into the requested box (aspect kept, never enlarged).
    pub image: RgbaImage,
}

/// What went wrong while playing, in words.
#[derive(Debug, thiserror::Error)]
pub enum PlaybackError {
    #[error(transparent)]
    Library(#[from] LibraryError),
    /// A recording cannot be opened, read or holds no picture.
    #[error(transparent)]
    File(#[from] FileDecodeError),
    #[error(transparent)]
    Media(#[from] MediaError),
    #[error("cannot start the playback thread: {0}")]
    Thread(#[source] std::io::Error),
    #[error("the player has stopped")]
    Stopped,
    #[error("the player is busy; the command was dropped")]
    Busy,
    #[error("speed {0} is outside {MIN_SPEED}× to {MAX_SPEED}×")]
    Speed(f64),
    #[error("a player needs at least one camera")]
    NoCamera,
}
