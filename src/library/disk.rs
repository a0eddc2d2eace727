//! Disk space of the file system holding the data directory.

use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

/// Space on one file system, in bytes. `available` is what an unprivileged writer can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiskSpace {
    pub total: u64,
    pub available: u64,
}

pub fn disk_space(path: &Path) -> std::io::Result<DiskSpace> {
    let c_path = CString::new(path.as_os_str().as_bytes()).map_err(|_| {
        std::io::Error::new(std::io::ErrorKind::InvalidInput, "path has a NUL byte")
    })?;
    // SAFETY: statvfs writes into a zeroed struct we own; c_path is a valid C string.
    let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::statvfs(c_path.as_ptr(), &mut st) };
    if rc != 0 {
        return Err(std::io::Error::last_os_error());
    }
    let frsize = st.f_frsize as u64;
    Ok(DiskSpace {
        total: st.f_blocks as u64 * frsize,
        available: st.f_bavail as u64 * frsize,
    })
}

/// The default free-space floor: 2 % of the disk, at least 512 MiB and at most 20 GiB.
pub fn default_floor(total: u64) -> u64 {
    (total / 50).clamp(512 << 20, 20 << 30)
}
