//! `vigil bench ui`: the desktop app's own work per frame with 1, 4 and 16 live 1080p25 tiles —
//! one egui frame of `VigilApp::show` (layout, texture uploads of new pictures, drawing
//! commands) and, apart, egui's tessellation, in a headless egui context at 60 frames a
//! second (no GPU: uploading textures to one is left out) — and the whole process's CPU
//! (engine, live decoding at tile size, UI), against N `ffmpeg -re` processes decoding the
//! same file and scaling it to the same tile size, in the same run.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use egui::{Context, RawInput, Rect};

use super::measure::{cpu_self, cpu_thread, signal_child, try_wait_child};
use super::media::{self, TestMedia};
use super::BenchError;
use vigil_app::VigilApp;
use vigil_core::engine::EngineOptions;
use vigil_core::host::EngineHost;
use vigil_core::library::{Library, LibraryError};
use vigil_core::model::{CameraName, NewCamera, Policy, RecordMode, Transport};

/// Frames a second the headless window is driven at (a 60 Hz display).
const FRAME_RATE: f64 = 60.0;
/// How long every tile may take to show its first picture.
const WARM_UP: Duration = Duration::from_secs(30);

#[derive(Debug, Clone)]
pub struct UiOptions {
    pub work_dir: PathBuf,
    /// Tile counts to measure, e.g. 1, 4, 16.
    pub tiles: Vec<usize>,
    /// Measured time per tile count.
    pub seconds: u64,
    /// Window size in points (pixels per point = 1).
    pub window: (f32, f32),
}

/// One tile count's figures.
#[derive(Debug, Clone)]
pub struct UiRow {
    pub tiles: usize,
    /// Tile picture size the decoders were asked for, pixels.
    pub tile_px: (u32, u32),
    /// One egui frame running `VigilApp::show`, ms: p50, p95, max.
    pub ui_ms: (f64, f64, f64),
    /// Live pictures drawn per second (every tile at 25 fps would be 25 × tiles).
    pub pictures_per_s: f64,
    /// egui tessellation per frame (p50, p95), ms.
    pub tessellate_ms: (f64, f64),
    /// The whole process, % of one core.
    pub process_cpu: f64,
    /// The UI thread alone, % of one core.
    pub ui_thread_cpu: f64,
    /// N `ffmpeg -re … -vf scale=tile -f null -`, % of one core.
    pub ffmpeg_cpu: f64,
    /// The slowest ffmpeg's pace: seconds of video per second of wall time (1.0 = kept up).
    pub ffmpeg_speed: f64,
}

#[derive(Debug, Clone)]
pub struct UiReport {
    pub media: TestMedia,
    pub window: (f32, f32),
    pub seconds: u64,
    pub rows: Vec<UiRow>,
}

/// Runs every tile count in turn.
pub fn ui(opts: &UiOptions, progress: &mut dyn FnMut(&str)) -> Result<UiReport, BenchError> {
    // 60 s, so that no source reaches the end of its file (and reopens it) while measured.
    progress("test video: 60 s of 1080p25 H.264 at 4 Mbit/s (made once, then cached)");
    let media = media::ensure(&opts.work_dir, 60)?;
    let mut rows = Vec::new();
    for &n in &opts.tiles {
        progress(&format!("{n} live tile(s): Vigil, {}s", opts.seconds));
        let mut row = measure_vigil(opts, &media, n)?;
        progress(&format!(
            "{n} live tile(s): {n} × ffmpeg -re scaling to {}x{}, {}s",
            row.tile_px.0, row.tile_px.1, opts.seconds
        ));
        (row.ffmpeg_cpu, row.ffmpeg_speed) =
            ffmpeg_baseline(&media.path, n, row.tile_px, opts.seconds)?;
        rows.push(row);
    }
    Ok(UiReport {
        media,
        window: opts.window,
        seconds: opts.seconds,
        rows,
    })
}

/// A fresh data directory with `n` cameras on the test file (recording off, so the process
/// does what the baseline does: read, decode, scale — plus the UI).
fn prepare(work_dir: &Path, media: &TestMedia, n: usize) -> Result<PathBuf, BenchError> {
    let dir = work_dir.join(format!("ui-{n}"));
    if dir.exists() {
        std::fs::remove_dir_all(&dir)
            .map_err(|e| BenchError::io(format!("cannot clear {}", dir.display()), e))?;
    }
    let mut lib = Library::open(&dir)?;
    let policy = Policy {
        mode: RecordMode::Off,
        ..Policy::default()
    };
    for i in 1..=n {
        let cam = NewCamera {
            name: CameraName::parse(&format!("cam{i:02}")).map_err(LibraryError::from)?,
            url: media.path.display().to_string(),
            detect_url: None,
            transport: Transport::Tcp,
            enabled: true,
        };
        lib.add_camera(&cam, &policy)?;
    }
    Ok(dir)
}

/// Drives the app headless: one frame every 1/60 s.
struct Window {
    ctx: Context,
    app: VigilApp,
    screen: Rect,
    start: Instant,
    /// Per frame, ms: the egui frame with the app in it, and tessellation.
    frame_ms: Vec<f64>,
    tessellate_ms: Vec<f64>,
}

impl Window {
    fn frame(&mut self) {
        let input = RawInput {
            screen_rect: Some(self.screen),
            time: Some(self.start.elapsed().as_secs_f64()),
            ..RawInput::default()
        };
        let app = &mut self.app;
        let t0 = Instant::now();
        let out = self.ctx.run_ui(input, |ui| app.show(ui));
        let t1 = Instant::now();
        let prims = self.ctx.tessellate(out.shapes, out.pixels_per_point);
        self.frame_ms.push((t1 - t0).as_secs_f64() * 1e3);
        self.tessellate_ms.push(t1.elapsed().as_secs_f64() * 1e3);
        std::hint::black_box(prims);
    }

    /// Runs frames at [`FRAME_RATE`] until `until` says stop or `limit` passes.
    fn run_for(&mut self, limit: Duration, mut until: impl FnMut(&VigilApp) -> bool) -> bool {
        let period = Duration::from_secs_f64(1.0 / FRAME_RATE);
        let began = Instant::now();
        let mut next = began;
        while began.elapsed() < limit {
            self.frame();
            if until(&self.app) {
                return true;
            }
            next += period;
            if let Some(wait) = next.checked_duration_since(Instant::now()) {
                std::thread::sleep(wait);
            }
        }
        false
    }
}

fn measure_vigil(opts: &UiOptions, media: &TestMedia, n: usize) -> Result<UiRow, BenchError> {
    let dir = prepare(&opts.work_dir, media, n)?;
    let mut engine_opts = EngineOptions::new(dir.clone());
    engine_opts.realtime_files = true;
    let host = EngineHost::start(engine_opts)?;
    let mut win = Window {
        ctx: Context::default(),
        app: VigilApp::new(Box::new(host)),
        screen: Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(opts.window.0, opts.window.1)),
        start: Instant::now(),
        frame_ms: Vec::new(),
        tessellate_ms: Vec::new(),
    };
    let all_live = |app: &VigilApp| {
        app.visible_cameras().len() == n
            && app
                .visible_cameras()
                .iter()
                .all(|c| app.live().picture(c).is_some())
    };
    if !win.run_for(WARM_UP, all_live) {
        return Err(BenchError::Failed(format!(
            "{n} tiles: not every tile showed a picture within {} s",
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
    let (cpu0, ui0, t0) = (cpu_self()?, cpu_thread()?, Instant::now());
    win.run_for(Duration::from_secs(opts.seconds), |_| false);
    let (cpu1, ui1, wall) = (cpu_self()?, cpu_thread()?, t0.elapsed().as_secs_f64());
    let pictures = win.app.pictures_shown() - pictures0;
    let mut frame = std::mem::take(&mut win.frame_ms);
    let mut tess = std::mem::take(&mut win.tessellate_ms);
    frame.sort_by(f64::total_cmp);
    tess.sort_by(f64::total_cmp);
    let pct = |d: Duration| d.as_secs_f64() / wall * 100.0;
    let row = UiRow {
        tiles: n,
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
        ffmpeg_cpu: 0.0,
        ffmpeg_speed: 0.0,
    };
    drop(win);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(row)
}

fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

/// `n` ffmpeg processes reading the file at its native rate for `seconds`, decoding on one
/// thread (as Vigil's live decoder does) and scaling to the tile size in RGBA with the same
/// scaler; their CPU from `wait4`, as % of one core over the same wall time.
fn ffmpeg_baseline(
    file: &Path,
    n: usize,
    (w, h): (u32, u32),
    seconds: u64,
) -> Result<(f64, f64), BenchError> {
    let started = Instant::now();
    let mut pids = Vec::with_capacity(n);
    for _ in 0..n {
        let child = Command::new("ffmpeg")
            .args(["-nostdin", "-v", "error", "-threads", "1", "-re"])
            .args(["-stream_loop", "-1", "-t", &seconds.to_string(), "-i"])
            .arg(file)
            .args([
                "-vf",
                &format!("scale={w}:{h}:flags=fast_bilinear,format=rgba"),
            ])
            .args(["-f", "null", "-"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| BenchError::tool("ffmpeg", e))?;
        pids.push(child.id());
    }
    let deadline = Duration::from_secs(seconds + 30);
    let (mut cpu, mut failed, mut slowest) = (Duration::ZERO, 0, Duration::ZERO);
    while !pids.is_empty() {
        let mut running = Vec::with_capacity(pids.len());
        for pid in pids {
            match try_wait_child(pid)? {
                Some(usage) => {
                    cpu += usage.cpu;
                    failed += usize::from(!usage.success);
                    slowest = slowest.max(started.elapsed());
                }
                None => {
                    if started.elapsed() > deadline {
                        signal_child(pid, libc::SIGKILL);
                    }
                    running.push(pid);
                }
            }
        }
        pids = running;
        std::thread::sleep(Duration::from_millis(20));
    }
    if failed > 0 {
        return Err(BenchError::Failed(format!(
            "{failed} of {n} ffmpeg baseline processes failed"
        )));
    }
    let wall = started.elapsed().as_secs_f64();
    let speed = seconds as f64 / slowest.as_secs_f64().max(1e-3);
    Ok((cpu.as_secs_f64() / wall * 100.0, speed))
}

impl std::fmt::Display for UiReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "Desktop app, live tiles: {} ({} {}x{}, {:.2} Mbit/s), window {}x{} at {FRAME_RATE} frames/s, {} s per row",
            self.media.path.display(),
            self.media.codec,
            self.media.width,
            self.media.height,
            self.media.bitrate_bps / 1e6,
            self.window.0,
            self.window.1,
            self.seconds
        )?;
        writeln!(
            f,
            "  (ms per frame; CPU in % of one core)         Vigil                                     baseline: N x ffmpeg -re"
        )?;
        writeln!(
            f,
            "  tiles   tile px   frame p50   p95    max  tessellate p50/p95  pictures/s   CPU  (UI thread)     CPU  pictures/s  Vigil/ffmpeg CPU"
        )?;
        for r in &self.rows {
            let ratio = if r.ffmpeg_cpu > 0.0 {
                r.process_cpu / r.ffmpeg_cpu
            } else {
                0.0
            };
            writeln!(
                f,
                "  {:>5}  {:>8}  {:>9.2} {:>5.2} {:>6.2}  {:>9.2} / {:<6.2}  {:>10.0}  {:>5.1}  ({:>8.1})  {:>6.1}  {:>10.0}  {:>16.2}",
                r.tiles,
                format!("{}x{}", r.tile_px.0, r.tile_px.1),
                r.ui_ms.0,
                r.ui_ms.1,
                r.ui_ms.2,
                r.tessellate_ms.0,
                r.tessellate_ms.1,
                r.pictures_per_s,
                r.process_cpu,
                r.ui_thread_cpu,
                r.ffmpeg_cpu,
                r.ffmpeg_speed.min(1.0) * 25.0 * r.tiles as f64,
                ratio
            )?;
        }
        let worst = self
            .rows
            .iter()
            .filter(|r| r.tiles >= 16)
            .map(|r| r.ui_ms.1)
            .fold(None, |a: Option<f64>, v| Some(a.map_or(v, |a| a.max(v))));
        if let Some(p95) = worst {
            let verdict = if p95 < 4.0 { "MET" } else { "NOT MET" };
            writeln!(
                f,
                "  target: under 4 ms of UI work per frame with 16 tiles (p95): {verdict} ({p95:.2} ms)"
            )?;
        }
        Ok(())
    }
}
