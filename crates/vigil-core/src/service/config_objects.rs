//! The configuration handle's part for object detection: a camera's objects to record on
//! (labels, minimum score and box size, model), a zone's own object list saved with the
//! zone, and whether the live view draws the detector's boxes. Like every [`ConfigStore`]
//! call, each one answers on a job; a change to what a camera detects is applied at once
//! (its pipeline restarts with the new plan).

use super::config::{ConfigJob, ConfigStore, SavedZone};
use crate::detect::{ZoneKind, ZoneSpec};
use crate::jobs::Wake;
use crate::model::objects_form::check_settings;
use crate::model::{InvalidInput, ObjectSettings};

impl ConfigStore {
    /// The camera's object detection, `None` when it records on motion alone.
    pub fn camera_objects(
        &self,
        camera_id: i64,
        wake: Option<Wake>,
    ) -> ConfigJob<Option<ObjectSettings>> {
        self.read("reading the object detection", wake, move |lib| {
            lib.camera_objects(camera_id)
        })
    }

    /// Turns object detection on for a camera with these settings (checked, an operator's
    /// model file included: it must be there), or off with `None`.
    pub fn set_camera_objects(
        &self,
        camera_id: i64,
        settings: Option<ObjectSettings>,
        wake: Option<Wake>,
    ) -> ConfigJob<()> {
        self.change("saving the object detection", wake, move |lib| {
            if let Some(s) = &settings {
                check_settings(s)?;
            }
            lib.set_camera_objects(camera_id, settings.as_ref())
        })
    }

    /// Stores a zone like [`ConfigStore::save_zone`], with its object list: `Some(labels)`
    /// of its own, `None` to follow its camera's. A mask has none (it ignores motion).
    pub fn save_zone_objects(
        &self,
        camera_id: i64,
        zone: ZoneSpec,
        objects: Option<Vec<String>>,
        wake: Option<Wake>,
    ) -> ConfigJob<SavedZone> {
        self.change("saving the zone", wake, move |lib| {
            if zone.kind == ZoneKind::Mask && objects.is_some() {
                return Err(InvalidInput(format!(
                    "zone '{}' is a mask, which ignores motion; only detect zones have objects",
                    zone.name.trim()
                ))
                .into());
            }
            let zone = if zone.id > 0 {
                lib.update_zone(camera_id, &zone)?
            } else {
                lib.add_zone(camera_id, &zone)?
            };
            let joined = objects.map(|o| o.join(","));
            lib.set_zone_objects(zone.id, joined.as_deref())?;
            let zones = lib.zones(camera_id)?;
            Ok(SavedZone { zone, zones })
        })
    }

    /// Whether the live view draws the detector's boxes on the selected tile.
    pub fn live_boxes(&self, wake: Option<Wake>) -> ConfigJob<bool> {
        self.read("reading the live view's settings", wake, |lib| {
            lib.live_boxes()
        })
    }

    /// Remembers whether the live view draws boxes (nothing for the engine to apply).
    pub fn set_live_boxes(&self, on: bool, wake: Option<Wake>) -> ConfigJob<()> {
        self.read("remembering the boxes switch", wake, move |lib| {
            lib.set_live_boxes(on)
        })
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    use super::*;
    use crate::detect::Polygon;
    use crate::library::Library;
    use crate::model::{CameraName, DetectorFormat, DetectorModel, NewCamera, Policy, Transport};

    fn store() -> (tempfile::TempDir, ConfigStore, Arc<AtomicUsize>, i64) {
        let dir = tempfile::tempdir().unwrap();
        let calls = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&calls);
        let store = ConfigStore::open(
            dir.path(),
            Arc::new(move || {
                counter.fetch_add(1, Ordering::SeqCst);
            }),
        )
        .unwrap();
        let cam = NewCamera {
            name: CameraName::parse("yard").unwrap(),
            url: "demo://".into(),
            detect_url: None,
            transport: Transport::Tcp,
            enabled: true,
            audio: false,
        };
        let id = store
            .add_camera(cam, Policy::default(), None)
            .wait()
            .unwrap()
            .unwrap()
            .id;
        (dir, store, calls, id)
    }

    #[test]
    fn camera_objects_are_stored_checked_and_announced() {
        let (dir, store, calls, id) = store();
        let before = calls.load(Ordering::SeqCst);
        let s = ObjectSettings {
            min_score: 0.7,
            ..ObjectSettings::default()
        };
        store
            .set_camera_objects(id, Some(s.clone()), None)
            .wait()
            .unwrap()
            .unwrap();
        assert_eq!(calls.load(Ordering::SeqCst), before + 1);
        let lib = Library::open(dir.path()).unwrap();
        assert_eq!(lib.camera_objects(id).unwrap(), Some(s.clone()));
        let read = store.camera("yard", None).wait().unwrap().unwrap();
        assert_eq!(read.objects, Some(s));

        // A model file that is not there is refused in words; nothing changes.
        let missing = ObjectSettings {
            model: DetectorModel::Onnx {
                path: PathBuf::from("/nonexistent/model.onnx"),
                format: DetectorFormat::Yolo,
                labels: None,
            },
            ..ObjectSettings::default()
        };
        let e = store
            .set_camera_objects(id, Some(missing), None)
            .wait()
            .unwrap()
            .unwrap_err();
        assert!(e.to_string().contains("does not exist"), "{e}");
        assert_eq!(lib.camera_objects(id).unwrap().unwrap().min_score, 0.7);

        store
            .set_camera_objects(id, None, None)
            .wait()
            .unwrap()
            .unwrap();
        assert_eq!(lib.camera_objects(id).unwrap(), None);
    }

    #[test]
    fn a_zone_saves_with_its_own_objects_or_follows_its_camera() {
        let (_dir, store, _calls, id) = store();
        let poly = Polygon::parse("0,0 1,0 1,1").unwrap();
        let zone = ZoneSpec::new(0, "drive", ZoneKind::Detect, poly.clone());
        let own = Some(vec!["person".to_string(), "car".to_string()]);
        let saved = store
            .save_zone_objects(id, zone, own, None)
            .wait()
            .unwrap()
            .unwrap();
        let read = store.zones("yard", None).wait().unwrap().unwrap();
        assert_eq!(
            read.zone_objects,
            [(saved.zone.id, vec!["person".to_string(), "car".to_string()])]
        );
        store
            .save_zone_objects(id, saved.zone.clone(), None, None)
            .wait()
            .unwrap()
            .unwrap();
        let read = store.zones("yard", None).wait().unwrap().unwrap();
        assert!(read.zone_objects.is_empty());

        let mask = ZoneSpec::new(0, "tree", ZoneKind::Mask, poly);
        let e = store
            .save_zone_objects(id, mask, Some(vec!["person".into()]), None)
            .wait()
            .unwrap()
            .unwrap_err();
        assert!(e.to_string().contains("is a mask"), "{e}");
    }

    #[test]
    fn the_boxes_switch_is_remembered_without_restarting_anything() {
        let (_dir, store, calls, _id) = store();
        let before = calls.load(Ordering::SeqCst);
        assert!(!store.live_boxes(None).wait().unwrap().unwrap());
        store.set_live_boxes(true, None).wait().unwrap().unwrap();
        assert!(store.live_boxes(None).wait().unwrap().unwrap());
        assert_eq!(calls.load(Ordering::SeqCst), before);
    }
}
