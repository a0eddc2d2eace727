//! The pure parts of an export: finding the keyframe a piece starts at, rebasing each
//! file's timestamps onto the output's one continuous timeline, and placing the sound
//! against the picture on it.

use crate::media::remux::TimeBase;
use crate::model::time::{rescale, MICROS};

/// What to do with a packet offered to a [`StartSearch`].
#[derive(Debug, PartialEq)]
pub(crate) enum Start<T> {
    /// Not written (yet): held as lead-in, or dropped before the start keyframe.
    Hold,
    /// The start is found: write these packets, then every following one directly.
    Release(Vec<T>),
    /// The first keyframe seen is after the target, so the seek went too far: go back to
    /// the file's start and offer packets again.
    Rewind,
}

/// Finds the keyframe at or before `target` (wall µs) in decode order, holding the packets
/// from it up to the target (at most one GOP) until it is sure no later keyframe qualifies.
pub(crate) struct StartSearch<T> {
    target: i64,
    held: Vec<T>,
    may_rewind: bool,
}

impl<T> StartSearch<T> {
    /// `may_rewind`: the file starts at or before the target, so a keyframe at or before it
    /// exists and a first keyframe after it means the seek overshot.
    pub fn new(target: i64, may_rewind: bool) -> Self {
        Self {
            target,
            held: Vec::new(),
            may_rewind,
        }
    }

    /// Called after a [`Start::Rewind`], before offering the file's packets from its start.
    pub fn rewound(&mut self) {
        self.may_rewind = false;
        self.held.clear();
    }

    pub fn offer(&mut self, pkt: T, keyframe: bool, wall_us: i64) -> Start<T> {
        if keyframe && wall_us <= self.target {
            self.held.clear();
            self.held.push(pkt);
            return Start::Hold;
        }
        if self.held.is_empty() {
            return match (keyframe, self.may_rewind) {
                (false, _) => Start::Hold,
                (true, true) => Start::Rewind,
                // The file starts after the target: its first keyframe is the start.
                (true, false) => Start::Release(vec![pkt]),
            };
        }
        // A packet shown after the target, or the next GOP: no later keyframe can be at or
        // before the target any more.
        if keyframe || wall_us > self.target {
            let mut out = std::mem::take(&mut self.held);
            out.push(pkt);
            return Start::Release(out);
        }
        self.held.push(pkt);
        Start::Hold
    }

    /// At the end of the file: what is held (the whole piece is lead-in).
    pub fn finish(self) -> Vec<T> {
        self.held
    }
}

/// Output timestamps of one packet, in the output's time base.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamped {
    pub pts: i64,
    pub dts: i64,
    pub duration: i64,
}

/// Rebases packets from several files onto one timeline: each piece continues where the
/// previous one's last frame ended, so gaps are closed and boundaries have no jump.
pub(crate) struct Splicer {
    out_tb: TimeBase,
    /// Presentation end of everything written so far.
    end: i64,
    last_dts: Option<i64>,
    last_delta: i64,
    /// The current piece: its time base, first dts, and where that dts lands.
    piece: Option<(TimeBase, i64, i64)>,
}

impl Splicer {
    pub fn new(out_tb: TimeBase) -> Self {
        Self {
            out_tb,
            end: 0,
            last_dts: None,
            last_delta: 0,
            piece: None,
        }
    }

    /// The next packet starts a new piece (another file, or after a gap).
    pub fn next_piece(&mut self) {
        self.piece = None;
    }

    /// Maps a packet of the current piece (time base `tb`) onto the output timeline. The
    /// first packet of a piece is shown where the previous piece ended.
    pub fn map(&mut self, pts: i64, dts: i64, duration: i64, tb: TimeBase) -> Stamped {
        let (tb, base, offset) = *self.piece.get_or_insert_with(|| {
            let shift = rescale(pts - dts, tb, self.out_tb).max(0);
            let floor = self.last_dts.map_or(0, |d| d + 1);
            (tb, dts, (self.end - shift).max(floor))
        });
        let mut out_dts = offset + rescale(dts - base, tb, self.out_tb);
        if let Some(last) = self.last_dts {
            if out_dts <= last {
                out_dts = last + 1;
            }
            self.last_delta = out_dts - last;
        }
        let out_pts = (offset + rescale(pts - base, tb, self.out_tb)).max(out_dts);
        let out_dur = if duration > 0 {
            rescale(duration, tb, self.out_tb).max(1)
        } else {
            self.last_delta.max(1)
        };
        self.last_dts = Some(out_dts);
        self.end = self.end.max(out_pts + out_dur);
        Stamped {
            pts: out_pts,
            dts: out_dts,
            duration: out_dur,
        }
    }
}

/// Places an export's sound packets on the output timeline: the first sound packet of each
/// piece where its wall time falls against the piece's first video frame (the anchor), the
/// rest of the piece's packets by their own timestamps from there (exact, no rounding
/// drift). A packet heard before the anchor, or overlapping sound already written by more
/// than half its length, is dropped; a smaller overlap (rounding where files meet) is closed.
pub(crate) struct SoundClock {
    out_tb: TimeBase,
    /// The current piece's first packet placed: its pts in its file, and in the output.
    base: Option<(i64, i64)>,
    /// End of the last packet placed, output ticks.
    end: Option<i64>,
    /// Pts of the last packet placed, output ticks (each must be later).
    last: Option<i64>,
}

impl SoundClock {
    pub fn new(out_tb: TimeBase) -> Self {
        Self {
            out_tb,
            base: None,
            end: None,
            last: None,
        }
    }

    /// The next packets come from another piece.
    pub fn next_piece(&mut self) {
        self.base = None;
    }

    /// Output pts and duration of a packet (`pts`, `duration` in `tb`, heard at `wall_us`) of
    /// the piece whose first video frame, shown at wall time `anchor.0`, is at output µs
    /// `anchor.1`; `None` to drop it.
    pub fn place(
        &mut self,
        anchor: (i64, i64),
        (pts, duration, tb): (i64, i64, TimeBase),
        wall_us: i64,
    ) -> Option<(i64, i64)> {
        let (anchor_wall, anchor_out) = anchor;
        if wall_us < anchor_wall {
            return None;
        }
        let dur = rescale(duration.max(0), tb, self.out_tb);
        let out = match self.base {
            Some((in0, out0)) => out0 + rescale(pts - in0, tb, self.out_tb),
            None => {
                let mut out = rescale(anchor_out + (wall_us - anchor_wall), MICROS, self.out_tb);
                if let Some(end) = self.end.filter(|&end| out < end) {
                    if end - out > dur / 2 {
                        return None;
                    }
                    out = end;
                }
                self.base = Some((pts, out));
                out
            }
        };
        if self.last.is_some_and(|last| out <= last)
            || self.end.is_some_and(|end| out < end - dur / 2)
        {
            return None;
        }
        self.last = Some(out);
        self.end = Some(out + dur.max(1));
        Some((out, dur))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offer_all(search: &mut StartSearch<u32>, pkts: &[(u32, bool, i64)]) -> Vec<Start<u32>> {
        pkts.iter()
            .map(|&(id, key, wall)| search.offer(id, key, wall))
            .collect()
    }

    #[test]
    fn start_is_the_keyframe_at_or_before_the_target_with_its_lead_in() {
        let mut s = StartSearch::new(250, true);
        // GOP at 0 and 200 (ms-like units), frames every 40; target 250.
        let out = offer_all(
            &mut s,
            &[
                (0, true, 0),
                (1, false, 40),
                (5, true, 200),
                (6, false, 240),
            ],
        );
        assert!(out.iter().all(|o| *o == Start::Hold));
        assert_eq!(s.offer(7, false, 280), Start::Release(vec![5, 6, 7]));
    }

    #[test]
    fn a_keyframe_exactly_at_the_target_is_the_start() {
        let mut s = StartSearch::new(200, true);
        assert_eq!(s.offer(5, true, 200), Start::Hold);
        assert_eq!(s.offer(6, true, 400), Start::Release(vec![5, 6]));
    }

    #[test]
    fn an_overshooting_seek_rewinds_once_and_a_late_file_starts_at_its_first_keyframe() {
        let mut s = StartSearch::new(100, true);
        assert_eq!(s.offer(9, false, 150), Start::Hold);
        assert_eq!(s.offer(10, true, 200), Start::Rewind);
        s.rewound();
        assert_eq!(s.offer(0, true, 0), Start::Hold);
        assert_eq!(s.offer(1, false, 120), Start::Release(vec![0, 1]));
        let mut late = StartSearch::new(100, false);
        assert_eq!(late.offer(3, true, 500), Start::Release(vec![3]));
        let mut short = StartSearch::new(100, true);
        assert_eq!(short.offer(0, true, 0), Start::Hold);
        assert_eq!(short.finish(), vec![0]);
    }

    #[test]
    fn pieces_continue_where_the_previous_one_ended() {
        let tb = (1, 90_000);
        let mut t = Splicer::new(tb);
        // Piece 1 starts mid-file at dts 900000 (10 s): rebased to 0.
        let a = t.map(900_000, 900_000, 3600, tb);
        let b = t.map(903_600, 903_600, 3600, tb);
        assert_eq!((a.pts, a.dts, b.pts, b.dts), (0, 0, 3600, 3600));
        // Piece 2 is another file whose timestamps start at 0, after a gap in wall time:
        // its first frame follows the last one's end.
        t.next_piece();
        let c = t.map(0, 0, 0, tb);
        assert_eq!((c.pts, c.dts, c.duration), (7200, 7200, 3600));
        // A different time base is converted.
        t.next_piece();
        let d = t.map(512, 512, 512, (1, 12_800));
        assert_eq!((d.pts, d.duration), (10_800, 3600));
    }

    #[test]
    fn b_frames_keep_their_reorder_delay_and_dts_stays_increasing() {
        let tb = (1, 25);
        let mut t = Splicer::new(tb);
        // I(pts 1, dts 0) P(3,1) B(2,2): shift of one frame kept.
        let i = t.map(1, 0, 1, tb);
        let p = t.map(3, 1, 1, tb);
        let b = t.map(2, 2, 1, tb);
        assert_eq!(
            (i.pts, i.dts, p.pts, p.dts, b.pts, b.dts),
            (1, 0, 3, 1, 2, 2)
        );
        t.next_piece();
        let next = t.map(11, 10, 1, tb);
        assert_eq!((next.pts, next.dts), (4, 3));
    }

    #[test]
    fn sound_follows_the_picture_by_wall_time_and_never_goes_back() {
        let tb = (1, 16_000);
        let mut c = SoundClock::new(tb);
        // The piece's first frame: wall 10 s, shown at 80 ms of the output.
        let anchor = (10_000_000, 80_000);
        assert_eq!(
            c.place(anchor, (0, 1024, tb), 9_920_000),
            None,
            "before the picture"
        );
        assert_eq!(
            c.place(anchor, (1280, 1024, tb), 10_000_000),
            Some((1280, 1024))
        );
        assert_eq!(
            c.place(anchor, (2304, 1024, tb), 10_064_000),
            Some((2304, 1024))
        );
        // The next file's first frame is shown at 188 ms, 20 ms before the sound written
        // ends (208 ms): its first packet is moved to 208 ms (rounding where files meet),
        // the next ones follow it exactly.
        c.next_piece();
        let next = (20_000_000, 188_000);
        assert_eq!(c.place(next, (0, 1024, tb), 20_000_000), Some((3328, 1024)));
        assert_eq!(
            c.place(next, (1024, 1024, tb), 20_064_000),
            Some((4352, 1024))
        );
        // A piece whose sound would land well inside what is written: dropped.
        c.next_piece();
        assert_eq!(
            c.place((30_000_000, 100_000), (0, 1024, tb), 30_000_000),
            None
        );
    }
}
