//! Rolling frame rate and bitrate of a stream, for the camera status. Measured over stream
//! time (the packets' wall-clock stamps), so the burst FFmpeg delivers right after connecting
//! (packets it buffered while probing) does not read as a frame rate spike.

/// Length of a measurement window, µs of stream time.
const WINDOW_US: i64 = 2_000_000;

#[derive(Debug, Default)]
pub struct RateMeter {
    window_start_us: Option<i64>,
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
    pub fn new() -> Self {
        Self::default()
    }

    /// Counts a packet stamped `wall_us`; returns fresh rates when a window has closed.
    /// The packet that closes a window opens the next one.
    pub fn add(&mut self, bytes: usize, wall_us: i64) -> Option<Rates> {
        let start = *self.window_start_us.get_or_insert(wall_us);
        let elapsed = wall_us - start;
        if elapsed < WINDOW_US {
            self.frames += 1;
            self.bytes += bytes as u64;
            return None;
        }
        let secs = elapsed as f64 / 1e6;
        let rates = Rates {
            fps: self.frames as f64 / secs,
            bitrate_bps: self.bytes as f64 * 8.0 / secs,
        };
        *self = Self {
            window_start_us: Some(wall_us),
            frames: 1,
            bytes: bytes as u64,
        };
        Some(rates)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_over_a_window_of_stream_time() {
        let mut m = RateMeter::new();
        for i in 0..50 {
            assert!(m.add(1000, i * 40_000).is_none());
        }
        let r = m.add(1000, 2_000_000).expect("window closed");
        assert!((r.fps - 25.0).abs() < 0.01, "{}", r.fps);
        assert!((r.bitrate_bps - 200_000.0).abs() < 1.0);
    }
}
