//! The "MQTT…" window of the desktop app: the broker Vigil talks to (address, user, password
//! kept out of sight, client id, topic prefix, Home Assistant discovery), Save and "Turn MQTT
//! off", and the broker connection's state when the engine reports it. It reads the stored
//! settings once when it opens and writes them through the [`ConfigStore`] (jobs polled each
//! frame; the window never waits on the library).

mod form;

use egui::{Context, Grid, RichText, Spinner, TextEdit, Ui};

pub use form::{Field, MqttForm};

use crate::camera_setup::widgets::{field_row, modal, problem, ERROR_RED, GOOD_GREEN};
use crate::config_jobs::{poll, wake};
use crate::tr;
use vigil_core::model::MqttSettings;
use vigil_core::service::{ConfigJob, ConfigStore, EngineStatus, Wake};

/// The broker connection as the window reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BrokerLink {
    Connected,
    Connecting,
    /// Not connected, with the reason in words (e.g. "connection refused; retrying in 8 s").
    Failing(String),
}

/// The broker connection's state from the engine's status: `None` while the engine runs no
/// MQTT connection (MQTT off, or this front end records nothing).
pub fn broker_link(status: &EngineStatus) -> Option<BrokerLink> {
    let mqtt = status.mqtt.as_ref()?;
    Some(match (&mqtt.last_error, mqtt.connected) {
        (_, true) => BrokerLink::Connected,
        (Some(why), false) => BrokerLink::Failing(format!("{} {why}", mqtt.broker)),
        (None, false) => BrokerLink::Connecting,
    })
}

/// The line under the window's title saying how the connection is.
pub fn link_line(link: &BrokerLink) -> RichText {
    match link {
        BrokerLink::Connected => RichText::new(tr!("mqtt-connected")).color(GOOD_GREEN),
        BrokerLink::Connecting => RichText::new(tr!("mqtt-connecting")),
        BrokerLink::Failing(why) => {
            RichText::new(tr!("mqtt-not-connected", why = why.as_str())).color(ERROR_RED)
        }
    }
}

/// A change being stored.
enum Pending {
    Save(ConfigJob<()>),
    Off(ConfigJob<bool>),
}

struct Dialog {
    form: MqttForm,
    /// The store's answer to the last change, in words.
    error: Option<String>,
    pending: Option<Pending>,
    /// "Turn MQTT off" was clicked: waiting for the confirmation.
    confirm_off: bool,
}

/// The MQTT window: closed, opening (reading the stored settings) or open.
#[derive(Default)]
pub struct MqttWindow {
    opening: Option<ConfigJob<Option<MqttSettings>>>,
    dialog: Option<Dialog>,
}

impl MqttWindow {
    /// Opens the window on the stored settings, once read.
    pub fn open(&mut self, config: &ConfigStore, wake: Wake) {
        self.dialog = None;
        self.opening = Some(config.mqtt_settings(Some(wake)));
    }

    /// Whether the window is open or opening (the grid's keyboard shortcuts wait meanwhile).
    pub fn is_open(&self) -> bool {
        self.dialog.is_some() || self.opening.is_some()
    }

    /// Whether a configuration job of the window is running (opening, saving).
    pub fn is_busy(&self) -> bool {
        self.opening.is_some() || self.dialog.as_ref().is_some_and(|d| d.pending.is_some())
    }

    /// Draws the window. Returns a sentence when a change was stored (for the notice line),
    /// or why the window could not open.
    pub fn show(
        &mut self,
        ctx: &Context,
        config: Option<&ConfigStore>,
        status: &EngineStatus,
    ) -> Option<Result<String, String>> {
        if let Some(job) = self.opening.as_mut() {
            let answer = poll(job, "reading the MQTT settings")?; // i18n-ignore: the engine's JobLost text
            self.opening = None;
            match answer {
                Ok(stored) => {
                    self.dialog = Some(Dialog {
                        form: MqttForm::from_settings(stored.as_ref()),
                        error: None,
                        pending: None,
                        confirm_off: false,
                    })
                }
                Err(e) => return Some(Err(tr!("mqtt-cannot-open", error = e.to_string()))),
            }
        }
        let dialog = self.dialog.as_mut()?;
        let Some(config) = config else {
            self.dialog = None;
            return None;
        };
        if let Some(done) = dialog.stored() {
            self.dialog = None;
            return Some(Ok(done));
        }
        let (close, escape) = modal(ctx, "mqtt", &tr!("mqtt-title"), |ui| {
            dialog.contents(ui, config, status)
        });
        if close || escape {
            self.dialog = None;
        }
        None
    }
}

impl Dialog {
    /// The pending change's answer once stored: what to say; a refusal stays in the window.
    fn stored(&mut self) -> Option<String> {
        let answer = match self.pending.as_mut()? {
            Pending::Save(job) => {
                poll(job, "saving the MQTT settings")? // i18n-ignore: JobLost
                    .map(|()| tr!("mqtt-saved", broker = self.form.broker.trim()))
            }
            Pending::Off(job) => {
                poll(job, "turning MQTT off")?.map(|_| tr!("mqtt-turned-off")) // i18n-ignore: JobLost
            }
        };
        self.pending = None;
        match answer {
            Ok(done) => Some(done),
            Err(e) => {
                self.error = Some(e.to_string());
                None
            }
        }
    }

    /// The window's inside; whether it asks to close.
    fn contents(&mut self, ui: &mut Ui, config: &ConfigStore, status: &EngineStatus) -> bool {
        match (self.form.is_on, broker_link(status)) {
            (true, Some(link)) => {
                ui.label(link_line(&link));
            }
            (true, None) => {
                ui.label(RichText::new(tr!("mqtt-on-hint")).weak());
            }
            (false, _) => {
                ui.label(tr!("mqtt-off-hint"));
            }
        }
        ui.add_space(4.0);
        self.fields(ui);
        ui.label(RichText::new(tr!("mqtt-publishes-hint")).weak());
        if let Some(e) = &self.error {
            problem(ui, e);
        }
        self.buttons(ui, config)
    }

    fn fields(&mut self, ui: &mut Ui) {
        let f = &mut self.form;
        if f.remove_password {
            f.password.clear(); // the box wins over a password typed before it was ticked
        }
        let [broker, user, password, client_id, prefix] = [
            Field::Broker,
            Field::User,
            Field::Password,
            Field::ClientId,
            Field::TopicPrefix,
        ]
        .map(|field| f.problem(field));
        let stored = f.has_stored_password();
        let hint = if stored {
            tr!("mqtt-password-stored-hint")
        } else {
            tr!("mqtt-none")
        };
        let line = TextEdit::singleline;
        Grid::new("mqtt-fields")
            .num_columns(2)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                let edit = line(&mut f.broker).hint_text("mqtt://192.168.1.5:1883"); // i18n-ignore: an address
                field_row(ui, &tr!("mqtt-broker"), edit, true, broker.as_deref());
                let edit = line(&mut f.user).hint_text(tr!("mqtt-none"));
                field_row(ui, &tr!("mqtt-user"), edit, true, user.as_deref());
                let edit = line(&mut f.password).password(true).hint_text(hint);
                field_row(
                    ui,
                    &tr!("mqtt-password"),
                    edit,
                    !f.remove_password,
                    password.as_deref(),
                );
                if stored {
                    checkbox_row(ui, &mut f.remove_password, &tr!("mqtt-remove-password"));
                }
                let edit = line(&mut f.client_id);
                field_row(ui, &tr!("mqtt-client-id"), edit, true, client_id.as_deref());
                let edit = line(&mut f.topic_prefix);
                field_row(ui, &tr!("mqtt-topic-prefix"), edit, true, prefix.as_deref());
                checkbox_row(ui, &mut f.ha_discovery, &tr!("mqtt-ha-discovery"));
            });
    }

    /// Save, "Turn MQTT off" and Cancel; whether Cancel was clicked.
    fn buttons(&mut self, ui: &mut Ui, config: &ConfigStore) -> bool {
        ui.separator();
        let blocked = self.form.problems().into_iter().next().map(|(_, e)| e);
        if let Some(reason) = &blocked {
            problem(ui, &tr!("mqtt-cannot-save-yet", reason = reason.as_str()));
        }
        let busy = self.pending.is_some();
        let (save, off, cancel) = ui
            .horizontal(|ui| {
                let save = ui
                    .add_enabled(
                        blocked.is_none() && !busy,
                        egui::Button::new(tr!("common-save")),
                    )
                    .clicked();
                let off = ui
                    .add_enabled(
                        self.form.is_on && !busy,
                        egui::Button::new(tr!("mqtt-turn-off")),
                    )
                    .clicked();
                let cancel = ui.button(tr!("common-cancel")).clicked();
                if busy {
                    ui.add(Spinner::new());
                    ui.label(tr!("mqtt-saving"));
                }
                (save, off, cancel)
            })
            .inner;
        if save && !busy {
            match self.form.to_settings() {
                Ok((s, password)) => {
                    let job = config.save_mqtt_settings(s, password, Some(wake(ui.ctx())));
                    self.pending = Some(Pending::Save(job));
                }
                Err(e) => self.error = Some(e),
            }
        }
        if off {
            self.confirm_off = true;
        }
        if self.confirm_off && !busy {
            self.confirm_off(ui, config);
        }
        cancel
    }

    /// Turning MQTT off forgets the password: asked once more.
    fn confirm_off(&mut self, ui: &mut Ui, config: &ConfigStore) {
        problem(ui, &tr!("mqtt-confirm-off"));
        ui.horizontal(|ui| {
            if ui.button(tr!("mqtt-confirm-off-yes")).clicked() {
                let job = config.clear_mqtt_settings(Some(wake(ui.ctx())));
                self.pending = Some(Pending::Off(job));
                self.confirm_off = false;
            }
            if ui.button(tr!("mqtt-keep-on")).clicked() {
                self.confirm_off = false;
            }
        });
    }
}

/// A checkbox in the fields' column of a two-column grid.
fn checkbox_row(ui: &mut Ui, value: &mut bool, text: &str) {
    ui.label("");
    ui.checkbox(value, text);
    ui.end_row();
}

#[cfg(test)]
mod tests {
    use super::*;
    use vigil_core::service::MqttStatus;

    fn with(mqtt: Option<MqttStatus>) -> EngineStatus {
        EngineStatus {
            mqtt,
            ..EngineStatus::default()
        }
    }

    #[test]
    fn the_broker_line_follows_the_engines_mqtt_status() {
        assert_eq!(broker_link(&with(None)), None);
        let mut s = MqttStatus {
            broker: "mqtt://10.0.0.5:1883".into(),
            connected: false,
            since_us: None,
            last_error: None,
            dropped: 0,
        };
        assert_eq!(
            broker_link(&with(Some(s.clone()))),
            Some(BrokerLink::Connecting)
        );
        s.last_error = Some("is unreachable: connection refused".into());
        assert_eq!(
            broker_link(&with(Some(s.clone()))),
            Some(BrokerLink::Failing(
                "mqtt://10.0.0.5:1883 is unreachable: connection refused".into()
            ))
        );
        s.connected = true;
        assert_eq!(broker_link(&with(Some(s))), Some(BrokerLink::Connected));
    }
}
