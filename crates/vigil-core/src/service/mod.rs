//! The engine service API: the one way a front end (the desktop app, the web viewer, a remote
//! client later) reaches the engine. Every call returns at once; slow work (queries, decoding,
//! exports, probes) runs on a handle's own thread and is polled. The engine host
//! (`crate::host::EngineHost`) implements it in-process; a remote implementation over HTTP can implement the same trait.
//!
//! The handles live beside it: [`TimelineFeed`] (timeline queries), [`PlayerHandle`]
//! (playing recordings), [`Archive`] and [`Exports`] (events, clips, exports),
//! [`ConfigStore`] (camera, policy and zone edits); [`types`] re-exports the plain data they
//! speak in.

pub mod archive;
mod bookmarks;
pub mod camera_finder;
pub mod config;
mod config_events;
mod config_layouts;
mod config_live;
mod config_mqtt_password;
mod config_objects;
mod config_tours;
pub mod error;
pub mod export;
mod player;
pub mod probe;
pub mod recorded;
mod shared_library;
pub mod status_snapshot;
pub mod status_source;
mod timeline;
pub mod types;
pub mod viewed;

use std::sync::Arc;

use crate::model::Transport;

pub use player::PlayerHandle;
pub use timeline::{TimelineAnswer, TimelineFeed};
pub use types::*;

// The vocabulary of the archive, exports and camera probe handles.
pub use crate::analyze::status::ObjectsStatus;
pub use crate::export::{ExportError, ExportPlan, ExportReport};
pub use crate::jobs::{Job, JobState, Wake};
pub use crate::library::events::{EventDeletion, EventQuery};
pub use crate::library::{Bookmark, BookmarkQuery, NewBookmark};
pub use crate::library::{DeletionReason, Gap, GapCause, GapCondition};
pub use crate::library::{MonitorWindow, NewTour, MAX_MONITOR_WINDOWS};
pub use crate::objects::{Found, ObjectBox};
/// How late activity is reported: a pre-event buffer keeps this much more than asked.
pub use crate::record::gate::REPORT_LATENCY_US;
pub use crate::search::{
    MotionHit, MotionQuery, MotionSearch, SearchError, SearchRegion, DEFAULT_MERGE_GAP_US,
};
pub use archive::{Archive, EventList, EventListRequest, Thumbnail, Thumbnails};
pub use bookmarks::Bookmarks;
pub use config::{CameraConfig, CameraZones, ConfigJob, ConfigStore, OnChange, SavedZone};
pub use config_layouts::{LayoutCell, LiveLayout, NamedLayout};
pub use config_mqtt_password::MqttPassword;
pub use config_tours::TourCatalog;
pub use error::ServiceError;
pub use export::{ExportRequest, Exports, StreamSeal};
pub use probe::{StreamSummary, CONNECTION_TEST_TIMEOUT};
pub use recorded::{RecordedError, RecordedStream, PART_US};
pub use status_source::StatusSource;

pub trait EngineService {
    /// The latest status snapshot; must return at once.
    fn status(&self) -> Arc<EngineStatus>;
    /// Engine-level problems, newest last.
    fn problems(&self) -> Vec<String>;
    /// Starts live decoding of a camera fitted to `width`×`height`.
    fn watch(
        &self,
        camera: &str,
        width: u32,
        height: u32,
        repaint: Option<Repaint>,
    ) -> Result<LiveHandle, LiveError>;
    /// Starts live decoding of one of a camera's streams (the sub-stream for small tiles);
    /// `NoSubStream` when the camera has none.
    fn watch_stream(
        &self,
        camera: &str,
        stream: LiveStream,
        width: u32,
        height: u32,
        repaint: Option<Repaint>,
    ) -> Result<LiveHandle, LiveError>;
    /// Called when the status changes.
    fn set_repaint(&self, repaint: Repaint);
    /// Camera, policy and zone reads and edits, when this service can make them; each one
    /// answers on a job (service/config.rs).
    fn config(&self) -> Option<&ConfigStore>;
    /// Events and recordings, when this service has a library.
    fn archive(&self) -> Option<&Archive>;

    // Recorded video: timeline and players (service/timeline.rs, service/player.rs)
    /// A feed of timeline answers: set the query, read the latest answer; `repaint` is
    /// called after each. `NoRecordings` when this service has no library.
    fn timeline(&self, repaint: Option<Repaint>) -> Result<TimelineFeed, ServiceError>;
    /// Plays `cameras` (ids; several play in sync), paused at `start_us` (UTC µs).
    /// `NoRecordings` when this service has no library.
    fn player(
        &self,
        cameras: &[i64],
        start_us: i64,
        opts: PlayerOptions,
    ) -> Result<PlayerHandle, ServiceError>;

    // Archive, exports, camera probe (service/archive.rs, service/export.rs, service/probe.rs)
    /// Exports of recorded footage (plan, then write with progress and cancel), when this
    /// service has a library.
    fn exports(&self) -> Option<&Exports>;
    /// Tests a camera URL off the caller's thread ([`CONNECTION_TEST_TIMEOUT`] a step): what
    /// the stream is, or why it cannot be used in words without the password.
    fn test_connection(
        &self,
        url: &str,
        transport: Transport,
        wake: Option<Wake>,
    ) -> Job<Result<StreamSummary, String>>;

    // Live packets for remote viewers (live/packets.rs)
    /// Watches `camera`'s packets as fragmented MP4 (an init segment, then one fragment per
    /// packet; never decoded) through a bounded lossy feed that never slows recording.
    fn watch_packets(&self, camera: &str) -> Result<PacketWatch, LiveError>;

    // Live listening (live/listen.rs)
    /// Listens to `camera`'s main-stream sound, decoded to `rate` Hz and `channels`, through
    /// a bounded feed that never slows recording. A service that cannot listen says the
    /// camera is unknown.
    fn listen(
        &self,
        camera: &str,
        rate: u32,
        channels: u16,
        repaint: Option<Repaint>,
    ) -> Result<ListenHandle, LiveError> {
        let _ = (rate, channels, repaint);
        Err(LiveError::UnknownCamera(camera.to_string()))
    }
}
