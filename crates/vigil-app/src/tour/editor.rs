//! The "Edit tours" window: pick a tour or start a new one, give it a name, a dwell time and its
//! steps (a saved layout, or one camera full screen; reordered and removed with small
//! buttons), then save or delete it. Saving and deleting are configuration jobs; the window
//! says what went wrong in a sentence.

use egui::{Color32, DragValue, RichText, ScrollArea, TextEdit, Ui};

use crate::config_jobs::{poll, wake};
use crate::tr;

use vigil_core::model::tour::DWELL_RANGE_S;
use vigil_core::model::{Tour, TourStep};
use vigil_core::service::{ConfigJob, ConfigStore, NewTour, TourCatalog};

/// What a lost job was doing, in the engine's English error (`ServiceError::JobLost`).
const SAVING: &str = "saving the tour"; // i18n-ignore
const REMOVING: &str = "removing the tour"; // i18n-ignore

/// The tour being written.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// The stored tour it edits; `None` for a new one.
    pub id: Option<i64>,
    pub name: String,
    pub steps: Vec<TourStep>,
    pub dwell_s: f64,
}

impl Default for Draft {
    fn default() -> Self {
        Self {
            id: None,
            name: String::new(),
            steps: Vec::new(),
            dwell_s: 10.0,
        }
    }
}

impl Draft {
    fn of(tour: &Tour) -> Self {
        Self {
            id: Some(tour.id),
            name: tour.name.clone(),
            steps: tour.steps.clone(),
            dwell_s: tour.dwell_s,
        }
    }
}

enum Pending {
    Save(ConfigJob<Tour>),
    Remove(ConfigJob<bool>),
}

#[derive(Default)]
pub struct TourEditor {
    open: bool,
    draft: Draft,
    pending: Option<Pending>,
    /// The outcome of the last save or delete: done (in words) or what went wrong.
    outcome: Option<Result<String, String>>,
}

impl TourEditor {
    pub fn open(&mut self) {
        self.open = true;
    }

    pub fn is_open(&self) -> bool {
        self.open
    }

    pub fn draft(&self) -> &Draft {
        &self.draft
    }

    pub fn outcome(&self) -> Option<&Result<String, String>> {
        self.outcome.as_ref()
    }

    /// Whether a save or delete is running.
    pub fn is_busy(&self) -> bool {
        self.pending.is_some()
    }

    /// Draws the window when open; answers whether a tour was saved or removed.
    pub fn show(
        &mut self,
        ctx: &egui::Context,
        config: &ConfigStore,
        catalog: Option<&TourCatalog>,
    ) -> bool {
        let changed = self.take_answer();
        if !self.open {
            return changed;
        }
        let mut open = true;
        egui::Window::new(tr!("tour-editor-title"))
            .id(egui::Id::unique("tour-editor"))
            .open(&mut open)
            .default_width(520.0)
            .default_pos([60.0, 90.0])
            .show(ctx, |ui| match catalog {
                Some(catalog) => self.contents(ui, config, catalog),
                None => {
                    ui.spinner();
                }
            });
        self.open = open;
        changed
    }

    fn take_answer(&mut self) -> bool {
        let outcome = match &mut self.pending {
            Some(Pending::Save(job)) => poll(job, SAVING).map(|a| {
                a.map(|tour| {
                    let said = tr!("tour-saved", name = tour.name.as_str());
                    self.draft = Draft::of(&tour);
                    said
                })
            }),
            Some(Pending::Remove(job)) => poll(job, REMOVING).map(|a| {
                a.map(|_| {
                    let said = tr!("tour-deleted", name = self.draft.name.as_str());
                    self.draft = Draft::default();
                    said
                })
            }),
            None => None,
        };
        let Some(outcome) = outcome else {
            return false;
        };
        self.pending = None;
        let changed = outcome.is_ok();
        self.outcome = Some(outcome.map_err(|e| e.to_string()));
        changed
    }

    fn contents(&mut self, ui: &mut Ui, config: &ConfigStore, catalog: &TourCatalog) {
        ui.horizontal_wrapped(|ui| {
            ui.label(tr!("tour-picker"));
            for tour in &catalog.tours {
                let on = self.draft.id == Some(tour.id);
                if ui.selectable_label(on, &tour.name).clicked() {
                    self.draft = Draft::of(tour);
                    self.outcome = None;
                }
            }
            if ui.button(tr!("tour-new")).clicked() {
                self.draft = Draft::default();
                self.outcome = None;
            }
        });
        ui.separator();
        self.fields(ui);
        ui.label(RichText::new(tr!("tour-steps")).strong());
        steps_list(ui, &mut self.draft.steps, catalog);
        add_step_menu(ui, &mut self.draft.steps, catalog);
        ui.separator();
        self.buttons(ui, config);
    }

    fn fields(&mut self, ui: &mut Ui) {
        ui.horizontal(|ui| {
            let label = ui.label(tr!("tour-name"));
            ui.add(TextEdit::singleline(&mut self.draft.name).desired_width(240.0))
                .labelled_by(label.id);
        });
        ui.horizontal(|ui| {
            let label = ui.label(tr!("tour-dwell"));
            let (lo, hi) = DWELL_RANGE_S;
            ui.add(
                DragValue::new(&mut self.draft.dwell_s)
                    .range(lo..=hi)
                    .speed(0.5)
                    .suffix(tr!("tour-seconds-suffix")),
            )
            .labelled_by(label.id);
        });
    }

    fn buttons(&mut self, ui: &mut Ui, config: &ConfigStore) {
        ui.horizontal(|ui| {
            let idle = self.pending.is_none();
            if ui
                .add_enabled(idle, egui::Button::new(tr!("tour-save")))
                .clicked()
            {
                let tour = NewTour {
                    name: self.draft.name.clone(),
                    steps: self.draft.steps.clone(),
                    dwell_s: self.draft.dwell_s,
                };
                let job = config.save_tour(self.draft.id, tour, Some(wake(ui.ctx())));
                self.pending = Some(Pending::Save(job));
            }
            if let Some(id) = self.draft.id {
                if ui
                    .add_enabled(idle, egui::Button::new(tr!("tour-delete")))
                    .clicked()
                {
                    let job = config.remove_tour(id, Some(wake(ui.ctx())));
                    self.pending = Some(Pending::Remove(job));
                }
            }
            if !idle {
                ui.spinner();
            }
        });
        match &self.outcome {
            Some(Ok(done)) => {
                ui.label(RichText::new(done).color(Color32::from_rgb(140, 190, 255)));
            }
            Some(Err(e)) => {
                ui.label(RichText::new(e).color(Color32::from_rgb(235, 90, 80)));
            }
            None => {}
        }
    }
}

/// A step in words: "Layout Lobby (2×2)", "Camera yard", or what is missing.
pub fn step_label(step: &TourStep, catalog: &TourCatalog) -> String {
    match step {
        TourStep::Layout(id) => match catalog.layout(*id) {
            Some(l) => tr!(
                "tour-step-layout",
                name = l.name.as_str(),
                kind = l.kind.label()
            ),
            None => tr!("tour-step-removed-layout", id = id.to_string()),
        },
        TourStep::Camera(id) => match catalog.camera_name(*id) {
            Some(name) => tr!("tour-step-camera", name = name),
            None => tr!("tour-step-removed-camera", id = id.to_string()),
        },
    }
}

fn steps_list(ui: &mut Ui, steps: &mut Vec<TourStep>, catalog: &TourCatalog) {
    if steps.is_empty() {
        ui.label(tr!("tour-no-steps"));
        return;
    }
    let mut swap = None;
    let mut remove = None;
    ScrollArea::vertical().max_height(260.0).show(ui, |ui| {
        for (i, step) in steps.iter().enumerate() {
            ui.horizontal(|ui| {
                ui.label(format!("{}. {}", i + 1, step_label(step, catalog)));
                if ui
                    .add_enabled(i > 0, egui::Button::new(tr!("tour-step-up")).small())
                    .clicked()
                {
                    swap = Some(i - 1);
                }
                let last = i + 1 == steps.len();
                if ui
                    .add_enabled(!last, egui::Button::new(tr!("tour-step-down")).small())
                    .clicked()
                {
                    swap = Some(i);
                }
                if ui
                    .small_button(tr!("tour-step-remove", number = (i + 1).to_string()))
                    .clicked()
                {
                    remove = Some(i);
                }
            });
        }
    });
    if let Some(i) = swap {
        steps.swap(i, i + 1);
    }
    if let Some(i) = remove {
        steps.remove(i);
    }
}

fn add_step_menu(ui: &mut Ui, steps: &mut Vec<TourStep>, catalog: &TourCatalog) {
    ui.menu_button(tr!("tour-add-step"), |ui| {
        ScrollArea::vertical().max_height(320.0).show(ui, |ui| {
            if catalog.layouts.is_empty() {
                ui.label(tr!("tour-no-layouts"));
            }
            for layout in &catalog.layouts {
                let step = TourStep::Layout(layout.id);
                if ui.button(step_label(&step, catalog)).clicked() {
                    steps.push(step);
                    ui.close();
                }
            }
            ui.separator();
            for (id, _) in &catalog.cameras {
                let step = TourStep::Camera(*id);
                if ui.button(step_label(&step, catalog)).clicked() {
                    steps.push(step);
                    ui.close();
                }
            }
        });
    });
}
