//! Continuous recording: every packet into back-to-back segments cut at video keyframes;
//! the sound goes to the segment whose span holds its time.

use crate::model::{Policy, SegmentKind};
use crate::packet::{Packet, StreamInfo};

use super::files::SegmentFiles;
use super::segmenter::{Cut, Segmenter};
use super::sink::Sink;
use super::writer::SegmentError;

/// A keyframe gap beyond this is reported in the status, µs.
const KEYFRAME_GAP_NOTICE_US: i64 = 10_000_000;

pub struct Continuous {
    segmenter: Segmenter,
    files: SegmentFiles,
    /// Stream time of the last keyframe, and whether the gap since was reported.
    last_key_us: Option<i64>,
    gap_noted: bool,
}

impl Continuous {
    pub fn new(policy: &Policy) -> Self {
        Self {
            segmenter: Segmenter::new(i64::from(policy.segment_s) * 1_000_000),
            files: SegmentFiles::default(),
            last_key_us: None,
            gap_noted: false,
        }
    }

    pub fn on_packet(&mut self, sink: &mut Sink, info: &StreamInfo, pkt: &Packet) {
        let media_us = info.ticks_to_us(pkt.dts);
        self.watch_keyframes(sink, media_us, pkt.keyframe);
        let cut = self.segmenter.decide(media_us, pkt.keyframe);
        if let Some(jump_us) = self.segmenter.take_jump() {
            report_jump(sink, jump_us);
        }
        match cut {
            Cut::Skip => {
                self.files.video_at(sink, pkt.wall_us);
                return;
            }
            Cut::Append => {}
            Cut::Rotate => {
                self.files.cut(sink, pkt.wall_us, Some(pkt.wall_us));
                self.start(sink, info, pkt.wall_us);
            }
            Cut::Start => self.start(sink, info, pkt.wall_us),
        }
        if let Err(e) = self.files.write_video(sink, pkt, info) {
            sink.failed(&SegmentError::Media(e));
            self.close(sink);
        }
    }

    /// An audio packet of the connection: into the segment whose span holds its time.
    pub fn on_audio(&mut self, sink: &mut Sink, pkt: &Packet) {
        if let Err(e) = self.files.write_audio(sink, pkt) {
            sink.failed(&SegmentError::Media(e));
            self.close(sink);
        }
    }

    /// A long stretch without a keyframe keeps the segment open (it can only be cut at one);
    /// the status says so once per gap.
    fn watch_keyframes(&mut self, sink: &Sink, media_us: i64, keyframe: bool) {
        if keyframe {
            self.last_key_us = Some(media_us);
            self.gap_noted = false;
            return;
        }
        let Some(key) = self.last_key_us else { return };
        let gap = media_us.saturating_sub(key);
        if !self.gap_noted && gap > KEYFRAME_GAP_NOTICE_US {
            self.gap_noted = true;
            let text = format!(
                "no keyframe for {} s; the segment stays open until the next one",
                gap / 1_000_000
            );
            tracing::warn!(camera = %sink.cfg.camera_name, "{text}");
            sink.status.update(|s| s.set_notice(&text));
        }
    }

    fn start(&mut self, sink: &mut Sink, info: &StreamInfo, start_us: i64) {
        self.files
            .set(sink.open(info, start_us, SegmentKind::Continuous, None));
        if !self.files.is_open() {
            self.segmenter.closed();
        }
    }

    /// Finishes the open segment (stream ended, write error, shutdown).
    pub fn close(&mut self, sink: &mut Sink) {
        self.segmenter.closed();
        self.last_key_us = None;
        if self.files.close(sink, None) {
            sink.status.update(|s| s.recording = false);
        }
    }
}

/// Tells the log and the status that the camera's timestamps jumped (the segment is cut at
/// the next keyframe).
fn report_jump(sink: &Sink, jump_us: i64) {
    let secs = jump_us as f64 / 1e6;
    let way = if jump_us < 0 { "back" } else { "forward" };
    let text = format!(
        "the camera's timestamps jumped {way} by {:.1} s; a new segment starts at the next keyframe",
        secs.abs()
    );
    tracing::warn!(camera = %sink.cfg.camera_name, jump_s = secs, "{text}");
    sink.status.update(|s| s.set_notice(&text));
}
