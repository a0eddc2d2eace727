//! The app over a library another Vigil records into (the system service, or another
//! window): the cameras, timeline, playback, clip library and exports of that library, read
//! through a read-only open that never writes into its data directory
//! (`vigil_core::library::read_only`). Cameras cannot be changed here (no configuration
//! store), and live pictures are the recorder's: its cameras' connections are its own. A
//! thread of its own re-reads the cameras and the lock every few seconds, so cameras added
//! to the recorder appear and the banner says when the recorder has stopped.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender};

use vigil_core::library::lock::{self, LockHolder};
use vigil_core::library::read_only::{self, SchemaAge};
use vigil_core::library::{Library, LibraryError};
use vigil_core::model::{Camera, Transport};
use vigil_core::service::{
    Archive, CameraStatus, ConfigStore, ConnState, EngineStatus, Exports, Job, LiveError,
    LiveHandle, LiveStream, PacketWatch, PlayerHandle, PlayerOptions, Repaint, ServiceError,
    StreamSummary, TimelineFeed, Wake,
};

use super::backend::{Backend, FixedBackend};
use crate::tr;

/// How often the cameras and the lock are read again.
const REFRESH: Duration = Duration::from_secs(3);

/// The line at the top of the window, kept current by the backend's thread.
#[derive(Clone, Default)]
pub struct Banner(Arc<Mutex<String>>);

impl Banner {
    pub fn new(text: String) -> Self {
        Self(Arc::new(Mutex::new(text)))
    }

    pub fn text(&self) -> String {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    fn set(&self, text: String) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = text;
    }
}

/// A read-only view of another recorder's library.
pub struct ViewerBackend {
    inner: FixedBackend,
    holder: LockHolder,
    banner: Banner,
    repaint: Arc<Mutex<Option<Repaint>>>,
    /// Dropping the sender stops the refresh thread.
    stop: Option<Sender<()>>,
    refresher: Option<JoinHandle<()>>,
}

impl ViewerBackend {
    /// Opens `data_dir`, recorded into by `holder`, to view it. From here on this process
    /// opens that library read-only only.
    pub fn open(data_dir: &Path, holder: LockHolder) -> Result<Self, LibraryError> {
        let root = read_only::view_only(data_dir)?;
        let schema = read_only::schema_age(&root)?;
        let cameras = Library::open(&root)?.cameras()?;
        let status = EngineStatus {
            cameras: cameras.iter().map(camera_status).collect(),
            ..EngineStatus::default()
        };
        let inner = FixedBackend::new(status).with_archive(Archive::open(&root)?);
        let banner = Banner::new(banner(&holder, schema));
        let repaint = Arc::new(Mutex::new(None));
        let (stop, stopped) = crossbeam_channel::bounded(1);
        let refresh = Refresh {
            root,
            status: inner.clone(),
            banner: banner.clone(),
            repaint: Arc::clone(&repaint),
            holder: holder.clone(),
            schema,
        };
        let refresher = std::thread::Builder::new()
            .name("viewer-refresh".into()) // i18n-ignore
            .spawn(move || refresh.run(&stopped))
            .map_err(|e| LibraryError::Io {
                what: "cannot start the viewer's refresh thread for",
                path: data_dir.to_path_buf(),
                source: e,
            })?;
        Ok(Self {
            inner,
            holder,
            banner,
            repaint,
            stop: Some(stop),
            refresher: Some(refresher),
        })
    }

    /// The recorder that records into the viewed library.
    pub fn holder(&self) -> &LockHolder {
        &self.holder
    }

    /// The line at the top of the window: who records, and what this window shows (or that
    /// the recorder has stopped), kept current.
    pub fn banner(&self) -> Banner {
        self.banner.clone()
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

/// The refresh thread's part: re-reads the cameras and the lock every [`REFRESH`].
struct Refresh {
    root: PathBuf,
    status: FixedBackend,
    banner: Banner,
    repaint: Arc<Mutex<Option<Repaint>>>,
    holder: LockHolder,
    schema: SchemaAge,
}

impl Refresh {
    fn run(mut self, stopped: &Receiver<()>) {
        while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(REFRESH) {
            let mut changed = false;
            if let Ok(cameras) = Library::open(&self.root).and_then(|l| l.cameras()) {
                let status = EngineStatus {
                    cameras: cameras.iter().map(camera_status).collect(),
                    ..EngineStatus::default()
                };
                if *self.status.status() != status {
                    self.status.set_status(status);
                    changed = true;
                }
            }
            let holder = lock::holder(&self.root);
            let text = match &holder {
                Some(h) => banner(h, self.schema),
                None => tr!("viewer-banner-stopped", dir = self.root.display().to_string()),
            };
            if text != self.banner.text() {
                self.banner.set(text);
                changed = true;
            }
            if let Some(h) = holder {
                self.holder = h;
            }
            if changed {
                let repaint = self.repaint.lock().unwrap_or_else(|p| p.into_inner());
                if let Some(r) = repaint.as_ref() {
                    r();
                }
            }
        }
    }
}

/// Says who records into the viewed library and what this window shows (and, for a library
/// an older Vigil wrote, that some of it may be missing).
pub fn banner(holder: &LockHolder, schema: SchemaAge) -> String {
    let pid = holder
        .pid
        .map_or_else(|| "?".to_string(), |p| p.to_string()); // i18n-ignore
    let user = holder.user.clone().unwrap_or_else(|| "?".to_string()); // i18n-ignore
    let dir = holder.data_dir.display().to_string();
    let line = if holder.service {
        tr!("viewer-banner-service", pid = pid, user = user, dir = dir)
    } else {
        tr!("viewer-banner-other", pid = pid, user = user, dir = dir)
    };
    match schema {
        SchemaAge::Current => line,
        SchemaAge::Older { found, known } => {
            let older = tr!("viewer-schema-older", found = found, known = known);
            format!("{line} {older}") // i18n-ignore
        }
    }
}

/// A camera of the viewed library as a tile sees it: named, never running here.
fn camera_status(cam: &Camera) -> CameraStatus {
    let mut status = CameraStatus::new(cam.name.as_str(), &cam.masked_url());
    status.display_name = cam.display_name.to_string();
    status.conn = if cam.enabled {
        ConnState::Stopped
    } else {
        ConnState::Disabled
    };
    status
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
