//! Continuous-recording cut points: a segment starts on a keyframe and is cut at the first
//! keyframe at or after its target length. Lengths are measured in stream time (PTS), which
//! is exact, not in wall-clock time, which the ingest clock may nudge. Pure logic, no I/O.

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
}

impl Segmenter {
    pub fn new(target_us: i64) -> Self {
        Self {
            target_us,
            open_since: None,
        }
    }

    pub fn set_target(&mut self, target_us: i64) {
        self.target_us = target_us;
    }

    /// Decides for a packet presented at `media_us` (its PTS in µs).
    pub fn decide(&mut self, media_us: i64, keyframe: bool) -> Cut {
        let wall_us = media_us;
        match self.open_since {
            None if keyframe => {
                self.open_since = Some(wall_us);
                Cut::Start
            }
            None => Cut::Skip,
            Some(start) if keyframe && wall_us - start >= self.target_us => {
                self.open_since = Some(wall_us);
                Cut::Rotate
            }
            Some(_) => Cut::Append,
        }
    }

    /// The open segment was closed from outside (stream ended, write error).
    pub fn closed(&mut self) {
        self.open_since = None;
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
}
