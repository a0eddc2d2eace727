//! The MQTT service's thread: re-reads the settings, trigger sources and cameras from the
//! library every two seconds, starts, restarts or stops the session when the settings
//! change, and hands the session what arrives (broker messages, event notices, ticks).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::{never, select, Receiver};

use super::session::{LibCamera, Session};
use super::{MqttHost, RELOAD_EVERY};
use crate::events::feed::EventNotice;
use crate::events::EventBus;
use crate::library::{Library, LibraryError};
use crate::model::mqtt::MqttSettings;
use crate::model::trigger_source::TriggerSource;

/// How often states and hold times are checked.
const TICK: Duration = Duration::from_millis(250);
/// Event notices waiting for the worker; more are lost (counted by the feed).
const NOTICE_CAPACITY: usize = 256;

/// What the library says, as of the last reload.
#[derive(Debug, Clone, Default, PartialEq)]
struct Config {
    settings: Option<MqttSettings>,
    sources: Vec<TriggerSource>,
    cameras: Vec<LibCamera>,
}

pub struct Worker {
    data_dir: PathBuf,
    bus: EventBus,
    host: Arc<dyn MqttHost>,
    lib: Option<Library>,
    config: Config,
    session: Option<Session>,
    notices: Option<Receiver<EventNotice>>,
    /// The settings a session could not be started with (not retried until they change).
    failed: Option<MqttSettings>,
}

impl Worker {
    pub fn new(data_dir: PathBuf, bus: EventBus, host: Arc<dyn MqttHost>) -> Self {
        Self {
            data_dir,
            bus,
            host,
            lib: None,
            config: Config::default(),
            session: None,
            notices: None,
            failed: None,
        }
    }

    pub fn run(mut self, stop: &Receiver<()>) {
        let mut next_reload = Instant::now();
        let mut next_tick = Instant::now();
        loop {
            if Instant::now() >= next_reload {
                next_reload = Instant::now() + RELOAD_EVERY;
                self.reload();
            }
            if Instant::now() >= next_tick {
                next_tick = Instant::now() + TICK;
                if let Some(s) = &mut self.session {
                    s.tick(&self.bus, self.host.as_ref());
                }
            }
            let net = self
                .session
                .as_ref()
                .map_or_else(never, |s| s.events().clone());
            let notices = self.notices.clone().unwrap_or_else(never);
            select! {
                recv(stop) -> _ => break,
                recv(net) -> ev => if let (Ok(ev), Some(s)) = (ev, &mut self.session) {
                    s.on_net(ev, &self.bus, self.host.as_ref());
                },
                recv(notices) -> n => if let (Ok(n), Some(s)) = (n, &mut self.session) {
                    s.on_notice(&n);
                },
                default(TICK) => {}
            }
        }
        self.stop_session();
        self.host.report(None, None);
    }

    /// Re-reads the library; a failure (the database busy) is retried at the next reload.
    fn reload(&mut self) {
        let config = match self.read_config() {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the MQTT settings yet");
                self.lib = None;
                return;
            }
        };
        if config.settings != self.config.settings {
            self.stop_session();
            self.failed = None;
        }
        self.config = config;
        let Some(settings) = self.config.settings.clone() else {
            return;
        };
        if self.session.is_none() && self.failed.as_ref() != Some(&settings) {
            self.start_session(settings);
        }
        if let Some(s) = &mut self.session {
            s.set_config(
                self.config.sources.clone(),
                self.config.cameras.clone(),
                &self.bus,
            );
        }
    }

    fn read_config(&mut self) -> Result<Config, LibraryError> {
        if self.lib.is_none() {
            self.lib = Some(Library::open(&self.data_dir)?);
        }
        let Some(lib) = &self.lib else {
            return Ok(Config::default());
        };
        let settings = lib.mqtt_settings()?;
        if settings.is_none() {
            return Ok(Config::default());
        }
        let mut cameras = Vec::new();
        for c in lib.cameras()? {
            cameras.push(LibCamera {
                id: c.id,
                name: c.name.to_string(),
                display_name: c.display_name.to_string(),
                paused: lib.recording_paused(c.id)?,
            });
        }
        Ok(Config {
            settings,
            sources: lib.trigger_sources(None)?,
            cameras,
        })
    }

    fn start_session(&mut self, settings: MqttSettings) {
        let url = settings.broker.url();
        match Session::start(settings.clone()) {
            Ok(mut s) => {
                tracing::info!(broker = %url, "connecting to the MQTT broker");
                self.notices = Some(self.bus.feed().subscribe(NOTICE_CAPACITY));
                s.report(self.host.as_ref());
                self.session = Some(s);
            }
            Err(e) => {
                tracing::warn!(broker = %url, error = %e, "cannot start the MQTT connection");
                let status = super::MqttStatus {
                    broker: url.clone(),
                    connected: false,
                    since_us: None,
                    last_error: Some(e.to_string()),
                    dropped: 0,
                };
                let problem = format!("MQTT broker {url}: {e}");
                self.host.report(Some(status), Some(problem));
                self.failed = Some(settings);
            }
        }
    }

    fn stop_session(&mut self) {
        self.notices = None;
        if let Some(s) = self.session.take() {
            s.stop(&self.bus);
            self.host.report(None, None);
        }
    }
}
