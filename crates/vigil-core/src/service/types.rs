//! The plain data types the service speaks in (queries, answers, states, pictures), so a
//! front end names them through `vigil_core::service` and nothing else.

pub use crate::library::{
    CameraTimeline, InProgress, TimeRange, Timeline, TimelineEvent, TimelineQuery,
};
pub use crate::live::Repaint;
pub use crate::playback::{
    DecodedFrame, PlayerOptions, PlayerState, TrackState, TrackStatus, MAX_SPEED, MIN_SPEED,
};
