//! `vigil camera list`: every camera with its identifier, display name, state, recording
//! mode, usage and settings, as a table or as JSON.

use std::path::Path;
use std::process::ExitCode;

use serde::Serialize;

use vigil_core::model::objects_form::summary as objects_summary;
use vigil_core::model::secret::mask_url;
use vigil_core::model::text::printable;
use vigil_core::model::{ObjectSettings, Policy, Transport};

use super::camera_onvif::OnvifJson;

#[derive(Serialize)]
struct CameraJson {
    /// The identifier (the same as `id`, kept for scripts written before display names).
    name: String,
    id: String,
    /// The name people see, NFC.
    display_name: String,
    url: String,
    detect_url: Option<String>,
    /// The live sub-stream URL, password masked; `null` when the detect sub-stream serves.
    live_url: Option<String>,
    transport: Transport,
    enabled: bool,
    created_us: i64,
    policy: Policy,
    recordings: u64,
    bytes: u64,
    /// `null` when ONVIF is off.
    onvif: Option<OnvifJson>,
    /// Object detection: `null` when events come from motion alone.
    objects: Option<ObjectSettings>,
}

pub fn list(data_dir: &Path, json: bool) -> anyhow::Result<ExitCode> {
    let lib = super::open_library(data_dir)?;
    let mut rows = Vec::new();
    for cam in lib.cameras()? {
        let (recordings, bytes) = lib.camera_usage(cam.id)?;
        rows.push(CameraJson {
            name: cam.name.to_string(),
            id: cam.name.to_string(),
            display_name: cam.display_name.to_string(),
            url: cam.masked_url(),
            detect_url: cam.detect_url.as_deref().map(mask_url),
            live_url: lib.live_url(cam.id)?.as_deref().map(mask_url),
            transport: cam.transport,
            enabled: cam.enabled,
            created_us: cam.created_us,
            policy: lib.policy(cam.id)?,
            recordings,
            bytes,
            onvif: lib.onvif(cam.id)?.as_ref().map(OnvifJson::new),
            objects: lib.camera_objects(cam.id)?,
        });
    }
    if json {
        super::print_json(&rows)?;
        return Ok(ExitCode::SUCCESS);
    }
    if rows.is_empty() {
        println!("no cameras; add one with: vigil camera add --name NAME --url URL");
    }
    if !rows.is_empty() {
        println!(
            "{:<16} {:<20} {:<8} {:<10} RECORDINGS",
            "ID", "NAME", "STATE", "MODE"
        );
    }
    for c in rows {
        println!(
            "{:<16} {} {:<8} {:<10} {:>6} recordings {:>10.1} MB  {:<18} {}{}{}",
            c.id,
            padded(&printable(&c.display_name), 20),
            if c.enabled { "enabled" } else { "disabled" },
            c.policy.mode.as_str(),
            c.recordings,
            c.bytes as f64 / 1e6,
            OnvifJson::column(c.onvif.as_ref()),
            c.url,
            match &c.live_url {
                Some(l) => format!(" (live: {l})"),
                None => String::new(),
            },
            match &c.objects {
                Some(o) => format!(" (objects: {})", objects_summary(o)),
                None => String::new(),
            }
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `text` padded with spaces to `width` terminal columns (Hangul and Han take two).
fn padded(text: &str, width: usize) -> String {
    let wide = |c: char| matches!(u32::from(c), 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6);
    let used: usize = text.chars().map(|c| if wide(c) { 2 } else { 1 }).sum();
    format!("{text}{}", " ".repeat(width.saturating_sub(used)))
}
