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

    /// Wall time (UTC µs) of a packet with presentation time `pts_us` that arrived at
    /// `arrival_us`.
    pub fn stamp(&mut self, pts_us: i64, arrival_us: i64) -> i64 {
        let candidate = arrival_us - pts_us;
        let anchor = match self.anchor_us {
            None => {
                self.first_pts_us = pts_us;
                self.anchor_us = Some(candidate);
                return arrival_us;
            }
            Some(a) => a,
        };
        if !self.follow_arrival {
            return anchor + pts_us;
        }
        let deviation = candidate - anchor;
        let new_anchor = if deviation.abs() > JUMP_US {
            self.reanchors += 1;
            candidate
        } else if pts_us - self.first_pts_us < SETTLE_US {
            anchor.min(candidate)
        } else {
            anchor + deviation / SLEW_DIVISOR
        };
        self.anchor_us = Some(new_anchor);
        new_anchor + pts_us
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
    fn fixed_clock_ignores_arrival() {
        let mut c = WallClock::new(false);
        c.stamp(0, 5_000_000);
        assert_eq!(c.stamp(10_000_000, 5_000_100), 15_000_000);
    }
}
