//! The engine service API: the one way a front end (the desktop app, the web viewer, a remote
//! client later) reaches the engine. Every call returns at once; slow work (queries, decoding,
//! exports, probes) runs on a handle's own thread and is polled. [`EngineHost`] implements it
//! in-process; a remote implementation over HTTP can implement the same trait.

use std::sync::Arc;

use crate::engine::archive::Archive;
use crate::engine::config::ConfigStore;
use crate::engine::EngineStatus;
use crate::host::EngineHost;
use crate::live::{LiveError, LiveHandle, Repaint};

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
}
