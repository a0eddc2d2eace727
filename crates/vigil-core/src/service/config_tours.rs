//! The configuration handle's part for the live view's tours and the app's extra windows:
//! what a tour editor and player need (tours, saved layouts, camera names by id), tour
//! edits, and the remembered windows. Like every [`ConfigStore`] call, each one answers on a
//! job; none of them changes what the engine records, so none asks it to apply anything.

use super::config::{ConfigJob, ConfigStore};
use crate::jobs::Wake;
use crate::library::{MonitorWindow, NewTour};
use crate::model::{SavedLayout, Tour};

/// Tours with everything their steps name: the saved layouts and the cameras.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TourCatalog {
    /// Every tour, by name.
    pub tours: Vec<Tour>,
    /// Every saved layout, by name.
    pub layouts: Vec<SavedLayout>,
    /// Every camera as (id, name), by name.
    pub cameras: Vec<(i64, String)>,
}

impl TourCatalog {
    pub fn camera_name(&self, id: i64) -> Option<&str> {
        let found = self.cameras.iter().find(|(c, _)| *c == id);
        found.map(|(_, name)| name.as_str())
    }

    pub fn layout(&self, id: i64) -> Option<&SavedLayout> {
        self.layouts.iter().find(|l| l.id == id)
    }
}

impl ConfigStore {
    /// Tours, saved layouts and camera names, read together.
    pub fn tour_catalog(&self, wake: Option<Wake>) -> ConfigJob<TourCatalog> {
        self.read("reading the tours", wake, |lib| {
            let cameras = lib.cameras()?;
            Ok(TourCatalog {
                tours: lib.tours()?,
                layouts: lib.layouts()?,
                cameras: cameras
                    .into_iter()
                    .map(|c| (c.id, c.name.to_string()))
                    .collect(),
            })
        })
    }

    /// Stores a tour (a new one when `id` is `None`); answers it as stored.
    pub fn save_tour(&self, id: Option<i64>, tour: NewTour, wake: Option<Wake>) -> ConfigJob<Tour> {
        self.read("saving the tour", wake, move |lib| lib.save_tour(id, &tour))
    }

    /// Removes a tour; answers whether there was one.
    pub fn remove_tour(&self, id: i64, wake: Option<Wake>) -> ConfigJob<bool> {
        self.read("removing the tour", wake, move |lib| lib.remove_tour(id))
    }

    /// The app's extra windows as last saved.
    pub fn monitor_windows(&self, wake: Option<Wake>) -> ConfigJob<Vec<MonitorWindow>> {
        self.read("reading the saved windows", wake, |lib| {
            lib.monitor_windows()
        })
    }

    /// Remembers the app's extra windows (replacing what was saved).
    pub fn set_monitor_windows(
        &self,
        windows: Vec<MonitorWindow>,
        wake: Option<Wake>,
    ) -> ConfigJob<()> {
        self.read("saving the windows", wake, move |lib| {
            lib.set_monitor_windows(&windows)
        })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    use super::*;
    use crate::model::{CameraName, NewCamera, Policy, TourStep, Transport};

    #[test]
    fn tours_are_saved_and_read_back_with_their_catalog_without_reloading_the_engine() {
        let dir = tempfile::tempdir().expect("temp dir");
        let changes = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&changes);
        let on_change = Arc::new(move || {
            counted.fetch_add(1, Ordering::SeqCst);
        });
        let store = ConfigStore::open(dir.path(), on_change).expect("store");
        let cam = NewCamera {
            name: CameraName::parse("yard").expect("name"),
            url: "demo://".into(),
            detect_url: None,
            transport: Transport::Tcp,
            enabled: true,
            audio: false,
        };
        let yard = store
            .add_camera(cam, Policy::default(), None)
            .wait()
            .expect("answer")
            .expect("added");
        let added_changes = changes.load(Ordering::SeqCst);
        let tour = NewTour {
            name: "Round".into(),
            steps: vec![TourStep::Camera(yard.id)],
            dwell_s: 8.0,
        };
        let saved = store
            .save_tour(None, tour, None)
            .wait()
            .expect("answer")
            .expect("saved");
        let catalog = store
            .tour_catalog(None)
            .wait()
            .expect("answer")
            .expect("read");
        assert_eq!(catalog.tours, vec![saved.clone()]);
        assert_eq!(catalog.camera_name(yard.id), Some("yard"));
        assert!(catalog.layouts.is_empty());
        let windows = vec![MonitorWindow::default()];
        store
            .set_monitor_windows(windows.clone(), None)
            .wait()
            .expect("answer")
            .expect("saved");
        let read = store.monitor_windows(None).wait().expect("answer");
        assert_eq!(read.expect("read"), windows);
        assert!(store
            .remove_tour(saved.id, None)
            .wait()
            .expect("answer")
            .expect("removed"));
        assert_eq!(changes.load(Ordering::SeqCst), added_changes, "no reloads");
    }
}
