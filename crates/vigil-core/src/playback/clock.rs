//! Playback time: a [`Clock`] (the system's monotonic clock, or a hand-driven one for tests)
//! and the timeline position it drives — `position = anchor + elapsed × speed` while playing,
//! frozen while paused.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant};

/// A monotonic clock in µs from any fixed origin.
pub trait Clock: Send + Sync {
    fn now_us(&self) -> i64;

    /// Longest the player sleeps before looking at the clock again while playing.
    fn max_sleep(&self) -> Duration {
        Duration::from_millis(100)
    }
}

/// The system's monotonic clock.
pub struct SystemClock {
    origin: Instant,
}

impl SystemClock {
    pub fn new() -> Self {
        Self {
            origin: Instant::now(),
        }
    }
}

impl Default for SystemClock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock for SystemClock {
    fn now_us(&self) -> i64 {
        i64::try_from(self.origin.elapsed().as_micros()).unwrap_or(i64::MAX)
    }
}

/// A clock that moves only when told to (tests drive playback frame by frame with it; the
/// player then looks at it every 2 ms).
#[derive(Default)]
pub struct ManualClock {
    now: AtomicI64,
}

impl ManualClock {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn advance(&self, us: i64) {
        self.now.fetch_add(us, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now_us(&self) -> i64 {
        self.now.load(Ordering::SeqCst)
    }

    fn max_sleep(&self) -> Duration {
        Duration::from_millis(2)
    }
}

/// The playhead: the position in recorded time (UTC µs) as a function of clock time, at a
/// speed, playing or paused.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Playhead {
    anchor_pos: i64,
    anchor_clock: i64,
    speed: f64,
    playing: bool,
}

impl Playhead {
    pub fn new(position_us: i64, now: i64) -> Self {
        Self {
            anchor_pos: position_us,
            anchor_clock: now,
            speed: 1.0,
            playing: false,
        }
    }

    pub fn position(&self, now: i64) -> i64 {
        if !self.playing {
            return self.anchor_pos;
        }
        let elapsed = (now - self.anchor_clock).max(0) as f64;
        self.anchor_pos + (elapsed * self.speed).round() as i64
    }

    pub fn playing(&self) -> bool {
        self.playing
    }

    pub fn speed(&self) -> f64 {
        self.speed
    }

    /// Jumps to `position_us` (playing on from there if playing).
    pub fn set_position(&mut self, position_us: i64, now: i64) {
        self.anchor_pos = position_us;
        self.anchor_clock = now;
    }

    pub fn set_playing(&mut self, playing: bool, now: i64) {
        let here = self.position(now);
        self.set_position(here, now);
        self.playing = playing;
    }

    pub fn set_speed(&mut self, speed: f64, now: i64) {
        let here = self.position(now);
        self.set_position(here, now);
        self.speed = speed;
    }

    /// Clock time until the position reaches `position_us` (zero if it has, `None` if it
    /// never will: paused, or behind).
    pub fn wait_until(&self, position_us: i64, now: i64) -> Option<Duration> {
        if !self.playing {
            return None;
        }
        let ahead = (position_us - self.position(now)).max(0) as f64;
        Some(Duration::from_micros((ahead / self.speed).ceil() as u64))
    }

    /// How long a player may wait for commands when the next change is `due` (a position):
    /// `None` while paused (until one comes).
    pub fn sleep_for(&self, due: Option<i64>, now: i64) -> Option<Duration> {
        if !self.playing {
            return None;
        }
        Some(match due {
            Some(pos) => self.wait_until(pos, now).unwrap_or_default(),
            None => Duration::MAX,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_position_follows_the_clock_times_the_speed() {
        let mut t = Playhead::new(1_000_000, 0);
        assert_eq!(t.position(500_000), 1_000_000); // paused
        assert_eq!(t.wait_until(1_100_000, 0), None);
        t.set_playing(true, 0);
        assert_eq!(t.position(500_000), 1_500_000);
        t.set_speed(4.0, 500_000);
        assert_eq!(t.position(600_000), 1_900_000);
        assert_eq!(
            t.wait_until(2_300_000, 600_000),
            Some(Duration::from_micros(100_000))
        );
        t.set_playing(false, 700_000);
        assert_eq!(t.position(9_000_000), 2_300_000);
        t.set_playing(true, 9_000_000);
        t.set_speed(0.25, 9_000_000);
        assert_eq!(t.position(9_400_000), 2_400_000);
        t.set_position(5_000_000, 9_400_000);
        assert_eq!(t.position(9_800_000), 5_100_000);
        let clock = ManualClock::new();
        clock.advance(40_000);
        assert_eq!(clock.now_us(), 40_000);
    }
}
