//! Configuration edits for an interactive front end: cameras, their recording policies and
//! zones, read and written through the library and applied to the running engine at once.
//! Every call is one small SQLite transaction, made on a user action (never per frame).

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use crate::detect::ZoneSpec;
use crate::jobs::{Job, Wake};
use crate::library::{Library, LibraryError};
use crate::model::{Camera, NewCamera, Policy};

/// A camera with everything the setup dialogs edit.
#[derive(Debug, Clone)]
pub struct CameraConfig {
    pub camera: Camera,
    pub policy: Policy,
    pub zones: Vec<ZoneSpec>,
    /// Recordings on disk: (count, bytes).
    pub usage: (u64, u64),
}

/// Called after every successful change (the engine host: "apply the configuration now").
pub type OnChange = Arc<dyn Fn() + Send + Sync>;

pub struct ConfigStore {
    lib: Mutex<Library>,
    on_change: OnChange,
    data_dir: std::path::PathBuf,
}

impl ConfigStore {
    /// Opens the library in `data_dir` for configuration edits.
    pub fn open(data_dir: &Path, on_change: OnChange) -> Result<Self, LibraryError> {
        let lib = Library::open(data_dir)?;
        Ok(Self {
            data_dir: lib.root().to_path_buf(),
            lib: Mutex::new(lib),
            on_change,
        })
    }

    fn lib(&self) -> MutexGuard<'_, Library> {
        self.lib.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn changed<T>(&self, result: Result<T, LibraryError>) -> Result<T, LibraryError> {
        if result.is_ok() {
            (self.on_change)();
        }
        result
    }

    /// Every camera, by name.
    pub fn cameras(&self) -> Result<Vec<CameraConfig>, LibraryError> {
        let lib = self.lib();
        lib.cameras()?
            .into_iter()
            .map(|camera| config_of(&lib, camera))
            .collect()
    }

    pub fn camera(&self, name: &str) -> Result<CameraConfig, LibraryError> {
        let lib = self.lib();
        let camera = lib.camera_by_name(name)?;
        config_of(&lib, camera)
    }

    /// A camera's id and zones only (no usage count: cheap enough for a view change).
    pub fn zones(&self, name: &str) -> Result<(i64, Vec<ZoneSpec>), LibraryError> {
        let lib = self.lib();
        let id = lib.camera_by_name(name)?.id;
        Ok((id, lib.zones(id)?))
    }

    pub fn add_camera(&self, cam: &NewCamera, policy: &Policy) -> Result<Camera, LibraryError> {
        let added = self.lib().add_camera(cam, policy);
        self.changed(added)
    }

    pub fn update_camera(&self, id: i64, cam: &NewCamera) -> Result<Camera, LibraryError> {
        let updated = self.lib().update_camera(id, cam);
        self.changed(updated)
    }

    pub fn set_enabled(&self, name: &str, enabled: bool) -> Result<(), LibraryError> {
        let done = self.lib().set_camera_enabled(name, enabled);
        self.changed(done)
    }

    /// Removes a camera; with recordings on disk only when `delete_recordings` is set.
    pub fn remove_camera(&self, name: &str, delete_recordings: bool) -> Result<(), LibraryError> {
        let done = self.lib().remove_camera(name, delete_recordings);
        self.changed(done)
    }

    /// Removes a camera and deletes its recordings on a [`Job`] (deleting thousands of files
    /// takes a while); the answer is in words, and `wake` is called when it is ready. Call it
    /// once the camera has stopped recording (disabled, and the engine has applied it), so no
    /// segment is written into the folder being deleted.
    pub fn remove_camera_in_background(
        &self,
        name: &str,
        wake: Option<Wake>,
    ) -> Job<Result<(), String>> {
        let (dir, name, on_change) = (
            self.data_dir.clone(),
            name.to_string(),
            Arc::clone(&self.on_change),
        );
        Job::spawn(
            "remove-camera",
            wake,
            move |_| {
                let done = Library::open(&dir)
                    .and_then(|mut lib| lib.remove_camera(&name, true))
                    .map_err(|e| format!("cannot remove {name}: {e}"));
                if done.is_ok() {
                    on_change();
                }
                done
            },
            |e| Err(format!("cannot start removing the camera: {e}")),
        )
    }

    pub fn set_policy(&self, camera_id: i64, policy: &Policy) -> Result<(), LibraryError> {
        let done = self.lib().set_policy(camera_id, policy);
        self.changed(done)
    }

    /// Stores a zone: a new one when `zone.id` is 0 or less, else replaces that zone.
    pub fn save_zone(&self, camera_id: i64, zone: &ZoneSpec) -> Result<ZoneSpec, LibraryError> {
        let saved = if zone.id > 0 {
            self.lib().update_zone(camera_id, zone)
        } else {
            self.lib().add_zone(camera_id, zone)
        };
        self.changed(saved)
    }

    pub fn remove_zone(&self, camera_id: i64, name: &str) -> Result<(), LibraryError> {
        let done = self.lib().remove_zone(camera_id, name);
        self.changed(done)
    }
}

fn config_of(lib: &Library, camera: Camera) -> Result<CameraConfig, LibraryError> {
    Ok(CameraConfig {
        policy: lib.policy(camera.id)?,
        zones: lib.zones(camera.id)?,
        usage: lib.camera_usage(camera.id)?,
        camera,
    })
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;
    use crate::detect::{Polygon, ZoneKind};
    use crate::model::{CameraName, Transport};

    fn new_camera(name: &str, url: &str) -> NewCamera {
        NewCamera {
            name: CameraName::parse(name).unwrap(),
            url: url.into(),
            detect_url: None,
            transport: Transport::Tcp,
            enabled: true,
        }
    }

    #[test]
    fn edits_are_stored_and_announced_and_bad_ones_change_nothing() {
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
        let yard = store
            .add_camera(&new_camera("yard", "demo://"), &Policy::default())
            .unwrap();
        store
            .add_camera(&new_camera("door", "demo://"), &Policy::default())
            .unwrap();
        assert_eq!(calls.load(Ordering::SeqCst), 2);

        // Renaming onto another camera's name fails and changes nothing.
        let clash = store.update_camera(yard.id, &new_camera("door", "demo://"));
        assert!(matches!(clash, Err(LibraryError::DuplicateCamera(_))));
        let mut edit = new_camera("gate", "rtsp://u:p@10.0.0.2/main");
        edit.detect_url = Some("rtsp://u:p@10.0.0.2/sub".into());
        let renamed = store.update_camera(yard.id, &edit).unwrap();
        assert_eq!((renamed.id, renamed.name.as_str()), (yard.id, "gate"));
        assert_eq!(calls.load(Ordering::SeqCst), 3);

        let polygon = Polygon::parse("0.1,0.1 0.5,0.1 0.5,0.5").unwrap();
        let zone = store
            .save_zone(
                yard.id,
                &ZoneSpec::new(0, "path", ZoneKind::Detect, polygon),
            )
            .unwrap();
        let mut moved = zone.clone();
        moved.polygon = Polygon::parse("0.2,0.2 0.6,0.2 0.6,0.6").unwrap();
        moved.kind = ZoneKind::Mask;
        store.save_zone(yard.id, &moved).unwrap();
        let got = store.camera("gate").unwrap();
        assert_eq!(got.zones.len(), 1);
        assert_eq!(got.zones[0].kind, ZoneKind::Mask);
        assert_eq!(got.zones[0].polygon, moved.polygon);
        assert_eq!(got.camera.detect_url, edit.detect_url);

        let before = calls.load(Ordering::SeqCst);
        let bad = Policy {
            segment_s: 0,
            ..Policy::default()
        };
        assert!(store.set_policy(yard.id, &bad).is_err());
        assert_eq!(calls.load(Ordering::SeqCst), before, "no change announced");
        assert_eq!(store.camera("gate").unwrap().policy, Policy::default());
        store.remove_camera("door", false).unwrap();
        let names: Vec<String> = store
            .cameras()
            .unwrap()
            .into_iter()
            .map(|c| c.camera.name.to_string())
            .collect();
        assert_eq!(names, ["gate"]);
    }
}
