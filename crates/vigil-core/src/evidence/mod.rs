//! Evidence: what lets a third party check that footage is what the cameras recorded. The
//! installation's signing key lives here (`key`); the segment hash chain, signed export
//! manifests (`manifest`) and their verification (`verify`) build on it.

pub mod digest;
pub mod key;
pub mod manifest;
pub mod verify;

pub use key::{InstallationKey, KeyError};
pub use manifest::{ManifestError, Provenance, Sealed, SignedManifest};
pub use verify::{Outcome, Problem, TrustedKey, Verdict};
