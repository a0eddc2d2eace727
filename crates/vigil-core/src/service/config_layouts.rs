//! The configuration handle's part for live-view layouts: saved layouts (list, save by name,
//! rename, remove) and the layout in use, remembered for the next start. The library stores
//! cells by camera id; a front end speaks camera names, so each job translates (a removed
//! camera's cell answers [`LayoutCell::Removed`]). Layouts are not engine configuration: these
//! jobs never ask the engine to reload.

use std::collections::HashMap;

use super::config::{ConfigJob, ConfigStore};
use crate::jobs::Wake;
use crate::library::layouts::LayoutInUse;
use crate::library::{Library, LibraryError};
use crate::model::{LayoutKind, SavedLayout};

/// One cell of a layout as a front end shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LayoutCell {
    Empty,
    Camera(String),
    /// The camera placed here was removed since.
    Removed,
}

impl LayoutCell {
    pub fn camera(&self) -> Option<&str> {
        match self {
            LayoutCell::Camera(name) => Some(name),
            LayoutCell::Empty | LayoutCell::Removed => None,
        }
    }
}

/// A saved layout with its cells by camera name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedLayout {
    pub id: i64,
    pub name: String,
    pub kind: LayoutKind,
    pub cells: Vec<LayoutCell>,
}

/// The live view's layout: its shape (`None`: auto), the cells the operator placed (`None`:
/// cameras in order, in pages) and the saved layout it was opened from (id, name).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LiveLayout {
    pub kind: Option<LayoutKind>,
    pub cells: Option<Vec<LayoutCell>>,
    pub saved: Option<(i64, String)>,
}

impl ConfigStore {
    /// Every saved layout, by name.
    pub fn layouts(&self, wake: Option<Wake>) -> ConfigJob<Vec<NamedLayout>> {
        self.read("reading the layouts", wake, |lib| {
            let names = Names::of(lib)?;
            Ok(lib
                .layouts()?
                .into_iter()
                .map(|l| names.layout(l))
                .collect())
        })
    }

    /// Saves the cells (camera names; `None` empty) under `name`, replacing a layout of that
    /// name. Answers it as stored.
    pub fn save_layout(
        &self,
        name: &str,
        kind: LayoutKind,
        cells: Vec<Option<String>>,
        wake: Option<Wake>,
    ) -> ConfigJob<NamedLayout> {
        let name = name.to_string();
        self.read("saving the layout", wake, move |lib| {
            let names = Names::of(lib)?;
            let ids = names.ids(&cells)?;
            let saved = lib.save_layout(&name, kind, &ids)?;
            Ok(names.layout(saved))
        })
    }

    pub fn rename_layout(
        &self,
        id: i64,
        new_name: &str,
        wake: Option<Wake>,
    ) -> ConfigJob<NamedLayout> {
        let new_name = new_name.to_string();
        self.read("renaming the layout", wake, move |lib| {
            let saved = lib.rename_layout(id, &new_name)?;
            Ok(Names::of(lib)?.layout(saved))
        })
    }

    pub fn remove_layout(&self, id: i64, wake: Option<Wake>) -> ConfigJob<()> {
        self.read("removing the layout", wake, move |lib| {
            lib.remove_layout(id)
        })
    }

    /// Every camera's (id, name): how a front end follows a camera renamed in its cells.
    pub fn camera_ids(&self, wake: Option<Wake>) -> ConfigJob<Vec<(i64, String)>> {
        self.read("reading the camera names", wake, |lib| {
            Ok(lib
                .cameras()?
                .into_iter()
                .map(|c| (c.id, c.name.to_string()))
                .collect())
        })
    }

    /// The layout the live view used last, if any (a saved layout since removed or renamed
    /// is answered by its current name, or not at all).
    pub fn live_layout(&self, wake: Option<Wake>) -> ConfigJob<Option<LiveLayout>> {
        self.read("reading the layout in use", wake, |lib| {
            let Some(stored) = lib.layout_in_use()? else {
                return Ok(None);
            };
            let names = Names::of(lib)?;
            let kind = stored.kind.as_deref().map(LayoutKind::parse).transpose()?;
            let saved = match stored.saved_id {
                Some(id) => lib.layout(id).ok().map(|l| (l.id, l.name)),
                None => None,
            };
            Ok(Some(LiveLayout {
                kind,
                cells: stored.cells.map(|c| names.cells(&c)),
                saved,
            }))
        })
    }

    /// Remembers the layout the live view uses now, for the next start.
    pub fn set_live_layout(&self, layout: LiveLayout, wake: Option<Wake>) -> ConfigJob<()> {
        self.read("remembering the layout", wake, move |lib| {
            let names = Names::of(lib)?;
            // A camera renamed or removed since the cells were placed leaves its cell empty
            // here rather than failing: this runs on every change, unasked.
            let cells = layout.cells.as_ref().map(|cells| {
                cells
                    .iter()
                    .map(|c| c.camera().and_then(|n| names.id(n)))
                    .collect::<Vec<_>>()
            });
            lib.set_layout_in_use(&LayoutInUse {
                kind: layout.kind.map(LayoutKind::as_text),
                cells,
                saved_id: layout.saved.map(|(id, _)| id),
            })
        })
    }
}

/// The cameras by id and by name, read once per job.
struct Names(HashMap<i64, String>);

impl Names {
    fn of(lib: &Library) -> Result<Self, LibraryError> {
        let cams = lib.cameras()?;
        Ok(Names(
            cams.into_iter()
                .map(|c| (c.id, c.name.to_string()))
                .collect(),
        ))
    }

    fn cells(&self, ids: &[Option<i64>]) -> Vec<LayoutCell> {
        ids.iter()
            .map(|id| match id {
                None => LayoutCell::Empty,
                Some(id) => self
                    .0
                    .get(id)
                    .map_or(LayoutCell::Removed, |n| LayoutCell::Camera(n.clone())),
            })
            .collect()
    }

    fn id(&self, name: &str) -> Option<i64> {
        self.0.iter().find(|(_, n)| *n == name).map(|(id, _)| *id)
    }

    fn ids(&self, names: &[Option<String>]) -> Result<Vec<Option<i64>>, LibraryError> {
        names
            .iter()
            .map(|name| match name {
                None => Ok(None),
                Some(name) => self
                    .id(name)
                    .map(Some)
                    .ok_or_else(|| LibraryError::UnknownCamera(name.clone())),
            })
            .collect()
    }

    fn layout(&self, l: SavedLayout) -> NamedLayout {
        NamedLayout {
            id: l.id,
            name: l.name,
            kind: l.kind,
            cells: self.cells(&l.cells),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::model::{CameraName, NewCamera, Policy, Transport};

    fn store(cameras: &[&str]) -> (tempfile::TempDir, ConfigStore) {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = ConfigStore::open(dir.path(), Arc::new(|| {})).expect("store");
        for name in cameras {
            let cam = NewCamera {
                name: CameraName::parse(name).expect("name"),
                url: format!("rtsp://10.0.0.9/{name}"),
                detect_url: None,
                transport: Transport::Tcp,
                enabled: true,
                audio: false,
            };
            let job = store.add_camera(cam, Policy::default(), None);
            job.wait().expect("answer").expect("add");
        }
        (dir, store)
    }

    #[test]
    fn cells_travel_by_name_and_a_renamed_camera_keeps_its_cell() {
        let (_dir, store) = store(&["gate", "yard"]);
        let cells = vec![None, Some("yard".to_string()), Some("gate".to_string())];
        let job = store.save_layout("Lobby", LayoutKind::Grid(2), cells, None);
        let saved = job.wait().expect("answer").expect("save");
        assert_eq!(saved.cells[1], LayoutCell::Camera("yard".into()));
        let yard = store
            .camera("yard", None)
            .wait()
            .expect("answer")
            .expect("yard");
        let renamed = NewCamera {
            name: CameraName::parse("back_yard").expect("name"),
            url: yard.camera.url.clone(),
            detect_url: None,
            transport: Transport::Tcp,
            enabled: true,
            audio: false,
        };
        let job = store.update_camera(yard.camera.id, renamed, None);
        job.wait().expect("answer").expect("rename");
        let all = store.layouts(None).wait().expect("answer").expect("list");
        assert_eq!(all[0].cells[1], LayoutCell::Camera("back_yard".into()));
        let bad = store.save_layout("x", LayoutKind::Grid(1), vec![Some("nope".into())], None);
        let err = bad.wait().expect("answer").expect_err("unknown camera");
        assert!(err.to_string().contains("nope"), "{err}");
    }

    #[test]
    fn the_layout_in_use_is_remembered_with_its_saved_layout() {
        let (_dir, store) = store(&["gate"]);
        let job = store.save_layout("One", LayoutKind::Grid(1), vec![], None);
        let saved = job.wait().expect("answer").expect("save");
        let none = store
            .live_layout(None)
            .wait()
            .expect("answer")
            .expect("read");
        assert_eq!(none, None);
        let live = LiveLayout {
            kind: Some(LayoutKind::OnePlusSeven),
            cells: Some(vec![LayoutCell::Empty, LayoutCell::Camera("gate".into())]),
            saved: Some((saved.id, saved.name.clone())),
        };
        let job = store.set_live_layout(live.clone(), None);
        job.wait().expect("answer").expect("store");
        let back = store
            .live_layout(None)
            .wait()
            .expect("answer")
            .expect("read");
        assert_eq!(back, Some(live.clone()));
        // A camera gone since (renamed elsewhere) leaves its cell empty, without an error.
        let gone = LiveLayout {
            cells: Some(vec![
                LayoutCell::Camera("renamed".into()),
                LayoutCell::Removed,
            ]),
            ..live
        };
        let job = store.set_live_layout(gone, None);
        job.wait().expect("answer").expect("store");
        let back = store.live_layout(None).wait().expect("answer");
        let cells = back.expect("read").and_then(|b| b.cells).expect("cells");
        assert_eq!(cells[..2], [LayoutCell::Empty, LayoutCell::Empty]);
    }
}
