//! Packet-level live watch for remote viewers (the web viewer): a camera's packets from its
//! stream tap, packaged one fragmented-MP4 fragment per packet ([`crate::media::live_fmp4`])
//! on the viewer's thread as it reads; never decoded. The feed is bounded and lossy: a
//! viewer that falls behind is skipped to the next keyframe by ingest, so it never slows
//! recording nor holds more than [`PACKET_QUEUE`] packets (shared with the recorder's).

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::Receiver;

use super::LiveStream;
use crate::ingest::tap::{StreamTap, SubscriptionId};
use crate::media::live_fmp4::{Fragment, InitSegment, LiveMuxer, Position, TrackParams};
use crate::packet::StreamEvent;

/// Packets a viewer may have waiting before ingest skips to the next keyframe for it.
pub const PACKET_QUEUE: usize = 64;

/// What a viewer receives, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiveChunk {
    /// Opens the stream, or reopens it with new parameters: append it before the fragments
    /// that follow. Decode times continue across reopenings (no holes, no going back).
    Init(InitSegment),
    /// One packet.
    Fragment(Fragment),
    /// The stream cannot be packaged; the sentence says why. Fragments may follow once a
    /// keyframe fixes it (an `Init` comes first then).
    Unplayable(String),
    /// The camera's connection ended; an `Init` comes when it is back.
    Ended,
}

/// A viewer's end of one packet watch. Dropping it unsubscribes.
pub struct PacketWatch {
    camera: String,
    stream: LiveStream,
    tap: Arc<StreamTap>,
    subscription: SubscriptionId,
    rx: Receiver<StreamEvent>,
    muxer: Option<LiveMuxer>,
    /// Where the viewer's timeline stands when no muxer is open.
    position: Position,
    problem: Option<String>,
    /// Chunks made from one event, not yet read (at most a few).
    ready: VecDeque<LiveChunk>,
}

impl PacketWatch {
    /// Subscribes to `tap`; the first chunk comes at the stream's next keyframe.
    pub(super) fn subscribe(camera: &str, stream: LiveStream, tap: Arc<StreamTap>) -> Self {
        let (tx, rx) = crossbeam_channel::bounded(PACKET_QUEUE);
        let subscription = tap.subscribe(tx);
        Self {
            camera: camera.to_string(),
            stream,
            tap,
            subscription,
            rx,
            muxer: None,
            position: Position::default(),
            problem: None,
            ready: VecDeque::new(),
        }
    }

    pub fn camera(&self) -> &str {
        &self.camera
    }

    /// Which of the camera's streams this watch follows.
    pub fn stream(&self) -> LiveStream {
        self.stream
    }

    pub(super) fn tap(&self) -> &Arc<StreamTap> {
        &self.tap
    }

    pub(super) fn subscription(&self) -> SubscriptionId {
        self.subscription
    }

    /// Packets waiting to be packaged (never more than [`Self::capacity`]).
    pub fn queued(&self) -> usize {
        self.rx.len()
    }

    pub fn capacity(&self) -> usize {
        PACKET_QUEUE
    }

    /// Why the stream cannot be packaged, while it cannot.
    pub fn problem(&self) -> Option<&str> {
        self.problem.as_deref()
    }

    /// The next chunk, if one is ready now.
    pub fn try_next(&mut self) -> Option<LiveChunk> {
        self.next_timeout(Duration::ZERO)
    }

    /// The next chunk, waiting at most `timeout` for one.
    pub fn next_timeout(&mut self, timeout: Duration) -> Option<LiveChunk> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(chunk) = self.ready.pop_front() {
                return Some(chunk);
            }
            let ev = match self.rx.try_recv() {
                Ok(ev) => ev,
                Err(_) => self.rx.recv_deadline(deadline).ok()?,
            };
            self.handle(ev);
        }
    }

    fn handle(&mut self, ev: StreamEvent) {
        match ev {
            StreamEvent::Started(info) => {
                self.close_muxer();
                match LiveMuxer::new(&TrackParams::of(&info), self.position) {
                    Ok(m) => self.muxer = Some(m),
                    Err(e) => self.set_problem(e.to_string()),
                }
            }
            StreamEvent::Packet(packet) => {
                let Some(muxer) = self.muxer.as_mut() else {
                    return;
                };
                match muxer.push(&packet) {
                    Ok(out) => {
                        if let Some(init) = out.init {
                            self.problem = None;
                            self.ready.push_back(LiveChunk::Init(init));
                        }
                        self.ready.extend(out.fragment.map(LiveChunk::Fragment));
                    }
                    Err(e) => self.set_problem(e.to_string()),
                }
            }
            StreamEvent::Audio(_) => {}
            StreamEvent::Ended => {
                self.close_muxer();
                self.ready.push_back(LiveChunk::Ended);
            }
        }
    }

    fn close_muxer(&mut self) {
        if let Some(m) = self.muxer.take() {
            self.position = m.position();
        }
    }

    /// Tells the viewer once per distinct problem.
    fn set_problem(&mut self, why: String) {
        if self.problem.as_deref() == Some(why.as_str()) {
            return;
        }
        tracing::debug!(camera = %self.camera, problem = %why, "live packets cannot be packaged");
        self.ready.push_back(LiveChunk::Unplayable(why.clone()));
        self.problem = Some(why);
    }
}

impl Drop for PacketWatch {
    fn drop(&mut self) {
        self.tap.unsubscribe(self.subscription);
    }
}

#[cfg(test)]
mod tests {
    use super::super::LiveHub;
    use super::*;
    use crate::live::test_stream::{packet, started};

    #[test]
    fn a_watch_gets_init_fragments_and_ends_and_its_timeline_continues_on_reconnection() {
        let hub = LiveHub::new();
        let tap = hub.tap("cam");
        assert!(hub.watch_packets("other").is_err());
        let mut watch = hub.watch_packets("cam").unwrap();
        assert!(watch.try_next().is_none());
        tap.offer(&started());
        for (n, key) in [(0, false), (1, true), (2, false)] {
            tap.offer(&packet(n, key));
        }
        tap.offer(&StreamEvent::Ended);
        tap.offer(&started());
        tap.offer(&packet(0, true));
        let got: Vec<LiveChunk> = std::iter::from_fn(|| watch.try_next()).collect();
        let kinds: Vec<String> = got
            .iter()
            .map(|c| match c {
                LiveChunk::Init(_) => "init".into(),
                LiveChunk::Fragment(f) => format!("{}@{}", f.sequence, f.decode_time),
                LiveChunk::Unplayable(why) => why.clone(),
                LiveChunk::Ended => "ended".into(),
            })
            .collect();
        assert_eq!(kinds, ["init", "1@0", "2@3600", "ended", "init", "3@7200"]);
        assert!(watch.problem().is_none());
        drop(watch);
        assert_eq!(tap.subscribers(), 0);
    }

    #[test]
    fn a_sub_stream_is_watched_only_while_its_tap_exists_and_forgetting_a_camera_ends_both() {
        let hub = LiveHub::new();
        hub.tap("cam");
        assert!(matches!(
            hub.watch_stream("cam", LiveStream::Sub),
            Err(super::super::LiveError::NoSubStream(_))
        ));
        let sub_tap = hub.tap_of("cam", LiveStream::Sub);
        let sub = hub.watch_stream("cam", LiveStream::Sub).unwrap();
        let main = hub.watch_packets("cam").unwrap();
        assert_eq!(
            (sub.stream(), main.stream()),
            (LiveStream::Sub, LiveStream::Main)
        );
        assert!(hub.is_current(&sub) && hub.is_current(&main));
        assert_eq!(sub_tap.subscribers(), 1);
        hub.forget_stream("cam", LiveStream::Sub);
        assert!(!hub.is_current(&sub) && hub.is_current(&main));
        hub.forget("cam");
        assert!(!hub.is_current(&main) && !hub.has("cam", LiveStream::Main));
    }
}
