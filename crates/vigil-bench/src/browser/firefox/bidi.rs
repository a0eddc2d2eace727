//! The WebDriver BiDi connection to one Firefox: a WebSocket to `ws://127.0.0.1:<port>/session`
//! owned by one I/O thread, which sends the queued commands, hands each reply to the caller
//! waiting for its id, and keeps the console messages (`log.entryAdded`) of every browsing
//! context.

use std::collections::HashMap;
use std::io::ErrorKind;
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use crossbeam_channel::{bounded, Receiver, RecvTimeoutError, Sender, TryRecvError};
use serde_json::{json, Value};
use tungstenite::{Message, WebSocket};

use super::super::{BrowserError, ConsoleMessage};

/// Commands that may wait to be sent.
const OUTGOING: usize = 256;
/// Console messages kept per browsing context (the oldest go first).
const CONSOLE_KEPT: usize = 1000;
/// How long the I/O thread blocks in a read before it looks for commands to send.
const READ_SLICE: Duration = Duration::from_millis(10);

type Reply = Result<Value, String>;

#[derive(Default)]
struct Shared {
    pending: Mutex<HashMap<u64, Sender<Reply>>>,
    console: Mutex<HashMap<String, Vec<ConsoleMessage>>>,
    closed: AtomicBool,
}

/// Locks, ignoring poisoning (the data stay usable: each holder only pushes or removes).
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The connection. Cheap to share behind an `Arc`; the I/O thread ends when it is dropped or
/// Firefox closes the socket.
pub(crate) struct Bidi {
    out: Sender<String>,
    next_id: AtomicU64,
    shared: Arc<Shared>,
}

impl Bidi {
    /// Connects to the BiDi server at `addr` and starts the I/O thread.
    pub(crate) fn connect(addr: SocketAddr) -> Result<Self, BrowserError> {
        let stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5))
            .map_err(|e| BrowserError::io(format!("connect to WebDriver BiDi at {addr}"), e))?;
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .map_err(|e| BrowserError::io("set the BiDi socket's timeout", e))?;
        let url = format!("ws://{addr}/session");
        let (ws, _) =
            tungstenite::client(url.as_str(), stream).map_err(|e| BrowserError::Protocol {
                method: "the WebDriver BiDi handshake".into(),
                message: e.to_string(),
            })?;
        ws.get_ref()
            .set_read_timeout(Some(READ_SLICE))
            .map_err(|e| BrowserError::io("set the BiDi socket's timeout", e))?;
        let shared = Arc::new(Shared::default());
        let (out, out_rx) = bounded(OUTGOING);
        let io_shared = Arc::clone(&shared);
        std::thread::Builder::new()
            .name("bidi-io".into())
            .spawn(move || io_loop(ws, &out_rx, &io_shared))
            .map_err(|e| BrowserError::io("start the BiDi I/O thread", e))?;
        Ok(Self {
            out,
            next_id: AtomicU64::new(1),
            shared,
        })
    }

    /// Sends one command and waits for its result.
    pub(crate) fn call(
        &self,
        method: &str,
        params: Value,
        timeout: Duration,
    ) -> Result<Value, BrowserError> {
        let closed = || BrowserError::Closed {
            method: method.into(),
        };
        if self.is_closed() {
            return Err(closed());
        }
        let id = self.next_id.fetch_add(1, Ordering::SeqCst);
        let (tx, rx) = bounded(1);
        lock(&self.shared.pending).insert(id, tx);
        let msg = json!({"id": id, "method": method, "params": params}).to_string();
        if self.out.send_timeout(msg, timeout).is_err() {
            lock(&self.shared.pending).remove(&id);
            return Err(closed());
        }
        let reply = rx.recv_timeout(timeout);
        lock(&self.shared.pending).remove(&id);
        match reply {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(message)) => Err(BrowserError::Protocol {
                method: method.into(),
                message,
            }),
            Err(RecvTimeoutError::Timeout) => Err(BrowserError::Timeout {
                what: method.into(),
                secs: timeout.as_secs_f64(),
            }),
            Err(RecvTimeoutError::Disconnected) => Err(closed()),
        }
    }

    /// The console messages of a browsing context so far.
    pub(crate) fn console(&self, context: &str) -> Vec<ConsoleMessage> {
        lock(&self.shared.console)
            .get(context)
            .cloned()
            .unwrap_or_default()
    }

    pub(crate) fn is_closed(&self) -> bool {
        self.shared.closed.load(Ordering::SeqCst)
    }
}

fn io_loop(mut ws: WebSocket<TcpStream>, out: &Receiver<String>, shared: &Shared) {
    'run: loop {
        loop {
            match out.try_recv() {
                Ok(text) => {
                    if ws.send(Message::text(text)).is_err() {
                        break 'run;
                    }
                }
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    let _ = ws.close(None);
                    break 'run;
                }
            }
        }
        match ws.read() {
            Ok(Message::Text(text)) => match serde_json::from_str::<Value>(&text) {
                Ok(msg) => dispatch(shared, msg),
                Err(e) => tracing::warn!("unreadable BiDi message: {e}"),
            },
            Ok(Message::Close(_)) => break,
            Ok(_) => {}
            Err(tungstenite::Error::Io(e))
                if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(_) => break,
        }
    }
    shared.closed.store(true, Ordering::SeqCst);
    // Dropping the senders wakes every caller still waiting, with "closed".
    lock(&shared.pending).clear();
}

fn dispatch(shared: &Shared, msg: Value) {
    let text = |k: &str| msg.get(k).and_then(Value::as_str).unwrap_or("");
    match text("type") {
        "success" | "error" => {
            let Some(id) = msg.get("id").and_then(Value::as_u64) else {
                tracing::warn!("a BiDi error without an id: {msg}");
                return;
            };
            let reply = if text("type") == "success" {
                Ok(msg.get("result").cloned().unwrap_or(Value::Null))
            } else {
                Err(format!("{}: {}", text("error"), text("message")))
            };
            if let Some(tx) = lock(&shared.pending).remove(&id) {
                let _ = tx.try_send(reply);
            }
        }
        "event" => {
            if text("method") == "log.entryAdded" {
                if let Some(params) = msg.get("params") {
                    keep_console_line(shared, params);
                }
            }
        }
        other => tracing::warn!("a BiDi message of unknown type {other:?}"),
    }
}

/// Keeps a `log.entryAdded` (a console call or an uncaught exception) under its context, with
/// Chromium's level names (`warn` is `warning`).
fn keep_console_line(shared: &Shared, p: &Value) {
    let Some(context) = p
        .get("source")
        .and_then(|s| s.get("context"))
        .and_then(Value::as_str)
    else {
        return;
    };
    let level = match p.get("level").and_then(Value::as_str).unwrap_or("info") {
        "warn" => "warning",
        other => other,
    };
    let line = ConsoleMessage {
        level: level.to_string(),
        text: p
            .get("text")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
    };
    let mut console = lock(&shared.console);
    let lines = console.entry(context.to_string()).or_default();
    if lines.len() >= CONSOLE_KEPT {
        lines.remove(0);
    }
    lines.push(line);
}
