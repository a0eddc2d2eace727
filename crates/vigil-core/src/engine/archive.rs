//! Recorded footage and events for an interactive front end: list and filter events, their
//! thumbnails, protect them from retention, delete them with their clips (saying first what
//! that removes). One SQLite connection behind a mutex; called on user actions, never per
//! frame.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use crate::export::{ExportError, ExportPlan};
use crate::library::events::{EventDeletion, EventQuery};
use crate::library::{Library, LibraryError};
use crate::model::{Camera, Event};

/// What to export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportRequest {
    /// A camera's recordings in `[from_us, to_us)`.
    Range {
        camera: String,
        from_us: i64,
        to_us: i64,
    },
    /// An event's time.
    Event(i64),
}

pub struct Archive {
    lib: Mutex<Library>,
}

impl Archive {
    pub fn open(data_dir: &Path) -> Result<Self, LibraryError> {
        Ok(Self {
            lib: Mutex::new(Library::open(data_dir)?),
        })
    }

    fn lib(&self) -> MutexGuard<'_, Library> {
        self.lib.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The data directory the library lives in.
    pub fn data_dir(&self) -> std::path::PathBuf {
        self.lib().root().to_path_buf()
    }

    pub fn cameras(&self) -> Result<Vec<Camera>, LibraryError> {
        self.lib().cameras()
    }

    /// Events overlapping the query's range, oldest first.
    pub fn events(&self, q: &EventQuery) -> Result<Vec<Event>, LibraryError> {
        self.lib().events(q)
    }

    /// The JPEG taken when the event started, if any.
    pub fn thumbnail(&self, id: i64) -> Result<Option<Vec<u8>>, LibraryError> {
        self.lib().event_thumbnail(id)
    }

    pub fn set_protected(&self, id: i64, protected: bool) -> Result<bool, LibraryError> {
        self.lib().set_event_protected(id, protected)
    }

    /// What deleting the event would remove.
    pub fn deletion(&self, id: i64) -> Result<EventDeletion, LibraryError> {
        self.lib().event_deletion(id)
    }

    pub fn delete_event(&self, id: i64) -> Result<EventDeletion, LibraryError> {
        self.lib().delete_event(id)
    }

    /// The recordings an export of `request` would copy, or why there is nothing to export.
    pub fn plan_export(&self, request: &ExportRequest) -> Result<ExportPlan, ExportError> {
        let lib = self.lib();
        match request {
            ExportRequest::Range {
                camera,
                from_us,
                to_us,
            } => crate::export::plan(&lib, camera, *from_us, *to_us),
            ExportRequest::Event(id) => crate::export::plan_event(&lib, *id),
        }
    }
}
