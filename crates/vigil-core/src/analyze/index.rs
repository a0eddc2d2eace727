//! The motion index while recording: each analyzer folds its frames' moved cells into
//! camera-minutes ([`MinuteBuilder`]) and hands each finished minute to the engine's one
//! index writer thread ([`IndexWriter`]) over a bounded channel. The analyzer never waits on
//! SQLite: when the channel is full the minute is dropped and counted in its status.

use std::path::Path;
use std::thread::JoinHandle;

use crossbeam_channel::{Receiver, Sender, TrySendError};

use crate::detect::cells::CellMask;
use crate::library::motion_codec::{FrameCells, FrameWriter};
use crate::library::motion_index::{minute_of, MotionMinute, US_PER_MINUTE};
use crate::library::{Library, LibraryError};

/// Finished minutes waiting for the writer (about four hours of one camera, or a quarter of
/// an hour of sixteen).
const QUEUE: usize = 256;
/// At most this many minutes go into one transaction.
const BATCH: usize = 64;

/// Where analyzers send finished minutes.
pub type IndexTx = Sender<MotionMinute>;

/// One camera-minute being built from analysed frames.
pub struct MinuteBuilder {
    camera_id: i64,
    current: Option<MotionMinute>,
    writer: FrameWriter,
}

impl MinuteBuilder {
    pub fn new(camera_id: i64) -> Self {
        Self {
            camera_id,
            current: None,
            writer: FrameWriter::default(),
        }
    }

    /// Adds a frame analysed at `at_us` (its moved cells, empty for no motion); answers the
    /// previous minute when this frame starts a new one.
    pub fn push(&mut self, at_us: i64, cells: &CellMask) -> Option<MotionMinute> {
        let minute = minute_of(at_us);
        let done = match &self.current {
            Some(m) if m.minute != minute => self.current.take(),
            _ => None,
        };
        if done.is_some() || self.current.is_none() {
            self.writer = FrameWriter::default();
        }
        let row = self.current.get_or_insert_with(|| MotionMinute {
            camera_id: self.camera_id,
            minute,
            cells: CellMask::EMPTY,
            frames: Vec::new(),
        });
        if !cells.is_empty() {
            row.cells.or_assign(cells);
            let offset_ms = ((at_us - minute * US_PER_MINUTE) / 1000).clamp(0, 59_999) as u16;
            let frame = FrameCells {
                offset_ms,
                cells: *cells,
            };
            self.writer.push(&mut row.frames, &frame);
        }
        done
    }

    /// The minute in progress (the stream ended).
    pub fn take(&mut self) -> Option<MotionMinute> {
        self.current.take()
    }
}

/// An analyzer's end of the index: its minute in progress and the writer's queue.
pub struct IndexFeed {
    builder: MinuteBuilder,
    tx: IndexTx,
    /// Key frames only (a camera without a sub-stream whose motion makes no events): frames
    /// are a GOP (1–2 s) apart, so each frame is held back until the next one and written
    /// with the next one's cells too. A cell that starts moving on a key frame began
    /// somewhere since the previous one: a search's hit in any region then starts at the key
    /// frame before the motion was seen there (covering the moment) and lasts at least one
    /// GOP, never 0 s.
    lead_in: bool,
    /// The frame held back: its time and cells.
    held: Option<(i64, CellMask)>,
}

impl IndexFeed {
    pub fn new(camera_id: i64, tx: IndexTx) -> Self {
        Self {
            builder: MinuteBuilder::new(camera_id),
            tx,
            lead_in: false,
            held: None,
        }
    }

    /// The feed of an analyzer that sees key frames only (see `lead_in`).
    pub fn key_frames_only(mut self) -> Self {
        self.lead_in = true;
        self
    }

    /// Adds a frame; answers whether a finished minute had to be dropped (queue full).
    pub fn frame(&mut self, at_us: i64, cells: &CellMask) -> bool {
        if !self.lead_in {
            return self.push(at_us, cells);
        }
        let held = self.held.replace((at_us, *cells));
        match held {
            Some((held_us, mut held_cells)) => {
                held_cells.or_assign(cells);
                self.push(held_us, &held_cells)
            }
            None => false,
        }
    }

    fn push(&mut self, at_us: i64, cells: &CellMask) -> bool {
        match self.builder.push(at_us, cells) {
            Some(done) => !self.send(done),
            None => false,
        }
    }

    /// Sends the minute in progress (the stream ended); answers whether it was dropped.
    pub fn flush(&mut self) -> bool {
        let mut dropped = false;
        if let Some((held_us, held_cells)) = self.held.take() {
            dropped |= self.push(held_us, &held_cells);
        }
        dropped
            | match self.builder.take() {
                Some(done) => !self.send(done),
                None => false,
            }
    }

    fn send(&self, minute: MotionMinute) -> bool {
        match self.tx.try_send(minute) {
            Ok(()) => true,
            Err(TrySendError::Full(_)) => false,
            // The engine is shutting down: nothing more will be written.
            Err(TrySendError::Disconnected(_)) => true,
        }
    }
}

/// The engine's index writer thread (`motion-index`): stores the minutes every analyzer
/// sends, in batches, through its own library connection.
pub struct IndexWriter {
    tx: Option<IndexTx>,
    thread: Option<JoinHandle<()>>,
}

impl IndexWriter {
    /// Opens its library connection and starts the thread.
    pub fn start(data_dir: &Path) -> Result<Self, LibraryError> {
        let lib = Library::open(data_dir)?;
        let (tx, rx) = crossbeam_channel::bounded(QUEUE);
        let thread = std::thread::Builder::new()
            .name("motion-index".into())
            .spawn(move || write_all(lib, &rx))
            .map_err(|source| LibraryError::Io {
                what: "cannot start the motion index writer for",
                path: data_dir.to_path_buf(),
                source,
            })?;
        Ok(Self {
            tx: Some(tx),
            thread: Some(thread),
        })
    }

    /// A sender for an analyzer (a writer that was stopped gives a closed one).
    pub fn sender(&self) -> IndexTx {
        match &self.tx {
            Some(tx) => tx.clone(),
            None => crossbeam_channel::bounded(0).0,
        }
    }

    /// Writes what is queued and stops (after every analyzer has ended).
    pub fn finish(mut self) {
        self.tx = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn write_all(mut lib: Library, rx: &Receiver<MotionMinute>) {
    let mut failed = 0u64;
    while let Ok(first) = rx.recv() {
        let mut batch = vec![first];
        batch.extend(rx.try_iter().take(BATCH - 1));
        if let Err(e) = lib.store_motion_minutes(&batch) {
            failed += batch.len() as u64;
            tracing::warn!(error = %e, minutes = batch.len(), "the motion index could not store minutes");
        }
    }
    if failed > 0 {
        tracing::warn!(
            minutes = failed,
            "motion index minutes lost to write errors"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::motion_codec::decode_frames;

    #[test]
    fn frames_fold_into_minutes_and_a_new_minute_hands_the_last_one_over() {
        let mut b = MinuteBuilder::new(3);
        let mut c = CellMask::EMPTY;
        c.set(10);
        let t0 = 1000 * US_PER_MINUTE;
        assert!(b.push(t0 + 200_000, &c).is_none());
        assert!(b.push(t0 + 400_000, &CellMask::EMPTY).is_none());
        let done = b
            .push(t0 + US_PER_MINUTE, &CellMask::EMPTY)
            .expect("minute done");
        assert_eq!((done.camera_id, done.minute, done.cells), (3, 1000, c));
        let frames = decode_frames(&done.frames).expect("frames");
        assert_eq!(frames.len(), 1, "quiet frames are not stored");
        assert_eq!(frames[0].offset_ms, 200);
        let quiet = b.take().expect("the quiet minute still counts as indexed");
        assert!(quiet.cells.is_empty() && quiet.frames.is_empty());
    }

    #[test]
    fn key_frame_motion_in_a_cell_starts_at_the_key_frame_before() {
        let (tx, rx) = crossbeam_channel::bounded(4);
        let mut feed = IndexFeed::new(1, tx).key_frames_only();
        let cell = |i: usize| {
            let mut c = CellMask::EMPTY;
            c.set(i);
            c
        };
        let t0 = 9 * US_PER_MINUTE;
        // Something moves in cell 40 from 2 s, then in cell 41 from 6 s (cell 40 still).
        let mut both = cell(40);
        both.or_assign(&cell(41));
        let seen = [
            (0, CellMask::EMPTY),
            (2, cell(40)),
            (4, cell(40)),
            (6, both),
            (8, CellMask::EMPTY),
        ];
        for (t, cells) in seen {
            assert!(!feed.frame(t0 + t * 1_000_000, &cells));
        }
        assert!(rx.try_recv().is_err(), "the minute is still open");
        assert!(!feed.flush());
        let minute = rx.try_recv().expect("the minute");
        let frames: Vec<(u16, Vec<usize>)> = decode_frames(&minute.frames)
            .expect("frames")
            .iter()
            .map(|f| (f.offset_ms, f.cells.indices().collect()))
            .collect();
        let want: Vec<(u16, Vec<usize>)> = vec![
            (0, vec![40]),
            (2000, vec![40]),
            (4000, vec![40, 41]),
            (6000, vec![40, 41]),
        ];
        assert_eq!(frames, want);
    }

    #[test]
    fn full_rate_feeds_store_only_the_frames_that_moved() {
        let (tx, rx) = crossbeam_channel::bounded(4);
        let mut feed = IndexFeed::new(1, tx);
        let mut c = CellMask::EMPTY;
        c.set(40);
        let t0 = 9 * US_PER_MINUTE;
        assert!(!feed.frame(t0, &CellMask::EMPTY));
        assert!(!feed.frame(t0 + 200_000, &c));
        assert!(!feed.flush());
        let minute = rx.try_recv().expect("the minute");
        let frames = decode_frames(&minute.frames).expect("frames");
        assert_eq!(frames.len(), 1);
        assert_eq!(frames[0].offset_ms, 200);
    }

    #[test]
    fn a_full_queue_drops_the_minute_and_says_so() {
        let (tx, _rx) = crossbeam_channel::bounded(1);
        let mut feed = IndexFeed::new(1, tx);
        let t0 = 5 * US_PER_MINUTE;
        assert!(!feed.frame(t0, &CellMask::EMPTY));
        assert!(!feed.frame(t0 + US_PER_MINUTE, &CellMask::EMPTY), "queued");
        assert!(
            feed.frame(t0 + 2 * US_PER_MINUTE, &CellMask::EMPTY),
            "dropped"
        );
    }
}
