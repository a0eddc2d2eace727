//! The app's engine: the service API (`vigil_core::service::EngineService`, implemented by the
//! engine host), and [`FixedBackend`], which serves a status set by hand (tests, previews),
//! optionally with a real configuration store, archive and recordings.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use vigil_core::model::Transport;
use vigil_core::service::{
    probe, Archive, ConfigStore, EngineStatus, Exports, Job, ListenHandle, LiveError, LiveHandle,
    LiveHub, LiveStream, PacketWatch, PlayerHandle, PlayerOptions, Repaint, ServiceError,
    StreamSummary, TimelineFeed, Wake,
};

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
    /// The data directory whose recordings the timeline and players read.
    recordings: Option<PathBuf>,
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
    /// Also serves the timeline and players from its library's recordings.
    pub fn with_archive(mut self, archive: Archive) -> Self {
        self.recordings.get_or_insert_with(|| archive.data_dir());
        self.archive = Some(Arc::new(archive));
        self
    }

    /// Serves the timeline and players from the recordings in `data_dir`.
    pub fn with_recordings(mut self, data_dir: impl Into<PathBuf>) -> Self {
        self.recordings = Some(data_dir.into());
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

    fn watch_stream(
        &self,
        camera: &str,
        stream: LiveStream,
        width: u32,
        height: u32,
        repaint: Option<Repaint>,
    ) -> Result<LiveHandle, LiveError> {
        self.live
            .watch_decoded(camera, stream, width, height, repaint)
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

    fn timeline(&self, repaint: Option<Repaint>) -> Result<TimelineFeed, ServiceError> {
        let dir = self.recordings.as_ref().ok_or(ServiceError::NoRecordings)?;
        TimelineFeed::open(dir, repaint)
    }

    fn player(
        &self,
        cameras: &[i64],
        start_us: i64,
        opts: PlayerOptions,
    ) -> Result<PlayerHandle, ServiceError> {
        let dir = self.recordings.as_ref().ok_or(ServiceError::NoRecordings)?;
        PlayerHandle::open(dir, cameras, start_us, opts)
    }

    /// Packets offered to the cameras' taps in [`Self::live`], packaged for a remote viewer.
    fn watch_packets(&self, camera: &str) -> Result<PacketWatch, LiveError> {
        self.live.watch_packets(camera)
    }

    /// The sound offered to the cameras' taps in [`Self::live`].
    fn listen(
        &self,
        camera: &str,
        rate: u32,
        channels: u16,
        repaint: Option<Repaint>,
    ) -> Result<ListenHandle, LiveError> {
        self.live.listen(camera, rate, channels, repaint)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_recordings_there_is_no_timeline_or_player_and_with_them_there_is() {
        let bare = FixedBackend::default();
        assert!(matches!(
            bare.timeline(None),
            Err(ServiceError::NoRecordings)
        ));
        assert!(matches!(
            bare.player(&[1], 0, PlayerOptions::new(16, 16)),
            Err(ServiceError::NoRecordings)
        ));
        let dir = tempfile::tempdir().expect("temp dir");
        let served = FixedBackend::default().with_recordings(dir.path());
        let feed = served.timeline(None).expect("a timeline feed");
        assert!(feed.latest().is_none(), "nothing asked yet");
        // A player opens on any cameras; what it finds is in its state, not an error here.
        let player = served
            .player(&[1], 0, PlayerOptions::new(16, 16))
            .expect("a player");
        assert_eq!(player.cameras(), &[1]);
    }
}
