//! The recording-policy editor: the mode, then each field in operator units with its problem
//! next to it (fields the mode does not use are disabled), and the disk and memory estimate at
//! the camera's measured bitrate. Shown alone for an existing camera ("Recording policy…",
//! with "Record sound", the Objects section and the trigger sources) and inside the
//! add-camera dialog.

use egui::{Context, Grid, RichText, ScrollArea, Spinner, TextEdit, Ui};

use super::estimate::estimate;
use super::objects_section::ObjectsSection;
use super::policy_form::{Field, PolicyCheck, PolicyForm};
use super::trigger_sources::TriggerSources;
use super::widgets::{buttons, field_row, modal, problem, sound_row};
use super::Outcome;
use crate::config_jobs::{poll, wake};
use crate::tr;
use vigil_core::model::{ObjectSettings, Policy, RecordMode};
use vigil_core::service::{ConfigJob, ConfigStore, ConnState, EngineStatus};

/// Draws the mode switch, the fields and the estimate for `form`, checked as `check`.
pub fn policy_section(
    ui: &mut Ui,
    form: &mut PolicyForm,
    check: &PolicyCheck,
    bitrate_bps: Option<f64>,
) {
    let mode = form.mode;
    Grid::new("policy-fields")
        .num_columns(2)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            ui.label(tr!("setup-record"));
            ui.horizontal(|ui| {
                for m in [
                    RecordMode::Off,
                    RecordMode::Continuous,
                    RecordMode::Events,
                    RecordMode::Both,
                ] {
                    ui.selectable_value(&mut form.mode, m, mode_word(m));
                }
            });
            ui.end_row();
            let example = |e: &str| tr!("setup-example", example = e);
            let rows: [(String, Field, &mut String, String); 7] = [
                (
                    tr!("setup-segment-length"),
                    Field::Segment,
                    &mut form.segment,
                    example("60s, 5m"),
                ),
                (
                    tr!("setup-keep-days"),
                    Field::KeepDays,
                    &mut form.keep_days,
                    example("7"),
                ),
                (
                    tr!("setup-max-disk"),
                    Field::MaxGb,
                    &mut form.max_gb,
                    tr!("setup-max-disk-hint"),
                ),
                (
                    tr!("setup-pre-event"),
                    Field::PreEvent,
                    &mut form.pre_event,
                    example("10s"),
                ),
                (
                    tr!("setup-post-event"),
                    Field::PostEvent,
                    &mut form.post_event,
                    example("30s"),
                ),
                (
                    tr!("setup-max-clip"),
                    Field::MaxClip,
                    &mut form.max_clip,
                    example("5m"),
                ),
                (
                    tr!("setup-keep-events-days"),
                    Field::EventDays,
                    &mut form.event_days,
                    example("30"),
                ),
            ];
            for (label, field, text, hint) in rows {
                field_row(
                    ui,
                    &label,
                    TextEdit::singleline(text).hint_text(hint),
                    field.applies_to(mode),
                    check.error(field),
                );
            }
        });
    let general = check.errors.iter().find(|(f, _)| f.is_none());
    if let Some((_, e)) = general {
        problem(ui, e);
    }
    ui.add_space(4.0);
    for line in estimate(&check.policy, bitrate_bps) {
        ui.label(RichText::new(line).weak());
    }
}

/// The policy editor for one existing camera.
pub struct PolicyDialog {
    camera: String,
    camera_id: i64,
    form: PolicyForm,
    error: Option<String>,
    /// The Save being stored: the policy, then the object detection when it changed.
    saving: Option<ConfigJob<()>>,
    objects_to_save: Option<Option<ObjectSettings>>,
    objects_saving: Option<ConfigJob<()>>,
    /// The camera's trigger sources (stored at once, apart from Save).
    triggers: TriggerSources,
    /// What makes an event: objects the detector confirms, or motion alone.
    objects: ObjectsSection,
    /// "Record sound" as ticked, and as stored.
    audio: bool,
    audio_stored: bool,
    /// The sound setting being stored (beside the policy).
    audio_saving: Option<ConfigJob<()>>,
}

impl PolicyDialog {
    pub fn new(
        camera: &str,
        camera_id: i64,
        policy: &Policy,
        objects: Option<&ObjectSettings>,
        audio: bool,
    ) -> Self {
        Self {
            camera: camera.to_string(),
            camera_id,
            form: PolicyForm::from_policy(policy),
            error: None,
            saving: None,
            objects_to_save: None,
            objects_saving: None,
            triggers: TriggerSources::new(camera_id),
            objects: ObjectsSection::new(objects),
            audio,
            audio_stored: audio,
            audio_saving: None,
        }
    }

    /// Whether a Save (or a trigger source's read or change) is being stored.
    pub fn is_saving(&self) -> bool {
        self.storing() || self.triggers.is_busy()
    }

    /// Whether a Save is being stored.
    fn storing(&self) -> bool {
        self.saving.is_some() || self.objects_saving.is_some() || self.audio_saving.is_some()
    }

    /// The Save's answer once stored (the policy, then the object detection): done; a
    /// refusal stays in the dialog.
    fn saved(&mut self, config: &ConfigStore, ctx: &Context) -> Option<Outcome> {
        let done = tr!("setup-policy-saved", name = self.camera.as_str());
        if let Some(job) = &mut self.audio_saving {
            let answer = poll(job, "saving the sound setting")?; // i18n-ignore
            self.audio_saving = None;
            if let Err(e) = answer {
                self.error = Some(e.to_string());
                return None;
            }
            self.audio_stored = self.audio;
            if !self.storing() {
                return Some(Outcome::Done(done));
            }
        }
        if let Some(job) = &mut self.objects_saving {
            let answer = poll(job, "saving the object detection")?; // i18n-ignore
            self.objects_saving = None;
            return match answer {
                Ok(()) => Some(Outcome::Done(done)),
                Err(e) => {
                    self.error = Some(tr!("setup-objects-not-saved", error = e.to_string()));
                    None
                }
            };
        }
        let answer = poll(self.saving.as_mut()?, "saving the policy")?; // i18n-ignore
        self.saving = None;
        match (answer, self.objects_to_save.take()) {
            (Ok(()), Some(objects)) => {
                let job = config.set_camera_objects(self.camera_id, objects, Some(wake(ctx)));
                self.objects_saving = Some(job);
                None
            }
            // The sound setting, when it changed, answers last.
            (Ok(()), None) if self.audio_saving.is_some() => None,
            (Ok(()), None) => Some(Outcome::Done(done)),
            (Err(e), _) => {
                self.error = Some(e.to_string());
                None
            }
        }
    }

    pub fn show(&mut self, ctx: &Context, config: &ConfigStore, status: &EngineStatus) -> Outcome {
        if let Some(done) = self.saved(config, ctx) {
            return done;
        }
        let bitrate = measured_bitrate(status, &self.camera);
        let detector_error = objects_error(status, &self.camera);
        let title = tr!("setup-policy-title", name = self.camera.as_str());
        let (outcome, escape) = modal(ctx, "policy", &title, |ui| {
            let check = self.form.check(bitrate);
            // Below the scroll area: the problem lines and the buttons, always in view.
            let max = (ui.ctx().content_rect().height() - 280.0).max(200.0);
            ScrollArea::vertical().max_height(max).show(ui, |ui| {
                policy_section(ui, &mut self.form, &check, bitrate);
                ui.label(RichText::new(tr!("setup-policy-note")).weak());
                sound_row(ui, &mut self.audio);
                ui.separator();
                self.objects.show(ui, detector_error.as_deref());
                self.triggers.show(ui, config, self.form.mode);
            });
            if let Some(e) = &self.error {
                problem(ui, e);
            }
            let blocked = check
                .first_error()
                .map(str::to_string)
                .or_else(|| self.objects.first_error());
            let (save, cancel) = buttons(ui, &tr!("common-save"), blocked.as_deref());
            if self.storing() {
                ui.horizontal(|ui| {
                    ui.add(Spinner::new());
                    ui.label(tr!("setup-saving"));
                });
            }
            if cancel {
                return Outcome::Close;
            }
            if save && !self.storing() {
                let wanted = self.form.check(bitrate).result().and_then(|p| {
                    let objects = self.objects.change()?;
                    Ok((p, objects))
                });
                match wanted {
                    Ok((p, objects)) => {
                        let job = config.set_policy(self.camera_id, p, Some(wake(ui.ctx())));
                        self.saving = Some(job);
                        self.objects_to_save = objects;
                        if self.audio != self.audio_stored {
                            let job = config.set_camera_audio(
                                self.camera_id,
                                self.audio,
                                Some(wake(ui.ctx())),
                            );
                            self.audio_saving = Some(job);
                        }
                    }
                    Err(e) => self.error = Some(e),
                }
            }
            Outcome::Open
        });
        if escape {
            Outcome::Close
        } else {
            outcome
        }
    }
}

/// A recording mode as the operator reads it ("continuous", "연속 녹화").
pub fn mode_word(mode: RecordMode) -> String {
    tr!("setup-mode", mode = mode.as_str())
}

/// Why the camera's object detector cannot run, as the engine says it.
fn objects_error(status: &EngineStatus, camera: &str) -> Option<String> {
    let cam = status.cameras.iter().find(|c| c.name == camera)?;
    cam.objects.as_ref()?.error.clone()
}

/// The camera's bitrate while it is connected and delivering video; `None` otherwise.
pub fn measured_bitrate(status: &EngineStatus, camera: &str) -> Option<f64> {
    status
        .cameras
        .iter()
        .find(|c| c.name == camera && c.conn == ConnState::Connected)
        .map(|c| c.bitrate_bps)
        .filter(|b| b.is_finite() && *b > 0.0)
}
