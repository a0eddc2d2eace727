//! The plain data types the service speaks in (queries, answers, states, pictures, the
//! engine's status snapshot, live pictures), so a
//! front end names them through `vigil_core::service` and nothing else.

/// Motion zones as a front end edits them (outline, kind, sensitivity).
pub use crate::detect::{Polygon, ZoneKind, ZoneSpec};
pub use crate::engine::status::{ActiveEvent, CameraStatus, ConnState, SubStreamStatus, WAITING};
pub use crate::engine::EngineStatus;
/// The trigger endpoint's answer (`POST /api/v1/cameras/{name}/trigger`), shared by the
/// local API server and the web viewer.
pub use crate::events::http::fire as fire_trigger;
pub use crate::events::mqtt::MqttStatus;
pub use crate::events::EventBus;
pub use crate::library::{
    CameraTimeline, InProgress, TimeRange, Timeline, TimelineEvent, TimelineQuery,
};
/// Packet-level live watch for remote viewers: fragmented MP4 per packet (live/packets.rs).
pub use crate::live::fanout::{wire, FanoutStats, LiveViewer, Outgoing, QUEUE as VIEWER_QUEUE};
/// Sound: decoded blocks (playback and live listening) and a live listener.
pub use crate::live::{ListenHandle, ListenState};
pub use crate::live::{LiveChunk, PacketWatch, PACKET_QUEUE};
/// `LiveHub`: the live view's hub (what an in-process service watches through; a test
/// service with a hand-set status offers its cameras' packets there).
pub use crate::live::{LiveError, LiveHandle, LiveHub, LiveStream, Repaint};
pub use crate::media::audio_decode::AudioBlock;
pub use crate::media::live_fmp4::{Fragment as LiveFragment, InitSegment};
pub use crate::playback::{
    DecodedFrame, PlayerOptions, PlayerState, TrackState, TrackStatus, MAX_SPEED, MIN_SPEED,
};
