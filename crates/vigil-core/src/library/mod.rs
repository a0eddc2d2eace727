//! The library: a SQLite file (WAL) that indexes cameras, policies and finished recordings,
//! plus the recordings folder it points into. Files first, then rows: a row never points to a
//! file that is not there.

pub mod accounts;
pub mod api_tokens;
pub mod batch;
pub mod bookmarks;
mod camera_names;
mod camera_removal;
mod cameras;
pub mod chain;
mod chain_snapshot;
pub mod deletions;
pub mod disk;
mod event_sources;
pub mod events;
pub mod gap_log;
pub mod gaps;
pub mod layout;
pub mod layouts;
mod live_boxes;
mod live_stream;
pub mod lock;
mod monitor_windows;
pub mod motion_codec;
pub mod motion_index;
mod objects;
pub mod perms;
pub mod read_only;
pub mod recovery;
pub mod retention;
mod schema;
mod secrets;
mod segments;
pub mod signing_key;
pub mod timeline;
mod timeline_events;
mod timeline_ranges;
mod tours;
mod zones;

use std::fs::Permissions;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::Connection;

pub use bookmarks::{Bookmark, BookmarkQuery, NewBookmark};
pub use cameras::{DEMO_CAMERA, DEMO_NOTICE};
pub use chain_snapshot::{ChainSnapshot, HashedRow};
pub use deletions::{Deletion, DeletionReason};
pub use events::EventQuery;
pub use gap_log::GapCondition;
pub use gaps::{Gap, GapCause};
pub use monitor_windows::{MonitorWindow, MAX_MONITOR_WINDOWS};
pub use secrets::{join_userinfo, split_userinfo};
pub use segments::{FinishedSegment, SegmentQuery};
pub use timeline::{CameraTimeline, InProgress, TimeRange, Timeline, TimelineEvent, TimelineQuery};
pub use tours::{NewTour, MAX_TOUR_STEPS};

pub use crate::model::reason::io_reason;
use crate::model::InvalidInput;

/// Errors from the library, each with a sentence an operator can act on.
#[derive(Debug, thiserror::Error)]
pub enum LibraryError {
    #[error("cannot use the data directory {path}: {reason}")]
    DataDir { path: PathBuf, reason: String },
    #[error("{what} {path}: {source}")]
    Io {
        what: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the library database failed: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("the library at {path} was written by a newer Vigil (schema {found}, this build knows {known}); upgrade Vigil")]
    NewerSchema {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error("a camera named '{0}' already exists")]
    DuplicateCamera(String),
    #[error("no camera named '{0}'")]
    UnknownCamera(String),
    #[error("'{typed}' names more than one camera ({}); use the identifier", ids.join(", "))]
    AmbiguousCamera { typed: String, ids: Vec<String> },
    #[error("'{typed}' names more than one zone of this camera ({}); use the identifier", ids.join(", "))]
    AmbiguousZone { typed: String, ids: Vec<String> },
    #[error("this camera already has a zone named '{0}'")]
    DuplicateZone(String),
    #[error("this camera has no zone named '{0}'")]
    UnknownZone(String),
    #[error("a layout named '{0}' already exists")]
    DuplicateLayout(String),
    #[error("no saved layout named '{0}'")]
    UnknownLayout(String),
    #[error("camera '{camera}' already has a trigger source named '{name}'")]
    DuplicateTriggerSource { camera: String, name: String },
    #[error("camera '{camera}' has no trigger source named '{name}'")]
    UnknownTriggerSource { camera: String, name: String },
    #[error("camera '{name}' has {count} recordings ({bytes} bytes); pass --delete-recordings to remove them with it, or disable the camera instead")]
    CameraHasRecordings {
        name: String,
        count: u64,
        bytes: u64,
    },
    #[error(transparent)]
    Invalid(#[from] InvalidInput),
}

/// An open library. Each thread that writes opens its own (SQLite in WAL mode lets them work
/// side by side); they all see the same files.
pub struct Library {
    conn: Connection,
    root: PathBuf,
}

impl Library {
    /// Opens (creating if needed) the library in `data_dir`, checking the directory is writable
    /// and bringing the schema up to date; read-only, writing nothing, when this process only
    /// views it ([`read_only::view_only`]).
    pub fn open(data_dir: &Path) -> Result<Self, LibraryError> {
        if read_only::is_viewed(data_dir) {
            return read_only::open(data_dir);
        }
        let root = prepare_data_dir(data_dir)?;
        for said in perms::tighten(&root) {
            tracing::warn!("{said}");
        }
        let db_path = root.join("vigil.db");
        if !db_path.exists() {
            // SQLite gives the -wal and -shm files the database's own mode.
            perms::create_private_new_file(&db_path).map_err(|e| LibraryError::DataDir {
                path: root.clone(),
                reason: format!("cannot create {} ({})", db_path.display(), io_reason(&e)),
            })?;
        }
        let conn = Connection::open(&db_path).map_err(|e| LibraryError::DataDir {
            path: root.clone(),
            reason: format!("cannot open {}: {e}", db_path.display()),
        })?;
        conn.busy_timeout(Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // A row replaced by INSERT OR REPLACE fires the delete trigger that keeps the
        // timeline's hourly summary right (schema v3).
        conn.pragma_update(None, "recursive_triggers", "ON")?;
        let mut lib = Self { conn, root };
        schema::migrate(&mut lib.conn, &db_path)?;
        Ok(lib)
    }

    /// The data directory (absolute).
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Absolute path of a path stored relative to the data directory.
    pub fn absolute(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// The SQLite connection, for the benchmarks' generated libraries (vigil-bench) only: every
    /// product path goes through the methods above, which keep files and rows consistent.
    #[doc(hidden)]
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// See [`Library::conn`]: benchmarks only.
    #[doc(hidden)]
    pub fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }
}

/// The default data directory: `$VIGIL_DATA_DIR` is handled by the CLI; this is the platform
/// data dir (e.g. `~/.local/share/vigil`).
pub fn default_data_dir() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("vigil")
}

fn prepare_data_dir(data_dir: &Path) -> Result<PathBuf, LibraryError> {
    let fail = |reason: String| LibraryError::DataDir {
        path: data_dir.to_path_buf(),
        reason,
    };
    if data_dir.exists() && !data_dir.is_dir() {
        return Err(fail("it is a file, not a directory".into()));
    }
    let created = !data_dir.exists();
    std::fs::create_dir_all(data_dir)
        .map_err(|e| fail(format!("cannot create it ({})", io_reason(&e))))?;
    if created {
        // Only the data directory itself: its parents are the user's.
        std::fs::set_permissions(data_dir, Permissions::from_mode(perms::dir_mode()))
            .map_err(|e| fail(format!("cannot make it private ({})", io_reason(&e))))?;
    }
    let root = data_dir.canonicalize().map_err(|e| fail(io_reason(&e)))?;
    perms::create_private_dirs(&root.join(layout::RECORDINGS))
        .map_err(|e| fail(format!("cannot create folders in it ({})", io_reason(&e))))?;
    let probe = root.join(".vigil-write-test");
    std::fs::write(&probe, b"ok")
        .map_err(|e| fail(format!("cannot write in it ({})", io_reason(&e))))?;
    let _ = std::fs::remove_file(&probe);
    Ok(root)
}
