//! Zones on the live view: drawing and editing a camera's detect zones and masks on its
//! picture (edit mode, with a side panel), and showing a full-screen camera's zones as
//! translucent overlays tinted by their live motion level. Zone lists are read from the
//! configuration store when a view opens and after each change, never per frame.
//!
//! `map` (screen ↔ picture coordinates) and `shapes` (fill, hatch, inside) are geometry;
//! `draft` is the outline being edited, a pure state machine; `editor` is one camera's
//! session (pointer actions, save, remove); `paint` and `panel` draw.

pub mod draft;
pub mod editor;
pub mod map;
pub mod paint;
pub mod panel;
pub mod shapes;
#[cfg(test)]
mod tests;

use egui::{Key, Modifiers, PointerButton, Rect, Response, Sense, Ui, WidgetInfo};

pub use editor::ZoneEditor;
pub use map::PictureMap;
use vigil_core::detect::ZoneSpec;
use vigil_core::engine::config::ConfigStore;
use vigil_core::engine::status::CameraStatus;
use vigil_core::engine::EngineStatus;

/// Zone editing and display for the app.
#[derive(Default)]
pub struct ZoneMode {
    editor: Option<ZoneEditor>,
    /// The zones shown over the full-screen camera, read once when it opened: (camera, zones).
    shown: Option<(String, Vec<ZoneSpec>)>,
}

impl ZoneMode {
    /// Enters zone drawing on `camera` (reads its zones once).
    pub fn open(&mut self, store: &ConfigStore, camera: &str) -> Result<(), String> {
        self.editor = Some(ZoneEditor::open(store, camera)?);
        Ok(())
    }

    /// Leaves zone drawing; the zones stay shown as they were last stored.
    pub fn close(&mut self) {
        if let Some(editor) = self.editor.take() {
            self.shown = Some((editor.camera().to_string(), editor.zones().to_vec()));
        }
    }

    /// The camera whose zones are being edited.
    pub fn editing(&self) -> Option<&str> {
        self.editor.as_ref().map(ZoneEditor::camera)
    }

    pub fn editor(&self) -> Option<&ZoneEditor> {
        self.editor.as_ref()
    }

    /// The zones drawn over the full-screen camera, as read when it opened.
    pub fn shown(&self) -> Option<(&str, &[ZoneSpec])> {
        self.shown
            .as_ref()
            .map(|(name, zones)| (name.as_str(), zones.as_slice()))
    }

    /// While editing: Esc leaves, Delete or Backspace removes the selected point (unless a
    /// text field has the keyboard). Returns whether editing, so the grid ignores the keys.
    pub fn keyboard(&mut self, ui: &mut Ui) -> bool {
        let Some(editor) = self.editor.as_mut() else {
            return false;
        };
        if ui.ctx().text_edit_focused() {
            return true;
        }
        let (escape, delete) = ui.input_mut(|i| {
            let escape = i.consume_key(Modifiers::NONE, Key::Escape);
            let delete = i.consume_key(Modifiers::NONE, Key::Delete)
                | i.consume_key(Modifiers::NONE, Key::Backspace);
            (escape, delete)
        });
        if delete {
            editor.delete_selected();
        }
        if escape {
            self.close();
        }
        true
    }

    /// The side panel while editing (call before the central panel).
    pub fn panel(&mut self, ui: &mut Ui, store: Option<&ConfigStore>, status: &EngineStatus) {
        let (Some(editor), Some(store)) = (self.editor.as_mut(), store) else {
            return;
        };
        let motion = status
            .cameras
            .iter()
            .find(|c| c.name == editor.camera())
            .map(|c| c.motion.as_slice())
            .unwrap_or_default();
        if panel::show(ui, editor, store, motion) {
            self.close();
        }
    }

    /// Draws zones over a tile already drawn in `tile`: the drawing surface when this camera
    /// is being edited (returns true: the surface takes the tile's clicks), else the stored
    /// zones when the camera is full screen.
    pub fn tile(
        &mut self,
        ui: &mut Ui,
        store: Option<&ConfigStore>,
        tile: Rect,
        cam: &CameraStatus,
        picture: Option<[u32; 2]>,
        fullscreen: bool,
    ) -> bool {
        let map = PictureMap::for_tile(tile, picture, [cam.width, cam.height]);
        let painter = ui.painter_at(tile);
        if let Some(editor) = self.editor.as_mut().filter(|e| e.camera() == cam.name) {
            let id = ui.scope_id().with(("zone-surface", &cam.name));
            let response = ui.interact(tile, id, Sense::click_and_drag());
            let label = format!("zone drawing area of {}", cam.name);
            response.widget_info(|| WidgetInfo::labeled(egui::Role::Canvas, true, &label));
            pointer(editor, &response, &map, ui);
            let skip = editor.draft().map(|d| d.id);
            paint::stored_zones(&painter, &map, editor.zones(), &cam.motion, skip);
            if let Some(draft) = editor.draft() {
                paint::draft(&painter, &map, draft, response.hover_pos());
            }
            return true;
        }
        if !fullscreen {
            // Read again when a camera next opens full screen.
            self.shown = None;
            return false;
        }
        if self
            .shown
            .as_ref()
            .is_none_or(|(name, _)| *name != cam.name)
        {
            let zones = store
                .and_then(|s| s.zones(&cam.name).ok())
                .map(|(_, zones)| zones)
                .unwrap_or_default();
            self.shown = Some((cam.name.clone(), zones));
        }
        if let Some((_, zones)) = &self.shown {
            paint::stored_zones(&painter, &map, zones, &cam.motion, None);
        }
        false
    }
}

/// Turns the surface's pointer events into editor actions.
fn pointer(editor: &mut ZoneEditor, response: &Response, map: &PictureMap, ui: &Ui) {
    if response.drag_started_by(PointerButton::Primary) {
        if let Some(origin) = ui.input(|i| i.pointer.press_origin()) {
            editor.drag_start(map, origin);
        }
    }
    if response.dragged_by(PointerButton::Primary) {
        if let Some(pos) = response.interact_pointer_pos() {
            editor.drag_to(map, pos);
        }
    }
    if response.drag_stopped() {
        editor.drag_end();
    }
    if let Some(pos) = response.interact_pointer_pos() {
        if response.clicked() {
            editor.click(map, pos);
        } else if response.secondary_clicked() {
            editor.secondary_click(map, pos);
        }
    }
}
