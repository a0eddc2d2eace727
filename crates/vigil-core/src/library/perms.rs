//! Who may read what Vigil keeps, decided here only: the data directory and every folder in
//! it are created 0700, the database, the recordings and the lock file 0600, whatever the
//! umask (each is set with chmod after it is made); with group read on (`--group-read`, the
//! system service) 0750 / 0640, so members of the recorder's group can view the library.
//! Secrets kept beside it (the web viewer's key) stay 0600 either way. And the start-up
//! check that tightens a data directory, recordings folder or database others can read,
//! saying so (with group read on, only access for others is removed).

use std::fs::{DirBuilder, OpenOptions, Permissions};
use std::io::ErrorKind;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use super::{io_reason, layout::RECORDINGS};

/// Mode of the data directory and the folders in it (group read off).
pub const DIR_MODE: u32 = 0o700;
/// Mode of the database and the recordings (group read off), and always of secrets.
pub const FILE_MODE: u32 = 0o600;
/// Mode of the data directory and its folders with group read on.
pub const GROUP_DIR_MODE: u32 = 0o750;
/// Mode of the database, the recordings and the lock file with group read on.
pub const GROUP_FILE_MODE: u32 = 0o640;

/// Whether this process makes what it records readable by its group. One recorder per
/// process and data directory: set once at start-up, before the library is opened.
static GROUP_READ: AtomicBool = AtomicBool::new(false);

/// Turns group read on or off for everything this process creates from now on (and for
/// what [`tighten`] accepts). The database holds the cameras' passwords: group members
/// can read them.
pub fn set_group_read(on: bool) {
    GROUP_READ.store(on, Ordering::Relaxed);
}

/// Whether group read is on (see [`set_group_read`]).
pub fn group_read() -> bool {
    GROUP_READ.load(Ordering::Relaxed)
}

/// Mode of the data directory and the folders in it, as things stand.
pub fn dir_mode() -> u32 {
    if group_read() {
        GROUP_DIR_MODE
    } else {
        DIR_MODE
    }
}

/// Mode of the database, the recordings and the lock file, as things stand.
pub fn file_mode() -> u32 {
    if group_read() {
        GROUP_FILE_MODE
    } else {
        FILE_MODE
    }
}

/// The bits [`tighten`] removes: all but the owner's, or only others' with group read on.
/// The group may read but never write.
fn too_open() -> u32 {
    if group_read() {
        0o027
    } else {
        0o077
    }
}

/// The database files (SQLite makes `-wal` and `-shm` with the database's own mode).
pub const DB_FILES: [&str; 3] = ["vigil.db", "vigil.db-wal", "vigil.db-shm"];

/// Creates `dir` with [`dir_mode`], and each missing parent below the first that exists too.
pub fn create_private_dirs(dir: &Path) -> std::io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        create_private_dirs(parent)?;
    }
    let mode = dir_mode();
    match DirBuilder::new().mode(mode).create(dir) {
        Ok(()) => std::fs::set_permissions(dir, Permissions::from_mode(mode)),
        Err(e) if e.kind() == ErrorKind::AlreadyExists && dir.is_dir() => Ok(()),
        Err(e) => Err(e),
    }
}

/// Creates (or empties) `path` as a 0600 file (a secret, whatever group read says), its
/// missing folders with [`dir_mode`]. A writer that opens it afterwards with truncation
/// keeps the mode.
pub fn create_private_file(path: &Path) -> std::io::Result<()> {
    create_file_with(path, FILE_MODE)
}

/// Creates (or empties) a recording at `path` with [`file_mode`], its missing folders with
/// [`dir_mode`]. FFmpeg, opening it afterwards with truncation, keeps the mode.
pub fn create_library_file(path: &Path) -> std::io::Result<()> {
    create_file_with(path, file_mode())
}

fn create_file_with(path: &Path, mode: u32) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        create_private_dirs(parent)?;
    }
    OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(mode)
        .open(path)?;
    std::fs::set_permissions(path, Permissions::from_mode(mode))
}

/// Creates `path` as an empty file with [`file_mode`] unless it exists (then it is left
/// untouched, so two processes opening a new library at once cannot empty each other's
/// database).
pub fn create_private_new_file(path: &Path) -> std::io::Result<()> {
    let mode = file_mode();
    match OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(path)
    {
        Ok(_) => std::fs::set_permissions(path, Permissions::from_mode(mode)),
        Err(e) if e.kind() == ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// Group read is a property of the data directory: a recorder started with it made the
/// directory 0750 (the group may enter, others nothing). Any Vigil process opening such a
/// directory (`vigil camera add` beside the service) keeps it so instead of tightening it
/// back, and makes its own files group-readable too. Turns group read on, never off.
pub fn adopt(data_dir: &Path) {
    let shared = std::fs::metadata(data_dir)
        .is_ok_and(|m| m.permissions().mode() & 0o077 == GROUP_DIR_MODE & 0o077);
    if shared {
        set_group_read(true);
    }
}

/// Checks the data directory, its recordings folder and the database files; any that group
/// or other users may use is set to 0700 / 0600. With group read on (the flag, or a data
/// directory made 0750 by a recorder that had it: [`adopt`]), any that others may use or the
/// group may write is set to 0750 / 0640, and a private one is opened to the group (a data
/// directory opened so has its older recordings opened too). Returns one sentence per path
/// changed or found open: what was done, or why it could not be and what to run. Empty when
/// all was as it should be.
pub fn tighten(data_dir: &Path) -> Vec<String> {
    adopt(data_dir);
    let mut said = Vec::new();
    let recordings = data_dir.join(RECORDINGS);
    let shared_now = group_read() && !is_shared(data_dir);
    let dirs = [
        (data_dir.to_path_buf(), "the data directory"),
        (recordings.clone(), "the recordings folder"),
    ];
    for (path, what) in dirs {
        said.extend(tighten_one(&path, what, dir_mode()));
    }
    for name in DB_FILES {
        said.extend(tighten_one(
            &data_dir.join(name),
            "the library database",
            file_mode(),
        ));
    }
    if shared_now {
        said.extend(share_recordings(&recordings));
    }
    said
}

/// Whether `dir` is already group-readable (and not open to others).
fn is_shared(dir: &Path) -> bool {
    std::fs::metadata(dir).is_ok_and(|m| m.permissions().mode() & 0o077 == 0o050)
}

fn tighten_one(path: &Path, what: &str, wanted: u32) -> Option<String> {
    let mode = std::fs::symlink_metadata(path).ok()?.permissions().mode() & 0o777;
    if mode & too_open() == 0 {
        return share_one(path, what, mode, wanted);
    }
    let shown = path.display();
    Some(
        match std::fs::set_permissions(path, Permissions::from_mode(wanted)) {
            Ok(()) => format!(
                "{what} {shown} was open to other local users (mode {mode:03o}); \
                 Vigil made it {wanted:03o}"
            ),
            Err(e) => format!(
                "{what} {shown} is open to other local users (mode {mode:03o}) and Vigil \
                 cannot change that ({}): recordings and camera passwords may be read by \
                 others; run: chmod {wanted:o} {shown}",
                io_reason(&e)
            ),
        },
    )
}

/// With group read on, opens a private `path` (mode `mode`) to the group.
fn share_one(path: &Path, what: &str, mode: u32, wanted: u32) -> Option<String> {
    if !group_read() || mode == wanted {
        return None;
    }
    let shown = path.display();
    Some(
        match std::fs::set_permissions(path, Permissions::from_mode(wanted)) {
            Ok(()) => format!(
                "{what} {shown} was {mode:03o}; with group read Vigil made it {wanted:03o} \
                 (its group may read it, others nothing)"
            ),
            Err(e) => format!(
                "{what} {shown} is {mode:03o} and Vigil cannot open it to its group ({}); \
                 run: chmod {wanted:o} {shown}",
                io_reason(&e)
            ),
        },
    )
}

/// Opens the folders and files under `recordings` made before group read was on to the
/// group (0750 / 0640). One sentence saying how many, when any.
fn share_recordings(recordings: &Path) -> Option<String> {
    fn walk(dir: &Path, changed: &mut u64, failed: &mut u64) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let Ok(meta) = entry.metadata() else { continue };
            let path = entry.path();
            let wanted = if meta.is_dir() {
                GROUP_DIR_MODE
            } else if meta.is_file() {
                GROUP_FILE_MODE
            } else {
                continue; // never follow or change a link
            };
            if meta.permissions().mode() & 0o777 != wanted {
                match std::fs::set_permissions(&path, Permissions::from_mode(wanted)) {
                    Ok(()) => *changed += 1,
                    Err(_) => *failed += 1,
                }
            }
            if meta.is_dir() {
                walk(&path, changed, failed);
            }
        }
    }
    let (mut changed, mut failed) = (0, 0);
    walk(recordings, &mut changed, &mut failed);
    match (changed, failed) {
        (0, 0) => None,
        (n, 0) => Some(format!(
            "{n} older recordings and folders in {} were made readable by the group",
            recordings.display()
        )),
        (n, f) => Some(format!(
            "{n} older recordings and folders in {} were made readable by the group; {f} \
             could not be changed (run: chmod -R g+rX,o-rwx {})",
            recordings.display(),
            recordings.display()
        )),
    }
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
