//! The main window's hooks for tours and extra windows (`crate::tour`, `crate::monitor`):
//! reading their state at the start of a frame, drawing the tour editor and the extra
//! windows after the grid, and passing what went wrong to the app's error line.

use egui::Context;

use super::VigilApp;
use crate::monitor::Monitors;
use crate::tour::{Clock, Tours};
use vigil_core::service::EngineStatus;

impl VigilApp {
    /// Tours take the time from `clock` (tests move it by hand).
    pub fn with_tour_clock(mut self, clock: Clock) -> Self {
        self.tours = Tours::new(clock);
        self
    }

    /// The tours and the running one.
    pub fn tours(&self) -> &Tours {
        &self.tours
    }

    /// The extra windows.
    pub fn monitors(&self) -> &Monitors {
        &self.monitors
    }

    /// Takes the answers of the tours' and windows' configuration jobs, and starts new ones
    /// (the first read, a save of the windows).
    pub(super) fn poll_tours_and_windows(&mut self, ctx: &Context) {
        self.tours.poll(ctx, self.backend.config());
        self.monitors.persist(ctx, self.backend.config());
    }

    /// The tour editor and the extra windows, after the main window's grid.
    pub(super) fn show_tours_and_windows(&mut self, ctx: &Context, status: &EngineStatus) {
        self.tours.window(ctx, self.backend.config());
        let engine = (self.backend.as_ref(), status);
        self.monitors.show(ctx, engine, self.layouts.saved());
        let failed = self.tours.take_error();
        if let Some(e) = failed.or_else(|| self.monitors.take_error()) {
            self.config_error = Some(e);
        }
    }
}
