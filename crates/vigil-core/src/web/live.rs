//! `GET /api/cameras/{camera}/live?stream=main|sub`: a camera's live video (its main stream or
//! its sub-stream) as a WebSocket of fMP4 fragments, one per frame, straight from its stream
//! tap (never decoded or re-encoded). The session and `Origin` are checked, and an unknown
//! camera (or a sub-stream it does not have) answered 404 before the upgrade. Each
//! socket joins its camera's fan-out ([`LiveHub::view`]: one packager per camera stream,
//! which also defines the wire format in `live::fanout::wire`), sends the shared messages
//! from its bounded queue, and is closed when its client has not read for [`STALL`] (pings
//! tell).

use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tokio::sync::mpsc;
use tokio::time::timeout;

use super::params::Params;
use super::refusal::Refusal;
use super::session::SignedIn;
use super::state::Shared;
use crate::service::{LiveError, LiveStream, LiveViewer, Outgoing};

/// A client that has not read for this long (a ping unanswered, or one message not taken)
/// is closed.
pub const STALL: Duration = Duration::from_secs(10);
/// How often the server pings each live socket.
pub const PING_EVERY: Duration = Duration::from_secs(2);
/// How long a closing handshake may take with a client that stopped reading.
const GRACE: Duration = Duration::from_millis(100);
const SLOW: &str = "the viewer did not keep up";
/// The largest message a viewer may send (pongs echo 8 bytes; a close frame holds at most
/// 125), and the socket's read buffer.
const CLIENT_MESSAGE_MAX: usize = 4096;
/// Close code for a normal end (RFC 6455).
const NORMAL: u16 = 1000;
/// Close code for "going away": the viewer is too slow.
const GOING_AWAY: u16 = 1001;

pub fn routes() -> Router<Shared> {
    Router::new().route("/api/cameras/{camera}/live", get(live))
}

async fn live(
    me: SignedIn,
    State(state): State<Shared>,
    Path(camera): Path<String>,
    RawQuery(query): RawQuery,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Result<Response, Refusal> {
    let stream = Params::parse(query.as_deref()).stream("stream")?;
    let hub = &state.engine.live;
    // An unknown camera is that, whichever stream was asked for.
    let joined = match hub.has(&camera, LiveStream::Main) {
        true => hub.view(&camera, stream),
        false => Err(LiveError::UnknownCamera(camera.clone())),
    };
    let (viewer, rx) = match joined {
        Ok(joined) => joined,
        Err(LiveError::Thread(e)) => return Err(Refusal::unavailable("starting a live feed", &e)),
        Err(e) => return Err(Refusal::not_found(e.to_string())),
    };
    let upgrade = upgrade
        .map_err(|r| {
            Refusal::bad_request(format!(
                "live video is a WebSocket at this address: {}",
                r.body_text()
            ))
        })?
        // A viewer only ever sends pongs and a close: small buffers. The read buffer is
        // zero-filled up to its size at every read attempt (one per message sent), so the
        // 128-KiB default cost more than the rest of the fan-out together.
        .read_buffer_size(CLIENT_MESSAGE_MAX)
        .max_message_size(CLIENT_MESSAGE_MAX)
        .max_frame_size(CLIENT_MESSAGE_MAX);
    tracing::info!(camera = %camera, stream = stream.as_str(), user = %me.user.name,
        address = %me.address, "web live view opened");
    Ok(upgrade
        .on_upgrade(move |socket| async move {
            let why = serve(socket, rx, viewer).await;
            tracing::info!(camera = %camera, user = %me.user.name, address = %me.address,
                reason = why, "web live view closed");
        })
        .into_response())
}

/// Sends the fan-out's messages until the client leaves, stalls or the feed ends; answers why
/// it stopped. A ping every [`PING_EVERY`] waits behind everything sent before it: a client
/// that has not answered one for [`STALL`] has not read that far and is closed, long before
/// the kernel's send buffer (up to megabytes) would block a send.
async fn serve(
    mut socket: WebSocket,
    mut rx: mpsc::Receiver<Outgoing>,
    viewer: LiveViewer,
) -> &'static str {
    let mut ping = tokio::time::interval(PING_EVERY);
    let mut pinged: Option<(u64, Instant)> = None;
    let mut pings = 0u64;
    let why = loop {
        tokio::select! {
            out = rx.recv() => {
                let Some(out) = out else {
                    let _ = close(&mut socket, NORMAL, "the live feed ended").await;
                    break "the live feed ended";
                };
                if let Err(why) = send(&mut socket, out).await {
                    break why;
                }
            }
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Close(_)) | Err(_)) | None => break "the client left",
                Some(Ok(Message::Pong(payload))) => {
                    if pinged.is_some_and(|(n, _)| payload[..] == n.to_be_bytes()) {
                        pinged = None;
                    }
                }
                Some(Ok(_)) => {}
            },
            _ = ping.tick() => match pinged {
                Some((_, at)) if at.elapsed() >= STALL => {
                    let _ = timeout(GRACE, close(&mut socket, GOING_AWAY, SLOW)).await;
                    break "the client stopped reading";
                }
                Some(_) => {}
                None => {
                    pings += 1;
                    let payload = Bytes::copy_from_slice(&pings.to_be_bytes());
                    if let Err(why) = deliver(&mut socket, Message::Ping(payload)).await {
                        break why;
                    }
                    pinged = Some((pings, Instant::now()));
                }
            },
        }
    };
    drop(viewer);
    why
}

/// Sends one outgoing item (two messages for an init); `Err` says why the socket ends.
async fn send(socket: &mut WebSocket, out: Outgoing) -> Result<(), &'static str> {
    match out {
        Outgoing::Init { json, segment } => {
            deliver(socket, Message::Text((*json).into())).await?;
            deliver(socket, Message::Binary(segment)).await
        }
        Outgoing::Fragment(bytes) => deliver(socket, Message::Binary(bytes)).await,
        Outgoing::Note(json) => deliver(socket, Message::Text((*json).into())).await,
        Outgoing::Last(json) => {
            deliver(socket, Message::Text((*json).into())).await?;
            close(socket, NORMAL, "the camera or its stream is gone").await?;
            Err("the camera or its stream is gone")
        }
    }
}

async fn deliver(socket: &mut WebSocket, msg: Message) -> Result<(), &'static str> {
    match timeout(STALL, socket.send(msg)).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(_)) => Err("the client left"),
        Err(_) => {
            // Best effort: the client reads nothing, so this may not arrive either.
            let _ = timeout(GRACE, close(socket, GOING_AWAY, SLOW)).await;
            Err("the client stopped reading")
        }
    }
}

async fn close(
    socket: &mut WebSocket,
    code: u16,
    reason: &'static str,
) -> Result<(), &'static str> {
    let frame = CloseFrame {
        code,
        reason: reason.into(),
    };
    timeout(STALL, socket.send(Message::Close(Some(frame))))
        .await
        .map_err(|_| "the client stopped reading")?
        .map_err(|_| "the client left")
}
