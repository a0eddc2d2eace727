//! Evidence: what lets a third party check that footage is what the cameras recorded. The
//! installation's signing key is found here (`key`, kept in `library::signing_key` because
//! the library's segment hash chain signs with it); the integrity check (`integrity`),
//! signed export manifests (`manifest`) and their verification (`verify`) build on it.

pub mod digest;
pub mod integrity;
pub mod key;
pub mod manifest;
pub mod verify;

pub use key::{InstallationKey, KeyError};
pub use manifest::{ManifestError, Provenance, Sealed, SignedManifest};
pub use verify::{Outcome, Problem, TrustedKey, Verdict};
