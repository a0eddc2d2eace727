//! The recorder: one thread per camera that receives every packet from ingest and writes
//! continuous segments, indexing each in the library once its file is finished and synced.

pub mod gate;
pub mod prebuffer;
pub mod segmenter;
mod writer;

use std::path::PathBuf;
use std::thread::JoinHandle;

use crossbeam_channel::{Receiver, Sender};

use crate::engine::status::StatusHandle;
use crate::library::{FinishedSegment, Library};
use crate::model::Policy;
use crate::packet::StreamEvent;
use segmenter::{Cut, Segmenter};
use writer::OpenSegment;

/// What a recorder needs to know about its camera.
#[derive(Debug, Clone)]
pub struct RecorderConfig {
    pub camera_id: i64,
    pub camera_name: String,
    pub policy: Policy,
    pub data_dir: PathBuf,
    /// Asks retention to free space at once (the disk is full).
    pub sweep_now: Sender<()>,
}

/// Starts the recorder thread of one camera. It runs until ingest drops its sender, then
/// finishes and indexes the open segment.
pub fn spawn(
    cfg: RecorderConfig,
    rx: Receiver<StreamEvent>,
    status: StatusHandle,
) -> std::io::Result<JoinHandle<()>> {
    std::thread::Builder::new()
        .name(format!("record-{}", cfg.camera_name))
        .spawn(move || {
            let mut lib = match Library::open(&cfg.data_dir) {
                Ok(lib) => lib,
                Err(e) => {
                    tracing::error!(camera = %cfg.camera_name, error = %e, "recorder cannot open the library");
                    status.set_error(&e.to_string());
                    // Keep draining so ingest is never blocked by a dead recorder.
                    for _ in rx.iter() {}
                    return;
                }
            };
            Recorder::new(cfg, status).run(&rx, &mut lib);
        })
}

struct Recorder {
    cfg: RecorderConfig,
    status: StatusHandle,
    segmenter: Segmenter,
    open: Option<OpenSegment>,
    info: Option<std::sync::Arc<crate::packet::StreamInfo>>,
    /// Finished files whose rows could not be written yet (database full); retried.
    unindexed: Vec<FinishedSegment>,
}

impl Recorder {
    fn new(cfg: RecorderConfig, status: StatusHandle) -> Self {
        let segmenter = Segmenter::new(i64::from(cfg.policy.segment_s) * 1_000_000);
        Self {
            cfg,
            status,
            segmenter,
            open: None,
            info: None,
            unindexed: Vec::new(),
        }
    }

    fn run(mut self, rx: &Receiver<StreamEvent>, lib: &mut Library) {
        for ev in rx.iter() {
            match ev {
                StreamEvent::Started(info) => {
                    self.close(lib, None);
                    self.info = Some(info);
                }
                StreamEvent::Packet(pkt) => {
                    if !self.cfg.policy.mode.records_continuously() {
                        continue;
                    }
                    self.on_packet(lib, &pkt);
                }
                StreamEvent::Ended => self.close(lib, None),
            }
        }
        self.close(lib, None);
    }

    fn on_packet(&mut self, lib: &mut Library, pkt: &crate::packet::Packet) {
        let Some(info) = self.info.clone() else {
            return;
        };
        match self
            .segmenter
            .decide(info.ticks_to_us(pkt.pts), pkt.keyframe)
        {
            Cut::Skip => return,
            Cut::Append => {}
            Cut::Rotate => {
                self.close(lib, Some(pkt.wall_us));
                self.start(lib, &info, pkt.wall_us);
            }
            Cut::Start => self.start(lib, &info, pkt.wall_us),
        }
        let Some(seg) = self.open.as_mut() else {
            return;
        };
        if let Err(e) = seg.write(pkt, &info) {
            self.failed(&writer::SegmentError::Media(e));
            self.close(lib, None);
        }
    }

    fn start(&mut self, lib: &mut Library, info: &crate::packet::StreamInfo, start_us: i64) {
        match OpenSegment::create(lib, &self.cfg, info, start_us) {
            Ok(seg) => {
                self.open = Some(seg);
                self.status.update(|s| s.recording = true);
            }
            Err(e) => {
                self.failed(&e);
                self.segmenter.closed();
            }
        }
    }

    /// Finishes and indexes the open segment. `end_us` is the next segment's start when
    /// rotating, so the two abut exactly.
    fn close(&mut self, lib: &mut Library, end_us: Option<i64>) {
        if end_us.is_none() {
            self.segmenter.closed();
        }
        let Some(seg) = self.open.take() else {
            return;
        };
        self.status.update(|s| s.recording = false);
        match seg.finish(lib, end_us) {
            Ok(Some(row)) => self.unindexed.push(row),
            Ok(None) => {}
            Err(e) => self.failed(&e),
        }
        self.index_finished(lib);
    }

    /// Writes the rows of finished files. On failure they stay queued for the next try (and
    /// in the open-segment journal, so a crash meanwhile loses nothing either).
    fn index_finished(&mut self, lib: &mut Library) {
        while let Some(row) = self.unindexed.first() {
            if let Err(e) = lib.finish_segment(row) {
                self.failed(&writer::SegmentError::Library(e));
                return;
            }
            let bytes = row.bytes;
            self.unindexed.remove(0);
            self.status.update(|s| {
                s.segments_written += 1;
                s.bytes_written += bytes;
            });
        }
    }

    /// Reports a recording failure; on a full disk, asks retention to free space now.
    /// Recording resumes at the next keyframe.
    fn failed(&self, e: &writer::SegmentError) {
        tracing::error!(camera = %self.cfg.camera_name, error = %e, "recording failed; retrying at the next keyframe");
        self.status.set_error(&e.to_string());
        if e.is_disk_full() {
            let _ = self.cfg.sweep_now.try_send(());
        }
    }
}
