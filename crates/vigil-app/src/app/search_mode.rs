//! The app's side of motion search: "Search motion here…" in a recorded tile's menu opens
//! it, the search panel and the timeline's marks each frame, a clicked hit played, and
//! Escape or Close leaving it (the marks go with it).

use egui::Ui;

use super::VigilApp;
use crate::search::{self, MotionSearchMode};
use crate::tr;
use vigil_core::service::Repaint;

/// The longest timeline window a played hit is shown in (5 min).
const HIT_WINDOW_US: i64 = 300_000_000;

impl VigilApp {
    /// Opens search mode for `camera` (its recording on screen), full screen.
    pub(super) fn open_search(&mut self, camera: &str) {
        let Some(id) = self.recorded.camera_id(camera) else {
            self.config_error = Some(tr!("search-camera-unknown", camera = camera));
            return;
        };
        self.search = Some(MotionSearchMode::new(camera, id));
        self.grid.select(camera);
        self.grid.open_fullscreen(&self.names);
    }

    /// The full-screen bar's "Search motion here…", in playback while search mode is shut.
    pub(super) fn search_button(&mut self, ui: &mut Ui) {
        if !self.recorded.is_playback() || self.search.is_some() {
            return;
        }
        let Some(name) = self.grid.selected(&self.names).map(str::to_string) else {
            return;
        };
        if ui.button(tr!("search-menu")).clicked() {
            self.open_search(&name);
        }
    }

    /// Leaves search mode; its marks leave the timeline.
    pub fn close_search(&mut self) {
        self.search = None;
        self.recorded.set_search_marks(None);
    }

    /// Escape leaves search mode; true when search mode took the keys.
    pub(super) fn search_keys(&mut self, ui: &mut Ui) -> bool {
        if self.search.is_none() {
            return false;
        }
        if search::escape_pressed(ui) {
            self.close_search();
        }
        true
    }

    /// The search panel (before the central panel) and the timeline's marks.
    pub(super) fn search_frame(&mut self, ui: &mut Ui, now: i64, repaint: &Repaint) {
        let Some(mode) = self.search.as_mut() else {
            return;
        };
        let Some(t) = self.recorded.time_context(now) else {
            return;
        };
        let shown = self.clips.display_name(mode.camera()).to_string();
        let backend = self.backend.as_ref();
        let out = search::panel::show(ui, mode, backend, &t, repaint, &shown);
        let marks = mode.marks();
        if let Some(at) = out.play_from {
            // Zoomed in enough that the moment's mark shows.
            self.recorded.jump_within(at, HIT_WINDOW_US);
        }
        if out.close {
            self.close_search();
        } else {
            self.recorded.set_search_marks(Some(marks));
        }
    }

    /// Search mode's drawing surface over `camera`'s tile: true when it took the tile.
    pub(super) fn search_tile(
        &mut self,
        ui: &mut Ui,
        rect: egui::Rect,
        camera: &str,
        picture: Option<[u32; 2]>,
        stream: [u32; 2],
    ) -> bool {
        match self.search.as_mut().filter(|m| m.camera() == camera) {
            Some(mode) => {
                mode.tile(ui, rect, picture, stream);
                true
            }
            None => false,
        }
    }

    /// Motion search, while open.
    pub fn motion_search(&self) -> Option<&MotionSearchMode> {
        self.search.as_ref()
    }
}
