//! `vigil bench web --fanout`: what live fan-out to many web viewers costs the server. Four
//! cameras from the RTSP simulator are recorded by a real `vigil run --web` child process
//! (HTTPS with its self-signed certificate, as deployed); its CPU (utime + stime from
//! `/proc/PID/stat`, and per thread) is measured over a fixed window with no viewer, then
//! over the same window with N WebSocket viewers (threads of this process reading every
//! message) plus one viewer that never reads. The report puts both side by side: the
//! difference in % of one core, the messages delivered, each viewer's memory bound and
//! whether the reading viewers missed frames while the slow one stalled.

mod client;
pub mod cpu;
pub(crate) mod procs;
mod report;

use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use vigil_core::library::Library;
use vigil_core::model::{CameraName, NewCamera, Policy, Transport};
use vigil_core::web::accounts::{Accounts, Actor};
use vigil_core::web::role::Role;

use crate::measure::proc_memory;
use crate::BenchError;
use client::{Counts, Reader, Stalled, Target};
use cpu::Sample;
use procs::{Simulator, VigilRun};

pub use report::{FanoutReport, Window, TARGET_PERCENT};

const USER: &str = "bench";
/// How long every camera may take to send its first fragments.
const START: Duration = Duration::from_secs(40);
/// Pause after the probes left and after the viewers joined, before measuring.
const SETTLE: Duration = Duration::from_secs(3);

/// What `vigil bench web --fanout` runs.
#[derive(Debug, Clone)]
pub struct FanoutOptions {
    /// The engine's data is written under it while running (removed after).
    pub work_dir: PathBuf,
    /// Measured seconds per window (without viewers, then with them).
    pub seconds: u64,
    /// Reading viewers, spread over the cameras (20 browsers × 4 cameras = 80).
    pub viewers: usize,
    pub cameras: usize,
    /// The simulator's scene: `snow` (noise: the encoder at its 2 Mbit/s, like a busy
    /// camera) or `ball` (a test pattern of a few hundred kbit/s).
    pub scene: String,
    /// The simulator's picture: width, height, frames per second.
    pub width: u32,
    pub height: u32,
    pub fps: u32,
}

/// Runs the benchmark; `progress` hears each step.
pub fn web_fanout(
    opts: &FanoutOptions,
    progress: &mut dyn FnMut(&str),
) -> Result<FanoutReport, BenchError> {
    let scratch = crate::scratch::dir(&opts.work_dir, "web-fanout-")?;
    let data_dir = scratch.path().to_path_buf();
    progress("starting the RTSP camera simulator");
    let sim = Simulator::start(&opts.scene, opts.width, opts.height, opts.fps)?;
    let cameras: Vec<String> = (0..opts.cameras.max(1))
        .map(|i| format!("cam{i}"))
        .collect();
    let token = setup(&data_dir, &cameras, &sim.url("h264"))?;
    progress("starting `vigil run --web` recording the cameras");
    let run = VigilRun::start(&data_dir)?;
    let result = measure(opts, &run, &token, &cameras, progress);
    run.stop();
    drop(sim);
    drop(scratch);
    result
}

fn measure(
    opts: &FanoutOptions,
    run: &VigilRun,
    token: &str,
    cameras: &[String],
    progress: &mut dyn FnMut(&str),
) -> Result<FanoutReport, BenchError> {
    let cert = std::fs::read(run.data_dir.join(vigil_core::web::cert::CERT_FILE))
        .map_err(|e| BenchError::io("read the web viewer's certificate", e))?;
    let target = Target::new(run.addr.clone(), token.to_string(), &cert)?;
    let frame_ticks = u64::from(90_000 / opts.fps.max(1));
    progress("waiting for every camera's first live fragments");
    let probes = open_readers(&target, cameras, cameras.len(), frame_ticks)?;
    wait_fragments(&probes, 5)?;
    probes.into_iter().for_each(Reader::stop);
    std::thread::sleep(SETTLE);

    let window = Duration::from_secs(opts.seconds);
    progress(&format!("recording alone: {} s", opts.seconds));
    let alone = cpu_window(run.pid, window)?;
    let anon_before = proc_memory(run.pid).map_or(0, |m| m.anon);

    progress(&format!(
        "{} viewers and one that never reads joining",
        opts.viewers
    ));
    let readers = open_readers(&target, cameras, opts.viewers, frame_ticks)?;
    let stalled = Stalled::start(&target, &cameras[0])?;
    let stalled_at = Instant::now();
    wait_fragments(&readers, 1)?;
    let server_sockets = cpu::sockets(run.pid);
    std::thread::sleep(SETTLE);
    progress(&format!(
        "recording + {} viewers: {} s",
        opts.viewers, opts.seconds
    ));
    let before: Vec<Snapshot> = readers.iter().map(|r| Snapshot::of(&r.counts)).collect();
    let closing = watch_close(run.pid, server_sockets, stalled_at, SETTLE + window);
    let with_viewers = cpu_window(run.pid, window)?;
    let after: Vec<Snapshot> = readers.iter().map(|r| Snapshot::of(&r.counts)).collect();
    let anon_after = proc_memory(run.pid).map_or(0, |m| m.anon);
    let stalled_closed_after = closing.join().unwrap_or(None);
    drop(stalled);

    let per_viewer: Vec<report::Viewer> = readers
        .iter()
        .zip(before.iter().zip(&after))
        .map(|(r, (b, a))| report::Viewer {
            camera: r.camera.clone(),
            messages: a.messages - b.messages,
            bytes: a.bytes - b.bytes,
            fragments: a.fragments - b.fragments,
            skipped: a.skipped - b.skipped,
            largest: a.largest,
            ended: a.ended,
        })
        .collect();
    readers.into_iter().for_each(Reader::stop);
    Ok(FanoutReport {
        cameras: cameras.len(),
        picture: (opts.width, opts.height, opts.fps),
        scene: opts.scene.clone(),
        viewers: opts.viewers,
        alone,
        with_viewers,
        per_viewer,
        slow_camera: cameras[0].clone(),
        queue: vigil_core::service::VIEWER_QUEUE,
        anon_before,
        anon_after,
        stalled_closed_after,
    })
}

/// The cameras and a viewer account with an API token in a fresh library; the token.
fn setup(data_dir: &std::path::Path, cameras: &[String], url: &str) -> Result<String, BenchError> {
    let mut lib = Library::open(data_dir)?;
    for name in cameras {
        let cam = NewCamera {
            name: CameraName::parse(name).map_err(vigil_core::library::LibraryError::from)?,
            url: url.to_string(),
            detect_url: None,
            transport: Transport::Tcp,
            enabled: true,
            audio: false,
        };
        lib.add_camera(&cam, &Policy::default())?;
    }
    let mut accounts = Accounts::new(lib);
    let fail = |e: vigil_core::web::accounts::AccountError| {
        BenchError::Failed(format!("cannot add the bench's viewer: {e}"))
    };
    accounts
        .add_user(
            USER,
            Role::Viewer,
            "bench fan-out viewer",
            Actor::COMMAND_LINE,
        )
        .map_err(fail)?;
    let (_, token) = accounts
        .add_api_token(USER, Some("fan-out bench"), Actor::COMMAND_LINE)
        .map_err(fail)?;
    Ok(token.as_str().to_string())
}

/// `n` reading viewers spread over the cameras in turn.
fn open_readers(
    target: &Target,
    cameras: &[String],
    n: usize,
    frame_ticks: u64,
) -> Result<Vec<Reader>, BenchError> {
    (0..n)
        .map(|i| Reader::start(target, &cameras[i % cameras.len()], frame_ticks))
        .collect()
}

/// Waits until every reader got `n` fragments.
fn wait_fragments(readers: &[Reader], n: u64) -> Result<(), BenchError> {
    let deadline = Instant::now() + START;
    loop {
        let waiting: Vec<&str> = readers
            .iter()
            .filter(|r| r.counts.fragments.load(Ordering::Relaxed) < n)
            .map(|r| r.camera.as_str())
            .collect();
        if waiting.is_empty() {
            return Ok(());
        }
        if Instant::now() >= deadline {
            return Err(BenchError::Failed(format!(
                "{} viewers got no live video within {START:?} (cameras {:?})",
                waiting.len(),
                waiting.iter().take(4).collect::<Vec<_>>()
            )));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Watches the server's sockets for `length`: when one fewer than `open` remain (the slow
/// viewer's, closed by the server), answers how long after `since`.
fn watch_close(
    pid: u32,
    open: usize,
    since: Instant,
    length: Duration,
) -> std::thread::JoinHandle<Option<Duration>> {
    std::thread::spawn(move || {
        let deadline = Instant::now() + length;
        while Instant::now() < deadline {
            if cpu::sockets(pid) < open {
                return Some(since.elapsed());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        None
    })
}

/// The server's CPU over `length`.
fn cpu_window(pid: u32, length: Duration) -> Result<Window, BenchError> {
    let gone = || BenchError::Failed("`vigil run` exited during the benchmark".into());
    let before = Sample::of(pid).ok_or_else(gone)?;
    let t0 = Instant::now();
    std::thread::sleep(length);
    let after = Sample::of(pid).ok_or_else(gone)?;
    let seconds = t0.elapsed().as_secs_f64();
    let (total, threads) = after.since(&before);
    Ok(Window {
        seconds,
        cpu: total,
        system: after.system.saturating_sub(before.system),
        threads,
    })
}

/// A reader's counters at one instant.
struct Snapshot {
    messages: u64,
    bytes: u64,
    fragments: u64,
    skipped: u64,
    largest: u64,
    ended: bool,
}

impl Snapshot {
    fn of(c: &Counts) -> Self {
        Self {
            messages: c.messages.load(Ordering::Relaxed),
            bytes: c.bytes.load(Ordering::Relaxed),
            fragments: c.fragments.load(Ordering::Relaxed),
            skipped: c.skipped.load(Ordering::Relaxed),
            largest: c.largest.load(Ordering::Relaxed),
            ended: c.ended.load(Ordering::Relaxed),
        }
    }
}
