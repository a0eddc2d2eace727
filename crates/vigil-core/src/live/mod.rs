//! Live view: decoding happens only while someone watches. [`LiveHub::watch`] subscribes a
//! new decoder thread to the camera's stream tap (a lossy feed: live view never slows
//! recording) and returns a [`LiveHandle`] from which a viewer reads the latest RGBA picture,
//! scaled to fit the tile size it asked for. Dropping the handle stops the decoding. Every
//! decoder of a hub shares one decode budget ([`budget`]): when decoding falls behind, watches
//! not marked priority ([`LiveHandle::set_priority`]) decode key frames only.
//! [`LiveHub::listen`] decodes a camera's sound for live listening ([`listen`]).

pub mod budget;
pub mod fanout;
mod frame;
mod gate;
pub mod listen;
pub mod packets;
#[cfg(test)]
mod test_stream;
mod worker;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;

use crate::ingest::tap::{StreamTap, SubscriptionId};
pub use budget::BudgetReport;
use budget::DecodeBudget;

pub use fanout::{FanoutStats, LiveViewer, Outgoing};
use frame::LiveSlot;
pub use frame::{LiveFrame, Repaint};
pub use listen::{ListenHandle, ListenState};
pub use packets::{LiveChunk, PacketWatch, PACKET_QUEUE};

/// Packets a live decoder may have waiting before ingest skips to the next keyframe for it.
const LIVE_QUEUE: usize = 48;

#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    #[error("no running camera named '{0}'")]
    UnknownCamera(String),
    #[error("camera '{0}' has no sub-stream (its settings name no live or detect sub-stream URL)")]
    NoSubStream(String),
    #[error("cannot start a live view thread: {0}")]
    Thread(#[from] std::io::Error),
}

/// Which of a camera's streams: the main stream (the one recorded) or its low-resolution
/// sub-stream (the detect sub-stream, when the camera has one), for small tiles.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum LiveStream {
    #[default]
    Main,
    Sub,
}

impl LiveStream {
    pub fn as_str(self) -> &'static str {
        match self {
            LiveStream::Main => "main",
            LiveStream::Sub => "sub",
        }
    }

    /// `main` or `sub`, as written in URLs and status.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "main" => Some(LiveStream::Main),
            "sub" => Some(LiveStream::Sub),
            _ => None,
        }
    }
}

type TapKey = (String, LiveStream);

/// One stream tap per camera name and stream, shared by the engine (which hands each tap to
/// the camera's ingest) and viewers (which subscribe), and the taps' fan-out packagers
/// ([`fanout`]). Cheap to clone.
#[derive(Clone, Default)]
pub struct LiveHub {
    inner: Arc<Mutex<HubInner>>,
    budget: Arc<DecodeBudget>,
}

#[derive(Default)]
struct HubInner {
    taps: HashMap<TapKey, Arc<StreamTap>>,
    packagers: fanout::Packagers,
}

impl LiveHub {
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> MutexGuard<'_, HubInner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// How many cores live decoding may use (default: 80 % of the machine's). Above it, or
    /// when a decoder falls behind, watches not marked priority decode key frames only.
    pub fn set_decode_budget(&self, cores: f32) {
        self.budget.set_capacity(cores);
    }

    /// The decode budget's capacity, the load measured and estimated, and whether it limits.
    pub fn decode_budget(&self) -> BudgetReport {
        self.budget.report()
    }

    /// The camera's main-stream tap, created on first use; it survives restarts of the
    /// camera.
    pub fn tap(&self, camera: &str) -> Arc<StreamTap> {
        self.tap_of(camera, LiveStream::Main)
    }

    /// The tap of one of the camera's streams, created on first use.
    pub fn tap_of(&self, camera: &str, stream: LiveStream) -> Arc<StreamTap> {
        Arc::clone(
            self.lock()
                .taps
                .entry((camera.to_string(), stream))
                .or_default(),
        )
    }

    /// Whether the camera has a tap for `stream` (a sub-stream tap exists only while the
    /// camera has a sub-stream).
    pub fn has(&self, camera: &str, stream: LiveStream) -> bool {
        self.lock().taps.contains_key(&(camera.to_string(), stream))
    }

    /// A camera was removed or disabled: its viewers stop receiving pictures.
    pub fn forget(&self, camera: &str) {
        let mut inner = self.lock();
        inner.taps.retain(|(name, _), _| name != camera);
        inner.packagers.forget_where(|(name, _)| name == camera);
    }

    /// The camera no longer has `stream` (its sub-stream was removed): its viewers end.
    pub fn forget_stream(&self, camera: &str, stream: LiveStream) {
        let key = (camera.to_string(), stream);
        let mut inner = self.lock();
        inner.taps.remove(&key);
        inner.packagers.forget_where(|k| *k == key);
    }

    /// Starts a packet-level watch of `camera`'s main stream for a remote viewer (see
    /// [`Self::watch_stream`]).
    pub fn watch_packets(&self, camera: &str) -> Result<PacketWatch, LiveError> {
        self.watch_stream(camera, LiveStream::Main)
    }

    /// Starts a packet-level watch of one of `camera`'s streams for a remote viewer:
    /// fragmented MP4, one fragment per packet, never decoded (see [`PacketWatch`]).
    pub fn watch_stream(&self, camera: &str, stream: LiveStream) -> Result<PacketWatch, LiveError> {
        let tap = self
            .lock()
            .taps
            .get(&(camera.to_string(), stream))
            .cloned()
            .ok_or_else(|| match stream {
                LiveStream::Main => LiveError::UnknownCamera(camera.to_string()),
                LiveStream::Sub => LiveError::NoSubStream(camera.to_string()),
            })?;
        Ok(PacketWatch::subscribe(camera, stream, tap))
    }

    /// Whether `watch` still follows its camera's current stream: false once the camera was
    /// removed or renamed, or lost that stream (a camera added again under the same name
    /// has a new stream).
    pub fn is_current(&self, watch: &PacketWatch) -> bool {
        self.lock()
            .taps
            .get(&(watch.camera().to_string(), watch.stream()))
            .is_some_and(|tap| Arc::ptr_eq(tap, watch.tap()))
    }

    /// Starts listening to `camera`'s main-stream sound, decoded to `rate` Hz and `channels`
    /// (see [`ListenHandle`]); `repaint` is called after each decoded packet.
    pub fn listen(
        &self,
        camera: &str,
        rate: u32,
        channels: u16,
        repaint: Option<Repaint>,
    ) -> Result<ListenHandle, LiveError> {
        let tap = self
            .lock()
            .taps
            .get(&(camera.to_string(), LiveStream::Main))
            .cloned()
            .ok_or_else(|| LiveError::UnknownCamera(camera.to_string()))?;
        ListenHandle::start(camera, tap, rate, channels, repaint)
    }

    /// Starts decoding `camera` for a viewer, fitted to `width`×`height` (aspect kept, never
    /// enlarged). `repaint` is called after each new picture. The first picture comes at the
    /// stream's next keyframe.
    pub fn watch(
        &self,
        camera: &str,
        width: u32,
        height: u32,
        repaint: Option<Repaint>,
    ) -> Result<LiveHandle, LiveError> {
        self.watch_decoded(camera, LiveStream::Main, width, height, repaint)
    }

    /// Starts decoding one of `camera`'s streams for a viewer (see [`Self::watch`]);
    /// `NoSubStream` when it has no sub-stream.
    pub fn watch_decoded(
        &self,
        camera: &str,
        stream: LiveStream,
        width: u32,
        height: u32,
        repaint: Option<Repaint>,
    ) -> Result<LiveHandle, LiveError> {
        let tap = self
            .lock()
            .taps
            .get(&(camera.to_string(), stream))
            .cloned()
            .ok_or_else(|| match stream {
                LiveStream::Main => LiveError::UnknownCamera(camera.to_string()),
                LiveStream::Sub => LiveError::NoSubStream(camera.to_string()),
            })?;
        let shared = Arc::new(LiveSlot::new(width, height, repaint));
        let (tx, rx) = crossbeam_channel::bounded(LIVE_QUEUE);
        let name = camera.to_string();
        let worker_shared = Arc::clone(&shared);
        let member = self.budget.join();
        let thread = std::thread::Builder::new()
            .name(format!("live-{camera}"))
            .spawn(move || worker::run(&name, &rx, &worker_shared, &member))?;
        let subscription = tap.subscribe(tx);
        Ok(LiveHandle {
            camera: camera.to_string(),
            stream,
            tap,
            subscription,
            shared,
            thread: Some(thread),
        })
    }
}

/// A viewer's end of one live decoder. Dropping it unsubscribes (the thread then ends on
/// its own; the viewer never waits for it).
pub struct LiveHandle {
    camera: String,
    stream: LiveStream,
    tap: Arc<StreamTap>,
    subscription: SubscriptionId,
    shared: Arc<LiveSlot>,
    thread: Option<JoinHandle<()>>,
}

impl LiveHandle {
    pub fn camera(&self) -> &str {
        &self.camera
    }

    /// Which of the camera's streams this handle decodes.
    pub fn stream(&self) -> LiveStream {
        self.stream
    }

    /// The latest picture, if any has been decoded yet.
    pub fn latest(&self) -> Option<Arc<LiveFrame>> {
        self.shared.latest()
    }

    /// Pictures published so far (compare to know whether there is a new one).
    pub fn frame_seq(&self) -> u64 {
        self.shared.seq()
    }

    /// Why the stream cannot be shown, when it cannot.
    pub fn error(&self) -> Option<String> {
        self.shared.error()
    }

    /// The box the pictures are fitted to.
    pub fn size(&self) -> (u32, u32) {
        self.shared.size()
    }

    /// A new tile size; takes effect from the next picture.
    pub fn set_size(&self, width: u32, height: u32) {
        self.shared.set_size(width, height);
    }

    /// Marks the watch a priority (the selected tile, full screen): it decodes every frame
    /// even while the decode budget limits the others to key frames.
    pub fn set_priority(&self, priority: bool) {
        self.shared.set_priority(priority);
    }

    /// Whether the decoder takes key frames only now (the decode budget is limited and this
    /// watch is not a priority, or it waits for the next key frame to come back).
    pub fn keyframes_only(&self) -> bool {
        self.shared.keyframes_only()
    }

    /// Stops decoding and waits for the thread (for tests and shutdown; a GUI just drops).
    pub fn stop(mut self) {
        self.detach();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }

    fn detach(&self) {
        self.shared.stop();
        self.tap.unsubscribe(self.subscription);
    }
}

impl Drop for LiveHandle {
    fn drop(&mut self) {
        self.detach();
    }
}
