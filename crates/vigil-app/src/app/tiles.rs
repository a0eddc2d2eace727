//! The live wall's tiles: the page's cells placed in the window, each camera's live (or
//! replayed, or recorded) picture kept in step with its tile, and one tile drawn with its
//! menu, selection, full screen and drag onto another cell, and its sound controls.

use egui::{Rect, Ui};

use super::{VigilApp, GAP};
use crate::actions::tile_menu;
use crate::audio::controls::{tile_controls, TileSoundView};
use crate::audio::live_sound;
use crate::grid::LayoutCell;
use crate::layouts;
use crate::text;
use crate::tile::{empty_grid, show_tile, TileView};
use crate::tr;
use crate::video::{pixel_size, WantedTile};
use vigil_core::model::time::now_us;
use vigil_core::service::{CameraStatus, ConnState, EngineStatus, Repaint};

impl VigilApp {
    /// Lays out the page's cells, keeps their live decoders in step, and draws them: a tile
    /// per camera, empty cells with words, and what is dropped onto a cell.
    pub(super) fn tiles(&mut self, ui: &mut Ui, status: &EngineStatus, repaint: &Repaint) {
        let area = ui.available_rect_before_wrap();
        let page = self.grid.page(&self.names);
        if page.is_empty() {
            self.live
                .sync(ui.ctx(), self.backend.as_ref(), &[], &self.names, repaint);
            empty_grid(ui, area);
            return;
        }
        let shown = page.iter().filter(|c| c.camera().is_some()).count();
        let rects = self.grid.rects(area, self.names.len(), shown, GAP);
        let cells: Vec<(LayoutCell, Rect)> = page.into_iter().zip(rects).collect();
        let placed: Vec<(String, Rect)> = cells
            .iter()
            .filter_map(|(c, r)| c.camera().map(|n| (n.to_string(), *r)))
            .collect();
        self.sync_pictures(ui, &placed, status, repaint);
        // Watching recordings on the timeline ends instant replays.
        let replaying = if self.recorded.is_playback() {
            &[]
        } else {
            &placed[..]
        };
        let backend = self.backend.as_ref();
        self.replays
            .sync(ui.ctx(), backend, replaying, status, repaint);
        let selected = self.grid.selected(&self.names).map(str::to_string);
        let fullscreen = self.grid.is_fullscreen();
        let now = now_us();
        for (i, (cell, rect)) in cells.into_iter().enumerate() {
            let at = (!fullscreen).then_some(i);
            let cam = cell
                .camera()
                .and_then(|n| status.cameras.iter().find(|c| c.name == n));
            let response = match cam {
                Some(cam) => {
                    let is_selected = selected.as_deref() == Some(cam.name.as_str());
                    self.tile(ui, cam, rect, is_selected, now, at)
                }
                None => Some(layouts::empty_cell(ui, rect, i, &cell)),
            };
            if let (Some(at), Some(response)) = (at, response) {
                if let Some(drop) = layouts::cell_target(ui, rect, at, &response) {
                    self.layouts.request(drop);
                }
            }
        }
        layouts::drag_label(ui.ctx());
        self.layouts
            .apply_drops(ui.ctx(), &mut self.grid, &self.names);
        ui.allocate_rect(area, egui::Sense::hover());
    }

    /// Keeps the decoders in step with the tiles on screen: live pictures (the stream that
    /// suits each tile's size, the selected tile a priority for the decode budget), or, while
    /// watching a recording, the player's (live decoding stops meanwhile).
    fn sync_pictures(
        &mut self,
        ui: &Ui,
        placed: &[(String, Rect)],
        status: &EngineStatus,
        repaint: &Repaint,
    ) {
        let ppp = ui.ctx().pixels_per_point();
        let wanted: Vec<(String, [u32; 2])> = placed
            .iter()
            .map(|(name, r)| (name.clone(), pixel_size(*r, ppp)))
            .collect();
        let playback = self.recorded.is_playback();
        let selected = self.grid.selected(&self.names);
        // A tile showing an instant replay decodes no live picture meanwhile.
        // Viewing another recorder's library: no live decoding (its connections are its own).
        let live_wanted = if playback || self.viewer.is_some() {
            Vec::new()
        } else {
            WantedTile::for_tiles(&self.replays.only_live(&wanted), selected, status)
        };
        self.live.sync(
            ui.ctx(),
            self.backend.as_ref(),
            &live_wanted,
            &self.names,
            repaint,
        );
        self.sync_sound(status, repaint);
        if playback {
            self.recorded
                .sync(ui.ctx(), self.backend.as_ref(), &wanted, repaint);
        } else if let Some(state) = &self.viewer {
            let backend = self.backend.as_ref();
            self.recent.sync(ui.ctx(), backend, state, &wanted, repaint);
            // The tiles' "recorded n s ago" counts on.
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_secs(1));
        }
    }

    /// The selected tile's sound: the player's while watching recordings, else its live
    /// sound while "Listen" is on (never while viewing another recorder's library).
    fn sync_sound(&mut self, status: &EngineStatus, repaint: &Repaint) {
        let selected = self.grid.selected(&self.names).map(str::to_string);
        if self.recorded.is_playback() {
            self.sound.stop_live();
            self.recorded
                .sync_sound(&mut self.sound, selected.as_deref());
            return;
        }
        self.recorded.sync_sound(&mut self.sound, None);
        let cam = selected
            .as_deref()
            .and_then(|n| status.cameras.iter().find(|c| c.name == n))
            .filter(|_| self.viewer.is_none());
        self.sound.sync_live(self.backend.as_ref(), cam, repaint);
    }

    /// One camera's tile: its picture, its context menu, selection and full screen; dragged
    /// onto another cell when it is cell `cell` of the grid. Answers the tile's widget
    /// (none while zone drawing takes the tile).
    fn tile(
        &mut self,
        ui: &mut Ui,
        cam: &CameraStatus,
        rect: Rect,
        selected: bool,
        now: i64,
        cell: Option<usize>,
    ) -> Option<egui::Response> {
        let name = cam.name.as_str();
        let playback = self.recorded.is_playback();
        let replay = !playback && self.replays.is_replaying(name);
        let note = if playback {
            Some(self.recorded.note(name))
        } else if replay {
            Some(self.replays.message(name))
        } else {
            // Viewing another recorder's library: its live pictures are its own.
            self.viewer
                .is_some()
                .then(|| Some(self.recent_note(cam, now)))
        };
        let view = TileView {
            status: cam,
            picture: if playback {
                self.recorded.picture(name)
            } else if replay {
                self.replays.picture(name)
            } else if self.viewer.is_some() {
                self.recent.picture(name)
            } else {
                self.live.picture(name)
            },
            live_error: self.live.error(name),
            live: (!playback && !replay)
                .then(|| self.live.shown(name))
                .flatten(),
            selected,
            now_us: now,
            recorded: note.as_ref().map(Option::as_deref),
        };
        if let Some(cell) = cell {
            layouts::tile_drag_source(ui, rect, cell);
        }
        let response = show_tile(ui, rect, &view);
        let live_on =
            (!playback && !replay && self.viewer.is_none()).then(|| live_sound(cam).is_some());
        let sound_view = TileSoundView {
            camera: name,
            has_sound: if playback {
                self.recorded.sound_codec(name).is_some()
            } else {
                live_on == Some(true)
            },
            selected,
            live: live_on,
        };
        tile_controls(ui, rect, &mut self.sound, &sound_view);
        let back_to_live = replay && self.replays.overlay(ui, rect, name);
        let picture = view.picture.map(|(_, size)| size);
        if back_to_live {
            self.replays.stop(name);
        }
        let live = !playback && !replay;
        if live && selected && self.boxes.is_on() && self.zones.editing() != Some(name) {
            crate::objects::paint_fresh(ui, rect, cam, picture, now);
        }
        let fullscreen = self.grid.is_fullscreen();
        let config = self.backend.config();
        if self.zones.tile(ui, config, rect, cam, picture, fullscreen) {
            return None; // zone drawing takes the tile's clicks
        }
        if self.search_tile(ui, rect, name, picture, [cam.width, cam.height]) {
            return None; // so does drawing a motion search's region
        }
        let mut search = false;
        let enabled = cam.conn != ConnState::Disabled;
        response.context_menu(|ui| {
            for (label, action) in tile_menu(name, enabled) {
                let button = ui
                    .add_enabled(self.viewer.is_none(), egui::Button::new(label))
                    .on_disabled_hover_text(tr!("viewer-cannot-configure"));
                if button.clicked() {
                    self.actions.push(action);
                    ui.close();
                }
            }
            if playback {
                ui.separator();
                if ui.button(tr!("search-menu")).clicked() {
                    search = true;
                    ui.close();
                }
            }
            if let Some(cell) = cell {
                ui.separator();
                if ui.button(tr!("app-clear-cell")).clicked() {
                    self.layouts.request(layouts::CellDrop::Clear(cell));
                    ui.close();
                }
            }
        });
        if search {
            self.open_search(name);
        }
        if response.clicked() {
            self.grid.select(name);
        }
        if response.double_clicked() {
            self.grid.select(name);
            if self.grid.is_fullscreen() {
                self.grid.close_fullscreen();
            } else {
                self.grid.open_fullscreen(&self.names);
            }
        }
        Some(response)
    }

    /// Viewer mode's caption for `cam`'s tile: why the recorder has no picture of it when
    /// it is not connected (the recorder's words, as its own tile says them), how old the
    /// picture shown is, and where the live view is.
    fn recent_note(&self, cam: &CameraStatus, now: i64) -> String {
        let recorded = match self.recent.recorded_at(&cam.name) {
            Some(end) => tr!(
                "viewer-tile-recorded",
                secs = ((now - end).max(0) / 1_000_000).to_string()
            ),
            None => tr!("viewer-tile-no-live"),
        };
        let offline = matches!(
            cam.conn,
            ConnState::Connecting | ConnState::Retrying { .. } | ConnState::Waiting
        );
        match text::offline_message(cam, now).filter(|_| offline) {
            Some(why) => format!("{why}\n{recorded}"), // i18n-ignore
            None => recorded,
        }
    }
}
