//! A tap on a camera's stream that consumers join and leave while ingest runs (live view).
//! Each subscriber gets its own lossy feed; with nobody subscribed a packet costs ingest one
//! atomic load. The tap remembers the current connection's stream so a late subscriber's
//! decoder can start at the next keyframe. It outlives camera restarts: the engine keeps
//! one tap per camera name and hands it to each new ingest thread. A listener
//! ([`StreamTap::subscribe_sound`]) opts in to the sound instead: the connection's `Started`,
//! its audio packets and `Ended`, each dropped when the listener's queue is full.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use crossbeam_channel::Sender;

use super::lossy::LossyFeed;
use crate::packet::{StreamEvent, StreamInfo};

/// Identifies one subscription, to leave it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SubscriptionId(u64);

#[derive(Debug, Default)]
pub struct StreamTap {
    /// Someone is subscribed (read per packet without the lock).
    watched: AtomicBool,
    next_id: AtomicU64,
    inner: Mutex<TapInner>,
}

#[derive(Debug, Default)]
struct TapInner {
    current: Option<Arc<StreamInfo>>,
    subscribers: Vec<Subscriber>,
}

#[derive(Debug)]
struct Subscriber {
    id: SubscriptionId,
    tx: Sender<StreamEvent>,
    feed: LossyFeed,
    /// A listener: gets the sound (and connection boundaries), never the pictures.
    sound: bool,
}

/// Offers one event to a listener; false when it is gone. A full queue drops the event.
fn offer_sound(tx: &Sender<StreamEvent>, ev: &StreamEvent) -> bool {
    if matches!(ev, StreamEvent::Packet(_)) {
        return true;
    }
    !matches!(
        tx.try_send(ev.clone()),
        Err(crossbeam_channel::TrySendError::Disconnected(_))
    )
}

impl StreamTap {
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> MutexGuard<'_, TapInner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Called by ingest for every event; never blocks on a subscriber.
    pub fn offer(&self, ev: &StreamEvent) {
        let is_packet = matches!(ev, StreamEvent::Packet(_) | StreamEvent::Audio(_));
        if is_packet && !self.watched.load(Ordering::Relaxed) {
            return;
        }
        let mut inner = self.lock();
        match ev {
            StreamEvent::Started(info) => inner.current = Some(Arc::clone(info)),
            StreamEvent::Ended => inner.current = None,
            StreamEvent::Packet(_) | StreamEvent::Audio(_) => {}
        }
        inner.subscribers.retain_mut(|s| {
            if s.sound {
                offer_sound(&s.tx, ev)
            } else {
                s.feed.offer(&s.tx, ev)
            }
        });
        self.watched
            .store(!inner.subscribers.is_empty(), Ordering::Relaxed);
    }

    /// Starts delivering to `tx` (from the next keyframe on).
    pub fn subscribe(&self, tx: Sender<StreamEvent>) -> SubscriptionId {
        let id = SubscriptionId(self.next_id.fetch_add(1, Ordering::Relaxed));
        let mut inner = self.lock();
        let feed = LossyFeed::joining(Duration::ZERO, inner.current.clone());
        inner.subscribers.push(Subscriber {
            id,
            tx,
            feed,
            sound: false,
        });
        self.watched.store(true, Ordering::Relaxed);
        id
    }

    /// Starts delivering the sound to `tx`: the current connection's `Started` at once (if
    /// there is one), then its audio packets and connection boundaries, never video.
    pub fn subscribe_sound(&self, tx: Sender<StreamEvent>) -> SubscriptionId {
        let id = SubscriptionId(self.next_id.fetch_add(1, Ordering::Relaxed));
        let mut inner = self.lock();
        if let Some(info) = inner.current.clone() {
            let _ = tx.try_send(StreamEvent::Started(info));
        }
        let feed = LossyFeed::new(Duration::ZERO);
        inner.subscribers.push(Subscriber {
            id,
            tx,
            feed,
            sound: true,
        });
        self.watched.store(true, Ordering::Relaxed);
        id
    }

    /// Stops delivering to a subscriber; dropping its sender ends the consumer's channel.
    pub fn unsubscribe(&self, id: SubscriptionId) {
        let mut inner = self.lock();
        inner.subscribers.retain(|s| s.id != id);
        self.watched
            .store(!inner.subscribers.is_empty(), Ordering::Relaxed);
    }

    pub fn subscribers(&self) -> usize {
        self.lock().subscribers.len()
    }
}
