//! What the desktop app needs from the engine, as a small trait: the latest status, live
//! pictures, engine-level problems, a way to be woken, and the configuration store. The real
//! implementation is the [`EngineHost`]; [`FixedBackend`] serves a status set by hand (tests,
//! previews), optionally with a real configuration store.

use std::sync::{Arc, Mutex};

use crate::engine::archive::Archive;
use crate::engine::config::ConfigStore;
use crate::engine::host::EngineHost;
use crate::engine::EngineStatus;
use crate::live::{LiveError, LiveHandle, LiveHub, Repaint};

pub trait Backend {
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
    /// Camera, policy and zone edits, when this backend can make them.
    fn config(&self) -> Option<&ConfigStore>;
    /// Events and recordings, when this backend has a library.
    fn archive(&self) -> Option<&Archive>;
}

impl Backend for EngineHost {
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

/// A backend whose status is set by hand. Its cameras have stream taps in [`Self::live`], so
/// watching works and pictures arrive if something offers packets to those taps.
#[derive(Clone, Default)]
pub struct FixedBackend {
    status: Arc<Mutex<Arc<EngineStatus>>>,
    problems: Arc<Mutex<Vec<String>>>,
    config: Option<Arc<ConfigStore>>,
    archive: Option<Arc<Archive>>,
    pub live: LiveHub,
}

impl FixedBackend {
    pub fn new(status: EngineStatus) -> Self {
        let backend = Self::default();
        backend.set_status(status);
        backend
    }

    /// Serves configuration edits from `store` (e.g. a library in a temporary directory).
    pub fn with_config(mut self, store: ConfigStore) -> Self {
        self.config = Some(Arc::new(store));
        self
    }

    /// Serves events and recordings from `archive` (e.g. a library in a temporary directory).
    pub fn with_archive(mut self, archive: Archive) -> Self {
        self.archive = Some(Arc::new(archive));
        self
    }

    pub fn set_status(&self, status: EngineStatus) {
        for c in &status.cameras {
            self.live.tap(&c.name);
        }
        *self.status.lock().unwrap_or_else(|p| p.into_inner()) = Arc::new(status);
    }

    pub fn add_problem(&self, problem: &str) {
        self.problems
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(problem.to_string());
    }
}

impl Backend for FixedBackend {
    fn status(&self) -> Arc<EngineStatus> {
        Arc::clone(&self.status.lock().unwrap_or_else(|p| p.into_inner()))
    }

    fn problems(&self) -> Vec<String> {
        self.problems
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    fn watch(
        &self,
        camera: &str,
        width: u32,
        height: u32,
        repaint: Option<Repaint>,
    ) -> Result<LiveHandle, LiveError> {
        self.live.watch(camera, width, height, repaint)
    }

    fn set_repaint(&self, _repaint: Repaint) {}

    fn config(&self) -> Option<&ConfigStore> {
        self.config.as_deref()
    }

    fn archive(&self) -> Option<&Archive> {
        self.archive.as_deref()
    }
}
