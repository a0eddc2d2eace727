//! The local HTTP trigger endpoint: `POST /api/v1/cameras/{name}/trigger` with a bearer
//! token and an optional JSON body `{"label": "door", "hold_s": 10}`. Off unless enabled,
//! bound to 127.0.0.1 by default. A trigger behaves exactly like motion for the gate.

use std::io::Read;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use serde::Deserialize;

use super::{Activity, BusError, EventBus};
use crate::model::time::now_us;
use crate::model::EventSource;

/// Longest hold a trigger may ask for.
pub const MAX_HOLD_S: f64 = 3600.0;
const MAX_BODY: u64 = 16 * 1024;

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct TriggerBody {
    pub label: Option<String>,
    pub hold_s: Option<f64>,
}

/// A running endpoint; dropping it does not stop it, [`ApiServer::stop`] does.
pub struct ApiServer {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl ApiServer {
    /// Binds `addr` and serves triggers onto `bus`, checking `token`.
    pub fn start(addr: &str, token: String, bus: EventBus) -> std::io::Result<Self> {
        let server = tiny_http::Server::http(addr).map_err(|e| {
            std::io::Error::new(
                std::io::ErrorKind::AddrInUse,
                format!("cannot listen on {addr}: {e}"),
            )
        })?;
        let local = server
            .server_addr()
            .to_ip()
            .ok_or_else(|| std::io::Error::other("the API is not on an IP address"))?;
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("api".into())
            .spawn(move || {
                while !flag.load(Ordering::Relaxed) {
                    match server.recv_timeout(Duration::from_millis(200)) {
                        Ok(Some(req)) => handle(req, &token, &bus),
                        Ok(None) => {}
                        Err(e) => tracing::warn!(error = %e, "API connection failed"),
                    }
                }
            })?;
        tracing::info!(addr = %local, "trigger API listening");
        Ok(Self {
            addr: local,
            stop,
            thread: Some(thread),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn stop(mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn handle(mut req: tiny_http::Request, token: &str, bus: &EventBus) {
    let (status, body) = respond(&mut req, token, bus);
    let json = serde_json::json!(body).to_string();
    let header = tiny_http::Header::from_bytes(&b"Content-Type"[..], &b"application/json"[..]);
    let mut resp = tiny_http::Response::from_string(json).with_status_code(status);
    if let Ok(h) = header {
        resp = resp.with_header(h);
    }
    let _ = req.respond(resp);
}

fn error(status: u16, message: impl Into<String>) -> (u16, serde_json::Value) {
    (status, serde_json::json!({ "error": message.into() }))
}

fn respond(req: &mut tiny_http::Request, token: &str, bus: &EventBus) -> (u16, serde_json::Value) {
    let url = req.url().to_string();
    let Some(camera) = url
        .strip_prefix("/api/v1/cameras/")
        .and_then(|rest| rest.strip_suffix("/trigger"))
        .filter(|c| !c.is_empty() && !c.contains('/'))
        .map(str::to_string)
    else {
        return error(
            404,
            "no such endpoint; use POST /api/v1/cameras/{name}/trigger",
        );
    };
    if req.method() != &tiny_http::Method::Post {
        return error(405, "use POST");
    }
    if !authorized(req, token) {
        return error(
            401,
            "missing or wrong token: send 'Authorization: Bearer <token>'",
        );
    }
    let body = match read_body(req) {
        Ok(b) => b,
        Err(msg) => return error(400, msg),
    };
    let hold_s = body.hold_s.unwrap_or(10.0);
    if !hold_s.is_finite() || !(0.0..=MAX_HOLD_S).contains(&hold_s) {
        return error(400, format!("hold_s must be between 0 and {MAX_HOLD_S}"));
    }
    let label = body.label.unwrap_or_else(|| "trigger".into());
    if label.trim().is_empty() || label.len() > 100 {
        return error(400, "label must be 1 to 100 characters");
    }
    match trigger(bus, &camera, &label, hold_s) {
        Ok(start_us) => (
            200,
            serde_json::json!({ "ok": true, "camera": camera, "label": label, "start_us": start_us }),
        ),
        Err(e @ BusError::UnknownCamera(_)) => error(404, e.to_string()),
        Err(e @ BusError::Busy(_)) => error(503, e.to_string()),
    }
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
            observed: std::time::Instant::now(),
        },
    )?;
    Ok(start_us)
}

static TRIGGER_SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

fn authorized(req: &tiny_http::Request, token: &str) -> bool {
    req.headers()
        .iter()
        .find(|h| h.field.equiv("Authorization"))
        .and_then(|h| h.value.as_str().strip_prefix("Bearer "))
        .is_some_and(|given| constant_time_eq(given.trim().as_bytes(), token.as_bytes()))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn read_body(req: &mut tiny_http::Request) -> Result<TriggerBody, String> {
    let mut text = String::new();
    req.as_reader()
        .take(MAX_BODY)
        .read_to_string(&mut text)
        .map_err(|_| "the body is not UTF-8 text".to_string())?;
    if text.trim().is_empty() {
        return Ok(TriggerBody::default());
    }
    serde_json::from_str(&text).map_err(|e| format!("malformed JSON: {e}"))
}
