//! `vigil camera …`: add, edit (ONVIF, live sub-stream URL, object detection), list,
//! discover, test, enable, disable and remove cameras.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand};

use vigil_core::model::camera::validate_url;
use vigil_core::model::objects_form::summary as objects_summary;
use vigil_core::model::secret::{mask_url, split_credentials, with_credentials};
use vigil_core::model::text::printable;
use vigil_core::model::time::parse_duration_us;
use vigil_core::model::{CameraName, DisplayName, NewCamera, Policy, RecordMode, Transport};
use vigil_core::source;

use super::camera_objects::ObjectArgs;
use super::camera_onvif::OnvifArgs;

// Parsed once per process: boxing the large `Add` variant would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand, Debug)]
pub enum CameraCmd {
    /// Add a camera.
    Add(AddArgs),
    /// Change a camera's ONVIF settings, its live sub-stream URL, its object detection or
    /// its sound.
    Edit(EditArgs),
    /// List the ONVIF cameras answering on the local networks (WS-Discovery); with a login,
    /// their stream URLs and a ready `vigil camera add` line.
    Discover(super::camera_discover::DiscoverArgs),
    /// List cameras (passwords masked).
    List {
        #[arg(long)]
        json: bool,
    },
    /// Connect to a URL and report codec, resolution and frame rate, or what is wrong.
    Test {
        #[arg(long)]
        url: String,
        #[arg(long, default_value = "tcp")]
        transport: String,
        /// Give up after this long without an answer.
        #[arg(long, default_value = "10s")]
        timeout: String,
    },
    /// Start recording a disabled camera again.
    Enable {
        /// The camera's name or identifier.
        #[arg(long)]
        name: String,
    },
    /// Stop recording a camera, keeping its settings and recordings.
    Disable {
        /// The camera's name or identifier.
        #[arg(long)]
        name: String,
    },
    /// Remove a camera. Refuses if it has recordings, unless --delete-recordings. A running
    /// recorder (`vigil run`, the app) is made to stop it first.
    Remove {
        /// The camera's name or identifier.
        #[arg(long)]
        name: String,
        #[arg(long)]
        delete_recordings: bool,
    },
    /// Change a camera's identifier (in URLs, topics and flags). Its recordings stay where
    /// they are; a running recorder restarts it under the new identifier. (To change the
    /// name people see: `vigil camera edit CAMERA --name NEW`.)
    Rename {
        /// The camera's name or identifier.
        #[arg(long)]
        name: String,
        /// The new identifier: ASCII letters, digits, '-' and '_'.
        #[arg(long)]
        to: String,
    },
}

#[derive(Args, Debug)]
pub struct AddArgs {
    /// The name people see: any text (정문, Einfahrt Süd, 東門).
    #[arg(long)]
    name: String,
    /// The identifier used in folders, URLs, MQTT topics and flags (ASCII letters, digits,
    /// '-' and '_'); derived from --name when not given (정문 → jeongmun).
    #[arg(long)]
    id: Option<String>,
    /// rtsp://, rtsps://, http(s)://, a file path, /dev/videoN or demo://
    #[arg(long)]
    url: String,
    /// A lower-resolution sub-stream for motion detection.
    #[arg(long)]
    detect_url: Option<String>,
    /// A sub-stream for small live tiles only (never recorded or analysed), when it is not
    /// the detect sub-stream (which serves the live view when this is not given).
    #[arg(long)]
    live_url: Option<String>,
    /// User name to put into the URL (keeps it out of shell history when used with --password-env).
    #[arg(long)]
    user: Option<String>,
    /// Name of an environment variable holding the password.
    #[arg(long)]
    password_env: Option<String>,
    /// RTSP transport: tcp or udp.
    #[arg(long, default_value = "tcp")]
    transport: String,
    /// off, continuous, events or both.
    #[arg(long, default_value = "continuous")]
    record: String,
    #[arg(long, default_value_t = 60)]
    segment_seconds: u32,
    #[arg(long, default_value_t = 7.0)]
    retain_days: f64,
    /// Disk cap for continuous recordings of this camera, in GB (10^9 bytes).
    #[arg(long)]
    max_gb: Option<f64>,
    #[arg(long, default_value = "10s")]
    pre_event: String,
    #[arg(long, default_value = "30s")]
    post_event: String,
    #[arg(long, default_value = "5m")]
    max_clip: String,
    #[arg(long, default_value_t = 30.0)]
    event_retain_days: f64,
    /// Add it disabled.
    #[arg(long)]
    disabled: bool,
    /// Take in the camera's sound (record it, listen live): on or off. Recording sound may
    /// be restricted by law where the camera is.
    #[arg(long, default_value = "off", value_parser = parse_on_off, action = clap::ArgAction::Set)]
    audio: bool,
    #[command(flatten)]
    onvif: OnvifArgs,
    #[command(flatten)]
    objects: ObjectArgs,
}

#[derive(Args, Debug)]
pub struct EditArgs {
    /// The camera (its name or identifier); with it, --name is the camera's new name.
    #[arg(value_name = "CAMERA")]
    camera: Option<String>,
    /// The camera (its name or identifier); after CAMERA, its new name (the identifier
    /// stays).
    #[arg(long)]
    name: Option<String>,
    #[command(flatten)]
    onvif: OnvifArgs,
    /// Turn ONVIF off for the camera (its motion comes from Vigil's analyzer again).
    #[arg(long, conflicts_with_all = ["onvif", "onvif_port", "onvif_user", "onvif_password_env", "motion_from"])]
    no_onvif: bool,
    /// A sub-stream for small live tiles only (never recorded or analysed); without a login
    /// of its own it uses the camera's.
    #[arg(long)]
    live_url: Option<String>,
    /// Remove the live sub-stream URL (the detect sub-stream serves the live view again).
    #[arg(long, conflicts_with = "live_url")]
    no_live_url: bool,
    #[command(flatten)]
    objects: ObjectArgs,
    /// Turn object detection off: events on motion alone again.
    #[arg(long, conflicts_with_all = ["objects", "min_score", "min_box", "detector_model", "detector_format", "detector_labels"])]
    no_objects: bool,
    /// Take in the camera's sound (record it, listen live): on or off. Recording sound may
    /// be restricted by law where the camera is.
    #[arg(long, value_parser = parse_on_off)]
    audio: Option<bool>,
}

/// `on` or `off` (also yes/no, true/false) as a flag's value.
fn parse_on_off(raw: &str) -> Result<bool, String> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "on" | "yes" | "true" => Ok(true),
        "off" | "no" | "false" => Ok(false),
        other => Err(format!("'{other}' is neither on nor off")),
    }
}

pub fn run(data_dir: &Path, cmd: CameraCmd) -> anyhow::Result<ExitCode> {
    match cmd {
        CameraCmd::Add(args) => add(data_dir, args),
        CameraCmd::Edit(args) => edit(data_dir, args),
        CameraCmd::Discover(args) => super::camera_discover::discover(args),
        CameraCmd::List { json } => super::camera_list::list(data_dir, json),
        CameraCmd::Test {
            url,
            transport,
            timeout,
        } => test(&url, &transport, &timeout),
        CameraCmd::Enable { name } => set_enabled(data_dir, &name, true),
        CameraCmd::Disable { name } => set_enabled(data_dir, &name, false),
        CameraCmd::Remove {
            name,
            delete_recordings,
        } => super::camera_remove::remove(data_dir, &name, delete_recordings),
        CameraCmd::Rename { name, to } => rename(data_dir, &name, &to),
    }
}

fn rename(data_dir: &Path, name: &str, to: &str) -> anyhow::Result<ExitCode> {
    let to = CameraName::parse(to)?;
    let mut lib = super::open_library(data_dir)?;
    let cam = lib.resolve_camera(name)?;
    let edit = NewCamera {
        name: to,
        url: cam.url,
        detect_url: cam.detect_url,
        transport: cam.transport,
        enabled: cam.enabled,
        audio: cam.audio,
    };
    let renamed = lib.update_camera(cam.id, &edit)?;
    println!(
        "changed the identifier of camera '{}' from '{}' to '{}'",
        printable(renamed.display_name.as_str()),
        cam.name,
        renamed.name
    );
    Ok(ExitCode::SUCCESS)
}

fn secs(text: &str) -> anyhow::Result<u32> {
    let us = parse_duration_us(text)?;
    u32::try_from(us / 1_000_000).context("duration too long")
}

fn policy_from(args: &AddArgs) -> anyhow::Result<Policy> {
    let max_bytes = match args.max_gb {
        Some(gb) if gb.is_finite() && gb > 0.0 => Some((gb * 1e9) as u64),
        Some(gb) => anyhow::bail!("--max-gb {gb} must be more than 0"),
        None => None,
    };
    Ok(Policy {
        mode: RecordMode::parse(&args.record)?,
        segment_s: args.segment_seconds,
        retain_days: args.retain_days,
        max_bytes,
        pre_event_s: secs(&args.pre_event)?,
        post_event_s: secs(&args.post_event)?,
        max_clip_s: secs(&args.max_clip)?,
        event_retain_days: args.event_retain_days,
    })
}

fn add(data_dir: &Path, args: AddArgs) -> anyhow::Result<ExitCode> {
    let display = DisplayName::parse(&args.name)?;
    let asked_id = args.id.as_deref().map(CameraName::parse).transpose()?;
    let policy = policy_from(&args)?;
    let onvif = args.onvif.settings(None)?;
    let objects = args.objects.settings(None)?;
    let mut url = args.url.trim().to_string();
    let mut detect_url = args.detect_url.as_deref().map(|u| u.trim().to_string());
    let mut live_url = args.live_url.as_deref().map(|u| u.trim().to_string());
    if let Some(user) = &args.user {
        let password = match &args.password_env {
            Some(var) => std::env::var(var)
                .with_context(|| format!("environment variable {var} is not set"))?,
            None => String::new(),
        };
        url = with_credentials(&url, user, &password).map_err(anyhow::Error::msg)?;
        // The sub-streams are the same camera: the same login, unless a URL has its own.
        for d in [&mut detect_url, &mut live_url] {
            if let Some(d) = d.as_mut().filter(|d| split_credentials(d).1.is_empty()) {
                *d = with_credentials(d, user, &password).map_err(anyhow::Error::msg)?;
            }
        }
    }
    if let Some(l) = &live_url {
        validate_url(l)?;
    }
    let mut lib = super::open_library(data_dir)?;
    let name = match asked_id {
        Some(id) => id,
        None => lib.new_camera_id(display.as_str())?,
    };
    let cam = NewCamera {
        name,
        url,
        detect_url,
        transport: Transport::parse(&args.transport)?,
        enabled: !args.disabled,
        audio: args.audio,
    };
    let added = lib.add_camera_named(&cam, &display, &policy)?;
    if let Some(onvif) = &onvif {
        lib.set_onvif(added.id, Some(onvif))?;
    }
    if let Some(l) = &live_url {
        lib.set_live_url(added.id, Some(l))?;
    }
    if let Some(o) = &objects {
        lib.set_camera_objects(added.id, Some(o))?;
    }
    println!(
        "added camera '{}' (id {}, {}), recording {}{}{}{}{}",
        printable(added.display_name.as_str()),
        added.name,
        added.masked_url(),
        policy.mode.as_str(),
        if added.audio { " with sound" } else { "" },
        match &live_url {
            Some(l) => format!(", live sub-stream {}", mask_url(l)),
            None => String::new(),
        },
        match &onvif {
            Some(o) => format!(
                ", ONVIF on port {} (motion from {})",
                o.port,
                o.motion_from.as_str()
            ),
            None => String::new(),
        },
        match &objects {
            Some(o) => format!(", events only on {}", objects_summary(o)),
            None => String::new(),
        }
    );
    Ok(ExitCode::SUCCESS)
}

fn edit(data_dir: &Path, args: EditArgs) -> anyhow::Result<ExitCode> {
    let mut lib = super::open_library(data_dir)?;
    let (which, new_name) = match (&args.camera, &args.name) {
        (Some(camera), name) => (camera, name.as_deref()),
        (None, Some(name)) => (name, None),
        (None, None) => anyhow::bail!("say which camera: vigil camera edit CAMERA …"),
    };
    let cam = lib.resolve_camera(which)?;
    let new_name = new_name.map(DisplayName::parse).transpose()?;
    // Every flag is checked before anything is stored.
    let objects = if args.no_objects {
        Some(None)
    } else {
        let current = lib.camera_objects(cam.id)?;
        args.objects.settings(current.as_ref())?.map(Some)
    };
    let onvif = if args.no_onvif {
        None
    } else {
        args.onvif.settings(lib.onvif(cam.id)?.as_ref())?
    };
    let mut changed = false;
    if let Some(display) = &new_name {
        let renamed = lib.set_camera_display_name(cam.id, display)?;
        println!(
            "camera '{}' is now named '{}' (id {})",
            printable(cam.display_name.as_str()),
            printable(renamed.display_name.as_str()),
            renamed.name
        );
        changed = true;
    }
    changed |= edit_live_url(&mut lib, &cam, &args)?;
    if let Some(on) = args.audio {
        lib.set_camera_audio(cam.id, on)?;
        println!(
            "camera '{}': sound {}",
            cam.name,
            if on { "on (recorded)" } else { "off" }
        );
        changed = true;
    }
    if let Some(objects) = objects {
        lib.set_camera_objects(cam.id, objects.as_ref())?;
        match &objects {
            Some(o) => println!(
                "camera '{}': events only on {}",
                cam.name,
                objects_summary(o)
            ),
            None => println!(
                "camera '{}': no object detection (events on motion)",
                cam.name
            ),
        }
        changed = true;
    }
    if args.no_onvif {
        lib.set_onvif(cam.id, None)?;
        println!("camera '{}': ONVIF off", cam.name);
        return Ok(ExitCode::SUCCESS);
    }
    let Some(onvif) = onvif else {
        if changed {
            return Ok(ExitCode::SUCCESS);
        }
        anyhow::bail!(
            "nothing to change: give CAMERA --name NEW, --onvif (with its settings), \
             --no-onvif, --live-url, --no-live-url, --objects (with its settings), \
             --no-objects or --audio on|off"
        );
    };
    lib.set_onvif(cam.id, Some(&onvif))?;
    println!(
        "camera '{}': ONVIF on port {}, motion from {}",
        cam.name,
        onvif.port,
        onvif.motion_from.as_str()
    );
    Ok(ExitCode::SUCCESS)
}

/// Sets or removes the camera's live sub-stream URL when asked (a URL without a login of its
/// own gets the camera's); answers whether it was asked.
fn edit_live_url(
    lib: &mut vigil_core::library::Library,
    cam: &vigil_core::model::Camera,
    args: &EditArgs,
) -> anyhow::Result<bool> {
    if args.no_live_url {
        lib.set_live_url(cam.id, None)?;
        println!(
            "camera '{}': no live sub-stream URL (the detect sub-stream serves the live view)",
            cam.name
        );
        return Ok(true);
    }
    let Some(url) = args.live_url.as_deref().map(str::trim) else {
        return Ok(false);
    };
    validate_url(url)?;
    let (_, user, password) = split_credentials(&cam.url);
    let url = if split_credentials(url).1.is_empty() && !user.is_empty() {
        with_credentials(url, &user, &password).map_err(anyhow::Error::msg)?
    } else {
        url.to_string()
    };
    lib.set_live_url(cam.id, Some(&url))?;
    println!("camera '{}': live sub-stream {}", cam.name, mask_url(&url));
    Ok(true)
}

fn set_enabled(data_dir: &Path, name: &str, enabled: bool) -> anyhow::Result<ExitCode> {
    let mut lib = super::open_library(data_dir)?;
    let cam = lib.resolve_camera(name)?;
    lib.set_camera_enabled(cam.name.as_str(), enabled)?;
    println!(
        "camera '{}' {}",
        printable(cam.display_name.as_str()),
        if enabled { "enabled" } else { "disabled" }
    );
    Ok(ExitCode::SUCCESS)
}

fn test(url: &str, transport: &str, timeout: &str) -> anyhow::Result<ExitCode> {
    let timeout = std::time::Duration::from_micros(parse_duration_us(timeout)? as u64);
    let found = source::probe::test_connection(url, Transport::parse(transport)?, timeout)?;
    println!("{}: {found}", found.url);
    Ok(ExitCode::SUCCESS)
}
