//! The host: the one owner of a running engine, for every front end (`vigil run`, the
//! desktop app, the web viewer next). It runs the engine on its own thread, picks up cameras
//! changed by other `vigil` commands every two seconds, publishes the status snapshot and
//! change notices ([`notice`]) (and, for viewers in other processes, `status.json`:
//! [`status_file`]), and starts and stops the optional servers ([`servers`]: the
//! trigger API and the web viewer). A front end reads the latest snapshot and live pictures and sends
//! commands; it never waits on the library, the disk or a camera stopping.

mod mqtt;
pub mod notice;
pub mod options;
pub mod servers;
mod service;
mod status_file;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender};

use crate::engine::{Engine, EngineError, EngineOptions, EngineStatus};
use crate::live::{LiveHub, Repaint};
use crate::service::Archive;
use crate::service::ConfigStore;
use notice::Subscribers;
pub use notice::{Changes, HostNotice, Waker};
pub use options::{HostError, HostOptions, DEFAULT_API_ADDR};
use servers::{ServerContext, Servers};
use status_file::StatusFile;

/// How often the status snapshot is refreshed.
const STATUS_EVERY: Duration = Duration::from_millis(250);
/// How often the running cameras are brought in line with the library.
const RELOAD_EVERY: Duration = Duration::from_secs(2);
/// Engine-level problems kept for [`EngineHost::problems`].
const KEEP_PROBLEMS: usize = 20;

enum Command {
    ApplyConfig,
    Shutdown,
}

/// What the host thread publishes for the front ends.
#[derive(Default)]
struct HostSnapshot {
    status: Arc<EngineStatus>,
    /// Engine-level problems (not a camera's), newest last.
    problems: Vec<String>,
    repaint: Option<Repaint>,
    /// The MQTT connection's status and its current problem line (see [`mqtt`]).
    mqtt: Option<crate::events::mqtt::MqttStatus>,
    mqtt_problem: Option<String>,
}

#[derive(Default)]
struct HostShared {
    published: Mutex<HostSnapshot>,
    subscribers: Subscribers,
}

impl HostShared {
    fn lock(&self) -> MutexGuard<'_, HostSnapshot> {
        self.published.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The host's status for servers, which run on their own threads: the latest snapshot,
/// engine-level problems and change notices. Cheap to clone.
#[derive(Clone)]
pub struct StatusFeed(Arc<HostShared>);

impl StatusFeed {
    /// The latest status snapshot (refreshed four times a second).
    pub fn latest(&self) -> Arc<EngineStatus> {
        Arc::clone(&self.0.lock().status)
    }

    /// Engine-level problems, newest last.
    pub fn problems(&self) -> Vec<String> {
        self.0.lock().problems.clone()
    }

    /// A new subscription to the host's notices (see [`EngineHost::changes`]).
    pub fn changes(&self) -> Changes {
        self.0.subscribers.subscribe()
    }
}

impl crate::service::StatusSource for StatusFeed {
    fn latest(&self) -> Arc<EngineStatus> {
        StatusFeed::latest(self)
    }

    fn problems(&self) -> Vec<String> {
        StatusFeed::problems(self)
    }
}

pub struct EngineHost {
    shared: Arc<HostShared>,
    live: LiveHub,
    data_dir: PathBuf,
    min_free_bytes: Option<u64>,
    config: ConfigStore,
    archive: Archive,
    commands: Sender<Command>,
    thread: Option<JoinHandle<()>>,
    servers: Option<Servers>,
    /// Writes the status for viewers in other processes (`status.json`).
    status_file: Option<StatusFile>,
}

impl EngineHost {
    /// Starts the engine alone, no servers (see [`EngineHost::start_with`]).
    pub fn start(opts: EngineOptions) -> Result<Self, EngineError> {
        Self::host(Engine::start(opts)?)
    }

    /// Starts the engine (taking the data directory's recorder lock, so this fails at once
    /// if another `vigil` records there), hands it to the host thread, then starts the
    /// servers `opts` asks for. If a server cannot start, the engine is stopped cleanly
    /// (open segments finished and indexed) before the error is returned.
    pub fn start_with(opts: HostOptions) -> Result<Self, HostError> {
        let engine = Engine::start(opts.engine.clone())?;
        let bus = engine.bus();
        let mut host = Self::host(engine)?;
        let ctx = ServerContext {
            data_dir: host.data_dir.clone(),
            bus,
            live: host.live.clone(),
            status: StatusFeed(Arc::clone(&host.shared)),
            config: host.config.clone(),
        };
        host.servers = Some(Servers::start(&opts, &ctx)?);
        Ok(host)
    }

    fn host(engine: Engine) -> Result<Self, EngineError> {
        let shared = Arc::new(HostShared::default());
        shared.lock().status = Arc::new(engine.status());
        let live = engine.live();
        let data_dir = engine.data_dir().to_path_buf();
        let min_free_bytes = engine.min_free_bytes();
        let (commands, rx) = crossbeam_channel::bounded(16);
        let apply = commands.clone();
        let on_change = Arc::new(move || {
            let _ = apply.try_send(Command::ApplyConfig);
        });
        let stores = ConfigStore::open(&data_dir, on_change)
            .and_then(|config| Ok((config, Archive::open(&data_dir)?)));
        let (config, archive) = match stores {
            Ok(stores) => stores,
            Err(e) => {
                engine.shutdown();
                return Err(e.into());
            }
        };
        let thread_shared = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("engine-host".into())
            .spawn(move || host_loop(engine, &rx, &thread_shared))?;
        // Viewers do without it (they show the cameras as stopped): never fatal.
        let feed = StatusFeed(Arc::clone(&shared));
        let status_file = StatusFile::start(data_dir.clone(), feed)
            .inspect_err(|e| tracing::warn!(error = %e, "cannot start the status file writer"))
            .ok();
        Ok(Self {
            shared,
            live,
            data_dir,
            min_free_bytes,
            config,
            archive,
            commands,
            thread: Some(thread),
            servers: None,
            status_file,
        })
    }

    /// The latest status snapshot (refreshed four times a second).
    pub fn status(&self) -> Arc<EngineStatus> {
        Arc::clone(&self.shared.lock().status)
    }

    /// Engine-level problems (a configuration that could not be applied), newest last.
    pub fn problems(&self) -> Vec<String> {
        self.shared.lock().problems.clone()
    }

    /// A new subscription to what the host does: status changes, configuration reloads that
    /// changed something, problems. Each subscriber gets every notice once; a subscriber
    /// that reads slowly gets them coalesced and never slows the host (see [`notice`]).
    pub fn changes(&self) -> Changes {
        self.shared.subscribers.subscribe()
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

    /// The free space retention keeps on the data disk, bytes, as of the start; `None` when
    /// the disk's size could not be read.
    pub fn min_free_bytes(&self) -> Option<u64> {
        self.min_free_bytes
    }

    /// Where the trigger API listens, when the host was asked to serve it.
    pub fn api_addr(&self) -> Option<SocketAddr> {
        self.servers.as_ref().and_then(Servers::api_addr)
    }

    /// The line telling where the web viewer is (and its certificate's SHA-256), when the
    /// host was asked to serve it.
    pub fn web_announcement(&self) -> Option<String> {
        self.servers.as_ref().and_then(Servers::web_announcement)
    }

    /// Called whenever the status snapshot changes (e.g. the GUI's `request_repaint`).
    pub fn set_repaint(&self, repaint: Repaint) {
        self.shared.lock().repaint = Some(repaint);
    }

    /// Asks the engine to pick up camera, policy and zone changes from the library now.
    pub fn apply_config(&self) {
        let _ = self.commands.try_send(Command::ApplyConfig);
    }

    /// Stops everything and waits: the servers' address files are withdrawn, the engine
    /// stops every camera (finishing and indexing open segments), `status.json` is removed,
    /// then the servers stop. Returns the last status taken before the engine stopped.
    pub fn shutdown(mut self) -> Arc<EngineStatus> {
        self.stop_and_wait();
        self.status()
    }

    fn stop_and_wait(&mut self) {
        if let Some(servers) = &mut self.servers {
            servers.withdraw();
        }
        if let Some(t) = self.thread.take() {
            let _ = self.commands.send(Command::Shutdown);
            let _ = t.join();
        }
        // Viewers see the cameras' states while they stop; then the file goes.
        if let Some(mut file) = self.status_file.take() {
            file.stop();
        }
        if let Some(servers) = self.servers.take() {
            servers.stop();
        }
    }
}

impl Drop for EngineHost {
    fn drop(&mut self) {
        self.stop_and_wait();
    }
}

fn host_loop(mut engine: Engine, commands: &Receiver<Command>, shared: &HostShared) {
    let mut next_reload = Instant::now() + RELOAD_EVERY;
    loop {
        let reload = match commands.recv_timeout(STATUS_EVERY) {
            Ok(Command::Shutdown) | Err(RecvTimeoutError::Disconnected) => break,
            Ok(Command::ApplyConfig) => true,
            Err(RecvTimeoutError::Timeout) => Instant::now() >= next_reload,
        };
        if reload {
            next_reload = Instant::now() + RELOAD_EVERY;
            reload_config(&mut engine, shared);
        }
        publish_status(&engine, shared);
    }
    // The status the front end sees last is the one from just before the cameras stopped.
    publish_status(&engine, shared);
    engine.shutdown();
}

/// Brings the cameras in line with the library; a failure (the database busy, say) is
/// noted and retried at the next reload, never fatal.
fn reload_config(engine: &mut Engine, shared: &HostShared) {
    match engine.apply_config() {
        Ok(changes) if changes.is_empty() => {}
        Ok(changes) => shared
            .subscribers
            .publish(&HostNotice::ConfigApplied(changes)),
        Err(e) => {
            tracing::warn!(error = %e, "cannot apply the camera configuration yet");
            note_problem(
                shared,
                format!("cannot apply the camera configuration: {e}"),
            );
        }
    }
}

fn publish_status(engine: &Engine, shared: &HostShared) {
    let mut status = engine.status();
    let mut published = shared.lock();
    status.mqtt = published.mqtt.clone();
    if *published.status == status {
        return;
    }
    published.status = Arc::new(status);
    let repaint = published.repaint.clone();
    drop(published);
    shared.subscribers.publish(&HostNotice::StatusChanged);
    if let Some(repaint) = repaint {
        repaint();
    }
}

/// Keeps the last few engine-level problems, without repeating the latest.
fn note_problem(shared: &HostShared, problem: String) {
    let mut published = shared.lock();
    if published.problems.last() == Some(&problem) {
        return;
    }
    published.problems.push(problem.clone());
    let excess = published.problems.len().saturating_sub(KEEP_PROBLEMS);
    published.problems.drain(..excess);
    drop(published);
    shared.subscribers.publish(&HostNotice::Problem(problem));
}

/// Replaces the problem line `old` (if still listed) with `new` (if any): a problem that
/// changes its wording or is over (a broker reachable again) does not stay behind.
fn replace_problem(shared: &HostShared, old: Option<&str>, new: Option<String>) {
    if let Some(old) = old {
        shared.lock().problems.retain(|p| p != old);
    }
    if let Some(new) = new {
        note_problem(shared, new);
    }
}
