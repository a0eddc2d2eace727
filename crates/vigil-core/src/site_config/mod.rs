//! Site configuration backup: `vigil config export` writes what an operator set up in a
//! library (cameras, policies, zones, trigger sources, MQTT, web users) to one versioned JSON
//! document, passwords only when asked and then sealed with a passphrase; `vigil config
//! import` checks a whole document, then applies it in one transaction, all or nothing.
//! Recordings, events, sessions, API tokens, layouts and tours stay behind.

mod apply;
mod check;
mod collect;
pub mod document;
pub mod sealed;

pub use apply::{import, ImportOptions, ImportReport, Passwords};
pub use check::{check, CheckedCamera, CheckedSite, CheckedSource, CheckedUser};
pub use collect::export;
pub use document::{SiteConfig, FORMAT, VERSION};
pub use sealed::{check_passphrase, Secrets};

use crate::library::LibraryError;

/// Why an export or import could not be done, in a sentence.
#[derive(Debug, thiserror::Error)]
pub enum SiteConfigError {
    /// The document (or a part of it) is not acceptable; the message names the problem.
    #[error("{0}")]
    Invalid(String),
    #[error(
        "the passphrase does not open this file's passwords (a wrong passphrase, or the file \
         was changed since it was written); nothing was imported"
    )]
    WrongPassphrase,
    /// Something in the document is already in the library.
    #[error("{0}")]
    Conflict(String),
    #[error("cannot seal the passwords: {0}")]
    Crypto(String),
    #[error(transparent)]
    Library(#[from] LibraryError),
}

#[cfg(test)]
mod tests;
