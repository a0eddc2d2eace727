//! Removing a camera without touching another's footage: only the files its rows index (and
//! the files its open-segment journal names) are deleted, through the trash journal; then
//! the folders they were in are removed if that left them empty. Never a whole folder by
//! name: folders were once named after cameras, and a renamed camera keeps its old one.
//! Also the list of cameras a running recorder has applied, so a command in another process
//! can wait until the recorder has stopped a camera before removing it.

use std::path::{Component, Path, PathBuf};

use rusqlite::params;

use super::layout::{camera_folder, parse_rel_path, RECORDINGS};
use super::{Library, LibraryError};
use crate::model::time::now_us;

impl Library {
    /// Removes a camera. With recordings on disk this needs `delete_recordings`: footage is
    /// never thrown away as a side effect. Call it once the camera is not recording (it is
    /// disabled and the recorder has applied that, or no recorder runs).
    pub fn remove_camera(
        &mut self,
        name: &str,
        delete_recordings: bool,
    ) -> Result<(), LibraryError> {
        let cam = self.camera_by_name(name)?;
        let (count, bytes) = self.camera_usage(cam.id)?;
        if count > 0 && !delete_recordings {
            return Err(LibraryError::CameraHasRecordings {
                name: name.to_string(),
                count,
                bytes,
            });
        }
        let mut paths =
            self.camera_paths("SELECT path FROM segments WHERE camera_id = ?1", cam.id)?;
        // Files being written when a recorder died: this camera's too.
        let open_sql = "SELECT path FROM open_segments WHERE camera_id = ?1";
        let open = self.camera_paths(open_sql, cam.id)?;
        let tx = self.conn_mut().transaction()?;
        {
            let mut trash = tx.prepare_cached("INSERT OR IGNORE INTO trash (path) VALUES (?1)")?;
            for rel in paths
                .iter()
                .chain(delete_recordings.then_some(&open).into_iter().flatten())
            {
                trash.execute([rel])?;
            }
        }
        let why = super::deletions::Why::now(super::DeletionReason::CameraRemoved);
        super::deletions::log_deletions(&tx, "s.camera_id = ?1", cam.id, why)?;
        tx.execute("DELETE FROM segments WHERE camera_id = ?1", [cam.id])?;
        tx.execute("DELETE FROM open_segments WHERE camera_id = ?1", [cam.id])?;
        tx.execute("DELETE FROM running_cameras WHERE camera_id = ?1", [cam.id])?;
        tx.execute("DELETE FROM cameras WHERE id = ?1", [cam.id])?;
        tx.commit()?;
        let removed = self.empty_trash()?;
        if delete_recordings {
            paths.extend(open);
        }
        paths.push(format!("{RECORDINGS}/{}/", camera_folder(cam.id)));
        let pruned = prune_empty_folders(self.root(), &paths);
        tracing::info!(camera = %name, files = removed, folders = pruned, "camera removed");
        Ok(())
    }

    fn camera_paths(&self, sql: &str, camera_id: i64) -> Result<Vec<String>, LibraryError> {
        let mut stmt = self.conn().prepare(sql)?;
        let rows = stmt.query_map([camera_id], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Notes the cameras the recorder in this process runs now (the engine calls it after
    /// applying the configuration). Writes only when the list changed.
    pub fn set_running_cameras(&mut self, ids: &[i64]) -> Result<(), LibraryError> {
        let mut now: Vec<i64> = self.running_camera_ids()?;
        let mut wanted = ids.to_vec();
        now.sort_unstable();
        wanted.sort_unstable();
        if now == wanted {
            return Ok(());
        }
        let tx = self.conn_mut().transaction()?;
        tx.execute("DELETE FROM running_cameras", [])?;
        {
            let mut add = tx.prepare_cached(
                "INSERT OR IGNORE INTO running_cameras (camera_id, since_us) VALUES (?1, ?2)",
            )?;
            for id in &wanted {
                add.execute(params![id, now_us()])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Whether the recorder said it runs this camera. Meaningful only while a recorder holds
    /// the data directory's lock (see `lock`): a recorder that died leaves its list behind.
    pub fn camera_is_running(&self, camera_id: i64) -> Result<bool, LibraryError> {
        Ok(self.conn().query_row(
            "SELECT EXISTS(SELECT 1 FROM running_cameras WHERE camera_id = ?1)",
            [camera_id],
            |r| r.get(0),
        )?)
    }

    fn running_camera_ids(&self) -> Result<Vec<i64>, LibraryError> {
        let mut stmt = self
            .conn()
            .prepare("SELECT camera_id FROM running_cameras")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

/// Removes the date and camera folders of the given recording paths (a path ending in `/`
/// names a camera folder) where they are empty now; never `recordings/` itself and never a
/// folder with anything left in it. Returns how many were removed.
fn prune_empty_folders(root: &Path, rel_paths: &[String]) -> usize {
    let mut folders: Vec<PathBuf> = Vec::new();
    for rel in rel_paths {
        if let Some(folder) = rel.strip_suffix('/') {
            folders.push(root.join(folder));
        } else if let Some(parsed) = parse_rel_path(rel) {
            let camera = root.join(RECORDINGS).join(&parsed.camera);
            if let Some(day) = root.join(rel).parent() {
                folders.push(day.to_path_buf());
            }
            folders.push(camera);
        }
    }
    // Deepest first, so a day folder goes before its camera folder.
    folders.sort_by(|a, b| (b.components().count(), b).cmp(&(a.components().count(), a)));
    folders.dedup();
    let recordings = root.join(RECORDINGS);
    let inside = |f: &Path| {
        f.starts_with(&recordings)
            && f != recordings
            && !f.components().any(|c| matches!(c, Component::ParentDir))
    };
    folders
        .iter()
        .filter(|f| inside(f))
        // remove_dir fails on a folder with anything in it: that is the point.
        .filter(|f| std::fs::remove_dir(f).is_ok())
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::layout::segment_rel_path;
    use crate::library::FinishedSegment;
    use crate::model::{CameraName, NewCamera, Policy, SegmentKind, Transport};

    const T0: i64 = 1_764_072_000_000_000;

    fn add(lib: &mut Library, name: &str) -> i64 {
        let cam = NewCamera {
            name: CameraName::parse(name).unwrap(),
            url: "demo://".into(),
            detect_url: None,
            transport: Transport::Tcp,
            enabled: true,
            audio: false,
        };
        lib.add_camera(&cam, &Policy::default()).unwrap().id
    }

    /// A file in `folder` and its row (the content does not matter to removal).
    fn record(lib: &mut Library, folder: &str, camera_id: i64, start_us: i64) -> PathBuf {
        let rel = segment_rel_path(folder, SegmentKind::Continuous, start_us);
        let abs = lib.absolute(&rel);
        std::fs::create_dir_all(abs.parent().unwrap()).unwrap();
        std::fs::write(&abs, b"mp4").unwrap();
        lib.finish_segment(&FinishedSegment {
            camera_id,
            kind: SegmentKind::Continuous,
            start_us,
            end_us: start_us + 1_000_000,
            rel_path: rel,
            bytes: 3,
            codec: "h264".into(),
            width: 2,
            height: 2,
            frames: 1,
            event_id: None,
            audio_codec: None,
        })
        .unwrap();
        abs
    }

    #[test]
    fn removing_a_namesake_leaves_the_renamed_cameras_folder_alone() {
        let dir = tempfile::tempdir().unwrap();
        let mut lib = Library::open(dir.path()).unwrap();
        let old = add(&mut lib, "front");
        // Recorded by an older Vigil into a folder named after the camera, then renamed.
        let legacy = record(&mut lib, "front", old, T0);
        let mut edit = NewCamera {
            name: CameraName::parse("front-old").unwrap(),
            url: "demo://".into(),
            detect_url: None,
            transport: Transport::Tcp,
            enabled: true,
            audio: false,
        };
        lib.update_camera(old, &edit).unwrap();
        let newer = record(&mut lib, &camera_folder(old), old, T0 + 10_000_000);
        let new = add(&mut lib, "front");
        lib.remove_camera("front", false).unwrap();
        assert!(
            legacy.exists() && newer.exists(),
            "front-old keeps its files"
        );

        // With recordings: exactly its own files go, and its emptied folders.
        let again = add(&mut lib, "front");
        assert!(again > new, "a camera id is never given out twice");
        let own = record(&mut lib, &camera_folder(again), again, T0);
        lib.remove_camera("front", true).unwrap();
        assert!(!own.exists());
        assert!(!own.parent().unwrap().exists(), "empty day folder pruned");
        assert!(!dir
            .path()
            .join("recordings")
            .join(camera_folder(again))
            .exists());
        assert!(
            legacy.exists() && newer.exists(),
            "front-old still keeps its files"
        );
        assert_eq!(lib.camera_usage(old).unwrap().0, 2);

        // A folder with something left in it stays.
        let stray = legacy.with_file_name("notes.txt");
        std::fs::write(&stray, b"x").unwrap();
        edit.name = CameraName::parse("front").unwrap();
        lib.update_camera(old, &edit).unwrap();
        lib.remove_camera("front", true).unwrap();
        assert!(!legacy.exists() && !newer.exists());
        assert!(stray.exists(), "a file Vigil did not index is not deleted");
        assert!(dir.path().join("recordings").exists());
    }

    #[test]
    fn running_cameras_are_written_only_when_they_change() {
        let dir = tempfile::tempdir().unwrap();
        let mut lib = Library::open(dir.path()).unwrap();
        let id = add(&mut lib, "yard");
        assert!(!lib.camera_is_running(id).unwrap());
        lib.set_running_cameras(&[id]).unwrap();
        let changes = lib.conn().total_changes();
        lib.set_running_cameras(&[id]).unwrap();
        assert_eq!(
            lib.conn().total_changes(),
            changes,
            "no write when unchanged"
        );
        assert!(lib.camera_is_running(id).unwrap());
        lib.set_running_cameras(&[]).unwrap();
        assert!(!lib.camera_is_running(id).unwrap());
    }
}
