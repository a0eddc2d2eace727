//! How a host runs: the engine's options and which optional servers to start, and what can
//! go wrong starting them.

use crate::engine::{EngineError, EngineOptions};
use crate::events::client::ClientError;
use crate::net::http::ServerError;
use crate::web::options::WebOptions;
use crate::web::server::WebError;

/// The address `--api` with no value serves the trigger API on.
pub const DEFAULT_API_ADDR: &str = "127.0.0.1:8089";

/// What the host starts: the engine, and each optional server that has an address.
#[derive(Debug, Clone)]
pub struct HostOptions {
    pub engine: EngineOptions,
    /// Serve the trigger API (`POST /api/v1/cameras/{name}/trigger`) on this address; the
    /// token is `VIGIL_API_TOKEN` or the data directory's `api-token` file.
    pub api: Option<String>,
    /// Serve the web viewer (HTTPS unless its options say plain HTTP on loopback).
    pub web: Option<WebOptions>,
}

impl From<EngineOptions> for HostOptions {
    /// The engine alone, no servers.
    fn from(engine: EngineOptions) -> Self {
        Self {
            engine,
            api: None,
            web: None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum HostError {
    #[error(transparent)]
    Engine(#[from] EngineError),
    /// A server could not listen (e.g. "cannot listen on 127.0.0.1:8089: …").
    #[error(transparent)]
    Server(#[from] ServerError),
    #[error(transparent)]
    Token(#[from] ClientError),
    #[error("cannot record the API address in {path}: {reason}")]
    AddrFile { path: String, reason: String },
    /// The web viewer could not start (its certificate, or its address).
    #[error(transparent)]
    Web(#[from] WebError),
    #[error("cannot start the MQTT service: {0}")]
    Mqtt(std::io::Error),
}
