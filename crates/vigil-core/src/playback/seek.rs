//! [`FrameReader`]: exact frames of one segment file by wall time. A segment's `start_us` is
//! the presentation time of its first packet (a keyframe), so a picture's wall time is
//! `start_us` plus its PTS after that packet's. Seeking goes to the keyframe at or before
//! the target and decodes forward to the picture whose presentation interval holds it;
//! reading on from there decodes the next picture, never seeking again.

use super::{DecodedFrame, PlaybackError};
use crate::media::decode::Scaler;
use crate::media::file_decoder::{Decoded, FileDecodeError, FileDecoder, StreamMeta};
use crate::model::Segment;

/// A forward seek this short decodes on from the current picture instead of seeking.
const DECODE_ON_US: i64 = 1_000_000;
/// Retries of a seek whose keyframe turned out to be after the target (the index of an MP4
/// is by decode time; a B-frame stream's keyframe is presented after it is decoded).
const SEEK_RETRIES: i64 = 3;

/// Decodes one segment file. Not `Send`: create it on the thread that uses it.
pub struct FrameReader {
    dec: FileDecoder,
    meta: StreamMeta,
    segment: Segment,
    first_pts: i64,
    /// The picture at the cursor; `None` right after opening until it is needed (a seek
    /// often comes first, and would throw it away).
    current: Option<Decoded>,
    /// Whether `current` was handed out (by `seek`, `next_frame` or `picture`).
    delivered: bool,
    /// The picture after `current`, decoded ahead (`None` = not looked at yet).
    ahead: Option<Decoded>,
    /// No picture follows `current`.
    at_end: bool,
    scaler: Scaler,
}

impl FrameReader {
    /// Opens the segment's file; the cursor starts at its first picture.
    pub fn open(segment: &Segment) -> Result<Self, PlaybackError> {
        let (dec, meta) = FileDecoder::open(std::path::Path::new(&segment.path))?;
        let first_pts = dec.first_packet_pts().unwrap_or(0);
        Ok(Self {
            dec,
            meta,
            segment: segment.clone(),
            first_pts,
            current: None,
            delivered: false,
            ahead: None,
            at_end: false,
            scaler: Scaler::default(),
        })
    }

    pub fn segment(&self) -> &Segment {
        &self.segment
    }

    /// The codec of the segment's sound (`aac`, `opus`), when it has a sound track.
    pub fn audio_codec(&self) -> Option<&'static str> {
        self.meta.audio_codec
    }

    /// The stream's time base as (numerator, denominator).
    pub fn time_base(&self) -> (i32, i32) {
        self.meta.time_base
    }

    /// Wall time (UTC µs) of a presentation timestamp of this file.
    pub fn wall_of(&self, pts: i64) -> i64 {
        let (num, den) = self.meta.time_base;
        let us =
            i128::from(pts - self.first_pts) * 1_000_000 * i128::from(num) / i128::from(den.max(1));
        self.segment.start_us + us as i64
    }

    /// The first timestamp whose wall time is at or after `wall_us` (rounded up, so a
    /// picture exactly at `wall_us` is found).
    fn ticks_of(&self, wall_us: i64) -> i64 {
        let (num, den) = self.meta.time_base;
        let num = i128::from(num.max(1)) * 1_000_000;
        let rel = i128::from(wall_us - self.segment.start_us) * i128::from(den);
        self.first_pts + (rel + num - 1).div_euclid(num) as i64
    }

    /// The nominal time between pictures, µs (40 000 when the file does not say).
    pub fn frame_interval_us(&self) -> i64 {
        self.meta
            .frame_ticks
            .map_or(40_000, |t| {
                self.wall_of(self.first_pts + t) - self.segment.start_us
            })
            .max(1)
    }

    /// Wall time of the picture at the cursor.
    pub fn current_wall_us(&self) -> i64 {
        self.wall_of(self.current.as_ref().map_or(self.first_pts, |d| d.pts))
    }

    /// Decodes the picture at the cursor if it is not yet (right after opening).
    fn materialize(&mut self) -> Result<&Decoded, PlaybackError> {
        if self.current.is_none() {
            let first = self.dec.next()?;
            self.current = first;
        }
        self.current.as_ref().ok_or_else(|| {
            PlaybackError::File(FileDecodeError::Empty(self.dec.shown().to_string()))
        })
    }

    /// Wall time of the picture after the cursor (decoding it ahead), `None` at the end.
    pub fn next_wall_us(&mut self) -> Result<Option<i64>, PlaybackError> {
        self.look_ahead()?;
        Ok(self.ahead.as_ref().map(|d| self.wall_of(d.pts)))
    }

    fn look_ahead(&mut self) -> Result<(), PlaybackError> {
        let here = self.materialize()?.pts;
        while self.ahead.is_none() && !self.at_end {
            match self.dec.next()? {
                // A picture that does not move forward (a broken file) cannot be shown in order.
                Some(d) if d.pts <= here => continue,
                Some(d) => self.ahead = Some(d),
                None => self.at_end = true,
            }
        }
        Ok(())
    }

    /// Moves the cursor to the next picture; `false` (cursor unchanged) at the end.
    pub fn advance(&mut self) -> Result<bool, PlaybackError> {
        self.look_ahead()?;
        match self.ahead.take() {
            Some(d) => {
                self.current = Some(d);
                self.delivered = false;
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// Moves the cursor to the picture whose presentation interval holds `wall_us` (the
    /// first picture if `wall_us` is before it, the last if after the end).
    pub fn seek_to(&mut self, wall_us: i64) -> Result<(), PlaybackError> {
        let here = self.current_wall_us();
        if wall_us >= here && wall_us - here <= DECODE_ON_US {
            self.materialize()?;
            while self.next_wall_us()?.is_some_and(|next| next <= wall_us) {
                self.advance()?;
            }
            return Ok(());
        }
        let mut ts = self.ticks_of(wall_us).max(self.first_pts);
        let back = self.ticks_of(self.segment.start_us + 1_000_000) - self.first_pts;
        for attempt in 0..=SEEK_RETRIES {
            self.dec.seek(ts)?;
            let (mut before, mut after) = (None, None);
            while let Some(d) = self.dec.next()? {
                if self.wall_of(d.pts) <= wall_us {
                    before = Some(d);
                } else {
                    after = Some(d);
                    break;
                }
            }
            let landed_late = before.is_none() && ts > self.first_pts && attempt < SEEK_RETRIES;
            if landed_late {
                // The keyframe found is presented after the target: look further back.
                ts = (ts - back * (1 << attempt)).max(self.first_pts);
                continue;
            }
            let at_end = after.is_none();
            let (current, ahead) = match (before, after) {
                (Some(b), a) => (b, a),
                (None, Some(a)) => (a, None),
                (None, None) => {
                    return Err(PlaybackError::File(FileDecodeError::Empty(
                        self.dec.shown().to_string(),
                    )))
                }
            };
            self.current = Some(current);
            self.ahead = ahead;
            self.at_end = at_end && self.ahead.is_none();
            self.delivered = false;
            break;
        }
        Ok(())
    }

    /// The picture at the cursor as RGBA fitted into `max_w`×`max_h`.
    pub fn picture(&mut self, max_w: u32, max_h: u32) -> Result<DecodedFrame, PlaybackError> {
        self.materialize()?;
        let Some(current) = self.current.as_ref() else {
            return Err(PlaybackError::File(FileDecodeError::Empty(
                self.dec.shown().to_string(),
            )));
        };
        let image = current.fitted_rgba(&mut self.scaler, max_w, max_h)?;
        let pts = current.pts;
        self.delivered = true;
        Ok(DecodedFrame {
            camera_id: self.segment.camera_id,
            segment_id: self.segment.id,
            wall_us: self.wall_of(pts),
            pts,
            time_base: self.meta.time_base,
            image,
        })
    }

    /// The exact picture showing at `wall_us`, fitted into `max_w`×`max_h`.
    pub fn seek(
        &mut self,
        wall_us: i64,
        max_w: u32,
        max_h: u32,
    ) -> Result<DecodedFrame, PlaybackError> {
        self.seek_to(wall_us)?;
        self.picture(max_w, max_h)
    }

    /// The next picture in order (the first one right after opening), `None` at the end of
    /// the segment. Never seeks.
    pub fn next_frame(
        &mut self,
        max_w: u32,
        max_h: u32,
    ) -> Result<Option<DecodedFrame>, PlaybackError> {
        if self.delivered && !self.advance()? {
            return Ok(None);
        }
        self.picture(max_w, max_h).map(Some)
    }
}
