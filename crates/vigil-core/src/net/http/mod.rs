//! The HTTP server stack: an axum router served by hyper on a small tokio runtime the server
//! owns, over plain TCP or TLS ([`tls`]), with limits on connections, headers, bodies and read
//! times (see [`Limits`]), and a stop that waits a bounded time for requests in flight.

mod accept;
mod conn;
pub mod limits;
pub mod tls;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::runtime::Runtime;
use tokio::sync::{watch, Semaphore};

pub use conn::{json_error, json_response, PeerAddr};
pub use limits::Limits;

#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("cannot listen on {addr}: {reason}")]
    Bind { addr: String, reason: String },
    #[error("cannot start the HTTP server's threads: {0}")]
    Runtime(String),
}

/// How a server talks to its clients beyond its [`Limits`]. The default: plain HTTP, no
/// headers of its own.
#[derive(Default, Clone)]
pub struct Serving {
    /// Serve HTTPS with this configuration (see [`tls::server_config`]).
    pub tls: Option<Arc<rustls::ServerConfig>>,
    /// Headers set on every response (refusals of the stack itself included) that does not
    /// set them already: e.g. security headers.
    pub headers: http::HeaderMap,
    /// Threads for handlers' blocking work (`tokio::task::spawn_blocking`: database queries,
    /// password hashing, reading files); 0 = one.
    pub blocking_threads: usize,
}

/// A running server. [`HttpServer::stop`] (or dropping it) stops accepting, gives requests in
/// flight [`Limits::shutdown_grace`] to finish, then drops them.
pub struct HttpServer {
    addr: SocketAddr,
    stop: watch::Sender<bool>,
    slots: Arc<Semaphore>,
    cap: u32,
    grace: Duration,
    runtime: Option<Runtime>,
}

/// Worker threads of a server's runtime: handlers are short and never block.
const WORKERS: usize = 1;

impl HttpServer {
    /// Binds `addr` and serves `router` under `limits` over plain HTTP; `name` names its
    /// threads.
    pub fn start(
        addr: &str,
        router: axum::Router,
        limits: Limits,
        name: &str,
    ) -> Result<Self, ServerError> {
        Self::start_with(addr, router, limits, name, Serving::default())
    }

    /// As [`HttpServer::start`], over TLS and with headers as `serving` says.
    pub fn start_with(
        addr: &str,
        router: axum::Router,
        limits: Limits,
        name: &str,
        serving: Serving,
    ) -> Result<Self, ServerError> {
        let bind = |e: std::io::Error| ServerError::Bind {
            addr: addr.to_string(),
            reason: crate::model::reason::io_reason(&e),
        };
        let std_listener = std::net::TcpListener::bind(addr).map_err(bind)?;
        std_listener.set_nonblocking(true).map_err(bind)?;
        let local = std_listener.local_addr().map_err(bind)?;
        let runtime = runtime(name, serving.blocking_threads.max(1))?;
        let listener = {
            let _entered = runtime.enter();
            tokio::net::TcpListener::from_std(std_listener).map_err(bind)?
        };
        let cap = limits.connection_cap(limits::free_file_descriptors());
        let cap = u32::try_from(cap)
            .unwrap_or(u32::MAX)
            .min(Semaphore::MAX_PERMITS as u32);
        if (cap as usize) < limits.max_connections {
            tracing::warn!(
                cap,
                "few file descriptors are free: HTTP connections capped lower"
            );
        }
        let slots = Arc::new(Semaphore::new(cap as usize));
        let (stop, stop_rx) = watch::channel(false);
        let grace = limits.shutdown_grace;
        let tls = serving.tls.map(tokio_rustls::TlsAcceptor::from);
        let encrypted = tls.is_some();
        let shared = Arc::new(conn::ConnContext {
            router,
            limits,
            headers: serving.headers,
        });
        runtime.spawn(accept::accept_loop(
            listener,
            shared,
            Arc::clone(&slots),
            tls,
            stop_rx,
        ));
        tracing::info!(addr = %local, connections = cap, tls = encrypted, "{name} listening");
        Ok(Self {
            addr: local,
            stop,
            slots,
            cap,
            grace,
            runtime: Some(runtime),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops the server; returns whether every connection had closed within the grace time.
    pub fn stop(mut self) -> bool {
        self.shutdown()
    }

    fn shutdown(&mut self) -> bool {
        let Some(runtime) = self.runtime.take() else {
            return true;
        };
        let _ = self.stop.send(true);
        let (done_tx, done_rx) = std::sync::mpsc::channel();
        let (slots, cap) = (Arc::clone(&self.slots), self.cap);
        runtime.spawn(async move {
            let _all = slots.acquire_many(cap).await;
            let _ = done_tx.send(());
        });
        let drained = done_rx.recv_timeout(self.grace).is_ok();
        if !drained {
            tracing::warn!(
                grace_s = self.grace.as_secs_f64(),
                "HTTP requests still open at shutdown were dropped"
            );
        }
        runtime.shutdown_timeout(Duration::from_millis(500));
        drained
    }
}

/// The server's own small runtime.
fn runtime(name: &str, blocking: usize) -> Result<Runtime, ServerError> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(WORKERS)
        .max_blocking_threads(blocking)
        .thread_name(name)
        .enable_io()
        .enable_time()
        .build()
        .map_err(|e| ServerError::Runtime(e.to_string()))
}

impl Drop for HttpServer {
    fn drop(&mut self) {
        self.shutdown();
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tls_tests;
