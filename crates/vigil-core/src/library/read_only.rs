//! Viewing a library another process records into: the data directories this process only
//! views, and the read-only open that [`Library::open`] uses for them. It never writes into
//! the directory: no folders, no write probe, no permission check, no database creation, no
//! migration, no recovery; SQLite opens the database `SQLITE_OPEN_READ_ONLY` (a WAL reader
//! needs only read access to the `-wal` and `-shm` files the recorder keeps).

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::{io_reason, schema, Library, LibraryError};

/// Canonical data directories this process views (never writes into).
static VIEWED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// From now on, every [`Library::open`] of `data_dir` in this process opens it read-only.
/// Answers the directory, canonical.
pub fn view_only(data_dir: &Path) -> Result<PathBuf, LibraryError> {
    let root = canonical(data_dir)?;
    let mut viewed = VIEWED.lock().unwrap_or_else(|p| p.into_inner());
    if !viewed.contains(&root) {
        viewed.push(root.clone());
    }
    Ok(root)
}

/// Whether this process only views `data_dir`.
pub fn is_viewed(data_dir: &Path) -> bool {
    let Ok(root) = data_dir.canonicalize() else {
        return false;
    };
    VIEWED
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .contains(&root)
}

/// How the viewed library's schema compares with this build's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaAge {
    Current,
    /// Written by an older Vigil: what this build added is missing; the rest can be read.
    Older {
        found: i64,
        known: i64,
    },
}

/// Opens the library in `data_dir` read-only (see the module's note).
pub(super) fn open(data_dir: &Path) -> Result<Library, LibraryError> {
    let root = canonical(data_dir)?;
    let db_path = root.join("vigil.db");
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(&db_path, flags).map_err(|e| LibraryError::DataDir {
        path: root.clone(),
        reason: format!("cannot open {} to read it: {e}", db_path.display()),
    })?;
    conn.busy_timeout(Duration::from_secs(10))?;
    conn.pragma_update(None, "query_only", "ON")?;
    check_schema(&conn, &db_path)?;
    Ok(Library { conn, root })
}

/// The viewed library's schema age; an error when a newer Vigil wrote it.
pub fn schema_age(data_dir: &Path) -> Result<SchemaAge, LibraryError> {
    let lib = open(data_dir)?;
    check_schema(&lib.conn, &lib.root.join("vigil.db"))
}

fn check_schema(conn: &Connection, db_path: &Path) -> Result<SchemaAge, LibraryError> {
    let known = schema::MIGRATIONS.len() as i64;
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    match found {
        f if f > known => Err(LibraryError::NewerSchema {
            path: db_path.to_path_buf(),
            found,
            known,
        }),
        f if f < known => Ok(SchemaAge::Older { found, known }),
        _ => Ok(SchemaAge::Current),
    }
}

fn canonical(data_dir: &Path) -> Result<PathBuf, LibraryError> {
    data_dir.canonicalize().map_err(|e| LibraryError::DataDir {
        path: data_dir.to_path_buf(),
        reason: io_reason(&e),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    /// Every file in `dir`, with its bytes.
    fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
        let mut all: Vec<_> = walk(dir)
            .into_iter()
            .map(|p| {
                let bytes = std::fs::read(&p).unwrap();
                (p, bytes)
            })
            .collect();
        all.sort();
        all
    }

    fn walk(dir: &Path) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
        out
    }

    #[test]
    fn a_viewed_library_reads_its_cameras_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let writer = Library::open(dir.path()).unwrap();
        writer
            .conn
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
            .unwrap();
        let names = |lib: &Library| -> Vec<String> {
            let cams = lib.cameras().unwrap();
            cams.iter().map(|c| c.name.as_str().to_string()).collect()
        };
        let cameras = names(&writer);
        // The files as a recorder leaves them while it runs (writer still open), made
        // read-only so that any write would fail loudly.
        for name in ["vigil.db", "vigil.db-wal", "vigil.db-shm"] {
            let p = dir.path().join(name);
            if p.exists() {
                std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o440)).unwrap();
            }
        }
        let before = snapshot(dir.path());
        let root = view_only(dir.path()).unwrap();
        assert!(is_viewed(dir.path()));
        let viewer = Library::open(&root).unwrap();
        assert_eq!(names(&viewer), cameras);
        assert_eq!(schema_age(dir.path()).unwrap(), SchemaAge::Current);
        assert!(
            viewer.conn.execute_batch("CREATE TABLE x(a)").is_err(),
            "a viewer cannot write"
        );
        drop(viewer);
        assert_eq!(snapshot(dir.path()), before, "nothing written");
    }
}
