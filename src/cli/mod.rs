//! Command-line definitions and dispatch. Each subcommand lives in its own module and talks
//! to the engine library; this is the only layer that uses `anyhow`.

mod bench;
mod bookmark;
mod camera;
mod camera_discover;
mod camera_list;
mod camera_objects;
mod camera_onvif;
mod camera_remove;
mod config;
mod docs;
mod events;
mod export;
mod gui;
mod integrity;
mod key;
mod layout;
mod mqtt;
mod prompt;
mod recordings;
mod recordings_gaps;
mod run;
mod search;
mod trigger_source;
mod user;
mod verify;
mod zone;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;

use vigil_core::library::{default_data_dir, Library};

#[derive(Parser, Debug)]
#[command(name = "vigil", version, about = "Vigil network video recorder")]
pub struct Cli {
    /// Where the library and recordings live [default: the platform data dir, e.g. ~/.local/share/vigil]
    #[arg(long, env = "VIGIL_DATA_DIR", global = true)]
    pub data_dir: Option<PathBuf>,
    /// More log output (-v: debug, -vv: trace). RUST_LOG overrides.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
    #[command(subcommand)]
    pub command: Option<Command>,
}

// Parsed once per process: boxing the large `Camera` variant would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Add, edit, list, discover, test, enable, disable or remove cameras.
    #[command(subcommand)]
    Camera(camera::CameraCmd),
    /// Open the desktop app (live camera tiles); recording runs while it is open.
    /// Plain `vigil` does this when a display is available.
    Gui(gui::GuiArgs),
    /// Record all enabled cameras until Ctrl-C, SIGTERM or --for elapses, without a window.
    Run(run::RunArgs),
    /// List recordings.
    Recordings(recordings::RecordingsArgs),
    /// Make the library and the files on disk agree (what start-up does after a crash);
    /// with --integrity, prove the recordings unaltered (hashes, signed chain), reading only.
    Check(recordings::CheckArgs),
    /// Add, edit, list or remove motion zones and masks (and a zone's own object list).
    #[command(subcommand)]
    Zone(zone::ZoneCmd),
    /// The live view's saved layouts: list, show or remove.
    #[command(subcommand)]
    Layout(layout::LayoutCmd),
    /// Bookmark a moment or a range on a camera (name, note, protect); list, remove.
    #[command(subcommand)]
    Bookmark(bookmark::BookmarkCmd),
    /// List events (motion, triggers).
    Events(events::EventsArgs),
    /// Tell the running recorder something is happening on a camera (like a door sensor).
    Trigger(events::TriggerArgs),
    /// The MQTT broker Vigil talks to: set, show or turn off.
    #[command(subcommand)]
    Mqtt(mqtt::MqttCmd),
    /// Messages from outside (MQTT topics) that start a camera's events: add, list, remove.
    #[command(subcommand)]
    TriggerSource(trigger_source::TriggerSourceCmd),
    /// Write a camera's recordings over a time range (or one event) to one MP4, without
    /// re-encoding.
    Export(export::ExportArgs),
    /// This installation's signing key, which signs export manifests: show.
    #[command(subcommand)]
    Key(key::KeyCmd),
    /// Check an exported video against its signed manifest (no library needed): says
    /// "authentic" or exactly what does not match.
    Verify(verify::VerifyArgs),
    /// Search the recordings: `search motion` lists the moments with motion in a region of
    /// a camera's picture.
    #[command(subcommand)]
    Search(search::SearchCmd),
    /// Add, list or remove web viewer accounts, or change their passwords.
    #[command(subcommand)]
    User(user::UserCmd),
    /// Back up or restore the site's configuration (cameras, policies, zones, trigger
    /// sources, MQTT, users) as one JSON file: export, import.
    #[command(subcommand)]
    Config(config::ConfigCmd),
    /// Benchmarks that compare Vigil with a baseline in the same run.
    #[command(subcommand)]
    Bench(bench::BenchCmd),
    /// Print a shell completion script (bash, zsh or fish), e.g.
    /// `vigil completions bash > ~/.local/share/bash-completion/completions/vigil`.
    Completions(docs::CompletionsArgs),
    /// Write the man pages (vigil.1 and one per subcommand) into a folder.
    #[command(hide = true)]
    Manpages(docs::ManpagesArgs),
}

pub fn init_logging(cli: &Cli) {
    let quiet_default = !matches!(cli.command, Some(Command::Run(_) | Command::Gui(_)) | None);
    let level = match (cli.verbose, quiet_default) {
        (0, true) => "warn",
        (0, false) => "info",
        (1, _) => "debug",
        _ => "trace",
    };
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new(format!("vigil={level},warn")));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false)
        .init();
}

pub fn dispatch(cli: Cli) -> anyhow::Result<ExitCode> {
    let explicit_data_dir = cli.data_dir.is_some();
    let data_dir = cli.data_dir.unwrap_or_else(default_data_dir);
    let app = match cli.command {
        Some(Command::Gui(_)) => true,
        None => vigil_app::display().is_some(),
        _ => false,
    };
    if app {
        // The app views the system recorder's library when it runs (gui.rs).
        let data_dir = gui::choose_data_dir(data_dir, explicit_data_dir);
        return match cli.command {
            Some(Command::Gui(args)) => gui::run(&data_dir, &args),
            _ => gui::default_command(&data_dir),
        };
    }
    match cli.command {
        Some(Command::Camera(cmd)) => camera::run(&data_dir, cmd),
        Some(Command::Gui(args)) => gui::run(&data_dir, &args),
        Some(Command::Run(args)) => run::run(&data_dir, &args),
        Some(Command::Recordings(args)) => {
            quiet_on_closed_pipe();
            recordings::list(&data_dir, &args)
        }
        Some(Command::Check(args)) => recordings::check(&data_dir, &args),
        Some(Command::Zone(cmd)) => zone::run(&data_dir, cmd),
        Some(Command::Layout(cmd)) => layout::run(&data_dir, cmd),
        Some(Command::Events(args)) => {
            quiet_on_closed_pipe();
            events::list(&data_dir, &args)
        }
        Some(Command::Bookmark(cmd)) => bookmark::run(&data_dir, cmd),
        Some(Command::Trigger(args)) => events::trigger(&data_dir, &args),
        Some(Command::Mqtt(cmd)) => mqtt::run(&data_dir, cmd),
        Some(Command::TriggerSource(cmd)) => trigger_source::run(&data_dir, cmd),
        Some(Command::Export(args)) => export::run(&data_dir, &args),
        Some(Command::Key(cmd)) => key::run(&data_dir, cmd),
        Some(Command::Verify(args)) => verify::run(&data_dir, &args),
        Some(Command::Search(cmd)) => {
            quiet_on_closed_pipe();
            search::run(&data_dir, cmd)
        }
        Some(Command::User(cmd)) => user::run(&data_dir, cmd),
        Some(Command::Config(cmd)) => config::run(&data_dir, cmd),
        Some(Command::Bench(cmd)) => bench::run(cmd),
        Some(Command::Completions(args)) => docs::completions(&args),
        Some(Command::Manpages(args)) => docs::manpages(&args),
        None => gui::default_command(&data_dir),
    }
}

/// For commands that only print a listing: `vigil recordings | head` ends quietly when the
/// reader goes, like other command-line tools (the default SIGPIPE action), instead of
/// panicking in `println!`. Not for commands that talk to cameras or serve HTTP, where a
/// closed socket must be an error, not the end of the process.
fn quiet_on_closed_pipe() {
    // SAFETY: restores the default disposition of one signal before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

/// The `--camera`, `--from` and `--to` filters shared by listing commands.
#[derive(clap::Args, Debug)]
pub struct RangeArgs {
    #[arg(long)]
    camera: Option<String>,
    /// RFC 3339, e.g. 2026-11-25T03:00:00Z
    #[arg(long)]
    from: Option<String>,
    /// RFC 3339
    #[arg(long)]
    to: Option<String>,
}

impl RangeArgs {
    /// Resolves to (camera id, from µs, to µs), checking the camera exists and from < to.
    pub fn resolve(
        &self,
        lib: &Library,
    ) -> anyhow::Result<(Option<i64>, Option<i64>, Option<i64>)> {
        use vigil_core::model::time::parse_rfc3339;
        let camera_id = match &self.camera {
            Some(name) => Some(lib.resolve_camera(name)?.id),
            None => None,
        };
        let from_us = self.from.as_deref().map(parse_rfc3339).transpose()?;
        let to_us = self.to.as_deref().map(parse_rfc3339).transpose()?;
        if let (Some(f), Some(t)) = (from_us, to_us) {
            anyhow::ensure!(f < t, "--from must be before --to");
        }
        Ok((camera_id, from_us, to_us))
    }
}

pub fn open_library(data_dir: &std::path::Path) -> anyhow::Result<Library> {
    Ok(Library::open(data_dir)?)
}

/// Prints a value as pretty JSON on stdout. A closed pipe (`| head`) is not an error.
pub fn print_json(value: &impl serde::Serialize) -> anyhow::Result<()> {
    use std::io::Write;
    let text = serde_json::to_string_pretty(value)?;
    let mut out = std::io::stdout().lock();
    match writeln!(out, "{text}") {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}
