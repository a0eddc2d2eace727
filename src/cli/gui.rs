//! `vigil gui`: the desktop app, with the engine running in-process. Plain `vigil` opens it
//! when a display is available and records headless otherwise.

use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use clap::Args;

use super::run::{self, ApiArgs, EngineArgs, RunArgs};
use vigil_core::host::EngineHost;

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

pub fn run(data_dir: &Path, args: &GuiArgs) -> anyhow::Result<ExitCode> {
    // Checked before anything is changed or started.
    let opts = run::host_options(data_dir, &args.engine, &args.api)?;
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
    vigil_app::run(Box::new(host), notice.map(str::to_string), args.stats, stop)?;
    println!("stopped; every open segment was finished and indexed");
    Ok(ExitCode::SUCCESS)
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
