//! The pre-event buffer's memory: one 1080p25 4 Mbit/s camera in `events` mode with motion
//! masked out (so no clip ever drains the buffer), read from its status after the run.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::{add_camera, camera, start_engine};
use crate::measure::{peak_rss, reset_peak_rss};
use crate::media::{self, GOP_S};
use crate::{BenchError, TestMedia};
use vigil_core::detect::{Polygon, ZoneKind, ZoneSpec};
use vigil_core::engine::Engine;
use vigil_core::library::Library;
use vigil_core::model::time::now_us;
use vigil_core::record::gate::REPORT_LATENCY_US;

/// The pre-event buffer of one camera after the run.
#[derive(Debug, Clone)]
pub struct MemoryFigures {
    pub media: TestMedia,
    pub pre_event_s: u32,
    /// Seconds of video the camera delivered before the reading.
    pub run_s: f64,
    /// `prebuffer_bytes` at the end of the run, and the largest seen.
    pub last_bytes: u64,
    pub max_bytes: u64,
    /// Growth of this process's peak resident memory over the run (the whole camera).
    pub peak_growth: Option<u64>,
}

impl MemoryFigures {
    /// What the buffer should hold, bytes: the file's bitrate × (pre-event + the reporting
    /// margin), plus up to one GOP so it can start on a keyframe.
    pub fn expected(&self) -> (f64, f64) {
        let bytes_per_s = self.media.bitrate_bps / 8.0;
        let keep_s = f64::from(self.pre_event_s) + REPORT_LATENCY_US as f64 / 1e6;
        (
            bytes_per_s * keep_s,
            bytes_per_s * (keep_s + f64::from(GOP_S)),
        )
    }
}

/// Runs a 1080p25 4 Mbit/s camera in `events` mode with motion masked out (so no clip ever
/// drains the buffer) for `pre_event_s` + 10 s of video, then reads its buffer's size.
pub fn memory(
    work_dir: &Path,
    runs: &Path,
    pre_event_s: u32,
    progress: &mut dyn FnMut(&str),
) -> Result<MemoryFigures, BenchError> {
    let run_s = u64::from(pre_event_s) + 10;
    // The remux benchmark's video, long enough that the camera never reaches its end.
    let media = media::ensure(work_dir, 60.max(run_s + 10))?;
    // `runs` is the run's own new directory.
    let dir: PathBuf = runs.join("memory");
    let mut lib = Library::open(&dir)?;
    let id = add_camera(&mut lib, "memory", &media, pre_event_s)?;
    let mask = ZoneSpec::new(0, "all", ZoneKind::Mask, Polygon::full_frame());
    lib.add_zone(id, &mask)?;
    progress(&format!(
        "pre-event buffer: 1080p25 camera, {pre_event_s} s pre-event, for {run_s} s"
    ));
    let before = reset_peak_rss();
    let engine = start_engine(&dir)?;
    let watched = watch_buffer(&engine, run_s);
    let peak = peak_rss();
    engine.shutdown();
    let (delivered_s, last_bytes, max_bytes) = watched?;
    Ok(MemoryFigures {
        media,
        pre_event_s,
        run_s: delivered_s,
        last_bytes,
        max_bytes,
        peak_growth: before.zip(peak).map(|(b, p)| p.saturating_sub(b)),
    })
}

/// Polls the camera until it has delivered `run_s` of video: (seconds, last, largest bytes).
fn watch_buffer(engine: &Engine, run_s: u64) -> Result<(f64, u64, u64), BenchError> {
    let deadline = Instant::now() + Duration::from_secs(run_s + 30);
    let mut max_bytes = 0;
    loop {
        let c = camera(engine, "memory")?;
        max_bytes = max_bytes.max(c.prebuffer_bytes);
        let delivered = c.connected_since_us.map_or(0, |s| now_us() - s);
        if delivered >= run_s as i64 * 1_000_000 {
            return Ok((delivered as f64 / 1e6, c.prebuffer_bytes, max_bytes));
        }
        if Instant::now() >= deadline {
            return Err(BenchError::Failed(format!(
                "the memory camera did not deliver {run_s} s of video in time"
            )));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expected_buffer_is_bitrate_times_window_plus_a_gop() {
        let media = TestMedia {
            path: PathBuf::new(),
            codec: "h264".into(),
            width: 1920,
            height: 1080,
            duration_s: 60.0,
            bitrate_bps: 4e6,
        };
        let m = MemoryFigures {
            media,
            pre_event_s: 30,
            run_s: 40.0,
            last_bytes: 0,
            max_bytes: 0,
            peak_growth: None,
        };
        let (lo, hi) = m.expected();
        assert!((lo - 500_000.0 * 33.0).abs() < 1.0);
        assert!((hi - 500_000.0 * 35.0).abs() < 1.0);
    }
}
