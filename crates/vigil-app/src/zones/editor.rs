//! One camera's zone-editing session: its stored zones (read when the session opens and
//! after each change, never per frame), the draft being drawn, what pointer actions on the
//! picture do to it, and saving or removing through the configuration store. `message`
//! says in words why the last step was refused.
//!
//! Saving and removing are jobs of the store, one at a time, whose answers [`ZoneEditor::poll`]
//! takes each frame (with the camera's zones after the change). A sensitivity stored while
//! another change runs waits for it, so the last one asked is the one kept.

use egui::Pos2;

use super::draft::Draft;
use super::shapes;
use crate::config_jobs::{poll, Answer};
use crate::picture_map::PictureMap;
use crate::tr;
use vigil_core::detect::ZoneSpec;
use vigil_core::service::{CameraZones, ConfigJob, ConfigStore, SavedZone, Wake};

/// What a lost job was doing: completes the engine's English `JobLost` sentence (engine
/// words, like the error it is part of).
const JOB_STORING_THE_ZONE: &str = "storing the zone"; // i18n-ignore
const JOB_READING_THE_ZONES: &str = "reading the zones"; // i18n-ignore

/// The change being stored, with the zone's name.
enum Pending {
    Save(String, ConfigJob<SavedZone>),
    Remove(String, ConfigJob<Vec<ZoneSpec>>),
    Sensitivity(String, ConfigJob<SavedZone>),
    /// Reading the zones again after a refused sensitivity.
    Reload(ConfigJob<CameraZones>),
}

pub struct ZoneEditor {
    camera: String,
    camera_id: i64,
    zones: Vec<ZoneSpec>,
    draft: Option<Draft>,
    message: Option<String>,
    notice: Option<String>,
    wake: Option<Wake>,
    pending: Option<Pending>,
    /// A zone whose sensitivity is to be stored once the pending change answers.
    queued: Option<i64>,
}

impl ZoneEditor {
    /// A session on `camera`'s zones as read from the store; `wake` is called when a change
    /// answers.
    pub fn new(camera: &str, read: CameraZones, wake: Option<Wake>) -> Self {
        Self {
            camera: camera.to_string(),
            camera_id: read.camera_id,
            zones: read.zones,
            draft: None,
            message: None,
            notice: None,
            wake,
            pending: None,
            queued: None,
        }
    }

    /// Whether a change is being stored.
    pub fn is_busy(&self) -> bool {
        self.pending.is_some()
    }

    pub fn camera(&self) -> &str {
        &self.camera
    }

    /// The stored zones, as last read.
    pub fn zones(&self) -> &[ZoneSpec] {
        &self.zones
    }

    pub fn draft(&self) -> Option<&Draft> {
        self.draft.as_ref()
    }

    pub fn draft_mut(&mut self) -> Option<&mut Draft> {
        self.draft.as_mut()
    }

    /// Why the last step was refused, in words.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// What the last change did ("saved zone gate").
    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }

    fn report(&mut self, result: Result<(), String>) {
        self.message = result.err();
        self.notice = None;
    }

    /// Starts drawing a new zone (an unsaved draft is dropped).
    pub fn new_zone(&mut self) {
        self.draft = Some(Draft::default());
        self.report(Ok(()));
    }

    /// Edits a stored zone.
    pub fn edit(&mut self, zone_id: i64) {
        if let Some(zone) = self.zones.iter().find(|z| z.id == zone_id) {
            self.draft = Some(Draft::from_spec(zone));
            self.report(Ok(()));
        }
    }

    /// Drops the draft.
    pub fn cancel(&mut self) {
        self.draft = None;
        self.report(Ok(()));
    }

    /// Closes the draft's outline (the "Close polygon" button).
    pub fn close_outline(&mut self) {
        if let Some(d) = self.draft.as_mut() {
            let closed = d.close().and_then(|_| d.polygon().map(|_| ()));
            self.report(closed);
        }
    }

    /// Checks the draft and starts storing it; the answer comes through [`Self::poll`].
    pub fn save(&mut self, store: &ConfigStore) {
        let Some(draft) = self.draft.as_mut() else {
            return;
        };
        let spec = match draft.to_spec() {
            Ok(spec) => spec,
            Err(e) => return self.report(Err(e)),
        };
        if self.refuse_while_busy() {
            return;
        }
        let job = store.save_zone(self.camera_id, spec.clone(), self.wake.clone());
        self.pending = Some(Pending::Save(spec.name, job));
    }

    /// Starts removing a stored zone.
    pub fn remove(&mut self, store: &ConfigStore, name: &str) {
        if self.refuse_while_busy() {
            return;
        }
        let job = store.remove_zone(self.camera_id, name, self.wake.clone());
        self.pending = Some(Pending::Remove(name.to_string(), job));
    }

    /// A stored zone's sensitivity from its slider in the list: kept in memory while the
    /// slider is dragged, stored when `store` is given (the drag ended, or a key moved it).
    pub fn set_sensitivity(&mut self, zone_id: i64, sensitivity: u8, store: Option<&ConfigStore>) {
        let Some(zone) = self.zones.iter_mut().find(|z| z.id == zone_id) else {
            return;
        };
        zone.sensitivity = sensitivity.min(100);
        if let Some(store) = store {
            self.queued = Some(zone_id);
            self.store_queued(store);
        }
    }

    /// Stores the queued sensitivity unless a change is running (it waits for that one).
    fn store_queued(&mut self, store: &ConfigStore) {
        if self.pending.is_some() {
            return;
        }
        let Some(id) = self.queued.take() else {
            return;
        };
        if let Some(zone) = self.zones.iter().find(|z| z.id == id) {
            let job = store.save_zone(self.camera_id, zone.clone(), self.wake.clone());
            self.pending = Some(Pending::Sensitivity(zone.name.clone(), job));
        }
    }

    fn refuse_while_busy(&mut self) -> bool {
        let busy = self.pending.is_some();
        if busy {
            self.report(Err(tr!("zones-still-storing")));
        }
        busy
    }

    /// Takes the answer of the change being stored, if it has come (call every frame).
    pub fn poll(&mut self, store: &ConfigStore) {
        let Some(pending) = self.pending.as_mut() else {
            return self.store_queued(store);
        };
        let what = JOB_STORING_THE_ZONE;
        match pending {
            Pending::Save(name, job) => {
                let Some(answer) = poll(job, what) else {
                    return;
                };
                let name = std::mem::take(name);
                self.saved(answer, &name);
            }
            Pending::Remove(name, job) => {
                let Some(answer) = poll(job, what) else {
                    return;
                };
                let name = std::mem::take(name);
                self.removed(answer, &name);
            }
            Pending::Sensitivity(name, job) => {
                let Some(answer) = poll(job, what) else {
                    return;
                };
                let name = std::mem::take(name);
                self.pending = None;
                if let Err(e) = answer {
                    self.report(Err(tr!(
                        "zones-cannot-save",
                        name = name.as_str(),
                        error = e.to_string()
                    )));
                    let job = store.zones(&self.camera, self.wake.clone());
                    self.pending = Some(Pending::Reload(job));
                    return;
                }
                self.report(Ok(()));
            }
            Pending::Reload(job) => {
                let Some(answer) = poll(job, JOB_READING_THE_ZONES) else {
                    return;
                };
                self.pending = None;
                match answer {
                    Ok(read) => self.zones = read.zones,
                    Err(e) => {
                        self.message = Some(tr!("zones-cannot-reread", error = e.to_string()))
                    }
                }
            }
        }
        self.store_queued(store);
    }

    fn saved(&mut self, answer: Answer<SavedZone>, name: &str) {
        self.pending = None;
        match answer {
            Ok(saved) => {
                self.draft = None;
                self.zones = saved.zones;
                self.report(Ok(()));
                self.notice = Some(tr!("zones-saved", name = saved.zone.name.as_str()));
            }
            Err(e) => self.report(Err(tr!(
                "zones-cannot-save",
                name = name,
                error = e.to_string()
            ))),
        }
    }

    fn removed(&mut self, answer: Answer<Vec<ZoneSpec>>, name: &str) {
        self.pending = None;
        match answer {
            Ok(zones) => {
                if let Some(d) = &self.draft {
                    if self.zones.iter().any(|z| z.id == d.id && z.name == name) {
                        self.draft = None;
                    }
                }
                self.zones = zones;
                self.report(Ok(()));
                self.notice = Some(tr!("zones-removed", name = name));
            }
            Err(e) => self.report(Err(tr!(
                "zones-cannot-remove",
                name = name,
                error = e.to_string()
            ))),
        }
    }

    /// The stored zone (not the one being edited) with a point at `pos`, topmost first.
    fn hit_stored(&self, map: &PictureMap, pos: Pos2) -> Option<(i64, Option<usize>)> {
        let editing = self.draft.as_ref().map(|d| d.id);
        let zones = self.zones.iter().rev().filter(|z| Some(z.id) != editing);
        for zone in zones.clone() {
            if let Some(i) = map.hit(zone.polygon.points(), pos) {
                return Some((zone.id, Some(i)));
            }
        }
        zones
            .into_iter()
            .find(|z| shapes::contains(&map.all_to_screen(z.polygon.points()), pos))
            .map(|z| (z.id, None))
    }

    /// A click on the picture: with no draft, picks the stored zone under the pointer for
    /// editing or starts a new zone there; with one, adds, selects or closes (see
    /// [`Draft::click`]). Clicks on the letterbox bars are ignored.
    pub fn click(&mut self, map: &PictureMap, pos: Pos2) {
        if self.draft.is_none() {
            if let Some((id, point)) = self.hit_stored(map, pos) {
                self.edit(id);
                if let (Some(d), Some(i)) = (self.draft.as_mut(), point) {
                    let _ = d.click(Some(i), map.to_picture_clamped(pos));
                }
                return;
            }
            if map.to_picture(pos).is_none() {
                return;
            }
            self.new_zone();
        }
        let Some(d) = self.draft.as_mut() else {
            return;
        };
        let hit = map.hit(d.points(), pos);
        let result = match (hit, map.to_picture(pos)) {
            (None, None) => return,
            (hit, at) => d.click(hit, at.unwrap_or_else(|| map.to_picture_clamped(pos))),
        };
        let closed_now = result.is_ok() && d.is_closed() && hit == Some(0);
        let checked = if closed_now {
            d.polygon().map(|_| ())
        } else {
            result
        };
        self.report(checked);
    }

    /// A right-click: removes the point under the pointer (of the draft, or of a stored
    /// zone, which is then being edited).
    pub fn secondary_click(&mut self, map: &PictureMap, pos: Pos2) {
        if self.draft.is_none() {
            match self.hit_stored(map, pos) {
                Some((id, Some(_))) => self.edit(id),
                _ => return,
            }
        }
        if let Some(d) = self.draft.as_mut() {
            if let Some(i) = map.hit(d.points(), pos) {
                d.remove_point(i);
                self.report(Ok(()));
            }
        }
    }

    /// The pointer pressed at `origin` started a drag: grabs the point there, if any.
    pub fn drag_start(&mut self, map: &PictureMap, origin: Pos2) {
        if self.draft.is_none() {
            match self.hit_stored(map, origin) {
                Some((id, Some(_))) => self.edit(id),
                _ => return,
            }
        }
        if let Some(d) = self.draft.as_mut() {
            if let Some(i) = map.hit(d.points(), origin) {
                d.start_drag(i, map.to_picture_clamped(origin));
                self.report(Ok(()));
            }
        }
    }

    pub fn drag_to(&mut self, map: &PictureMap, pos: Pos2) {
        if let Some(d) = self.draft.as_mut() {
            d.drag_to(map.to_picture_clamped(pos));
        }
    }

    pub fn drag_end(&mut self) {
        if let Some(d) = self.draft.as_mut() {
            d.end_drag();
        }
    }

    /// The Delete key: removes the selected point.
    pub fn delete_selected(&mut self) {
        if let Some(d) = self.draft.as_mut() {
            if !d.remove_selected() {
                self.message = Some(tr!("zones-select-point-first"));
            }
        }
    }
}
