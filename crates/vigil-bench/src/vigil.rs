//! Vigil's side of the remux benchmark: N cameras pointing at the test file, recorded by the
//! real engine (file demux → ingest → recorder → fMP4 segments → library) in a fresh data
//! directory, measured with this process's own CPU time and peak memory.

use std::path::Path;
use std::time::{Duration, Instant};

use super::measure::{cpu_self, peak_rss, reset_peak_rss};
use super::{BenchError, Figures, Pace, SEGMENT_S};
use vigil_core::engine::status::CameraStatus;
use vigil_core::engine::{Engine, EngineOptions};
use vigil_core::library::{Library, SegmentQuery};
use vigil_core::model::{CameraName, NewCamera, Policy, RecordMode, Transport};

/// Longest a read-as-fast-as-possible run may take before the benchmark gives up.
const FAST_DEADLINE: Duration = Duration::from_secs(900);
const POLL: Duration = Duration::from_millis(20);

/// Records `n` cameras reading `media` at `pace` into a new data directory inside `parent`
/// (removed after).
pub fn run(media: &Path, n: usize, pace: Pace, parent: &Path) -> Result<Figures, BenchError> {
    let scratch = crate::scratch::dir(parent, "vigil-")?;
    let data_dir = scratch.path();
    add_cameras(media, n, data_dir)?;
    let mut opts = EngineOptions::new(data_dir.to_path_buf());
    opts.realtime_files = matches!(pace, Pace::Realtime(_));
    // Nothing the benchmark records may be swept away before it is counted.
    opts.min_free_bytes = Some(0);
    opts.sweep_every = Duration::from_secs(3600);

    let rss_before = reset_peak_rss();
    let cpu0 = cpu_self()?;
    let t0 = Instant::now();
    let engine = Engine::start(opts)?;
    let waited = match pace {
        Pace::AsFastAsPossible => wait_until_files_read(&engine),
        Pace::Realtime(d) => {
            sleep_until(t0 + d);
            Ok(())
        }
    };
    engine.shutdown();
    let wall = t0.elapsed();
    let cpu = cpu_self()? - cpu0;
    let peak = peak_rss();
    waited?;

    let stream_s = recorded_seconds(data_dir)?;
    drop(scratch);
    let peak_mem_per_stream = match (rss_before, peak) {
        (Some(before), Some(peak)) => Some(peak.saturating_sub(before) / n as u64),
        _ => None,
    };
    Ok(Figures {
        streams: n,
        cpu_s: cpu.as_secs_f64(),
        wall_s: wall.as_secs_f64(),
        stream_s,
        peak_mem_per_stream,
        process_peak_rss: peak,
    })
}

fn add_cameras(media: &Path, n: usize, data_dir: &Path) -> Result<(), BenchError> {
    let mut lib = Library::open(data_dir)?;
    let policy = Policy {
        mode: RecordMode::Continuous,
        segment_s: SEGMENT_S,
        retain_days: 365.0,
        max_bytes: None,
        ..Policy::default()
    };
    let url = media.to_string_lossy().into_owned();
    for i in 0..n {
        let cam = NewCamera {
            name: CameraName::parse(&format!("bench-{i:03}"))
                .map_err(vigil_core::library::LibraryError::from)?,
            url: url.clone(),
            detect_url: None,
            transport: Transport::Tcp,
            enabled: true,
            audio: false,
        };
        lib.add_camera(&cam, &policy)?;
    }
    Ok(())
}

/// A file that ends counts as a disconnect: once every camera has one, every file was read
/// to its end. A camera that could not open the file fails the benchmark.
fn wait_until_files_read(engine: &Engine) -> Result<(), BenchError> {
    let deadline = Instant::now() + FAST_DEADLINE;
    loop {
        let status = engine.status();
        if let Some(bad) = status.cameras.iter().find(|c| failed(c)) {
            return Err(BenchError::Failed(format!(
                "camera {} failed: {}",
                bad.name,
                bad.last_error.as_deref().unwrap_or("unknown error")
            )));
        }
        if status.cameras.iter().all(|c| c.reconnects >= 1) {
            return Ok(());
        }
        if Instant::now() >= deadline {
            return Err(BenchError::Failed(format!(
                "Vigil did not finish reading the files within {} s",
                FAST_DEADLINE.as_secs()
            )));
        }
        std::thread::sleep(POLL);
    }
}

/// The camera stopped before it ever delivered video (it could not open the file). Later
/// errors are not failures here: a recording lost after the file was read shows as video
/// missing from the library, which the report points out.
pub(super) fn failed(c: &CameraStatus) -> bool {
    c.reconnects >= 1 && c.codec.is_none()
}

fn sleep_until(end: Instant) {
    loop {
        let now = Instant::now();
        if now >= end {
            return;
        }
        std::thread::sleep((end - now).min(Duration::from_millis(200)));
    }
}

/// Seconds of video the library indexed, summed over every camera.
fn recorded_seconds(data_dir: &Path) -> Result<f64, BenchError> {
    let lib = Library::open(data_dir)?;
    let segments = lib.segments(&SegmentQuery::default())?;
    let us: i64 = segments.iter().map(|s| s.end_us - s.start_us).sum();
    Ok(us as f64 / 1e6)
}
