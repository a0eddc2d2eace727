//! The configuration handle's part for events from outside Vigil: the MQTT broker settings,
//! trigger sources, and each camera's ONVIF settings and paused recording. Like every
//! [`ConfigStore`] call, each one answers on a job and a change is applied at once.

use super::config::{ConfigJob, ConfigStore};
use crate::jobs::Wake;
use crate::model::{MqttSettings, NewTriggerSource, OnvifSettings, TriggerSource};

impl ConfigStore {
    /// The MQTT broker settings, `None` when MQTT is off.
    pub fn mqtt_settings(&self, wake: Option<Wake>) -> ConfigJob<Option<MqttSettings>> {
        self.read("reading the MQTT settings", wake, |lib| lib.mqtt_settings())
    }

    /// Turns MQTT on with these settings (or changes them).
    pub fn set_mqtt_settings(&self, settings: MqttSettings, wake: Option<Wake>) -> ConfigJob<()> {
        self.change("saving the MQTT settings", wake, move |lib| {
            lib.set_mqtt_settings(&settings)
        })
    }

    /// Turns MQTT off; answers whether it was on.
    pub fn clear_mqtt_settings(&self, wake: Option<Wake>) -> ConfigJob<bool> {
        self.change("turning MQTT off", wake, |lib| lib.clear_mqtt_settings())
    }

    /// Trigger sources, of one camera when given.
    pub fn trigger_sources(
        &self,
        camera_id: Option<i64>,
        wake: Option<Wake>,
    ) -> ConfigJob<Vec<TriggerSource>> {
        self.read("reading the trigger sources", wake, move |lib| {
            lib.trigger_sources(camera_id)
        })
    }

    /// Adds a trigger source; answers its id.
    pub fn add_trigger_source(
        &self,
        source: NewTriggerSource,
        wake: Option<Wake>,
    ) -> ConfigJob<i64> {
        self.change("adding the trigger source", wake, move |lib| {
            lib.add_trigger_source(&source)
        })
    }

    pub fn remove_trigger_source(
        &self,
        camera_id: i64,
        name: &str,
        wake: Option<Wake>,
    ) -> ConfigJob<()> {
        let name = name.to_string();
        self.change("removing the trigger source", wake, move |lib| {
            lib.remove_trigger_source(camera_id, &name)
        })
    }

    /// A camera's ONVIF settings, `None` when ONVIF is off for it.
    pub fn onvif(&self, camera_id: i64, wake: Option<Wake>) -> ConfigJob<Option<OnvifSettings>> {
        self.read("reading the ONVIF settings", wake, move |lib| {
            lib.onvif(camera_id)
        })
    }

    /// Turns ONVIF on for a camera with these settings, or off with `None`.
    pub fn set_onvif(
        &self,
        camera_id: i64,
        settings: Option<OnvifSettings>,
        wake: Option<Wake>,
    ) -> ConfigJob<()> {
        self.change("saving the ONVIF settings", wake, move |lib| {
            lib.set_onvif(camera_id, settings.as_ref())
        })
    }

    /// Pauses or resumes a camera's recording (it stays live).
    pub fn set_recording_paused(
        &self,
        camera_id: i64,
        paused: bool,
        wake: Option<Wake>,
    ) -> ConfigJob<()> {
        self.change("pausing the recording", wake, move |lib| {
            lib.set_recording_paused(camera_id, paused)
        })
    }
}
