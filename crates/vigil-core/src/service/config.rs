//! The configuration handle: cameras, their recording policies and zones, read and written
//! through the library for an interactive front end, each change applied to the running
//! engine at once (the `on_change` callback: the host's "apply the configuration now").
//!
//! Every read and edit runs as a [`Job`] on its own thread, so the caller (a UI frame) polls
//! for the answer and never waits on SQLite; `wake` is called when it is ready. The jobs
//! share one library connection behind a mutex, owned by the store; removing a camera with
//! its recordings (thousands of files) uses a connection of its own so other edits go on
//! meanwhile. `on_change` is called on the job's thread after a change is stored and before
//! its answer is handed over. Jobs started together may finish in any order: a front end
//! whose edits must land in order keeps one in flight at a time.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use super::error::ServiceError;
use crate::detect::ZoneSpec;
use crate::jobs::{Job, Wake};
use crate::library::{Library, LibraryError};
use crate::model::names::derive_id;
use crate::model::{Camera, DisplayName, IdKind, NewCamera, ObjectSettings, Policy};

/// A camera with everything the setup dialogs edit.
#[derive(Debug, Clone)]
pub struct CameraConfig {
    pub camera: Camera,
    pub policy: Policy,
    pub zones: Vec<ZoneSpec>,
    /// Recordings on disk: (count, bytes).
    pub usage: (u64, u64),
    /// Object detection (events need a confirmed object), `None` when off.
    pub objects: Option<ObjectSettings>,
    /// Zones with an object list of their own: (zone id, labels).
    pub zone_objects: Vec<(i64, Vec<String>)>,
}

/// A camera's id and its zones, as stored.
#[derive(Debug, Clone)]
pub struct CameraZones {
    pub camera_id: i64,
    pub zones: Vec<ZoneSpec>,
    /// Zones with an object list of their own: (zone id, labels).
    pub zone_objects: Vec<(i64, Vec<String>)>,
}

/// A zone as stored, with its camera's zones after storing it.
#[derive(Debug, Clone)]
pub struct SavedZone {
    pub zone: ZoneSpec,
    pub zones: Vec<ZoneSpec>,
}

/// The answer of a configuration job.
pub type ConfigJob<T> = Job<Result<T, ServiceError>>;

/// Called after every successful change (the engine host: "apply the configuration now").
pub type OnChange = Arc<dyn Fn() + Send + Sync>;

/// Cheap to clone: clones share one library connection and one change callback.
#[derive(Clone)]
pub struct ConfigStore {
    lib: Arc<Mutex<Library>>,
    on_change: OnChange,
    data_dir: PathBuf,
}

fn lock(lib: &Mutex<Library>) -> MutexGuard<'_, Library> {
    lib.lock().unwrap_or_else(|p| p.into_inner())
}

impl ConfigStore {
    /// Opens the library in `data_dir` for configuration edits.
    pub fn open(data_dir: &Path, on_change: OnChange) -> Result<Self, LibraryError> {
        let lib = Library::open(data_dir)?;
        Ok(Self {
            data_dir: lib.root().to_path_buf(),
            lib: Arc::new(Mutex::new(lib)),
            on_change,
        })
    }

    /// Every camera, by name.
    pub fn cameras(&self, wake: Option<Wake>) -> ConfigJob<Vec<CameraConfig>> {
        self.read("reading the cameras", wake, |lib| {
            lib.cameras()?
                .into_iter()
                .map(|camera| config_of(lib, camera))
                .collect()
        })
    }

    /// One camera with its policy, zones and recordings counted.
    pub fn camera(&self, name: &str, wake: Option<Wake>) -> ConfigJob<CameraConfig> {
        let name = name.to_string();
        self.read("reading the camera", wake, move |lib| {
            let camera = lib.camera_by_name(&name)?;
            config_of(lib, camera)
        })
    }

    /// A camera's id and zones only (no usage count: cheap enough for a view change).
    pub fn zones(&self, name: &str, wake: Option<Wake>) -> ConfigJob<CameraZones> {
        let name = name.to_string();
        self.read("reading the zones", wake, move |lib| {
            let camera_id = lib.camera_by_name(&name)?.id;
            let zones = lib.zones(camera_id)?;
            let zone_objects = lib.zone_objects(camera_id)?;
            Ok(CameraZones {
                camera_id,
                zones,
                zone_objects,
            })
        })
    }

    pub fn add_camera(
        &self,
        cam: NewCamera,
        policy: Policy,
        wake: Option<Wake>,
    ) -> ConfigJob<Camera> {
        self.change("adding the camera", wake, move |lib| {
            lib.add_camera(&cam, &policy)
        })
    }

    /// Adds a camera named `display`. An identifier derived from that name (as
    /// [`CameraForm::shown_id`](crate::model::camera_form::CameraForm::shown_id) shows it)
    /// becomes a free one (`-2`, `camera-N`…) if another camera has it.
    pub fn add_named_camera(
        &self,
        cam: NewCamera,
        display: DisplayName,
        policy: Policy,
        wake: Option<Wake>,
    ) -> ConfigJob<Camera> {
        self.change("adding the camera", wake, move |lib| {
            let mut cam = cam;
            let derived = derive_id(display.as_str(), IdKind::Camera, |_| false);
            if cam.name == derived {
                cam.name = lib.new_camera_id(display.as_str())?;
            }
            lib.add_camera_named(&cam, &display, &policy)
        })
    }

    /// Saves a camera and the name people see (its identifier as `cam` has it).
    pub fn update_named_camera(
        &self,
        id: i64,
        cam: NewCamera,
        display: DisplayName,
        wake: Option<Wake>,
    ) -> ConfigJob<Camera> {
        self.change("saving the camera", wake, move |lib| {
            // The name first: a name another camera has is the likelier refusal.
            lib.set_camera_display_name(id, &display)?;
            lib.update_camera(id, &cam)
        })
    }

    pub fn update_camera(&self, id: i64, cam: NewCamera, wake: Option<Wake>) -> ConfigJob<Camera> {
        self.change("saving the camera", wake, move |lib| {
            lib.update_camera(id, &cam)
        })
    }

    pub fn set_enabled(&self, name: &str, enabled: bool, wake: Option<Wake>) -> ConfigJob<()> {
        let name = name.to_string();
        self.change("switching the camera", wake, move |lib| {
            lib.set_camera_enabled(&name, enabled)
        })
    }

    /// Removes a camera; with recordings on disk only when `delete_recordings` is set. With
    /// it, call this once the camera has stopped recording (disabled, and the engine has
    /// applied it), so no segment is written into the folder being deleted; the files are
    /// deleted on a library connection of the job's own.
    pub fn remove_camera(
        &self,
        name: &str,
        delete_recordings: bool,
        wake: Option<Wake>,
    ) -> ConfigJob<()> {
        let name = name.to_string();
        if !delete_recordings {
            return self.change("removing the camera", wake, move |lib| {
                lib.remove_camera(&name, false)
            });
        }
        let (dir, on_change) = (self.data_dir.clone(), Arc::clone(&self.on_change));
        Job::spawn(
            "config-remove",
            wake,
            move |_| {
                let done = Library::open(&dir)
                    .and_then(|mut lib| lib.remove_camera(&name, true))
                    .map_err(ServiceError::Config);
                if done.is_ok() {
                    on_change();
                }
                done
            },
            |e| Err(not_started("removing the camera", &e)),
        )
    }

    /// Turns the camera's sound on or off (the engine restarts that camera alone).
    pub fn set_camera_audio(&self, camera_id: i64, on: bool, wake: Option<Wake>) -> ConfigJob<()> {
        self.change("saving the sound setting", wake, move |lib| {
            lib.set_camera_audio(camera_id, on)
        })
    }

    pub fn set_policy(&self, camera_id: i64, policy: Policy, wake: Option<Wake>) -> ConfigJob<()> {
        self.change("saving the policy", wake, move |lib| {
            lib.set_policy(camera_id, &policy)
        })
    }

    /// Stores a zone: a new one when `zone.id` is 0 or less, else replaces that zone.
    /// Answers it as stored, with the camera's zones after the change.
    pub fn save_zone(
        &self,
        camera_id: i64,
        zone: ZoneSpec,
        wake: Option<Wake>,
    ) -> ConfigJob<SavedZone> {
        self.change("saving the zone", wake, move |lib| {
            let zone = if zone.id > 0 {
                lib.update_zone(camera_id, &zone)?
            } else {
                lib.add_zone(camera_id, &zone)?
            };
            let zones = lib.zones(camera_id)?;
            Ok(SavedZone { zone, zones })
        })
    }

    /// Removes a zone; answers the camera's zones left.
    pub fn remove_zone(
        &self,
        camera_id: i64,
        name: &str,
        wake: Option<Wake>,
    ) -> ConfigJob<Vec<ZoneSpec>> {
        let name = name.to_string();
        self.change("removing the zone", wake, move |lib| {
            lib.remove_zone(camera_id, &name)?;
            lib.zones(camera_id)
        })
    }

    /// A read on a job of its own.
    pub(super) fn read<T: Send + 'static>(
        &self,
        what: &'static str,
        wake: Option<Wake>,
        work: impl FnOnce(&mut Library) -> Result<T, LibraryError> + Send + 'static,
    ) -> ConfigJob<T> {
        self.run(what, None, wake, work)
    }

    /// A change on a job of its own; once stored, the engine is told.
    pub(super) fn change<T: Send + 'static>(
        &self,
        what: &'static str,
        wake: Option<Wake>,
        work: impl FnOnce(&mut Library) -> Result<T, LibraryError> + Send + 'static,
    ) -> ConfigJob<T> {
        self.run(what, Some(Arc::clone(&self.on_change)), wake, work)
    }

    fn run<T: Send + 'static>(
        &self,
        what: &'static str,
        on_change: Option<OnChange>,
        wake: Option<Wake>,
        work: impl FnOnce(&mut Library) -> Result<T, LibraryError> + Send + 'static,
    ) -> ConfigJob<T> {
        let lib = Arc::clone(&self.lib);
        Job::spawn(
            "config",
            wake,
            move |_| {
                let done = work(&mut lock(&lib)).map_err(ServiceError::Config);
                if let (Ok(_), Some(on_change)) = (&done, on_change) {
                    on_change();
                }
                done
            },
            move |e| Err(not_started(what, &e)),
        )
    }
}

fn not_started(what: &'static str, e: &std::io::Error) -> ServiceError {
    ServiceError::JobNotStarted {
        what,
        reason: e.to_string(),
    }
}

fn config_of(lib: &Library, camera: Camera) -> Result<CameraConfig, LibraryError> {
    Ok(CameraConfig {
        policy: lib.policy(camera.id)?,
        zones: lib.zones(camera.id)?,
        usage: lib.camera_usage(camera.id)?,
        objects: lib.camera_objects(camera.id)?,
        zone_objects: lib.zone_objects(camera.id)?,
        camera,
    })
}

#[cfg(test)]
#[path = "config_tests.rs"]
mod tests;
