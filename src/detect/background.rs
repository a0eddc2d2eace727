//! The background model: a per-pixel running average of blurred frames in 8.8 fixed point.

/// Default fraction of the way the background moves toward each analyzed frame.
pub const DEFAULT_LEARN_RATE: f32 = 0.05;

/// Running average of the scene. Pixels that currently differ from it learn at a quarter of
/// the normal rate: a person walking slowly is not absorbed in the frames it takes to start an
/// event, yet a car that parks still becomes background after a while instead of being motion
/// forever.
#[derive(Debug, Clone)]
pub(crate) struct Background {
    size: Option<(usize, usize)>,
    /// Grey level × 256.
    model: Vec<u16>,
    /// Learn rates × 256, for still and for changed pixels.
    fast: u16,
    slow: u16,
}

impl Background {
    pub(crate) fn new(learn_rate: f32) -> Self {
        let rate = if learn_rate.is_finite() {
            learn_rate.clamp(0.0, 1.0)
        } else {
            DEFAULT_LEARN_RATE
        };
        let fast = (rate * 256.0).round() as u16;
        Self {
            size: None,
            model: Vec::new(),
            fast,
            slow: fast.div_ceil(4),
        }
    }

    /// The frame size the model was built for, `None` before the first frame.
    pub(crate) fn size(&self) -> Option<(usize, usize)> {
        self.size
    }

    /// Forgets the past: the background becomes this blurred frame.
    pub(crate) fn reset(&mut self, blurred: &[u8], width: usize, height: usize) {
        self.size = Some((width, height));
        self.model.clear();
        self.model
            .extend(blurred.iter().map(|&v| u16::from(v) << 8));
    }

    /// `diff[i] = |blurred[i] - background[i]|`, forced to 0 where `keep[i]` is 0 (masks).
    pub(crate) fn difference(&self, blurred: &[u8], keep: &[u8], diff: &mut Vec<u8>) {
        let n = self.model.len();
        diff.resize(n, 0);
        let (blurred, keep, model) = (&blurred[..n], &keep[..n], &self.model[..n]);
        for (i, d) in diff.iter_mut().enumerate() {
            // At most 255 * 256 + 128: fits u16.
            let bg = ((model[i] + 128) >> 8) as u8;
            *d = blurred[i].abs_diff(bg) & keep[i];
        }
    }

    /// Moves every pixel toward the blurred frame, slowly where `diff` is above `changed`.
    pub(crate) fn learn(&mut self, blurred: &[u8], diff: &[u8], changed: u8) {
        if self.fast == 0 {
            return;
        }
        let n = self.model.len();
        let (blurred, diff) = (&blurred[..n], &diff[..n]);
        // m + (t·256 - m)·r/256 rewritten as m·(256-r)/256 + t·r: the first term is the high
        // half of a 16×16-bit product, the second fits 16 bits, so it vectorizes on plain
        // SSE2. Both rates are 1..=256 here, and the sum is at most 255·256.
        let (fast, slow) = (self.fast, self.slow);
        let (keep_fast, keep_slow) = ((256 - fast) << 8, (256 - slow) << 8);
        for (i, m) in self.model.iter_mut().enumerate() {
            let (keep, rate) = if diff[i] > changed {
                (keep_slow, slow)
            } else {
                (keep_fast, fast)
            };
            let kept = ((u32::from(*m) * u32::from(keep)) >> 16) as u16;
            *m = kept + u16::from(blurred[i]) * rate;
        }
    }

    #[cfg(test)]
    pub(crate) fn level(&self, i: usize) -> f32 {
        f32::from(self.model[i]) / 256.0
    }
}

/// How many values are strictly above `threshold`.
pub(crate) fn count_above(values: &[u8], threshold: u8) -> usize {
    // Byte-wide counters over chunks of 255 let the compiler use 16 lanes at a time.
    values
        .chunks(255)
        .map(|chunk| {
            let n = chunk
                .iter()
                .fold(0u8, |n, &v| n.wrapping_add(u8::from(v > threshold)));
            usize::from(n)
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_toward_the_frame_slower_where_changed() {
        let mut bg = Background::new(0.05);
        bg.reset(&[100, 100], 2, 1);
        assert_eq!(bg.size(), Some((2, 1)));
        let frame = [200u8, 200];
        let keep = [0xFF, 0];
        let mut diff = Vec::new();
        bg.difference(&frame, &keep, &mut diff);
        assert_eq!(diff, vec![100, 0]);
        // Pixel 0 counts as changed (slow), pixel 1 is masked so it reads 0 (fast).
        bg.learn(&frame, &diff, 25);
        assert!((bg.level(0) - 101.56).abs() < 0.05, "{}", bg.level(0));
        assert!((bg.level(1) - 105.08).abs() < 0.05, "{}", bg.level(1));
        for _ in 0..2000 {
            bg.difference(&frame, &keep, &mut diff);
            bg.learn(&frame, &diff, 25);
        }
        // Converges without overshooting.
        assert!(
            bg.level(0) > 199.0 && bg.level(0) <= 200.0,
            "{}",
            bg.level(0)
        );
        assert!(
            bg.level(1) > 199.0 && bg.level(1) <= 200.0,
            "{}",
            bg.level(1)
        );
    }

    #[test]
    fn learns_downward_without_underflow() {
        let mut bg = Background::new(1.0);
        bg.reset(&[255, 3], 2, 1);
        let frame = [0u8, 0];
        let diff = [0u8, 0];
        bg.learn(&frame, &diff, 25);
        assert_eq!((bg.level(0), bg.level(1)), (0.0, 0.0));
        assert_eq!(count_above(&[0, 25, 26, 255], 25), 2);
        let nan = Background::new(f32::NAN);
        assert_eq!((nan.fast, nan.slow), (13, 4));
    }
}
