//! What the viewer window knows about the recorder, kept current by a thread of its own:
//! the banner (who records, or that it has stopped), the cameras, and each camera's newest
//! finished recording. The thread re-reads the read-only library and the lock every few
//! seconds and wakes the window when something changed.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crossbeam_channel::{Receiver, RecvTimeoutError};

use vigil_core::library::lock::{self, LockHolder};
use vigil_core::library::read_only::SchemaAge;
use vigil_core::library::{disk, Library};
use vigil_core::model::Camera;
use vigil_core::service::{CameraStatus, ConnState, EngineStatus, Repaint};

use crate::backend::{Backend, FixedBackend};
use crate::tr;

/// How often the cameras, their newest recordings and the lock are read again.
pub const REFRESH: Duration = Duration::from_secs(3);

/// A camera's newest finished recording: (camera id, its start, its end), UTC µs.
pub type Newest = (i64, i64, i64);

#[derive(Default)]
struct Shared {
    banner: String,
    /// Camera name → its newest finished recording.
    newest: HashMap<String, Newest>,
}

/// The viewer's state, shared by the refresh thread (writer) and the window (reader).
#[derive(Clone, Default)]
pub struct ViewerState(Arc<Mutex<Shared>>);

impl ViewerState {
    fn lock(&self) -> std::sync::MutexGuard<'_, Shared> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The line at the top of the window.
    pub fn banner(&self) -> String {
        self.lock().banner.clone()
    }

    /// `camera`'s newest finished recording, if it has one.
    pub fn newest(&self, camera: &str) -> Option<Newest> {
        self.lock().newest.get(camera).copied()
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

/// The refresh thread's part.
pub(super) struct Refresh {
    pub root: PathBuf,
    pub schema: SchemaAge,
    /// Where the cameras are published (the backend's status).
    pub status: FixedBackend,
    pub state: ViewerState,
    pub repaint: Arc<Mutex<Option<Repaint>>>,
}

impl Refresh {
    /// Reads everything once: the cameras, their newest recordings, who records. Says
    /// whether anything changed.
    pub fn read(&self) -> bool {
        let mut changed = false;
        let lib = Library::open(&self.root);
        let cameras = lib.as_ref().ok().and_then(|l| l.cameras().ok());
        if let Some(cameras) = &cameras {
            // The disk's figures move all the time: only a change of camera wakes the window.
            let disk = disk::disk_space(&self.root).ok();
            let status = EngineStatus {
                cameras: cameras.iter().map(camera_status).collect(),
                disk_total: disk.as_ref().map_or(0, |d| d.total),
                disk_available: disk.as_ref().map_or(0, |d| d.available),
                ..EngineStatus::default()
            };
            let before = self.status.status();
            if before.cameras != status.cameras {
                changed = true;
            }
            if *before != status {
                self.status.set_status(status);
            }
        }
        let newest: HashMap<String, Newest> = match (&lib, &cameras) {
            (Ok(lib), Some(cameras)) => cameras
                .iter()
                .filter_map(|c| {
                    let seg = lib.newest_segment(c.id).ok()??;
                    Some((
                        c.name.as_str().to_string(),
                        (c.id, seg.start_us, seg.end_us),
                    ))
                })
                .collect(),
            _ => self.state.lock().newest.clone(),
        };
        let banner = match lock::holder(&self.root) {
            Some(h) => banner(&h, self.schema),
            None => tr!(
                "viewer-banner-stopped",
                dir = self.root.display().to_string()
            ),
        };
        let mut shared = self.state.lock();
        if shared.banner != banner || shared.newest != newest {
            shared.banner = banner;
            shared.newest = newest;
            changed = true;
        }
        changed
    }

    /// Reads again every [`REFRESH`] until `stopped` is dropped, waking the window after a
    /// change.
    pub fn run(self, stopped: &Receiver<()>) {
        while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(REFRESH) {
            if self.read() {
                let repaint = self.repaint.lock().unwrap_or_else(|p| p.into_inner());
                if let Some(r) = repaint.as_ref() {
                    r();
                }
            }
        }
    }
}
