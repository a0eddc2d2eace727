//! One HTTP/1 connection: hyper with the header limits and its timer, the body limit and the
//! request timeout around the router, the server's headers on every response, and a graceful
//! close when the server stops. Generic over the byte stream: a TLS stream is served the same
//! way as a TCP one.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::Router;
use http::{header, HeaderValue, Request, Response, StatusCode};
use http_body_util::Limited;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::watch;
use tower_service::Service;

use super::limits::{declared_too_large, Limits, MIN_HEADER_BYTES};

/// The client's address, in every request's extensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeerAddr(pub SocketAddr);

/// What every connection of one server shares.
pub(crate) struct ConnContext {
    pub router: Router,
    pub limits: Limits,
    /// Set on every response (the router's and the refusals here), unless already set.
    pub headers: http::HeaderMap,
}

/// Serves one connection until the client leaves, a limit ends it, or `stop` turns true (then
/// the request in flight may finish; the caller bounds how long that may take).
pub(crate) async fn serve<S>(
    io: S,
    peer: SocketAddr,
    shared: Arc<ConnContext>,
    mut stop: watch::Receiver<bool>,
) where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let limits = &shared.limits;
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .max_buf_size(limits.max_header_bytes.max(MIN_HEADER_BYTES))
        .max_headers(limits.max_headers)
        .keep_alive(limits.keep_alive);
    let for_requests = Arc::clone(&shared);
    let service = service_fn(move |mut req: Request<Incoming>| {
        req.extensions_mut().insert(PeerAddr(peer));
        handle(req, Arc::clone(&for_requests))
    });
    // Upgrades let a handler turn the connection into a WebSocket (the web viewer's live
    // video); it keeps its connection slot until it closes.
    let conn = builder
        .serve_connection(TokioIo::new(io), service)
        .with_upgrades();
    let mut conn = std::pin::pin!(conn);
    tokio::select! {
        res = conn.as_mut() => {
            if let Err(e) = res {
                tracing::debug!(error = %e, "HTTP connection ended");
            }
        }
        () = stopped(&mut stop) => {
            conn.as_mut().graceful_shutdown();
            let _ = conn.await;
        }
    }
}

/// Resolves once the server stops (or is gone). Drops the watch's borrow before returning, so
/// the future stays `Send`.
pub(crate) async fn stopped(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|s| *s).await;
}

/// [`route`], then the server's own headers.
async fn handle(
    req: Request<Incoming>,
    shared: Arc<ConnContext>,
) -> Result<Response<Body>, Infallible> {
    let mut resp = route(req, &shared).await;
    for (name, value) in &shared.headers {
        if !resp.headers().contains_key(name) {
            resp.headers_mut().insert(name, value.clone());
        }
    }
    Ok(resp)
}

/// The body limit and the request timeout, then the router.
async fn route(req: Request<Incoming>, shared: &ConnContext) -> Response<Body> {
    let limits = &shared.limits;
    if declared_too_large(req.headers(), limits.max_body_bytes) {
        let msg = format!("the body may be at most {} bytes", limits.max_body_bytes);
        return closing(json_error(StatusCode::PAYLOAD_TOO_LARGE, &msg));
    }
    let max = usize::try_from(limits.max_body_bytes).unwrap_or(usize::MAX);
    let req = req.map(|b| Body::new(Limited::new(b, max)));
    let mut router = shared.router.clone();
    match tokio::time::timeout(limits.request_timeout, router.call(req)).await {
        Ok(Ok(resp)) => resp,
        Ok(Err(never)) => match never {},
        Err(_) => {
            let msg = format!(
                "the request was not received within {} s",
                limits.request_timeout.as_secs_f64()
            );
            closing(json_error(StatusCode::REQUEST_TIMEOUT, &msg))
        }
    }
}

/// Asks hyper to close the connection after this response (its body was not read).
fn closing(mut resp: Response<Body>) -> Response<Body> {
    resp.headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    resp
}

/// A JSON response `{"error": message}`: how the server and its handlers refuse requests.
pub fn json_error(status: StatusCode, message: &str) -> Response<Body> {
    json_response(status, &serde_json::json!({ "error": message }))
}

/// A JSON response.
pub fn json_response(status: StatusCode, value: &serde_json::Value) -> Response<Body> {
    let mut resp = Response::new(Body::from(value.to_string()));
    *resp.status_mut() = status;
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    resp
}
