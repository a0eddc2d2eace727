//! Per-zone start/end decisions: a minimum duration to start, a quiet period to end.

/// What a zone's state did on one frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Edge {
    /// `at_us` is the first frame of the run that confirmed the start; `score` is the largest
    /// changed fraction seen in that run.
    Started { at_us: i64, score: f32 },
    /// `at_us` is the last frame that was above the minimum area; `peak` the largest fraction
    /// seen during the whole event.
    Ended { at_us: i64, peak: f32 },
}

/// Hysteresis for one zone. A run of frames at or above the minimum area that lasts
/// `start_after_us` starts an event; a frame below it breaks the run. An event ends on the
/// first frame that is below and at least `quiet_us` after the last frame that was above.
#[derive(Debug, Clone, Default)]
pub(crate) struct Tracker {
    /// First frame of the current run of "above" frames while idle.
    run_start: Option<i64>,
    /// Largest fraction of the current run (idle) or event (active).
    peak: f32,
    active: bool,
    last_above: i64,
    last_ts: Option<i64>,
}

impl Tracker {
    pub(crate) fn is_active(&self) -> bool {
        self.active
    }

    pub(crate) fn update(
        &mut self,
        ts_us: i64,
        fraction: f32,
        above: bool,
        start_after_us: i64,
        quiet_us: i64,
    ) -> Option<Edge> {
        self.rebase_if_backwards(ts_us);
        if !self.active {
            if !above {
                self.run_start = None;
                self.peak = 0.0;
                return None;
            }
            let start = *self.run_start.get_or_insert(ts_us);
            self.peak = self.peak.max(fraction);
            if ts_us.saturating_sub(start) >= start_after_us {
                self.active = true;
                self.last_above = ts_us;
                self.run_start = None;
                return Some(Edge::Started {
                    at_us: start,
                    score: self.peak,
                });
            }
            return None;
        }
        if above {
            self.last_above = ts_us;
            self.peak = self.peak.max(fraction);
            None
        } else if ts_us.saturating_sub(self.last_above) >= quiet_us {
            self.finish()
        } else {
            None
        }
    }

    /// Ends an active event now (zone removed, frame size changed) and forgets any run.
    pub(crate) fn finish(&mut self) -> Option<Edge> {
        let was_active = std::mem::take(&mut self.active);
        let peak = std::mem::take(&mut self.peak);
        self.run_start = None;
        was_active.then_some(Edge::Ended {
            at_us: self.last_above,
            peak,
        })
    }

    /// Timestamps from the caller may jump back (a restarted source): measure from the new
    /// timeline instead of waiting for it to catch up.
    fn rebase_if_backwards(&mut self, ts_us: i64) {
        if self.last_ts.is_some_and(|last| ts_us < last) {
            if self.run_start.is_some() {
                self.run_start = Some(ts_us);
            }
            if self.active {
                self.last_above = ts_us;
            }
        }
        self.last_ts = Some(ts_us);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const START: i64 = 400_000;
    const QUIET: i64 = 2_000_000;

    /// Feeds (ts, above) pairs at 100 ms and returns the edges with the frame they came on.
    fn run(t: &mut Tracker, frames: &[(i64, bool)]) -> Vec<(i64, Edge)> {
        frames
            .iter()
            .filter_map(|&(ts, above)| {
                let f = if above { 0.1 + ts as f32 * 1e-9 } else { 0.0 };
                t.update(ts, f, above, START, QUIET).map(|e| (ts, e))
            })
            .collect()
    }

    fn frames(from: i64, to: i64, above: bool) -> Vec<(i64, bool)> {
        (from..to).map(|i| (i * 100_000, above)).collect()
    }

    #[test]
    fn starts_at_first_frame_of_run_and_ends_after_quiet() {
        let mut t = Tracker::default();
        let mut input = frames(0, 10, false);
        input.extend(frames(10, 30, true));
        input.extend(frames(30, 70, false));
        let edges = run(&mut t, &input);
        assert_eq!(edges.len(), 2, "{edges:?}");
        // Confirmed at 1.4 s, dated 1.0 s.
        assert!(matches!(
            edges[0],
            (
                1_400_000,
                Edge::Started {
                    at_us: 1_000_000,
                    ..
                }
            )
        ));
        // Last above at 2.9 s, ended on the first below frame 2 s later.
        assert!(
            matches!(edges[1], (4_900_000, Edge::Ended { at_us: 2_900_000, peak }) if peak > 0.1)
        );
        assert!(!t.is_active());
    }

    #[test]
    fn short_runs_and_gaps() {
        let mut t = Tracker::default();
        // 4 frames above (0.3 s) then one below: never starts.
        let mut input = frames(0, 4, true);
        input.extend(frames(4, 5, false));
        input.extend(frames(5, 9, true));
        input.extend(frames(9, 10, false));
        assert!(run(&mut t, &input).is_empty());
        // Once active, a gap shorter than the quiet period does not end the event.
        let mut input = frames(10, 20, true);
        input.extend(frames(20, 35, false));
        input.extend(frames(35, 40, true));
        input.extend(frames(40, 61, false));
        let edges = run(&mut t, &input);
        assert_eq!(edges.len(), 2, "{edges:?}");
        assert!(matches!(
            edges[1].1,
            Edge::Ended {
                at_us: 3_900_000,
                ..
            }
        ));
        assert_eq!(edges[1].0, 5_900_000);
    }

    #[test]
    fn zero_start_delay_and_finish() {
        let mut t = Tracker::default();
        let e = t.update(5, 0.2, true, 0, QUIET);
        assert_eq!(
            e,
            Some(Edge::Started {
                at_us: 5,
                score: 0.2
            })
        );
        assert_eq!(
            t.finish(),
            Some(Edge::Ended {
                at_us: 5,
                peak: 0.2
            })
        );
        assert_eq!(t.finish(), None);
    }

    #[test]
    fn timestamps_going_back_do_not_stall() {
        let mut t = Tracker::default();
        let mut input = frames(100, 110, true);
        input.extend(frames(0, 25, false));
        let edges = run(&mut t, &input);
        assert_eq!(edges.len(), 2, "{edges:?}");
        assert_eq!(edges[1].0, 2_000_000);
    }
}
