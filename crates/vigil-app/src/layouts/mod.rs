//! Layouts in the live view: the picker (auto, every shape, the saved layouts by name), the
//! save / rename / delete dialogs, the camera list to drag from and the drag-and-drop onto
//! cells, and the layout in use remembered in the library for the next start. The grid's
//! geometry and placement rules are `crate::grid`'s; this module owns the operator's side
//! and the library jobs.

mod dialog;
mod dnd;
mod picker;
mod renames;

use egui::Context;

use crate::config_jobs::{poll, wake};
use crate::grid::{GridState, Layout, LayoutCell};
use crate::tr;
pub use dialog::LayoutDialog;
pub use dnd::{cell_target, drag_label, empty_cell, tile_drag_source, CellDrop, DragPayload};
pub use picker::to_save;
use vigil_core::service::{ConfigJob, ConfigStore, LiveLayout, NamedLayout};

/// What a lost job was doing: completes the engine's English `JobLost` sentence (engine
/// words, like the error it is part of).
const JOB_READING_THE_LAYOUT_IN_USE: &str = "reading the layout in use"; // i18n-ignore
const JOB_READING_THE_LAYOUTS: &str = "reading the layouts"; // i18n-ignore
const JOB_REMEMBERING_THE_LAYOUT: &str = "remembering the layout"; // i18n-ignore

/// The layouts' state beside the grid.
#[derive(Default)]
pub struct LayoutsUi {
    /// Saved layouts by name, as last read.
    saved: Vec<NamedLayout>,
    /// The saved layout on screen (id, name), if the operator opened or saved one.
    current: Option<(i64, String)>,
    /// The layout in use was read back at start (or there is no library to read it from).
    restored: bool,
    restoring: Option<ConfigJob<Option<LiveLayout>>>,
    listing: Option<ConfigJob<Vec<NamedLayout>>>,
    /// The layout in use as last stored, and the job storing it.
    remembered: Option<LiveLayout>,
    remembering: Option<ConfigJob<()>>,
    /// The open dialog (save as, rename, delete).
    dialog: LayoutDialog,
    /// The camera list side panel is open.
    list_open: bool,
    /// Changes to the cells asked for while drawing, applied after the tiles.
    drops: Vec<CellDrop>,
    /// Cameras renamed while the app runs keep their cells.
    renames: renames::Renames,
    /// The saved layouts were asked for.
    started: bool,
    /// This grid's layout is not the one remembered for the next start (e.g. a second
    /// window's, which its owner stores).
    unremembered: bool,
}

impl LayoutsUi {
    /// For a grid whose layout its owner remembers (a second window): no `live_layout`
    /// setting is read or written; the picker, saved layouts and drag and drop work alike.
    pub fn unremembered() -> Self {
        Self {
            unremembered: true,
            restored: true,
            ..Self::default()
        }
    }

    /// Saved layouts by name.
    pub fn saved(&self) -> &[NamedLayout] {
        &self.saved
    }

    /// The saved layout on screen (id, name).
    pub fn current(&self) -> Option<(i64, &str)> {
        self.current.as_ref().map(|(id, n)| (*id, n.as_str()))
    }

    /// Whether the layout in use has been read back from the library.
    pub fn is_restored(&self) -> bool {
        self.restored
    }

    /// Whether a library job of the layouts is running (tests wait for it).
    pub fn is_busy(&self) -> bool {
        self.restoring.is_some()
            || self.listing.is_some()
            || self.remembering.is_some()
            || self.dialog.is_busy()
            || self.renames.is_busy()
    }

    /// Whether a dialog is open (keys typed belong to it).
    pub fn dialog_open(&self) -> bool {
        self.dialog.is_open()
    }

    pub fn list_open(&self) -> bool {
        self.list_open
    }

    pub fn set_list_open(&mut self, open: bool) {
        self.list_open = open;
    }

    /// Once per frame: starts reading the layout in use and the saved layouts, takes the
    /// answers (applying the restored layout to `grid`), and stores the layout in use when
    /// it changed. Answers a failure in words.
    pub fn frame(
        &mut self,
        ctx: &Context,
        config: Option<&ConfigStore>,
        grid: &mut GridState,
        names: &[String],
    ) -> Option<String> {
        let Some(config) = config else {
            self.restored = true;
            return None;
        };
        if !self.started {
            self.started = true;
            self.refresh(ctx, config);
            if !self.unremembered {
                self.restoring = Some(config.live_layout(Some(wake(ctx))));
            }
        }
        let mut failed = None;
        if let Some(answer) = self
            .restoring
            .as_mut()
            .and_then(|j| poll(j, JOB_READING_THE_LAYOUT_IN_USE))
        {
            self.restoring = None;
            self.restored = true;
            match answer {
                Ok(Some(live)) => self.apply(grid, &live),
                Ok(None) => {}
                Err(e) => failed = Some(tr!("layouts-cannot-restore", error = e.to_string())),
            }
            self.remembered = Some(self.in_use(grid));
        }
        if let Some(answer) = self
            .listing
            .as_mut()
            .and_then(|j| poll(j, JOB_READING_THE_LAYOUTS))
        {
            self.listing = None;
            match answer {
                Ok(all) => self.saved = all,
                Err(e) => failed = Some(tr!("layouts-cannot-read", error = e.to_string())),
            }
        }
        match self.renames.frame(ctx, config, grid, names) {
            // The saved layouts' cells were read under the old name.
            Ok(true) => self.refresh(ctx, config),
            Ok(false) => {}
            Err(e) => failed = Some(e),
        }
        if let Some(e) = self.remember(ctx, config, grid) {
            failed = Some(e);
        }
        if let Some(done) = self.dialog.poll() {
            match done {
                Ok(outcome) => self.after_dialog(ctx, config, grid, outcome),
                Err(e) => failed = Some(e),
            }
        }
        failed
    }

    /// Re-reads the saved layouts.
    fn refresh(&mut self, ctx: &Context, config: &ConfigStore) {
        self.listing = Some(config.layouts(Some(wake(ctx))));
    }

    /// Shows a layout in use (as read from the library).
    pub fn apply(&mut self, grid: &mut GridState, live: &LiveLayout) {
        match (live.kind, &live.cells) {
            (Some(kind), Some(cells)) => grid.set_placed(kind, cells.clone()),
            (Some(kind), None) => grid.set_layout(Layout::Fixed(kind)),
            (None, _) => grid.set_layout(Layout::Auto),
        }
        self.current = live.saved.clone();
    }

    /// Opens a saved layout.
    pub fn open(&mut self, grid: &mut GridState, layout: &NamedLayout) {
        grid.set_placed(layout.kind, layout.cells.clone());
        self.current = Some((layout.id, layout.name.clone()));
    }

    /// Switches to a shape (cameras in order); no saved layout is on screen any more.
    pub fn pick(&mut self, grid: &mut GridState, layout: Layout) {
        grid.set_layout(layout);
        self.current = None;
    }

    /// Whether the layout on screen differs from the saved one it was opened from.
    pub fn is_changed(&self, grid: &GridState) -> bool {
        let Some((id, _)) = &self.current else {
            return false;
        };
        let Some(saved) = self.saved.iter().find(|l| l.id == *id) else {
            return false;
        };
        grid.layout != Layout::Fixed(saved.kind) || grid.placed() != Some(&saved.cells[..])
    }

    /// The layout in use, as the library remembers it.
    pub fn in_use(&self, grid: &GridState) -> LiveLayout {
        LiveLayout {
            kind: match grid.layout {
                Layout::Auto => None,
                Layout::Fixed(kind) => Some(kind),
            },
            cells: grid.placed().map(<[LayoutCell]>::to_vec),
            saved: self.current.clone(),
        }
    }

    /// Stores the layout in use when it changed (one store in flight at a time).
    fn remember(
        &mut self,
        ctx: &Context,
        config: &ConfigStore,
        grid: &GridState,
    ) -> Option<String> {
        let mut failed = None;
        if let Some(answer) = self
            .remembering
            .as_mut()
            .and_then(|j| poll(j, JOB_REMEMBERING_THE_LAYOUT))
        {
            self.remembering = None;
            if let Err(e) = answer {
                failed = Some(tr!("layouts-cannot-remember", error = e.to_string()));
            }
        }
        let now = self.in_use(grid);
        if !self.unremembered
            && self.restored
            && self.remembering.is_none()
            && self.remembered.as_ref() != Some(&now)
        {
            self.remembering = Some(config.set_live_layout(now.clone(), Some(wake(ctx))));
            self.remembered = Some(now);
        }
        failed
    }

    /// After a dialog's job answered: the list re-read, the grid and the current layout
    /// following a save, rename or delete.
    fn after_dialog(
        &mut self,
        ctx: &Context,
        config: &ConfigStore,
        grid: &mut GridState,
        outcome: dialog::Outcome,
    ) {
        match outcome {
            // A layout saved is the one on screen from now on.
            dialog::Outcome::Saved(layout) => self.open(grid, &layout),
            dialog::Outcome::Renamed(layout) => {
                if self
                    .current
                    .as_ref()
                    .is_some_and(|(id, _)| *id == layout.id)
                {
                    self.current = Some((layout.id, layout.name));
                }
            }
            dialog::Outcome::Removed(id) => {
                if self.current.as_ref().is_some_and(|(c, _)| *c == id) {
                    self.current = None;
                }
            }
        }
        self.refresh(ctx, config);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::{Duration, Instant};

    use super::*;
    use crate::grid::LayoutKind;

    /// Runs frames until no job of `ui` runs (5 s at most).
    fn settle(ui: &mut LayoutsUi, store: &ConfigStore, grid: &mut GridState) {
        let ctx = Context::default();
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            assert_eq!(ui.frame(&ctx, Some(store), grid, &[]), None);
            if !ui.is_busy() && ui.started {
                return;
            }
            assert!(Instant::now() < deadline, "the layout jobs did not finish");
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    #[test]
    fn the_main_grid_restores_and_stores_and_an_unremembered_one_does_neither() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = ConfigStore::open(dir.path(), Arc::new(|| {})).expect("store");
        let three = LiveLayout {
            kind: Some(LayoutKind::Grid(3)),
            ..LiveLayout::default()
        };
        let job = store.set_live_layout(three.clone(), None);
        job.wait().expect("answer").expect("stored");
        let stored = || {
            store
                .live_layout(None)
                .wait()
                .expect("answer")
                .expect("read")
        };

        let (mut other, mut other_grid) = (LayoutsUi::unremembered(), GridState::default());
        settle(&mut other, &store, &mut other_grid);
        assert_eq!(other_grid.layout, Layout::Auto, "not restored");
        other.pick(&mut other_grid, Layout::Fixed(LayoutKind::Grid(2)));
        settle(&mut other, &store, &mut other_grid);
        assert_eq!(stored(), Some(three), "not stored");

        let (mut main, mut grid) = (LayoutsUi::default(), GridState::default());
        settle(&mut main, &store, &mut grid);
        assert_eq!(grid.layout, Layout::Fixed(LayoutKind::Grid(3)), "restored");
        main.pick(&mut grid, Layout::Fixed(LayoutKind::OnePlusSeven));
        settle(&mut main, &store, &mut grid);
        let now = stored().and_then(|l| l.kind);
        assert_eq!(now, Some(LayoutKind::OnePlusSeven), "stored");
    }
}
