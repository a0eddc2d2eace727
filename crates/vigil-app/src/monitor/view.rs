//! One extra window's content, drawn into whatever `Ui` it is given (a native window, or an
//! embedded one in tests): its own layout picker, its own grid (selection, paging, full
//! screen) and its own live tiles sized to its cells, so it decodes at its own tile sizes.

use egui::{Color32, Rect, Ui};

use crate::backend::Backend;
use crate::grid::{GridState, Layout};
use crate::tile::{empty_grid, show_tile, TileView};
use crate::tr;
use crate::video::{pixel_size, LiveTiles, WantedTile};
use vigil_core::model::time::now_us;
use vigil_core::model::LayoutKind;
use vigil_core::service::{EngineStatus, LayoutCell, MonitorWindow, NamedLayout, Repaint};

/// Space between tiles, points.
const GAP: f32 = 4.0;

/// An extra window of the app.
pub struct MonitorView {
    /// Stable while the app runs (names its native window).
    pub(super) id: u64,
    pub grid: GridState,
    live: LiveTiles,
    /// Where the window is on the screen (x, y, width, height), as last seen.
    pub(super) rect: Option<[f32; 4]>,
    /// Where it opened (the saved place): its native window is built there once.
    pub(super) opened_at: Option<[f32; 4]>,
    /// The operator asked to close it.
    pub(super) closing: bool,
    /// The saved layout shown (its cameras in their cells), by id.
    saved_layout: Option<i64>,
    /// A remembered saved layout waiting for the list of saved layouts to arrive.
    pending_saved: Option<i64>,
}

impl MonitorView {
    pub(super) fn new(id: u64, saved: &MonitorWindow) -> Self {
        let mut grid = GridState::default();
        grid.layout = saved.layout.map_or(Layout::Auto, Layout::Fixed);
        Self {
            id,
            grid,
            live: LiveTiles::default(),
            rect: saved.rect,
            opened_at: saved.rect,
            closing: false,
            saved_layout: None,
            pending_saved: saved.saved_layout,
        }
    }

    /// The window as it is remembered.
    pub fn saved(&self) -> MonitorWindow {
        MonitorWindow {
            layout: match self.grid.layout {
                Layout::Auto => None,
                Layout::Fixed(kind) => Some(kind),
            },
            rect: self.rect,
            saved_layout: self.saved_layout.or(self.pending_saved),
        }
    }

    /// Its number as shown in its title ("window 2": the main window is 1).
    pub fn number(&self) -> u64 {
        self.id + 2
    }

    pub fn live(&self) -> &LiveTiles {
        &self.live
    }

    /// Cameras on screen in this window now.
    pub fn visible_cameras(&self, names: &[String]) -> Vec<String> {
        self.grid.shown(names)
    }

    /// The saved layout this window shows, by id.
    pub fn saved_layout(&self) -> Option<i64> {
        self.saved_layout
    }

    /// Draws the window's layout bar (shapes and the `saved` layouts) and tiles in `ui`,
    /// filling `area` with the tiles (the rest of `ui` when `None`); answers whether the
    /// layout changed.
    pub fn show(
        &mut self,
        ui: &mut Ui,
        (backend, status): (&dyn Backend, &EngineStatus),
        saved: &[NamedLayout],
        repaint: &Repaint,
        area: Option<egui::Vec2>,
    ) -> bool {
        let names: Vec<String> = status.cameras.iter().map(|c| c.name.clone()).collect();
        if let Some(layout) = self
            .pending_saved
            .and_then(|id| saved.iter().find(|l| l.id == id))
        {
            self.open_saved(layout);
        }
        let before = (self.grid.layout, self.saved_layout);
        self.keyboard(ui, &names);
        ui.horizontal_wrapped(|ui| self.bar(ui, &names, saved));
        let size = area.unwrap_or_else(|| ui.available_size());
        let (rect, _) = ui.allocate_exact_size(size, egui::Sense::hover());
        let inner = rect.shrink(GAP);
        ui.painter().rect_filled(rect, 0.0, Color32::from_gray(24));
        self.tiles(ui, inner, status, &names, backend, repaint);
        (self.grid.layout, self.saved_layout) != before
    }

    /// Shows a saved layout: its shape with its cameras in their cells.
    fn open_saved(&mut self, layout: &NamedLayout) {
        self.grid.set_placed(layout.kind, layout.cells.clone());
        self.saved_layout = Some(layout.id);
        self.pending_saved = None;
    }

    fn bar(&mut self, ui: &mut Ui, names: &[String], saved: &[NamedLayout]) {
        if self.grid.is_fullscreen() {
            if ui.button(tr!("monitor-back-to-grid")).clicked() {
                self.grid.close_fullscreen();
            }
        } else {
            ui.label(tr!("monitor-layout"));
            for layout in Layout::all() {
                let label = layout.label();
                let on = self.saved_layout.is_none() && self.grid.layout == layout;
                let r = ui.selectable_label(on, label.as_str());
                if r.clicked() {
                    self.grid.set_layout(layout);
                    self.saved_layout = None;
                    self.pending_saved = None;
                }
                r.widget_info(|| {
                    egui::WidgetInfo::selected(
                        egui::Role::Button,
                        true,
                        on,
                        tr!(
                            "monitor-layout-label",
                            number = self.number(),
                            layout = label.as_str()
                        ),
                    )
                });
            }
            for layout in saved {
                let on = self.saved_layout == Some(layout.id);
                let r = ui.selectable_label(on, layout.name.as_str());
                if r.clicked() {
                    self.open_saved(layout);
                }
                r.widget_info(|| {
                    egui::WidgetInfo::selected(
                        egui::Role::Button,
                        true,
                        on,
                        tr!(
                            "monitor-saved-layout-label",
                            number = self.number(),
                            name = layout.name.as_str()
                        ),
                    )
                });
            }
            if let Some(page) = self.grid.page_label(names) {
                ui.label(page);
            }
        }
        if ui.button(tr!("monitor-close-window")).clicked() {
            self.closing = true;
        }
    }

    /// Arrow keys, Enter and Esc, as in the main window (this window's keys only).
    fn keyboard(&mut self, ui: &mut Ui, names: &[String]) {
        self.grid.keys(ui, names);
    }

    fn tiles(
        &mut self,
        ui: &mut Ui,
        area: Rect,
        status: &EngineStatus,
        names: &[String],
        backend: &dyn Backend,
        repaint: &Repaint,
    ) {
        let page = self.grid.page(names);
        if page.is_empty() {
            self.live.sync(ui.ctx(), backend, &[], names, repaint);
            empty_grid(ui, area);
            return;
        }
        let shown = page.iter().filter(|c| c.camera().is_some()).count();
        let rects = self.grid.rects(area, names.len(), shown, GAP);
        let cells: Vec<(LayoutCell, Rect)> = page.into_iter().zip(rects).collect();
        let placed: Vec<(String, Rect)> = cells
            .iter()
            .filter_map(|(c, r)| c.camera().map(|n| (n.to_string(), *r)))
            .collect();
        for (cell, rect) in &cells {
            if cell.camera().is_none() {
                empty_cell(ui, *rect, cell);
            }
        }
        let ppp = ui.ctx().pixels_per_point();
        let wanted: Vec<(String, [u32; 2])> = placed
            .iter()
            .map(|(name, r)| (name.clone(), pixel_size(*r, ppp)))
            .collect();
        let selected = self.grid.selected(names).map(str::to_string);
        let wanted = WantedTile::for_tiles(&wanted, selected.as_deref(), status);
        self.live.sync(ui.ctx(), backend, &wanted, names, repaint);
        let now = now_us();
        for (name, rect) in placed {
            let Some(cam) = status.cameras.iter().find(|c| c.name == name) else {
                continue;
            };
            let view = TileView {
                status: cam,
                picture: self.live.picture(&name),
                live_error: self.live.error(&name),
                live: self.live.shown(&name),
                selected: selected.as_deref() == Some(name.as_str()),
                now_us: now,
                recorded: None,
            };
            let response = ui
                .push_id(("monitor", self.id), |ui| show_tile(ui, rect, &view))
                .inner;
            if response.clicked() {
                self.grid.select(&name);
            }
            if response.double_clicked() {
                self.grid.select(&name);
                if self.grid.is_fullscreen() {
                    self.grid.close_fullscreen();
                } else {
                    self.grid.open_fullscreen(names);
                }
            }
        }
    }

    /// Stops every decoder of this window.
    pub(super) fn stop_live(&mut self) {
        self.live = LiveTiles::default();
    }

    /// The layout shown, for tests and the title.
    pub fn layout_kind(&self, cameras: usize) -> LayoutKind {
        self.grid.layout.kind(cameras)
    }
}

/// An empty cell of a saved layout, in words (this window places no cameras itself).
fn empty_cell(ui: &Ui, rect: Rect, cell: &LayoutCell) {
    let text = match cell {
        LayoutCell::Removed => tr!("monitor-camera-removed"),
        _ => tr!("monitor-empty-cell"),
    };
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 4.0, Color32::from_gray(16));
    painter.text(
        rect.center(),
        egui::Align2::CENTER_CENTER,
        text,
        egui::FontId::proportional(13.0),
        Color32::from_gray(140),
    );
}
