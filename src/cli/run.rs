//! `vigil run`: the headless recorder. Records every enabled camera until Ctrl-C, SIGTERM or
//! `--for`, printing each camera's state as it changes; stops cleanly, finishing open segments.

use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Args;

use vigil_core::engine::status::ConnState;
use vigil_core::engine::{Engine, EngineOptions};
use vigil_core::events::client::{load_or_create_token, remove_addr, write_addr};
use vigil_core::events::http::ApiServer;
use vigil_core::library::DEMO_NOTICE;
use vigil_core::model::time::parse_duration_us;

/// Engine options shared by `run` and `gui`.
#[derive(Args, Debug)]
pub struct EngineArgs {
    /// Keep at least this much free disk, in GB; the oldest recordings go first.
    #[arg(long)]
    min_free_gb: Option<f64>,
    /// Frames per second the motion analyzer looks at.
    #[arg(long, default_value_t = 5.0)]
    analysis_fps: f64,
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
        Ok(opts)
    }
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
    /// Serve the trigger API (POST /api/v1/cameras/{name}/trigger) on this address.
    /// The token is VIGIL_API_TOKEN, or the data directory's api-token file.
    #[arg(long, num_args = 0..=1, default_missing_value = "127.0.0.1:8089")]
    api: Option<String>,
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
    // Before anything opens the library (which would tighten them quietly).
    for said in vigil_core::library::perms::tighten(data_dir) {
        println!("{said}");
    }
    if let Some(notice) = ensure_a_camera(data_dir)? {
        println!("{notice}");
    }
    let opts = args.engine.options(data_dir)?;
    let stop = Arc::new(AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(sig, Arc::clone(&stop))?;
    }
    let engine_start = Instant::now();
    let mut engine = Engine::start(opts)?;
    tracing::debug!(
        engine_start_ms = engine_start.elapsed().as_millis() as u64,
        "engine started"
    );
    let floor = engine.min_free_bytes().map_or_else(String::new, |bytes| {
        let dir = engine.data_dir().display();
        format!(
            "; keeping at least {:.2} GB free on {dir}",
            bytes as f64 / 1e9
        )
    });
    println!(
        "recording into {} (Ctrl-C to stop){floor}",
        engine.data_dir().display()
    );
    // From here on, a failure still stops the engine cleanly (open segments finished, indexed).
    let api = match args
        .api
        .as_deref()
        .map(|a| start_api(&engine, a))
        .transpose()
    {
        Ok(api) => api,
        Err(e) => {
            engine.shutdown();
            return Err(e);
        }
    };
    let started = Instant::now();
    let mut last_states: Vec<String> = Vec::new();
    let mut last_print = Instant::now();
    let mut last_reload = Instant::now();
    while !stop.load(Ordering::Relaxed) && limit.is_none_or(|l| started.elapsed() < l) {
        std::thread::sleep(Duration::from_millis(100));
        if last_reload.elapsed() >= RELOAD_EVERY {
            last_reload = Instant::now();
            // A failure here (database busy, say) must not end the recording: retry later.
            match engine.apply_config() {
                Ok(changes) => report_changes(&changes),
                Err(e) => tracing::warn!(error = %e, "cannot apply camera changes yet"),
            }
        }
        let status = engine.status();
        let states: Vec<String> = status.cameras.iter().map(state_key).collect();
        if states != last_states || last_print.elapsed() >= status_every {
            for c in &status.cameras {
                println!("{}", c.summary());
            }
            last_states = states;
            last_print = Instant::now();
        }
    }
    let final_status = engine.status();
    // The engine first: a client stuck in the API cannot delay its segments; the API's stop
    // is bounded (a request in flight gets 2 s).
    if api.is_some() {
        remove_addr(engine.data_dir());
    }
    engine.shutdown();
    if let Some(server) = api {
        server.stop();
    }
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
    println!("stopped; every open segment was finished and indexed");
    Ok(code)
}

/// Starts the trigger API and records its address for `vigil trigger`.
fn start_api(engine: &Engine, addr: &str) -> anyhow::Result<ApiServer> {
    let token = load_or_create_token(engine.data_dir())?;
    let server = ApiServer::start(addr, token, engine.bus())?;
    write_addr(engine.data_dir(), &server.addr().to_string())?;
    println!("trigger API on http://{}", server.addr());
    Ok(server)
}

/// How often `run` picks up cameras added, changed or removed by other `vigil` commands.
const RELOAD_EVERY: Duration = Duration::from_secs(2);

fn report_changes(c: &vigil_core::engine::ConfigChanges) {
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
fn state_key(c: &vigil_core::engine::status::CameraStatus) -> String {
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

/// With no camera configured, adds the built-in demo camera so there is something to see;
/// returns what to tell the user then.
pub fn ensure_a_camera(data_dir: &Path) -> anyhow::Result<Option<&'static str>> {
    let added = super::open_library(data_dir)?.ensure_a_camera()?;
    Ok(added.map(|_| DEMO_NOTICE))
}
