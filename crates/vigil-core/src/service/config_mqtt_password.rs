//! Saving the MQTT settings from a form that never holds the stored broker password: what to
//! do with the password is said apart ([`MqttPassword`]), and "keep" takes the password
//! stored at the moment of saving, in the same job (so a password changed meanwhile, e.g.
//! by `vigil mqtt set`, is not overwritten with an older one).

use super::config::{ConfigJob, ConfigStore};
use crate::jobs::Wake;
use crate::model::MqttSettings;

/// What saving does with the stored broker password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MqttPassword {
    /// Keep the one stored (none if none is).
    Keep,
    /// Store this one.
    Set(String),
    /// Store none.
    Remove,
}

impl ConfigStore {
    /// Turns MQTT on with `settings` (or changes them); their `password` is ignored and
    /// replaced as `password` says.
    pub fn save_mqtt_settings(
        &self,
        settings: MqttSettings,
        password: MqttPassword,
        wake: Option<Wake>,
    ) -> ConfigJob<()> {
        self.change("saving the MQTT settings", wake, move |lib| {
            let mut settings = settings;
            settings.password = match password {
                MqttPassword::Keep => lib.mqtt_settings()?.and_then(|stored| stored.password),
                MqttPassword::Set(p) => Some(p),
                MqttPassword::Remove => None,
            };
            lib.set_mqtt_settings(&settings)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Broker;

    fn settings(user: Option<&str>, password: Option<&str>) -> MqttSettings {
        MqttSettings {
            user: user.map(str::to_string),
            password: password.map(str::to_string),
            ..MqttSettings::new(Broker::parse("mqtt://127.0.0.1").expect("broker"))
        }
    }

    #[test]
    fn keep_takes_the_password_stored_when_saving() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = ConfigStore::open(dir.path(), std::sync::Arc::new(|| {})).expect("store");
        let save = |s: MqttSettings, p: MqttPassword| {
            store.save_mqtt_settings(s, p, None).wait().expect("answer")
        };
        let stored = || {
            let s = store
                .mqtt_settings(None)
                .wait()
                .expect("answer")
                .expect("read");
            s.expect("MQTT is on").password
        };
        save(
            settings(Some("nvr"), None),
            MqttPassword::Set("first".into()),
        )
        .expect("set");
        assert_eq!(stored().as_deref(), Some("first"));
        // Changed meanwhile by another client; a form saved with "keep" does not undo it.
        let other = settings(Some("nvr"), Some("second"));
        store
            .set_mqtt_settings(other, None)
            .wait()
            .expect("answer")
            .expect("set");
        save(settings(Some("nvr"), Some("stale")), MqttPassword::Keep).expect("keep");
        assert_eq!(stored().as_deref(), Some("second"));
        save(settings(Some("nvr"), None), MqttPassword::Remove).expect("remove");
        assert_eq!(stored(), None);
        // Keeping a password without a user is refused like setting one.
        save(
            settings(Some("nvr"), None),
            MqttPassword::Set("third".into()),
        )
        .expect("set");
        let refused = save(settings(None, None), MqttPassword::Keep);
        assert!(refused.is_err(), "a password needs a user");
    }
}
