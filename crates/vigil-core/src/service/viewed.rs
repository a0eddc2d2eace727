//! Viewing a library another Vigil records into, for a front end: who records into a data
//! directory (its lock's holder), the read-only open of that library (after which every open
//! of it in this process is read-only: `library::read_only`), and the one read a viewer
//! repeats (cameras, each camera's newest recording, the disk's figures, and the recorder's
//! camera states from its `status.json`: [`super::status_snapshot`]).

use std::path::{Path, PathBuf};

use crate::library::disk::{disk_space, DiskSpace};
use crate::library::read_only;
use crate::library::Library;
use crate::model::time::now_us;
use crate::model::Camera;

use super::status_snapshot::{SnapshotError, StatusSnapshot};
use super::{Archive, ServiceError};

pub use crate::library::lock::{holder, system_data_dir, LockHolder};
pub use crate::library::read_only::SchemaAge;

/// A camera's newest finished recording.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Newest {
    pub camera_id: i64,
    pub start_us: i64,
    pub end_us: i64,
}

/// What a viewer shows of the library now.
#[derive(Debug, Clone)]
pub struct ViewedNow {
    pub cameras: Vec<Camera>,
    /// Camera name → its newest finished recording, for cameras that have one.
    pub newest: Vec<(String, Newest)>,
    pub disk: Option<DiskSpace>,
}

/// A library viewed read-only.
#[derive(Debug, Clone)]
pub struct Viewed {
    root: PathBuf,
    schema: SchemaAge,
}

impl Viewed {
    /// Views `data_dir` from now on (this process never writes into it); fails when there
    /// is no library there, it cannot be read, or a newer Vigil wrote it.
    pub fn open(data_dir: &Path) -> Result<Self, ServiceError> {
        let root = read_only::view_only(data_dir)?;
        let schema = read_only::schema_age(&root)?;
        Ok(Self { root, schema })
    }

    /// The data directory (canonical).
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// How its schema compares with this build's.
    pub fn schema(&self) -> SchemaAge {
        self.schema
    }

    /// Its events, clips and exports (read-only).
    pub fn archive(&self) -> Result<Archive, ServiceError> {
        Ok(Archive::open(&self.root)?)
    }

    /// Who records into it now (none once the recorder has stopped).
    pub fn holder(&self) -> Option<LockHolder> {
        holder(&self.root)
    }

    /// The camera states `recorder` (who holds the lock now) published, when they are
    /// current: written by it less than 30 s ago. Never writes anything.
    pub fn recorder_states(&self, recorder: &LockHolder) -> Result<StatusSnapshot, SnapshotError> {
        StatusSnapshot::read_current(&self.root, recorder.pid, now_us())
    }

    /// Reads its cameras, their newest recordings and the disk's figures.
    pub fn now(&self) -> Result<ViewedNow, ServiceError> {
        let lib = Library::open(&self.root)?;
        let cameras = lib.cameras()?;
        let mut newest = Vec::new();
        for cam in &cameras {
            if let Some(seg) = lib.newest_segment(cam.id)? {
                let at = Newest {
                    camera_id: cam.id,
                    start_us: seg.start_us,
                    end_us: seg.end_us,
                };
                newest.push((cam.name.as_str().to_string(), at));
            }
        }
        Ok(ViewedNow {
            cameras,
            newest,
            disk: disk_space(&self.root).ok(),
        })
    }
}
