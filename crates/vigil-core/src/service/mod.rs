//! The engine service API: the one way a front end (the desktop app, the web viewer, a remote
//! client later) reaches the engine. Every call returns at once; slow work (queries, decoding,
//! exports, probes) runs on a handle's own thread and is polled. [`EngineHost`] implements it
//! in-process; a remote implementation over HTTP can implement the same trait.
//!
//! The handles live beside it: [`TimelineFeed`] (timeline queries), [`PlayerHandle`]
//! (playing recordings); [`types`] re-exports the plain data they speak in.

mod error;
mod player;
mod timeline;
pub mod types;

use std::sync::Arc;

use crate::engine::archive::Archive;
use crate::engine::config::ConfigStore;
use crate::engine::host::EngineHost;
use crate::engine::EngineStatus;
use crate::live::{LiveError, LiveHandle};

pub use error::ServiceError;
pub use player::PlayerHandle;
pub use timeline::{TimelineAnswer, TimelineFeed};
pub use types::*;

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
    /// Called when the status changes.
    fn set_repaint(&self, repaint: Repaint);
    /// Camera, policy and zone edits, when this service can make them.
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
}

impl EngineService for EngineHost {
    fn status(&self) -> Arc<EngineStatus> {
        EngineHost::status(self)
    }

    fn problems(&self) -> Vec<String> {
        EngineHost::problems(self)
    }

    fn watch(
        &self,
        camera: &str,
        width: u32,
        height: u32,
        repaint: Option<Repaint>,
    ) -> Result<LiveHandle, LiveError> {
        self.live().watch(camera, width, height, repaint)
    }

    fn set_repaint(&self, repaint: Repaint) {
        EngineHost::set_repaint(self, repaint);
    }

    fn config(&self) -> Option<&ConfigStore> {
        Some(EngineHost::config(self))
    }

    fn archive(&self) -> Option<&Archive> {
        Some(EngineHost::archive(self))
    }

    fn timeline(&self, repaint: Option<Repaint>) -> Result<TimelineFeed, ServiceError> {
        TimelineFeed::open(self.data_dir(), repaint)
    }

    fn player(
        &self,
        cameras: &[i64],
        start_us: i64,
        opts: PlayerOptions,
    ) -> Result<PlayerHandle, ServiceError> {
        PlayerHandle::open(self.data_dir(), cameras, start_us, opts)
    }
}
