//! A clip run the way the analyzer runs a camera with object detection: every packet decoded
//! at analysis size, motion detection a few times a second, and the object detector only
//! while motion is active, at most `max_rate` times a second of video. Returns what was
//! found when, and the CPU it took on this thread. Reusable by end-to-end checks: give it a
//! clip and a detector, read the motion-gated timeline.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use vigil_core::analyze::{analyze_packet, ANALYSIS_WIDTH};
use vigil_core::detect::{DetectorConfig, MotionDetector};
use vigil_core::engine::EngineOptions;
use vigil_core::media::decode::GrayDecoder;
use vigil_core::media::input::{MediaInput, OpenSpec};
use vigil_core::media::MediaError;
use vigil_core::objects::{Found, ObjectDetector, RgbFrame};
use vigil_core::packet::Packet;

use crate::measure::cpu_thread;
use crate::BenchError;

/// How often the detector may run per camera while motion lasts, per second of video.
pub const MAX_DETECTIONS_PER_S: f64 = 2.0;

/// What the gate runs with.
#[derive(Debug, Clone, Copy)]
pub struct Gate {
    /// Frames analyzed for motion per second of video (the engine's default: 5).
    pub analysis_fps: f64,
    /// Detector runs per second of video at most, while motion is active.
    pub max_rate: f64,
    /// Detections below this score are not kept.
    pub min_score: f32,
}

impl Default for Gate {
    fn default() -> Self {
        Self {
            analysis_fps: EngineOptions::new(PathBuf::new()).analysis_fps,
            max_rate: MAX_DETECTIONS_PER_S,
            min_score: vigil_core::model::objects::DEFAULT_MIN_SCORE,
        }
    }
}

/// One detector run: when (video time from the clip's start) and what it found.
#[derive(Debug, Clone)]
pub struct Run {
    pub at_us: i64,
    pub found: Vec<Found>,
}

/// A clip's motion-gated detection timeline and its cost.
#[derive(Debug, Clone, Default)]
pub struct Timeline {
    /// Video time covered, seconds.
    pub duration_s: f64,
    /// Frames analyzed for motion, and of those, frames with motion active.
    pub analyzed: u64,
    pub with_motion: u64,
    /// Video time of the first analysed frame with motion active.
    pub first_motion_us: Option<i64>,
    pub runs: Vec<Run>,
    /// This thread's CPU for the whole pass (decode, motion, pictures, detection).
    pub cpu: Duration,
    /// Of `cpu`: the detector's runs.
    pub cpu_detect: Duration,
    /// Of `cpu`: turning the decoded frame into the detector's RGB picture. Today through the
    /// decoder's JPEG thumbnail (a round trip the analyzer will not make once the decoder
    /// gives RGB directly), so this part is an upper bound.
    pub cpu_picture: Duration,
}

impl Timeline {
    /// Share of one core a live camera showing this clip costs, percent.
    pub fn core_percent(&self) -> f64 {
        self.cpu.as_secs_f64() * 100.0 / self.duration_s
    }

    /// Runs that found at least one object.
    pub fn runs_with_objects(&self) -> usize {
        self.runs.iter().filter(|r| !r.found.is_empty()).count()
    }

    /// Seconds from the first motion to the run that confirms an object, i.e. the first run
    /// where `k` of the last `n` runs found one (the analyzer's rule is 2 of 3).
    pub fn confirmed_after_s(&self, k: usize, n: usize) -> Option<f64> {
        let first = self.first_motion_us?;
        (0..self.runs.len()).find_map(|i| {
            let recent = &self.runs[i.saturating_sub(n - 1)..=i];
            let hits = recent.iter().filter(|r| !r.found.is_empty()).count();
            (hits >= k).then(|| (self.runs[i].at_us - first) as f64 / 1e6)
        })
    }
}

/// Runs `clip` (H.264 or H.265, as a camera sends: see `clips::h264`) through decode →
/// motion → gated detection on this thread.
pub fn run_clip(
    clip: &Path,
    detector: &dyn ObjectDetector,
    gate: Gate,
) -> Result<Timeline, BenchError> {
    let cpu0 = cpu_thread()?;
    let url = clip.to_string_lossy().into_owned();
    let spec = OpenSpec {
        display: url.clone(),
        url,
        format: None,
        options: Vec::new(),
        connect_timeout: Duration::from_secs(10),
        read_timeout: Duration::from_secs(10),
        realtime: false,
    };
    let mut input = MediaInput::open(spec, Arc::new(AtomicBool::new(false)))?;
    let info = input.info();
    let mut camera = Camera {
        decoder: GrayDecoder::new(&info, ANALYSIS_WIDTH)?,
        motion: MotionDetector::new(Vec::new(), DetectorConfig::default()),
        due: i64::MIN,
        next_detect: i64::MIN,
        gate,
    };
    let (mut first, mut last, mut t) = (None, 0i64, Timeline::default());
    loop {
        let raw = match input.read() {
            Ok(raw) => raw,
            Err(MediaError::Ended(_)) => break,
            Err(e) => return Err(e.into()),
        };
        let wall_us = info.ticks_to_us(raw.pts);
        let start = *first.get_or_insert(wall_us);
        last = last.max(wall_us - start);
        let pkt = Packet {
            wall_us,
            data: raw.data,
            pts: raw.pts,
            dts: raw.dts,
            duration: raw.duration,
            keyframe: raw.keyframe,
        };
        camera.feed(&pkt, start, detector, &mut t)?;
    }
    // The last frame lasts one frame interval: a 10 fps clip of 795 frames covers 79.5 s.
    let frame_us = info
        .fps
        .filter(|f| *f > 0.0)
        .map_or(0, |f| (1e6 / f) as i64);
    t.duration_s = (last + frame_us) as f64 / 1e6;
    t.cpu = cpu_thread()? - cpu0;
    Ok(t)
}

/// One camera's analysis state: its decoder, motion detector and the two clocks (next frame
/// due for motion, next detector run allowed).
struct Camera {
    decoder: GrayDecoder,
    motion: MotionDetector,
    due: i64,
    next_detect: i64,
    gate: Gate,
}

impl Camera {
    /// What the analyzer does with one packet; `start` is the clip's first timestamp.
    fn feed(
        &mut self,
        pkt: &Packet,
        start: i64,
        detector: &dyn ObjectDetector,
        t: &mut Timeline,
    ) -> Result<(), BenchError> {
        let (fps, wall_us) = (self.gate.analysis_fps, pkt.wall_us);
        let analysed =
            analyze_packet(&mut self.decoder, &mut self.motion, &mut self.due, fps, pkt)?;
        let Some(d) = analysed else {
            return Ok(());
        };
        t.analyzed += 1;
        if !d.zones.iter().any(|z| z.active) {
            return Ok(());
        }
        t.with_motion += 1;
        t.first_motion_us.get_or_insert(wall_us - start);
        if wall_us < self.next_detect {
            return Ok(());
        }
        self.next_detect = wall_us + (1e6 / self.gate.max_rate.max(0.01)) as i64;
        let c0 = cpu_thread()?;
        let picture = rgb_picture(&mut self.decoder)?;
        let c1 = cpu_thread()?;
        let frame = RgbFrame::new(picture.width(), picture.height(), picture.as_raw())
            .map_err(|e| BenchError::Failed(e.to_string()))?;
        let found = detector
            .detect(&frame, self.gate.min_score)
            .map_err(|e| BenchError::Failed(e.to_string()))?;
        t.cpu_picture += c1 - c0;
        t.cpu_detect += cpu_thread()? - c1;
        t.runs.push(Run {
            at_us: wall_us - start,
            found,
        });
        Ok(())
    }
}

/// The latest decoded frame as RGB at analysis width.
fn rgb_picture(decoder: &mut GrayDecoder) -> Result<image::RgbImage, BenchError> {
    let jpeg = decoder
        .thumbnail_jpeg(ANALYSIS_WIDTH)
        .ok_or_else(|| BenchError::Failed("no decoded picture to detect on".into()))?;
    image::load_from_memory(&jpeg)
        .map(|i| i.to_rgb8())
        .map_err(|e| BenchError::Failed(format!("cannot read the analysis picture: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use vigil_core::objects::ObjectBox;

    fn run(at_s: f64, person: bool) -> Run {
        let found = person
            .then(|| Found {
                label: "person".into(),
                score: 0.9,
                bbox: ObjectBox::default(),
            })
            .into_iter()
            .collect();
        Run {
            at_us: (at_s * 1e6) as i64,
            found,
        }
    }

    #[test]
    fn confirmation_needs_two_of_the_last_three_runs() {
        let mut t = Timeline {
            first_motion_us: Some(1_000_000),
            runs: vec![
                run(1.0, true),
                run(1.5, false),
                run(2.0, false),
                run(2.5, true),
            ],
            ..Timeline::default()
        };
        assert_eq!(
            t.confirmed_after_s(2, 3),
            None,
            "never 2 hits within 3 runs"
        );
        t.runs.push(run(3.0, true));
        assert_eq!(t.confirmed_after_s(2, 3), Some(2.0));
        t.first_motion_us = None;
        assert_eq!(t.confirmed_after_s(2, 3), None);
    }
}
