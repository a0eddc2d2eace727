//! What the viewer window knows about the recorder, kept current by a thread of its own:
//! the banner (who records, or that it has stopped), the cameras with the states the
//! recorder published (`status.json`; stopped, and the banner says they are unknown, when it
//! is missing, unreadable or stale), and each camera's newest finished recording. The thread
//! re-reads the read-only library, the lock and the states every few seconds and wakes the
//! window when something changed.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crossbeam_channel::{Receiver, RecvTimeoutError};

use vigil_core::model::Camera;
use vigil_core::service::status_snapshot::{SnapshotError, StatusSnapshot};
use vigil_core::service::viewed::{LockHolder, Newest, SchemaAge, Viewed};
use vigil_core::service::{CameraStatus, ConnState, EngineStatus, Repaint};

use crate::backend::{Backend, FixedBackend};
use crate::tr;

/// How often the cameras, their newest recordings and the lock are read again.
pub const REFRESH: Duration = Duration::from_secs(3);

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

/// Why the recorder's camera states are not shown, as a sentence for the banner.
fn states_unknown(why: &SnapshotError) -> String {
    let why = match why {
        SnapshotError::Missing(_) => tr!("viewer-states-missing"),
        SnapshotError::Unreadable { reason, .. } => {
            tr!("viewer-states-unreadable", error = reason.as_str())
        }
        SnapshotError::Corrupt { .. } => tr!("viewer-states-corrupt"),
        SnapshotError::Stale { secs } => tr!("viewer-states-stale", secs = secs.to_string()),
        SnapshotError::OtherPid { written_by } => {
            tr!("viewer-states-other-pid", pid = written_by.to_string())
        }
    };
    tr!("viewer-states-unknown", why = why)
}

/// A camera of the viewed library as a tile sees it: with the state its recorder published
/// (`states`), else stopped (or disabled, as the library says).
fn camera_status(cam: &Camera, states: Option<&StatusSnapshot>) -> CameraStatus {
    let mut status = CameraStatus::new(cam.name.as_str(), &cam.masked_url());
    status.display_name = cam.display_name.to_string();
    status.conn = if cam.enabled {
        ConnState::Stopped
    } else {
        ConnState::Disabled
    };
    if let Some(published) = states.and_then(|s| s.camera(cam.name.as_str())) {
        published.apply(&mut status);
    }
    status
}

/// The refresh thread's part.
pub(super) struct Refresh {
    pub viewed: Viewed,
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
        let holder = self.viewed.holder();
        let states = holder.as_ref().map(|h| self.viewed.recorder_states(h));
        let published = states.as_ref().and_then(|s| s.as_ref().ok());
        let now = self.viewed.now().ok();
        if let Some(now) = &now {
            // The disk's figures move all the time: only a change of camera wakes the window.
            let status = EngineStatus {
                cameras: now
                    .cameras
                    .iter()
                    .map(|c| camera_status(c, published))
                    .collect(),
                disk_total: now.disk.as_ref().map_or(0, |d| d.total),
                disk_available: now.disk.as_ref().map_or(0, |d| d.available),
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
        let banner = match (&holder, &states) {
            (Some(h), Some(Err(why))) => {
                let line = banner(h, self.viewed.schema());
                format!("{line} {}", states_unknown(why)) // i18n-ignore
            }
            (Some(h), _) => banner(h, self.viewed.schema()),
            (None, _) => tr!(
                "viewer-banner-stopped",
                dir = self.viewed.root().display().to_string()
            ),
        };
        let mut shared = self.state.lock();
        let newest = match now {
            Some(now) => now.newest.into_iter().collect(),
            None => shared.newest.clone(),
        };
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
