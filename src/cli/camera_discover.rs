//! `vigil camera discover`: the ONVIF cameras that answer a WS-Discovery probe on the local
//! networks; with a login, each one's model and main / sub-stream URLs (without the
//! password) and a ready `vigil camera add` line.

use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use serde::Serialize;

use vigil_core::events::onvif::device::{self, DeviceInfo};
use vigil_core::events::onvif::discovery::{self, Found};
use vigil_core::events::onvif::Credentials;
use vigil_core::model::secret::split_credentials;
use vigil_core::model::time::parse_duration_us;

/// How long each camera's ONVIF service has to answer one request.
const ASK_TIMEOUT: Duration = Duration::from_secs(5);
const MAX_TIMEOUT_US: i64 = 60_000_000;

#[derive(Args, Debug)]
pub struct DiscoverArgs {
    /// How long to wait for answers.
    #[arg(long, default_value = "3s")]
    timeout: String,
    #[arg(long)]
    json: bool,
    /// ONVIF user: with it each camera is asked for its model and stream URLs.
    #[arg(long)]
    user: Option<String>,
    /// Name of an environment variable holding the ONVIF password.
    #[arg(long, value_name = "VAR", requires = "user")]
    password_env: Option<String>,
}

/// One camera as listed.
#[derive(Serialize)]
struct Listed {
    #[serde(flatten)]
    found: Found,
    device_url: String,
    onvif_port: Option<u16>,
    /// A valid camera name made from its name scope.
    suggested_name: String,
    /// With a login: what it says it is.
    device: Option<DeviceInfo>,
    main_url: Option<String>,
    sub_url: Option<String>,
    /// With a login: why the camera could not be asked, as a sentence.
    error: Option<String>,
    /// With a login and its URLs: the command that adds it.
    add_command: Option<String>,
}

pub fn discover(args: DiscoverArgs) -> anyhow::Result<ExitCode> {
    let timeout_us = parse_duration_us(&args.timeout)?;
    if !(1..=MAX_TIMEOUT_US).contains(&timeout_us) {
        anyhow::bail!(
            "--timeout {} must be more than 0 and at most 60s",
            args.timeout
        );
    }
    let timeout = Duration::from_micros(timeout_us as u64);
    let login = match &args.user {
        Some(user) => Some(Credentials {
            user: user.clone(),
            password: match &args.password_env {
                Some(var) => std::env::var(var)
                    .with_context(|| format!("environment variable {var} is not set"))?,
                None => String::new(),
            },
        }),
        None => None,
    };
    let found = discovery::discover(timeout)?;
    let listed: Vec<Listed> = std::thread::scope(|scope| {
        let asks: Vec<_> = found
            .into_iter()
            .map(|f| scope.spawn(|| ask(f, login.as_ref(), &args)))
            .collect();
        asks.into_iter().filter_map(|a| a.join().ok()).collect()
    });
    if listed.is_empty() {
        let none = format!(
            "{} Try a longer --timeout, or add the camera with `vigil camera add --url …`.",
            discovery::nothing_found(timeout)
        );
        if args.json {
            super::print_json(&listed)?;
            eprintln!("{none}");
        } else {
            println!("{none}");
        }
        return Ok(ExitCode::SUCCESS);
    }
    if args.json {
        super::print_json(&listed)?;
    } else {
        print_text(&listed, login.is_some());
    }
    Ok(ExitCode::SUCCESS)
}

/// What `found` is, asked over ONVIF when there is a login.
fn ask(found: Found, login: Option<&Credentials>, args: &DiscoverArgs) -> Listed {
    let mut listed = Listed {
        device_url: found.device_url().to_string(),
        onvif_port: found.onvif_port(),
        suggested_name: found.camera_name(),
        found,
        device: None,
        main_url: None,
        sub_url: None,
        error: None,
        add_command: None,
    };
    let Some(creds) = login else {
        return listed;
    };
    let url = listed.device_url.clone();
    match device::device_info(&url, Some(creds), ASK_TIMEOUT) {
        Ok(info) => listed.device = Some(info),
        Err(e) => tracing::debug!(device = %url, error = %e, "no device information"),
    }
    match device::stream_uris(&url, Some(creds), ASK_TIMEOUT) {
        Ok(streams) => {
            // A camera may put its login into the URLs it gives: never show it.
            let main = split_credentials(&streams.main).0;
            let sub = streams.sub.as_deref().map(|s| split_credentials(s).0);
            listed.add_command = Some(add_command(&listed, &main, sub.as_deref(), args));
            listed.main_url = Some(main);
            listed.sub_url = sub;
        }
        Err(e) => listed.error = Some(format!("{}: {e}", listed.device_url)),
    }
    listed
}

/// `vigil camera add --name … --url … [--detect-url …] --user … [--password-env …] --onvif …`
fn add_command(listed: &Listed, main: &str, sub: Option<&str>, args: &DiscoverArgs) -> String {
    let mut cmd = format!(
        "vigil camera add --name {} --url {}",
        quote(&listed.suggested_name),
        quote(main)
    );
    if let Some(sub) = sub {
        cmd += &format!(" --detect-url {}", quote(sub));
    }
    if let Some(user) = &args.user {
        cmd += &format!(" --user {}", quote(user));
    }
    if let Some(var) = &args.password_env {
        cmd += &format!(" --password-env {}", quote(var));
    }
    cmd += " --onvif";
    match listed.onvif_port {
        Some(80) | None => {}
        Some(port) => cmd += &format!(" --onvif-port {port}"),
    }
    cmd
}

/// `text` as one shell word.
fn quote(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:@=%+,".contains(c));
    if plain {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

fn print_text(listed: &[Listed], with_login: bool) {
    for l in listed {
        let model = match &l.device {
            Some(d) => format!("{} {}", d.manufacturer, d.model).trim().to_string(),
            None => l.found.hardware.clone().unwrap_or_else(|| "-".into()),
        };
        println!(
            "{:<20} {:<20} {:<16} {}",
            l.found.name.as_deref().unwrap_or("(no name)"),
            model,
            l.found.host,
            l.device_url
        );
        if let Some(location) = &l.found.location {
            println!("    location: {location}");
        }
        if let Some(main) = &l.main_url {
            println!("    main stream: {main}");
        }
        if let Some(sub) = &l.sub_url {
            println!("    sub-stream:  {sub}");
        }
        if let Some(e) = &l.error {
            println!("    cannot read its streams: {e}");
        }
        if let Some(cmd) = &l.add_command {
            println!("    add it with: {cmd}");
        }
    }
    if !with_login {
        println!(
            "give --user USER --password-env VAR to read each camera's stream URLs and get a \
             ready `vigil camera add` line"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn quoting_makes_one_shell_word() {
        assert_eq!(
            quote("rtsp://10.0.0.2:554/Streaming/101"),
            "rtsp://10.0.0.2:554/Streaming/101"
        );
        assert_eq!(quote("a b"), "'a b'");
        assert_eq!(quote("it's"), r"'it'\''s'");
        assert_eq!(quote("x?y=1&z=2"), "'x?y=1&z=2'");
        assert_eq!(quote(""), "''");
    }
}
