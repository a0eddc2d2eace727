//! What a service handle's answer says when it has none: one error type for the engine
//! service API, in words an operator can act on.

use crate::export::ExportError;
use crate::library::LibraryError;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    // Archive and exports (service/archive.rs, service/export.rs).
    /// The archive's library could not answer (a query, a protect, a delete).
    #[error(transparent)]
    Archive(LibraryError),
    /// An export could not be planned or written.
    #[error(transparent)]
    Export(ExportError),
    /// No thread could be started for an archive or export job.
    #[error("cannot start {what}: {reason}")]
    ArchiveJobNotStarted { what: &'static str, reason: String },
    /// An archive or export job ended without an answer (it panicked).
    #[error("{what} stopped unexpectedly")]
    ArchiveJobLost { what: &'static str },
}
