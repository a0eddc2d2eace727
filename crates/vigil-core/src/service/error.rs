//! What can go wrong when a front end asks the engine service for something: one error type
//! for the engine service API, in words an operator can act on.

use crate::export::ExportError;
use crate::library::LibraryError;
use crate::playback::PlaybackError;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    // Recorded video (service/timeline.rs, service/player.rs).
    /// This service has no library (e.g. a status-only test backend).
    #[error("there are no recordings to show here")]
    NoRecordings,
    /// A handle's own thread could not be started.
    #[error("cannot start the {what} thread: {source}")]
    Thread {
        what: &'static str,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Library(#[from] LibraryError),
    #[error(transparent)]
    Playback(#[from] PlaybackError),
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
    /// A motion search was refused (its region or range) or failed.
    #[error(transparent)]
    Search(crate::search::SearchError),
    /// An archive or export job ended without an answer (it panicked).
    #[error("{what} stopped unexpectedly")]
    ArchiveJobLost { what: &'static str },
    // Configuration edits (service/config.rs).
    /// The library refused a configuration change or could not read the configuration.
    #[error(transparent)]
    Config(LibraryError),
    /// No thread could be started for a job (a configuration read or change).
    #[error("cannot start {what}: {reason}")]
    JobNotStarted { what: &'static str, reason: String },
    /// A job ended without an answer (it panicked).
    #[error("{what} stopped unexpectedly")]
    JobLost { what: &'static str },
}
