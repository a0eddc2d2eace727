//! The clip library: a side panel listing events (with their thumbnails) filtered by camera,
//! period, source and text; selecting one asks the app to show that moment; events can be
//! protected from retention or deleted (with their clips) after a confirmation that says
//! what goes. Reads the library when opened, when the filter changes, after a change, and
//! every few seconds while open — never on every frame.

mod filter;
mod panel;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use egui::TextureHandle;

pub use filter::{ClipFilter, Period};

use super::actions::UiAction;
use vigil_core::engine::archive::Archive;
use vigil_core::library::events::EventDeletion;
use vigil_core::model::time::now_us;
use vigil_core::model::Event;

/// How often an open list is read again (new events appear).
const REFRESH: Duration = Duration::from_secs(5);

#[derive(Default)]
pub struct ClipLibrary {
    open: bool,
    pub filter: ClipFilter,
    /// The filter the list was read with, and when.
    loaded: Option<(ClipFilter, Instant)>,
    /// What the library answered, before the text filter.
    read: Vec<Event>,
    /// The text the list was last filtered with.
    filtered_with: Option<String>,
    events: Vec<Event>,
    /// Camera names for the filter.
    cameras: Vec<String>,
    /// Decoded thumbnails by event id (`None`: the event has none or it cannot be read).
    thumbs: HashMap<i64, Option<TextureHandle>>,
    selected: Option<i64>,
    /// An event whose deletion waits for confirmation, with what it would remove.
    confirm: Option<(Event, EventDeletion)>,
    message: Option<String>,
}

impl ClipLibrary {
    pub fn is_open(&self) -> bool {
        self.open
    }

    pub fn set_open(&mut self, open: bool) {
        self.open = open;
        if open {
            self.loaded = None;
        }
    }

    /// The events listed now, newest first.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    pub fn selected(&self) -> Option<i64> {
        self.selected
    }

    /// Draws the panel when open; returns what the operator asked the app to do.
    pub fn show(&mut self, ui: &mut egui::Ui, archive: Option<&Archive>) -> Option<UiAction> {
        if !self.open {
            return None;
        }
        let Some(archive) = archive else {
            self.message = Some("this view has no recordings".into());
            return panel::show(ui, self, None);
        };
        self.refresh(archive);
        panel::show(ui, self, Some(archive))
    }

    /// Reads the list again when the camera, period or source changed or it is older than
    /// [`REFRESH`]; a change of text only filters what was read.
    fn refresh(&mut self, archive: &Archive) {
        let fresh = self
            .loaded
            .as_ref()
            .is_some_and(|(f, at)| f.same_query(&self.filter) && at.elapsed() < REFRESH);
        if fresh {
            if self.filtered_with.as_deref() != Some(self.filter.text.as_str()) {
                self.events = self.filter.select(self.read.clone());
                self.filtered_with = Some(self.filter.text.clone());
            }
            return;
        }
        self.loaded = Some((self.filter.clone(), Instant::now()));
        let cameras = match archive.cameras() {
            Ok(c) => c,
            Err(e) => {
                self.message = Some(format!("cannot read the cameras: {e}"));
                return;
            }
        };
        self.cameras = cameras.iter().map(|c| c.name.to_string()).collect();
        let Some(query) = self.filter.query(&cameras, now_us()) else {
            self.filter.camera = None;
            return;
        };
        match archive.events(&query) {
            Ok(read) => {
                self.events = self.filter.select(read.clone());
                self.read = read;
                self.filtered_with = Some(self.filter.text.clone());
                let listed: std::collections::HashSet<i64> =
                    self.events.iter().map(|e| e.id).collect();
                self.thumbs.retain(|id, _| listed.contains(id));
            }
            Err(e) => self.message = Some(format!("cannot read the events: {e}")),
        }
    }

    fn select(&mut self, e: &Event) -> UiAction {
        self.selected = Some(e.id);
        UiAction::ShowRecording {
            camera: e.camera.clone(),
            at_us: e.start_us,
        }
    }

    fn toggle_protected(&mut self, archive: &Archive, e: &Event) {
        match archive.set_protected(e.id, !e.protected) {
            Ok(_) => self.loaded = None,
            Err(err) => self.message = Some(format!("cannot change event {}: {err}", e.id)),
        }
    }

    fn ask_delete(&mut self, archive: &Archive, e: &Event) {
        match archive.deletion(e.id) {
            Ok(d) => self.confirm = Some((e.clone(), d)),
            Err(err) => self.message = Some(format!("cannot delete event {}: {err}", e.id)),
        }
    }

    fn delete_confirmed(&mut self, archive: &Archive) {
        let Some((e, _)) = self.confirm.take() else {
            return;
        };
        self.message = Some(match archive.delete_event(e.id) {
            Ok(gone) => format!(
                "deleted event {} and {} clip(s), {}",
                e.id,
                gone.clips,
                super::text::bytes(gone.bytes)
            ),
            Err(err) => format!("cannot delete event {}: {err}", e.id),
        });
        self.thumbs.remove(&e.id);
        self.loaded = None;
    }
}
