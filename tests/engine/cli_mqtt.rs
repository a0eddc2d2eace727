//! `vigil mqtt …` and `vigil trigger-source …` through the real binary on a real library:
//! the broker settings set, changed piece by piece, shown (text and `--json`) and turned off;
//! trigger sources added, listed and removed; every refusal one sentence with nothing
//! stored; the broker password never in an argument, on stdout or stderr, or in `--json`.

use crate::common::Vigil;
use crate::users_prompt::{echoes, on_the_terminal, openpty, wait_for_text};

use std::io::Write;
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use vigil_core::library::Library;
use vigil_core::model::MqttSettings;

const PASSWORD: &str = "brok3r-s3cret-pw";
const NEW_PASSWORD: &str = "an0ther-br0ker-pw";

pub(crate) fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs `vigil` with `MQTT_PW` set to `password`.
fn with_password(v: &Vigil, password: &str, args: &[&str]) -> Output {
    let out = v
        .cmd()
        .args(args)
        .env("MQTT_PW", password)
        .output()
        .expect("run vigil");
    no_password_in(&out);
    out
}

/// Runs a command that must succeed and print no password; its stdout.
pub(crate) fn ok(v: &Vigil, args: &[&str]) -> String {
    let out = v.run(args);
    no_password_in(&out);
    assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
    text(&out.stdout)
}

pub(crate) fn no_password_in(out: &Output) {
    for stream in [text(&out.stdout), text(&out.stderr)] {
        assert!(
            !stream.contains(PASSWORD) && !stream.contains(NEW_PASSWORD),
            "a password was printed: {stream}"
        );
    }
}

/// Asserts the command failed with exit code 1 and one `error:` line holding `said`.
pub(crate) fn refused(out: &Output, said: &str) {
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "{said}\n{stdout}\n{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line on stderr: {stderr}");
    assert!(
        lines[0].starts_with("error: ") && lines[0].contains(said),
        "expected '{said}' in: {stderr}"
    );
    assert!(stdout.is_empty(), "nothing on stdout: {stdout}");
    no_password_in(out);
}

/// What the library holds (read straight from the database the commands wrote).
fn stored(v: &Vigil) -> Option<MqttSettings> {
    Library::open(&v.data_dir)
        .expect("open the library")
        .mqtt_settings()
        .expect("read the MQTT settings")
}

pub(crate) fn show_json(v: &Vigil) -> Value {
    let shown = ok(v, &["mqtt", "show", "--json"]);
    serde_json::from_str(&shown).expect("mqtt show --json is JSON")
}

#[test]
fn mqtt_settings_are_set_changed_piece_by_piece_shown_masked_and_turned_off() {
    let dir = tempfile::tempdir().expect("temp dir");
    let v = Vigil::new(dir.path());
    let off = ok(&v, &["mqtt", "show"]);
    assert!(
        off.starts_with("MQTT is off: turn it on with `vigil mqtt set"),
        "{off}"
    );
    let off_json = show_json(&v);
    assert_eq!(off_json["on"], json!(false));
    for key in ["broker", "user", "password", "client_id", "topic_prefix"] {
        assert_eq!(off_json[key], Value::Null, "{key} when off: {off_json}");
    }

    let out = with_password(
        &v,
        PASSWORD,
        &[
            "mqtt",
            "set",
            "--broker",
            "mqtt://127.0.0.1:1999",
            "--user",
            "nvr",
            "--password-env",
            "MQTT_PW",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    assert!(
        said.contains("broker        mqtt://127.0.0.1:1999"),
        "{said}"
    );
    assert!(said.contains("password      ********"), "{said}");
    let s = stored(&v).expect("MQTT is on");
    assert_eq!(s.password.as_deref(), Some(PASSWORD));
    assert_eq!(
        (s.client_id.as_str(), s.topic_prefix.as_str()),
        ("vigil", "vigil")
    );
    assert!(s.ha_discovery, "Home Assistant discovery is on by default");

    assert_eq!(
        show_json(&v),
        json!({
            "on": true,
            "broker": "mqtt://127.0.0.1:1999",
            "tls": false,
            "host": "127.0.0.1",
            "port": 1999,
            "user": "nvr",
            "password": "********",
            "client_id": "vigil",
            "topic_prefix": "vigil",
            "ha_discovery": true,
            "trigger_sources": [],
        })
    );

    // Only what is given changes: the password (and the rest) stay.
    ok(
        &v,
        &[
            "mqtt",
            "set",
            "--topic-prefix",
            "site/a",
            "--client-id",
            "nvr-1",
            "--no-ha-discovery",
        ],
    );
    let s = stored(&v).expect("still on");
    assert_eq!(
        s.password.as_deref(),
        Some(PASSWORD),
        "the password is kept"
    );
    assert_eq!(s.user.as_deref(), Some("nvr"));
    assert_eq!(s.broker.url(), "mqtt://127.0.0.1:1999");
    assert_eq!(
        (s.client_id.as_str(), s.topic_prefix.as_str()),
        ("nvr-1", "site/a")
    );
    assert!(!s.ha_discovery);

    ok(
        &v,
        &[
            "mqtt",
            "set",
            "--broker",
            "mqtts://broker.lan",
            "--ha-discovery",
        ],
    );
    let s = stored(&v).expect("still on");
    assert_eq!(s.broker.url(), "mqtts://broker.lan:8883", "TLS on its port");
    assert!(s.ha_discovery);
    assert_eq!(s.password.as_deref(), Some(PASSWORD));
    let shown = ok(&v, &["mqtt", "show"]);
    assert!(shown.starts_with("MQTT is on:"), "{shown}");
    assert!(shown.contains("password      ********"), "{shown}");
    assert!(shown.contains("topic prefix  site/a"), "{shown}");

    // A new password replaces it; --no-password forgets it.
    let out = with_password(
        &v,
        NEW_PASSWORD,
        &["mqtt", "set", "--password-env", "MQTT_PW"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        stored(&v).expect("on").password.as_deref(),
        Some(NEW_PASSWORD)
    );
    let said = ok(&v, &["mqtt", "set", "--no-password"]);
    assert!(said.contains("password      none"), "{said}");
    assert_eq!(stored(&v).expect("on").password, None);
    assert_eq!(show_json(&v)["password"], Value::Null);
    let said = ok(&v, &["mqtt", "set", "--no-user"]);
    assert!(said.contains("user          none"), "{said}");

    let said = ok(&v, &["mqtt", "off"]);
    assert!(said.starts_with("MQTT is off"), "{said}");
    assert_eq!(stored(&v), None);
    assert_eq!(ok(&v, &["mqtt", "off"]).trim(), "MQTT was already off");
    assert_eq!(show_json(&v)["on"], json!(false));
}

#[test]
fn every_refusal_of_mqtt_set_is_one_sentence_and_stores_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let v = Vigil::new(dir.path());
    // The first command tightens the new data directory (and says so on stderr).
    ok(&v, &["mqtt", "show"]);
    refused(
        &v.run(&["mqtt", "set", "--user", "nvr"]),
        "MQTT is off; give the broker to turn it on: --broker mqtt://HOST:1883",
    );
    for (broker, said) in [
        (
            "tcp://10.0.0.5",
            "broker 'tcp://10.0.0.5' must start with mqtt:// or mqtts://",
        ),
        (
            "mqtt://u:p@10.0.0.5",
            "must not hold a user or password; use --user and --password-env",
        ),
        (
            "mqtt://10.0.0.5:70000",
            "has a port that is not a number from 1 to 65535",
        ),
        ("mqtt://10.0.0.5/x", "must be only a host and a port"),
    ] {
        refused(&v.run(&["mqtt", "set", "--broker", broker]), said);
    }
    let base = ["mqtt", "set", "--broker", "mqtt://10.0.0.5"];
    let set = |extra: &[&str]| with_password(&v, PASSWORD, &[&base[..], extra].concat());
    refused(
        &set(&["--password-env", "MQTT_PW"]),
        "an MQTT password needs a user (--user)",
    );
    refused(
        &set(&["--user", "nvr", "--password-env", "NO_SUCH_VAR_HERE"]),
        "the environment variable NO_SUCH_VAR_HERE named by --password-env is not set",
    );
    refused(
        &with_password(
            &v,
            "",
            &[&base[..], &["--user", "nvr", "--password-env", "MQTT_PW"]].concat(),
        ),
        "the environment variable MQTT_PW named by --password-env is empty; use --no-password",
    );
    refused(
        &set(&["--topic-prefix", "vigil/#"]),
        "topic prefix 'vigil/#' must be 1 to 64 characters without '+', '#'",
    );
    refused(
        &set(&["--client-id", "has space"]),
        "client id 'has space' must be 1 to 64 visible ASCII characters",
    );
    refused(
        &set(&["--user", ""]),
        "the MQTT user must be 1 to 256 printable characters",
    );
    // No terminal to ask on (standard input is not one).
    let out = v
        .cmd()
        .args([&base[..], &["--user", "nvr", "--password-prompt"]].concat())
        .stdin(Stdio::null())
        .output()
        .expect("run vigil");
    refused(
        &out,
        "no terminal to ask for the MQTT password on; put it in an environment variable and pass --password-env VAR",
    );
    assert_eq!(stored(&v), None, "nothing was stored");
}

#[test]
fn the_password_is_never_an_argument() {
    let dir = tempfile::tempdir().expect("temp dir");
    let v = Vigil::new(dir.path());
    for flag in ["--password", "--pass", "-p"] {
        let out = v.run(&[
            "mqtt",
            "set",
            "--broker",
            "mqtt://10.0.0.5",
            "--user",
            "nvr",
            flag,
            PASSWORD,
        ]);
        assert_eq!(out.status.code(), Some(2), "{flag} is not an argument");
        let stderr = text(&out.stderr);
        assert!(
            stderr.contains(&format!("unexpected argument '{flag}'")),
            "{stderr}"
        );
        no_password_in(&out);
    }
    assert_eq!(stored(&v), None);
    let help = ok(&v, &["mqtt", "set", "--help"]);
    assert!(help.contains("--password-env <VAR>") && help.contains("--password-prompt"));
    assert!(!help.contains("--password <"), "{help}");
}

#[test]
fn the_password_can_be_typed_twice_on_the_terminal() {
    let dir = tempfile::tempdir().expect("temp dir");
    let v = Vigil::new(dir.path());
    let (mut master, slave) = openpty();
    let mut cmd = v.cmd();
    cmd.args([
        "mqtt",
        "set",
        "--broker",
        "mqtt://10.0.0.5",
        "--user",
        "nvr",
        "--password-prompt",
    ]);
    on_the_terminal(&mut cmd, &slave);
    let mut child = cmd.spawn().expect("start vigil mqtt set");
    wait_for_text(&mut master, "MQTT password: ", Duration::from_secs(30));
    assert!(
        !echoes(&slave),
        "echo is off while the password is asked for"
    );
    master
        .write_all(format!("{PASSWORD}\n").as_bytes())
        .expect("type");
    wait_for_text(&mut master, "Type it again: ", Duration::from_secs(10));
    master
        .write_all(format!("{PASSWORD}\n").as_bytes())
        .expect("type again");
    let shown = wait_for_text(&mut master, "HA discovery", Duration::from_secs(10));
    assert!(!shown.contains(PASSWORD), "the password was shown: {shown}");
    assert!(shown.contains("********"), "{shown}");

    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for vigil") {
            break status;
        }
        assert!(Instant::now() < deadline, "vigil mqtt set did not end");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status:?}");
    assert!(echoes(&slave), "the terminal echoes again");
    let s = stored(&v).expect("MQTT is on");
    assert_eq!(s.password.as_deref(), Some(PASSWORD));
}
