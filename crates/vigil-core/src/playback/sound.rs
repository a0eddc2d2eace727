//! The sound of a player: one camera's (the one the viewer listens to) audio stream read
//! beside its pictures, across segments and gaps, and handed out as decoded blocks a little
//! ahead of the playback clock ([`SOUND_LEAD_US`]): a block goes out when the playhead is
//! that close to its time, so the output's queue holds about that much and the sample heard
//! is the one of the picture shown. Only at 1× forward; at any other speed, paused, or
//! stepping there is no sound, and every change of position, speed or listener empties the
//! queue so no stale sound plays. The pictures keep following the playback clock.

use std::collections::VecDeque;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

use super::locate::{is_open, locate, Located};
use crate::library::Library;
use crate::media::audio_decode::AudioBlock;
use crate::media::audio_file::AudioFileReader;
use crate::model::Segment;

/// How far ahead of the playhead sound is handed out, µs.
pub const SOUND_LEAD_US: i64 = 200_000;
/// Blocks waiting for the viewer before new ones are dropped (a few seconds).
const SOUND_QUEUE: usize = 256;
/// Reads per call at most, so commands are never kept waiting long.
const MAX_READS: usize = 400;

/// Where sound is handed to the viewer: the blocks due, and a counter of flushes (the
/// viewer empties its output when it moves).
#[derive(Default)]
pub(super) struct SoundSlot {
    queue: Mutex<VecDeque<AudioBlock>>,
    flushes: AtomicU64,
}

fn lock(m: &Mutex<VecDeque<AudioBlock>>) -> MutexGuard<'_, VecDeque<AudioBlock>> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl SoundSlot {
    /// Adds blocks; when the viewer is behind, new blocks are dropped.
    pub fn push(&self, blocks: Vec<AudioBlock>) {
        let mut q = lock(&self.queue);
        for b in blocks {
            if q.len() < SOUND_QUEUE {
                q.push_back(b);
            }
        }
    }

    /// Drops what is queued and counts a flush.
    pub fn flush(&self) {
        lock(&self.queue).clear();
        self.flushes.fetch_add(1, Ordering::Relaxed);
    }

    pub fn take(&self) -> Vec<AudioBlock> {
        lock(&self.queue).drain(..).collect()
    }

    pub fn flushes(&self) -> u64 {
        self.flushes.load(Ordering::Relaxed)
    }
}

/// The listened camera's sound, read ahead of the playhead.
pub(super) struct SoundTrack {
    camera_id: Option<i64>,
    format: (u32, u16),
    reader: Option<(Segment, AudioFileReader)>,
    /// Sound is handed out up to here (UTC µs); `None`: start at the playhead.
    cursor: Option<i64>,
    /// A block read and not yet due.
    held: Option<AudioBlock>,
}

impl SoundTrack {
    pub fn new(format: (u32, u16)) -> Self {
        Self {
            camera_id: None,
            format,
            reader: None,
            cursor: None,
            held: None,
        }
    }

    pub fn camera(&self) -> Option<i64> {
        self.camera_id
    }

    /// Listens to another camera (`None`: to none).
    pub fn set_camera(&mut self, camera_id: Option<i64>) {
        if self.camera_id != camera_id {
            self.camera_id = camera_id;
            self.reader = None;
        }
        self.reset();
    }

    /// Forgets the position: the next sound starts at the playhead.
    pub fn reset(&mut self) {
        self.cursor = None;
        self.held = None;
    }

    /// The blocks that start before `until`, from the cursor (or `pos` after a reset) on.
    pub fn fill(&mut self, lib: &Library, pos: i64, until: i64) -> Vec<AudioBlock> {
        let mut out = Vec::new();
        let Some(camera_id) = self.camera_id else {
            return out;
        };
        if self.cursor.is_none() {
            self.cursor = Some(pos);
            if let Some((_, r)) = self.reader.as_mut() {
                if r.seek(pos).is_err() {
                    self.reader = None;
                }
            }
        }
        for _ in 0..MAX_READS {
            let cursor = self.cursor.unwrap_or(pos);
            if let Some(b) = self.held.take() {
                if b.wall_us >= until {
                    self.held = Some(b);
                    break;
                }
                self.cursor = Some(cursor.max(b.wall_us + b.duration_us()));
                out.push(b);
                continue;
            }
            if cursor >= until {
                break;
            }
            if self.reader.is_none() && !self.open_at(lib, camera_id, cursor, until) {
                break;
            }
            let Some((seg, r)) = self.reader.as_mut() else {
                continue;
            };
            match r.next_block() {
                Ok(Some(b)) => self.held = Some(b),
                Ok(None) | Err(_) => {
                    // A file being written may grow: read it again later from the cursor.
                    let written = is_open(seg);
                    if !written {
                        self.cursor = Some(cursor.max(seg.end_us));
                    }
                    self.reader = None;
                    if written {
                        break;
                    }
                }
            }
        }
        out
    }

    /// Opens the recording at `at`; moves the cursor over gaps and recordings without sound.
    /// False when there is nothing to read before `until`.
    fn open_at(&mut self, lib: &Library, camera_id: i64, at: i64, until: i64) -> bool {
        let seg = match locate(lib, camera_id, at) {
            Ok(Located::Segment(seg)) => seg,
            Ok(Located::Gap { next: Some(next) }) if next.start_us < until => {
                self.cursor = Some(next.start_us);
                return true;
            }
            Ok(Located::Gap { .. }) => return false,
            Err(e) => {
                tracing::debug!(error = %e, "cannot find the recording to play its sound");
                return false;
            }
        };
        let written = is_open(&seg);
        let (rate, channels) = self.format;
        match AudioFileReader::open(Path::new(&seg.path), seg.start_us, rate, channels) {
            Ok(Some(mut r)) => match r.seek(at) {
                Ok(()) => self.reader = Some((seg, r)),
                Err(_) => self.cursor = Some(at.max(seg.end_us)),
            },
            Ok(None) => self.cursor = Some(at.max(seg.end_us)),
            Err(e) => {
                tracing::debug!(error = %e, "cannot read the recording's sound");
                self.cursor = Some(at.max(seg.end_us));
            }
        }
        // An open file has no end yet: try it again at the next call.
        !written || self.reader.is_some()
    }
}

#[cfg(test)]
#[path = "sound_tests.rs"]
mod tests;
