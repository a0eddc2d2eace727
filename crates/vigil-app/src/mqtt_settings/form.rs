//! The MQTT window's fields as typed, each field's problem in words (the engine's own rules:
//! [`Broker::parse`], [`MqttSettings::validate`], [`check_prefix`]), and the settings they
//! make. The stored password never enters the form (only whether there is one): a blank
//! password field keeps it, "remove the password" forgets it, as a [`MqttPassword`] saved
//! apart. No drawing here.

use crate::tr;
use vigil_core::model::mqtt::{check_prefix, DEFAULT_CLIENT_ID, DEFAULT_TOPIC_PREFIX};
use vigil_core::model::{Broker, MqttSettings};
use vigil_core::service::MqttPassword;

/// A field of the MQTT window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Broker,
    User,
    Password,
    ClientId,
    TopicPrefix,
}

/// What the operator has typed into the MQTT window.
#[derive(Debug, Clone, PartialEq)]
pub struct MqttForm {
    pub broker: String,
    pub user: String,
    /// A new password; blank keeps the stored one.
    pub password: String,
    /// Forget the stored password (and ignore the field).
    pub remove_password: bool,
    pub client_id: String,
    pub topic_prefix: String,
    pub ha_discovery: bool,
    /// Whether a password is stored (its text is not kept here).
    stored_password: bool,
    /// Whether MQTT is on (settings are stored).
    pub is_on: bool,
}

impl Default for MqttForm {
    fn default() -> Self {
        Self {
            broker: String::new(),
            user: String::new(),
            password: String::new(),
            remove_password: false,
            client_id: DEFAULT_CLIENT_ID.into(),
            topic_prefix: DEFAULT_TOPIC_PREFIX.into(),
            ha_discovery: true,
            stored_password: false,
            is_on: false,
        }
    }
}

impl MqttForm {
    /// The form for the stored settings, or a blank one with the defaults when MQTT is off.
    pub fn from_settings(stored: Option<&MqttSettings>) -> Self {
        let Some(s) = stored else {
            return Self::default();
        };
        Self {
            broker: s.broker.url(),
            user: s.user.clone().unwrap_or_default(),
            password: String::new(),
            remove_password: false,
            client_id: s.client_id.clone(),
            topic_prefix: s.topic_prefix.clone(),
            ha_discovery: s.ha_discovery,
            stored_password: s.password.is_some(),
            is_on: true,
        }
    }

    /// Whether a password is stored.
    pub fn has_stored_password(&self) -> bool {
        self.stored_password
    }

    /// What saving does with the password.
    pub fn password_change(&self) -> MqttPassword {
        if self.remove_password {
            MqttPassword::Remove
        } else if !self.password.is_empty() {
            MqttPassword::Set(self.password.clone())
        } else {
            MqttPassword::Keep
        }
    }

    /// Whether the settings will hold a password once saved.
    fn will_have_password(&self) -> bool {
        match self.password_change() {
            MqttPassword::Keep => self.stored_password,
            MqttPassword::Set(_) => true,
            MqttPassword::Remove => false,
        }
    }

    fn user(&self) -> Option<String> {
        let u = self.user.trim();
        (!u.is_empty()).then(|| u.to_string())
    }

    /// Every field's problem, in field order; empty when the form can be saved.
    pub fn problems(&self) -> Vec<(Field, String)> {
        let mut out = Vec::new();
        let broker = match Broker::parse(&self.broker) {
            Ok(b) => b,
            Err(_) if self.broker.trim().is_empty() => {
                out.push((Field::Broker, tr!("mqtt-broker-missing")));
                fallback_broker()
            }
            Err(e) => {
                out.push((Field::Broker, e.0));
                fallback_broker()
            }
        };
        // Each rule of the engine's, applied to one field at a time, names its field.
        let base = MqttSettings::new(broker);
        let checks = [
            (
                Field::User,
                MqttSettings {
                    user: self.user(),
                    ..base.clone()
                },
            ),
            (
                Field::ClientId,
                MqttSettings {
                    client_id: self.client_id.trim().to_string(),
                    ..base.clone()
                },
            ),
        ];
        for (field, settings) in checks {
            if let Err(e) = settings.validate() {
                out.push((field, e.0));
            }
        }
        if let Err(e) = check_prefix(self.topic_prefix.trim()) {
            out.push((Field::TopicPrefix, e.0));
        }
        if self.will_have_password() && self.user().is_none() {
            let problem = if self.password.is_empty() {
                tr!("mqtt-password-needs-user-or-remove")
            } else {
                tr!("mqtt-password-needs-user")
            };
            out.push((Field::Password, problem));
        }
        out.sort_by_key(|(f, _)| *f as u8);
        out
    }

    /// The problem of `field`, if any.
    pub fn problem(&self, field: Field) -> Option<String> {
        self.problems()
            .into_iter()
            .find(|(f, _)| *f == field)
            .map(|(_, e)| e)
    }

    /// The settings to store (without a password) and what to do with the password, or the
    /// first problem in words.
    pub fn to_settings(&self) -> Result<(MqttSettings, MqttPassword), String> {
        if let Some((_, e)) = self.problems().into_iter().next() {
            return Err(e);
        }
        let broker = Broker::parse(&self.broker).map_err(|e| e.0)?;
        let mut settings = MqttSettings {
            broker,
            user: self.user(),
            // Checked as it will be stored; the text itself goes apart.
            password: self.will_have_password().then(String::new),
            client_id: self.client_id.trim().to_string(),
            topic_prefix: self.topic_prefix.trim().to_string(),
            ha_discovery: self.ha_discovery,
        };
        settings.validate().map_err(|e| e.0)?;
        settings.password = None;
        Ok((settings, self.password_change()))
    }
}

/// A broker that parses, for checking the other fields while the broker field has a problem.
fn fallback_broker() -> Broker {
    Broker {
        tls: false,
        host: "localhost".into(),
        port: 1883,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored() -> MqttSettings {
        MqttSettings {
            user: Some("nvr".into()),
            password: Some("s3cret".into()),
            topic_prefix: "site/a".into(),
            ha_discovery: false,
            ..MqttSettings::new(Broker::parse("mqtts://broker.lan").unwrap())
        }
    }

    #[test]
    fn stored_settings_fill_the_form_but_never_the_password() {
        let f = MqttForm::from_settings(Some(&stored()));
        assert_eq!(f.broker, "mqtts://broker.lan:8883");
        assert_eq!((f.user.as_str(), f.password.as_str()), ("nvr", ""));
        assert!(f.has_stored_password() && f.is_on && !f.ha_discovery);
        let without_password = MqttSettings {
            password: None,
            ..stored()
        };
        assert_eq!(
            f.to_settings(),
            Ok((without_password, MqttPassword::Keep)),
            "a blank password keeps it"
        );
    }

    #[test]
    fn a_new_password_replaces_the_stored_one_and_the_box_removes_it() {
        let mut f = MqttForm::from_settings(Some(&stored()));
        f.password = "n3w".into();
        assert_eq!(f.to_settings().unwrap().1, MqttPassword::Set("n3w".into()));
        f.remove_password = true;
        assert_eq!(f.to_settings().unwrap().1, MqttPassword::Remove);
    }

    #[test]
    fn a_new_form_has_the_defaults_and_needs_a_broker() {
        let mut f = MqttForm::from_settings(None);
        assert!(!f.is_on && f.ha_discovery);
        assert_eq!(
            f.problem(Field::Broker).unwrap(),
            "give the broker's address, e.g. mqtt://192.168.1.5:1883"
        );
        f.broker = "mqtt://10.0.0.5".into();
        let (s, password) = f.to_settings().unwrap();
        assert_eq!(
            (s.client_id.as_str(), s.topic_prefix.as_str()),
            ("vigil", "vigil")
        );
        assert_eq!((s.user, s.password), (None, None));
        assert_eq!(password, MqttPassword::Keep, "none stored, none kept");
    }

    #[test]
    fn each_problem_is_written_under_its_field() {
        let mut f = MqttForm::from_settings(None);
        f.broker = "tcp://x".into();
        f.client_id = "two words".into();
        f.topic_prefix = "a/#".into();
        f.password = "pw".into();
        let problems = f.problems();
        let fields: Vec<Field> = problems.iter().map(|(f, _)| *f).collect();
        assert_eq!(
            fields,
            [
                Field::Broker,
                Field::Password,
                Field::ClientId,
                Field::TopicPrefix
            ]
        );
        assert!(f
            .problem(Field::Broker)
            .unwrap()
            .contains("must start with mqtt://"));
        assert_eq!(
            f.problem(Field::Password).unwrap(),
            "a password needs a user: fill in the user"
        );
        assert!(f.to_settings().is_err());
        // A stored password without a user: say how to fix it.
        let mut f = MqttForm::from_settings(Some(&stored()));
        f.user.clear();
        assert!(f
            .problem(Field::Password)
            .unwrap()
            .contains("tick \"Remove the stored password\""));
        f.remove_password = true;
        assert!(f.problems().is_empty());
    }
}
