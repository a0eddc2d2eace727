//! A font file mapped into memory read-only: a 20 MB CJK collection costs no reading at
//! start-up, only the pages of the glyphs drawn.

use std::fs::File;
use std::os::fd::AsRawFd;
use std::path::Path;

/// The bytes of a file, mapped for the life of this value.
pub struct Mapped {
    ptr: *const u8,
    len: usize,
}

// SAFETY: the mapping is read-only and private; the pointer is never written through.
unsafe impl Send for Mapped {}
// SAFETY: as above: shared reads of immutable memory.
unsafe impl Sync for Mapped {}

impl Mapped {
    pub fn open(path: &Path) -> std::io::Result<Mapped> {
        let file = File::open(path)?;
        let len = usize::try_from(file.metadata()?.len())
            .map_err(|_| std::io::Error::other("file too large"))?; // i18n-ignore: logged
        if len == 0 {
            return Err(std::io::Error::other("empty file")); // i18n-ignore: logged
        }
        // SAFETY: a fresh read-only private mapping of an open file; checked for failure.
        let ptr = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ,
                libc::MAP_PRIVATE,
                file.as_raw_fd(),
                0,
            )
        };
        if ptr == libc::MAP_FAILED {
            return Err(std::io::Error::last_os_error());
        }
        Ok(Mapped {
            ptr: ptr.cast(),
            len,
        })
    }
}

impl AsRef<[u8]> for Mapped {
    fn as_ref(&self) -> &[u8] {
        // SAFETY: `ptr` maps `len` readable bytes until `drop`.
        unsafe { std::slice::from_raw_parts(self.ptr, self.len) }
    }
}

impl Drop for Mapped {
    fn drop(&mut self) {
        // SAFETY: unmaps exactly the mapping made in `open`, once.
        unsafe {
            libc::munmap(self.ptr as *mut libc::c_void, self.len);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mapped_file_reads_as_its_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, b"OTTO font").unwrap();
        assert_eq!(Mapped::open(&path).unwrap().as_ref(), b"OTTO font");
        std::fs::write(&path, b"").unwrap();
        assert!(Mapped::open(&path).is_err());
    }
}
