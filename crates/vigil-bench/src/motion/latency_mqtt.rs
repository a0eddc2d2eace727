//! MQTT's part of the event-latency run: a Mosquitto broker the bench starts on a free
//! loopback port, Vigil's MQTT service connected to it with a trigger source on the trigger
//! camera (payload `ON`, a hold of half a second), and a bench client publishing `ON` on the
//! source's topic.

use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rumqttc::{Client, MqttOptions, QoS};

use crate::BenchError;
use vigil_core::events::mqtt::{CameraState, MqttHost, MqttService, MqttStatus};
use vigil_core::events::EventBus;
use vigil_core::library::Library;
use vigil_core::model::{Broker, MqttSettings, NewTriggerSource, TriggerCondition};

/// The trigger source's topic.
pub const TOPIC: &str = "bench/door";
const HOLD_S: f64 = 0.5;

/// The broker, Vigil's MQTT service and the bench's publishing client.
pub struct MqttRig {
    broker: Child,
    _dir: tempfile::TempDir,
    service: Option<MqttService>,
    client: Client,
}

/// What the service reports, for the bench: only whether it is connected.
struct BenchHost {
    connected: Arc<AtomicBool>,
}

impl MqttHost for BenchHost {
    fn cameras(&self) -> Vec<CameraState> {
        Vec::new()
    }

    fn set_recording_paused(&self, _: i64, _: bool) -> Result<(), String> {
        Err("not in the bench".into())
    }

    fn report(&self, status: Option<MqttStatus>, _: Option<String>) {
        let up = status.is_some_and(|s| s.connected);
        self.connected.store(up, Ordering::Relaxed);
    }
}

impl MqttRig {
    /// Starts the broker, stores the settings and the trigger source on `camera_id`, starts
    /// the service and waits until it is connected.
    pub fn start(
        lib: &mut Library,
        data_dir: &Path,
        camera_id: i64,
        bus: EventBus,
    ) -> Result<Self, BenchError> {
        let dir = tempfile::tempdir().map_err(|e| BenchError::io("broker directory", e))?;
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| BenchError::io("a free port", e))?
            .port();
        let conf = dir.path().join("mosquitto.conf");
        let text = format!(
            "listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\nuser root\n"
        );
        std::fs::write(&conf, text).map_err(|e| BenchError::io("broker config", e))?;
        let broker = Command::new("mosquitto")
            .arg("-c")
            .arg(&conf)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| BenchError::io("cannot start mosquitto (apt install mosquitto)", e))?;
        let rig_broker = broker;
        wait_for(Duration::from_secs(10), || {
            TcpStream::connect(("127.0.0.1", port)).is_ok()
        })
        .then_some(())
        .ok_or_else(|| BenchError::Failed("mosquitto did not start".into()))?;

        let url = format!("mqtt://127.0.0.1:{port}");
        let broker_addr = Broker::parse(&url).map_err(|e| BenchError::Failed(e.to_string()))?;
        lib.set_mqtt_settings(&MqttSettings::new(broker_addr))?;
        lib.add_trigger_source(&NewTriggerSource {
            camera_id,
            name: "mqtt".into(),
            topic: TOPIC.into(),
            when: TriggerCondition::parse("ON").map_err(|e| BenchError::Failed(e.to_string()))?,
            hold_s: Some(HOLD_S),
        })?;
        let connected = Arc::new(AtomicBool::new(false));
        let host = BenchHost {
            connected: Arc::clone(&connected),
        };
        let service = MqttService::start(data_dir.to_path_buf(), bus, Arc::new(host))
            .map_err(|e| BenchError::io("MQTT service", e))?;
        let client = bench_client(port)?;
        let rig = Self {
            broker: rig_broker,
            _dir: dir,
            service: Some(service),
            client,
        };
        // Connected, plus a moment for its subscriptions to reach the broker.
        if !wait_for(Duration::from_secs(15), || {
            connected.load(Ordering::Relaxed)
        }) {
            return Err(BenchError::Failed(
                "Vigil's MQTT service did not connect".into(),
            ));
        }
        std::thread::sleep(Duration::from_millis(500));
        Ok(rig)
    }

    /// Publishes `ON` on the source's topic; answers when.
    pub fn publish(&self) -> Result<Instant, BenchError> {
        let at = Instant::now();
        self.client
            .try_publish(TOPIC, QoS::AtLeastOnce, false, "ON")
            .map_err(|e| BenchError::Failed(format!("cannot publish: {e}")))?;
        Ok(at)
    }

    pub fn stop(mut self) {
        if let Some(s) = self.service.take() {
            s.stop();
        }
        let _ = self.client.try_disconnect();
        let _ = self.broker.kill();
        let _ = self.broker.wait();
    }
}

impl Drop for MqttRig {
    fn drop(&mut self) {
        let _ = self.broker.kill();
        let _ = self.broker.wait();
    }
}

/// A plain client whose connection runs on a thread of its own.
fn bench_client(port: u16) -> Result<Client, BenchError> {
    let opts = MqttOptions::new("vigil-bench", "127.0.0.1", port);
    let (client, mut connection) = Client::new(opts, 16);
    std::thread::Builder::new()
        .name("bench-mqtt".into())
        .spawn(move || {
            for event in connection.iter() {
                if event.is_err() {
                    std::thread::sleep(Duration::from_millis(200));
                }
            }
        })
        .map_err(|e| BenchError::io("bench MQTT client", e))?;
    Ok(client)
}

fn wait_for(timeout: Duration, mut cond: impl FnMut() -> bool) -> bool {
    let end = Instant::now() + timeout;
    while Instant::now() < end {
        if cond() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}
