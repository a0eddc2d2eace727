//! Test support: synthetic grey scenes with fixed-seed sensor noise, and a frame runner.

use super::motion::{Detection, GrayFrame, MotionChange, MotionDetector};

/// Frame interval of the synthetic streams: 10 frames a second.
pub(crate) const FRAME_US: i64 = 100_000;

/// xorshift32: fixed-seed sensor noise.
struct Rng(u32);

impl Rng {
    fn next(&mut self) -> u32 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        self.0 = x;
        x
    }

    fn noise(&mut self, amplitude: i32) -> i32 {
        (self.next() % (2 * amplitude as u32 + 1)) as i32 - amplitude
    }
}

/// A static textured scene (defined in normalized coordinates, so it looks the same at any
/// size) plus per-frame noise.
pub(crate) struct Scene {
    pub(crate) w: usize,
    pub(crate) h: usize,
    base: Vec<u8>,
    rng: Rng,
    pub(crate) noise: i32,
}

impl Scene {
    pub(crate) fn new(w: usize, h: usize) -> Self {
        let base = (0..w * h)
            .map(|i| {
                let (u, v) = ((i % w) as f32 / w as f32, (i / w) as f32 / h as f32);
                let texture = 30.0 * (u * 25.0).sin() * (v * 17.0).cos();
                (60.0 + 60.0 * u + texture) as u8
            })
            .collect();
        Self {
            w,
            h,
            base,
            rng: Rng(0x9E37_79B9),
            noise: 3,
        }
    }

    /// One frame: `paint(x, y, base)` gives the scene value, then noise is added.
    pub(crate) fn frame(&mut self, paint: impl Fn(usize, usize, u8) -> u8) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.w * self.h);
        for (i, &b) in self.base.iter().enumerate() {
            let v = i32::from(paint(i % self.w, i / self.w, b)) + self.rng.noise(self.noise);
            out.push(v.clamp(0, 255) as u8);
        }
        out
    }
}

/// A `size`×`size` square of `value` with its top-left corner at (x0, y0).
pub(crate) fn square(
    x0: usize,
    y0: usize,
    size: usize,
    value: u8,
) -> impl Fn(usize, usize, u8) -> u8 {
    move |x, y, b| {
        if (x0..x0 + size).contains(&x) && (y0..y0 + size).contains(&y) {
            value
        } else {
            b
        }
    }
}

/// [`square`] on frames from `from` on, the bare scene before.
pub(crate) fn appears(
    i: i64,
    from: i64,
    x0: usize,
    y0: usize,
    size: usize,
) -> impl Fn(usize, usize, u8) -> u8 {
    let square = square(x0, y0, size, 240);
    move |x, y, b| if i >= from { square(x, y, b) } else { b }
}

pub(crate) fn still(_: usize, _: usize, b: u8) -> u8 {
    b
}

/// Runs frames `from..to` (timestamps `i * FRAME_US`); `paint(i)` picks each frame's painter.
pub(crate) fn feed<P: Fn(usize, usize, u8) -> u8>(
    det: &mut MotionDetector,
    scene: &mut Scene,
    frames: std::ops::Range<i64>,
    paint: impl Fn(i64) -> P,
) -> Vec<(i64, Detection)> {
    frames
        .map(|i| {
            let data = scene.frame(paint(i));
            let frame = GrayFrame {
                width: scene.w,
                height: scene.h,
                stride: scene.w,
                data: &data,
            };
            (i * FRAME_US, det.process(&frame, i * FRAME_US))
        })
        .collect()
}

/// Every change with the timestamp of the frame that reported it.
pub(crate) fn changes(out: &[(i64, Detection)]) -> Vec<(i64, MotionChange)> {
    out.iter()
        .flat_map(|(ts, d)| d.changes.iter().map(move |c| (*ts, c.clone())))
        .collect()
}
