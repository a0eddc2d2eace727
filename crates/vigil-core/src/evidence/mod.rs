//! Evidence: what lets a third party check that footage is what the cameras recorded. The
//! installation's signing key lives here (`key`); the segment hash chain, signed export
//! manifests and their verification build on it.

pub mod integrity;
pub mod key;

pub use key::{InstallationKey, KeyError};
