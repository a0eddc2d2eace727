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

/// The default free-space floor: 2 % of the disk, at least 512 MiB and at most 20 GiB —
/// but never more than 10 % of the disk, so a small disk (under 5 GiB) keeps a tenth of
/// itself free instead of a floor as large as the disk (which would delete every recording).
pub fn default_floor(total: u64) -> u64 {
    (total / 50).clamp(512 << 20, 20 << 30).min(total / 10)
}

/// The floor retention keeps on a disk of `total` bytes: `configured` (the operator's
/// `--min-free-gb`, taken as given) or [`default_floor`].
pub fn free_floor(configured: Option<u64>, total: u64) -> u64 {
    configured.unwrap_or_else(|| default_floor(total))
}

/// File name of the space reserve in the data directory.
const RESERVE: &str = ".vigil-reserve";

/// Size of the space reserve: 1 % of the disk, between 64 KiB and 16 MiB.
pub fn reserve_size(total: u64) -> u64 {
    (total / 100).clamp(64 << 10, 16 << 20)
}

/// Keeps a small file of reserved space in the data directory. When the disk fills up,
/// releasing it gives SQLite the room it needs to delete rows, so retention can free space
/// instead of failing on a database that cannot write. Created only when there is room.
pub fn ensure_reserve(root: &Path, size: u64) -> std::io::Result<bool> {
    let path = root.join(RESERVE);
    if std::fs::metadata(&path).is_ok_and(|m| m.len() >= size) {
        return Ok(true);
    }
    if disk_space(root)?.available < size.saturating_mul(2) {
        return Ok(false);
    }
    let f = std::os::unix::fs::OpenOptionsExt::mode(
        std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true),
        super::perms::file_mode(),
    )
    .open(&path)?;
    // Allocate without writing where the file system can (ext4, xfs, tmpfs); else zeros.
    let len = libc::off_t::try_from(size).unwrap_or(libc::off_t::MAX);
    // SAFETY: posix_fallocate on a valid descriptor owned by `f`.
    if unsafe { libc::posix_fallocate(std::os::fd::AsRawFd::as_raw_fd(&f), 0, len) } != 0 {
        write_zeros(&f, size)?;
    }
    f.sync_all()?;
    Ok(true)
}

fn write_zeros(f: &std::fs::File, size: u64) -> std::io::Result<()> {
    let zeros = vec![0u8; 64 << 10];
    let mut left = size;
    let mut w = std::io::BufWriter::new(f);
    while left > 0 {
        let n = left.min(zeros.len() as u64) as usize;
        std::io::Write::write_all(&mut w, &zeros[..n])?;
        left -= n as u64;
    }
    std::io::Write::flush(&mut w)
}

/// Deletes the reserve; true if there was one.
pub fn release_reserve(root: &Path) -> bool {
    std::fs::remove_file(root.join(RESERVE)).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIB: u64 = 1 << 20;
    const GIB: u64 = 1 << 30;

    #[test]
    fn the_default_floor_is_two_percent_between_512_mib_and_20_gib() {
        assert_eq!(default_floor(100 * GIB), 2 * GIB);
        assert_eq!(default_floor(10 * GIB), 512 * MIB);
        assert_eq!(default_floor(4 << 40), 20 * GIB);
    }

    #[test]
    fn the_default_floor_never_exceeds_a_tenth_of_a_small_disk() {
        for total in [
            0,
            1,
            100 * MIB,
            256 * MIB,
            511 * MIB,
            512 * MIB,
            GIB,
            5 * GIB - 1,
        ] {
            let floor = default_floor(total);
            assert!(floor <= total / 10, "{floor} on a disk of {total}");
        }
        assert_eq!(default_floor(256 * MIB), 256 * MIB / 10);
        assert_eq!(default_floor(GIB), GIB / 10);
        // From 5 GiB on, 512 MiB is at most a tenth.
        assert_eq!(default_floor(5 * GIB), 512 * MIB);
    }

    #[test]
    fn a_configured_floor_is_taken_as_given() {
        assert_eq!(free_floor(Some(0), 100 * GIB), 0);
        assert_eq!(free_floor(Some(3 * GIB), GIB), 3 * GIB);
        assert_eq!(free_floor(None, GIB), GIB / 10);
    }
}
