//! Live listening: [`ListenHandle`] — a camera's main-stream sound, decoded on a thread of its
//! own from the stream tap (a listener's opt-in: audio packets only, dropped when it falls
//! behind, so listening never slows recording), handed out as [`AudioBlock`]s through a
//! bounded queue that drops the newest block when the front end does not take them.
//! Dropping the handle stops it.

use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;

use crossbeam_channel::{Receiver, Sender, TrySendError};

use super::{LiveError, Repaint};
use crate::ingest::tap::{StreamTap, SubscriptionId};
use crate::media::audio_decode::{AudioBlock, AudioDecoder};
use crate::packet::StreamEvent;

/// Audio packets a listener may have waiting before the tap drops them (about 2 s of AAC).
const LISTEN_QUEUE: usize = 96;
/// Decoded blocks waiting for the front end before new ones are dropped.
const BLOCK_QUEUE: usize = 48;

/// What a listener knows about the sound, for the front end.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListenState {
    /// The codec the camera sends (`aac`, `opus`, `pcm_mulaw`, …), once connected.
    pub codec: Option<String>,
    /// Why there is nothing to hear, in words (no sound from the camera, a decoder error).
    pub problem: Option<String>,
    /// Blocks decoded so far, and dropped because the front end did not take them.
    pub decoded: u64,
    pub dropped: u64,
}

/// A front end's end of one live listener.
pub struct ListenHandle {
    camera: String,
    tap: Arc<StreamTap>,
    subscription: SubscriptionId,
    blocks: Receiver<AudioBlock>,
    state: Arc<Mutex<ListenState>>,
    thread: Option<JoinHandle<()>>,
}

fn lock(m: &Mutex<ListenState>) -> MutexGuard<'_, ListenState> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl ListenHandle {
    /// Subscribes a listener to `tap` decoding to `rate` Hz and `channels`.
    pub(super) fn start(
        camera: &str,
        tap: Arc<StreamTap>,
        rate: u32,
        channels: u16,
        repaint: Option<Repaint>,
    ) -> Result<Self, LiveError> {
        let (tx, rx) = crossbeam_channel::bounded(LISTEN_QUEUE);
        let (btx, blocks) = crossbeam_channel::bounded(BLOCK_QUEUE);
        let state = Arc::new(Mutex::new(ListenState::default()));
        let worker_state = Arc::clone(&state);
        let thread = std::thread::Builder::new()
            .name(format!("listen-{camera}"))
            .spawn(move || run(&rx, &btx, (rate, channels), &worker_state, repaint.as_ref()))?;
        let subscription = tap.subscribe_sound(tx);
        Ok(Self {
            camera: camera.to_string(),
            tap,
            subscription,
            blocks,
            state,
            thread: Some(thread),
        })
    }

    pub fn camera(&self) -> &str {
        &self.camera
    }

    /// The blocks decoded since the last call, oldest first.
    pub fn take_blocks(&self) -> Vec<AudioBlock> {
        self.blocks.try_iter().collect()
    }

    /// The codec, the problem if any, and the counts.
    pub fn state(&self) -> ListenState {
        lock(&self.state).clone()
    }

    /// Stops listening and waits for the thread (tests; a front end just drops the handle).
    pub fn stop(mut self) {
        self.tap.unsubscribe(self.subscription);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for ListenHandle {
    fn drop(&mut self) {
        // The worker sees its channel close and ends; nobody waits for it.
        self.tap.unsubscribe(self.subscription);
    }
}

/// The listener thread: a decoder per connection, blocks out until the tap lets go.
fn run(
    rx: &Receiver<StreamEvent>,
    out: &Sender<AudioBlock>,
    (rate, channels): (u32, u16),
    state: &Mutex<ListenState>,
    repaint: Option<&Repaint>,
) {
    let mut decoder: Option<AudioDecoder> = None;
    for ev in rx.iter() {
        match ev {
            StreamEvent::Started(info) => {
                let mut s = lock(state);
                decoder = None;
                match &info.audio {
                    Some(audio) => {
                        s.codec = Some(audio.codec.as_str().to_string());
                        match AudioDecoder::for_stream(audio, rate, channels) {
                            Ok(d) => {
                                decoder = Some(d);
                                s.problem = None;
                            }
                            Err(e) => s.problem = Some(e.to_string()),
                        }
                    }
                    None => {
                        s.codec = None;
                        s.problem = Some("the camera sends no sound".to_string());
                    }
                }
            }
            StreamEvent::Audio(pkt) => {
                let Some(dec) = decoder.as_mut() else {
                    continue;
                };
                let blocks = match dec.decode(&pkt) {
                    Ok(b) => b,
                    Err(e) => {
                        lock(state).problem = Some(e.to_string());
                        continue;
                    }
                };
                let mut s = lock(state);
                for b in blocks {
                    s.decoded += 1;
                    match out.try_send(b) {
                        Ok(()) => {}
                        Err(TrySendError::Full(_)) => s.dropped += 1,
                        Err(TrySendError::Disconnected(_)) => return,
                    }
                }
                drop(s);
                if let Some(r) = repaint {
                    r();
                }
            }
            StreamEvent::Ended => decoder = None,
            StreamEvent::Packet(_) => {}
        }
    }
    tracing::debug!("live listening ended");
}

#[cfg(test)]
#[path = "listen_tests.rs"]
mod tests;
