//! The desktop app's window: a top bar (layout switcher, full-screen controls), the live
//! grid of camera tiles, and the status bar. It reads the engine's status snapshot and the
//! latest live pictures each frame and never waits on decoding, the disk or a camera.

mod dispatch;
mod search_mode;
mod sound;
mod tiles;
mod tours_windows;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use egui::{Color32, Frame, Key, Panel, RichText, Ui};

use super::actions::UiAction;
use super::audio::Sound;
use super::backend::{Backend, FixedBackend};
use super::camera_setup::CameraSetup;
use super::clips::ClipLibrary;
use super::export::{ExportJob, SavePicker};
use super::grid::GridState;
use super::layouts::LayoutsUi;
use super::monitor::Monitors;
use super::mqtt_settings::MqttWindow;
use super::objects::LiveBoxes;
use super::recorded::Recorded;
use super::replay::Replays;
use super::stats::{self, FrameStats};
use super::status_bar;
use super::tour::Tours;
use super::video::LiveTiles;
use super::zones::ZoneMode;
use crate::tr;
use dispatch::Switching;
use vigil_core::model::time::now_us;
use vigil_core::service::{ConnState, Repaint};

/// Space between tiles, points.
const GAP: f32 = 4.0;

pub struct VigilApp {
    backend: Box<dyn Backend>,
    grid: GridState,
    live: LiveTiles,
    show_problems: bool,
    notice: Option<String>,
    repaint: Option<Repaint>,
    /// Camera names in tile order, from the latest status.
    names: Vec<String>,
    /// Set from outside (SIGTERM) to close the window.
    stop: Option<Arc<AtomicBool>>,
    /// UI time per frame; shown in an overlay when `show_stats` (`--stats`, F12).
    stats: FrameStats,
    show_stats: bool,
    /// Live pictures uploaded since the app started.
    pictures_total: u64,
    /// Requests made while drawing this frame, carried out at its end.
    actions: Vec<UiAction>,
    /// The last configuration change that failed, in words (shown until dismissed).
    config_error: Option<String>,
    /// Cameras being enabled or disabled.
    switching: Vec<Switching>,
    /// The open camera / policy / remove dialog, if any.
    setup: CameraSetup,
    /// The MQTT settings window.
    mqtt: MqttWindow,
    /// Zone drawing on a camera's picture, and the zones shown over a full-screen camera.
    zones: ZoneMode,
    /// The clip library side panel.
    clips: ClipLibrary,
    /// The export in progress (or its outcome).
    export: ExportJob,
    /// The timeline and, away from live, the player of recordings.
    recorded: Recorded,
    /// The recording the operator asked to see (camera, UTC µs), for the player.
    wanted_recording: Option<(String, i64)>,
    /// Tours: the editor, the Tours menu and the running tour.
    tours: Tours,
    /// Extra windows for more monitors.
    monitors: Monitors,
    /// The layout picker, saved layouts, the camera list and drag-and-drop onto cells.
    layouts: LayoutsUi,
    /// Instant replays in tiles (replay.rs).
    replays: Replays,
    /// Whether the selected tile shows the object detector's boxes (objects/toggle.rs).
    boxes: LiveBoxes,
    /// Viewing a library another Vigil records into: who records (the banner). Cameras
    /// cannot be changed then, and tiles have no live picture.
    viewer: Option<crate::viewer::ViewerState>,
    /// Viewer mode's tile pictures, from each camera's newest recording.
    recent: crate::viewer::RecentPictures,
    /// "Search motion here…" on a recorded camera, while open (search/).
    search: Option<crate::search::MotionSearchMode>,
    /// The sound output, each camera's volume and mute, live listening (audio/).
    sound: Sound,
}

impl VigilApp {
    pub fn new(backend: Box<dyn Backend>) -> Self {
        Self {
            backend,
            grid: GridState::default(),
            live: LiveTiles::default(),
            show_problems: false,
            notice: None,
            repaint: None,
            names: Vec::new(),
            stop: None,
            stats: FrameStats::default(),
            show_stats: false,
            pictures_total: 0,
            actions: Vec::new(),
            config_error: None,
            switching: Vec::new(),
            setup: CameraSetup::default(),
            mqtt: MqttWindow::default(),
            zones: ZoneMode::default(),
            clips: ClipLibrary::default(),
            export: ExportJob::default(),
            recorded: Recorded::default(),
            wanted_recording: None,
            tours: Tours::default(),
            monitors: Monitors::default(),
            layouts: LayoutsUi::default(),
            replays: Replays::default(),
            boxes: LiveBoxes::default(),
            viewer: None,
            recent: Default::default(),
            search: None,
            sound: Sound::default(),
        }
    }

    /// Views a library another Vigil records into (`viewer/`): `state` says who records
    /// and what each camera recorded last; changing cameras is turned off, saying why.
    pub fn with_viewer(mut self, state: Option<crate::viewer::ViewerState>) -> Self {
        self.viewer = state;
        self
    }

    /// The viewer banner, when this window views another recorder's library.
    pub fn viewer_banner(&self) -> Option<String> {
        self.viewer.as_ref().map(|v| v.banner())
    }

    /// Viewer mode's tile pictures (each camera's newest recording).
    pub fn recent(&self) -> &crate::viewer::RecentPictures {
        &self.recent
    }

    /// Shows the frame-time overlay from the start (`--stats`; F12 toggles it).
    pub fn with_stats(mut self, on: bool) -> Self {
        self.show_stats = on;
        self
    }

    /// UI time per frame over the last few seconds.
    pub fn frame_stats(&self) -> &FrameStats {
        &self.stats
    }

    /// Live pictures uploaded to textures since the app started.
    pub fn pictures_shown(&self) -> u64 {
        self.pictures_total
    }

    /// Closes the window when `stop` becomes true (checked at least twice a second).
    pub fn with_stop(mut self, stop: Arc<AtomicBool>) -> Self {
        self.stop = Some(stop);
        self
    }

    /// A line shown at the top until dismissed (e.g. "added the demo camera").
    pub fn with_notice(mut self, notice: Option<String>) -> Self {
        self.notice = notice;
        self
    }

    pub fn grid(&self) -> &GridState {
        &self.grid
    }

    pub fn live(&self) -> &LiveTiles {
        &self.live
    }

    /// Every tile's camera, in order.
    pub fn camera_names(&self) -> &[String] {
        &self.names
    }

    /// The cameras whose tiles are on screen now, in cell order.
    pub fn visible_cameras(&self) -> Vec<String> {
        self.grid.shown(&self.names)
    }

    /// The layout picker's state: saved layouts, the one on screen.
    pub fn layouts(&self) -> &LayoutsUi {
        &self.layouts
    }

    pub fn problems_open(&self) -> bool {
        self.show_problems
    }

    /// Zone drawing and the zones shown over a full-screen camera.
    pub fn zones(&self) -> &ZoneMode {
        &self.zones
    }

    /// The clip library panel.
    pub fn clips(&self) -> &ClipLibrary {
        &self.clips
    }

    /// Exports ask `picker` where to write instead of the system's save dialog (tests).
    pub fn with_save_picker(mut self, picker: Arc<dyn SavePicker>) -> Self {
        self.export = ExportJob::new(picker);
        self
    }

    /// The timeline and the player of recordings.
    pub fn recorded(&self) -> &Recorded {
        &self.recorded
    }

    /// The export in progress, or the last one's outcome.
    pub fn export(&self) -> &ExportJob {
        &self.export
    }

    /// Instant replays in tiles.
    pub fn replays(&self) -> &Replays {
        &self.replays
    }

    /// The live view's boxes switch.
    pub fn boxes(&self) -> &LiveBoxes {
        &self.boxes
    }

    /// The recording last asked for from the clip library: (camera, UTC µs).
    pub fn wanted_recording(&self) -> Option<(&str, i64)> {
        self.wanted_recording
            .as_ref()
            .map(|(c, t)| (c.as_str(), *t))
    }

    /// Draws the whole window (the eframe `ui` callback; tests call it directly).
    pub fn show(&mut self, ui: &mut Ui) {
        let started = Instant::now();
        crate::fonts::install(ui.ctx());
        let repaint = self.repaint(ui.ctx());
        if let Some(stop) = &self.stop {
            if stop.load(Ordering::Relaxed) {
                ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
            }
            ui.ctx().request_repaint_after(Duration::from_millis(500));
        }
        let status = self.backend.status();
        self.names = status.cameras.iter().map(|c| c.name.clone()).collect();
        if let Some(e) = self.boxes.poll(ui.ctx(), self.backend.config()) {
            self.config_error = Some(e);
        }
        if let Some(e) =
            self.layouts
                .frame(ui.ctx(), self.backend.config(), &mut self.grid, &self.names)
        {
            self.config_error = Some(e);
        }
        // Before the keys are taken: any click, scroll or key pauses a running tour.
        self.tours.watch_input(ui);
        // Keys typed into a text field (a dialog, the clip filter) belong to it.
        let typing = self.setup.is_open()
            || self.mqtt.is_open()
            || self.layouts.dialog_open()
            || ui.ctx().text_edit_focused();
        let searching = !typing && self.search_keys(ui);
        if !typing && self.zones.editing().is_none() {
            // While watching a recording, Space/←/→/J/K/L drive the player.
            self.recorded.keys(ui);
        }
        if !typing {
            if !self.recorded.is_playback() {
                let selected = self.grid.selected(&self.names).map(str::to_string);
                let backend = self.backend.as_ref();
                self.replays
                    .keys(ui, backend, selected.as_deref(), &repaint);
            }
            if !searching {
                self.keyboard(ui);
            }
        }
        self.poll_tours_and_windows(ui.ctx());
        self.top_bar(ui);
        let problems = self.backend.problems();
        let sound_problem = self.sound.problem();
        status_bar::show(
            ui,
            &status,
            &problems,
            sound_problem.as_deref(),
            &mut self.show_problems,
        );
        self.export.poll(self.backend.exports(), ui.ctx());
        if self.export.is_running() || self.export.outcome().is_some() {
            egui::Panel::bottom("export-strip").show(ui, |ui| self.export.show(ui));
        }
        let now = now_us();
        self.recorded
            .prepare(self.backend.as_ref(), &self.names, now, &repaint);
        let selected = self.grid.selected(&self.names).map(str::to_string);
        self.search_frame(ui, now, &repaint);
        if let Some(action) = self.recorded.show(ui, now, selected.as_deref()) {
            self.actions.push(action);
        }
        self.take_config_answers();
        self.zones.panel(ui, self.backend.config(), &status);
        self.clips.set_display_names(
            status
                .cameras
                .iter()
                .map(|c| (c.name.as_str(), c.display_name.as_str())),
        );
        if let Some(action) = self.clips.show(ui, self.backend.archive()) {
            self.actions.push(action);
        }
        self.tours
            .drive(ui.ctx(), &mut self.grid, &self.names, &mut self.layouts);
        let shown = self.grid.shown(&self.names);
        self.layouts.camera_list(ui, &self.names, &shown);
        egui::CentralPanel::default()
            .frame(Frame::NONE.fill(Color32::from_gray(24)).inner_margin(GAP))
            .show(ui, |ui| self.tiles(ui, &status, &repaint));
        self.show_tours_and_windows(ui.ctx(), &status);
        match self.setup.show(ui.ctx(), self.backend.as_ref(), &status) {
            Some(Ok(done)) => self.notice = Some(done),
            Some(Err(e)) => self.config_error = Some(e),
            None => {}
        }
        match self.mqtt.show(ui.ctx(), self.backend.config(), &status) {
            Some(Ok(done)) => self.notice = Some(done),
            Some(Err(e)) => self.config_error = Some(e),
            None => {}
        }
        let config = self.backend.config();
        self.layouts
            .dialogs(ui.ctx(), config, &self.grid, &self.names);
        self.run_actions(ui.ctx());
        if ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, Key::F12)) {
            self.show_stats = !self.show_stats;
        }
        if self.show_stats {
            let shown = self.grid.shown(&self.names).len();
            stats::overlay(ui, &self.stats.summary(), shown);
        }
        if status
            .cameras
            .iter()
            .any(|c| matches!(c.conn, ConnState::Retrying { .. }))
        {
            // The "retrying in N s" countdowns.
            ui.ctx().request_repaint_after(Duration::from_secs(1));
        }
        let pictures = self.live.take_uploads();
        self.pictures_total += u64::from(pictures);
        self.stats.record(started, started.elapsed(), pictures);
    }

    /// The wake-up call handed to the engine and the live decoders, made once.
    fn repaint(&mut self, ctx: &egui::Context) -> Repaint {
        if let Some(r) = &self.repaint {
            return Arc::clone(r);
        }
        let ctx = ctx.clone();
        let r: Repaint = Arc::new(move || ctx.request_repaint());
        self.backend.set_repaint(Arc::clone(&r));
        self.repaint = Some(Arc::clone(&r));
        r
    }

    /// Arrow keys move the selection, Enter opens it full screen, Esc returns to the grid.
    fn keyboard(&mut self, ui: &mut Ui) {
        if self.zones.keyboard(ui) {
            return;
        }
        self.layouts.keys(ui, &self.grid);
        self.boxes.key(ui, self.backend.config());
        self.grid.keys(ui, &self.names);
    }

    fn top_bar(&mut self, ui: &mut Ui) {
        Panel::top("top-bar").show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.label(RichText::new("Vigil").strong().size(16.0)); // i18n-ignore
                ui.separator();
                if self.grid.is_fullscreen() {
                    if ui.button(tr!("app-back-to-grid")).clicked() {
                        self.grid.close_fullscreen();
                    }
                    if let Some(name) = self.grid.selected(&self.names) {
                        ui.label(RichText::new(self.clips.display_name(name)).strong());
                    }
                    self.search_button(ui);
                } else {
                    let config = self.backend.config();
                    self.layouts.picker(ui, config, &mut self.grid, &self.names);
                    if let Some(page) = self.grid.page_label(&self.names) {
                        ui.separator();
                        ui.label(page);
                    }
                }
                ui.separator();
                let may_configure = self.viewer.is_none();
                let add = ui
                    .add_enabled(may_configure, egui::Button::new(tr!("app-add-camera")))
                    .on_disabled_hover_text(tr!("viewer-cannot-configure"));
                if add.clicked() {
                    self.actions.push(UiAction::AddCamera);
                }
                let mqtt = "MQTT…"; // i18n-ignore: a name
                let mqtt = ui
                    .add_enabled(may_configure, egui::Button::new(mqtt))
                    .on_disabled_hover_text(tr!("viewer-cannot-configure"));
                if mqtt.clicked() {
                    self.actions.push(UiAction::MqttSettings);
                }
                let mut clips = self.clips.is_open();
                if ui.toggle_value(&mut clips, tr!("app-clips")).changed() {
                    self.clips.set_open(clips);
                }
                self.boxes.button(ui, self.backend.config());
                ui.separator();
                self.tours
                    .top_bar(ui, &mut self.grid, self.backend.config());
                if ui.button(tr!("app-new-window")).clicked() {
                    self.monitors.open_new();
                }
                crate::language_menu::menu(ui);
            });
            if let Some(banner) = self.viewer_banner() {
                ui.horizontal_wrapped(|ui| {
                    let text = RichText::new(banner).color(Color32::from_rgb(250, 200, 90));
                    ui.label(text).on_hover_text(tr!("viewer-cannot-configure"));
                });
            }
            if let Some(err) = self.config_error.clone() {
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new(err).color(Color32::from_rgb(235, 90, 80)));
                    if ui.small_button(tr!("app-dismiss")).clicked() {
                        self.config_error = None;
                    }
                });
            }
            if let Some(notice) = self.notice.clone() {
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new(notice).color(Color32::from_rgb(140, 190, 255)));
                    if ui.small_button(tr!("app-dismiss")).clicked() {
                        self.notice = None;
                    }
                });
            }
        });
    }
}

impl eframe::App for VigilApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }

    /// Stops the engine here, finishing and indexing every open segment.
    fn on_exit(&mut self) {
        // An export in progress is cancelled (its temporary file removed), players stopped.
        self.export = ExportJob::default();
        self.sound = Sound::default();
        self.recorded = Recorded::default();
        self.live = LiveTiles::default();
        self.monitors.stop_all();
        self.backend = Box::new(FixedBackend::default());
    }
}
