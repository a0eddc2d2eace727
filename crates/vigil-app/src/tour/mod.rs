//! Tours in the app: the catalog read from the configuration store, the top bar's Tours
//! menu (start, stop, resume, the editor), and the running tour driving the main window's
//! grid — a camera step opens that camera full screen, a layout step applies the saved
//! layout's shape and shows the page of its first camera. Any click, drag, scroll or key
//! press in the main window pauses the tour (see [`player`]); stopping it puts the grid
//! back as it was.

pub mod editor;
pub mod player;

use std::sync::Arc;
use std::time::{Duration, Instant};

use egui::{Color32, RichText, Ui};

use crate::config_jobs::{poll, wake};
use crate::grid::{GridState, Layout};
use crate::layouts::LayoutsUi;
use crate::tr;
use editor::TourEditor;
pub use player::{TourPlayer, TourState, RESUME_AFTER};
use vigil_core::model::TourStep;
use vigil_core::service::{ConfigJob, ConfigStore, TourCatalog};

/// Where the tours take the time from (tests move it by hand).
pub type Clock = Arc<dyn Fn() -> Instant + Send + Sync>;

/// The tours, the running one, and the editor window.
pub struct Tours {
    clock: Clock,
    catalog: Option<TourCatalog>,
    loading: Option<ConfigJob<TourCatalog>>,
    /// The catalog is read again once the current read answers.
    stale: bool,
    player: Option<TourPlayer>,
    /// The grid before the tour started, put back when it stops.
    before: Option<GridState>,
    editor: TourEditor,
    error: Option<String>,
}

impl Default for Tours {
    fn default() -> Self {
        Self::new(Arc::new(Instant::now))
    }
}

impl Tours {
    pub fn new(clock: Clock) -> Self {
        Self {
            clock,
            catalog: None,
            loading: None,
            stale: true,
            player: None,
            before: None,
            editor: TourEditor::default(),
            error: None,
        }
    }

    /// Tours, layouts and cameras as last read (`None` before the first answer).
    pub fn catalog(&self) -> Option<&TourCatalog> {
        self.catalog.as_ref()
    }

    /// The running tour, if any.
    pub fn running(&self) -> Option<&TourPlayer> {
        self.player.as_ref()
    }

    pub fn state(&self) -> Option<TourState> {
        Some(self.player.as_ref()?.state((self.clock)()))
    }

    pub fn editor(&self) -> &TourEditor {
        &self.editor
    }

    /// What went wrong since the last call (reading the tours, starting one), in words.
    pub fn take_error(&mut self) -> Option<String> {
        self.error.take()
    }

    /// Whether the catalog is being read or a tour saved or removed.
    pub fn is_busy(&self) -> bool {
        self.loading.is_some() || self.editor.is_busy()
    }

    /// Reads the catalog when it is stale and takes the answer when it comes.
    pub fn poll(&mut self, ctx: &egui::Context, config: Option<&ConfigStore>) {
        let Some(config) = config else {
            return;
        };
        if let Some(job) = &mut self.loading {
            let what = "reading the tours"; // i18n-ignore: the engine's JobLost text
            match poll(job, what) {
                Some(Ok(catalog)) => self.catalog = Some(catalog),
                Some(Err(e)) => self.error = Some(tr!("tour-cannot-read", error = e.to_string())),
                None => return,
            }
            self.loading = None;
        }
        if std::mem::take(&mut self.stale) {
            self.loading = Some(config.tour_catalog(Some(wake(ctx))));
        }
    }

    /// Pauses the running tour when the operator did anything in this window this frame.
    pub fn watch_input(&mut self, ui: &Ui) {
        let Some(player) = &mut self.player else {
            return;
        };
        if ui.input(|i| i.events.iter().any(is_interaction)) {
            player.interacted((self.clock)());
        }
    }

    /// Moves the running tour on and applies its step to `grid` (the main window's).
    pub fn drive(
        &mut self,
        ctx: &egui::Context,
        grid: &mut GridState,
        names: &[String],
        layouts: &mut LayoutsUi,
    ) {
        let (Some(player), Some(catalog)) = (&mut self.player, &self.catalog) else {
            return;
        };
        let now = (self.clock)();
        if let Some(step) = player.tick(now) {
            let mut open_saved = |id: i64, grid: &mut GridState| {
                let named = layouts.saved().iter().find(|l| l.id == id).cloned();
                named.map(|l| layouts.open(grid, &l)).is_some()
            };
            apply(&step, catalog, grid, names, &mut open_saved);
        }
        let wait = player.next_change().saturating_duration_since(now);
        // The pause countdown shows whole seconds.
        ctx.request_repaint_after(wait.min(Duration::from_secs(1)));
    }

    /// Starts a tour by id (stopping any other), from the catalog.
    pub fn start(&mut self, id: i64, grid: &GridState) {
        let Some(tour) = self
            .catalog
            .as_ref()
            .and_then(|c| c.tours.iter().find(|t| t.id == id))
        else {
            return;
        };
        match TourPlayer::start(tour.clone(), (self.clock)()) {
            Some(player) => {
                self.before.get_or_insert_with(|| grid.clone());
                self.player = Some(player);
            }
            None => self.error = Some(tr!("tour-has-no-steps", name = tour.name.as_str())),
        }
    }

    /// Stops the running tour and puts the grid back as it was before.
    pub fn stop(&mut self, grid: &mut GridState) {
        self.player = None;
        if let Some(before) = self.before.take() {
            *grid = before;
        }
    }

    /// The top bar's part: the Tours menu, or the running tour with Stop and Resume.
    pub fn top_bar(&mut self, ui: &mut Ui, grid: &mut GridState, config: Option<&ConfigStore>) {
        if config.is_none() {
            return;
        }
        if self.player.is_some() {
            self.running_bar(ui, grid);
            return;
        }
        let menu = ui.menu_button(tr!("tour-menu"), |ui| {
            let tours = self
                .catalog
                .as_ref()
                .map(|c| c.tours.clone())
                .unwrap_or_default();
            if tours.is_empty() {
                ui.label(tr!("tour-none-yet"));
            }
            for tour in tours {
                if ui
                    .button(tr!("tour-start", name = tour.name.as_str()))
                    .clicked()
                {
                    self.start(tour.id, grid);
                    ui.close();
                }
            }
            ui.separator();
            if ui.button(tr!("tour-edit-menu")).clicked() {
                self.editor.open();
                self.stale = true;
                ui.close();
            }
        });
        if menu.response.clicked() {
            // Cameras and layouts may have changed since the last read.
            self.stale = true;
        }
    }

    fn running_bar(&mut self, ui: &mut Ui, grid: &mut GridState) {
        let Some(player) = &self.player else {
            return;
        };
        let name = player.tour().name.clone();
        let state = player.state((self.clock)());
        // Stop first: pressing it pauses the tour, which must not move it under the pointer.
        if ui.button(tr!("tour-stop")).clicked() {
            self.stop(grid);
            return;
        }
        match state {
            TourState::Running { step, steps, .. } => {
                ui.label(tr!(
                    "tour-running",
                    name = name.as_str(),
                    step = (step + 1).to_string(),
                    steps = steps.to_string()
                ));
            }
            TourState::Paused { resumes_in, .. } => {
                let secs = resumes_in.as_secs_f64().ceil() as u64;
                ui.label(
                    RichText::new(tr!("tour-paused", seconds = secs.to_string()))
                        .color(Color32::from_rgb(255, 190, 90)),
                );
                if ui.button(tr!("tour-resume")).clicked() {
                    let now = (self.clock)();
                    if let Some(p) = &mut self.player {
                        p.resume(now);
                    }
                }
            }
        }
    }

    /// The editor window, when open; a saved or removed tour makes the catalog stale.
    pub fn window(&mut self, ctx: &egui::Context, config: Option<&ConfigStore>) {
        let Some(config) = config else {
            return;
        };
        if self.editor.show(ctx, config, self.catalog.as_ref()) {
            // Read again at once (a read in flight may predate the change: it is dropped).
            self.loading = Some(config.tour_catalog(Some(wake(ctx))));
            self.stale = false;
        }
    }
}

/// A click, a scroll or a key press (pointer moves alone are not an interaction).
fn is_interaction(event: &egui::Event) -> bool {
    matches!(
        event,
        egui::Event::PointerButton { pressed: true, .. }
            | egui::Event::Key { pressed: true, .. }
            | egui::Event::MouseWheel { .. }
            | egui::Event::Touch { .. }
            | egui::Event::Text(_)
    )
}

/// Shows a step on the grid; a camera or layout removed since is left out (the view stays).
/// `open_saved` shows a saved layout with its cameras in their cells (the layouts UI's
/// `open`) and says whether it knew the layout; when it did not, the step applies the
/// layout's shape with the cameras in order.
pub fn apply(
    step: &TourStep,
    catalog: &TourCatalog,
    grid: &mut GridState,
    names: &[String],
    open_saved: &mut dyn FnMut(i64, &mut GridState) -> bool,
) {
    match step {
        TourStep::Camera(id) => {
            let Some(name) = catalog
                .camera_name(*id)
                .filter(|n| names.iter().any(|m| m == n))
            else {
                return;
            };
            grid.select(name);
            grid.open_fullscreen(names);
        }
        TourStep::Layout(id) => {
            let Some(layout) = catalog.layout(*id) else {
                return;
            };
            grid.close_fullscreen();
            if open_saved(*id, grid) {
                return;
            }
            grid.set_layout(Layout::Fixed(layout.kind));
            // The page holding the layout's first camera.
            let first = layout.cells.iter().flatten().find_map(|id| {
                catalog
                    .camera_name(*id)
                    .filter(|n| names.iter().any(|m| m == n))
            });
            if let Some(name) = first {
                grid.select(name);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vigil_core::model::{LayoutKind, SavedLayout};

    fn catalog() -> TourCatalog {
        TourCatalog {
            tours: Vec::new(),
            layouts: vec![SavedLayout {
                id: 5,
                name: "Gate".into(),
                kind: LayoutKind::OnePlusFive,
                cells: vec![None, Some(2)],
                updated_us: 0,
            }],
            cameras: vec![(1, "back".into()), (2, "gate".into()), (3, "gone".into())],
        }
    }

    #[test]
    fn steps_set_the_grid_and_missing_ones_leave_it_alone() {
        let names: Vec<String> = ["back", "gate"].map(String::from).to_vec();
        let mut grid = GridState::default();
        apply(
            &TourStep::Camera(2),
            &catalog(),
            &mut grid,
            &names,
            &mut |_, _| false,
        );
        assert!(grid.is_fullscreen());
        assert_eq!(grid.selected(&names), Some("gate"));

        apply(
            &TourStep::Layout(5),
            &catalog(),
            &mut grid,
            &names,
            &mut |_, _| false,
        );
        assert!(!grid.is_fullscreen());
        assert_eq!(grid.layout, Layout::Fixed(LayoutKind::OnePlusFive));
        assert_eq!(
            grid.selected(&names),
            Some("gate"),
            "the first placed camera"
        );

        let before = grid.clone();
        // A camera no longer shown (removed or disabled) and a removed layout: no change.
        apply(
            &TourStep::Camera(3),
            &catalog(),
            &mut grid,
            &names,
            &mut |_, _| false,
        );
        apply(
            &TourStep::Layout(9),
            &catalog(),
            &mut grid,
            &names,
            &mut |_, _| false,
        );
        assert_eq!(grid, before);
    }
}
