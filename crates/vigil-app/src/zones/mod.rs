//! Zones on the live view: drawing and editing a camera's detect zones and masks on its
//! picture (edit mode, with a side panel, the object detector's latest boxes drawn over the
//! picture), and showing a full-screen camera's zones as
//! translucent overlays tinted by their live motion level. Zone lists are read from the
//! configuration store when a view opens and after each change, never per frame; reads and
//! changes are the store's jobs, whose answers are taken in later frames.
//!
//! `map` (screen ↔ picture coordinates) and `shapes` (fill, hatch, inside) are geometry;
//! `draft` is the outline being edited, a pure state machine; `editor` is one camera's
//! session (pointer actions, save, remove); `paint` and `panel` draw.

pub mod draft;
pub mod editor;
pub mod paint;
pub mod panel;
pub mod shapes;
#[cfg(test)]
mod tests;

use egui::{Key, Modifiers, PointerButton, Rect, Response, Sense, Ui, WidgetInfo};

use crate::config_jobs::{poll, wake};
pub use crate::picture_map::PictureMap;
pub use editor::ZoneEditor;
use vigil_core::detect::ZoneSpec;
use vigil_core::model::time::now_us;
use vigil_core::service::{CameraStatus, CameraZones, ConfigJob, ConfigStore, EngineStatus, Wake};

/// What a lost job was doing: completes the engine's English `JobLost` sentence (engine
/// words, like the error it is part of).
const JOB_READING_THE_ZONES: &str = "reading the zones"; // i18n-ignore

/// Zone editing and display for the app.
#[derive(Default)]
pub struct ZoneMode {
    editor: Option<ZoneEditor>,
    /// The camera whose zones are being read to start editing them.
    opening: Option<(String, Wake, ConfigJob<CameraZones>)>,
    /// The zones shown over the full-screen camera, read once when it opened: (camera, zones).
    shown: Option<(String, Vec<ZoneSpec>)>,
    /// The full-screen camera whose zones are being read for showing.
    reading: Option<(String, ConfigJob<CameraZones>)>,
}

impl ZoneMode {
    /// Starts entering zone drawing on `camera`: reads its zones once ([`Self::opened`]
    /// says when they came).
    pub fn open(&mut self, store: &ConfigStore, camera: &str, wake: Wake) {
        let job = store.zones(camera, Some(wake.clone()));
        self.opening = Some((camera.to_string(), wake, job));
    }

    /// Enters zone drawing once its camera's zones are read: the camera's name, or why it
    /// cannot be edited in words.
    pub fn opened(&mut self) -> Option<Result<String, String>> {
        let (_, _, job) = self.opening.as_mut()?;
        let answer = poll(job, JOB_READING_THE_ZONES)?;
        let (camera, wake, _) = self.opening.take()?;
        match answer {
            Ok(read) => {
                self.editor = Some(ZoneEditor::new(&camera, read, Some(wake)));
                Some(Ok(camera))
            }
            Err(e) => Some(Err(crate::tr!(
                "zones-cannot-open",
                camera = camera.as_str(),
                error = e.to_string()
            ))),
        }
    }

    /// Whether zones are being read or a change stored.
    pub fn is_busy(&self) -> bool {
        self.opening.is_some()
            || self.reading.is_some()
            || self.editor.as_ref().is_some_and(ZoneEditor::is_busy)
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
        editor.poll(store);
        let camera = status.cameras.iter().find(|c| c.name == editor.camera());
        let motion = camera.map(|c| c.motion.as_slice()).unwrap_or_default();
        let shown = camera.map_or_else(|| editor.camera().to_string(), |c| c.display_name.clone());
        if panel::show(ui, editor, store, motion, &shown) {
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
            let label = crate::tr!("zones-drawing-area", camera = cam.name.as_str());
            response.widget_info(|| WidgetInfo::labeled(egui::Role::Canvas, true, &label));
            pointer(editor, &response, &map, ui);
            let skip = editor.draft().map(|d| d.id);
            paint::stored_zones(&painter, &map, editor.zones(), &cam.motion, skip);
            if let Some(draft) = editor.draft() {
                paint::draft(&painter, &map, draft, response.hover_pos());
            }
            // What the detector sees now, to draw the zone where people walk.
            crate::objects::paint_fresh(ui, tile, cam, picture, now_us());
            return true;
        }
        if !fullscreen {
            // Read again when a camera next opens full screen.
            self.shown = None;
            self.reading = None;
            return false;
        }
        self.read_shown(ui, store, &cam.name);
        if let Some((_, zones)) = self.shown.as_ref().filter(|(name, _)| *name == cam.name) {
            paint::stored_zones(&painter, &map, zones, &cam.motion, None);
        }
        false
    }

    /// Reads the zones of the camera that opened full screen once, and takes the answer
    /// (none shown if they cannot be read).
    fn read_shown(&mut self, ui: &Ui, store: Option<&ConfigStore>, camera: &str) {
        if self.shown.as_ref().is_some_and(|(name, _)| name == camera) {
            return;
        }
        match &mut self.reading {
            Some((name, job)) if name == camera => {
                if let Some(answer) = poll(job, JOB_READING_THE_ZONES) {
                    let zones = answer.map(|read| read.zones).unwrap_or_default();
                    self.shown = Some((camera.to_string(), zones));
                    self.reading = None;
                }
            }
            _ => {
                self.reading = store.map(|s| {
                    let job = s.zones(camera, Some(wake(ui.ctx())));
                    (camera.to_string(), job)
                });
                if self.reading.is_none() {
                    self.shown = Some((camera.to_string(), Vec::new()));
                }
            }
        }
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
