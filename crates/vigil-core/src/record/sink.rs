//! What the continuous and event recorders share: the library connection, opening and
//! finishing segment files, indexing them (with retry), and reporting failures.

use std::time::{Duration, Instant};

use crate::library::{FinishedSegment, Library};
use crate::model::SegmentKind;
use crate::packet::StreamInfo;

use super::status::RecordPublisher;
use super::writer::{OpenSegment, SegmentError};
use super::RecorderConfig;

pub struct Sink {
    pub lib: Library,
    pub cfg: RecorderConfig,
    pub status: RecordPublisher,
    /// Finished files whose rows could not be written yet (database full); retried.
    unindexed: Vec<FinishedSegment>,
}

impl Sink {
    pub fn new(lib: Library, cfg: RecorderConfig, status: RecordPublisher) -> Self {
        Self {
            lib,
            cfg,
            status,
            unindexed: Vec::new(),
        }
    }

    /// Opens a segment file; on failure reports it and returns `None`.
    pub fn open(
        &mut self,
        info: &StreamInfo,
        start_us: i64,
        kind: SegmentKind,
        event_id: Option<i64>,
    ) -> Option<OpenSegment> {
        match OpenSegment::create(&self.lib, &self.cfg, info, start_us, kind, event_id) {
            Ok(seg) => {
                self.status.update(|s| s.recording = true);
                Some(seg)
            }
            Err(e) => {
                self.failed(&e);
                None
            }
        }
    }

    /// Finishes a file and indexes it. `end_us` makes consecutive segments abut exactly.
    pub fn finish(&mut self, seg: OpenSegment, end_us: Option<i64>) {
        match seg.finish(&mut self.lib, end_us) {
            Ok(Some(row)) => self.unindexed.push(row),
            Ok(None) => {}
            Err(e) => self.failed(&e),
        }
        self.index_finished();
    }

    /// Writes the rows of finished files. On failure they stay queued for the next try (and
    /// in the open-segment journal, so a crash meanwhile loses nothing either).
    fn index_finished(&mut self) {
        while let Some(row) = self.unindexed.first() {
            if let Err(e) = self.lib.finish_segment(row) {
                self.failed(&SegmentError::Library(e));
                return;
            }
            let bytes = row.bytes;
            self.unindexed.remove(0);
            self.status.update(|s| s.indexed(bytes));
        }
    }

    /// At shutdown: rows that could not be written yet (database or disk full) get more tries
    /// while retention frees space, so a clean stop leaves files and rows agreeing. What still
    /// fails stays in the open-segment journal, and recovery indexes it at the next start.
    pub fn flush_unindexed(&mut self, within: Duration) {
        let deadline = Instant::now() + within;
        while !self.unindexed.is_empty() && Instant::now() < deadline {
            let _ = self.cfg.sweep_now.try_send(());
            std::thread::sleep(Duration::from_millis(100));
            let row = &self.unindexed[0];
            if self.lib.finish_segment(row).is_ok() {
                let bytes = row.bytes;
                self.unindexed.remove(0);
                self.status.update(|s| s.indexed(bytes));
            }
        }
        if !self.unindexed.is_empty() {
            tracing::warn!(camera = %self.cfg.camera_name, segments = self.unindexed.len(), "segments left for recovery at the next start: their rows cannot be written now");
        }
    }

    /// Reports a recording failure; on a full disk, asks retention to free space now.
    pub fn failed(&self, e: &SegmentError) {
        tracing::error!(camera = %self.cfg.camera_name, error = %e, "recording failed; retrying at the next keyframe");
        let disk_full = e.is_disk_full();
        self.status.update(|s| {
            s.set_error(&e.to_string());
            s.disk_full = disk_full;
        });
        if disk_full {
            let _ = self.cfg.sweep_now.try_send(());
        }
    }
}
