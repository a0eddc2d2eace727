//! Who may read what Vigil keeps: the data directory and every folder in it are created
//! 0700, the database and the recordings 0600, whatever the umask (each is set with chmod
//! after it is made); and the start-up check that tightens a data directory, recordings
//! folder or database other local users can read, saying so.

use std::fs::{DirBuilder, OpenOptions, Permissions};
use std::io::ErrorKind;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

use super::{io_reason, layout::RECORDINGS};

/// Mode of the data directory and the folders in it.
pub const DIR_MODE: u32 = 0o700;
/// Mode of the database and the recordings.
pub const FILE_MODE: u32 = 0o600;

/// The database files (SQLite makes `-wal` and `-shm` with the database's own mode).
pub const DB_FILES: [&str; 3] = ["vigil.db", "vigil.db-wal", "vigil.db-shm"];

/// Creates `dir` 0700, and each missing parent below the first that exists 0700 too.
pub fn create_private_dirs(dir: &Path) -> std::io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        create_private_dirs(parent)?;
    }
    match DirBuilder::new().mode(DIR_MODE).create(dir) {
        Ok(()) => std::fs::set_permissions(dir, Permissions::from_mode(DIR_MODE)),
        Err(e) if e.kind() == ErrorKind::AlreadyExists && dir.is_dir() => Ok(()),
        Err(e) => Err(e),
    }
}

/// Creates (or empties) `path` as a 0600 file, its missing folders 0700. A writer that opens
/// it afterwards with truncation (FFmpeg does) keeps the mode.
pub fn create_private_file(path: &Path) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        create_private_dirs(parent)?;
    }
    OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(FILE_MODE)
        .open(path)?;
    std::fs::set_permissions(path, Permissions::from_mode(FILE_MODE))
}

/// Creates `path` as an empty 0600 file unless it exists (then it is left untouched, so two
/// processes opening a new library at once cannot empty each other's database).
pub fn create_private_new_file(path: &Path) -> std::io::Result<()> {
    match OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(FILE_MODE)
        .open(path)
    {
        Ok(_) => std::fs::set_permissions(path, Permissions::from_mode(FILE_MODE)),
        Err(e) if e.kind() == ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// Checks the data directory, its recordings folder and the database files; any that group
/// or other users may use is set to 0700 / 0600. Returns one sentence per path found open:
/// what was done, or why it could not be and what to run. Empty when all was private.
pub fn tighten(data_dir: &Path) -> Vec<String> {
    let mut said = Vec::new();
    let recordings = data_dir.join(RECORDINGS);
    let dirs = [
        (data_dir.to_path_buf(), "the data directory"),
        (recordings, "the recordings folder"),
    ];
    for (path, what) in dirs {
        said.extend(tighten_one(&path, what, DIR_MODE));
    }
    for name in DB_FILES {
        said.extend(tighten_one(
            &data_dir.join(name),
            "the library database",
            FILE_MODE,
        ));
    }
    said
}

fn tighten_one(path: &Path, what: &str, private: u32) -> Option<String> {
    let mode = std::fs::symlink_metadata(path).ok()?.permissions().mode() & 0o777;
    if mode & 0o077 == 0 {
        return None;
    }
    let shown = path.display();
    Some(
        match std::fs::set_permissions(path, Permissions::from_mode(private)) {
            Ok(()) => format!(
                "{what} {shown} was open to other local users (mode {mode:03o}); \
                 Vigil made it {private:03o}"
            ),
            Err(e) => format!(
                "{what} {shown} is open to other local users (mode {mode:03o}) and Vigil \
                 cannot change that ({}): recordings and camera passwords may be read by \
                 others; run: chmod {private:o} {shown}",
                io_reason(&e)
            ),
        },
    )
}

/// Whether group or other users may use `path` (false when it does not exist).
pub fn is_open_to_others(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o077 != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mode(p: &Path) -> u32 {
        std::fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn made_private_whatever_the_umask_and_open_ones_tightened() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("a/b/c.mp4");
        create_private_file(&file).unwrap();
        assert_eq!(mode(&file), 0o600);
        assert_eq!(mode(&tmp.path().join("a")), 0o700);
        assert_eq!(mode(&tmp.path().join("a/b")), 0o700);

        let data = tmp.path().join("data");
        std::fs::create_dir_all(data.join(RECORDINGS)).unwrap();
        std::fs::set_permissions(&data, Permissions::from_mode(0o755)).unwrap();
        std::fs::write(data.join("vigil.db"), b"").unwrap();
        std::fs::set_permissions(data.join("vigil.db"), Permissions::from_mode(0o644)).unwrap();
        assert!(is_open_to_others(&data));
        let said = tighten(&data);
        assert!(
            said.iter()
                .any(|s| s.contains("mode 755") && s.contains("made it 700")),
            "{said:?}"
        );
        assert!(
            said.iter()
                .any(|s| s.contains("mode 644") && s.contains("made it 600")),
            "{said:?}"
        );
        assert_eq!(mode(&data), 0o700);
        assert_eq!(mode(&data.join("vigil.db")), 0o600);
        assert!(tighten(&data).is_empty(), "private now");
    }
}
