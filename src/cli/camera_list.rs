//! `vigil camera list`: every camera with its identifier, display name, state, recording
//! mode, usage and settings (its sound, and the sound it sends while a recorder runs it), as
//! a table or as JSON.

use std::path::Path;
use std::process::ExitCode;

use serde::Serialize;

use vigil_core::engine::status::AudioStatus;
use vigil_core::library::lock::holder;
use vigil_core::model::objects_form::summary as objects_summary;
use vigil_core::model::secret::mask_url;
use vigil_core::model::text::printable;
use vigil_core::model::time::now_us;
use vigil_core::model::{ObjectSettings, Policy, Transport};
use vigil_core::service::status_snapshot::StatusSnapshot;

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
    /// The camera's sound is taken in (recorded, listened to).
    audio: bool,
    /// The codec of the sound the camera sends (`aac`, `opus`, `pcm_mulaw`, …), as the
    /// running recorder last saw it; `null` when it sends none or no recorder runs it.
    audio_codec: Option<String>,
    /// The sound in full as the running recorder sees it (rate, channels, problem).
    audio_sent: Option<AudioStatus>,
    /// The table's words for the sound.
    #[serde(skip)]
    audio_text: String,
}

pub fn list(data_dir: &Path, json: bool) -> anyhow::Result<ExitCode> {
    let lib = super::open_library(data_dir)?;
    // What a running recorder saw of each camera (its sound), when one runs.
    let running =
        holder(data_dir).and_then(|h| StatusSnapshot::read_current(data_dir, h.pid, now_us()).ok());
    let mut rows = Vec::new();
    for cam in lib.cameras()? {
        let sent = running
            .as_ref()
            .and_then(|s| s.camera(cam.name.as_str()))
            .map(|c| (c.stream.is_some(), c.audio.clone()));
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
            audio: cam.audio,
            audio_codec: sent
                .as_ref()
                .and_then(|s| s.1.as_ref().map(|a| a.codec.clone())),
            audio_sent: sent.as_ref().and_then(|s| s.1.clone()),
            audio_text: audio_words(cam.audio, sent),
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
            "{:<16} {} {:<8} {:<10} {:>6} recordings {:>10.1} MB  {:<18} {}{}{} ({})",
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
            },
            c.audio_text
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The sound column: what the running recorder saw (`audio: aac 16 kHz mono (recorded)`,
/// `no audio`), else the setting alone (`audio: on`). `sent` is (the stream was seen, the
/// sound it carries) when a recorder runs the camera.
fn audio_words(on: bool, sent: Option<(bool, Option<AudioStatus>)>) -> String {
    let setting = if on { "audio: on" } else { "audio: off" };
    match sent {
        Some((_, Some(a))) => match &a.problem {
            Some(p) => format!("audio: {}: {p}", a.describe()),
            None => format!("audio: {}", a.describe()),
        },
        Some((true, None)) => format!("no audio ({setting})"),
        _ => setting.to_string(),
    }
}

/// `text` padded with spaces to `width` terminal columns (Hangul and Han take two).
fn padded(text: &str, width: usize) -> String {
    let wide = |c: char| matches!(u32::from(c), 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6);
    let used: usize = text.chars().map(|c| if wide(c) { 2 } else { 1 }).sum();
    format!("{text}{}", " ".repeat(width.saturating_sub(used)))
}
