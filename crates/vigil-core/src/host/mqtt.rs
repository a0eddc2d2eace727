//! The host's side of the MQTT service: the running cameras from the status feed, paused
//! recording through the configuration handle (applied to the running camera at once), and
//! the connection's status and problem line in the host's snapshot.

use std::path::Path;
use std::sync::Arc;

use super::{replace_problem, StatusFeed};
use crate::events::mqtt::{CameraState, MqttHost, MqttService, MqttStatus};
use crate::events::EventBus;
use crate::service::ConfigStore;

struct HostForMqtt {
    status: StatusFeed,
    config: ConfigStore,
}

/// Starts the MQTT service of a host.
pub fn start(
    data_dir: &Path,
    bus: EventBus,
    status: StatusFeed,
    config: ConfigStore,
) -> std::io::Result<MqttService> {
    let host = HostForMqtt { status, config };
    MqttService::start(data_dir.to_path_buf(), bus, Arc::new(host))
}

impl MqttHost for HostForMqtt {
    fn cameras(&self) -> Vec<CameraState> {
        self.status
            .latest()
            .cameras
            .iter()
            .map(|c| CameraState {
                name: c.name.clone(),
                recording: c.recording,
            })
            .collect()
    }

    fn set_recording_paused(&self, camera_id: i64, paused: bool) -> Result<(), String> {
        match self
            .config
            .set_recording_paused(camera_id, paused, None)
            .wait()
        {
            Some(Ok(())) => Ok(()),
            Some(Err(e)) => Err(e.to_string()),
            None => Err("the change was lost".into()),
        }
    }

    fn report(&self, status: Option<MqttStatus>, problem: Option<String>) {
        let shared = &self.status.0;
        let old = {
            let mut snap = shared.lock();
            snap.mqtt = status;
            if snap.mqtt_problem == problem {
                return;
            }
            std::mem::replace(&mut snap.mqtt_problem, problem.clone())
        };
        replace_problem(shared, old.as_deref(), problem);
    }
}
