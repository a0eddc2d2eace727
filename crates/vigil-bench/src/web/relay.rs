//! The minimal relay `vigil bench web` measures the live view against: a bare WebSocket server
//! sending the same camera's fMP4 fragments, read from a `PacketWatch`, one per message, in
//! the live view's wire format, to a minimal Media Source Extensions page that measures each
//! frame's latency the way the live view's page does. No session, no status polling, no
//! queue policy: only the transport.

use std::time::Duration;

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tokio::sync::mpsc;

use vigil_core::live::LiveHub;
use vigil_core::model::time::now_us;
use vigil_core::net::http::{HttpServer, Limits};
use vigil_core::service::{LiveChunk, PacketWatch};

use crate::BenchError;

/// Messages waiting for the socket (the relay's thread blocks when it is full).
const QUEUE: usize = 64;
const POLL: Duration = Duration::from_millis(250);

/// A running relay of one camera on a loopback port.
pub struct Relay {
    server: HttpServer,
}

impl Relay {
    /// Serves `/` (the page) and `/ws` (the camera's fragments) on 127.0.0.1.
    pub fn start(live: LiveHub, camera: &str) -> Result<Self, BenchError> {
        let camera = camera.to_string();
        let router = Router::new()
            .route("/", get(|| async { Html(PAGE) }))
            .route(
                "/ws",
                get(move |upgrade: WebSocketUpgrade| {
                    let (live, camera) = (live.clone(), camera.clone());
                    async move { socket(upgrade, &live, &camera) }
                }),
            );
        let server = HttpServer::start("127.0.0.1:0", router, Limits::default(), "bench-relay")
            .map_err(|e| BenchError::Failed(format!("the relay cannot start: {e}")))?;
        Ok(Self { server })
    }

    pub fn url(&self) -> String {
        format!("http://{}/", self.server.addr())
    }

    pub fn stop(self) {
        self.server.stop();
    }
}

fn socket(upgrade: WebSocketUpgrade, live: &LiveHub, camera: &str) -> Response {
    let watch = match live.watch_packets(camera) {
        Ok(w) => w,
        Err(e) => return (http::StatusCode::NOT_FOUND, e.to_string()).into_response(),
    };
    let (tx, rx) = mpsc::channel(QUEUE);
    let started = std::thread::Builder::new()
        .name("bench-relay-feed".into())
        .spawn(move || feed(watch, &tx));
    if let Err(e) = started {
        return (http::StatusCode::SERVICE_UNAVAILABLE, e.to_string()).into_response();
    }
    upgrade.on_upgrade(move |ws| send_all(ws, rx))
}

/// Reads the watch until the socket's side is gone, stamping each chunk when it is read.
fn feed(mut watch: PacketWatch, tx: &mpsc::Sender<Message>) {
    while !tx.is_closed() {
        let Some(chunk) = watch.next_timeout(POLL) else {
            continue;
        };
        let sent_us = now_us();
        let messages = match chunk {
            LiveChunk::Init(init) => {
                let json = serde_json::json!({"type": "init", "mime": init.mime_type()});
                vec![
                    Message::Text(json.to_string().into()),
                    Message::Binary(binary(0, sent_us, 0, &init.data).into()),
                ]
            }
            LiveChunk::Fragment(f) => {
                vec![Message::Binary(
                    binary(1, sent_us, f.decode_time, &f.data).into(),
                )]
            }
            LiveChunk::Unplayable(_) | LiveChunk::Ended => Vec::new(),
        };
        for m in messages {
            if tx.blocking_send(m).is_err() {
                return;
            }
        }
    }
}

/// `[kind u8][sent_us i64 BE][decode_time u64 BE][fMP4 bytes]`, as the live view sends.
fn binary(kind: u8, sent_us: i64, decode_time: u64, data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(17 + data.len());
    out.push(kind);
    out.extend_from_slice(&sent_us.to_be_bytes());
    out.extend_from_slice(&decode_time.to_be_bytes());
    out.extend_from_slice(data);
    out
}

async fn send_all(mut ws: WebSocket, mut rx: mpsc::Receiver<Message>) {
    while let Some(m) = rx.recv().await {
        if ws.send(m).await.is_err() {
            return;
        }
    }
}

/// The minimal page: one `<video>`, one SourceBuffer in segments mode, each message appended
/// as it comes (queued while the buffer is busy), the live page's rule for staying at the
/// newest frame (a jump when more than 1 s behind; 1.1× speed when more than 0.18 s behind,
/// until 0.1 s), so that both sides differ only in how fragments reach the page; and the
/// latency of each presented frame (requestVideoFrameCallback, now minus
/// the server's stamp, matched by decode time) in `window.vigilLiveStats.relay`.
const PAGE: &str = r#"<!doctype html><meta charset="utf-8"><title>minimal relay</title>
<style>html,body{margin:0;background:#000}video{width:100%}</style>
<video id="v" muted playsinline autoplay></video>
<script>
const v = document.getElementById('v');
const stats = (window.vigilLiveStats = { relay: { presented: 0, latency_ms: [] } }).relay;
let sb = null, queue = [], sent = [];
function pump() {
  if (!sb || sb.updating || !queue.length) return;
  sb.appendBuffer(queue.shift());
}
function appended() {
  const b = v.buffered;
  if (b.length) {
    const end = b.end(b.length - 1);
    const lag = end - v.currentTime;
    if (v.currentTime < b.start(b.length - 1) || lag > 1) v.currentTime = end - 0.05;
    else if (lag > 0.18 && v.playbackRate === 1) v.playbackRate = 1.1;
    else if (lag < 0.1 && v.playbackRate !== 1) v.playbackRate = 1;
    if (v.paused) v.play().catch(() => {});
  }
  pump();
}
const ws = new WebSocket('ws://' + location.host + '/ws');
ws.binaryType = 'arraybuffer';
ws.onmessage = (e) => {
  if (typeof e.data === 'string') {
    const msg = JSON.parse(e.data);
    if (msg.type !== 'init' || sb) return;
    const ms = new MediaSource();
    ms.addEventListener('sourceopen', () => {
      sb = ms.addSourceBuffer(msg.mime);
      sb.mode = 'segments';
      sb.addEventListener('updateend', appended);
      pump();
    }, { once: true });
    v.src = URL.createObjectURL(ms);
    return;
  }
  const view = new DataView(e.data);
  if (view.getUint8(0) === 1) sent.push([Number(view.getBigUint64(9)), Number(view.getBigInt64(1))]);
  if (sent.length > 600) sent.splice(0, sent.length - 600);
  queue.push(new Uint8Array(e.data, 17));
  pump();
};
const onFrame = (_now, meta) => {
  stats.presented += 1;
  const ticks = Math.round(meta.mediaTime * 90000);
  let i = -1;
  for (let k = 0; k < sent.length && sent[k][0] <= ticks + 1; k++) i = k;
  if (i >= 0 && ticks - sent[i][0] <= 45000) {
    stats.latency_ms.push(Date.now() - sent[i][1] / 1000);
    sent.splice(0, i + 1);
  }
  v.requestVideoFrameCallback(onFrame);
};
v.requestVideoFrameCallback(onFrame);
</script>"#;
