//! `vigil run`: the headless recorder. Records every enabled camera until Ctrl-C, SIGTERM or
//! `--for`, printing each camera's state as it changes; stops cleanly, finishing open segments.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use clap::Args;
use signal_hook::iterator::{Handle, Signals};

use vigil_core::engine::status::{CameraStatus, ConnState};
use vigil_core::engine::{ConfigChanges, EngineOptions, EngineStatus};
use vigil_core::host::{EngineHost, HostNotice, HostOptions, Waker};
use vigil_core::library::DEMO_NOTICE;
use vigil_core::model::time::parse_duration_us;
use vigil_core::web::options::{WebOptions, DEFAULT_WEB_ADDR};

/// Engine options shared by `run` and `gui`.
#[derive(Args, Debug)]
pub struct EngineArgs {
    /// Keep at least this much free disk, in GB; the oldest recordings go first.
    #[arg(long)]
    min_free_gb: Option<f64>,
    /// Frames per second the motion analyzer looks at.
    #[arg(long, default_value_t = 5.0)]
    analysis_fps: f64,
    /// Make the data directory, the database and the recordings readable by this user's
    /// group (folders 0750, files 0640; never by others), so its members can view the
    /// library in the desktop app. The database holds the cameras' passwords: add to the
    /// group only people who may see them. The system service runs with it.
    #[arg(long)]
    group_read: bool,
}

impl EngineArgs {
    pub fn options(&self, data_dir: &Path) -> anyhow::Result<EngineOptions> {
        let mut opts = EngineOptions::new(data_dir.to_path_buf());
        if let Some(gb) = self.min_free_gb {
            anyhow::ensure!(
                gb.is_finite() && gb >= 0.0,
                "--min-free-gb {gb} must be 0 or more"
            );
            opts.min_free_bytes = Some((gb * 1e9) as u64);
        }
        anyhow::ensure!(
            self.analysis_fps.is_finite() && (0.5..=30.0).contains(&self.analysis_fps),
            "--analysis-fps {} must be between 0.5 and 30",
            self.analysis_fps
        );
        opts.analysis_fps = self.analysis_fps;
        opts.group_read = self.group_read;
        Ok(opts)
    }
}

/// The servers, shared by `run` and `gui` (the host serves them for both): the trigger API
/// and the web viewer.
#[derive(Args, Debug)]
pub struct ApiArgs {
    /// Serve the trigger API (POST /api/v1/cameras/{name}/trigger) on this address.
    /// The token is VIGIL_API_TOKEN, or the data directory's api-token file.
    #[arg(long, num_args = 0..=1, default_missing_value = vigil_core::host::DEFAULT_API_ADDR)]
    api: Option<String>,
    /// Serve the web viewer on this address (0.0.0.0:8443 when none is given), over HTTPS
    /// with a self-signed certificate made on first start and kept in the data directory.
    #[arg(long, value_name = "ADDR", num_args = 0..=1, default_missing_value = DEFAULT_WEB_ADDR)]
    web: Option<String>,
    /// The web viewer's certificate chain (PEM) instead of the self-signed one.
    #[arg(long, value_name = "PATH", requires = "web", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// The private key (PEM) of --tls-cert.
    #[arg(long, value_name = "PATH", requires = "web", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// Serve the web viewer over plain HTTP: allowed only on a loopback address.
    #[arg(long, requires = "web")]
    web_insecure_http: bool,
}

impl ApiArgs {
    /// The web viewer's options, checked (plain HTTP only on loopback), if `--web` was given.
    fn web(&self) -> anyhow::Result<Option<WebOptions>> {
        let Some(addr) = &self.web else {
            return Ok(None);
        };
        let files = self.tls_cert.clone().zip(self.tls_key.clone());
        Ok(Some(WebOptions::new(addr, files, self.web_insecure_http)?))
    }
}

/// What the host runs for `run` and `gui`: the engine and the servers asked for.
pub fn host_options(
    data_dir: &Path,
    engine: &EngineArgs,
    api: &ApiArgs,
) -> anyhow::Result<HostOptions> {
    Ok(HostOptions {
        engine: engine.options(data_dir)?,
        api: api.api.clone(),
        web: api.web()?,
    })
}

#[derive(Args, Debug)]
pub struct RunArgs {
    /// Stop after this long (e.g. 90s, 2m, 1h).
    #[arg(long = "for")]
    duration: Option<String>,
    #[command(flatten)]
    engine: EngineArgs,
    /// Print every camera's state this often (e.g. 30s); state changes are printed anyway.
    #[arg(long, default_value = "60s")]
    status_every: String,
    #[command(flatten)]
    api: ApiArgs,
    /// With no camera configured, wait for one (`vigil camera add`) instead of adding the
    /// built-in demo camera. The system service (vigil.service) runs with this.
    #[arg(long, env = "VIGIL_NO_DEMO", value_parser = clap::builder::BoolishValueParser::new())]
    no_demo: bool,
}

impl RunArgs {
    /// The arguments of a plain `vigil run` (what `vigil` alone does).
    pub fn defaults() -> anyhow::Result<Self> {
        use clap::{Args as _, FromArgMatches};
        let cmd = Self::augment_args(clap::Command::new("run"));
        Ok(Self::from_arg_matches(&cmd.try_get_matches_from(["run"])?)?)
    }
}

pub fn run(data_dir: &Path, args: &RunArgs) -> anyhow::Result<ExitCode> {
    let limit = match &args.duration {
        Some(d) => Some(Duration::from_micros(parse_duration_us(d)? as u64)),
        None => None,
    };
    let status_every = Duration::from_micros(parse_duration_us(&args.status_every)? as u64);
    // Checked before anything is changed or started.
    let opts = host_options(data_dir, &args.engine, &args.api)?;
    // Before anything creates or checks a file: the modes follow it.
    vigil_core::library::perms::set_group_read(opts.engine.group_read);
    // Before anything opens the library (which would tighten them quietly).
    for said in vigil_core::library::perms::tighten(data_dir) {
        println!("{said}");
    }
    if args.no_demo {
        no_camera_notice(data_dir)?;
    } else if let Some(notice) = ensure_a_camera(data_dir)? {
        println!("{notice}");
    }
    // Registered before the engine starts: a signal during start-up stops it right after.
    let signals = Signals::new([signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM])?;
    let engine_start = Instant::now();
    // If a server cannot start, the host has stopped the engine cleanly already.
    let host = EngineHost::start_with(opts)?;
    tracing::debug!(
        engine_start_ms = engine_start.elapsed().as_millis() as u64,
        "engine started"
    );
    print_started(&host);
    let changes = host.changes();
    let stop = Arc::new(AtomicBool::new(false));
    let watcher = watch_signals(signals, Arc::clone(&stop), changes.waker())?;
    let started = Instant::now();
    let mut printer = StatusPrinter::new(status_every);
    printer.show(&host.status());
    while !stop.load(Ordering::Relaxed) {
        let left = limit.map(|l| l.saturating_sub(started.elapsed()));
        if left.is_some_and(|l| l.is_zero()) {
            break;
        }
        let due = printer.due_in().max(MIN_WAIT);
        let wait = left.map_or(due, |l| l.min(due));
        for notice in changes.wait(wait) {
            if let HostNotice::ConfigApplied(c) = notice {
                report_changes(&c);
            }
        }
        printer.show(&host.status());
    }
    // Engine first, then the API (a client stuck in it cannot delay the segments).
    let final_status = host.shutdown();
    watcher.stop();
    let code = exit_code(&final_status);
    println!("stopped; every open segment was finished and indexed");
    Ok(code)
}

/// The shortest wait between two looks at the status (a `--status-every` of almost nothing
/// prints this often at most).
const MIN_WAIT: Duration = Duration::from_millis(100);

/// The start lines: where it records, the disk floor, and where the servers are.
fn print_started(host: &EngineHost) {
    let floor = host.min_free_bytes().map_or_else(String::new, |bytes| {
        let dir = host.data_dir().display();
        format!(
            "; keeping at least {:.2} GB free on {dir}",
            bytes as f64 / 1e9
        )
    });
    println!(
        "recording into {} (Ctrl-C to stop){floor}",
        host.data_dir().display()
    );
    if let Some(addr) = host.api_addr() {
        println!("trigger API on http://{addr}");
    }
    if let Some(line) = host.web_announcement() {
        println!("{line}");
    }
}

/// A thread that turns SIGINT or SIGTERM into `stop` and wakes the main loop at once.
struct SignalWatcher {
    handle: Handle,
    thread: JoinHandle<()>,
}

fn watch_signals(
    mut signals: Signals,
    stop: Arc<AtomicBool>,
    waker: Waker,
) -> anyhow::Result<SignalWatcher> {
    let handle = signals.handle();
    let thread = std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            for _ in signals.forever() {
                stop.store(true, Ordering::Relaxed);
                waker.wake();
            }
        })?;
    Ok(SignalWatcher { handle, thread })
}

impl SignalWatcher {
    fn stop(self) {
        self.handle.close();
        let _ = self.thread.join();
    }
}

/// Prints every camera's state when one changes, and all of them every `every` anyway; and
/// a connection that broke and came back between two looks (a camera that went silent and
/// answered again at once), which a look at the state alone would miss.
struct StatusPrinter {
    every: Duration,
    last_states: Vec<String>,
    last_print: Instant,
    /// Per camera, the time of the last connection error already accounted for.
    errors_seen: HashMap<String, Option<i64>>,
    /// The MQTT line last printed.
    last_mqtt: Option<String>,
}

impl StatusPrinter {
    fn new(every: Duration) -> Self {
        Self {
            every,
            last_states: Vec::new(),
            last_print: Instant::now(),
            errors_seen: HashMap::new(),
            last_mqtt: None,
        }
    }

    /// "MQTT: …" when the broker connection changed (connected, or why not).
    fn show_mqtt(&mut self, status: &EngineStatus) {
        let line = status.mqtt.as_ref().map(mqtt_line);
        if line.is_some() && line != self.last_mqtt {
            if let Some(l) = &line {
                println!("{l}");
            }
        }
        self.last_mqtt = line;
    }

    /// "NAME: ERROR — reconnected" for a camera connected again since a new error.
    fn show_outages(&mut self, status: &EngineStatus) {
        for c in &status.cameras {
            let seen = self.errors_seen.insert(c.name.clone(), c.last_error_us);
            let new_error = seen.is_some_and(|s| s != c.last_error_us);
            if let (true, ConnState::Connected, Some(err)) = (new_error, &c.conn, &c.last_error) {
                println!("{}: {err} — reconnected", c.name);
            }
        }
    }

    /// How long until the periodic print is due.
    fn due_in(&self) -> Duration {
        self.every.saturating_sub(self.last_print.elapsed())
    }

    fn show(&mut self, status: &EngineStatus) {
        self.show_outages(status);
        self.show_mqtt(status);
        let states: Vec<String> = status.cameras.iter().map(state_key).collect();
        if states != self.last_states || self.due_in().is_zero() {
            for c in &status.cameras {
                println!("{}", c.summary());
            }
            self.last_states = states;
            self.last_print = Instant::now();
        }
    }
}

/// 3 when a camera asked to record recorded nothing (each one said on stderr), else 0.
fn exit_code(final_status: &EngineStatus) -> ExitCode {
    let mut code = ExitCode::SUCCESS;
    // Disabled cameras are listed (the app shows them) but were not asked to record.
    for c in final_status
        .cameras
        .iter()
        .filter(|c| c.conn != ConnState::Disabled)
    {
        let offline = c.conn != ConnState::Connected;
        if c.segments_written == 0 && (offline || c.record_error.is_some()) {
            let why = match (&c.record_error, &c.last_error) {
                (Some(rec), _) if !offline => rec.as_str(),
                (_, Some(conn)) => conn.as_str(),
                (Some(rec), None) => rec.as_str(),
                (None, None) => "it never connected",
            };
            eprintln!("camera '{}' recorded nothing: {why}", c.name);
            code = ExitCode::from(3);
        }
    }
    code
}

/// The broker connection in words, e.g. "MQTT: connected to mqtt://10.0.0.5:1883".
fn mqtt_line(m: &vigil_core::service::MqttStatus) -> String {
    match (&m.last_error, m.connected) {
        (_, true) => format!("MQTT: connected to {}", m.broker),
        (Some(why), false) => format!("MQTT: {} {why}; retrying", m.broker),
        (None, false) => format!("MQTT: connecting to {}", m.broker),
    }
}

fn report_changes(c: &ConfigChanges) {
    for (names, what) in [
        (&c.started, "started"),
        (&c.stopped, "stopped"),
        (&c.restarted, "restarted with new settings"),
    ] {
        for name in names {
            println!("{name}: {what}");
        }
    }
}

/// A key that changes when a camera's state is worth printing again.
fn state_key(c: &CameraStatus) -> String {
    let conn = match &c.conn {
        ConnState::Retrying { .. } => "retrying",
        ConnState::Waiting => "waiting",
        ConnState::Connecting => "connecting",
        ConnState::Connected => "connected",
        ConnState::Stopped => "stopped",
        ConnState::Disabled => "disabled",
    };
    format!(
        "{conn}|{}|{:?}|{:?}",
        c.recording, c.last_error, c.stream_notice
    )
}

/// With `--no-demo` and no camera configured, says how to add one (the recorder picks it up
/// while it runs).
fn no_camera_notice(data_dir: &Path) -> anyhow::Result<()> {
    if super::open_library(data_dir)?.cameras()?.is_empty() {
        println!(
            "no cameras configured: add one with `vigil --data-dir {} camera add …`",
            data_dir.display()
        );
    }
    Ok(())
}

/// With no camera configured, adds the built-in demo camera so there is something to see;
/// returns what to tell the user then.
pub fn ensure_a_camera(data_dir: &Path) -> anyhow::Result<Option<&'static str>> {
    let added = super::open_library(data_dir)?.ensure_a_camera()?;
    Ok(added.map(|_| DEMO_NOTICE))
}
