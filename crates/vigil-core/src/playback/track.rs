//! One camera inside a player: which segment is open, the picture at the cursor, and how
//! to follow the timeline — decode on while the position moves forward a little, seek when
//! it jumps, open the next segment when one ends, and say so when there is a gap.

use super::locate::{is_open, locate, locate_before, Located};
use super::seek::FrameReader;
use super::state::{TrackState, TrackStatus};
use super::{DecodedFrame, PlaybackError};
use crate::library::Library;

/// A position this far ahead of the picture shown is reached by seeking, not decoding on.
const FOLLOW_SEEK_US: i64 = 3_000_000;
/// Pictures decoded per call while following, so commands are never kept waiting long.
const FOLLOW_STEPS: usize = 12;

/// What following the timeline found.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Follow {
    /// Showing; something changes when the position reaches this time (`None`: never).
    Until(Option<i64>),
    /// Behind: call again at once.
    Behind,
    /// In a gap until this time (`None`: nothing recorded after the position).
    Gap(Option<i64>),
}

pub(super) struct Track {
    camera_id: i64,
    reader: Option<FrameReader>,
    status: TrackStatus,
    /// The cursor's picture changed since it was last published.
    dirty: bool,
}

impl Track {
    pub fn new(camera_id: i64) -> Self {
        Self {
            camera_id,
            reader: None,
            status: TrackStatus::Idle,
            dirty: false,
        }
    }

    pub fn camera_id(&self) -> i64 {
        self.camera_id
    }

    pub fn status(&self) -> &TrackStatus {
        &self.status
    }

    pub fn state(&self) -> TrackState {
        let reader = self.reader.as_ref().filter(|_| self.shows());
        TrackState {
            camera_id: self.camera_id,
            status: self.status.clone(),
            segment_id: reader.map(|r| r.segment().id),
            frame_wall_us: reader.map(FrameReader::current_wall_us),
            sound: reader
                .and_then(FrameReader::audio_codec)
                .map(str::to_string),
        }
    }

    /// Whether the cursor's picture is what this camera shows now.
    fn shows(&self) -> bool {
        matches!(self.status, TrackStatus::Showing | TrackStatus::Ended)
    }

    pub fn fail(&mut self, why: String) {
        self.status = TrackStatus::Error(why);
        self.reader = None;
        self.dirty = true;
    }

    /// Shows the exact picture at `pos`, or the gap `pos` falls in.
    pub fn seek(&mut self, lib: &Library, pos: i64) {
        if let Err(e) = self.try_seek(lib, pos) {
            self.fail(e.to_string());
        }
    }

    fn try_seek(&mut self, lib: &Library, pos: i64) -> Result<(), PlaybackError> {
        self.dirty = true;
        match locate(lib, self.camera_id, pos)? {
            Located::Segment(seg) => {
                let open = self.reader.as_ref().map(|r| r.segment().id);
                // A file being written is opened again: it has grown since.
                if open != Some(seg.id) || is_open(&seg) {
                    self.reader = None; // close first: one open file per camera
                    self.reader = Some(FrameReader::open(&seg)?);
                }
                if let Some(r) = self.reader.as_mut() {
                    r.seek_to(pos)?;
                }
                self.status = TrackStatus::Showing;
            }
            Located::Gap { next: Some(next) } => {
                self.status = TrackStatus::InGap {
                    next_us: Some(next.start_us),
                }
            }
            Located::Gap { next: None } => self.status = TrackStatus::Ended,
        }
        Ok(())
    }

    /// Brings the cursor up to `pos` while playing.
    pub fn follow(&mut self, lib: &Library, pos: i64) -> Follow {
        match self.try_follow(lib, pos) {
            Ok(f) => f,
            Err(e) => {
                self.fail(e.to_string());
                Follow::Until(None)
            }
        }
    }

    fn try_follow(&mut self, lib: &Library, pos: i64) -> Result<Follow, PlaybackError> {
        match self.status {
            TrackStatus::InGap { next_us } if next_us.is_none_or(|n| n > pos) => {
                return Ok(Follow::Gap(next_us))
            }
            TrackStatus::Ended | TrackStatus::Error(_) => return Ok(Follow::Until(None)),
            _ => {}
        }
        let showing = self.status == TrackStatus::Showing;
        let Some(reader) = self.reader.as_mut().filter(|_| showing) else {
            self.try_seek(lib, pos)?;
            return Ok(Follow::Behind);
        };
        let here = reader.current_wall_us();
        if pos < here || pos - here > FOLLOW_SEEK_US {
            self.try_seek(lib, pos)?;
            return Ok(Follow::Behind);
        }
        // Pictures presented at or after the segment's end belong to the next segment.
        let end = reader.segment().end_us;
        for _ in 0..FOLLOW_STEPS {
            match reader.next_wall_us()? {
                Some(next) if next <= pos && next < end => {
                    reader.advance()?;
                    self.dirty = true;
                }
                Some(next) if next > pos && pos < end => {
                    return Ok(Follow::Until(Some(next.min(end))))
                }
                _ => return self.next_segment(lib, pos),
            }
        }
        Ok(Follow::Behind)
    }

    /// The open segment has no more pictures: once `pos` reaches its end, goes on in the
    /// recording that covers `pos`, never showing a picture older than the one shown.
    fn next_segment(&mut self, lib: &Library, pos: i64) -> Result<Follow, PlaybackError> {
        let Some(reader) = self.reader.as_ref() else {
            return Ok(Follow::Behind);
        };
        let (end, shown) = (reader.segment().end_us, reader.current_wall_us());
        if pos < end {
            return Ok(Follow::Until(Some(end)));
        }
        match locate(lib, self.camera_id, pos)? {
            Located::Segment(seg) => {
                let mut next = FrameReader::open(&seg)?;
                next.seek_to(pos.max(shown))?;
                while next.current_wall_us() <= shown {
                    if !next.advance()? {
                        break;
                    }
                }
                self.reader = Some(next);
                self.dirty = true;
                Ok(Follow::Behind)
            }
            Located::Gap { next: Some(next) } => {
                self.status = TrackStatus::InGap {
                    next_us: Some(next.start_us),
                };
                self.dirty = true;
                Ok(Follow::Gap(Some(next.start_us)))
            }
            Located::Gap { next: None } => {
                // The last recorded picture stays on screen.
                self.status = TrackStatus::Ended;
                Ok(Follow::Gap(None))
            }
        }
    }

    /// Moves one picture forward (`forward`) or back, across segments and gaps; returns the
    /// wall time of the picture now shown, `None` if there is none that way.
    pub fn step(&mut self, lib: &Library, forward: bool) -> Result<Option<i64>, PlaybackError> {
        let shows = self.shows();
        let Some(reader) = self.reader.as_mut().filter(|_| shows) else {
            return Ok(None);
        };
        let here = reader.current_wall_us();
        if forward {
            if reader.advance()? {
                self.dirty = true;
                return Ok(Some(reader.current_wall_us()));
            }
            let end = reader.segment().end_us.max(here + 1);
            let target = match locate(lib, self.camera_id, end)? {
                Located::Segment(_) => end,
                Located::Gap { next } => match next {
                    Some(seg) => seg.start_us,
                    None => return Ok(None),
                },
            };
            self.try_seek(lib, target)?;
            // Where segments overlap, the next one may begin with pictures already shown.
            if let Some(r) = self.reader.as_mut() {
                while r.current_wall_us() <= here && r.advance()? {}
            }
        } else {
            let target = match locate(lib, self.camera_id, here - 1)? {
                Located::Segment(_) => here - 1,
                Located::Gap { .. } => match locate_before(lib, self.camera_id, here)? {
                    Some(seg) => seg.end_us - 1,
                    None => return Ok(None),
                },
            };
            self.try_seek(lib, target)?;
        }
        Ok(self.reader.as_ref().map(FrameReader::current_wall_us))
    }

    /// The picture to publish, if it changed (or `force`): `Some(None)` clears the slot
    /// (a gap or an error).
    pub fn picture(
        &mut self,
        size: (u32, u32),
        force: bool,
    ) -> Option<Result<Option<DecodedFrame>, PlaybackError>> {
        if !(self.dirty || force) {
            return None;
        }
        self.dirty = false;
        let shows = self.shows();
        match self.reader.as_mut().filter(|_| shows) {
            Some(r) => Some(r.picture(size.0, size.1).map(Some)),
            None => Some(Ok(None)),
        }
    }
}
