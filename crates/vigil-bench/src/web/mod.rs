//! `vigil bench web`: live latency of the web viewer, from the server reading a frame's
//! fragment to headless Chromium presenting the frame (requestVideoFrameCallback against the
//! server's wall-clock stamp sent with each fragment), measured side by side in one run with
//! a minimal relay ([`relay`]) of the same camera's fragments.
//!
//! The engine records the demo camera with the web viewer on a loopback address (HTTPS with
//! its self-signed certificate, as users get it); Chromium, driven by [`crate::browser`],
//! signs in as a viewer and shows the live grid, whose page keeps each frame's latency in
//! `window.vigilLiveStats[camera]`; the relay's page shows the same camera. The two take
//! turns (`rounds`), one tab open at a time, so that both see the same load on the machine;
//! each turn has a warm-up, then its samples are kept.

mod relay;
mod report;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde_json::Value;

use vigil_core::engine::EngineOptions;
use vigil_core::host::{EngineHost, HostOptions};
use vigil_core::library::Library;
use vigil_core::model::{CameraName, NewCamera, Policy, Transport};
use vigil_core::web::accounts::{Accounts, Actor};
use vigil_core::web::options::WebOptions;
use vigil_core::web::role::Role;

use crate::browser::{Chromium, LaunchOptions, Page};
use crate::measure::cpu_self;
use crate::BenchError;
pub use relay::Relay;
pub use report::{TARGET_P50_MS, TARGET_P95_MS};

/// The camera's name in the bench's library.
const CAMERA: &str = "cam";
const USER: &str = "bench";
/// How long the page may take to show its first frames.
const START: Duration = Duration::from_secs(30);
/// Latencies at the start (socket opening, first keyframe, catching up with the newest
/// frame) are not kept: at most this long …
const SETTLE: Duration = Duration::from_secs(10);
/// … until the page's video plays at normal speed within 0.15 s of its buffer's end.
const SETTLED: &str = "(v => !!v && v.buffered.length > 0 && v.playbackRate === 1 && !v.paused \
    && v.buffered.end(v.buffered.length - 1) - v.currentTime < 0.15)(document.querySelector('video'))";

/// What `vigil bench web` runs.
#[derive(Debug, Clone)]
pub struct WebBenchOptions {
    /// The engine's data is written under it while running (removed after).
    pub work_dir: PathBuf,
    /// Measured seconds per side, over all rounds.
    pub seconds: u64,
    /// The sides take turns this many times (one tab open at a time).
    pub rounds: usize,
    /// The camera, e.g. `demo://?width=1280&height=720&fps=25`.
    pub camera_url: String,
}

/// One side's figures.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Latency {
    /// Each presented frame's latency, ms, in order.
    pub samples_ms: Vec<f64>,
    /// Frames presented during the measured time.
    pub presented: u64,
    pub seconds: f64,
    /// This process (engine, web server, relay) over the measured time, % of one core.
    pub server_cpu_percent: f64,
}

impl Latency {
    /// Adds another measured window.
    pub fn add(&mut self, other: Latency) {
        let cpu_s =
            self.server_cpu_percent * self.seconds + other.server_cpu_percent * other.seconds;
        self.samples_ms.extend(other.samples_ms);
        self.presented += other.presented;
        self.seconds += other.seconds;
        self.server_cpu_percent = if self.seconds > 0.0 {
            cpu_s / self.seconds
        } else {
            0.0
        };
    }

    /// The `p`-th percentile (0–100, nearest rank), ms; NaN without samples.
    pub fn percentile(&self, p: f64) -> f64 {
        let mut s = self.samples_ms.clone();
        s.sort_by(f64::total_cmp);
        if s.is_empty() {
            return f64::NAN;
        }
        let rank = ((p / 100.0) * s.len() as f64).ceil() as usize;
        s[rank.clamp(1, s.len()) - 1]
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct WebReport {
    pub camera_url: String,
    /// Measured windows per side, alternating.
    pub rounds: usize,
    pub vigil: Latency,
    pub relay: Latency,
}

/// Runs both sides; `progress` hears each step.
pub fn web(
    opts: &WebBenchOptions,
    progress: &mut dyn FnMut(&str),
) -> Result<WebReport, BenchError> {
    std::fs::create_dir_all(&opts.work_dir)
        .map_err(|e| BenchError::io(format!("make {}", opts.work_dir.display()), e))?;
    // Removed with everything in it when the run ends.
    let data = tempfile::Builder::new()
        .prefix("web-live-")
        .permissions(std::os::unix::fs::PermissionsExt::from_mode(0o700))
        .tempdir_in(&opts.work_dir)
        .map_err(|e| BenchError::io("make the engine's data directory", e))?;
    let data_dir = data.path().to_path_buf();
    let password = format!("bench-{}", std::process::id());
    setup(&data_dir, &opts.camera_url, &password)?;
    progress("starting the engine and the web viewer");
    let host = start_host(&data_dir)?;
    let result = measure_both(&host, opts, &password, progress);
    host.shutdown();
    drop(data);
    result
}

fn measure_both(
    host: &EngineHost,
    opts: &WebBenchOptions,
    password: &str,
    progress: &mut dyn FnMut(&str),
) -> Result<WebReport, BenchError> {
    let announced = host.web_announcement().unwrap_or_default();
    let url = announced
        .trim_start_matches("web viewer on ")
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_string();
    let chromium = Chromium::launch(&LaunchOptions {
        ignore_certificate_errors: true,
        ..LaunchOptions::default()
    })?;
    progress("signing in to the web viewer in headless Chromium");
    sign_in(&chromium.open(&format!("{url}/login"))?, password)?;
    let relay = Relay::start(host.live().clone(), CAMERA)?;
    let result = rounds(&chromium, &url, &relay, opts, progress);
    relay.stop();
    let (vigil, relay) = result?;
    Ok(WebReport {
        camera_url: opts.camera_url.clone(),
        rounds: opts.rounds.max(1),
        vigil,
        relay,
    })
}

/// Alternates the two sides, one tab at a time, so that both see the same machine load.
fn rounds(
    chromium: &Chromium,
    url: &str,
    relay: &Relay,
    opts: &WebBenchOptions,
    progress: &mut dyn FnMut(&str),
) -> Result<(Latency, Latency), BenchError> {
    let n = opts.rounds.max(1);
    let each = Duration::from_secs_f64(opts.seconds as f64 / n as f64);
    let (mut vigil, mut minimal) = (Latency::default(), Latency::default());
    for round in 1..=n {
        progress(&format!("round {round}/{n}: the live view"));
        let page = chromium.open(&format!("{url}/#/live"))?;
        vigil.add(measure(&page, CAMERA, each)?);
        drop(page);
        progress(&format!("round {round}/{n}: the minimal relay"));
        let page = chromium.open(&relay.url())?;
        minimal.add(measure(&page, "relay", each)?);
    }
    Ok((vigil, minimal))
}

/// The demo camera and a viewer account in a fresh library.
fn setup(data_dir: &std::path::Path, camera_url: &str, password: &str) -> Result<(), BenchError> {
    let mut lib = Library::open(data_dir)?;
    let cam = NewCamera {
        name: CameraName::parse(CAMERA).map_err(vigil_core::library::LibraryError::from)?,
        url: camera_url.to_string(),
        detect_url: None,
        transport: Transport::Tcp,
        enabled: true,
        audio: false,
    };
    lib.add_camera(&cam, &Policy::default())?;
    let mut accounts = Accounts::new(lib);
    accounts
        .add_user(USER, Role::Viewer, password, Actor::COMMAND_LINE)
        .map_err(|e| BenchError::Failed(format!("cannot add the bench's user: {e}")))?;
    Ok(())
}

fn start_host(data_dir: &std::path::Path) -> Result<EngineHost, BenchError> {
    let mut engine = EngineOptions::new(data_dir.to_path_buf());
    engine.min_free_bytes = Some(0);
    let web = WebOptions::new("127.0.0.1:0", None, false)
        .map_err(|e| BenchError::Failed(e.to_string()))?;
    EngineHost::start_with(HostOptions {
        engine,
        api: None,
        web: Some(web),
    })
    .map_err(|e| BenchError::Failed(format!("the engine cannot start: {e}")))
}

/// Signs in through the login form and waits for the app shell.
fn sign_in(page: &Page, password: &str) -> Result<(), BenchError> {
    page.wait_for("!!document.querySelector('form')", START)?;
    let js = format!(
        "document.getElementById('name').value = {};
         document.getElementById('password').value = {};
         document.querySelector('form').requestSubmit(); true",
        Value::from(USER),
        Value::from(password)
    );
    page.eval(&js)?;
    page.wait_for(
        "location.pathname === '/' && !!document.getElementById('who')?.textContent",
        START,
    )?;
    Ok(())
}

/// Waits for frames, drops the warm-up's latencies, then keeps `seconds` of them.
fn measure(page: &Page, key: &str, seconds: Duration) -> Result<Latency, BenchError> {
    let stats = format!("(window.vigilLiveStats || {{}})[{}]", Value::from(key));
    page.wait_for(&format!("{stats}?.presented > 0"), START)
        .map_err(|e| {
            BenchError::Failed(format!(
                "no live frame was shown: {e}; page errors: {:?}",
                page.console_errors()
            ))
        })?;
    // Steady state: playing at normal speed near the newest frame (not yet when the page
    // is still catching up after its start); measured anyway after SETTLE.
    let _ = page.wait_for(SETTLED, SETTLE);
    let presented0 = page
        .eval(&format!(
            "(s => {{ s.latency_ms.length = 0; return s.presented; }})({stats})"
        ))?
        .as_u64()
        .unwrap_or(0);
    let cpu0 = cpu_self()?;
    let t0 = Instant::now();
    std::thread::sleep(seconds);
    let got = page.eval(&format!(
        "(s => ({{presented: s.presented, latency_ms: s.latency_ms}}))({stats})"
    ))?;
    let wall = t0.elapsed().as_secs_f64();
    let cpu = (cpu_self()? - cpu0).as_secs_f64();
    let samples_ms = got["latency_ms"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_f64).collect())
        .unwrap_or_default();
    Ok(Latency {
        samples_ms,
        presented: got["presented"]
            .as_u64()
            .unwrap_or(0)
            .saturating_sub(presented0),
        seconds: wall,
        server_cpu_percent: cpu * 100.0 / wall,
    })
}
