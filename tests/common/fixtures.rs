//! Files the object-detection tests read that come from public packages, fetched by
//! `packaging/install-deps.sh test` (never committed): scikit-image's `astronaut.png`
//! (a person) and `coffee.png` (no person), nudenet's YOLOv8n-layout `320n.onnx` (AGPL-3.0,
//! used only to test decoding). They live in `$VIGIL_FIXTURE_DIR`, else
//! `~/.cache/vigil/fixtures`.

use std::path::PathBuf;

/// The fixture directory.
pub fn dir() -> PathBuf {
    if let Some(d) = std::env::var_os("VIGIL_FIXTURE_DIR") {
        return PathBuf::from(d);
    }
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default();
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| home.join(".cache"));
    cache.join("vigil").join("fixtures")
}

/// The fixture `name`; panics with what to run when it is missing.
pub fn path(name: &str) -> PathBuf {
    let p = dir().join(name);
    assert!(
        p.is_file(),
        "test fixture {} is missing: run `bash packaging/install-deps.sh test` (make test does)",
        p.display()
    );
    p
}
