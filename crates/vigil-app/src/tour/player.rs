//! The tour player: a pure state machine on an injected clock that says which step shows
//! now, pauses while the operator interacts and resumes after a quiet spell (or at once on
//! request). It knows steps only as values; the app applies them to the grid.

use std::time::{Duration, Instant};

use vigil_core::model::{Tour, TourStep};

/// How long the operator must leave the live view alone before a paused tour goes on.
pub const RESUME_AFTER: Duration = Duration::from_secs(30);

/// What the tour is doing at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TourState {
    /// Showing step `step` (0-based) of `steps`; the next one comes in `next_in`.
    Running {
        step: usize,
        steps: usize,
        next_in: Duration,
    },
    /// Paused by the operator; goes on by itself in `resumes_in`.
    Paused { step: usize, resumes_in: Duration },
}

/// A running tour.
#[derive(Debug, Clone)]
pub struct TourPlayer {
    tour: Tour,
    dwell: Duration,
    step: usize,
    /// When the current step was shown (or re-shown on resuming).
    shown_at: Instant,
    /// While paused: when the tour goes on by itself.
    paused_until: Option<Instant>,
    /// A step to show that the app has not yet taken.
    pending: Option<TourStep>,
}

impl TourPlayer {
    /// Starts `tour` at its first step, at `now`. `None` when it has no steps.
    pub fn start(tour: Tour, now: Instant) -> Option<Self> {
        let first = tour.steps.first()?.clone();
        // The library checks the dwell; a hand-edited row still cannot stop the tour.
        let dwell = Duration::try_from_secs_f64(tour.dwell_s.clamp(0.1, 86_400.0))
            .unwrap_or(Duration::from_secs(10));
        Some(Self {
            tour,
            dwell,
            step: 0,
            shown_at: now,
            paused_until: None,
            pending: Some(first),
        })
    }

    pub fn tour(&self) -> &Tour {
        &self.tour
    }

    /// Moves the tour on to `now` and answers the step to show if it changed (the first
    /// step right after starting; the current one again after a pause). A step whose
    /// moment passed long ago (the app was asleep) is skipped over, not replayed.
    pub fn tick(&mut self, now: Instant) -> Option<TourStep> {
        if let Some(until) = self.paused_until {
            if now < until {
                return None;
            }
            self.resume_at(until.max(self.shown_at));
        }
        let elapsed = now.saturating_duration_since(self.shown_at);
        if elapsed >= self.dwell {
            let steps_passed = (elapsed.as_nanos() / self.dwell.as_nanos().max(1)) as usize;
            self.step = (self.step + steps_passed) % self.tour.steps.len();
            self.shown_at += self.dwell * steps_passed as u32;
            self.pending = Some(self.tour.steps[self.step].clone());
        }
        self.pending.take()
    }

    /// The operator did something on the live view at `now`: pause until they stop.
    pub fn interacted(&mut self, now: Instant) {
        self.paused_until = Some(now + RESUME_AFTER);
    }

    /// Goes on at once (the Resume button): the current step shows again for a full dwell.
    pub fn resume(&mut self, now: Instant) {
        if self.paused_until.is_some() {
            self.resume_at(now);
        }
    }

    fn resume_at(&mut self, at: Instant) {
        self.paused_until = None;
        self.shown_at = at;
        self.pending = Some(self.tour.steps[self.step].clone());
    }

    pub fn is_paused(&self) -> bool {
        self.paused_until.is_some()
    }

    pub fn state(&self, now: Instant) -> TourState {
        match self.paused_until {
            Some(until) => TourState::Paused {
                step: self.step,
                resumes_in: until.saturating_duration_since(now),
            },
            None => TourState::Running {
                step: self.step,
                steps: self.tour.steps.len(),
                next_in: (self.shown_at + self.dwell).saturating_duration_since(now),
            },
        }
    }

    /// When the app must look again (the next step, or the end of a pause).
    pub fn next_change(&self) -> Instant {
        self.paused_until.unwrap_or(self.shown_at + self.dwell)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tour(steps: Vec<TourStep>, dwell_s: f64) -> Tour {
        Tour {
            id: 1,
            name: "Round".into(),
            steps,
            dwell_s,
            updated_us: 0,
        }
    }

    fn s(secs: f64) -> Duration {
        Duration::from_secs_f64(secs)
    }

    #[test]
    fn steps_follow_each_other_every_dwell_and_wrap_around() {
        let t0 = Instant::now();
        let steps = vec![
            TourStep::Layout(7),
            TourStep::Camera(1),
            TourStep::Camera(2),
        ];
        let mut p = TourPlayer::start(tour(steps, 10.0), t0).expect("has steps");
        assert_eq!(
            p.tick(t0),
            Some(TourStep::Layout(7)),
            "the first step at once"
        );
        assert_eq!(p.tick(t0 + s(5.0)), None);
        assert_eq!(
            p.state(t0 + s(5.0)),
            TourState::Running {
                step: 0,
                steps: 3,
                next_in: s(5.0)
            }
        );
        assert_eq!(p.tick(t0 + s(10.0)), Some(TourStep::Camera(1)));
        assert_eq!(p.tick(t0 + s(12.0)), None);
        assert_eq!(p.tick(t0 + s(20.5)), Some(TourStep::Camera(2)));
        assert_eq!(p.tick(t0 + s(30.0)), Some(TourStep::Layout(7)), "wraps");
        // Asleep for 25 s: two steps on, keeping the rhythm.
        assert_eq!(p.tick(t0 + s(55.0)), Some(TourStep::Camera(2)));
        assert_eq!(p.next_change(), t0 + s(60.0));
        assert!(TourPlayer::start(tour(vec![], 10.0), t0).is_none());
    }

    #[test]
    fn interaction_pauses_and_quiet_resumes_with_the_current_step() {
        let t0 = Instant::now();
        let steps = vec![TourStep::Camera(1), TourStep::Camera(2)];
        let mut p = TourPlayer::start(tour(steps, 10.0), t0).expect("has steps");
        assert_eq!(p.tick(t0), Some(TourStep::Camera(1)));
        p.interacted(t0 + s(4.0));
        assert!(p.is_paused());
        assert_eq!(p.tick(t0 + s(15.0)), None, "no step while paused");
        p.interacted(t0 + s(20.0)); // still busy: the pause runs from the last touch
        assert_eq!(
            p.state(t0 + s(26.0)),
            TourState::Paused {
                step: 0,
                resumes_in: s(24.0)
            }
        );
        assert_eq!(p.tick(t0 + s(49.0)), None);
        // 30 s after the last touch the step the tour was on shows again, for a full dwell.
        assert_eq!(p.tick(t0 + s(50.0)), Some(TourStep::Camera(1)));
        assert!(!p.is_paused());
        assert_eq!(p.tick(t0 + s(59.0)), None);
        assert_eq!(p.tick(t0 + s(60.0)), Some(TourStep::Camera(2)));
    }

    #[test]
    fn resume_goes_on_at_once() {
        let t0 = Instant::now();
        let steps = vec![TourStep::Camera(1), TourStep::Camera(2)];
        let mut p = TourPlayer::start(tour(steps, 5.0), t0).expect("has steps");
        p.tick(t0);
        p.tick(t0 + s(5.0));
        p.interacted(t0 + s(6.0));
        p.resume(t0 + s(8.0));
        assert_eq!(p.tick(t0 + s(8.0)), Some(TourStep::Camera(2)));
        assert_eq!(p.tick(t0 + s(13.0)), Some(TourStep::Camera(1)));
        p.resume(t0 + s(14.0)); // not paused: nothing happens
        assert_eq!(p.tick(t0 + s(14.0)), None);
    }
}
