//! The layout dialogs: "Save layout as…" (a name, any text; saving over an existing name
//! replaces that layout, and says so first), rename, and delete with confirmation. Each
//! confirmed dialog starts one library job; a refusal stays in the dialog in words.

use egui::{Context, Grid, RichText, TextEdit, Ui};

use crate::camera_setup::widgets::{buttons, field_row, modal, problem};
use crate::config_jobs::{poll, wake};
use crate::tr;
use vigil_core::model::layout::check_layout_name;
use vigil_core::model::LayoutKind;
use vigil_core::service::{ConfigJob, ConfigStore, NamedLayout};

/// What a lost job was doing: completes the engine's English `JobLost` sentence (engine
/// words, like the error it is part of).
const JOB_SAVING_THE_LAYOUT: &str = "saving the layout"; // i18n-ignore
const JOB_RENAMING_THE_LAYOUT: &str = "renaming the layout"; // i18n-ignore
const JOB_DELETING_THE_LAYOUT: &str = "deleting the layout"; // i18n-ignore

/// Which dialog is open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    SaveAs,
    Rename(i64),
    Delete(i64, String),
}

/// What a finished job did.
pub(super) enum Outcome {
    Saved(NamedLayout),
    Renamed(NamedLayout),
    Removed(i64),
}

enum Pending {
    Save(ConfigJob<NamedLayout>),
    Rename(ConfigJob<NamedLayout>),
    Delete(i64, ConfigJob<()>),
}

/// What a save stores: the shape and each cell's camera (`None`: empty).
pub struct ToSave {
    pub kind: LayoutKind,
    pub cells: Vec<Option<String>>,
}

#[derive(Default)]
pub struct LayoutDialog {
    open: Option<Kind>,
    name: String,
    error: Option<String>,
    pending: Option<Pending>,
}

impl LayoutDialog {
    pub fn is_open(&self) -> bool {
        self.open.is_some()
    }

    pub(super) fn is_busy(&self) -> bool {
        self.pending.is_some()
    }

    pub fn open_save_as(&mut self, suggested: &str) {
        self.open_with(Kind::SaveAs, suggested);
    }

    pub fn open_rename(&mut self, id: i64, name: &str) {
        self.open_with(Kind::Rename(id), name);
    }

    pub fn open_delete(&mut self, id: i64, name: &str) {
        self.open_with(Kind::Delete(id, name.to_string()), name);
    }

    fn open_with(&mut self, kind: Kind, name: &str) {
        self.open = Some(kind);
        self.name = name.to_string();
        self.error = None;
    }

    /// Saves over the saved layout `name` at once (no dialog).
    pub fn save_now(&mut self, ctx: &Context, config: &ConfigStore, name: &str, what: ToSave) {
        let job = config.save_layout(name, what.kind, what.cells, Some(wake(ctx)));
        self.pending = Some(Pending::Save(job));
    }

    /// A finished job: what it did, or why it failed (in words) when no dialog shows it.
    pub(super) fn poll(&mut self) -> Option<Result<Outcome, String>> {
        let answer = match self.pending.as_mut()? {
            Pending::Save(job) => poll(job, JOB_SAVING_THE_LAYOUT)?.map(Outcome::Saved),
            Pending::Rename(job) => poll(job, JOB_RENAMING_THE_LAYOUT)?.map(Outcome::Renamed),
            Pending::Delete(id, job) => {
                let id = *id;
                poll(job, JOB_DELETING_THE_LAYOUT)?.map(|()| Outcome::Removed(id))
            }
        };
        self.pending = None;
        match answer {
            Ok(done) => {
                self.open = None;
                Some(Ok(done))
            }
            Err(e) if self.open.is_some() => {
                self.error = Some(format!("{e}."));
                None
            }
            Err(e) => Some(Err(tr!("layouts-cannot-save", error = e.to_string()))),
        }
    }

    /// Draws the open dialog; `to_save` makes what "Save" stores.
    pub fn show(
        &mut self,
        ctx: &Context,
        config: Option<&ConfigStore>,
        saved: &[NamedLayout],
        to_save: impl FnOnce() -> ToSave,
    ) {
        let (Some(kind), Some(config)) = (self.open.clone(), config) else {
            self.open = None;
            return;
        };
        let title = match &kind {
            Kind::SaveAs => tr!("layouts-save-as-title"),
            Kind::Rename(_) => tr!("layouts-rename-title"),
            Kind::Delete(..) => tr!("layouts-delete-title"),
        };
        let ((go, cancel), escape) = modal(ctx, "layout-dialog", &title, |ui| {
            self.contents(ui, &kind, saved)
        });
        if cancel || escape {
            self.open = None;
        } else if go {
            self.error = None;
            let wake = Some(wake(ctx));
            self.pending = Some(match kind {
                Kind::SaveAs => {
                    let what = to_save();
                    Pending::Save(config.save_layout(&self.name, what.kind, what.cells, wake))
                }
                Kind::Rename(id) => Pending::Rename(config.rename_layout(id, &self.name, wake)),
                Kind::Delete(id, _) => Pending::Delete(id, config.remove_layout(id, wake)),
            });
        }
    }

    /// The dialog's inside: the question or the name field, then the buttons (main clicked,
    /// cancel clicked). A name that cannot be used keeps the main button off, saying why.
    fn contents(&mut self, ui: &mut Ui, kind: &Kind, saved: &[NamedLayout]) -> (bool, bool) {
        let busy = self.pending.is_some();
        let checked = check_layout_name(&self.name);
        let action = match kind {
            Kind::SaveAs => tr!("common-save"),
            Kind::Rename(_) => tr!("layouts-rename"),
            Kind::Delete(_, name) => {
                ui.label(tr!("layouts-delete-question", name = name.as_str()));
                tr!("common-delete")
            }
        };
        if !matches!(kind, Kind::Delete(..)) {
            Grid::new("layout-name").num_columns(2).show(ui, |ui| {
                let edit = TextEdit::singleline(&mut self.name);
                field_row(ui, &tr!("layouts-name"), edit, !busy, None);
            });
            let replaces = checked
                .as_ref()
                .ok()
                .and_then(|n| saved.iter().find(|l| l.name == *n && *kind == Kind::SaveAs));
            if let Some(l) = replaces {
                let note = tr!("layouts-replaces", name = l.name.as_str());
                ui.label(RichText::new(note).weak());
            }
        }
        if let Some(e) = &self.error {
            problem(ui, e);
        }
        let blocked = match (busy, kind, checked) {
            (true, _, _) => Some(tr!("layouts-still-working")),
            (false, Kind::Delete(..), _) | (false, _, Ok(_)) => None,
            (false, _, Err(e)) => Some(e.0),
        };
        buttons(ui, &action, blocked.as_deref())
    }
}
