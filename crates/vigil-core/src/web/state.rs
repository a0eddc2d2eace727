//! What every web request can reach: the engine's parts the host hands the server (live
//! packets, status, event bus, data directory), the archive, the accounts and the login
//! throttle; and how handlers run blocking work and background jobs without stalling the
//! server's async workers.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use http::StatusCode;

use super::accounts::Accounts;
use super::refusal::Refusal;
use super::throttle::Throttle;
use crate::jobs::{Job, JobState, Wake};
use crate::library::{Library, LibraryError};
use crate::service::{Archive, ConfigStore, EventBus, LiveHub, StatusSource};

/// The engine's parts a web server stands on (built by the host from its server context).
#[derive(Clone)]
pub struct WebEngine {
    pub data_dir: PathBuf,
    /// Live packets of every running camera.
    pub live: LiveHub,
    /// The engine's status as the host publishes it.
    pub status: Arc<dyn StatusSource>,
    /// Where triggers reach each camera's recorder.
    pub bus: EventBus,
    /// Cameras, zones and policies (admins change them; the engine applies each change).
    pub config: ConfigStore,
}

/// Failed logins before an account or address must wait, in [`FAILURE_WINDOW`].
pub const MAX_FAILURES: u32 = 5;
pub const FAILURE_WINDOW: Duration = Duration::from_secs(15 * 60);
/// How long an account or address waits after [`MAX_FAILURES`].
pub const BACKOFF: Duration = Duration::from_secs(5 * 60);
/// A browser session ends after this long unused.
pub const SESSION_IDLE: Duration = Duration::from_secs(12 * 3600);

/// The web server's state, shared by every request.
pub struct WebState {
    pub engine: WebEngine,
    /// Events, thumbnails, protect and delete, exports (its own library connection).
    pub archive: Archive,
    accounts: Mutex<Accounts>,
    throttle: Mutex<Throttle>,
    /// Whether the server speaks HTTPS (cookies are `Secure` then).
    pub tls: bool,
    pub session_idle: Duration,
}

pub type Shared = Arc<WebState>;

impl WebState {
    pub fn open(engine: WebEngine, tls: bool) -> Result<Self, LibraryError> {
        let accounts = Accounts::new(Library::open(&engine.data_dir)?);
        Ok(Self {
            archive: Archive::open(&engine.data_dir)?,
            engine,
            accounts: Mutex::new(accounts),
            throttle: Mutex::new(Throttle::new(MAX_FAILURES, FAILURE_WINDOW, BACKOFF)),
            tls,
            session_idle: SESSION_IDLE,
        })
    }

    /// The accounts (blocking: a database; call from [`blocking`] only).
    pub fn accounts(&self) -> MutexGuard<'_, Accounts> {
        self.accounts.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn throttle(&self) -> MutexGuard<'_, Throttle> {
        self.throttle.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Runs `work` (database queries, password hashing, file reads) on the server's blocking
/// threads; a panic or a shutdown answers 500.
pub async fn blocking<T, F>(state: &Shared, work: F) -> Result<T, Refusal>
where
    T: Send + 'static,
    F: FnOnce(&WebState) -> T + Send + 'static,
{
    let state = Arc::clone(state);
    tokio::task::spawn_blocking(move || work(&state))
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "web request's background work failed");
            Refusal::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the server could not finish this request",
            )
        })
}

/// Starts a job (an archive or export call taking a [`Wake`]) and waits for its answer
/// without holding a worker; `None` if the job was lost (its thread could not run).
pub async fn job_answer<T: Send + 'static>(start: impl FnOnce(Wake) -> Job<T>) -> Option<T> {
    let done = Arc::new(tokio::sync::Notify::new());
    let notify = Arc::clone(&done);
    let mut job = start(Arc::new(move || notify.notify_one()));
    loop {
        match job.poll() {
            JobState::Done(v) => return Some(v),
            JobState::Lost => return None,
            // notify_one stores a permit, so a wake between poll and here is not missed.
            JobState::Running => done.notified().await,
        }
    }
}

/// An engine with no cameras over `data_dir`, for the web module's unit tests.
#[cfg(test)]
pub fn test_engine(data_dir: &std::path::Path) -> WebEngine {
    struct NoCameras;
    impl StatusSource for NoCameras {
        fn latest(&self) -> Arc<crate::service::EngineStatus> {
            Arc::default()
        }
        fn problems(&self) -> Vec<String> {
            Vec::new()
        }
    }
    WebEngine {
        data_dir: data_dir.to_path_buf(),
        live: LiveHub::new(),
        status: Arc::new(NoCameras),
        bus: EventBus::default(),
        config: ConfigStore::open(data_dir, Arc::new(|| {})).expect("a test library opens"),
    }
}
