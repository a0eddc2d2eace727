//! Inference time per picture in Vigil's runtimes, on a real frame: tract-tensorflow running
//! the built-in person detector (`PersonDetector::detect`: resize, network, decoding, NMS),
//! and tract-onnx running a YOLOv8n-layout ONNX model (network only; its input made here).
//! Each run is timed in wall time and in this thread's CPU time.

use std::path::Path;
use std::time::{Duration, Instant};

use tract_onnx::prelude::*;
use vigil_core::objects::builtin::PersonDetector;
use vigil_core::objects::{ObjectDetector, RgbFrame};

use super::clips::Picture;
use crate::measure::cpu_thread;
use crate::BenchError;

/// Side of the YOLO model's square input.
pub const YOLO_SIDE: usize = 320;

/// Per-run times of one way of running a model.
#[derive(Debug, Clone, Default)]
pub struct Times {
    pub wall: Vec<Duration>,
    pub cpu: Vec<Duration>,
}

impl Times {
    /// `q` quantile (0..1) of the wall times, milliseconds.
    pub fn wall_ms(&self, q: f64) -> f64 {
        quantile_ms(&self.wall, q)
    }

    pub fn cpu_ms(&self, q: f64) -> f64 {
        quantile_ms(&self.cpu, q)
    }

    /// Pictures one core can analyse per second (from the median CPU time).
    pub fn per_core_s(&self) -> f64 {
        1000.0 / self.cpu_ms(0.5)
    }

    fn time<T>(&mut self, f: impl FnOnce() -> T) -> Result<T, BenchError> {
        let (c0, t0) = (cpu_thread()?, Instant::now());
        let out = f();
        self.wall.push(t0.elapsed());
        self.cpu.push(cpu_thread()? - c0);
        Ok(out)
    }
}

pub fn quantile_ms(v: &[Duration], q: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    let mut s: Vec<f64> = v.iter().map(|d| d.as_secs_f64() * 1000.0).collect();
    s.sort_by(f64::total_cmp);
    let i = ((s.len() - 1) as f64 * q.clamp(0.0, 1.0)).round() as usize;
    s[i]
}

/// `runs` timed calls of the built-in detector on `picture` after one warm-up, plus the same
/// number of its picture preparation alone (the resize to 300×300).
pub fn builtin(
    det: &PersonDetector,
    picture: &Picture,
    runs: usize,
) -> Result<(Times, Times), BenchError> {
    let frame = RgbFrame::new(picture.width, picture.height, &picture.data)
        .map_err(|e| BenchError::Failed(e.to_string()))?;
    det.detect(&frame, 0.5)
        .map_err(|e| BenchError::Failed(e.to_string()))?;
    let (mut all, mut resize) = (Times::default(), Times::default());
    for _ in 0..runs {
        all.time(|| det.detect(&frame, 0.5))?
            .map_err(|e| BenchError::Failed(e.to_string()))?;
        resize.time(|| std::hint::black_box(frame.resized_hwc(300, 300, 2.0 / 255.0, -1.0)))?;
    }
    Ok((all, resize))
}

/// The SSD's input for `picture` (NHWC 1×300×300×3 in [-1, 1]), as `PersonDetector` makes it.
pub fn ssd_input(picture: &Picture) -> Result<Vec<f32>, BenchError> {
    let frame = RgbFrame::new(picture.width, picture.height, &picture.data)
        .map_err(|e| BenchError::Failed(e.to_string()))?;
    Ok(frame.resized_hwc(300, 300, 2.0 / 255.0, -1.0))
}

/// The YOLO model's input for `picture`: padded right and bottom to a square (grey 114, as
/// Ultralytics letterboxes), resized to 320×320, NCHW in [0, 1].
pub fn yolo_input(picture: &Picture) -> Result<Vec<f32>, BenchError> {
    let side = picture.width.max(picture.height);
    let mut square = vec![114u8; side as usize * side as usize * 3];
    let row = picture.width as usize * 3;
    for y in 0..picture.height as usize {
        let dst = y * side as usize * 3;
        square[dst..dst + row].copy_from_slice(&picture.data[y * row..(y + 1) * row]);
    }
    let frame =
        RgbFrame::new(side, side, &square).map_err(|e| BenchError::Failed(e.to_string()))?;
    let s = YOLO_SIDE as u32;
    let hwc = frame.resized_hwc(s, s, 1.0 / 255.0, 0.0);
    let plane = YOLO_SIDE * YOLO_SIDE;
    let mut chw = vec![0.0f32; hwc.len()];
    for (i, px) in hwc.chunks_exact(3).enumerate() {
        for c in 0..3 {
            chw[c * plane + i] = px[c];
        }
    }
    Ok(chw)
}

/// A YOLOv8n-layout ONNX model loaded with tract-onnx for a 1×3×320×320 input.
pub struct Yolo {
    plan: std::sync::Arc<TypedSimplePlan>,
}

impl Yolo {
    pub fn load(path: &Path) -> Result<Self, BenchError> {
        let fail = |e: TractError| {
            BenchError::Failed(format!("tract-onnx cannot load {}: {e:#}", path.display()))
        };
        let side = YOLO_SIDE;
        let plan = tract_onnx::onnx()
            // Ultralytics exports carry symbolic inner shapes tract cannot unify with 1.
            .with_ignore_value_info(true)
            .model_for_path(path)
            .map_err(fail)?
            .with_input_fact(0, f32::fact([1, 3, side, side]).into())
            .map_err(fail)?
            .into_optimized()
            .map_err(fail)?
            .into_runnable()
            .map_err(fail)?;
        Ok(Self { plan })
    }

    /// Runs the network once; returns its first output, flattened.
    pub fn run(&self, input: &[f32]) -> Result<Vec<f32>, BenchError> {
        let fail = |e: TractError| BenchError::Failed(format!("tract-onnx failed: {e:#}"));
        let t = Tensor::from_shape(&[1, 3, YOLO_SIDE, YOLO_SIDE], input).map_err(fail)?;
        let out = self.plan.run(tvec![t.into()]).map_err(fail)?;
        let first = out
            .first()
            .ok_or_else(|| BenchError::Failed("the YOLO model gave no output".into()))?;
        let view = first.to_plain_array_view::<f32>().map_err(fail)?;
        Ok(view.iter().copied().collect())
    }

    /// `runs` timed runs after one warm-up; also returns the output.
    pub fn time(&self, input: &[f32], runs: usize) -> Result<(Times, Vec<f32>), BenchError> {
        let out = self.run(input)?;
        let mut t = Times::default();
        for _ in 0..runs {
            t.time(|| self.run(input))??;
        }
        Ok((t, out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_pick_the_nearest_rank() {
        let v: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(quantile_ms(&v, 0.5), 51.0);
        assert_eq!(quantile_ms(&v, 0.95), 95.0);
        assert!(quantile_ms(&[], 0.5).is_nan());
    }

    #[test]
    fn the_yolo_input_is_padded_to_a_square_and_planar() {
        // 4×2 white picture → padded to 4×4 (bottom half grey 114) → 320×320 planes.
        let p = Picture {
            width: 4,
            height: 2,
            data: vec![255; 4 * 2 * 3],
        };
        let x = yolo_input(&p).unwrap();
        let plane = YOLO_SIDE * YOLO_SIDE;
        assert_eq!(x.len(), 3 * plane);
        assert!((x[0] - 1.0).abs() < 1e-5, "top-left is white");
        assert!(
            (x[plane - 1] - 114.0 / 255.0).abs() < 1e-5,
            "bottom-right is padding"
        );
        assert!(
            (x[2 * plane] - 1.0).abs() < 1e-5,
            "blue plane starts white too"
        );
    }
}
