//! The policy editor's "Trigger sources" part: the camera's sources listed (name, topic,
//! condition, when its events end) with Remove, and a form to add one whose condition is
//! explained live as it is typed. Adding and removing are stored at once, through the
//! [`ConfigStore`]'s jobs (polled each frame), apart from the policy's Save.

use egui::{Grid, RichText, Spinner, TextEdit, Ui};

use super::trigger_form::{ends, meaning, TriggerField, TriggerForm};
use super::widgets::{field_row, problem, GOOD_GREEN};
use crate::config_jobs::{poll, wake};
use crate::tr;
use vigil_core::model::{MqttSettings, RecordMode, TriggerSource};
use vigil_core::service::{ConfigJob, ConfigStore};

/// A change being stored: the source's name and the store's job.
enum Change {
    Add(String, ConfigJob<i64>),
    Remove(String, ConfigJob<()>),
}

/// One camera's trigger sources in the policy editor.
pub struct TriggerSources {
    camera_id: i64,
    /// The stored sources, once read.
    listed: Option<Vec<TriggerSource>>,
    /// Whether MQTT is on, once read.
    mqtt_on: Option<bool>,
    reading: Option<ConfigJob<Vec<TriggerSource>>>,
    reading_mqtt: Option<ConfigJob<Option<MqttSettings>>>,
    change: Option<Change>,
    form: TriggerForm,
    /// The last change's outcome: Ok(what was done) or Err(why not).
    outcome: Option<Result<String, String>>,
    /// Whether the reads were started (once, on the first frame).
    started: bool,
}

impl TriggerSources {
    pub fn new(camera_id: i64) -> Self {
        Self {
            camera_id,
            listed: None,
            mqtt_on: None,
            reading: None,
            reading_mqtt: None,
            change: None,
            form: TriggerForm::default(),
            outcome: None,
            started: false,
        }
    }

    /// Whether a read or a change is running.
    pub fn is_busy(&self) -> bool {
        self.reading.is_some() || self.reading_mqtt.is_some() || self.change.is_some()
    }

    /// The names of the camera's sources (for the duplicate check).
    fn taken(&self) -> Vec<String> {
        self.listed
            .iter()
            .flatten()
            .map(|t| t.name.clone())
            .collect()
    }

    /// Takes the answers that came since the last frame; starts the reads the first time.
    fn poll(&mut self, ui: &Ui, config: &ConfigStore) {
        if !self.started {
            self.started = true;
            self.read(ui, config);
            self.reading_mqtt = Some(config.mqtt_settings(Some(wake(ui.ctx()))));
        }
        if let Some(job) = self.reading.as_mut() {
            let what = "reading the trigger sources"; // i18n-ignore: the engine's phrase
            if let Some(answer) = poll(job, what) {
                self.reading = None;
                match answer {
                    Ok(list) => self.listed = Some(list),
                    Err(e) => {
                        let error = e.to_string();
                        self.outcome = Some(Err(tr!("setup-triggers-read-failed", error = error)));
                    }
                }
            }
        }
        if let Some(job) = self.reading_mqtt.as_mut() {
            let what = "reading the MQTT settings"; // i18n-ignore: the engine's phrase
            if let Some(answer) = poll(job, what) {
                self.reading_mqtt = None;
                self.mqtt_on = answer.ok().map(|s| s.is_some());
            }
        }
        let answer = match self.change.as_mut() {
            Some(Change::Add(name, job)) => poll(job, "adding the trigger source") // i18n-ignore
                .map(|a| a.map(|_| tr!("setup-trigger-added", name = name.as_str()))),
            Some(Change::Remove(name, job)) => poll(job, "removing the trigger source") // i18n-ignore
                .map(|a| a.map(|()| tr!("setup-trigger-removed", name = name.as_str()))),
            None => None,
        };
        if let Some(answer) = answer {
            let added = matches!(self.change, Some(Change::Add(..)));
            self.change = None;
            if added && answer.is_ok() {
                self.form = TriggerForm::default();
            }
            self.outcome = Some(answer.map_err(|e| e.to_string()));
            self.read(ui, config);
        }
    }

    fn read(&mut self, ui: &Ui, config: &ConfigStore) {
        let job = config.trigger_sources(Some(self.camera_id), Some(wake(ui.ctx())));
        self.reading = Some(job);
    }

    /// Draws the part: heading, list, add form. `mode` is the policy's mode as chosen in the
    /// editor (events make clips only in an event mode).
    pub fn show(&mut self, ui: &mut Ui, config: &ConfigStore, mode: RecordMode) {
        self.poll(ui, config);
        ui.separator();
        ui.label(RichText::new(tr!("setup-triggers")).strong());
        ui.label(RichText::new(tr!("setup-triggers-note")).weak());
        if !mode.records_events() && self.listed.as_ref().is_some_and(|l| !l.is_empty()) {
            ui.label(RichText::new(tr!("setup-triggers-no-clips", mode = mode.as_str())).weak());
        }
        if self.mqtt_on == Some(false) {
            problem(ui, &tr!("setup-mqtt-off"));
        }
        self.list(ui, config);
        self.add_form(ui, config);
        match &self.outcome {
            Some(Ok(done)) => {
                ui.label(RichText::new(done).color(GOOD_GREEN));
            }
            Some(Err(e)) => problem(ui, e),
            None => {}
        }
    }

    fn list(&mut self, ui: &mut Ui, config: &ConfigStore) {
        let Some(listed) = &self.listed else {
            ui.horizontal(|ui| {
                ui.add(Spinner::new());
                ui.label(tr!("setup-reading"));
            });
            return;
        };
        if listed.is_empty() {
            ui.label(tr!("setup-none-yet"));
            return;
        }
        // Two lines a source, wrapped to the dialog: a table of five columns would widen it.
        let mut remove = None;
        for t in listed {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(&t.name).strong());
                ui.label(tr!("setup-trigger-topic", topic = t.topic.as_str()));
                let idle = self.change.is_none();
                if ui
                    .add_enabled(idle, egui::Button::new(tr!("common-remove")))
                    .clicked()
                {
                    remove = Some(t.name.clone());
                }
            });
            ui.label(
                RichText::new(tr!(
                    "setup-trigger-line",
                    condition = t.when.as_text(),
                    ends = ends(t.hold_s)
                ))
                .weak(),
            );
        }
        if let Some(name) = remove {
            let job = config.remove_trigger_source(self.camera_id, &name, Some(wake(ui.ctx())));
            self.change = Some(Change::Remove(name, job));
        }
    }

    fn add_form(&mut self, ui: &mut Ui, config: &ConfigStore) {
        let taken = self.taken();
        let f = &mut self.form;
        let errors = [
            TriggerField::Name,
            TriggerField::Topic,
            TriggerField::Condition,
            TriggerField::Hold,
        ]
        .map(|field| f.problem(field, &taken));
        let parsed = f.parsed_condition();
        ui.add_space(4.0);
        Grid::new("trigger-source-fields")
            .num_columns(2)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                let rows = [
                    (
                        tr!("setup-trigger-name"),
                        &mut f.name,
                        tr!("setup-trigger-name-hint"),
                    ),
                    (
                        tr!("setup-mqtt-topic"),
                        &mut f.topic,
                        "zigbee2mqtt/front_door".to_string(),
                    ),
                    (
                        tr!("setup-condition"),
                        &mut f.condition,
                        tr!("setup-condition-hint"),
                    ),
                ];
                for ((label, text, hint), error) in rows.into_iter().zip(&errors) {
                    field_row(
                        ui,
                        &label,
                        TextEdit::singleline(text).hint_text(hint),
                        true,
                        error.as_deref(),
                    );
                }
                if let Some(Ok(condition)) = &parsed {
                    ui.label("");
                    // In a vertical cell so that it wraps, like a field's problem.
                    ui.vertical(|ui| {
                        ui.label(RichText::new(meaning(condition)).color(GOOD_GREEN));
                    });
                    ui.end_row();
                }
                field_row(
                    ui,
                    &tr!("setup-hold"),
                    TextEdit::singleline(&mut f.hold).hint_text(tr!("setup-hold-hint")),
                    true,
                    errors[3].as_deref(),
                );
            });
        let ready = self.form.to_source(self.camera_id, &taken);
        let idle = self.change.is_none() && self.listed.is_some();
        ui.horizontal(|ui| {
            let add = ui
                .add_enabled(
                    idle && ready.is_ok(),
                    egui::Button::new(tr!("setup-add-trigger")),
                )
                .clicked();
            if self.change.is_some() {
                ui.add(Spinner::new());
                ui.label(tr!("setup-saving"));
            }
            if let (true, Ok(source)) = (add, ready) {
                let name = source.name.clone();
                let job = config.add_trigger_source(source, Some(wake(ui.ctx())));
                self.change = Some(Change::Add(name, job));
                self.outcome = None;
            }
        });
    }
}
