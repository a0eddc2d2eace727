//! The engine-wide event feed: every recorder tells it when an event row begins, gets its
//! clip, and ends, and it hands each notice to its subscribers (MQTT publishes them) over
//! bounded channels. A subscriber that reads slowly loses notices; the recorder never waits.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use crossbeam_channel::{Receiver, Sender, TrySendError};

use crate::model::EventSource;

/// What happened to an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    /// Its row was written.
    New,
    /// Its clip began to be written.
    Update,
    /// It ended (its end time is known).
    End,
}

impl NoticeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeKind::New => "new",
            NoticeKind::Update => "update",
            NoticeKind::End => "end",
        }
    }
}

/// One event's state at a notice.
#[derive(Debug, Clone, PartialEq)]
pub struct EventNotice {
    pub kind: NoticeKind,
    pub id: i64,
    pub camera: String,
    pub source: EventSource,
    pub label: String,
    pub zone_id: Option<i64>,
    pub start_us: i64,
    pub end_us: Option<i64>,
    /// The detector's score (1 for triggers), and for an object event the best sighting's box.
    pub score: f32,
    pub object_box: Option<crate::model::ObjectBox>,
    /// The event has a thumbnail (`/api/events/{id}/thumbnail.jpg`).
    pub has_snapshot: bool,
    /// The thumbnail's JPEG, on the `new` notice only.
    pub thumbnail: Option<Arc<Vec<u8>>>,
}

/// Subscribers of the feed. Cheap to clone; clones share the subscribers.
#[derive(Debug, Clone, Default)]
pub struct EventFeed {
    subscribers: Arc<Mutex<Vec<Sender<EventNotice>>>>,
    dropped: Arc<AtomicU64>,
}

impl EventFeed {
    pub fn new() -> Self {
        Self::default()
    }

    /// A new subscription holding at most `capacity` notices; dropping the receiver ends it.
    pub fn subscribe(&self, capacity: usize) -> Receiver<EventNotice> {
        let (tx, rx) = crossbeam_channel::bounded(capacity.max(1));
        if let Ok(mut subs) = self.subscribers.lock() {
            subs.push(tx);
        }
        rx
    }

    /// Hands `notice` to every subscriber that has room; never blocks.
    pub fn publish(&self, notice: &EventNotice) {
        let Ok(mut subs) = self.subscribers.lock() else {
            return;
        };
        subs.retain(|tx| match tx.try_send(notice.clone()) {
            Ok(()) => true,
            Err(TrySendError::Full(_)) => {
                self.dropped.fetch_add(1, Ordering::Relaxed);
                true
            }
            Err(TrySendError::Disconnected(_)) => false,
        });
    }

    /// Whether anyone listens (the recorder skips building notices otherwise).
    pub fn has_subscribers(&self) -> bool {
        self.subscribers.lock().is_ok_and(|s| !s.is_empty())
    }

    /// Notices lost because a subscriber was full.
    pub fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notice(id: i64) -> EventNotice {
        EventNotice {
            kind: NoticeKind::New,
            id,
            camera: "yard".into(),
            source: EventSource::External,
            label: "door".into(),
            zone_id: None,
            start_us: 1,
            end_us: None,
            score: 1.0,
            object_box: None,
            has_snapshot: false,
            thumbnail: None,
        }
    }

    #[test]
    fn a_full_subscriber_loses_notices_and_a_gone_one_is_forgotten() {
        let feed = EventFeed::new();
        assert!(!feed.has_subscribers());
        let slow = feed.subscribe(1);
        let gone = feed.subscribe(4);
        drop(gone);
        feed.publish(&notice(1));
        feed.publish(&notice(2));
        assert_eq!(slow.try_iter().map(|n| n.id).collect::<Vec<_>>(), [1]);
        assert_eq!(feed.dropped(), 1);
        assert_eq!(feed.subscribers.lock().map(|s| s.len()).unwrap_or(0), 1);
    }
}
