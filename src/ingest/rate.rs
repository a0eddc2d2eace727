//! Rolling frame rate and bitrate of a stream, for the camera status.

use std::time::{Duration, Instant};

const WINDOW: Duration = Duration::from_secs(2);

#[derive(Debug)]
pub struct RateMeter {
    window_start: Instant,
    frames: u64,
    bytes: u64,
}

/// Frames per second and bits per second over the last window.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rates {
    pub fps: f64,
    pub bitrate_bps: f64,
}

impl RateMeter {
    pub fn new(now: Instant) -> Self {
        Self {
            window_start: now,
            frames: 0,
            bytes: 0,
        }
    }

    /// Counts a packet; returns fresh rates when a window has closed.
    pub fn add(&mut self, bytes: usize, now: Instant) -> Option<Rates> {
        self.frames += 1;
        self.bytes += bytes as u64;
        let elapsed = now.duration_since(self.window_start);
        if elapsed < WINDOW {
            return None;
        }
        let secs = elapsed.as_secs_f64();
        let rates = Rates {
            fps: self.frames as f64 / secs,
            bitrate_bps: self.bytes as f64 * 8.0 / secs,
        };
        *self = Self::new(now);
        Some(rates)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_over_a_window() {
        let t0 = Instant::now();
        let mut m = RateMeter::new(t0);
        for i in 0..50 {
            assert!(m.add(1000, t0 + Duration::from_millis(i * 40)).is_none());
        }
        let r = m.add(1000, t0 + Duration::from_secs(2)).unwrap();
        assert!((r.fps - 25.5).abs() < 0.01, "{}", r.fps);
        assert!((r.bitrate_bps - 204_000.0).abs() < 1.0);
    }
}
