//! `vigil mqtt …`: the MQTT broker Vigil talks to (set, show, off). The password comes from
//! an environment variable (`--password-env VAR`) or is typed twice on the terminal
//! (`--password-prompt`); it is never an argument (others could read it in the process list)
//! and is shown only as `********`. `set` on stored settings changes only what is given.

use std::path::Path;
use std::process::ExitCode;

use anyhow::bail;
use clap::{Args, Subcommand};
use serde::Serialize;

use vigil_core::library::Library;
use vigil_core::model::text::printable;
use vigil_core::model::{Broker, MqttSettings};

use super::trigger_source::{print_sources, SourceJson};

#[derive(Subcommand, Debug)]
pub enum MqttCmd {
    /// Turn MQTT on, or change its settings (only what is given changes).
    Set(SetArgs),
    /// Show the broker settings (password masked) and the trigger sources.
    Show {
        #[arg(long)]
        json: bool,
    },
    /// Turn MQTT off: forget the broker and its password (trigger sources are kept).
    Off,
}

#[derive(Args, Debug)]
pub struct SetArgs {
    /// mqtt://HOST[:1883] or mqtts://HOST[:8883] (TLS). Needed to turn MQTT on.
    #[arg(long, value_name = "URL")]
    broker: Option<String>,
    /// The user to log in to the broker as.
    #[arg(long, conflicts_with = "no_user")]
    user: Option<String>,
    /// Log in without a user (and so without a password: pass --no-password too).
    #[arg(long)]
    no_user: bool,
    /// Read the broker password from this environment variable.
    #[arg(long, value_name = "VAR", group = "password")]
    password_env: Option<String>,
    /// Ask for the broker password on the terminal (typed twice, not shown).
    #[arg(long, group = "password")]
    password_prompt: bool,
    /// Forget the stored password.
    #[arg(long, group = "password")]
    no_password: bool,
    /// The client id Vigil connects with [default: vigil].
    #[arg(long, value_name = "ID")]
    client_id: Option<String>,
    /// What the topics Vigil publishes start with [default: vigil].
    #[arg(long, value_name = "PREFIX")]
    topic_prefix: Option<String>,
    /// Publish Home Assistant discovery documents (the default when MQTT is turned on).
    #[arg(long, conflicts_with = "no_ha_discovery")]
    ha_discovery: bool,
    /// Do not publish Home Assistant discovery documents.
    #[arg(long)]
    no_ha_discovery: bool,
}

/// What `vigil mqtt show --json` prints. The same keys whether MQTT is on or off (`null`
/// when off); `password` is `"********"` or `null`, never the password.
#[derive(Serialize)]
struct MqttJson {
    on: bool,
    broker: Option<String>,
    tls: Option<bool>,
    host: Option<String>,
    port: Option<u16>,
    user: Option<String>,
    password: Option<&'static str>,
    client_id: Option<String>,
    topic_prefix: Option<String>,
    ha_discovery: Option<bool>,
    trigger_sources: Vec<SourceJson>,
}

pub fn run(data_dir: &Path, cmd: MqttCmd) -> anyhow::Result<ExitCode> {
    let mut lib = super::open_library(data_dir)?;
    match cmd {
        MqttCmd::Set(args) => set(&mut lib, &args)?,
        MqttCmd::Show { json } => show(&lib, json)?,
        MqttCmd::Off => {
            if lib.clear_mqtt_settings()? {
                let kept = lib.trigger_sources(None)?.len();
                println!("MQTT is off: the broker settings and password are forgotten");
                if kept > 0 {
                    println!(
                        "kept {}: they work again once MQTT is turned on with `vigil mqtt set`",
                        sources(kept)
                    );
                }
            } else {
                println!("MQTT was already off");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Whether MQTT is on, for the trigger-source commands' notes.
pub fn is_on(lib: &Library) -> anyhow::Result<bool> {
    Ok(lib.mqtt_settings()?.is_some())
}

/// The line that says how to turn MQTT on.
pub const TURN_ON_HINT: &str = "turn it on with `vigil mqtt set --broker mqtt://HOST:1883`";

fn set(lib: &mut Library, args: &SetArgs) -> anyhow::Result<()> {
    let mut settings = match (lib.mqtt_settings()?, &args.broker) {
        (Some(mut s), Some(b)) => {
            s.broker = Broker::parse(b)?;
            s
        }
        (Some(s), None) => s,
        (None, Some(b)) => MqttSettings::new(Broker::parse(b)?),
        (None, None) => bail!("MQTT is off; give the broker to turn it on: --broker mqtt://HOST:1883 (or mqtts://HOST:8883 for TLS)"),
    };
    if let Some(user) = &args.user {
        settings.user = Some(user.clone());
    }
    if args.no_user {
        settings.user = None;
    }
    if let Some(id) = &args.client_id {
        settings.client_id = id.trim().to_string();
    }
    if let Some(prefix) = &args.topic_prefix {
        settings.topic_prefix = prefix.trim().to_string();
    }
    if args.ha_discovery {
        settings.ha_discovery = true;
    }
    if args.no_ha_discovery {
        settings.ha_discovery = false;
    }
    if args.no_password {
        settings.password = None;
    }
    if let Some(var) = &args.password_env {
        settings.password = Some(password_from_env(var)?);
    }
    if args.password_prompt {
        // Everything else is checked first: nobody types a password for a refused command.
        let mut check = settings.clone();
        check.password = Some(String::new());
        check.validate()?;
        settings.password = Some(super::prompt::secret_typed_twice(
            "MQTT password",
            "--password-env VAR",
        )?);
    }
    lib.set_mqtt_settings(&settings)?;
    println!("saved the MQTT settings; a running recorder uses them within a few seconds:");
    print_settings(&settings);
    Ok(())
}

/// The password in the environment variable named by `--password-env`.
fn password_from_env(var: &str) -> anyhow::Result<String> {
    match std::env::var(var) {
        Ok(p) if p.is_empty() => bail!(
            "the environment variable {var} named by --password-env is empty; use --no-password to store none"
        ),
        Ok(p) => Ok(p),
        Err(std::env::VarError::NotPresent) => {
            bail!("the environment variable {var} named by --password-env is not set")
        }
        Err(std::env::VarError::NotUnicode(_)) => {
            bail!("the environment variable {var} does not hold valid UTF-8 text")
        }
    }
}

fn print_settings(s: &MqttSettings) {
    let user = s.user.as_deref().map_or("none".into(), printable);
    println!("  broker        {}", s.broker.url());
    println!("  user          {user}");
    println!("  password      {}", s.masked_password().unwrap_or("none"));
    println!("  client id     {}", printable(&s.client_id));
    println!("  topic prefix  {}", printable(&s.topic_prefix));
    println!(
        "  HA discovery  {}",
        if s.ha_discovery { "on" } else { "off" }
    );
}

fn show(lib: &Library, json: bool) -> anyhow::Result<()> {
    let settings = lib.mqtt_settings()?;
    let all = lib.trigger_sources(None)?;
    if json {
        let s = settings.as_ref();
        return super::print_json(&MqttJson {
            on: s.is_some(),
            broker: s.map(|s| s.broker.url()),
            tls: s.map(|s| s.broker.tls),
            host: s.map(|s| s.broker.host.clone()),
            port: s.map(|s| s.broker.port),
            user: s.and_then(|s| s.user.clone()),
            password: s.and_then(MqttSettings::masked_password),
            client_id: s.map(|s| s.client_id.clone()),
            topic_prefix: s.map(|s| s.topic_prefix.clone()),
            ha_discovery: s.map(|s| s.ha_discovery),
            trigger_sources: all.iter().map(SourceJson::from).collect(),
        });
    }
    match &settings {
        Some(s) => {
            println!("MQTT is on:");
            print_settings(s);
        }
        None => println!("MQTT is off: {TURN_ON_HINT}"),
    }
    println!();
    if all.is_empty() {
        println!("no trigger sources; add one with `vigil trigger-source add`");
    } else {
        println!("{}:", sources(all.len()));
        print_sources(&all);
    }
    Ok(())
}

/// "1 trigger source", "3 trigger sources".
fn sources(n: usize) -> String {
    if n == 1 {
        "1 trigger source".into()
    } else {
        format!("{n} trigger sources")
    }
}
