//! The optional servers the host starts beside the engine and stops after it: the trigger
//! API, the web viewer, and the MQTT service (always; it connects when the library has MQTT
//! settings); ONVIF goes here next.
//!
//! Adding a server: give [`super::HostOptions`] an `Option` for it (its address or its
//! settings; `None` = off), give [`Servers`] a field for the running server, start it in
//! [`Servers::start`] from what [`ServerContext`] hands out (stopping the ones already
//! started if it fails, so a half-started host never outlives its error), withdraw whatever
//! it advertised in [`Servers::withdraw`], and stop it, bounded, in [`Servers::stop`]. The
//! host calls `start` once the engine runs, and at shutdown `withdraw`, then stops the
//! engine (open segments finished and indexed), then `stop`: a client stuck in a server can
//! never delay the recordings.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::options::{HostError, HostOptions};
use super::StatusFeed;
use crate::events::client::{addr_path, load_or_create_token, remove_addr, write_addr};
use crate::events::http::ApiServer;
use crate::events::mqtt::MqttService;
use crate::events::EventBus;
use crate::live::LiveHub;
use crate::service::ConfigStore;
use crate::web::server::WebServer;
use crate::web::WebEngine;

/// What the host hands a server: where the data lives and the engine's shared parts.
#[derive(Clone)]
pub struct ServerContext {
    pub data_dir: PathBuf,
    /// Where triggers (and later MQTT or ONVIF events) reach each camera's recorder.
    pub bus: EventBus,
    /// Live pictures and packets of every running camera.
    pub live: LiveHub,
    /// The engine's status as the host publishes it.
    pub status: StatusFeed,
    /// Cameras, zones and policies; a change is applied to the running engine at once.
    pub config: ConfigStore,
}

/// The servers that are running.
#[derive(Default)]
pub struct Servers {
    data_dir: PathBuf,
    api: Option<ApiServer>,
    web: Option<WebServer>,
    mqtt: Option<MqttService>,
}

impl Servers {
    /// Starts every server `opts` asks for; on an error the ones started are stopped again.
    pub fn start(opts: &HostOptions, ctx: &ServerContext) -> Result<Self, HostError> {
        let mut servers = Self {
            data_dir: ctx.data_dir.clone(),
            api: None,
            web: None,
            mqtt: None,
        };
        if let Err(e) = servers.start_each(opts, ctx) {
            servers.withdraw();
            servers.stop();
            return Err(e);
        }
        Ok(servers)
    }

    fn start_each(&mut self, opts: &HostOptions, ctx: &ServerContext) -> Result<(), HostError> {
        if let Some(addr) = &opts.api {
            self.api = Some(start_api(addr, ctx)?);
        }
        if let Some(web) = &opts.web {
            self.web = Some(WebServer::start(web, web_engine(ctx))?);
        }
        let mqtt = super::mqtt::start(
            &ctx.data_dir,
            ctx.bus.clone(),
            ctx.status.clone(),
            ctx.config.clone(),
        );
        self.mqtt = Some(mqtt.map_err(HostError::Mqtt)?);
        Ok(())
    }

    /// Where the trigger API listens, when it runs.
    pub fn api_addr(&self) -> Option<SocketAddr> {
        self.api.as_ref().map(ApiServer::addr)
    }

    /// Where the web viewer is and its certificate's fingerprint, when it runs (a line for
    /// the user).
    pub fn web_announcement(&self) -> Option<String> {
        self.web.as_ref().map(WebServer::announcement)
    }

    /// Takes back what the servers advertised (the API's address file), so other `vigil`
    /// commands stop finding this instance; the servers keep running until [`Self::stop`].
    /// (The web viewer advertises nothing.) MQTT stops here, while the cameras still run:
    /// its trigger events end, and `available` = `offline` is published.
    pub fn withdraw(&mut self) {
        if self.api.is_some() {
            remove_addr(&self.data_dir);
        }
        if let Some(mqtt) = self.mqtt.take() {
            mqtt.stop();
        }
    }

    /// Stops every server; each stop is bounded (a request in flight gets a moment).
    pub fn stop(self) {
        if let Some(api) = self.api {
            api.stop();
        }
        if let Some(web) = self.web {
            web.stop();
        }
    }
}

/// The engine's parts the web viewer stands on.
fn web_engine(ctx: &ServerContext) -> WebEngine {
    WebEngine {
        data_dir: ctx.data_dir.clone(),
        live: ctx.live.clone(),
        status: Arc::new(ctx.status.clone()),
        bus: ctx.bus.clone(),
        config: ctx.config.clone(),
    }
}

/// Starts the trigger API and records its address for `vigil trigger`.
fn start_api(addr: &str, ctx: &ServerContext) -> Result<ApiServer, HostError> {
    let token = load_or_create_token(&ctx.data_dir)?;
    let server = ApiServer::start(addr, token, ctx.bus.clone())?;
    if let Err(e) = write_addr(&ctx.data_dir, &server.addr().to_string()) {
        server.stop();
        return Err(addr_file_error(&ctx.data_dir, &e));
    }
    Ok(server)
}

fn addr_file_error(data_dir: &Path, e: &std::io::Error) -> HostError {
    HostError::AddrFile {
        path: addr_path(data_dir).display().to_string(),
        reason: crate::library::io_reason(e),
    }
}
