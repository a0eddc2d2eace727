//! Live fan-out to many remote viewers (the web viewer's sockets): one packager per
//! (camera, stream) tap, started with the tap's first viewer and ended with its last (or when
//! the camera is forgotten: its viewers then get a last `ended` note). The packager's thread
//! reads the tap through one [`PacketWatch`], so each packet is muxed once into its complete
//! wire message ([`wire`]), which every viewer's queue ([`viewer`]) then shares: per viewer
//! and frame the cost is a reference count and a `try_send`. Late joiners get the tap's
//! current init segment and start at the next keyframe; decode times continue across camera
//! reconnections for as long as the packager runs.

mod viewer;
pub mod wire;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::sync::mpsc;

use super::packets::PacketWatch;
use super::{LiveChunk, LiveError, LiveHub, LiveStream, TapKey};
use crate::ingest::tap::{StreamTap, SubscriptionId};
use crate::model::time::now_us;
use viewer::Viewer;

pub use viewer::QUEUE;
pub use wire::Outgoing;

/// How long the packager waits for a chunk before looking whether it was stopped (a stop
/// also wakes it at once, by closing its feed).
const IDLE: Duration = Duration::from_secs(60);

/// The running packagers, by tap (inside the hub's lock).
#[derive(Default)]
pub(super) struct Packagers(HashMap<TapKey, Arc<Packager>>);

impl Packagers {
    /// Ends the packagers of the taps `gone` selects: their viewers get a last `ended` note.
    pub(super) fn forget_where(&mut self, gone: impl Fn(&TapKey) -> bool) {
        self.0.retain(|key, p| {
            if gone(key) {
                p.forgotten.store(true, Ordering::Relaxed);
                p.stop();
            }
            !gone(key)
        });
    }
}

/// Counters of a running packager (tests, diagnostics).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FanoutStats {
    pub viewers: usize,
    /// Fragments packaged so far (each once, whatever the number of viewers).
    pub packaged: u64,
}

/// One tap's packager: its thread owns the watch; viewers join and leave through the state.
pub(super) struct Packager {
    key: TapKey,
    tap: Arc<StreamTap>,
    subscription: SubscriptionId,
    state: Mutex<State>,
    stopped: AtomicBool,
    forgotten: AtomicBool,
    packaged: AtomicU64,
}

#[derive(Default)]
struct State {
    viewers: Vec<(u64, Viewer)>,
    next_id: u64,
    /// The current init segment and `unplayable` note, for late joiners.
    init: Option<Outgoing>,
    problem: Option<Outgoing>,
}

impl Packager {
    fn start(key: TapKey, tap: Arc<StreamTap>) -> std::io::Result<Arc<Self>> {
        let watch = PacketWatch::subscribe(&key.0, key.1, Arc::clone(&tap));
        let p = Arc::new(Self {
            subscription: watch.subscription(),
            key,
            tap,
            state: Mutex::default(),
            stopped: AtomicBool::new(false),
            forgotten: AtomicBool::new(false),
            packaged: AtomicU64::new(0),
        });
        let ours = Arc::clone(&p);
        std::thread::Builder::new()
            .name(format!("live-fan-{}", p.key.0))
            .spawn(move || run(&ours, watch))?;
        Ok(p)
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn join(&self, tx: mpsc::Sender<Outgoing>) -> u64 {
        let mut st = self.lock();
        let held = st.init.iter().chain(&st.problem).cloned().collect();
        let id = st.next_id;
        st.next_id += 1;
        st.viewers.push((id, Viewer::joining(tx, held)));
        id
    }

    /// Removes a viewer; answers how many remain.
    fn leave(&self, id: u64) -> usize {
        let mut st = self.lock();
        if let Some(i) = st.viewers.iter().position(|(v, _)| *v == id) {
            let (_, gone) = st.viewers.swap_remove(i);
            if gone.dropped > 0 {
                tracing::debug!(camera = %self.key.0, dropped = gone.dropped,
                    "a slow web viewer skipped fragments to the next keyframe");
            }
        }
        st.viewers.len()
    }

    /// Stops the thread: leaving the tap closes the watch's feed, which wakes it.
    fn stop(&self) {
        self.stopped.store(true, Ordering::Relaxed);
        self.tap.unsubscribe(self.subscription);
    }

    /// Packages one chunk once and offers it to every viewer.
    fn fan_out(&self, chunk: LiveChunk) {
        let keyframe = matches!(&chunk, LiveChunk::Fragment(f) if f.keyframe);
        let is_init = matches!(chunk, LiveChunk::Init(_));
        let is_problem = matches!(chunk, LiveChunk::Unplayable(_));
        let is_end = matches!(chunk, LiveChunk::Ended);
        let out = wire::encode(chunk, now_us());
        let mut st = self.lock();
        if is_init {
            st.init = Some(out.clone());
            st.problem = None;
        } else if is_problem {
            st.problem = Some(out.clone());
        } else if is_end {
            st.init = None;
            st.problem = None;
        } else {
            self.packaged.fetch_add(1, Ordering::Relaxed);
        }
        st.viewers
            .retain_mut(|(_, v)| v.offer(out.clone(), keyframe).is_ok());
    }

    /// The camera was removed (or lost this stream): each viewer's last message.
    fn say_last(&self) {
        let why = match self.key.1 {
            LiveStream::Main => format!("camera '{}' was removed or renamed", self.key.0),
            LiveStream::Sub => format!("camera '{}' no longer has a sub-stream", self.key.0),
        };
        let last = Outgoing::Last(wire::note("ended", &why));
        for (_, v) in std::mem::take(&mut self.lock().viewers) {
            v.last(last.clone());
        }
    }
}

/// The packager's thread: chunks from the watch to the viewers until stopped (then what was
/// still queued, and the last note when the camera was forgotten).
fn run(p: &Packager, mut watch: PacketWatch) {
    loop {
        match watch.next_timeout(IDLE) {
            Some(chunk) => p.fan_out(chunk),
            None if p.stopped.load(Ordering::Relaxed) => break,
            None => {}
        }
    }
    drop(watch);
    if p.forgotten.load(Ordering::Relaxed) {
        p.say_last();
    }
    tracing::debug!(camera = %p.key.0, stream = p.key.1.as_str(), "live packager stopped");
}

/// A viewer's membership of a tap's fan-out; its messages come through the receiver
/// [`LiveHub::view`] returned with it. Dropping it leaves (the last viewer stops the
/// packager).
pub struct LiveViewer {
    hub: LiveHub,
    packager: Arc<Packager>,
    id: u64,
}

impl LiveViewer {
    pub fn camera(&self) -> &str {
        &self.packager.key.0
    }

    pub fn stream(&self) -> LiveStream {
        self.packager.key.1
    }
}

impl Drop for LiveViewer {
    fn drop(&mut self) {
        let mut inner = self.hub.lock();
        if self.packager.leave(self.id) > 0 {
            return;
        }
        let key = &self.packager.key;
        if inner
            .packagers
            .0
            .get(key)
            .is_some_and(|p| Arc::ptr_eq(p, &self.packager))
        {
            inner.packagers.0.remove(key);
        }
        self.packager.stop();
    }
}

impl LiveHub {
    /// Joins the fan-out of one of `camera`'s streams (starting its packager if it is the
    /// first viewer): the wire messages come through the receiver, at most [`QUEUE`]
    /// waiting, from the next keyframe on (after the current init segment).
    pub fn view(
        &self,
        camera: &str,
        stream: LiveStream,
    ) -> Result<(LiveViewer, mpsc::Receiver<Outgoing>), LiveError> {
        let key = (camera.to_string(), stream);
        let mut inner = self.lock();
        let tap = inner.taps.get(&key).cloned().ok_or_else(|| match stream {
            LiveStream::Main => LiveError::UnknownCamera(camera.to_string()),
            LiveStream::Sub => LiveError::NoSubStream(camera.to_string()),
        })?;
        let packager = match inner.packagers.0.get(&key) {
            Some(p) => Arc::clone(p),
            None => {
                let p = Packager::start(key.clone(), tap)?;
                inner.packagers.0.insert(key, Arc::clone(&p));
                p
            }
        };
        let (tx, rx) = mpsc::channel(QUEUE);
        let id = packager.join(tx);
        drop(inner);
        let viewer = LiveViewer {
            hub: self.clone(),
            packager,
            id,
        };
        Ok((viewer, rx))
    }

    /// The counters of a tap's packager, while one runs.
    pub fn fanout_stats(&self, camera: &str, stream: LiveStream) -> Option<FanoutStats> {
        let inner = self.lock();
        let p = inner.packagers.0.get(&(camera.to_string(), stream))?;
        let viewers = p.lock().viewers.len();
        Some(FanoutStats {
            viewers,
            packaged: p.packaged.load(Ordering::Relaxed),
        })
    }
}

#[cfg(test)]
mod tests;
