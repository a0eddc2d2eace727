//! Lossy feeds: how ingest hands packets to consumers that may fall behind (the motion
//! analyzer, live view) without ever slowing the recorder. When a consumer's queue is full,
//! packets are skipped up to the next keyframe, so its decoder never sees a broken reference
//! chain; a connection's `Started` is re-offered before that keyframe if it did not fit.

use std::sync::Arc;
use std::time::Duration;

use crossbeam_channel::{Sender, TrySendError};

use crate::packet::{StreamEvent, StreamInfo};

/// Delivery state of one lossy consumer, for one ingest thread.
#[derive(Debug)]
pub struct LossyFeed {
    /// How long a connection boundary (`Started`, `Ended`) may wait for room; zero never waits.
    boundary_wait: Duration,
    /// The consumer missed something: skip to the next keyframe.
    resync: bool,
    /// A `Started` the consumer has not received yet; sent before the next packet.
    pending: Option<Arc<StreamInfo>>,
}

impl LossyFeed {
    pub fn new(boundary_wait: Duration) -> Self {
        Self {
            boundary_wait,
            resync: true,
            pending: None,
        }
    }

    /// A feed that joins a stream already running: it starts with that stream's `Started`.
    pub fn joining(boundary_wait: Duration, current: Option<Arc<StreamInfo>>) -> Self {
        Self {
            pending: current,
            ..Self::new(boundary_wait)
        }
    }

    /// Offers one event. Returns false when the consumer is gone.
    pub fn offer(&mut self, tx: &Sender<StreamEvent>, ev: &StreamEvent) -> bool {
        match ev {
            StreamEvent::Packet(p) => {
                if self.resync && !p.keyframe {
                    return true;
                }
                if let Some(info) = &self.pending {
                    match tx.try_send(StreamEvent::Started(Arc::clone(info))) {
                        Ok(()) => self.pending = None,
                        Err(TrySendError::Full(_)) => {
                            self.resync = true;
                            return true;
                        }
                        Err(TrySendError::Disconnected(_)) => return false,
                    }
                }
                match tx.try_send(ev.clone()) {
                    Ok(()) => self.resync = false,
                    Err(TrySendError::Full(_)) => self.resync = true,
                    Err(TrySendError::Disconnected(_)) => return false,
                }
                true
            }
            StreamEvent::Started(info) => {
                self.resync = true;
                self.pending = Some(Arc::clone(info));
                match self.send_boundary(tx, ev) {
                    Some(true) => self.pending = None,
                    Some(false) => {}
                    None => return false,
                }
                true
            }
            // Lossy consumers (analysis, live pictures) are video-only: sound is not theirs.
            StreamEvent::Audio(_) => true,
            StreamEvent::Ended => {
                self.resync = true;
                self.pending = None;
                self.send_boundary(tx, ev).is_some()
            }
        }
    }

    /// Connection boundaries matter to a consumer's decoder: worth a short wait (if allowed).
    /// `Some(sent)`, or `None` when the consumer is gone.
    fn send_boundary(&self, tx: &Sender<StreamEvent>, ev: &StreamEvent) -> Option<bool> {
        use crossbeam_channel::SendTimeoutError;
        let res = if self.boundary_wait.is_zero() {
            tx.try_send(ev.clone()).map_err(|e| match e {
                TrySendError::Full(_) => SendTimeoutError::Timeout(()),
                TrySendError::Disconnected(_) => SendTimeoutError::Disconnected(()),
            })
        } else {
            tx.send_timeout(ev.clone(), self.boundary_wait)
                .map_err(|e| match e {
                    SendTimeoutError::Timeout(_) => SendTimeoutError::Timeout(()),
                    SendTimeoutError::Disconnected(_) => SendTimeoutError::Disconnected(()),
                })
        };
        match res {
            Ok(()) => Some(true),
            Err(SendTimeoutError::Timeout(())) => Some(false),
            Err(SendTimeoutError::Disconnected(())) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packet::Packet;

    fn pkt(n: i64, key: bool) -> StreamEvent {
        StreamEvent::Packet(Packet {
            data: Arc::from(vec![0u8; 4]),
            pts: n,
            dts: n,
            duration: 1,
            keyframe: key,
            wall_us: n,
        })
    }

    fn pts(ev: &StreamEvent) -> Option<i64> {
        match ev {
            StreamEvent::Packet(p) => Some(p.pts),
            _ => None,
        }
    }

    #[test]
    fn full_queue_skips_to_the_next_keyframe() {
        let (tx, rx) = crossbeam_channel::bounded(2);
        let mut feed = LossyFeed::new(Duration::ZERO);
        for (n, key) in [(0, true), (1, false), (2, false), (3, false), (4, true)] {
            if n == 4 {
                // The consumer catches up before the next keyframe.
                let got: Vec<_> = rx.try_iter().filter_map(|e| pts(&e)).collect();
                assert_eq!(got, vec![0, 1]);
            }
            assert!(feed.offer(&tx, &pkt(n, key)));
        }
        let got: Vec<_> = rx.try_iter().filter_map(|e| pts(&e)).collect();
        assert_eq!(got, vec![4], "2 was dropped, so 3 must be skipped too");
    }

    #[test]
    fn a_late_joiner_gets_started_before_its_first_keyframe() {
        let (tx, rx) = crossbeam_channel::bounded(8);
        let mut feed = LossyFeed::joining(Duration::ZERO, None);
        assert!(feed.offer(&tx, &pkt(0, false)));
        assert!(rx.is_empty(), "no packet before a keyframe");
        drop(feed);
        let info = Arc::new(StreamInfo {
            codec: crate::packet::VideoCodec::H264,
            width: 64,
            height: 48,
            time_base: (1, 90_000),
            fps: None,
            params: crate::packet::SharedParams::new(ffmpeg_next::codec::Parameters::new()),
            audio: None,
        });
        let mut feed = LossyFeed::joining(Duration::ZERO, Some(info));
        assert!(feed.offer(&tx, &pkt(1, false)));
        assert!(feed.offer(&tx, &pkt(2, true)));
        let evs: Vec<_> = rx.try_iter().collect();
        assert!(matches!(evs[0], StreamEvent::Started(_)));
        assert_eq!(pts(&evs[1]), Some(2));
        drop(rx);
        assert!(!feed.offer(&tx, &pkt(3, true)), "consumer gone");
    }
}
