//! Scratch directories for one benchmark run: made fresh inside the work directory under a
//! unique name and removed when dropped, so a run never deletes a directory it did not make.

use std::path::Path;

use tempfile::TempDir;

use crate::BenchError;

/// A new, empty directory `<parent>/<prefix>XXXXXX`, removed when the returned value drops.
pub fn dir(parent: &Path, prefix: &str) -> Result<TempDir, BenchError> {
    std::fs::create_dir_all(parent)
        .map_err(|e| BenchError::io(format!("cannot create {}", parent.display()), e))?;
    tempfile::Builder::new()
        .prefix(prefix)
        .tempdir_in(parent)
        .map_err(|e| {
            BenchError::io(
                format!("cannot make a directory in {}", parent.display()),
                e,
            )
        })
}

/// Moves a cache made in `made` (a [`dir`] beside `dest`) to `dest` in one rename, so `dest`
/// exists only complete. A `dest` already there (left incomplete by an older version) is
/// never removed: the error names it for the user to delete, and where the new one is.
pub fn publish(made: TempDir, dest: &Path) -> Result<(), BenchError> {
    let path = made.keep();
    if dest.exists() {
        return Err(BenchError::Failed(format!(
            "{} is there but incomplete (an interrupted run of an older version): delete it \
             and move {} there, or run the benchmark again",
            dest.display(),
            path.display()
        )));
    }
    std::fs::rename(&path, dest).map_err(|e| {
        BenchError::io(
            format!("cannot move {} to {}", path.display(), dest.display()),
            e,
        )
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_scratch_directory_is_new_and_goes_away_on_drop() {
        let work = tempfile::tempdir().expect("work dir");
        let keep = work.path().join("keep");
        std::fs::create_dir(&keep).expect("a directory of the user's");
        let s = super::dir(work.path(), "keep").expect("scratch");
        let path = s.path().to_path_buf();
        assert_ne!(path, keep, "never an existing directory");
        assert!(path.is_dir());
        drop(s);
        assert!(!path.exists(), "removed on drop");
        assert!(keep.is_dir(), "the other directory is untouched");
    }

    #[test]
    fn a_cache_is_published_whole_and_never_over_an_existing_directory() {
        let work = tempfile::tempdir().expect("work dir");
        let dest = work.path().join("cache-v1");
        let made = super::dir(work.path(), "cache-v1.partial-").expect("scratch");
        std::fs::write(made.path().join("complete"), b"ok").expect("marker");
        super::publish(made, &dest).expect("published");
        assert!(dest.join("complete").is_file(), "moved in one piece");

        let again = super::dir(work.path(), "cache-v1.partial-").expect("scratch");
        let left = again.path().to_path_buf();
        let err = super::publish(again, &dest).expect_err("dest exists");
        assert!(err.to_string().contains("delete it"), "{err}");
        assert!(
            dest.join("complete").is_file(),
            "the existing one is untouched"
        );
        assert!(
            left.is_dir(),
            "the new one is left for the user: {}",
            left.display()
        );
    }
}
