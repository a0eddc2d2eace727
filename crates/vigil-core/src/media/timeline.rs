//! A segment file's timeline: camera timestamps rebased to the file's start, kept strictly
//! monotonic in decode order. A step backwards or a leap forward (a camera glitch, its clock
//! reset, a reconfiguration) is closed up at the previous frame spacing, so the file never
//! holds a hole or a reversal. All arithmetic on camera values saturates. Pure logic.

#[derive(Debug, Clone)]
pub struct TimestampRebaser {
    /// Subtracted from camera timestamps: the first DTS, moved at each discontinuity.
    base: Option<i64>,
    /// A forward step between consecutive DTS beyond this is a discontinuity, ticks.
    max_step: i64,
    last_dts: Option<i64>,
    last_delta: i64,
    discontinuities: u64,
}

impl TimestampRebaser {
    pub fn new(max_step: i64) -> Self {
        Self {
            base: None,
            max_step: max_step.max(1),
            last_dts: None,
            last_delta: 0,
            discontinuities: 0,
        }
    }

    /// Jumps closed up so far.
    pub fn discontinuities(&self) -> u64 {
        self.discontinuities
    }

    /// DTS step between the last two packets placed, ticks (0 before the second).
    pub fn last_delta(&self) -> i64 {
        self.last_delta
    }

    /// Places a packet (camera DTS, PTS and duration, ticks); returns its DTS and PTS in the
    /// file (DTS strictly increasing, PTS never before DTS).
    pub fn place(&mut self, dts: i64, pts: i64, duration: i64) -> (i64, i64) {
        let base = *self.base.get_or_insert(dts);
        let mut out = dts.saturating_sub(base);
        if let Some(last) = self.last_dts {
            let step = out.saturating_sub(last);
            if step <= 0 || step > self.max_step {
                let spacing = if duration > 0 && duration <= self.max_step {
                    duration
                } else {
                    self.last_delta.max(1)
                };
                let want = last.saturating_add(spacing);
                self.base = Some(dts.saturating_sub(want));
                if step < 0 || step > self.max_step {
                    self.discontinuities += 1;
                }
                out = want;
            }
            self.last_delta = out.saturating_sub(last);
        }
        let base = self.base.unwrap_or(base);
        let pts_out = pts.saturating_sub(base).max(out);
        self.last_dts = Some(out);
        (out, pts_out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STEP: i64 = 3600; // 25 fps at 1/90000

    #[test]
    fn ordinary_streams_are_only_rebased() {
        let mut t = TimestampRebaser::new(900_000);
        assert_eq!(t.place(1000, 1000 + 2 * STEP, STEP), (0, 2 * STEP));
        assert_eq!(t.place(1000 + STEP, 1000, STEP), (STEP, STEP)); // B-frame: pts ≥ dts
        assert_eq!(
            t.place(1000 + 2 * STEP, 1000 + 3 * STEP, 0),
            (2 * STEP, 3 * STEP)
        );
        assert_eq!(t.discontinuities(), 0);
    }

    #[test]
    fn jumps_back_and_forward_are_closed_up() {
        let mut t = TimestampRebaser::new(900_000);
        let mut last = i64::MIN;
        let mut cam = 5_000_000;
        for i in 0..300 {
            if i == 100 {
                cam -= 3600 * 90_000; // an hour back
            }
            if i == 200 {
                cam += 2 * 3600 * 90_000; // two hours ahead
            }
            let (dts, pts) = t.place(cam, cam, 0);
            assert!(dts > last, "frame {i}: {dts} after {last}");
            assert!(pts >= dts);
            if i > 1 {
                assert_eq!(dts - last, STEP, "frame {i} keeps the spacing");
            }
            last = dts;
            cam += STEP;
        }
        assert_eq!(t.discontinuities(), 2);
        assert_eq!(last, 299 * STEP);
    }

    #[test]
    fn extreme_camera_values_neither_panic_nor_reverse() {
        let mut t = TimestampRebaser::new(900_000);
        let mut last = None;
        for (dts, pts) in [
            (i64::MIN, i64::MAX),
            (i64::MAX, i64::MIN),
            (0, 0),
            (i64::MIN + 1, i64::MIN),
            (i64::MAX - 1, i64::MAX),
            (i64::MAX, i64::MAX),
        ] {
            let (d, p) = t.place(dts, pts, i64::MAX);
            assert!(last.is_none_or(|l| d > l), "{d} after {last:?}");
            assert!(p >= d);
            last = Some(d);
        }
    }
}
