//! Moments with motion in a region: frames with a moved fraction of the region, in time
//! order, merged into hits when closer than the merge gap, and dropped when shorter than
//! the minimum duration.

use serde::Serialize;

/// A moment with motion in the region. `start_us`/`end_us`: the first and last analysed
/// frames with motion there (UTC µs); the fractions are of the region's cells, over those
/// frames with motion. On a camera indexed from key frames only, each key frame also holds
/// the next one's cells (`analyze::index::IndexFeed::key_frames_only`), so a hit starts at
/// the key frame before the motion was seen in the region and lasts at least one GOP.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MotionHit {
    pub start_us: i64,
    pub end_us: i64,
    pub peak_fraction: f32,
    pub mean_fraction: f32,
}

impl MotionHit {
    pub fn duration_us(&self) -> i64 {
        self.end_us - self.start_us
    }
}

/// Builds hits from frames pushed in time order.
pub struct HitMerger {
    merge_gap_us: i64,
    min_duration_us: i64,
    open: Option<(MotionHit, f64, u32)>,
    done: Vec<MotionHit>,
}

impl HitMerger {
    pub fn new(merge_gap_us: i64, min_duration_us: i64) -> Self {
        Self {
            merge_gap_us: merge_gap_us.max(0),
            min_duration_us: min_duration_us.max(0),
            open: None,
            done: Vec::new(),
        }
    }

    /// A frame at `at_us` where `fraction` (> 0) of the region moved.
    pub fn push(&mut self, at_us: i64, fraction: f32) {
        if let Some((hit, sum, n)) = self.open.as_mut() {
            if at_us - hit.end_us <= self.merge_gap_us {
                hit.end_us = hit.end_us.max(at_us);
                hit.peak_fraction = hit.peak_fraction.max(fraction);
                *sum += f64::from(fraction);
                *n += 1;
                return;
            }
        }
        self.close();
        let hit = MotionHit {
            start_us: at_us,
            end_us: at_us,
            peak_fraction: fraction,
            mean_fraction: fraction,
        };
        self.open = Some((hit, f64::from(fraction), 1));
    }

    fn close(&mut self) {
        if let Some((mut hit, sum, n)) = self.open.take() {
            if hit.duration_us() >= self.min_duration_us {
                hit.mean_fraction = (sum / f64::from(n.max(1))) as f32;
                self.done.push(hit);
            }
        }
    }

    /// The hits, in time order.
    pub fn finish(mut self) -> Vec<MotionHit> {
        self.close();
        self.done
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: i64 = 1_000_000;

    #[test]
    fn close_frames_merge_and_far_ones_start_a_new_hit() {
        let mut m = HitMerger::new(2 * S, 0);
        for (t, f) in [(0, 0.5), (S, 1.0), (3 * S, 0.25), (6 * S, 0.5)] {
            m.push(t, f);
        }
        let hits = m.finish();
        assert_eq!(hits.len(), 2, "{hits:?}");
        assert_eq!((hits[0].start_us, hits[0].end_us), (0, 3 * S));
        assert_eq!(hits[0].peak_fraction, 1.0);
        assert!((hits[0].mean_fraction - 0.583).abs() < 0.01);
        assert_eq!((hits[1].start_us, hits[1].end_us), (6 * S, 6 * S));
    }

    #[test]
    fn short_hits_are_dropped_by_the_minimum_duration() {
        let mut m = HitMerger::new(S, S);
        for t in [0, 200_000, 10 * S, 10 * S + 600_000, 11 * S + 200_000] {
            m.push(t, 0.1);
        }
        let hits = m.finish();
        assert_eq!(hits.len(), 1, "{hits:?}");
        assert_eq!(
            (hits[0].start_us, hits[0].end_us),
            (10 * S, 11 * S + 200_000)
        );
    }
}
