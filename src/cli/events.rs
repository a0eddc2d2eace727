//! `vigil events` (list what happened) and `vigil trigger` (tell the running recorder that
//! something is happening on a camera, like a door sensor would).

use std::path::Path;
use std::process::ExitCode;

use clap::Args;

use vigil_core::events::client::{load_or_create_token, post_trigger, read_addr};
use vigil_core::library::EventQuery;
use vigil_core::model::text::{has_unsafe, printable};
use vigil_core::model::time::{format_rfc3339, parse_duration_us};
use vigil_core::model::{CameraName, EventSource};

#[derive(Args, Debug)]
pub struct EventsArgs {
    #[command(flatten)]
    range: super::RangeArgs,
    /// motion, external, camera or manual
    #[arg(long)]
    source: Option<String>,
    #[arg(long)]
    json: bool,
}

#[derive(Args, Debug)]
pub struct TriggerArgs {
    #[arg(long)]
    camera: String,
    #[arg(long, default_value = "trigger")]
    label: String,
    /// How long the activity lasts (the clip then runs post-event beyond it).
    #[arg(long, default_value = "10s")]
    hold: String,
    /// The API address, if not the one the running instance wrote into the data directory.
    #[arg(long)]
    api: Option<String>,
}

pub fn list(data_dir: &Path, args: &EventsArgs) -> anyhow::Result<ExitCode> {
    let lib = super::open_library(data_dir)?;
    let (camera_id, from_us, to_us) = args.range.resolve(&lib)?;
    let events = lib.events(&EventQuery {
        camera_id,
        from_us,
        to_us,
        source: args.source.as_deref().map(EventSource::parse).transpose()?,
        label: None,
        limit: None,
        newest_first: false,
        ..EventQuery::default()
    })?;
    if args.json {
        super::print_json(&events)?;
        return Ok(ExitCode::SUCCESS);
    }
    if events.is_empty() {
        println!("no events");
    }
    for e in &events {
        let duration = e.end_us.map_or_else(
            || "ongoing".to_string(),
            |end| format!("{:.1} s", (end - e.start_us) as f64 / 1e6),
        );
        println!(
            "{:>6} {:<12} {:<8} {:<16} {:<10} {}  {:>8}  score {:.2}{}",
            e.id,
            e.camera,
            e.source.as_str(),
            printable(&e.label),
            printable(e.zone.as_deref().unwrap_or("-")),
            format_rfc3339(e.start_us),
            duration,
            e.score,
            if e.protected { "  protected" } else { "" }
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub fn trigger(data_dir: &Path, args: &TriggerArgs) -> anyhow::Result<ExitCode> {
    // The running recorder takes the identifier; a display name is looked up here.
    let camera = match CameraName::parse(&args.camera) {
        Ok(id) => id,
        Err(_) => super::open_library(data_dir)?
            .resolve_camera(&args.camera)?
            .name
            .clone(),
    };
    anyhow::ensure!(
        !has_unsafe(&args.label),
        "the label '{}' has control characters; use plain text",
        printable(&args.label)
    );
    let hold_s = parse_duration_us(&args.hold)? as f64 / 1e6;
    let addr = match &args.api {
        Some(a) => a.clone(),
        None => read_addr(data_dir)?,
    };
    let token = load_or_create_token(data_dir)?;
    let reply = post_trigger(&addr, &token, camera.as_str(), &args.label, hold_s)?;
    println!(
        "triggered '{}' on camera '{}' for {hold_s} s (at {})",
        args.label,
        camera,
        reply["start_us"]
            .as_i64()
            .map(format_rfc3339)
            .unwrap_or_default()
    );
    Ok(ExitCode::SUCCESS)
}
