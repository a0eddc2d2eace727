//! `vigil gui`: the desktop app, with the engine running in-process. Plain `vigil` opens it
//! when a display is available and records headless otherwise. When another Vigil already
//! records into the data directory (the system service on /var/lib/vigil, or another
//! window), the app views that library read-only instead (`vigil_app::viewer`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use clap::Args;

use super::run::{self, ApiArgs, EngineArgs, RunArgs};
use vigil_core::host::EngineHost;
use vigil_core::library::lock::{self, LockHolder};
use vigil_core::service::status_snapshot::StateWord;

#[derive(Args, Debug)]
pub struct GuiArgs {
    #[command(flatten)]
    engine: EngineArgs,
    /// Show UI frame times (ms per frame, p50/p95/max), frame rate and live pictures per
    /// second in the corner of the window (F12 toggles it).
    #[arg(long)]
    stats: bool,
    #[command(flatten)]
    api: ApiArgs,
}

impl GuiArgs {
    /// The arguments of a plain `vigil gui`.
    pub fn defaults() -> anyhow::Result<Self> {
        use clap::{Args as _, FromArgMatches};
        let cmd = Self::augment_args(clap::Command::new("gui"));
        Ok(Self::from_arg_matches(&cmd.try_get_matches_from(["gui"])?)?)
    }
}

/// Which data directory the app uses: the one named (`--data-dir`, `VIGIL_DATA_DIR`);
/// else the system recorder's when it runs and this user may read its library; else the
/// user's own.
pub fn choose_data_dir(data_dir: PathBuf, explicit: bool) -> PathBuf {
    if explicit {
        return data_dir;
    }
    let system = lock::system_data_dir();
    let readable = std::fs::File::open(system.join("vigil.db")).is_ok();
    if readable && lock::holder(&system).is_some() {
        println!(
            "the system recorder is running on {}: viewing its library",
            system.display()
        );
        return system;
    }
    data_dir
}

pub fn run(data_dir: &Path, args: &GuiArgs) -> anyhow::Result<ExitCode> {
    if let Some(holder) = lock::holder(data_dir) {
        return view(data_dir, holder, args);
    }
    // Checked before anything is changed or started.
    let opts = run::host_options(data_dir, &args.engine, &args.api)?;
    vigil_core::library::perms::set_group_read(opts.engine.group_read);
    let notice = run::ensure_a_camera(data_dir)?;
    if let Some(n) = notice {
        println!("{n}");
    }
    // If a server cannot start, the host has stopped the engine cleanly already.
    let host = EngineHost::start_with(opts)?;
    println!(
        "desktop app: recording into {}; closing the window stops recording",
        host.data_dir().display()
    );
    if let Some(addr) = host.api_addr() {
        println!("trigger API on http://{addr}");
    }
    if let Some(line) = host.web_announcement() {
        println!("{line}");
    }
    let stop = Arc::new(AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(sig, Arc::clone(&stop))?;
    }
    let notice = notice.map(str::to_string);
    vigil_app::run(Box::new(host), notice, None, args.stats, stop)?;
    println!("stopped; every open segment was finished and indexed");
    Ok(ExitCode::SUCCESS)
}

/// The app over a library another Vigil records into: read-only, nothing started, nothing
/// written into `data_dir`.
fn view(data_dir: &Path, holder: LockHolder, args: &GuiArgs) -> anyhow::Result<ExitCode> {
    println!("{}", recorder_line(&holder));
    let backend = vigil_app::viewer::ViewerBackend::open(data_dir, holder)?;
    // Each with the state its recorder published (stopped when that is unknown).
    let names: Vec<String> = vigil_app::backend::Backend::status(&backend)
        .cameras
        .iter()
        .map(|c| {
            let state = StateWord::of(&c.conn).as_str();
            let recording = if c.recording { ", recording" } else { "" };
            format!("{} ({state}{recording})", c.name)
        })
        .collect();
    println!(
        "desktop app: viewing {} read-only (cameras: {}); recording goes on when the window closes",
        data_dir.display(),
        names.join(", ")
    );
    let state = backend.state();
    let stop = Arc::new(AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(sig, Arc::clone(&stop))?;
    }
    vigil_app::run(Box::new(backend), None, Some(state), args.stats, stop)?;
    Ok(ExitCode::SUCCESS)
}

/// Who records into the data directory, in one line.
fn recorder_line(holder: &LockHolder) -> String {
    let who = if holder.service {
        "the Vigil service"
    } else {
        "another Vigil"
    };
    let pid = holder.pid.map_or_else(|| "?".into(), |p| p.to_string());
    let user = holder.user.as_deref().unwrap_or("?");
    format!(
        "recording into {} is done by {who} (pid {pid}, user {user})",
        holder.data_dir.display()
    )
}

/// Plain `vigil`: the desktop app when there is a display, else the headless recorder. If
/// the window cannot be opened, it says why and records headless instead.
pub fn default_command(data_dir: &Path) -> anyhow::Result<ExitCode> {
    match vigil_app::display() {
        Some(display) => {
            println!("opening the desktop app ({display}); `vigil run` records without a window");
            match run(data_dir, &GuiArgs::defaults()?) {
                Err(e) if e.downcast_ref::<vigil_app::UiError>().is_some() => {
                    eprintln!("{e}; recording headless instead (Ctrl-C to stop)");
                    run::run(data_dir, &RunArgs::defaults()?)
                }
                other => other,
            }
        }
        None => {
            println!(
                "no display (DISPLAY and WAYLAND_DISPLAY are unset): recording headless; \
                 `vigil gui` opens the desktop app where there is a display"
            );
            run::run(data_dir, &RunArgs::defaults()?)
        }
    }
}
