//! Continuous-recording cut points: a segment starts on a keyframe and is cut at the first
//! keyframe at or after its target length. Lengths are measured in stream time (DTS), which
//! is exact, not in wall-clock time, which the ingest clock may nudge. A timestamp jump
//! (backwards, or forwards by more than [`MAX_FORWARD_STEP_US`]) cuts at the next keyframe,
//! so no file spans a discontinuity it could not describe. Pure logic, no I/O.

/// A step forward between consecutive packets beyond this is a jump, not a slow frame rate.
pub const MAX_FORWARD_STEP_US: i64 = 10_000_000;
/// A step backwards beyond this is a jump (decode order never goes back; a little slack for
/// cameras that stamp decode time loosely).
pub const MAX_BACKWARD_STEP_US: i64 = 1_000_000;

/// What to do with a packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cut {
    /// No segment is open and this is not a keyframe: wait for one.
    Skip,
    /// Open a new segment starting with this keyframe.
    Start,
    /// Finish the open segment (ending at this packet's time) and start a new one with it.
    Rotate,
    /// Append to the open segment.
    Append,
}

#[derive(Debug, Clone)]
pub struct Segmenter {
    target_us: i64,
    open_since: Option<i64>,
    /// Stream time of the previous packet.
    last_us: Option<i64>,
    /// A jump was seen in the open segment: cut at the next keyframe.
    cut_pending: bool,
    /// The latest jump not yet reported, µs (negative: backwards).
    jump: Option<i64>,
}

impl Segmenter {
    pub fn new(target_us: i64) -> Self {
        Self {
            target_us,
            open_since: None,
            last_us: None,
            cut_pending: false,
            jump: None,
        }
    }

    pub fn set_target(&mut self, target_us: i64) {
        self.target_us = target_us;
    }

    /// Decides for a packet decoded at `media_us` (its DTS in µs).
    pub fn decide(&mut self, media_us: i64, keyframe: bool) -> Cut {
        if let Some(last) = self.last_us.replace(media_us) {
            let step = media_us.saturating_sub(last);
            if !(-MAX_BACKWARD_STEP_US..=MAX_FORWARD_STEP_US).contains(&step) {
                self.jump = Some(step);
                self.cut_pending = self.open_since.is_some();
            }
        }
        match self.open_since {
            None if keyframe => {
                self.open_since = Some(media_us);
                Cut::Start
            }
            None => Cut::Skip,
            Some(start)
                if keyframe
                    && (self.cut_pending || media_us.saturating_sub(start) >= self.target_us) =>
            {
                self.open_since = Some(media_us);
                self.cut_pending = false;
                Cut::Rotate
            }
            Some(_) => Cut::Append,
        }
    }

    /// The size of a timestamp jump seen since the last call, µs (for the status).
    pub fn take_jump(&mut self) -> Option<i64> {
        self.jump.take()
    }

    /// The open segment was closed from outside (stream ended, write error).
    pub fn closed(&mut self) {
        self.open_since = None;
        self.last_us = None;
        self.cut_pending = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starts_on_keyframe_and_cuts_at_first_keyframe_after_target() {
        let mut s = Segmenter::new(4_000_000);
        assert_eq!(s.decide(0, false), Cut::Skip);
        assert_eq!(s.decide(500_000, true), Cut::Start);
        assert_eq!(s.decide(2_500_000, true), Cut::Append); // too early
        assert_eq!(s.decide(4_400_000, false), Cut::Append); // not a keyframe
        assert_eq!(s.decide(4_500_000, true), Cut::Rotate); // exactly the target
        assert_eq!(s.decide(6_500_000, true), Cut::Append);
        s.closed();
        assert_eq!(s.decide(6_600_000, false), Cut::Skip);
        assert_eq!(s.decide(7_000_000, true), Cut::Start);
    }

    #[test]
    fn a_backward_jump_cuts_at_the_next_keyframe() {
        let mut s = Segmenter::new(60_000_000);
        assert_eq!(s.decide(3_600_000_000, true), Cut::Start);
        assert_eq!(s.decide(3_600_040_000, false), Cut::Append);
        // The camera's clock went back an hour: without the jump rule this segment would
        // never reach its target length.
        assert_eq!(s.decide(80_000, false), Cut::Append);
        assert_eq!(s.take_jump(), Some(80_000 - 3_600_040_000));
        assert_eq!(s.take_jump(), None);
        assert_eq!(s.decide(120_000, true), Cut::Rotate);
        assert_eq!(s.decide(160_000, true), Cut::Append);
    }

    #[test]
    fn an_hour_forward_cuts_and_b_frame_order_does_not() {
        let mut s = Segmenter::new(60_000_000);
        assert_eq!(s.decide(0, true), Cut::Start);
        assert_eq!(s.decide(120_000, false), Cut::Append);
        assert_eq!(s.decide(40_000, false), Cut::Append); // reordered, not a jump
        assert_eq!(s.take_jump(), None);
        assert_eq!(s.decide(3_600_000_000, true), Cut::Rotate);
        assert!(s.take_jump().is_some());
    }

    #[test]
    fn extreme_timestamps_do_not_overflow() {
        let mut s = Segmenter::new(4_000_000);
        assert_eq!(s.decide(i64::MIN, true), Cut::Start);
        assert_eq!(s.decide(i64::MAX, true), Cut::Rotate);
        assert_eq!(s.decide(i64::MIN, false), Cut::Append);
        assert_eq!(s.decide(i64::MAX, true), Cut::Rotate);
        assert_eq!(s.decide(i64::MAX, true), Cut::Append);
    }
}
