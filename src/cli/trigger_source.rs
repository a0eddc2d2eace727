//! `vigil trigger-source …`: messages from outside that start a camera's events like motion
//! does (today: an MQTT topic and the condition that makes a message mean "active"), added,
//! listed and removed. A running recorder picks the changes up by itself.

use std::path::Path;
use std::process::ExitCode;

use clap::Subcommand;
use serde::Serialize;

use vigil_core::model::text::printable;
use vigil_core::model::time::parse_duration_us;
use vigil_core::model::{NewTriggerSource, TriggerCondition, TriggerSource};

use super::mqtt::{is_on, TURN_ON_HINT};

#[derive(Subcommand, Debug)]
pub enum TriggerSourceCmd {
    /// Start events on a camera when a message on an MQTT topic says so.
    Add {
        #[arg(long)]
        camera: String,
        /// The source's name, also the label of its events (e.g. door).
        #[arg(long)]
        name: String,
        /// The topic to listen to, e.g. zigbee2mqtt/front_door ('+' and '#' as whole levels).
        #[arg(long, value_name = "TOPIC")]
        mqtt_topic: String,
        /// What makes a message mean "active": a JSON field comparison such as
        /// 'contact == false' or 'temperature > 30', or a whole payload such as 'ON'.
        /// The opposite message ends the event.
        #[arg(long, value_name = "CONDITION")]
        when: String,
        /// End the event this long after the last active message, e.g. 30s, 2m, 1h30m
        /// [default: only when the opposite message arrives].
        #[arg(long, value_name = "DURATION")]
        hold: Option<String>,
    },
    /// List trigger sources.
    List {
        #[arg(long)]
        camera: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Remove a camera's trigger source.
    Remove {
        #[arg(long)]
        camera: String,
        #[arg(long)]
        name: String,
    },
}

/// A trigger source in `--json` output.
#[derive(Serialize)]
pub struct SourceJson {
    id: i64,
    camera: String,
    name: String,
    mqtt_topic: String,
    when: String,
    /// Seconds; `null`: the event ends only when the opposite message arrives.
    hold_s: Option<f64>,
}

impl From<&TriggerSource> for SourceJson {
    fn from(t: &TriggerSource) -> Self {
        Self {
            id: t.id,
            camera: t.camera.clone(),
            name: t.name.clone(),
            mqtt_topic: t.topic.clone(),
            when: t.when.as_text(),
            hold_s: t.hold_s,
        }
    }
}

pub fn run(data_dir: &Path, cmd: TriggerSourceCmd) -> anyhow::Result<ExitCode> {
    let mut lib = super::open_library(data_dir)?;
    match cmd {
        TriggerSourceCmd::Add {
            camera,
            name,
            mqtt_topic,
            when,
            hold,
        } => {
            let cam = lib.resolve_camera(&camera)?;
            let when = TriggerCondition::parse(&when)?;
            let hold_s = hold
                .as_deref()
                .map(|h| parse_duration_us(h).map(|us| us as f64 / 1e6))
                .transpose()?;
            let source = NewTriggerSource {
                camera_id: cam.id,
                name: name.trim().to_string(),
                topic: mqtt_topic,
                when,
                hold_s,
            };
            lib.add_trigger_source(&source)?;
            println!(
                "added trigger source '{}' to camera '{}': {}",
                printable(&source.name),
                cam.name,
                describe(&source.topic, &source.when, source.hold_s)
            );
            mqtt_note(&lib)?;
        }
        TriggerSourceCmd::List { camera, json } => {
            let camera_id = match &camera {
                Some(name) => Some(lib.resolve_camera(name)?.id),
                None => None,
            };
            let all = lib.trigger_sources(camera_id)?;
            if json {
                let rows: Vec<SourceJson> = all.iter().map(SourceJson::from).collect();
                return super::print_json(&rows).map(|()| ExitCode::SUCCESS);
            }
            if all.is_empty() {
                println!("no trigger sources; add one with `vigil trigger-source add --camera C --name N --mqtt-topic T --when 'contact == false'`");
            }
            print_sources(&all);
            if !all.is_empty() {
                mqtt_note(&lib)?;
            }
        }
        TriggerSourceCmd::Remove { camera, name } => {
            let cam = lib.resolve_camera(&camera)?;
            lib.remove_trigger_source(cam.id, &name)?;
            println!(
                "removed trigger source '{}' from camera '{}'",
                printable(name.trim()),
                cam.name
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Says so when MQTT is off (the sources wait for it).
fn mqtt_note(lib: &vigil_core::library::Library) -> anyhow::Result<()> {
    if !is_on(lib)? {
        println!("saved; MQTT is off: {TURN_ON_HINT}");
    }
    Ok(())
}

/// One line per source: camera, name, then what it listens to.
pub fn print_sources(all: &[TriggerSource]) {
    for t in all {
        println!(
            "{:<16} {:<16} {}",
            t.camera,
            printable(&t.name),
            describe(&t.topic, &t.when, t.hold_s)
        );
    }
}

/// "topic zigbee2mqtt/door, active when contact == false, ends on the opposite message".
fn describe(topic: &str, when: &TriggerCondition, hold_s: Option<f64>) -> String {
    format!(
        "topic {}, active when {}, {}",
        printable(topic),
        printable(&when.as_text()),
        hold_text(hold_s)
    )
}

/// When the event ends: "ends on the opposite message" (no hold), or "… or 1m30s after the
/// last active one".
fn hold_text(hold_s: Option<f64>) -> String {
    const OPPOSITE: &str = "ends on the opposite message";
    let Some(s) = hold_s else {
        return OPPOSITE.into();
    };
    if s.fract() != 0.0 {
        return format!("{OPPOSITE} or {s} s after the last active one");
    }
    let secs = s as u64;
    let (h, m, sec) = (secs / 3600, secs % 3600 / 60, secs % 60);
    let mut held = String::new();
    if h > 0 {
        held.push_str(&format!("{h}h"));
    }
    if m > 0 {
        held.push_str(&format!("{m}m"));
    }
    if sec > 0 || held.is_empty() {
        held.push_str(&format!("{sec}s"));
    }
    format!("{OPPOSITE} or {held} after the last active one")
}

#[cfg(test)]
mod tests {
    use super::hold_text;

    #[test]
    fn holds_read_like_the_durations_typed() {
        assert_eq!(hold_text(None), "ends on the opposite message");
        let after = |s: f64| hold_text(Some(s)).replace("ends on the opposite message or ", "");
        assert_eq!(after(30.0), "30s after the last active one");
        assert_eq!(after(5400.0), "1h30m after the last active one");
        assert_eq!(after(0.0), "0s after the last active one");
        assert_eq!(after(1.5), "1.5 s after the last active one");
    }
}
