//! `vigil bench ui`: the desktop app's own work per frame with 16 to 64 live tiles fed from
//! each camera's 640×360 sub-stream, and the same against the 1080p main streams — one egui
//! frame of `VigilApp::show` (layout, texture uploads of new pictures, drawing commands) and,
//! apart, egui's tessellation, in a headless egui context at 60 frames a second (no GPU:
//! uploading textures to one is left out) — the whole process's CPU (engine, live decoding
//! at tile size, UI), the live decoders' CPU per picture, against N `ffmpeg -re` processes
//! decoding the same file and scaling it to the same tile size, in the same run.

mod baseline;
mod report;
mod threads;
mod window;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::measure::{cpu_self, cpu_thread};
use super::media::{self, Recipe, TestMedia};
use super::BenchError;
use vigil_app::video::ShownStream;
use vigil_app::VigilApp;
use vigil_core::engine::EngineOptions;
use vigil_core::host::EngineHost;
use vigil_core::library::{Library, LibraryError};
use vigil_core::model::{CameraName, NewCamera, Policy, RecordMode, Transport};
use vigil_core::service::LiveStream;
use window::Window;

/// How long every tile may take to show its first picture.
const WARM_UP: Duration = Duration::from_secs(40);

/// Which stream the cameras offer the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UiStreams {
    /// Each camera has a 640×360 sub-stream beside its 1080p main stream; the app picks by
    /// tile size.
    Sub,
    /// Only the 1080p main stream.
    Main,
}

impl UiStreams {
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "sub" => Some(UiStreams::Sub),
            "main" => Some(UiStreams::Main),
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            UiStreams::Sub => "sub",
            UiStreams::Main => "main",
        }
    }
}

#[derive(Debug, Clone)]
pub struct UiOptions {
    pub work_dir: PathBuf,
    /// Tile counts to measure, e.g. 16, 36, 64.
    pub tiles: Vec<usize>,
    /// Stream setups to measure each tile count with.
    pub streams: Vec<UiStreams>,
    /// Measured time per row.
    pub seconds: u64,
    /// Window size in points (pixels per point = 1).
    pub window: (f32, f32),
}

/// One row: a tile count on one stream setup.
#[derive(Debug, Clone)]
pub struct UiRow {
    pub tiles: usize,
    pub streams: UiStreams,
    /// Tile picture size the decoders were asked for, pixels.
    pub tile_px: (u32, u32),
    /// One egui frame running `VigilApp::show`, ms: p50, p95, max.
    pub ui_ms: (f64, f64, f64),
    /// Live pictures drawn per second, all tiles (every tile at 25 fps is 25 × tiles).
    pub pictures_per_s: f64,
    /// egui tessellation per frame (p50, p95), ms.
    pub tessellate_ms: (f64, f64),
    /// The whole process, % of one core.
    pub process_cpu: f64,
    /// The UI thread alone, % of one core.
    pub ui_thread_cpu: f64,
    /// The live decoder threads' CPU per picture drawn, ms.
    pub decode_ms_per_picture: f64,
    /// Tiles showing their sub-stream (at the end of the row).
    pub sub_tiles: usize,
    /// Tiles on key frames only (the decode budget), on average over the measured frames.
    pub keyframe_tiles: f64,
    /// The baseline's N `ffmpeg -re … -vf scale=tile -f null -`.
    pub ffmpeg: baseline::Baseline,
}

#[derive(Debug, Clone)]
pub struct UiReport {
    pub main: TestMedia,
    pub sub: TestMedia,
    pub window: (f32, f32),
    pub seconds: u64,
    pub rows: Vec<UiRow>,
}

/// The sub-stream's test video: the main one's picture at 640×360, 25 fps, ~600 kbit/s.
fn sub_recipe() -> Recipe {
    let main = Recipe::remux();
    Recipe {
        name: "testsrc2-360p25-600k-gop2s".into(),
        width: 640,
        height: 360,
        source: "testsrc2=size=640x360:rate=25".into(),
        encode: ["-preset", "ultrafast", "-b:v", "600k", "-maxrate", "600k"]
            .into_iter()
            .chain(["-bufsize", "1200k"])
            .map(String::from)
            .collect(),
        ..main
    }
}

/// Runs every tile count on every stream setup in turn.
pub fn ui(opts: &UiOptions, progress: &mut dyn FnMut(&str)) -> Result<UiReport, BenchError> {
    // 60 s, so that no source reaches the end of its file (and reopens it) while measured.
    progress("test videos: 60 s of 1080p25 H.264 at 4 Mbit/s and of 360p25 at 600 kbit/s (made once, then cached)");
    let main = media::ensure(&opts.work_dir, 60)?;
    let sub = media::make(&opts.work_dir, &sub_recipe(), 60)?;
    let mut rows = Vec::new();
    for &streams in &opts.streams {
        for &n in &opts.tiles {
            let label = format!("{n} live tile(s), {} streams", streams.as_str());
            progress(&format!("{label}: Vigil, {}s", opts.seconds));
            let mut row = measure_vigil(opts, (&main, &sub), streams, n)?;
            // The baseline decodes what the app chose to show: the sub-stream when the
            // tiles are no wider than 1.5 × 640 px.
            let file = match streams {
                UiStreams::Sub if row.tile_px.0 <= sub.width * 3 / 2 => &sub.path,
                _ => &main.path,
            };
            progress(&format!(
                "{label}: {n} × ffmpeg -re scaling to {}x{}, {}s",
                row.tile_px.0, row.tile_px.1, opts.seconds
            ));
            row.ffmpeg = baseline::ffmpeg(file, n, row.tile_px, opts.seconds)?;
            rows.push(row);
        }
    }
    Ok(UiReport {
        main,
        sub,
        window: opts.window,
        seconds: opts.seconds,
        rows,
    })
}

/// A fresh data directory with `n` cameras on the test files (recording off, so the process
/// does what the baseline does: read, decode, scale — plus the UI). Removed when dropped.
fn prepare(
    work_dir: &Path,
    (main, sub): (&TestMedia, &TestMedia),
    streams: UiStreams,
    n: usize,
) -> Result<tempfile::TempDir, BenchError> {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::Builder::new()
        .prefix(&format!("ui-{n}-"))
        .permissions(std::fs::Permissions::from_mode(0o700))
        .tempdir_in(work_dir)
        .map_err(|e| BenchError::io("cannot make the engine's data directory", e))?;
    let mut lib = Library::open(dir.path())?;
    let policy = Policy {
        mode: RecordMode::Off,
        ..Policy::default()
    };
    for i in 1..=n {
        let cam = NewCamera {
            name: CameraName::parse(&format!("cam{i:02}")).map_err(LibraryError::from)?,
            url: main.path.display().to_string(),
            detect_url: (streams == UiStreams::Sub).then(|| sub.path.display().to_string()),
            transport: Transport::Tcp,
            enabled: true,
            audio: false,
        };
        lib.add_camera(&cam, &policy)?;
    }
    Ok(dir)
}

fn measure_vigil(
    opts: &UiOptions,
    media: (&TestMedia, &TestMedia),
    streams: UiStreams,
    n: usize,
) -> Result<UiRow, BenchError> {
    let dir = prepare(&opts.work_dir, media, streams, n)?;
    let mut engine_opts = EngineOptions::new(dir.path().to_path_buf());
    engine_opts.realtime_files = true;
    let host = EngineHost::start(engine_opts)?;
    let mut win = Window::new(VigilApp::new(Box::new(host)), opts.window);
    let all_live = |app: &VigilApp| {
        app.visible_cameras().len() == n
            && app
                .visible_cameras()
                .iter()
                .all(|c| app.live().picture(c).is_some())
    };
    if !win.run_for(WARM_UP, all_live) {
        return Err(BenchError::Failed(format!(
            "{n} tiles ({} streams): not every tile showed a picture within {} s",
            streams.as_str(),
            WARM_UP.as_secs()
        )));
    }
    let tile_px = win
        .app
        .visible_cameras()
        .first()
        .and_then(|c| win.app.live().requested_size(c))
        .unwrap_or((0, 0));
    win.frame_ms.clear();
    win.tessellate_ms.clear();
    let pictures0 = win.app.pictures_shown();
    let (cpu0, ui0, dec0) = (cpu_self()?, cpu_thread()?, threads::cpu_of_threads("live-"));
    let t0 = Instant::now();
    let (mut kf_sum, mut frames) = (0usize, 0usize);
    win.run_for(Duration::from_secs(opts.seconds), |app| {
        kf_sum += count_tiles(app, |s| s.keyframes_only);
        frames += 1;
        false
    });
    let (cpu1, ui1, dec1) = (cpu_self()?, cpu_thread()?, threads::cpu_of_threads("live-"));
    let wall = t0.elapsed().as_secs_f64();
    let pictures = win.app.pictures_shown() - pictures0;
    let mut frame = std::mem::take(&mut win.frame_ms);
    let mut tess = std::mem::take(&mut win.tessellate_ms);
    frame.sort_by(f64::total_cmp);
    tess.sort_by(f64::total_cmp);
    let pct = |d: Duration| d.as_secs_f64() / wall * 100.0;
    let decode = dec1.saturating_sub(dec0).as_secs_f64() * 1e3;
    Ok(UiRow {
        tiles: n,
        streams,
        tile_px,
        ui_ms: (
            quantile(&frame, 0.5),
            quantile(&frame, 0.95),
            quantile(&frame, 1.0),
        ),
        pictures_per_s: pictures as f64 / wall,
        tessellate_ms: (quantile(&tess, 0.5), quantile(&tess, 0.95)),
        process_cpu: pct(cpu1.saturating_sub(cpu0)),
        ui_thread_cpu: pct(ui1.saturating_sub(ui0)),
        decode_ms_per_picture: decode / pictures.max(1) as f64,
        sub_tiles: count_tiles(&win.app, |s| s.stream == LiveStream::Sub),
        keyframe_tiles: kf_sum as f64 / frames.max(1) as f64,
        ffmpeg: baseline::Baseline::default(),
    })
}

/// Visible tiles whose shown stream passes `test`.
fn count_tiles(app: &VigilApp, test: impl Fn(&ShownStream) -> bool) -> usize {
    let live = app.live();
    app.visible_cameras()
        .iter()
        .filter(|c| live.shown(c).is_some_and(|s| test(&s)))
        .count()
}

fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}
