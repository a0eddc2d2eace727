//! The engine on its own thread, for an interactive front end (the desktop app): the front
//! end reads the latest status snapshot and live pictures and sends commands; it never waits
//! on the library, the disk or a camera stopping. The host picks up cameras changed by other
//! `vigil` commands every two seconds, like `vigil run`.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender};

use super::archive::Archive;
use super::config::ConfigStore;
use super::{Engine, EngineError, EngineOptions, EngineStatus};
use crate::live::{LiveHub, Repaint};

/// How often the status snapshot is refreshed.
const STATUS_EVERY: Duration = Duration::from_millis(250);
/// How often the running cameras are brought in line with the library.
const RELOAD_EVERY: Duration = Duration::from_secs(2);

enum Command {
    ApplyConfig,
    Shutdown,
}

/// What the host thread shares with the front end.
#[derive(Default)]
struct Published {
    status: Arc<EngineStatus>,
    /// Engine-level problems (not a camera's), newest last.
    problems: Vec<String>,
    repaint: Option<Repaint>,
}

pub struct EngineHost {
    shared: Arc<Mutex<Published>>,
    live: LiveHub,
    data_dir: PathBuf,
    config: ConfigStore,
    archive: Archive,
    commands: Sender<Command>,
    thread: Option<JoinHandle<()>>,
}

fn lock(shared: &Mutex<Published>) -> MutexGuard<'_, Published> {
    shared.lock().unwrap_or_else(|p| p.into_inner())
}

impl EngineHost {
    /// Starts the engine (taking the data directory's recorder lock, so this fails at once
    /// if another `vigil` records there) and hands it to a host thread.
    pub fn start(opts: EngineOptions) -> Result<Self, EngineError> {
        let engine = Engine::start(opts)?;
        let shared = Arc::new(Mutex::new(Published {
            status: Arc::new(engine.status()),
            ..Published::default()
        }));
        let live = engine.live();
        let data_dir = engine.data_dir().to_path_buf();
        let (commands, rx) = crossbeam_channel::bounded(16);
        let apply = commands.clone();
        let config = ConfigStore::open(
            &data_dir,
            Arc::new(move || {
                let _ = apply.try_send(Command::ApplyConfig);
            }),
        )?;
        let archive = Archive::open(&data_dir)?;
        let thread_shared = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("engine-host".into())
            .spawn(move || host_loop(engine, &rx, &thread_shared))?;
        Ok(Self {
            shared,
            live,
            data_dir,
            config,
            archive,
            commands,
            thread: Some(thread),
        })
    }

    /// The latest status snapshot (refreshed four times a second).
    pub fn status(&self) -> Arc<EngineStatus> {
        Arc::clone(&lock(&self.shared).status)
    }

    /// Engine-level problems (a configuration that could not be applied), newest last.
    pub fn problems(&self) -> Vec<String> {
        lock(&self.shared).problems.clone()
    }

    pub fn live(&self) -> &LiveHub {
        &self.live
    }

    /// Camera, policy and zone edits; each one is applied to the running engine at once.
    pub fn config(&self) -> &ConfigStore {
        &self.config
    }

    /// Events and recordings: list, thumbnails, protect, delete.
    pub fn archive(&self) -> &Archive {
        &self.archive
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Called whenever the status snapshot changes (e.g. the GUI's `request_repaint`).
    pub fn set_repaint(&self, repaint: Repaint) {
        lock(&self.shared).repaint = Some(repaint);
    }

    /// Asks the engine to pick up camera, policy and zone changes from the library now.
    pub fn apply_config(&self) {
        let _ = self.commands.try_send(Command::ApplyConfig);
    }

    /// Stops every camera, finishing and indexing open segments, and waits.
    pub fn shutdown(mut self) {
        self.stop_and_wait();
    }

    fn stop_and_wait(&mut self) {
        if let Some(t) = self.thread.take() {
            let _ = self.commands.send(Command::Shutdown);
            let _ = t.join();
        }
    }
}

impl Drop for EngineHost {
    fn drop(&mut self) {
        self.stop_and_wait();
    }
}

fn host_loop(mut engine: Engine, commands: &Receiver<Command>, shared: &Mutex<Published>) {
    let mut next_reload = Instant::now() + RELOAD_EVERY;
    loop {
        let reload = match commands.recv_timeout(STATUS_EVERY) {
            Ok(Command::Shutdown) | Err(crossbeam_channel::RecvTimeoutError::Disconnected) => break,
            Ok(Command::ApplyConfig) => true,
            Err(crossbeam_channel::RecvTimeoutError::Timeout) => Instant::now() >= next_reload,
        };
        if reload {
            next_reload = Instant::now() + RELOAD_EVERY;
            if let Err(e) = engine.apply_config() {
                tracing::error!(error = %e, "cannot apply the camera configuration");
                note_problem(
                    shared,
                    format!("cannot apply the camera configuration: {e}"),
                );
            }
        }
        let status = engine.status();
        let mut published = lock(shared);
        if *published.status != status {
            published.status = Arc::new(status);
            if let Some(repaint) = published.repaint.clone() {
                drop(published);
                repaint();
            }
        }
    }
    engine.shutdown();
}

/// Keeps the last few engine-level problems, without repeating the latest.
fn note_problem(shared: &Mutex<Published>, problem: String) {
    const KEEP: usize = 20;
    let mut published = lock(shared);
    if published.problems.last() != Some(&problem) {
        published.problems.push(problem);
        let excess = published.problems.len().saturating_sub(KEEP);
        published.problems.drain(..excess);
    }
}
