//! What can go wrong when a front end asks the engine service for something, in words.

use crate::library::LibraryError;
use crate::playback::PlaybackError;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
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
}
