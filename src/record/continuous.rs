//! Continuous recording: every packet into back-to-back segments cut at keyframes.

use crate::model::{Policy, SegmentKind};
use crate::packet::{Packet, StreamInfo};

use super::segmenter::{Cut, Segmenter};
use super::sink::Sink;
use super::writer::{OpenSegment, SegmentError};

pub struct Continuous {
    segmenter: Segmenter,
    open: Option<OpenSegment>,
}

impl Continuous {
    pub fn new(policy: &Policy) -> Self {
        Self {
            segmenter: Segmenter::new(i64::from(policy.segment_s) * 1_000_000),
            open: None,
        }
    }

    pub fn on_packet(&mut self, sink: &mut Sink, info: &StreamInfo, pkt: &Packet) {
        match self
            .segmenter
            .decide(info.ticks_to_us(pkt.pts), pkt.keyframe)
        {
            Cut::Skip => return,
            Cut::Append => {}
            Cut::Rotate => {
                if let Some(seg) = self.open.take() {
                    sink.finish(seg, Some(pkt.wall_us));
                }
                self.start(sink, info, pkt.wall_us);
            }
            Cut::Start => self.start(sink, info, pkt.wall_us),
        }
        let Some(seg) = self.open.as_mut() else {
            return;
        };
        if let Err(e) = seg.write(pkt, info) {
            sink.failed(&SegmentError::Media(e));
            self.close(sink);
        }
    }

    fn start(&mut self, sink: &mut Sink, info: &StreamInfo, start_us: i64) {
        self.open = sink.open(info, start_us, SegmentKind::Continuous, None);
        if self.open.is_none() {
            self.segmenter.closed();
        }
    }

    /// Finishes the open segment (stream ended, write error, shutdown).
    pub fn close(&mut self, sink: &mut Sink) {
        self.segmenter.closed();
        if let Some(seg) = self.open.take() {
            sink.status.update(|s| s.recording = false);
            sink.finish(seg, None);
        }
    }
}
