//! Wall-clock stamping: a packet's wall time is its PTS plus a per-connection anchor taken
//! from arrival time. Consecutive packets of one connection are exactly as far apart as their
//! PTS says (so segments abut), the anchor slews slowly toward arrival time to absorb camera
//! clock drift, and a jump of more than a second (a PTS discontinuity) re-anchors.

/// Deviation beyond which the stream is re-anchored instead of slewed, µs.
const JUMP_US: i64 = 1_000_000;
/// Fraction of the deviation corrected per packet while slewing.
const SLEW_DIVISOR: i64 = 1000;
/// During this first stretch of a connection the anchor takes the earliest arrival seen
/// (the one with least network delay), µs of stream time.
const SETTLE_US: i64 = 2_000_000;

#[derive(Debug, Clone)]
pub struct WallClock {
    anchor_us: Option<i64>,
    first_pts_us: i64,
    /// When false the anchor never moves after the first packet (files read at full speed).
    follow_arrival: bool,
    reanchors: u64,
}

impl WallClock {
    pub fn new(follow_arrival: bool) -> Self {
        Self {
            anchor_us: None,
            first_pts_us: 0,
            follow_arrival,
            reanchors: 0,
        }
    }

    /// Times the stream jumped and was re-anchored.
    pub fn reanchors(&self) -> u64 {
        self.reanchors
    }

    /// Wall time (UTC µs) of presentation time `pts_us` on the connection's current anchor,
    /// without moving it: the audio's, which shares the video's timeline. `None` before the
    /// first video packet.
    pub fn wall_of(&self, pts_us: i64) -> Option<i64> {
        self.anchor_us.map(|a| a.saturating_add(pts_us))
    }

    /// Wall time (UTC µs) of a packet with presentation time `pts_us` that arrived at
    /// `arrival_us`.
    /// Camera timestamps can be anything (including `i64::MIN`/`MAX` after a glitch): all
    /// arithmetic saturates, and a result far from arrival re-anchors, so the wall time stays
    /// sane.
    pub fn stamp(&mut self, pts_us: i64, arrival_us: i64) -> i64 {
        let candidate = arrival_us.saturating_sub(pts_us);
        let anchor = match self.anchor_us {
            None => {
                self.first_pts_us = pts_us;
                self.anchor_us = Some(candidate);
                return arrival_us;
            }
            Some(a) => a,
        };
        if !self.follow_arrival {
            return anchor.saturating_add(pts_us);
        }
        let deviation = candidate.saturating_sub(anchor);
        let new_anchor = if deviation.saturating_abs() > JUMP_US {
            self.reanchors += 1;
            candidate
        } else if pts_us.saturating_sub(self.first_pts_us) < SETTLE_US {
            anchor.min(candidate)
        } else {
            anchor.saturating_add(deviation / SLEW_DIVISOR)
        };
        self.anchor_us = Some(new_anchor);
        let wall = new_anchor.saturating_add(pts_us);
        if wall.saturating_sub(arrival_us).saturating_abs() > JUMP_US {
            // Saturated at an edge of i64: the stream's time means nothing; use arrival.
            self.anchor_us = None;
            return arrival_us;
        }
        wall
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packets_keep_their_pts_spacing() {
        let mut c = WallClock::new(true);
        let t0 = 1_000_000_000;
        assert_eq!(c.stamp(0, t0), t0);
        // Jittery arrivals within the settle period never move time forward.
        assert_eq!(c.stamp(40_000, t0 + 45_000), t0 + 40_000);
        assert_eq!(c.stamp(80_000, t0 + 81_000), t0 + 80_000);
    }

    #[test]
    fn earliest_arrival_wins_while_settling() {
        let mut c = WallClock::new(true);
        let t0 = 1_000_000_000;
        c.stamp(0, t0 + 30_000); // first packet was delayed by 30 ms
        assert_eq!(c.stamp(40_000, t0 + 40_000), t0 + 40_000);
    }

    #[test]
    fn a_pts_jump_reanchors() {
        let mut c = WallClock::new(true);
        let t0 = 1_000_000_000;
        c.stamp(0, t0);
        let w = c.stamp(90_000_000, t0 + 40_000);
        assert_eq!(w, t0 + 40_000);
        assert_eq!(c.reanchors(), 1);
    }

    #[test]
    fn drift_is_slewed_gently() {
        let mut c = WallClock::new(true);
        let t0 = 1_000_000_000;
        c.stamp(0, t0);
        // After settling, arrivals run 500 ms late (camera clock slow): time follows slowly.
        let mut last = 0;
        for i in 60..260 {
            let pts = i * 40_000;
            last = c.stamp(pts, t0 + pts + 500_000);
        }
        let lag = 259 * 40_000 + t0 + 500_000 - last;
        assert!(lag > 0 && lag < 500_000, "lag {lag}");
        assert_eq!(c.reanchors(), 0);
    }

    #[test]
    fn extreme_timestamps_neither_overflow_nor_leave_arrival_time() {
        let t0 = 1_700_000_000_000_000;
        for pts in [i64::MIN, i64::MIN + 1, -1, i64::MAX - 1, i64::MAX] {
            let mut c = WallClock::new(true);
            assert_eq!(c.stamp(pts, t0), t0);
            // Jumping from the edge to an ordinary value and back re-anchors.
            let w = c.stamp(0, t0 + 40_000);
            assert!((w - (t0 + 40_000)).abs() <= JUMP_US, "{pts}: {w}");
            let w = c.stamp(pts, t0 + 80_000);
            assert!((w - (t0 + 80_000)).abs() <= JUMP_US, "{pts}: {w}");
        }
    }

    #[test]
    fn backward_and_hour_jumps_stay_at_arrival_time() {
        let mut c = WallClock::new(true);
        let t0 = 1_700_000_000_000_000;
        let mut pts = 10_000_000;
        let mut arrival = t0;
        for step in 0..300 {
            if step == 100 {
                pts -= 3_600_000_000; // an hour back
            }
            if step == 200 {
                pts += 7_200_000_000; // two hours ahead
            }
            let w = c.stamp(pts, arrival);
            assert!(
                (w - arrival).abs() <= JUMP_US,
                "step {step}: {}",
                w - arrival
            );
            pts += 40_000;
            arrival += 40_000;
        }
        assert_eq!(c.reanchors(), 2);
    }

    #[test]
    fn fixed_clock_ignores_arrival() {
        let mut c = WallClock::new(false);
        c.stamp(0, 5_000_000);
        assert_eq!(c.stamp(10_000_000, 5_000_100), 15_000_000);
    }
}
