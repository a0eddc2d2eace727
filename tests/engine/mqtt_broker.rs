//! MQTT from the broker's side, against a real Mosquitto: an authenticated broker and a wrong
//! password, the broker stopped and restarted while recording goes on, a camera removed
//! while running (its Home Assistant entities go with it), and `mqtts://` over TLS.

use crate::common;

use std::time::{Duration, Instant};

use common::mqtt::Mosquitto;
use common::{wait_until, Vigil};
use vigil_core::host::EngineHost;
use vigil_core::library::Library;
use vigil_core::model::{Policy, RecordMode};

use crate::mqtt::{both, segments, settings, start_host};

#[test]
fn a_wrong_password_is_a_problem_in_words_and_the_right_one_connects() {
    let broker = Mosquitto::with_login("vigil", "s3cret-pw");
    let dir = tempfile::tempdir().expect("dir");
    let mut lib = Library::open(dir.path()).expect("library");
    lib.add_camera(&common::demo_camera("yard"), &both())
        .expect("camera");
    let mut s = settings(&broker);
    s.user = Some("vigil".into());
    s.password = Some("wrong-pw-123".into());
    lib.set_mqtt_settings(&s).expect("settings");
    let host = start_host(dir.path());
    let long = Duration::from_secs(20);

    let problem = || {
        host.problems()
            .into_iter()
            .find(|p| p.starts_with("MQTT broker"))
    };
    assert!(wait_until(long, || problem().is_some()), "a problem line");
    let line = problem().unwrap_or_default();
    assert!(
        line.contains(&broker.url()) && line.contains("user name or password"),
        "{line}"
    );
    assert!(!line.contains("wrong-pw-123"), "no password: {line}");
    // The status snapshot is refreshed four times a second.
    assert!(wait_until(long, || host.status().mqtt.is_some()));
    let status = host.status().mqtt.clone().expect("mqtt status");
    assert!(!status.connected);
    assert!(!format!("{status:?}").contains("wrong-pw-123"));

    s.password = Some("s3cret-pw".into());
    lib.set_mqtt_settings(&s).expect("settings");
    assert!(
        wait_until(long, || host
            .status()
            .mqtt
            .as_ref()
            .is_some_and(|m| m.connected)),
        "connected with the right password"
    );
    assert!(
        problem().is_none(),
        "the problem is over: {:?}",
        host.problems()
    );
    host.shutdown();
}

#[test]
fn recording_goes_on_while_the_broker_is_away_and_vigil_reconnects() {
    let mut broker = Mosquitto::start();
    let dir = tempfile::tempdir().expect("dir");
    let mut lib = Library::open(dir.path()).expect("library");
    lib.add_camera(&common::demo_camera("yard"), &both())
        .expect("camera");
    lib.set_mqtt_settings(&settings(&broker)).expect("settings");
    let host = start_host(dir.path());
    let long = Duration::from_secs(30);
    let connected = |h: &EngineHost| h.status().mqtt.as_ref().is_some_and(|m| m.connected);
    assert!(wait_until(long, || connected(&host)), "connected");

    broker.stop();
    assert!(
        wait_until(long, || !connected(&host)),
        "the status says disconnected"
    );
    assert!(
        wait_until(long, || host
            .problems()
            .iter()
            .any(|p| p.contains("unreachable") && p.contains("retrying every"))),
        "a problem line: {:?}",
        host.problems()
    );
    let during = segments(&lib);
    let t0 = Instant::now();
    assert!(
        wait_until(long, || segments(&lib) >= during + 2),
        "segments keep being indexed while the broker is away"
    );
    assert!(t0.elapsed() < Duration::from_secs(15));

    broker.restart();
    let sub = broker.subscribe(&["vigil/available"]);
    assert!(
        sub.wait_for("vigil/available", Duration::from_secs(45), |m| m.text()
            == "online")
            .is_some(),
        "Vigil reconnected and said online again"
    );
    assert!(wait_until(long, || connected(&host)));
    assert!(
        wait_until(long, || !host
            .problems()
            .iter()
            .any(|p| p.starts_with("MQTT broker"))),
        "the problem is cleared"
    );
    host.shutdown();
}

#[test]
fn a_camera_removed_while_running_takes_its_home_assistant_entities_along() {
    let broker = Mosquitto::start();
    let dir = tempfile::tempdir().expect("dir");
    let mut lib = Library::open(dir.path()).expect("library");
    let off = Policy {
        mode: RecordMode::Off,
        ..Policy::default()
    };
    lib.add_camera(&common::demo_camera("yard"), &off)
        .expect("camera");
    lib.add_camera(&common::demo_camera("gate"), &off)
        .expect("camera");
    lib.set_mqtt_settings(&settings(&broker)).expect("settings");
    let sub = broker.subscribe(&["homeassistant/#"]);
    let host = start_host(dir.path());
    let long = Duration::from_secs(20);
    let gate_topics = [
        "homeassistant/binary_sensor/vigil_gate/motion/config",
        "homeassistant/binary_sensor/vigil_gate/recording/config",
        "homeassistant/sensor/vigil_gate/last_event/config",
        "homeassistant/switch/vigil_gate/recording/config",
        "homeassistant/camera/vigil_gate/snapshot/config",
    ];
    for topic in gate_topics {
        assert!(
            sub.wait_for(topic, long, |m| !m.payload.is_empty())
                .is_some(),
            "{topic} published"
        );
    }
    lib.remove_camera("gate", true).expect("remove");
    for topic in gate_topics {
        assert!(
            sub.wait_for(topic, long, |m| m.payload.is_empty())
                .is_some(),
            "{topic} emptied"
        );
    }
    let yard = "homeassistant/binary_sensor/vigil_yard/motion/config";
    assert!(
        sub.on(yard).iter().all(|m| !m.payload.is_empty()),
        "the other camera stays"
    );
    host.shutdown();
}

#[test]
fn an_mqtts_broker_is_reached_over_tls_with_the_system_roots() {
    let broker = Mosquitto::with_tls();
    let dir = tempfile::tempdir().expect("dir");
    let vigil = Vigil::new(dir.path());
    vigil.add_demo_camera("front", &["--record", "off"]);
    let s = settings(&broker);
    assert!(s.broker.tls, "{}", broker.url());
    Library::open(dir.path())
        .expect("library")
        .set_mqtt_settings(&s)
        .expect("settings");
    let sub = broker.subscribe(&["vigil/#"]);
    // Without the test CA among the roots the certificate is refused, in words.
    let out = vigil
        .cmd()
        .args(["run", "--for", "4s"])
        .env("SSL_CERT_FILE", dir.path().join("no-such-roots.pem"))
        .env("RUST_LOG", "warn")
        .output()
        .expect("run vigil");
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("failed the TLS handshake"), "{said}");
    assert!(sub.on("vigil/available").is_empty(), "not connected");
    // The system's roots are this file only (rustls-native-certs reads SSL_CERT_FILE).
    let mut child = vigil
        .cmd()
        .args(["run", "--for", "60s"])
        .env("SSL_CERT_FILE", broker.ca_file())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn vigil");
    let online = sub.wait_for("vigil/available", Duration::from_secs(20), |m| {
        m.text() == "online"
    });
    let _ = child.kill();
    let _ = child.wait();
    assert!(online.is_some(), "Vigil connected over TLS and said online");
}
