//! Vigil over MQTT: the [`MqttService`] keeps one connection to the broker the library names
//! (re-reading the settings and trigger sources every two seconds and reconnecting when they
//! change), turns messages on trigger sources' topics into events on the bus, publishes
//! availability, per-camera motion and recording states, the event feed, snapshots and
//! Home Assistant discovery, and accepts the `trigger` and `recording/set` commands. It
//! runs on its own thread; recording never waits on it.

mod commands;
pub mod connection;
pub mod discovery;
pub mod publish;
mod session;
pub mod triggers;
mod worker;

use std::path::PathBuf;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crossbeam_channel::Sender;
use serde::Serialize;

use super::EventBus;

/// How often the settings, trigger sources and cameras are re-read from the library.
pub const RELOAD_EVERY: Duration = Duration::from_secs(2);
/// How long stopping may take (publishing `offline`, disconnecting).
const STOP_WITHIN: Duration = Duration::from_secs(5);

/// The broker connection as the status shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MqttStatus {
    /// `mqtt://host:port` (never a password).
    pub broker: String,
    pub connected: bool,
    /// Connected since, UTC µs.
    pub since_us: Option<i64>,
    /// Why the last connection attempt failed, in words ("is unreachable: connection refused").
    pub last_error: Option<String>,
    /// Messages not published because the connection was not keeping up (or was down).
    pub dropped: u64,
}

/// A running camera as MQTT publishes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CameraState {
    pub name: String,
    /// A file is being written.
    pub recording: bool,
}

/// What the MQTT service needs of the host it runs in.
pub trait MqttHost: Send + Sync {
    /// The running cameras (from the latest status snapshot).
    fn cameras(&self) -> Vec<CameraState>;
    /// Pauses or resumes a camera's recording; the running camera follows at once.
    fn set_recording_paused(&self, camera_id: i64, paused: bool) -> Result<(), String>;
    /// The connection's status (`None`: MQTT is off) and its problem line for the host's
    /// problems list (`None`: no problem, or the earlier one is over).
    fn report(&self, status: Option<MqttStatus>, problem: Option<String>);
}

/// The running service; [`MqttService::stop`] publishes `offline` and disconnects.
pub struct MqttService {
    stop: Sender<()>,
    thread: Option<JoinHandle<()>>,
}

impl MqttService {
    /// Starts the service's thread. With no MQTT settings in the library it only watches
    /// for them.
    pub fn start(
        data_dir: PathBuf,
        bus: EventBus,
        host: Arc<dyn MqttHost>,
    ) -> std::io::Result<Self> {
        let (stop, stop_rx) = crossbeam_channel::bounded(1);
        let thread = std::thread::Builder::new()
            .name("mqtt".into())
            .spawn(move || worker::Worker::new(data_dir, bus, host).run(&stop_rx))?;
        Ok(Self {
            stop,
            thread: Some(thread),
        })
    }

    /// Stops: `available` = `offline` is published and the connection closed cleanly,
    /// waiting at most a few seconds.
    pub fn stop(mut self) {
        self.stop_within(STOP_WITHIN);
    }

    fn stop_within(&mut self, within: Duration) {
        let _ = self.stop.try_send(());
        let Some(thread) = self.thread.take() else {
            return;
        };
        let deadline = Instant::now() + within;
        while !thread.is_finished() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        if thread.is_finished() {
            let _ = thread.join();
        } else {
            tracing::warn!("the MQTT service did not stop in time; left to finish");
        }
    }
}

impl Drop for MqttService {
    fn drop(&mut self) {
        self.stop_within(STOP_WITHIN);
    }
}
