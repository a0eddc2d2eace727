//! One live viewer's feed: a dedicated thread reading the camera's [`PacketWatch`] (which
//! blocks) and handing the viewer's socket task the live wire messages through a bounded
//! channel. When the socket cannot keep up (the channel is full) fragments are dropped up to
//! the next keyframe, so a viewer never holds more than [`QUEUE`] messages and never slows
//! anyone else.
//!
//! Wire format (the page and `vigil bench web` depend on it): text messages are JSON
//! `{"type":"init","mime":…}` (followed by one binary message holding the init segment),
//! `{"type":"unplayable","reason":…}` and `{"type":"ended","reason":…}`; binary messages are
//! `[kind u8: 0 init, 1 fragment][sent_us i64 BE][decode_time u64 BE, 90 kHz][fMP4 bytes]`,
//! `sent_us` being the server's wall clock (UTC µs) when it read the chunk from the watch.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc::{self, error::TrySendError};

use crate::model::time::now_us;
use crate::service::{LiveChunk, LiveHub, LiveStream, PacketWatch};

/// Messages a viewer's socket task may have waiting (a fragment is one frame).
pub const QUEUE: usize = 32;
/// Binary message kinds.
pub const KIND_INIT: u8 = 0;
pub const KIND_FRAGMENT: u8 = 1;
/// Bytes before the fMP4 data in a binary message.
pub const HEADER_LEN: usize = 17;
/// How often the feed thread looks whether its socket or its camera is gone.
const POLL: Duration = Duration::from_millis(250);
/// Text messages kept while fragments are being dropped.
const STASH: usize = 8;

/// What the socket sends, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outgoing {
    /// The init JSON, then the binary init segment.
    Init { json: String, segment: Vec<u8> },
    /// A binary fragment message.
    Fragment(Vec<u8>),
    /// A JSON text message (`unplayable`, `ended`).
    Note(String),
    /// A last JSON text message; the socket closes after it (the camera is gone).
    Last(String),
}

/// A binary message: header then the fMP4 bytes.
pub fn binary(kind: u8, sent_us: i64, decode_time: u64, data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER_LEN + data.len());
    out.push(kind);
    out.extend_from_slice(&sent_us.to_be_bytes());
    out.extend_from_slice(&decode_time.to_be_bytes());
    out.extend_from_slice(data);
    out
}

/// A JSON text message `{"type": kind, "reason": reason}`.
pub fn note(kind: &str, reason: &str) -> String {
    serde_json::json!({ "type": kind, "reason": reason }).to_string()
}

/// The wire message(s) for one chunk read at `sent_us`.
pub fn encode(chunk: LiveChunk, sent_us: i64) -> Outgoing {
    match chunk {
        LiveChunk::Init(init) => Outgoing::Init {
            json: serde_json::json!({ "type": "init", "mime": init.mime_type() }).to_string(),
            segment: binary(KIND_INIT, sent_us, 0, &init.data),
        },
        LiveChunk::Fragment(f) => {
            Outgoing::Fragment(binary(KIND_FRAGMENT, sent_us, f.decode_time, &f.data))
        }
        LiveChunk::Unplayable(why) => Outgoing::Note(note("unplayable", &why)),
        LiveChunk::Ended => Outgoing::Note(note(
            "ended",
            "the camera's connection ended; the picture returns when it reconnects",
        )),
    }
}

/// The feed thread's handle: dropping it stops the thread (within [`POLL`]; never waited
/// for, so the async side never blocks).
pub struct Feed {
    stop: Arc<AtomicBool>,
}

impl Drop for Feed {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Starts the thread feeding `watch` into `tx`; it ends when the handle is dropped, the
/// receiver is gone, or the camera was removed (after a last `ended` message).
pub fn start(
    hub: LiveHub,
    watch: PacketWatch,
    tx: mpsc::Sender<Outgoing>,
) -> std::io::Result<Feed> {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    std::thread::Builder::new()
        .name(format!("web-live-{}", watch.camera()))
        .spawn(move || run(&hub, watch, Sender::new(tx), &flag))?;
    Ok(Feed { stop })
}

fn run(hub: &LiveHub, mut watch: PacketWatch, mut out: Sender, stop: &AtomicBool) {
    while !stop.load(Ordering::Relaxed) && !out.tx.is_closed() {
        match watch.next_timeout(POLL) {
            Some(chunk) => {
                let keyframe = matches!(&chunk, LiveChunk::Fragment(f) if f.keyframe);
                if out.offer(encode(chunk, now_us()), keyframe).is_err() {
                    break;
                }
            }
            None if !hub.is_current(&watch) => {
                let why = match watch.stream() {
                    LiveStream::Main => {
                        format!("camera '{}' was removed or renamed", watch.camera())
                    }
                    LiveStream::Sub => {
                        format!("camera '{}' no longer has a sub-stream", watch.camera())
                    }
                };
                let _ = out.tx.try_send(Outgoing::Last(note("ended", &why)));
                break;
            }
            None => {}
        }
    }
    if out.dropped > 0 {
        tracing::debug!(camera = %watch.camera(), dropped = out.dropped,
            "a slow web viewer skipped fragments to the next keyframe");
    }
}

/// The receiver is gone.
#[derive(Debug)]
struct Closed;

/// The feed's end of the channel, with what it holds back while resynchronising.
struct Sender {
    tx: mpsc::Sender<Outgoing>,
    /// Fragments are being dropped until a keyframe finds room.
    resync: bool,
    /// Text and init messages that arrived while resynchronising, in order.
    stash: Vec<Outgoing>,
    dropped: u64,
}

impl Sender {
    fn new(tx: mpsc::Sender<Outgoing>) -> Self {
        Self {
            tx,
            resync: false,
            stash: Vec::new(),
            dropped: 0,
        }
    }

    /// Sends `out` if there is room; otherwise drops fragments up to a keyframe that fits
    /// together with the messages held back meanwhile.
    fn offer(&mut self, out: Outgoing, keyframe: bool) -> Result<(), Closed> {
        let fragment = matches!(out, Outgoing::Fragment(_));
        if self.resync {
            if !fragment {
                self.hold(out);
            } else if keyframe && self.tx.capacity() > self.stash.len() {
                self.resync = false;
                // Room for all: only this thread sends, so the capacity cannot shrink.
                for held in std::mem::take(&mut self.stash) {
                    self.send(held)?;
                }
                self.send(out)?;
            } else {
                self.dropped += 1;
            }
            return Ok(());
        }
        match self.tx.try_send(out) {
            Ok(()) => Ok(()),
            Err(TrySendError::Full(out)) => {
                self.resync = true;
                if fragment {
                    self.dropped += 1;
                } else {
                    self.hold(out);
                }
                Ok(())
            }
            Err(TrySendError::Closed(_)) => Err(Closed),
        }
    }

    fn send(&self, out: Outgoing) -> Result<(), Closed> {
        self.tx.try_send(out).map_err(|_| Closed)
    }

    /// Holds back a message; a new init supersedes everything held before it.
    fn hold(&mut self, out: Outgoing) {
        if matches!(out, Outgoing::Init { .. }) {
            self.stash.clear();
        }
        if self.stash.len() >= STASH {
            let oldest_note = self
                .stash
                .iter()
                .position(|o| !matches!(o, Outgoing::Init { .. }));
            self.stash.remove(oldest_note.unwrap_or(0));
        }
        self.stash.push(out);
    }
}

#[cfg(test)]
#[path = "live_feed_tests.rs"]
mod tests;
