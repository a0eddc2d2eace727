//! One camera's zone-editing session: its stored zones (read when the session opens and
//! after each change, never per frame), the draft being drawn, what pointer actions on the
//! picture do to it, and saving or removing through the configuration store. `message`
//! says in words why the last step was refused.

use egui::Pos2;

use super::draft::Draft;
use super::map::PictureMap;
use super::shapes;
use vigil_core::detect::ZoneSpec;
use vigil_core::engine::config::ConfigStore;

pub struct ZoneEditor {
    camera: String,
    camera_id: i64,
    zones: Vec<ZoneSpec>,
    draft: Option<Draft>,
    message: Option<String>,
    notice: Option<String>,
}

impl ZoneEditor {
    /// Reads the camera's zones (one small query, on the click that opens the editor).
    pub fn open(store: &ConfigStore, camera: &str) -> Result<Self, String> {
        let (camera_id, zones) = store
            .zones(camera)
            .map_err(|e| format!("cannot edit the zones of {camera}: {e}"))?;
        Ok(Self {
            camera: camera.to_string(),
            camera_id,
            zones,
            draft: None,
            message: None,
            notice: None,
        })
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

    /// Checks and stores the draft; on success the zone list is read again.
    pub fn save(&mut self, store: &ConfigStore) {
        let Some(draft) = self.draft.as_mut() else {
            return;
        };
        let saved = draft.to_spec().and_then(|spec| {
            store
                .save_zone(self.camera_id, &spec)
                .map_err(|e| format!("cannot save zone {}: {e}", spec.name))
        });
        match saved {
            Ok(zone) => {
                self.draft = None;
                self.reload(store);
                self.report(Ok(()));
                self.notice = Some(format!("saved zone {}", zone.name));
            }
            Err(e) => self.report(Err(e)),
        }
    }

    /// Removes a stored zone.
    pub fn remove(&mut self, store: &ConfigStore, name: &str) {
        match store.remove_zone(self.camera_id, name) {
            Ok(()) => {
                if let Some(d) = &self.draft {
                    if self.zones.iter().any(|z| z.id == d.id && z.name == name) {
                        self.draft = None;
                    }
                }
                self.reload(store);
                self.report(Ok(()));
                self.notice = Some(format!("removed zone {name}"));
            }
            Err(e) => self.report(Err(format!("cannot remove zone {name}: {e}"))),
        }
    }

    /// A stored zone's sensitivity from its slider in the list: kept in memory while the
    /// slider is dragged, stored when `store` is given (the drag ended, or a key moved it).
    pub fn set_sensitivity(&mut self, zone_id: i64, sensitivity: u8, store: Option<&ConfigStore>) {
        let Some(zone) = self.zones.iter_mut().find(|z| z.id == zone_id) else {
            return;
        };
        zone.sensitivity = sensitivity.min(100);
        let Some(store) = store else {
            return;
        };
        let name = zone.name.clone();
        let saved = store.save_zone(self.camera_id, zone).map(|_| ());
        self.report(saved.map_err(|e| format!("cannot save zone {name}: {e}")));
        if self.message.is_some() {
            self.reload(store);
        }
    }

    fn reload(&mut self, store: &ConfigStore) {
        match store.zones(&self.camera) {
            Ok((_, zones)) => self.zones = zones,
            Err(e) => self.message = Some(format!("cannot read the zones again: {e}")),
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
                self.message = Some("select a point first (click it), then press Delete".into());
            }
        }
    }
}
