//! The backend over a library another Vigil records into: the cameras, timeline, playback,
//! clip library and exports of that library, read through a read-only open that never
//! writes into its data directory (`vigil_core::library::read_only`). Cameras cannot be
//! changed here (no configuration store), and there is no live decoding: the recorder owns
//! the cameras' connections.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use crossbeam_channel::Sender;

use vigil_core::model::Transport;
use vigil_core::service::viewed::{LockHolder, SchemaAge, Viewed};
use vigil_core::service::{
    Archive, ConfigStore, EngineStatus, Exports, Job, LiveError, LiveHandle, LiveStream,
    PacketWatch, PlayerHandle, PlayerOptions, Repaint, ServiceError, StreamSummary, TimelineFeed,
    Wake,
};

use super::state::{Refresh, ViewerState};
use crate::backend::{Backend, FixedBackend};

/// A read-only view of another recorder's library.
pub struct ViewerBackend {
    inner: FixedBackend,
    holder: LockHolder,
    schema: SchemaAge,
    state: ViewerState,
    repaint: Arc<Mutex<Option<Repaint>>>,
    /// Dropping the sender stops the refresh thread.
    stop: Option<Sender<()>>,
    refresher: Option<JoinHandle<()>>,
}

impl ViewerBackend {
    /// Opens `data_dir`, recorded into by `holder`, to view it. From here on this process
    /// opens that library read-only only.
    pub fn open(data_dir: &Path, holder: LockHolder) -> Result<Self, ServiceError> {
        let viewed = Viewed::open(data_dir)?;
        let schema = viewed.schema();
        let inner = FixedBackend::new(EngineStatus::default()).with_archive(viewed.archive()?);
        let state = ViewerState::default();
        let repaint = Arc::new(Mutex::new(None));
        let refresh = Refresh {
            viewed,
            status: inner.clone(),
            state: state.clone(),
            repaint: Arc::clone(&repaint),
        };
        refresh.read();
        let (stop, stopped) = crossbeam_channel::bounded(1);
        let refresher = std::thread::Builder::new()
            .name("viewer-refresh".into()) // i18n-ignore
            .spawn(move || refresh.run(&stopped))
            .map_err(|source| ServiceError::Thread {
                what: "viewer refresh", // i18n-ignore: a CLI error, before the window
                source,
            })?;
        Ok(Self {
            inner,
            holder,
            schema,
            state,
            repaint,
            stop: Some(stop),
            refresher: Some(refresher),
        })
    }

    /// The recorder that recorded into the viewed library when it was opened.
    pub fn holder(&self) -> &LockHolder {
        &self.holder
    }

    /// How the viewed library's schema compares with this build's.
    pub fn schema(&self) -> SchemaAge {
        self.schema
    }

    /// The state the window shows (banner, newest recordings), kept current.
    pub fn state(&self) -> ViewerState {
        self.state.clone()
    }
}

impl Drop for ViewerBackend {
    fn drop(&mut self) {
        self.stop = None;
        if let Some(t) = self.refresher.take() {
            let _ = t.join();
        }
    }
}

impl Backend for ViewerBackend {
    fn status(&self) -> Arc<EngineStatus> {
        self.inner.status()
    }

    fn problems(&self) -> Vec<String> {
        Vec::new()
    }

    /// The recorder owns the cameras' connections: no live pictures here.
    fn watch(
        &self,
        camera: &str,
        _width: u32,
        _height: u32,
        _repaint: Option<Repaint>,
    ) -> Result<LiveHandle, LiveError> {
        Err(LiveError::UnknownCamera(camera.to_string()))
    }

    fn watch_stream(
        &self,
        camera: &str,
        _stream: LiveStream,
        _width: u32,
        _height: u32,
        _repaint: Option<Repaint>,
    ) -> Result<LiveHandle, LiveError> {
        Err(LiveError::UnknownCamera(camera.to_string()))
    }

    fn set_repaint(&self, repaint: Repaint) {
        *self.repaint.lock().unwrap_or_else(|p| p.into_inner()) = Some(repaint);
    }

    /// None: the recorder's cameras are changed where it runs.
    fn config(&self) -> Option<&ConfigStore> {
        None
    }

    fn archive(&self) -> Option<&Archive> {
        self.inner.archive()
    }

    fn exports(&self) -> Option<&Exports> {
        self.inner.exports()
    }

    fn test_connection(
        &self,
        url: &str,
        transport: Transport,
        wake: Option<Wake>,
    ) -> Job<Result<StreamSummary, String>> {
        self.inner.test_connection(url, transport, wake)
    }

    fn timeline(&self, repaint: Option<Repaint>) -> Result<TimelineFeed, ServiceError> {
        self.inner.timeline(repaint)
    }

    fn player(
        &self,
        cameras: &[i64],
        start_us: i64,
        opts: PlayerOptions,
    ) -> Result<PlayerHandle, ServiceError> {
        self.inner.player(cameras, start_us, opts)
    }

    fn watch_packets(&self, camera: &str) -> Result<PacketWatch, LiveError> {
        Err(LiveError::UnknownCamera(camera.to_string()))
    }
}
