//! The recorder queue: ingest → recorder, bounded in packets *and* bytes. A camera sending
//! huge packets (a 4K keyframe every frame, a corrupt length) cannot make the queue hold more
//! than [`DEFAULT_MAX_BYTES`]; ingest waits for room as it does for a full channel (an alarm,
//! never a drop). A packet larger than the whole budget still passes when the queue is empty.

use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, SendTimeoutError, Sender};

use crate::packet::StreamEvent;

/// Default byte cap of one camera's recorder queue: 64 MiB.
pub const DEFAULT_MAX_BYTES: usize = 64 << 20;

/// Bytes of packet data queued, shared by both ends.
#[derive(Debug)]
struct Budget {
    held: Mutex<usize>,
    room: Condvar,
    max: usize,
}

impl Budget {
    fn lock(&self) -> MutexGuard<'_, usize> {
        self.held.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Reserves `n` bytes, waiting up to `timeout` for room; false if there was none.
    fn reserve(&self, n: usize, timeout: Duration) -> bool {
        let end = Instant::now() + timeout;
        let mut held = self.lock();
        while *held != 0 && held.saturating_add(n) > self.max {
            let now = Instant::now();
            if now >= end {
                return false;
            }
            held = match self.room.wait_timeout(held, end - now) {
                Ok((g, _)) => g,
                Err(p) => p.into_inner().0,
            };
        }
        *held = held.saturating_add(n);
        true
    }

    fn release(&self, n: usize) {
        if n == 0 {
            return;
        }
        let mut held = self.lock();
        *held = held.saturating_sub(n);
        self.room.notify_all();
    }
}

fn bytes_of(ev: &StreamEvent) -> usize {
    match ev {
        StreamEvent::Packet(p) | StreamEvent::Audio(p) => p.data.len(),
        _ => 0,
    }
}

/// Ingest's end.
#[derive(Debug, Clone)]
pub struct RecorderTx {
    tx: Sender<StreamEvent>,
    budget: Arc<Budget>,
}

/// The recorder's end: [`RecorderRx::release`] every event taken from [`RecorderRx::receiver`].
#[derive(Debug)]
pub struct RecorderRx {
    rx: Receiver<StreamEvent>,
    budget: Arc<Budget>,
}

/// A queue of at most `max_packets` events and `max_bytes` bytes of packet data.
pub fn bounded(max_packets: usize, max_bytes: usize) -> (RecorderTx, RecorderRx) {
    let (tx, rx) = crossbeam_channel::bounded(max_packets);
    let budget = Arc::new(Budget {
        held: Mutex::new(0),
        room: Condvar::new(),
        max: max_bytes,
    });
    (
        RecorderTx {
            tx,
            budget: Arc::clone(&budget),
        },
        RecorderRx { rx, budget },
    )
}

impl RecorderTx {
    /// Sends, waiting at most `timeout` for room (bytes and places); gives the event back on
    /// a timeout or when the recorder is gone.
    pub fn send_timeout(
        &self,
        ev: StreamEvent,
        timeout: Duration,
    ) -> Result<(), SendTimeoutError<StreamEvent>> {
        let start = Instant::now();
        let n = bytes_of(&ev);
        if !self.budget.reserve(n, timeout) {
            return Err(SendTimeoutError::Timeout(ev));
        }
        let left = timeout.saturating_sub(start.elapsed());
        self.tx.send_timeout(ev, left).inspect_err(|_| {
            self.budget.release(n);
        })
    }

    /// Bytes of packet data waiting for the recorder.
    pub fn queued_bytes(&self) -> usize {
        *self.budget.lock()
    }
}

impl RecorderRx {
    pub fn receiver(&self) -> &Receiver<StreamEvent> {
        &self.rx
    }

    /// Returns an event's bytes to the budget once it has been taken off the queue.
    pub fn release(&self, ev: &StreamEvent) {
        self.budget.release(bytes_of(ev));
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::packet::Packet;

    fn pkt(bytes: usize) -> StreamEvent {
        StreamEvent::Packet(Packet {
            data: Arc::from(vec![0u8; bytes]),
            pts: 0,
            dts: 0,
            duration: 0,
            keyframe: true,
            wall_us: 0,
        })
    }

    const SHORT: Duration = Duration::from_millis(20);

    #[test]
    fn bytes_bound_the_queue_before_places_do() {
        let (tx, rx) = bounded(512, 10_000);
        for _ in 0..5 {
            assert!(tx.send_timeout(pkt(2_000), SHORT).is_ok());
        }
        assert_eq!(tx.queued_bytes(), 10_000);
        // 5 of 512 places used, but the bytes are spent: the sixth waits and comes back.
        assert!(matches!(
            tx.send_timeout(pkt(1), SHORT),
            Err(SendTimeoutError::Timeout(_))
        ));
        assert_eq!(tx.queued_bytes(), 10_000);
        // Connection boundaries carry no bytes and still pass.
        assert!(tx.send_timeout(StreamEvent::Ended, SHORT).is_ok());
        let ev = rx.receiver().recv().expect("queued");
        rx.release(&ev);
        assert_eq!(tx.queued_bytes(), 8_000);
        assert!(tx.send_timeout(pkt(2_000), SHORT).is_ok());
    }

    #[test]
    fn audio_packets_count_against_the_budget_too() {
        let (tx, rx) = bounded(512, 3_000);
        let StreamEvent::Packet(p) = pkt(2_000) else {
            unreachable!()
        };
        assert!(tx.send_timeout(StreamEvent::Audio(p), SHORT).is_ok());
        assert_eq!(tx.queued_bytes(), 2_000);
        assert!(tx.send_timeout(pkt(2_000), SHORT).is_err());
        let ev = rx.receiver().recv().expect("queued");
        rx.release(&ev);
        assert_eq!(tx.queued_bytes(), 0);
    }

    #[test]
    fn a_packet_larger_than_the_budget_passes_an_empty_queue() {
        let (tx, rx) = bounded(8, 1_000);
        assert!(tx.send_timeout(pkt(5_000), SHORT).is_ok());
        assert!(tx.send_timeout(pkt(10), SHORT).is_err());
        let ev = rx.receiver().recv().expect("queued");
        rx.release(&ev);
        assert_eq!(tx.queued_bytes(), 0);
    }

    #[test]
    fn a_waiting_sender_gets_room_when_the_recorder_takes_a_packet() {
        let (tx, rx) = bounded(512, 4_000);
        assert!(tx.send_timeout(pkt(4_000), SHORT).is_ok());
        let taker = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(50));
            let ev = rx.receiver().recv().expect("queued");
            rx.release(&ev);
            rx
        });
        assert!(tx.send_timeout(pkt(4_000), Duration::from_secs(10)).is_ok());
        let _rx = taker.join().expect("taker");
    }

    #[test]
    fn a_gone_recorder_returns_the_bytes() {
        let (tx, rx) = bounded(8, 1_000);
        drop(rx);
        assert!(matches!(
            tx.send_timeout(pkt(10), SHORT),
            Err(SendTimeoutError::Disconnected(_))
        ));
        assert_eq!(tx.queued_bytes(), 0);
    }
}
