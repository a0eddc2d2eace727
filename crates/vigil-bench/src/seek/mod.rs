//! `vigil bench seek`: how long a seek takes, from the request to the decoded RGBA picture,
//! on 1080p25 H.264 with a keyframe every 2 s, recorded as fMP4 segments in a library —
//! cold (locate, open the file, seek), warm (the file already open), and through a
//! `Player` (command in, picture published), all at two sizes and taken in turn for each
//! target — against one accurate-seek `ffmpeg -ss` process per picture, in the same run.
//! Each baseline picture is compared with Vigil's.

mod baseline;
mod report;
pub(crate) mod segments;
mod ways;

use std::path::{Path, PathBuf};

use super::media::{self, TestMedia};
use super::BenchError;
use vigil_core::library::Library;
use vigil_core::playback::FrameReader;
use ways::{covering, failed, ms, TimedPlayer};

pub use report::{Latencies, SeekReport};

/// The picture sizes measured: the whole picture, and a tile.
pub const SIZES: [(u32, u32); 2] = [(1920, 1080), (960, 540)];
/// The target: 95 % of seeks under this, ms.
pub const TARGET_P95_MS: f64 = 150.0;
/// Wall time of the test video's first picture in the library (2026-01-01T00:00:00Z).
const START_US: i64 = 1_767_225_600_000_000;

#[derive(Debug, Clone)]
pub struct SeekOptions {
    /// Holds the cached test video and, while running, the library (removed after).
    pub work_dir: PathBuf,
    /// Random seeks per Vigil row.
    pub seeks: usize,
    /// Seeks timed for the ffmpeg baseline, per size.
    pub baseline_seeks: usize,
    /// Segment length of the library, seconds.
    pub segment_s: u32,
}

/// Picks times deterministically (a linear congruential generator), so runs compare.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: i64) -> i64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n.max(1) as u64) as i64
    }
}

/// Runs the seek benchmark. `progress` receives a line before each step.
pub fn seek(opts: &SeekOptions, progress: &mut dyn FnMut(&str)) -> Result<SeekReport, BenchError> {
    if opts.seeks == 0 {
        return Err(BenchError::Failed("--seeks must be at least 1".into()));
    }
    progress("test video: 60 s of 1080p25 H.264, keyframe every 2 s (made once, then cached)");
    let media = media::ensure(&opts.work_dir, 60)?;
    let scratch = crate::scratch::dir(&opts.work_dir, "seek-")?;
    measure(opts, &media, scratch.path(), progress)
}

fn measure(
    opts: &SeekOptions,
    media: &TestMedia,
    dir: &Path,
    progress: &mut dyn FnMut(&str),
) -> Result<SeekReport, BenchError> {
    progress(&format!(
        "cutting it into {} s fMP4 segments in a library",
        opts.segment_s
    ));
    let (camera, segs) = segments::build(&media.path, dir, opts.segment_s, START_US)?;
    let lib = Library::open(dir)?;
    let (first, last) = match (segs.first(), segs.last()) {
        (Some(f), Some(l)) => (f.start_us, l.end_us),
        _ => return Err(BenchError::Failed("the library holds no segment".into())),
    };
    let mut rng = Lcg(0x5eed);
    let targets: Vec<i64> = (0..opts.seeks)
        .map(|_| first + rng.below(last - first))
        .collect();
    progress(&format!(
        "{} random seeks, each done cold, warm and through a player, at {}x{} and {}x{}",
        targets.len(),
        SIZES[0].0,
        SIZES[0].1,
        SIZES[1].0,
        SIZES[1].1
    ));
    let rows = vigil_rows(&lib, dir, camera, &targets)?;
    let mut report = SeekReport::new(media.clone(), segs.len(), opts.segment_s, rows);
    for size in SIZES {
        progress(&format!("ffmpeg -ss … -frames:v 1, {}x{}", size.0, size.1));
        let n = opts.baseline_seeks.min(targets.len());
        baseline_rows(&lib, camera, &targets[..n], size, &mut report)?;
    }
    Ok(report)
}

/// Every way of seeking for each target in turn, so a busy moment on the machine (other
/// work running) falls on all of them alike.
fn vigil_rows(
    lib: &Library,
    dir: &Path,
    camera: i64,
    targets: &[i64],
) -> Result<Vec<Latencies>, BenchError> {
    let start = targets.first().copied().unwrap_or_default();
    let players = SIZES
        .iter()
        .map(|&size| TimedPlayer::open(dir, camera, start, size))
        .collect::<Result<Vec<_>, _>>()?;
    let mut readers: Vec<Option<FrameReader>> = SIZES.iter().map(|_| None).collect();
    let mut times = vec![Vec::with_capacity(targets.len()); 3 * SIZES.len()];
    for &t in targets {
        for (k, &size) in SIZES.iter().enumerate() {
            times[k].push(ways::cold(lib, camera, t, size)?);
            times[SIZES.len() + k].push(ways::warm(&mut readers[k], lib, camera, t, size)?);
            times[2 * SIZES.len() + k].push(players[k].seek(t)?);
        }
    }
    for p in players {
        p.stop();
    }
    let labels = [
        "cold: locate, open the file, seek",
        "warm: seek in the open file",
    ]
    .into_iter()
    .chain(["Player: Seek command -> picture published"]);
    let rows = labels
        .flat_map(|l| SIZES.iter().map(move |s| format!("{l}, {}x{}", s.0, s.1)))
        .zip(times)
        .map(|(label, ms)| Latencies::new(label, ms))
        .collect();
    Ok(rows)
}

/// Times `ffmpeg -ss` on the segment files and compares each picture with Vigil's.
fn baseline_rows(
    lib: &Library,
    camera: i64,
    targets: &[i64],
    size: (u32, u32),
    report: &mut SeekReport,
) -> Result<(), BenchError> {
    let (mut times, mut diffs) = (Vec::new(), Vec::new());
    for &t in targets {
        let seg = covering(lib, camera, t)?;
        let ours = FrameReader::open(&seg)
            .and_then(|mut r| r.seek(t, size.0, size.1))
            .map_err(failed)?;
        // Just before our picture's time: ffmpeg keeps the first picture at or after it.
        let secs = ((ours.wall_us - seg.start_us - 1).max(0)) as f64 / 1e6;
        let (took, theirs) = baseline::ffmpeg_seek(Path::new(&seg.path), secs, size)?;
        times.push(ms(took));
        diffs.push(baseline::mean_abs_diff(&ours.image, &theirs));
    }
    let label = format!("ffmpeg -ss T -i SEGMENT -frames:v 1, {}x{}", size.0, size.1);
    report.add_baseline(Latencies::new(label, times), diffs);
    Ok(())
}
