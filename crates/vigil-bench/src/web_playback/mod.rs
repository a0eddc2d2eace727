//! `vigil bench web-playback`: how fast the web viewer starts playing a recording, on a
//! generated library of about 700 k segments (the timeline benchmark's: 16 cameras × 30 days
//! of 60 s) whose sampled rows point at a real 1080p25 H.264 recording (2 s GOP) cut by the
//! recorder's own segment writer. Timed for random instants, side by side in one run: the
//! play endpoint of an in-process web viewer (request → answer headers → first whole
//! fragment), an `ffmpeg -ss … -c copy` remux of the same instant to a fragmented MP4 on a
//! pipe (what remuxing through FFmpeg would cost before the first byte), and, when Chromium
//! is installed, the camera page (`#/camera/NAME?at=US` → the frame at that instant shown).

mod fetch;
mod page;
mod report;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crate::{media, seek, timeline, BenchError};
use vigil_core::library::{Library, SegmentQuery};
use vigil_core::model::{Segment, SegmentKind};
use vigil_core::service::{ConfigStore, EngineStatus, EventBus, LiveHub, StatusSource};
use vigil_core::web::options::WebOptions;
use vigil_core::web::server::WebServer;
use vigil_core::web::{AccountError, Accounts, Actor, Role, WebEngine};

pub use report::WebPlaybackReport;

/// The camera page's target: 95 % of starts under this, ms.
pub const TARGET_P95_MS: f64 = 500.0;
const USER: &str = "bench-web";
const PASSWORD: &str = "bench web playback";
/// Wall time given to the cut recording's own library (not used for playback).
const CUT_START_US: i64 = 1_767_225_600_000_000;

#[derive(Debug, Clone)]
pub struct WebPlaybackOptions {
    /// Holds the cached test video and the cached generated library.
    pub work_dir: PathBuf,
    pub spec: timeline::Spec,
    /// Random instants timed through the play endpoint and the ffmpeg baseline.
    pub starts: usize,
    /// Of those, how many are opened in Chromium (0: none).
    pub browser_starts: usize,
}

/// One sampled instant.
struct Target {
    camera: String,
    at_us: i64,
    /// Seconds into the recording file.
    offset_s: f64,
}

/// Hard links made into the generated library; removed on drop.
struct Links(Vec<PathBuf>);

impl Drop for Links {
    fn drop(&mut self) {
        for p in &self.0 {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// Runs the benchmark; `progress` receives a line before each step.
pub fn web_playback(
    opts: &WebPlaybackOptions,
    progress: &mut dyn FnMut(&str),
) -> Result<WebPlaybackReport, BenchError> {
    progress("test video: 60 s of 1080p25 H.264, keyframe every 2 s (made once, then cached)");
    let video = media::ensure(&opts.work_dir, 60)?;
    let cut = tempfile::tempdir_in(&opts.work_dir)
        .map_err(|e| BenchError::io("cannot make a temporary folder", e))?;
    progress("cutting it into a 60 s fMP4 segment with the recorder's writer");
    let (_, segs) = seek::segments::build(&video.path, cut.path(), 60, CUT_START_US)?;
    let file = segs
        .first()
        .map(|s| PathBuf::from(&s.path))
        .ok_or_else(|| BenchError::Failed("the cut recording holds no segment".into()))?;
    let library = timeline::ensure(&opts.work_dir, opts.spec, progress)?;
    let lib = Library::open(&library.dir)?;
    let mut links = Links(Vec::new());
    let targets = pick(&lib, &library, opts.starts, &file, &mut links)?;
    drop(lib);
    let token = session(&library.dir)?;
    let server = WebServer::start(
        &WebOptions::new("127.0.0.1:0", None, true)
            .map_err(|e| BenchError::Failed(e.to_string()))?,
        engine(&library.dir)?,
    )
    .map_err(|e| BenchError::Failed(format!("the web viewer did not start: {e}")))?;
    progress(&format!(
        "timing {} starts through the play endpoint",
        targets.len()
    ));
    let (mut headers, mut fragments, mut ffmpeg) = (Vec::new(), Vec::new(), Vec::new());
    for t in &targets {
        let path = format!("/api/cameras/{}/play?at={}", t.camera, t.at_us);
        let timed = fetch::play(server.addr(), &path, &token)?;
        headers.push(timed.headers_ms);
        fragments.push(timed.fragment_ms);
    }
    progress("timing the same starts with ffmpeg -ss -c copy to a pipe");
    for t in &targets {
        ffmpeg.push(fetch::ffmpeg_copy(&file, t.offset_s)?);
    }
    let browser = if opts.browser_starts == 0 {
        Ok(Vec::new())
    } else {
        progress(&format!(
            "opening {} instants in headless Chromium",
            opts.browser_starts
        ));
        let url = format!("http://{}", server.addr());
        let shown: Vec<(String, i64)> = targets
            .iter()
            .take(opts.browser_starts)
            .map(|t| (t.camera.clone(), t.at_us))
            .collect();
        page::first_frames(&url, USER, PASSWORD, &shown)
    };
    server.stop();
    Ok(WebPlaybackReport::new(
        library,
        targets.len(),
        [headers, fragments, ffmpeg],
        browser,
    ))
}

/// The rows covering random instants (a continuous segment and the one after it), with the
/// real recording linked at their paths.
fn pick(
    lib: &Library,
    library: &timeline::Generated,
    n: usize,
    file: &Path,
    links: &mut Links,
) -> Result<Vec<Target>, BenchError> {
    let cameras = lib.cameras()?;
    let mut rng = 0x9e37_79b9_u64;
    let mut next = |below: i64| {
        rng = rng
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((rng >> 33) % below.max(1) as u64) as i64
    };
    let mut out = Vec::with_capacity(n);
    for _ in 0..n * 50 {
        if out.len() == n {
            break;
        }
        let cam = &cameras[next(cameras.len() as i64) as usize];
        let at = library.from_us + next(library.to_us - library.from_us - 120_000_000);
        let Some(row) = covering(lib, cam.id, at)? else {
            continue;
        };
        link(file, &row, links)?;
        if let Some(after) = covering(lib, cam.id, row.end_us)? {
            link(file, &after, links)?;
        }
        out.push(Target {
            camera: cam.name.to_string(),
            at_us: at,
            offset_s: (at - row.start_us) as f64 / 1e6,
        });
    }
    if out.len() < n {
        return Err(BenchError::Failed(
            "too few recorded instants in the library".into(),
        ));
    }
    Ok(out)
}

fn covering(lib: &Library, camera_id: i64, at: i64) -> Result<Option<Segment>, BenchError> {
    let rows = lib.segments(&SegmentQuery {
        camera_id: Some(camera_id),
        from_us: Some(at),
        to_us: Some(at + 1),
        kind: Some(SegmentKind::Continuous),
    })?;
    Ok(rows.into_iter().find(|s| s.start_us <= at && at < s.end_us))
}

fn link(file: &Path, row: &Segment, links: &mut Links) -> Result<(), BenchError> {
    let to = PathBuf::from(&row.path);
    if links.0.contains(&to) {
        return Ok(());
    }
    if let Some(dir) = to.parent() {
        std::fs::create_dir_all(dir).map_err(|e| BenchError::io("cannot make a folder", e))?;
    }
    let _ = std::fs::remove_file(&to);
    std::fs::hard_link(file, &to)
        .or_else(|_| std::fs::copy(file, &to).map(|_| ()))
        .map_err(|e| BenchError::io(format!("cannot link {}", to.display()), e))?;
    links.0.push(to);
    Ok(())
}

/// A viewer account and a session token for it.
fn session(dir: &Path) -> Result<String, BenchError> {
    let failed = |e: AccountError| BenchError::Failed(e.to_string());
    let mut accounts = Accounts::new(Library::open(dir)?);
    let user = match accounts.add_user(USER, Role::Viewer, PASSWORD, Actor::COMMAND_LINE) {
        Ok(u) => u,
        Err(AccountError::DuplicateUser(_)) => accounts.user(USER).map_err(failed)?,
        Err(e) => return Err(failed(e)),
    };
    let s = accounts
        .create_session(&user, None, Duration::from_secs(3600))
        .map_err(failed)?;
    Ok(s.token.as_str().to_string())
}

/// The engine parts the viewer stands on: no camera is running.
fn engine(dir: &Path) -> Result<WebEngine, BenchError> {
    struct Idle;
    impl StatusSource for Idle {
        fn latest(&self) -> Arc<EngineStatus> {
            Arc::default()
        }
        fn problems(&self) -> Vec<String> {
            Vec::new()
        }
    }
    let config = ConfigStore::open(dir, Arc::new(|| {}))
        .map_err(|e| BenchError::Failed(format!("cannot open the library: {e}")))?;
    Ok(WebEngine {
        data_dir: dir.to_path_buf(),
        live: LiveHub::new(),
        status: Arc::new(Idle),
        bus: EventBus::default(),
        config,
    })
}
