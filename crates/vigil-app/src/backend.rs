//! The app's engine: the service API (`vigil_core::service::EngineService`, implemented by the
//! engine host), and [`FixedBackend`], which serves a status set by hand (tests, previews),
//! optionally with a real configuration store.

use std::sync::{Arc, Mutex};

use vigil_core::engine::config::ConfigStore;
use vigil_core::engine::EngineStatus;
use vigil_core::live::{LiveError, LiveHandle, LiveHub, Repaint};
use vigil_core::model::Transport;
use vigil_core::service::{probe, Archive, Exports, Job, StreamSummary, Wake};

/// The app's view of the engine: the engine service API (`vigil_core::service`).
pub use vigil_core::service::EngineService as Backend;

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

    fn exports(&self) -> Option<&Exports> {
        self.archive.as_deref().map(Archive::exports)
    }

    /// The real test (a fixed status has no camera of its own to answer).
    fn test_connection(
        &self,
        url: &str,
        transport: Transport,
        wake: Option<Wake>,
    ) -> Job<Result<StreamSummary, String>> {
        probe::test_connection(url, transport, wake)
    }
}
