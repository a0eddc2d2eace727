//! Where an export may go. Only a regular file (or nothing) may be at the target: a folder,
//! device, pipe or socket — or a link to one — is refused with a sentence, never renamed
//! over. The file is written as a temporary file in the target's folder, created with an
//! unpredictable name and `O_CREAT | O_EXCL | O_NOFOLLOW` (a link planted there is never
//! followed), written and read back through this process's own descriptor, synced and
//! renamed into place only when complete (without `overwrite`, a rename that never
//! replaces); removed if the export fails or is cancelled.

use std::fs::{FileType, OpenOptions};
use std::io::ErrorKind;
use std::os::fd::AsRawFd;
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use super::ExportError;
use crate::library::io_reason;

/// Checks what is at `path` now: nothing, or a regular file (or a link to one, or a dangling
/// link: the rename replaces the link itself) that may be replaced when `overwrite`.
pub(crate) fn check_target(path: &Path, overwrite: bool) -> Result<(), ExportError> {
    let fail = |e: std::io::Error| ExportError::Output {
        path: path.to_path_buf(),
        reason: io_reason(&e),
    };
    let entry = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(fail(e)),
    };
    if entry.file_type().is_symlink() {
        match std::fs::metadata(path) {
            Ok(m) => refuse_unless_file(path, m.file_type(), "a link to ")?,
            Err(e) if e.kind() == ErrorKind::NotFound => {}
            Err(e) => return Err(fail(e)),
        }
    } else {
        refuse_unless_file(path, entry.file_type(), "")?;
    }
    if overwrite {
        Ok(())
    } else {
        Err(ExportError::Exists(path.to_path_buf()))
    }
}

fn refuse_unless_file(path: &Path, kind: FileType, link: &str) -> Result<(), ExportError> {
    let what = if kind.is_file() {
        return Ok(());
    } else if kind.is_dir() {
        "a folder"
    } else if kind.is_char_device() || kind.is_block_device() {
        "a device"
    } else if kind.is_fifo() {
        "a pipe (FIFO)"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    };
    Err(ExportError::NotAFile {
        path: path.to_path_buf(),
        what: format!("{link}{what}"),
    })
}

/// The export being written: a temporary file beside the target, removed when dropped
/// unless persisted.
pub(crate) struct TempOutput {
    file: NamedTempFile,
}

/// Random characters in the temporary name (62 possibilities each).
const RANDOM_CHARS: usize = 16;

impl TempOutput {
    /// Creates `.NAME.XXXXXXXXXXXXXXXX.vigil-export.part` in the target's folder.
    pub fn create(target: &Path) -> Result<Self, ExportError> {
        let fail = |reason: String| ExportError::Output {
            path: target.to_path_buf(),
            reason,
        };
        let name = target
            .file_name()
            .ok_or_else(|| fail("it does not name a file".into()))?
            .to_string_lossy();
        let dir = target
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let prefix = format!(".{}.", shortened(&name, 120));
        let file = tempfile::Builder::new()
            .prefix(&prefix)
            .suffix(".vigil-export.part")
            .rand_bytes(RANDOM_CHARS)
            .make_in(dir, open_new)
            .map_err(|e| match e.kind() {
                ErrorKind::NotFound => fail("its folder does not exist".into()),
                ErrorKind::NotADirectory => fail("a part of the path is not a folder".into()),
                _ => fail(io_reason(&e)),
            })?;
        Ok(Self { file })
    }

    /// The temporary file's own name.
    pub fn path(&self) -> &Path {
        self.file.path()
    }

    /// The name FFmpeg opens to write and read back the file: this process's descriptor of
    /// it (`/proc/self/fd/N`), so a name swapped meanwhile is never followed; the file's own
    /// name where `/proc` is not mounted.
    pub fn url(&self) -> PathBuf {
        let fd = PathBuf::from(format!("/proc/self/fd/{}", self.file.as_file().as_raw_fd()));
        if fd.exists() {
            fd
        } else {
            self.path().to_path_buf()
        }
    }

    /// Syncs the file, renames it to `target` (replacing a regular file there only when
    /// `overwrite`, checked again just before), syncs the folder. Returns the size.
    pub fn persist(self, target: &Path, overwrite: bool) -> Result<u64, ExportError> {
        let fail = |e: std::io::Error| ExportError::Output {
            path: target.to_path_buf(),
            reason: io_reason(&e),
        };
        let file = self.file.as_file();
        file.sync_all().map_err(fail)?;
        let bytes = file.metadata().map_err(fail)?.len();
        let persisted = if overwrite {
            check_target(target, true)?;
            self.file.persist(target)
        } else {
            self.file.persist_noclobber(target)
        };
        match persisted {
            Ok(_) => {}
            Err(e) if e.error.kind() == ErrorKind::AlreadyExists => {
                return Err(ExportError::Exists(target.to_path_buf()));
            }
            Err(e) => return Err(fail(e.error)),
        }
        let dir = target.parent().filter(|d| !d.as_os_str().is_empty());
        if let Ok(d) = std::fs::File::open(dir.unwrap_or(Path::new("."))) {
            let _ = d.sync_all();
        }
        Ok(bytes)
    }
}

/// Creates a new file at `path`: fails if anything (a link included) is already there; mode
/// 0666 less the umask, like any file a program saves.
fn open_new(path: &Path) -> std::io::Result<std::fs::File> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .mode(0o666)
        .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
        .open(path)
}

/// At most `max` bytes of `name`, cut at a character boundary (file names have a length
/// limit, and the temporary name adds to it).
fn shortened(name: &str, max: usize) -> &str {
    let mut end = name.len().min(max);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    &name[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_nothing_or_a_regular_file_may_be_the_target() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("a.mp4");
        assert!(check_target(&file, false).is_ok(), "nothing there yet");
        std::fs::write(&file, b"old").expect("write");
        assert!(matches!(
            check_target(&file, false),
            Err(ExportError::Exists(_))
        ));
        assert!(check_target(&file, true).is_ok());
        let err = check_target(dir.path(), true).expect_err("a folder");
        assert!(err.to_string().contains("is a folder"), "{err}");
        let link = dir.path().join("null.mp4");
        std::os::unix::fs::symlink("/dev/null", &link).expect("symlink");
        let err = check_target(&link, true).expect_err("a link to a device");
        assert!(err.to_string().contains("a link to a device"), "{err}");
        let dangling = dir.path().join("gone.mp4");
        std::os::unix::fs::symlink(dir.path().join("nowhere"), &dangling).expect("symlink");
        assert!(check_target(&dangling, true).is_ok());
    }

    #[test]
    fn temporary_names_are_unpredictable_and_never_follow_a_planted_link() {
        let dir = tempfile::tempdir().expect("temp dir");
        let target = dir.path().join("clip.mp4");
        let a = TempOutput::create(&target).expect("temp");
        let b = TempOutput::create(&target).expect("temp");
        assert_ne!(a.path(), b.path());
        let name = a.path().file_name().expect("name").to_string_lossy();
        assert!(name.starts_with(".clip.mp4.") && name.ends_with(".vigil-export.part"));
        assert_eq!(
            name.len(),
            ".clip.mp4.".len() + RANDOM_CHARS + ".vigil-export.part".len()
        );
        // The same name taken by a link (to a file that must stay untouched) is not opened.
        let victim = dir.path().join("victim");
        std::fs::write(&victim, b"keep me").expect("write");
        let planted = dir.path().join("planted");
        std::os::unix::fs::symlink(&victim, &planted).expect("symlink");
        let err = open_new(&planted).expect_err("a planted link is not opened");
        assert_eq!(err.kind(), ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(&victim).expect("read"), b"keep me");
        drop((a, b));
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .expect("list")
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with(".part"))
            .collect();
        assert!(left.is_empty(), "temporary files removed when dropped");
    }

    #[test]
    fn long_names_are_cut_at_a_character_boundary() {
        assert_eq!(shortened("abc", 120), "abc");
        assert_eq!(shortened("aé", 2), "a");
    }
}
