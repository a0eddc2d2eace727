//! The recorder's files of one kind (continuous or event): the open one, and the one just
//! cut, which stays open a moment for the sound of its last instants. Audio is sent after
//! the video it goes with (a packet is complete only at its end), so a packet presented just
//! before a cut can arrive after the next file's first keyframe: it still goes to the file
//! whose span holds its time. The cut file is finished when the sound passes the cut, when
//! the video is [`GRACE_US`] past it, or when recording stops.

use crate::media::MediaError;
use crate::packet::{Packet, StreamInfo};

use super::sink::Sink;
use super::writer::OpenSegment;

/// How long past a cut (in video time) the previous file waits for its sound, µs.
pub const GRACE_US: i64 = 1_000_000;

/// A file that was cut and waits for its late sound.
struct Cut {
    seg: OpenSegment,
    cut_us: i64,
    end_us: Option<i64>,
}

#[derive(Default)]
pub struct SegmentFiles {
    open: Option<OpenSegment>,
    cut: Option<Cut>,
}

impl SegmentFiles {
    pub fn is_open(&self) -> bool {
        self.open.is_some()
    }

    /// Makes `seg` the open file (the previous one must have been cut or closed).
    pub fn set(&mut self, seg: Option<OpenSegment>) {
        debug_assert!(self.open.is_none());
        self.open = seg;
    }

    /// Cuts the open file at `cut_us` (it ends at `end_us`, or its own end): finished now if
    /// it has no sound, else when its late sound has come.
    pub fn cut(&mut self, sink: &mut Sink, cut_us: i64, end_us: Option<i64>) {
        self.finish_cut(sink);
        let Some(seg) = self.open.take() else { return };
        if seg.has_audio() {
            self.cut = Some(Cut {
                seg,
                cut_us,
                end_us,
            });
        } else {
            sink.finish(seg, end_us);
        }
    }

    /// Finishes the file waiting for its late sound, if any.
    pub fn finish_cut(&mut self, sink: &mut Sink) {
        if let Some(c) = self.cut.take() {
            report_broken_audio(sink, &c.seg);
            sink.finish(c.seg, c.end_us);
        }
    }

    /// Finishes both files (stream ended, error, shutdown); `true` if one was open.
    pub fn close(&mut self, sink: &mut Sink, end_us: Option<i64>) -> bool {
        self.finish_cut(sink);
        match self.open.take() {
            Some(seg) => {
                report_broken_audio(sink, &seg);
                sink.finish(seg, end_us);
                true
            }
            None => false,
        }
    }

    /// Video time moved on to `wall_us`: the cut file stops waiting after [`GRACE_US`].
    pub fn video_at(&mut self, sink: &mut Sink, wall_us: i64) {
        if self
            .cut
            .as_ref()
            .is_some_and(|c| wall_us >= c.cut_us.saturating_add(GRACE_US))
        {
            self.finish_cut(sink);
        }
    }

    /// Writes a video packet to the open file (none open: nothing).
    pub fn write_video(
        &mut self,
        sink: &mut Sink,
        pkt: &Packet,
        info: &StreamInfo,
    ) -> Result<(), MediaError> {
        self.video_at(sink, pkt.wall_us);
        match self.open.as_mut() {
            Some(seg) => seg.write(pkt, info),
            None => Ok(()),
        }
    }

    /// Writes an audio packet to the file whose span holds its time: the cut file while the
    /// sound has not passed the cut, else the open one. An error in the cut file finishes it
    /// (what it holds stays); an error in the open one is returned.
    pub fn write_audio(&mut self, sink: &mut Sink, pkt: &Packet) -> Result<(), MediaError> {
        if let Some(c) = self.cut.as_mut() {
            if pkt.wall_us < c.cut_us {
                if let Err(e) = c.seg.write_audio(pkt) {
                    tracing::warn!(camera = %sink.cfg.camera_name, error = %e, "the end of a recording's sound could not be written");
                    self.finish_cut(sink);
                }
                return Ok(());
            }
            self.finish_cut(sink);
        }
        match self.open.as_mut() {
            Some(seg) => seg.write_audio(pkt).map(|_| ()),
            None => Ok(()),
        }
    }
}

/// Tells the status how many audio packets of a file had broken timestamps (not recorded).
fn report_broken_audio(sink: &Sink, seg: &OpenSegment) {
    let n = seg.audio_broken();
    if n == 0 {
        return;
    }
    let text = format!(
        "the camera sent {n} audio packets with broken timestamps; they were left out of the recording"
    );
    tracing::warn!(camera = %sink.cfg.camera_name, packets = n, "{text}");
    sink.status.update(|s| {
        s.audio_broken = s.audio_broken.saturating_add(n);
        s.set_notice(&text);
    });
}
