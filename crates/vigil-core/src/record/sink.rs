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
    /// Finished files whose rows are not written yet: waiting for the packet that follows
    /// (hashing never delays the next segment's first packet), or for a retry (database
    /// full).
    unindexed: Vec<Unindexed>,
    /// A file finished since the last [`Sink::index_finished`]: only then is the queue tried
    /// (a database that is full is not retried at every packet).
    finished: bool,
}

/// A finished file waiting for its row.
struct Unindexed {
    row: FinishedSegment,
    /// Its SHA-256 once read (inner `None`: the file could not be read).
    sha256: Option<Option<String>>,
}

impl Sink {
    pub fn new(lib: Library, cfg: RecorderConfig, status: RecordPublisher) -> Self {
        Self {
            lib,
            cfg,
            status,
            unindexed: Vec::new(),
            finished: false,
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

    /// Finishes a file; its row is written by the next [`Sink::index_finished`], which the
    /// recorder calls once the packet at hand is written. `end_us` makes consecutive segments
    /// abut exactly.
    pub fn finish(&mut self, seg: OpenSegment, end_us: Option<i64>) {
        match seg.finish(&mut self.lib, end_us) {
            Ok(Some(row)) => {
                self.unindexed.push(Unindexed { row, sha256: None });
                self.finished = true;
            }
            Ok(None) => {}
            Err(e) => self.failed(&e),
        }
    }

    /// When a file finished since the last call: hashes the finished files (read back from
    /// the page cache: the writer is FFmpeg's) and writes their rows and chain entries. On
    /// failure they stay queued for the next finish (and in the open-segment journal, so a
    /// crash meanwhile loses nothing either).
    pub fn index_finished(&mut self) {
        if std::mem::take(&mut self.finished) {
            self.index_queue();
        }
    }

    fn index_queue(&mut self) {
        while !self.unindexed.is_empty() {
            if let Err(e) = self.index_first() {
                self.failed(&SegmentError::Library(e));
                return;
            }
        }
    }

    /// Indexes the oldest finished file.
    fn index_first(&mut self) -> Result<(), crate::library::LibraryError> {
        let Some(first) = self.unindexed.first_mut() else {
            return Ok(());
        };
        let lib = &mut self.lib;
        let sha256 = first.sha256.get_or_insert_with(|| {
            if !crate::library::chain::hashing() {
                return None;
            }
            let abs = lib.absolute(&first.row.rel_path);
            match crate::library::chain::hash_file(&abs) {
                Ok((hex, _)) => Some(hex),
                Err(e) => {
                    tracing::warn!(path = %abs.display(), error = %e, "recording indexed without its hash: it cannot be read back");
                    None
                }
            }
        });
        lib.finish_hashed_segment(&first.row, sha256.as_deref())?;
        let bytes = first.row.bytes;
        self.unindexed.remove(0);
        self.status.update(|s| s.indexed(bytes));
        Ok(())
    }

    /// At shutdown: rows that could not be written yet (database or disk full) get more tries
    /// while retention frees space, so a clean stop leaves files and rows agreeing. What still
    /// fails stays in the open-segment journal, and recovery indexes it at the next start.
    pub fn flush_unindexed(&mut self, within: Duration) {
        let deadline = Instant::now() + within;
        self.index_queue();
        while !self.unindexed.is_empty() && Instant::now() < deadline {
            let _ = self.cfg.sweep_now.try_send(());
            std::thread::sleep(Duration::from_millis(100));
            let _ = self.index_first();
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
