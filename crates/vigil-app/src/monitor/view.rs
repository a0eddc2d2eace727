//! One extra window's content, drawn into whatever `Ui` it is given (a native window, or an
//! embedded one in tests): its own layout picker, its own grid (selection, paging, full
//! screen) and its own live tiles sized to its cells, so it decodes at its own tile sizes.

use egui::{Color32, Key, Modifiers, Rect, Ui};

use crate::backend::Backend;
use crate::grid::{GridState, Layout, Move};
use crate::tile::{empty_grid, show_tile, TileView};
use crate::video::{pixel_size, LiveTiles, WantedTile};
use vigil_core::model::time::now_us;
use vigil_core::model::LayoutKind;
use vigil_core::service::{EngineStatus, MonitorWindow, Repaint};

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
    pub fn visible_cameras<'a>(&self, names: &'a [String]) -> &'a [String] {
        &names[self.grid.visible(names)]
    }

    /// Draws the window's layout bar and tiles in `ui`, filling `area` with the tiles (the
    /// rest of `ui` when `None`); answers whether the layout changed.
    pub fn show(
        &mut self,
        ui: &mut Ui,
        backend: &dyn Backend,
        status: &EngineStatus,
        repaint: &Repaint,
        area: Option<egui::Vec2>,
    ) -> bool {
        let names: Vec<String> = status.cameras.iter().map(|c| c.name.clone()).collect();
        let before = self.grid.layout;
        self.keyboard(ui, &names);
        ui.horizontal_wrapped(|ui| self.bar(ui, &names));
        let size = area.unwrap_or_else(|| ui.available_size());
        let (rect, _) = ui.allocate_exact_size(size, egui::Sense::hover());
        let inner = rect.shrink(GAP);
        ui.painter().rect_filled(rect, 0.0, Color32::from_gray(24));
        self.tiles(ui, inner, status, &names, backend, repaint);
        self.grid.layout != before
    }

    fn bar(&mut self, ui: &mut Ui, names: &[String]) {
        if self.grid.is_fullscreen() {
            if ui.button("Back to grid (Esc)").clicked() {
                self.grid.close_fullscreen();
            }
        } else {
            ui.label("Layout:");
            for layout in Layout::all() {
                let label = layout.label();
                let r = ui.selectable_value(&mut self.grid.layout, layout, label.as_str());
                r.widget_info(|| {
                    egui::WidgetInfo::selected(
                        egui::Role::Button,
                        true,
                        self.grid.layout == layout,
                        format!("window {} layout {label}", self.number()),
                    )
                });
            }
            if let Some(page) = self.grid.page_label(names) {
                ui.label(page);
            }
        }
        if ui.button("Close this window").clicked() {
            self.closing = true;
        }
    }

    /// Arrow keys, Enter and Esc, as in the main window (this window's keys only).
    fn keyboard(&mut self, ui: &mut Ui, names: &[String]) {
        let grid = &mut self.grid;
        ui.input_mut(|i| {
            for (key, mv) in [
                (Key::ArrowLeft, Move::Left),
                (Key::ArrowRight, Move::Right),
                (Key::ArrowUp, Move::Up),
                (Key::ArrowDown, Move::Down),
            ] {
                if i.consume_key(Modifiers::NONE, key) {
                    grid.move_selection(mv, names);
                }
            }
            if i.consume_key(Modifiers::NONE, Key::Enter) {
                grid.open_fullscreen(names);
            }
            if i.consume_key(Modifiers::NONE, Key::Escape) {
                grid.close_fullscreen();
            }
        });
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
        let range = self.grid.visible(names);
        if range.is_empty() {
            self.live.sync(ui.ctx(), backend, &[], names, repaint);
            empty_grid(ui, area);
            return;
        }
        let shown = &names[range];
        let cells = self.grid.rects(area, names.len(), shown.len(), GAP);
        let ppp = ui.ctx().pixels_per_point();
        let placed: Vec<(String, Rect)> = shown.iter().cloned().zip(cells).collect();
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
