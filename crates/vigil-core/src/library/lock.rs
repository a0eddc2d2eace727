//! One recorder per data directory: an exclusive `flock` on `<data-dir>/vigil.lock`,
//! released by the kernel when the process exits, even after kill -9; and [`holder`], which
//! says which recorder holds it (pid, user, whether it is the system service) from a
//! read-only look that never disturbs it.

use std::fs::{File, OpenOptions, Permissions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::fd::AsRawFd;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use super::{io_reason, perms, LibraryError};

/// The lock file's name in the data directory.
pub const LOCK_FILE: &str = "vigil.lock";

/// Where the system recorder (the `vigil` service of the Debian package) keeps its library.
pub const SYSTEM_DATA_DIR: &str = "/var/lib/vigil";

/// Overrides [`SYSTEM_DATA_DIR`] (tests point it at a temporary directory).
pub const SYSTEM_DATA_DIR_ENV: &str = "VIGIL_SYSTEM_DATA_DIR";

/// The system recorder's data directory: `$VIGIL_SYSTEM_DATA_DIR`, else `/var/lib/vigil`.
pub fn system_data_dir() -> PathBuf {
    std::env::var_os(SYSTEM_DATA_DIR_ENV)
        .filter(|v| !v.is_empty())
        .map_or_else(|| PathBuf::from(SYSTEM_DATA_DIR), PathBuf::from)
}

/// Held while this process records into the data directory.
#[derive(Debug)]
pub struct RecorderLock {
    _file: File,
}

impl RecorderLock {
    /// Takes the lock, or says which process holds it.
    pub fn acquire(data_dir: &Path) -> Result<Self, LibraryError> {
        let path = data_dir.join(LOCK_FILE);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(perms::file_mode())
            .open(&path)
            .map_err(|e| LibraryError::DataDir {
                path: data_dir.to_path_buf(),
                reason: format!("cannot open {}: {}", path.display(), io_reason(&e)),
            })?;
        // SAFETY: flock on a valid, open file descriptor owned by `file`.
        let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
        if rc != 0 {
            let who = read_pid(&mut file).map_or_else(String::new, |p| format!(" (pid {p})"));
            return Err(LibraryError::DataDir {
                path: data_dir.to_path_buf(),
                reason: format!("another Vigil is already recording into it{who}"),
            });
        }
        // Ours now: whatever mode an older Vigil left it with, it follows this one's.
        let _ = file.set_permissions(Permissions::from_mode(perms::file_mode()));
        let _ = file.set_len(0);
        let _ = file.seek(SeekFrom::Start(0));
        let _ = write!(file, "{}", std::process::id());
        let _ = file.flush();
        Ok(Self { _file: file })
    }
}

/// The recorder holding a data directory's lock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockHolder {
    /// Its process id, as it wrote it into the lock file (none if it was not written yet).
    pub pid: Option<u32>,
    /// The user it runs as (from `/proc/<pid>`, else the lock file's owner), by name when
    /// the system knows it, else `uid N`.
    pub user: Option<String>,
    /// It is the system service: it records into the system data directory, or runs in
    /// the `vigil.service` unit.
    pub service: bool,
    /// The data directory it records into.
    pub data_dir: PathBuf,
}

/// Who holds `data_dir`'s recorder lock, or `None` when nobody does (or the lock file
/// cannot be read). Needs only read access to the lock file. Its probe is a shared,
/// non-blocking `flock` released at once: a running recorder never notices it (only a
/// recorder starting in that same instant would be told the directory is in use).
pub fn holder(data_dir: &Path) -> Option<LockHolder> {
    let mut file = File::open(data_dir.join(LOCK_FILE)).ok()?;
    // SAFETY: flock on a valid, open file descriptor owned by `file`.
    let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_SH | libc::LOCK_NB) };
    if rc == 0 {
        // SAFETY: as above; releases the probe at once.
        unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_UN) };
        return None;
    }
    if std::io::Error::last_os_error().raw_os_error() != Some(libc::EWOULDBLOCK) {
        return None;
    }
    let pid = read_pid(&mut file);
    let uid = pid
        .and_then(process_uid)
        .or_else(|| file.metadata().ok().map(|m| m.uid()));
    let data_dir = data_dir
        .canonicalize()
        .unwrap_or_else(|_| data_dir.to_path_buf());
    let system = system_data_dir().canonicalize().ok();
    let service =
        system.as_deref() == Some(data_dir.as_path()) || pid.is_some_and(runs_in_service_unit);
    Some(LockHolder {
        pid,
        user: uid.map(user_name),
        service,
        data_dir,
    })
}

fn read_pid(file: &mut File) -> Option<u32> {
    let mut text = String::new();
    file.seek(SeekFrom::Start(0)).ok()?;
    file.read_to_string(&mut text).ok()?;
    text.trim().parse().ok()
}

/// The effective uid of a running process (none when `/proc` hides it).
fn process_uid(pid: u32) -> Option<u32> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("Uid:"))?;
    line.split_whitespace().nth(2)?.parse().ok()
}

/// Whether the process runs in systemd's `vigil.service` unit.
fn runs_in_service_unit(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/cgroup"))
        .is_ok_and(|c| c.lines().any(|l| l.ends_with("/vigil.service")))
}

/// The user name of `uid`, or `uid N` when the system has none.
fn user_name(uid: u32) -> String {
    let mut buf = vec![0u8; 4096];
    // SAFETY: `pwd` and `buf` outlive the call; getpwuid_r writes only into them.
    let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
    let mut found: *mut libc::passwd = std::ptr::null_mut();
    let rc = unsafe {
        libc::getpwuid_r(
            uid,
            &mut pwd,
            buf.as_mut_ptr().cast(),
            buf.len(),
            &mut found,
        )
    };
    if rc != 0 || found.is_null() || pwd.pw_name.is_null() {
        return format!("uid {uid}");
    }
    // SAFETY: on success `pw_name` points to a NUL-terminated string inside `buf`.
    let name = unsafe { std::ffi::CStr::from_ptr(pwd.pw_name) };
    name.to_string_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holder_names_this_process_while_it_holds_the_lock_and_nobody_after() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(holder(dir.path()), None, "no lock file yet");
        let lock = RecorderLock::acquire(dir.path()).unwrap();
        let held = holder(dir.path()).expect("a holder");
        assert_eq!(held.pid, Some(std::process::id()));
        assert_eq!(
            held.user.as_deref(),
            Some(user_name(unsafe { libc::geteuid() }).as_str())
        );
        assert!(!held.service, "a temporary directory is not the system's");
        // The probe did not disturb the lock: a second recorder is still refused.
        assert!(RecorderLock::acquire(dir.path()).is_err());
        drop(lock);
        assert_eq!(holder(dir.path()), None);
        assert!(RecorderLock::acquire(dir.path()).is_ok());
    }
}
