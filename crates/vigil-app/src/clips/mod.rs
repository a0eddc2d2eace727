//! The clip library: a side panel listing events (with their thumbnails) filtered by camera,
//! period, source and text; selecting one asks the app to show that moment; events can be
//! protected from retention or deleted (with their clips) after a confirmation that says
//! what goes. Every read and change goes through the service's archive handle as a job the
//! panel polls each frame (the job wakes the window when it is done): the list is read when
//! the panel opens, when the filter changes, after a change, and every few seconds while
//! open; thumbnails are decoded off the UI thread, only for the rows on screen.

mod bookmarks;
mod filter;
mod jobs;
mod panel;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use egui::TextureHandle;

pub use bookmarks::BookmarkList;
pub use filter::{ClipFilter, Period};

use super::actions::UiAction;
use crate::tr;
use jobs::{ArchiveJobs, Pending};
use vigil_core::model::time::now_us;
use vigil_core::model::Event;
use vigil_core::service::{Archive, EventDeletion, EventList, ServiceError, Wake};

/// How often an open list is read again (new events appear).
const REFRESH: Duration = Duration::from_secs(5);

#[derive(Default)]
pub struct ClipLibrary {
    open: bool,
    pub filter: ClipFilter,
    /// The filter the list was last asked for, and when.
    loaded: Option<(ClipFilter, Instant)>,
    /// What the library answered, before the text filter.
    read: Vec<Event>,
    /// The text the list was last filtered with.
    filtered_with: Option<String>,
    events: Vec<Event>,
    /// Camera names for the filter.
    cameras: Vec<String>,
    /// Each camera's display name by identifier (what the operator reads; rows hold ids).
    shown_names: HashMap<String, String>,
    /// Decoded thumbnails by event id (`None`: the event has none or it cannot be read).
    thumbs: HashMap<i64, Option<TextureHandle>>,
    /// Thumbnails the rows on screen asked for this frame.
    wanted: Vec<i64>,
    jobs: ArchiveJobs,
    selected: Option<i64>,
    /// An event whose deletion waits for confirmation, with what it would remove.
    confirm: Option<(Event, EventDeletion)>,
    message: Option<String>,
    /// Which list the panel shows.
    pub tab: ClipTab,
    /// The bookmarks tab.
    pub bookmarks: BookmarkList,
}

/// The clip library's lists: events, or bookmarks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ClipTab {
    #[default]
    Events,
    Bookmarks,
}

impl ClipLibrary {
    pub fn is_open(&self) -> bool {
        self.open
    }

    /// Learns the cameras' display names (identifier → name) from the status snapshot.
    pub fn set_display_names<'a>(&mut self, names: impl Iterator<Item = (&'a str, &'a str)>) {
        for (id, shown) in names {
            if self.shown_names.get(id).map(String::as_str) != Some(shown) {
                self.shown_names.insert(id.to_string(), shown.to_string());
            }
        }
    }

    /// The name the operator gave camera `id` (the identifier when none is known).
    pub fn display_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.shown_names.get(id).map_or(id, String::as_str)
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

    /// The bookmarks tab (its list as read last).
    pub fn bookmark_list(&self) -> &BookmarkList {
        &self.bookmarks
    }

    pub fn selected(&self) -> Option<i64> {
        self.selected
    }

    /// Whether the event's thumbnail is decoded and ready to show.
    pub fn has_thumbnail(&self, id: i64) -> bool {
        matches!(self.thumbs.get(&id), Some(Some(_)))
    }

    /// Whether a read or a change of the archive is still running.
    pub fn is_busy(&self) -> bool {
        self.jobs.is_busy()
    }

    /// Draws the panel when open; returns what the operator asked the app to do.
    pub fn show(&mut self, ui: &mut egui::Ui, archive: Option<&Archive>) -> Option<UiAction> {
        if !self.open {
            return None;
        }
        let Some(archive) = archive else {
            self.message = Some(tr!("clips-no-recordings"));
            return panel::show(ui, self, None);
        };
        let ctx = ui.ctx().clone();
        let wake: Wake = std::sync::Arc::new(move || ctx.request_repaint());
        self.take_answers(ui.ctx());
        self.refresh(archive, &wake);
        let action = panel::show(ui, self, Some((archive, &wake)));
        let wanted = std::mem::take(&mut self.wanted);
        self.jobs.decode(archive, wanted, &wake);
        action
    }

    /// Reads the list again when the camera, period or source changed or it is older than
    /// [`REFRESH`]; a change of text only filters what was read.
    fn refresh(&mut self, archive: &Archive, wake: &Wake) {
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
        if self.jobs.is_listing() {
            return;
        }
        self.loaded = Some((self.filter.clone(), Instant::now()));
        let request = self.filter.request(now_us());
        self.jobs.list(archive, self.filter.clone(), request, wake);
    }

    /// Takes what finished jobs answered.
    fn take_answers(&mut self, ctx: &egui::Context) {
        if let Some((asked, answer)) = self.jobs.take_list() {
            self.listed(&asked, answer);
        }
        for (id, thumb) in self.jobs.take_thumbnails() {
            let texture = thumb.map(|t| {
                let size = [t.width as usize, t.height as usize];
                let color = egui::ColorImage::from_rgba_unmultiplied(size, &t.rgba);
                ctx.load_texture(format!("event-{id}"), color, egui::TextureOptions::LINEAR)
            });
            self.thumbs.insert(id, texture);
        }
        if let Some(done) = self.jobs.take_change() {
            self.changed(done);
        }
    }

    /// A list arrived for the filter `asked`; kept only if the filter still asks the same.
    fn listed(&mut self, asked: &ClipFilter, answer: Result<EventList, ServiceError>) {
        if !asked.same_query(&self.filter) {
            return;
        }
        let list = match answer {
            Ok(list) => list,
            Err(e) => {
                self.message = Some(tr!("clips-cannot-read", error = e.to_string()));
                return;
            }
        };
        self.cameras = list.cameras;
        let Some(read) = list.events else {
            // The chosen camera is not configured (any more).
            self.filter.camera = None;
            return;
        };
        self.events = self.filter.select(read.clone());
        self.read = read;
        self.filtered_with = Some(self.filter.text.clone());
        let listed: std::collections::HashSet<i64> = self.events.iter().map(|e| e.id).collect();
        self.thumbs.retain(|id, _| listed.contains(id));
    }

    /// A protect, a deletion summary or a delete finished.
    fn changed(&mut self, done: jobs::Done) {
        match done {
            jobs::Done::Protected(_, Ok(_)) => self.loaded = None,
            jobs::Done::Protected(id, Err(err)) => {
                self.message = Some(tr!("clips-cannot-change", id = id, error = err.to_string()));
            }
            jobs::Done::Deletion(e, Ok(d)) => self.confirm = Some((e, d)),
            jobs::Done::Deletion(e, Err(err)) | jobs::Done::Deleted(e, Err(err)) => {
                self.message = Some(tr!(
                    "clips-cannot-delete",
                    id = e.id,
                    error = err.to_string()
                ));
            }
            jobs::Done::Deleted(e, Ok(gone)) => {
                self.message = Some(tr!(
                    "clips-deleted",
                    id = e.id,
                    clips = gone.clips,
                    size = super::text::bytes(gone.bytes)
                ));
                self.thumbs.remove(&e.id);
                self.loaded = None;
            }
        }
    }

    fn select(&mut self, e: &Event) -> UiAction {
        self.selected = Some(e.id);
        UiAction::ShowRecording {
            camera: e.camera.clone(),
            at_us: e.start_us,
        }
    }

    fn toggle_protected(&mut self, archive: &Archive, e: &Event, wake: &Wake) {
        if self.jobs.is_changing() {
            return;
        }
        let job = archive.set_protected(e.id, !e.protected, Some(wake.clone()));
        self.jobs.change(Pending::Protect(e.id, job));
    }

    fn ask_delete(&mut self, archive: &Archive, e: &Event, wake: &Wake) {
        if self.jobs.is_changing() {
            return;
        }
        let job = archive.deletion(e.id, Some(wake.clone()));
        self.jobs.change(Pending::AskDelete(e.clone(), job));
    }

    fn delete_confirmed(&mut self, archive: &Archive, wake: &Wake) {
        if self.jobs.is_changing() {
            return;
        }
        let Some((e, _)) = self.confirm.take() else {
            return;
        };
        let who = vigil_core::model::person::local_person("desktop");
        let job = archive.delete_event(e.id, who, Some(wake.clone()));
        self.jobs.change(Pending::Delete(e, job));
    }
}
