//! The DevTools connection over `--remote-debugging-pipe`: JSON messages separated by NUL bytes,
//! written to Chromium's fd 3 and read from its fd 4. One reader thread hands each reply to the
//! caller waiting for its id, each event to the subscribers of its method, and keeps the pages'
//! console messages.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use crossbeam_channel::{bounded, Receiver, RecvTimeoutError, Sender};
use serde_json::{json, Value};

use super::BrowserError;

/// Events a subscriber may fall behind by before newer ones are dropped.
const EVENT_BACKLOG: usize = 1024;
/// Console messages kept per page (the oldest go first).
const CONSOLE_KEPT: usize = 1000;

/// One message a page wrote to its console, or an error the browser logged for it (a failed
/// request, a refused script, an uncaught exception).
#[derive(Debug, Clone, PartialEq)]
pub struct ConsoleMessage {
    /// `log`, `info`, `warning`, `error`, `debug`, … (`error` for uncaught exceptions).
    pub level: String,
    pub text: String,
}

/// An event: its method (e.g. `Page.lifecycleEvent`) and parameters.
pub(crate) type Event = (String, Value);

struct Subscriber {
    methods: Vec<String>,
    session: Option<String>,
    tx: Sender<Event>,
}

type Reply = Result<Value, String>;

#[derive(Default)]
struct Shared {
    pending: Mutex<HashMap<u64, Sender<Reply>>>,
    subscribers: Mutex<Vec<Subscriber>>,
    console: Mutex<HashMap<String, Vec<ConsoleMessage>>>,
    closed: AtomicBool,
}

/// Locks, ignoring poisoning (the data stay usable: each holder only pushes or removes).
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The connection to one Chromium. Cheap to share behind an `Arc`.
pub(crate) struct Pipe {
    writer: Mutex<File>,
    next_id: AtomicU64,
    shared: Arc<Shared>,
}

impl Pipe {
    /// Starts the reader thread on `from_chromium`.
    pub(crate) fn new(to_chromium: File, from_chromium: File) -> Result<Self, BrowserError> {
        let shared = Arc::new(Shared::default());
        let reader_shared = Arc::clone(&shared);
        std::thread::Builder::new()
            .name("cdp-reader".into())
            .spawn(move || read_loop(from_chromium, &reader_shared))
            .map_err(|e| BrowserError::io("start the DevTools reader thread", e))?;
        Ok(Self {
            writer: Mutex::new(to_chromium),
            next_id: AtomicU64::new(1),
            shared,
        })
    }

    /// Sends one command (to the browser, or to a page's `session`) and waits for its reply.
    pub(crate) fn call(
        &self,
        method: &str,
        params: Value,
        session: Option<&str>,
        timeout: Duration,
    ) -> Result<Value, BrowserError> {
        if self.shared.closed.load(Ordering::SeqCst) {
            return Err(BrowserError::Closed {
                method: method.into(),
            });
        }
        let id = self.next_id.fetch_add(1, Ordering::SeqCst);
        let mut msg = json!({"id": id, "method": method, "params": params});
        if let Some(s) = session {
            msg["sessionId"] = Value::from(s);
        }
        let (tx, rx) = bounded(1);
        lock(&self.shared.pending).insert(id, tx);
        let mut bytes = msg.to_string().into_bytes();
        bytes.push(0);
        let written = {
            let mut w = lock(&self.writer);
            w.write_all(&bytes).and_then(|()| w.flush())
        };
        if written.is_err() {
            lock(&self.shared.pending).remove(&id);
            return Err(BrowserError::Closed {
                method: method.into(),
            });
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
            Err(RecvTimeoutError::Disconnected) => Err(BrowserError::Closed {
                method: method.into(),
            }),
        }
    }

    /// Events with one of `methods` (from the browser when `session` is `None`, else from that
    /// page) from now on, until the receiver is dropped.
    pub(crate) fn subscribe(&self, methods: &[&str], session: Option<&str>) -> Receiver<Event> {
        let (tx, rx) = bounded(EVENT_BACKLOG);
        lock(&self.shared.subscribers).push(Subscriber {
            methods: methods.iter().map(|m| m.to_string()).collect(),
            session: session.map(str::to_string),
            tx,
        });
        rx
    }

    /// The console messages of a page's session so far.
    pub(crate) fn console(&self, session: &str) -> Vec<ConsoleMessage> {
        lock(&self.shared.console)
            .get(session)
            .cloned()
            .unwrap_or_default()
    }

    pub(crate) fn is_closed(&self) -> bool {
        self.shared.closed.load(Ordering::SeqCst)
    }
}

fn read_loop(from_chromium: File, shared: &Shared) {
    let mut reader = BufReader::new(from_chromium);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match reader.read_until(0, &mut buf) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
        if buf.last() == Some(&0) {
            buf.pop();
        }
        match serde_json::from_slice::<Value>(&buf) {
            Ok(msg) => dispatch(shared, msg),
            Err(e) => tracing::warn!("unreadable DevTools message: {e}"),
        }
    }
    shared.closed.store(true, Ordering::SeqCst);
    // Dropping the senders wakes every caller still waiting, with "closed".
    lock(&shared.pending).clear();
    lock(&shared.subscribers).clear();
}

fn dispatch(shared: &Shared, msg: Value) {
    if let Some(id) = msg.get("id").and_then(Value::as_u64) {
        let reply = match msg.get("error") {
            Some(e) => Err(e
                .get("message")
                .and_then(Value::as_str)
                .unwrap_or("unknown error")
                .to_string()),
            None => Ok(msg.get("result").cloned().unwrap_or(Value::Null)),
        };
        if let Some(tx) = lock(&shared.pending).remove(&id) {
            let _ = tx.try_send(reply);
        }
        return;
    }
    let Some(method) = msg.get("method").and_then(Value::as_str) else {
        return;
    };
    let session = msg.get("sessionId").and_then(Value::as_str);
    let params = msg.get("params").cloned().unwrap_or(Value::Null);
    if let (Some(s), Some(line)) = (session, console_message(method, &params)) {
        let mut console = lock(&shared.console);
        let lines = console.entry(s.to_string()).or_default();
        if lines.len() >= CONSOLE_KEPT {
            lines.remove(0);
        }
        lines.push(line);
    }
    lock(&shared.subscribers).retain(|sub| {
        if sub.session.as_deref() != session || !sub.methods.iter().any(|m| m == method) {
            return true;
        }
        match sub.tx.try_send((method.to_string(), params.clone())) {
            Ok(()) => true,
            Err(crossbeam_channel::TrySendError::Full(_)) => {
                tracing::warn!("a DevTools subscriber fell behind; dropped a {method} event");
                true
            }
            Err(crossbeam_channel::TrySendError::Disconnected(_)) => false,
        }
    });
}

/// A console line from `Runtime.consoleAPICalled`, `Runtime.exceptionThrown` or
/// `Log.entryAdded`.
fn console_message(method: &str, p: &Value) -> Option<ConsoleMessage> {
    let text_of = |v: &Value| -> String {
        match v.get("value") {
            Some(Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
            None => v
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
        }
    };
    match method {
        "Runtime.consoleAPICalled" => Some(ConsoleMessage {
            level: p.get("type").and_then(Value::as_str)?.to_string(),
            text: p
                .get("args")
                .and_then(Value::as_array)
                .map(|a| a.iter().map(text_of).collect::<Vec<_>>().join(" "))
                .unwrap_or_default(),
        }),
        "Runtime.exceptionThrown" => {
            let d = p.get("exceptionDetails")?;
            Some(ConsoleMessage {
                level: "error".into(),
                text: exception_text(d),
            })
        }
        "Log.entryAdded" => {
            let e = p.get("entry")?;
            let url = e.get("url").and_then(Value::as_str).unwrap_or("");
            let text = e.get("text").and_then(Value::as_str).unwrap_or("");
            Some(ConsoleMessage {
                level: e.get("level").and_then(Value::as_str)?.to_string(),
                text: if url.is_empty() {
                    text.to_string()
                } else {
                    format!("{text} ({url})")
                },
            })
        }
        _ => None,
    }
}

/// The text of a `Runtime.ExceptionDetails`: the exception's description (message and stack)
/// when there is one, else the summary.
pub(crate) fn exception_text(d: &Value) -> String {
    d.get("exception")
        .and_then(|e| e.get("description").or_else(|| e.get("value")))
        .map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .or_else(|| d.get("text").and_then(Value::as_str).map(str::to_string))
        .unwrap_or_else(|| "unknown exception".into())
}
