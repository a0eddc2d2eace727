//! Drag and drop onto the grid's cells (egui's `dnd_*`): a camera from the camera list onto a
//! cell places it there; a tile onto another cell swaps the two. Also the camera list panel,
//! the empty cell's drawing (with words: empty, or its camera removed) and the highlight of
//! the cell under a drag.

use egui::{
    Align2, Color32, CornerRadius, FontId, Id, LayerId, Order, Rect, Response, RichText, Sense,
    Stroke, StrokeKind, Ui, WidgetInfo,
};

use super::LayoutsUi;
use crate::grid::{GridState, LayoutCell};
use crate::tr;

/// What is being dragged: a camera from the list, or the tile of a cell (its index on the
/// page). One type, because egui carries one payload at a time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DragPayload {
    Camera(String),
    Cell(usize),
}

/// A change to the page's cells asked for by the operator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CellDrop {
    Place {
        cell: usize,
        camera: String,
    },
    Swap(usize, usize),
    Clear(usize),
    /// In the first free cell, else the selected camera's.
    PlaceFree(String),
    /// The selected camera's cell emptied.
    ClearSelected,
}

impl LayoutsUi {
    /// Remembers a change to apply after the frame's tiles are drawn.
    pub fn request(&mut self, change: CellDrop) {
        self.drops.push(change);
    }

    /// Applies the changes asked for while drawing (and draws again, so the change shows
    /// and is remembered without waiting for the next event).
    pub fn apply_drops(&mut self, ctx: &egui::Context, grid: &mut GridState, names: &[String]) {
        if !self.drops.is_empty() {
            ctx.request_repaint();
        }
        for change in std::mem::take(&mut self.drops) {
            match change {
                CellDrop::Place { cell, camera } => grid.place(cell, &camera, names),
                CellDrop::Swap(a, b) if a != b => grid.swap(a, b, names),
                CellDrop::Swap(..) => {}
                CellDrop::Clear(cell) => grid.clear_cell(cell, names),
                CellDrop::PlaceFree(camera) => {
                    grid.close_fullscreen();
                    grid.place_in_free(&camera, names);
                }
                CellDrop::ClearSelected => {
                    grid.clear_selected(names);
                }
            }
        }
    }

    /// The Delete key (on the grid, nothing typed): empties the selected camera's cell.
    pub fn keys(&mut self, ui: &Ui, grid: &GridState) {
        if grid.is_fullscreen() {
            return;
        }
        if ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Delete)) {
            self.drops.push(CellDrop::ClearSelected);
        }
    }

    /// The camera list side panel (when open): each camera can be dragged onto a cell.
    pub fn camera_list(&mut self, ui: &mut Ui, names: &[String], shown: &[String]) {
        if !self.list_open {
            return;
        }
        egui::Panel::left("layout-cameras")
            .resizable(false)
            .default_size(170.0)
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.strong(tr!("layouts-cameras"));
                    if ui.small_button(tr!("common-close")).clicked() {
                        self.list_open = false;
                    }
                });
                ui.label(RichText::new(tr!("layouts-drag-hint")).weak());
                ui.separator();
                egui::ScrollArea::vertical().show(ui, |ui| {
                    for name in names {
                        if camera_entry(ui, name, shown.contains(name)) {
                            self.drops.push(CellDrop::PlaceFree(name.clone()));
                        }
                    }
                    if names.is_empty() {
                        ui.label(RichText::new(tr!("layouts-no-cameras")).weak());
                    }
                });
            });
    }
}

/// One camera in the list: a "Place" button (for those who do not drag; answers whether
/// it was clicked), then the name as a drag source ("on screen" when its tile shows).
fn camera_entry(ui: &mut Ui, name: &str, on_screen: bool) -> bool {
    ui.horizontal(|ui| {
        let place = ui
            .small_button(tr!("layouts-place"))
            .on_hover_text(tr!("layouts-place-hover"));
        let id = Id::unique(("layout-list-camera", name));
        let payload = DragPayload::Camera(name.to_string());
        let dragged = ui.dnd_drag_source(id, payload, |ui| {
            ui.label(name);
            if on_screen {
                ui.label(RichText::new(tr!("layouts-on-screen")).weak().small());
            }
        });
        let response = dragged.response;
        response.widget_info(|| {
            WidgetInfo::labeled(
                egui::Role::ListItem,
                true,
                tr!("layouts-place-named", name = name),
            )
        });
        response.on_hover_text(tr!("layouts-drag-hover"));
        place.clicked()
    })
    .inner
}

/// Makes cell `cell`'s tile draggable (onto another cell, to swap). Call before the tile's
/// own widget, so the tile keeps its clicks (egui gives the click to the tile on top and the
/// drag to this one underneath).
pub fn tile_drag_source(ui: &Ui, rect: Rect, cell: usize) {
    let response = ui.interact(rect, Id::unique(("layout-cell-drag", cell)), Sense::drag());
    response.dnd_set_drag_payload(DragPayload::Cell(cell));
}

/// Whether something is dropped on cell `cell` (whose widget is `response`), painting the
/// cell's highlight while a drag hovers it.
pub fn cell_target(ui: &Ui, rect: Rect, cell: usize, response: &Response) -> Option<CellDrop> {
    if response.dnd_hover_payload::<DragPayload>().is_some() {
        let stroke = Stroke::new(3.0, ui.visuals().selection.stroke.color);
        ui.painter()
            .rect_stroke(rect, CornerRadius::same(4), stroke, StrokeKind::Inside);
    }
    let payload = response.dnd_release_payload::<DragPayload>()?;
    Some(match payload.as_ref() {
        DragPayload::Camera(name) => CellDrop::Place {
            cell,
            camera: name.clone(),
        },
        DragPayload::Cell(from) => CellDrop::Swap(*from, cell),
    })
}

/// Draws a cell without a camera tile: empty (a hint to drag one here when there is room),
/// the camera placed here was removed, or its status has not come yet.
pub fn empty_cell(ui: &mut Ui, rect: Rect, cell: usize, what: &LayoutCell) -> Response {
    let response = ui.interact(
        rect,
        Id::unique(("layout-empty-cell", cell)),
        Sense::hover(),
    );
    let text = match what {
        LayoutCell::Removed => tr!("layouts-cell-removed"),
        LayoutCell::Camera(name) => tr!("layouts-cell-waiting", name = name.as_str()),
        LayoutCell::Empty => tr!("layouts-cell-empty"),
    };
    response.widget_info(|| {
        WidgetInfo::labeled(
            egui::Role::Cell,
            true,
            tr!("layouts-cell-label", cell = cell + 1, text = text.as_str()),
        )
    });
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, CornerRadius::same(4), Color32::from_gray(16));
    let stroke = Stroke::new(1.0, Color32::from_gray(48));
    painter.rect_stroke(rect, CornerRadius::same(4), stroke, StrokeKind::Inside);
    if rect.width() > 120.0 && rect.height() > 40.0 {
        let color = Color32::from_gray(130);
        painter.text(
            rect.center(),
            Align2::CENTER_CENTER,
            text,
            FontId::proportional(13.0),
            color,
        );
    }
    response
}

/// While something is dragged: its name beside the pointer.
pub fn drag_label(ctx: &egui::Context) {
    let Some(payload) = egui::DragAndDrop::payload::<DragPayload>(ctx) else {
        return;
    };
    let (Some(pos), DragPayload::Cell(_)) = (ctx.pointer_interact_pos(), payload.as_ref()) else {
        return; // the list's entry follows the pointer itself
    };
    let painter = ctx.layer_painter(LayerId::new(Order::Tooltip, Id::unique("layout-drag")));
    painter.text(
        pos + egui::vec2(12.0, 12.0),
        Align2::LEFT_TOP,
        tr!("layouts-drop-to-swap"),
        FontId::proportional(13.0),
        Color32::WHITE,
    );
}
