//! The local HTTP trigger endpoint: `POST /api/v1/cameras/{name}/trigger` with a bearer
//! token and an optional JSON body `{"label": "door", "hold_s": 10}`. Off unless enabled,
//! bound to 127.0.0.1 by default. A trigger behaves exactly like motion for the gate. Served
//! by the shared HTTP stack (`net::http`) with its limits; this module owns the route.

use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use http::{HeaderMap, StatusCode};
use serde::Deserialize;

use super::{Activity, BusError, EventBus};
use crate::model::time::now_us;
use crate::model::EventSource;
use crate::net::http::{json_error, json_response, HttpServer, Limits, ServerError};

/// Longest hold a trigger may ask for.
pub const MAX_HOLD_S: f64 = 3600.0;
const MAX_BODY: u64 = 16 * 1024;

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct TriggerBody {
    pub label: Option<String>,
    pub hold_s: Option<f64>,
}

/// A running endpoint; [`ApiServer::stop`] or dropping it stops it.
pub struct ApiServer {
    server: HttpServer,
}

/// The API's limits: small bodies, few connections, one request per connection.
pub fn limits() -> Limits {
    Limits {
        max_connections: 32,
        max_body_bytes: MAX_BODY,
        keep_alive: false,
        ..Limits::default()
    }
}

impl ApiServer {
    /// Binds `addr` and serves triggers onto `bus`, checking `token`.
    pub fn start(addr: &str, token: String, bus: EventBus) -> Result<Self, ServerError> {
        let server = HttpServer::start(addr, router(token, bus), limits(), "api")?;
        Ok(Self { server })
    }

    pub fn addr(&self) -> SocketAddr {
        self.server.addr()
    }

    /// Stops accepting, lets a request in flight finish for a moment, then drops it.
    pub fn stop(self) {
        self.server.stop();
    }
}

struct Api {
    token: String,
    bus: EventBus,
}

/// The API's routes: the trigger, 405 for other methods on it, 404 for anything else.
pub fn router(token: String, bus: EventBus) -> Router {
    let state = Arc::new(Api { token, bus });
    Router::new()
        .route(
            "/api/v1/cameras/{name}/trigger",
            post(handle)
                .fallback(|| async { json_error(StatusCode::METHOD_NOT_ALLOWED, "use POST") }),
        )
        .fallback(|| async {
            json_error(
                StatusCode::NOT_FOUND,
                "no such endpoint; use POST /api/v1/cameras/{name}/trigger",
            )
        })
        .with_state(state)
}

async fn handle(
    State(api): State<Arc<Api>>,
    Path(camera): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    if !authorized(&headers, &api.token) {
        return json_error(
            StatusCode::UNAUTHORIZED,
            "missing or wrong token: send 'Authorization: Bearer <token>'",
        );
    }
    fire(&api.bus, &camera, body).await
}

/// Reads a trigger's JSON body, checks it and sends the trigger to `camera`: the answer
/// both trigger endpoints give once the caller is let in (this one and the web viewer's).
pub async fn fire(bus: &EventBus, camera: &str, body: Body) -> Response {
    let body = match read_body(body).await {
        Ok(b) => b,
        Err((status, msg)) => return json_error(status, &msg),
    };
    let (label, hold_s) = match checked(body) {
        Ok(v) => v,
        Err(msg) => return json_error(StatusCode::BAD_REQUEST, &msg),
    };
    match trigger(bus, camera, &label, hold_s) {
        Ok(start_us) => json_response(
            StatusCode::OK,
            &serde_json::json!({ "ok": true, "camera": camera, "label": label, "start_us": start_us }),
        ),
        Err(e @ BusError::UnknownCamera(_)) => json_error(StatusCode::NOT_FOUND, &e.to_string()),
        Err(e @ BusError::Busy(_)) => json_error(StatusCode::SERVICE_UNAVAILABLE, &e.to_string()),
    }
}

/// A trigger body's label and hold time with their defaults (`trigger`, 10 s), checked
/// against the limits (a label of 1 to 100 characters, a hold of 0 to [`MAX_HOLD_S`]).
pub fn checked(body: TriggerBody) -> Result<(String, f64), String> {
    let hold_s = body.hold_s.unwrap_or(10.0);
    if !hold_s.is_finite() || !(0.0..=MAX_HOLD_S).contains(&hold_s) {
        return Err(format!("hold_s must be between 0 and {MAX_HOLD_S}"));
    }
    let label = body.label.unwrap_or_else(|| "trigger".into());
    if label.trim().is_empty() || label.len() > 100 {
        return Err("label must be 1 to 100 characters".into());
    }
    Ok((label, hold_s))
}

/// Sends a held trigger to a camera: activity from now until now + hold.
pub fn trigger(bus: &EventBus, camera: &str, label: &str, hold_s: f64) -> Result<i64, BusError> {
    let start_us = now_us();
    let seq = TRIGGER_SEQ.fetch_add(1, Ordering::Relaxed);
    bus.send(
        camera,
        Activity::Begin {
            key: format!("trigger:{seq}"),
            source: EventSource::External,
            label: label.trim().to_string(),
            zone_id: None,
            start_us,
            end_us: Some(start_us + (hold_s * 1e6) as i64),
            score: 1.0,
            thumbnail: None,
            object_box: None,
            observed: std::time::Instant::now(),
        },
    )?;
    Ok(start_us)
}

static TRIGGER_SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

fn authorized(headers: &HeaderMap, token: &str) -> bool {
    headers
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .is_some_and(|given| constant_time_eq(given.trim().as_bytes(), token.as_bytes()))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The JSON body; the server already refused a declared length over the limit, and a chunked
/// body is cut off at it.
async fn read_body(body: Body) -> Result<TriggerBody, (StatusCode, String)> {
    let bytes = axum::body::to_bytes(body, MAX_BODY as usize)
        .await
        .map_err(|e| {
            if over_limit(&e) {
                let msg = format!("the body may be at most {MAX_BODY} bytes");
                (StatusCode::PAYLOAD_TOO_LARGE, msg)
            } else {
                (
                    StatusCode::BAD_REQUEST,
                    format!("cannot read the body: {e}"),
                )
            }
        })?;
    let text = std::str::from_utf8(&bytes).map_err(|_| {
        (
            StatusCode::BAD_REQUEST,
            "the body is not UTF-8 text".to_string(),
        )
    })?;
    if text.trim().is_empty() {
        return Ok(TriggerBody::default());
    }
    serde_json::from_str(text)
        .map_err(|e| (StatusCode::BAD_REQUEST, format!("malformed JSON: {e}")))
}

/// Whether a body error was the length limit, however deeply the limit's error is wrapped.
fn over_limit(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut cur = Some(e);
    while let Some(err) = cur {
        if err.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        cur = err.source();
    }
    false
}
