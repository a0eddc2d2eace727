//! One recorder per data directory: an exclusive `flock` on `<data-dir>/vigil.lock`,
//! released by the kernel when the process exits, even after kill -9.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::fd::AsRawFd;
use std::path::Path;

use super::{io_reason, LibraryError};

/// Held while this process records into the data directory.
#[derive(Debug)]
pub struct RecorderLock {
    _file: File,
}

impl RecorderLock {
    /// Takes the lock, or says which process holds it.
    pub fn acquire(data_dir: &Path) -> Result<Self, LibraryError> {
        let path = data_dir.join("vigil.lock");
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| LibraryError::DataDir {
                path: data_dir.to_path_buf(),
                reason: format!("cannot open {}: {}", path.display(), io_reason(&e)),
            })?;
        // SAFETY: flock on a valid, open file descriptor owned by `file`.
        let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
        if rc != 0 {
            let mut holder = String::new();
            let _ = file.read_to_string(&mut holder);
            let holder = holder.trim();
            let who = if holder.is_empty() {
                String::new()
            } else {
                format!(" (pid {holder})")
            };
            return Err(LibraryError::DataDir {
                path: data_dir.to_path_buf(),
                reason: format!("another Vigil is already recording into it{who}"),
            });
        }
        let _ = file.set_len(0);
        let _ = file.seek(SeekFrom::Start(0));
        let _ = write!(file, "{}", std::process::id());
        let _ = file.flush();
        Ok(Self { _file: file })
    }
}
