//! Evidence: what lets a third party check that footage is what the cameras recorded. The
//! installation's signing key is found here (`key`, kept in `library::signing_key` because
//! the library's segment hash chain signs with it); the integrity check (`integrity`),
//! signed export manifests and their verification build on it.

pub mod integrity;
pub mod key;

pub use key::{InstallationKey, KeyError};
