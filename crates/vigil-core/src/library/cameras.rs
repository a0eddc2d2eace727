//! Camera and policy rows: add, list, look up, change, enable (removal: `camera_removal`).

use rusqlite::{params, OptionalExtension, Row};

use super::secrets::{join_userinfo, StoredUrls};
use super::{Library, LibraryError};
use crate::model::camera::validate_url;
use crate::model::time::now_us;
use crate::model::{Camera, CameraName, DisplayName, NewCamera, Policy, RecordMode, Transport};

/// Name of the built-in demo camera [`Library::ensure_a_camera`] adds.
pub const DEMO_CAMERA: &str = "demo";

/// What to tell a user when the demo camera was added.
pub const DEMO_NOTICE: &str = "no cameras configured: added the built-in demo camera 'demo' \
    (kept 1 day, at most 1 GB). Add yours with: vigil camera add --name NAME --url rtsp://…; \
    remove the demo with: vigil camera remove --name demo --delete-recordings";

/// A camera row with its credentials put back into its URLs (see `secrets`).
const CAMERA_SELECT: &str = "SELECT c.id, c.name, c.url, c.detect_url, c.transport, c.enabled,
        c.created_us, s.url_userinfo, s.detect_userinfo, c.display_name, c.audio
    FROM cameras c LEFT JOIN camera_secrets s ON s.camera_id = c.id";

fn camera_from_row(row: &Row<'_>) -> rusqlite::Result<Camera> {
    let name: String = row.get(1)?;
    let transport: String = row.get(4)?;
    let url: String = row.get(2)?;
    let detect_url: Option<String> = row.get(3)?;
    let url_userinfo: Option<String> = row.get(7)?;
    let detect_userinfo: Option<String> = row.get(8)?;
    // Names were validated on the way in; a row from before schema 10 is named by its id.
    let display: Option<String> = row.get(9)?;
    Ok(Camera {
        id: row.get(0)?,
        display_name: DisplayName::trusted(display.unwrap_or_else(|| name.clone())),
        name: CameraName::trusted(name),
        url: join_userinfo(&url, url_userinfo.as_deref()),
        detect_url: detect_url.map(|d| join_userinfo(&d, detect_userinfo.as_deref())),
        transport: Transport::parse(&transport).unwrap_or_default(),
        enabled: row.get(5)?,
        created_us: row.get(6)?,
        audio: row.get(10)?,
    })
}

impl Library {
    /// Adds a camera with its policy, its display name its identifier. Fails with a clear
    /// message on a duplicate name or a bad URL or policy; nothing is written then.
    pub fn add_camera(&mut self, cam: &NewCamera, policy: &Policy) -> Result<Camera, LibraryError> {
        let display = DisplayName::trusted(cam.name.to_string());
        self.add_camera_named(cam, &display, policy)
    }

    /// Adds a camera with its policy and the name people see (see `camera_names`). Fails
    /// with a clear message on a duplicate identifier or display name, or a bad URL or
    /// policy; nothing is written then.
    pub fn add_camera_named(
        &mut self,
        cam: &NewCamera,
        display: &DisplayName,
        policy: &Policy,
    ) -> Result<Camera, LibraryError> {
        validate_url(&cam.url)?;
        if let Some(d) = &cam.detect_url {
            validate_url(d)?;
        }
        policy.validate()?;
        let tx = self.conn_mut().savepoint()?;
        let exists: bool = tx.query_row(
            "SELECT EXISTS(SELECT 1 FROM cameras WHERE name = ?1)",
            [cam.name.as_str()],
            |r| r.get(0),
        )?;
        if exists {
            return Err(LibraryError::DuplicateCamera(cam.name.to_string()));
        }
        super::camera_names::check_camera_names(&tx, None, cam.name.as_str(), display)?;
        let created_us = now_us();
        let stored = StoredUrls::split(&cam.url, cam.detect_url.as_deref());
        let id = next_camera_id(&tx)?;
        tx.execute(
            "INSERT INTO cameras (id, name, url, detect_url, transport, enabled, created_us,
                                  display_name, audio)
             VALUES (?7, ?1, ?2, ?3, ?4, ?5, ?6, ?8, ?9)",
            params![
                cam.name.as_str(),
                stored.url,
                stored.detect_url,
                cam.transport.as_str(),
                cam.enabled,
                created_us,
                id,
                display.as_str(),
                cam.audio
            ],
        )?;
        stored.write_secrets(&tx, id)?;
        write_policy(&tx, id, policy)?;
        tx.commit()?;
        Ok(Camera {
            id,
            name: cam.name.clone(),
            display_name: display.clone(),
            url: cam.url.trim().to_string(),
            detect_url: cam.detect_url.clone(),
            transport: cam.transport,
            enabled: cam.enabled,
            created_us,
            audio: cam.audio,
        })
    }

    /// With no camera configured, adds the built-in demo camera (kept 1 day, at most 1 GB) so
    /// there is something to see; returns it when it was added. See [`DEMO_NOTICE`].
    pub fn ensure_a_camera(&mut self) -> Result<Option<Camera>, LibraryError> {
        if !self.cameras()?.is_empty() {
            return Ok(None);
        }
        let policy = Policy {
            mode: RecordMode::Continuous,
            retain_days: 1.0,
            max_bytes: Some(1_000_000_000),
            ..Policy::default()
        };
        let demo = NewCamera {
            name: CameraName::trusted(DEMO_CAMERA.to_string()),
            url: "demo://".into(),
            detect_url: None,
            transport: Transport::Tcp,
            enabled: true,
            audio: false,
        };
        self.add_camera(&demo, &policy).map(Some)
    }

    /// All cameras, by name.
    pub fn cameras(&self) -> Result<Vec<Camera>, LibraryError> {
        let mut stmt = self
            .conn()
            .prepare(&format!("{CAMERA_SELECT} ORDER BY c.name"))?;
        let rows = stmt.query_map([], camera_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn camera_by_name(&self, name: &str) -> Result<Camera, LibraryError> {
        self.conn()
            .query_row(
                &format!("{CAMERA_SELECT} WHERE c.name = ?1"),
                [name],
                camera_from_row,
            )
            .optional()?
            .ok_or_else(|| LibraryError::UnknownCamera(name.to_string()))
    }

    pub fn policy(&self, camera_id: i64) -> Result<Policy, LibraryError> {
        let p = self
            .conn()
            .query_row(
                "SELECT mode, segment_s, retain_days, max_bytes, pre_event_s, post_event_s,
                        max_clip_s, event_retain_days
                 FROM policies WHERE camera_id = ?1",
                [camera_id],
                |r| {
                    let mode: String = r.get(0)?;
                    let max_bytes: Option<i64> = r.get(3)?;
                    Ok(Policy {
                        mode: RecordMode::parse(&mode).unwrap_or(RecordMode::Continuous),
                        segment_s: r.get(1)?,
                        retain_days: r.get(2)?,
                        max_bytes: max_bytes.and_then(|b| u64::try_from(b).ok()),
                        pre_event_s: r.get(4)?,
                        post_event_s: r.get(5)?,
                        max_clip_s: r.get(6)?,
                        event_retain_days: r.get(7)?,
                    })
                },
            )
            .optional()?;
        Ok(p.unwrap_or_default())
    }

    pub fn set_policy(&mut self, camera_id: i64, policy: &Policy) -> Result<(), LibraryError> {
        policy.validate()?;
        write_policy(self.conn(), camera_id, policy)?;
        Ok(())
    }

    /// Changes a camera's name, URLs, transport, enabled flag and sound setting. Fails, writing nothing, on a
    /// bad URL or a name another camera has. Recordings keep their paths (they are stored),
    /// and new ones go on into the camera's `cam-<id>` folder: a rename moves nothing.
    pub fn update_camera(&mut self, id: i64, cam: &NewCamera) -> Result<Camera, LibraryError> {
        validate_url(&cam.url)?;
        if let Some(d) = &cam.detect_url {
            validate_url(d)?;
        }
        let tx = self.conn_mut().savepoint()?;
        let taken: bool = tx.query_row(
            "SELECT EXISTS(SELECT 1 FROM cameras WHERE name = ?1 AND id <> ?2)",
            params![cam.name.as_str(), id],
            |r| r.get(0),
        )?;
        if taken {
            return Err(LibraryError::DuplicateCamera(cam.name.to_string()));
        }
        super::camera_names::check_new_id(&tx, id, cam.name.as_str())?;
        // A camera still named by its identifier keeps being named by it.
        tx.execute(
            "UPDATE cameras SET display_name = ?2 WHERE id = ?1 AND display_name = name",
            params![id, cam.name.as_str()],
        )?;
        let stored = StoredUrls::split(&cam.url, cam.detect_url.as_deref());
        let n = tx.execute(
            "UPDATE cameras SET name = ?2, url = ?3, detect_url = ?4, transport = ?5, enabled = ?6,
                                audio = ?7
             WHERE id = ?1",
            params![
                id,
                cam.name.as_str(),
                stored.url,
                stored.detect_url,
                cam.transport.as_str(),
                cam.enabled,
                cam.audio
            ],
        )?;
        if n == 0 {
            return Err(LibraryError::UnknownCamera(cam.name.to_string()));
        }
        stored.write_secrets(&tx, id)?;
        tx.commit()?;
        self.camera_by_name(cam.name.as_str())
    }

    pub fn set_camera_enabled(&mut self, name: &str, enabled: bool) -> Result<(), LibraryError> {
        let n = self.conn().execute(
            "UPDATE cameras SET enabled = ?2 WHERE name = ?1",
            params![name, enabled],
        )?;
        if n == 0 {
            return Err(LibraryError::UnknownCamera(name.to_string()));
        }
        Ok(())
    }

    /// Turns a camera's sound on or off (a running engine restarts that camera alone).
    pub fn set_camera_audio(&mut self, camera_id: i64, on: bool) -> Result<(), LibraryError> {
        let n = self.conn().execute(
            "UPDATE cameras SET audio = ?2 WHERE id = ?1",
            params![camera_id, on],
        )?;
        if n == 0 {
            return Err(LibraryError::UnknownCamera(camera_id.to_string()));
        }
        Ok(())
    }

    /// Number of recordings and bytes on disk for a camera.
    pub fn camera_usage(&self, camera_id: i64) -> Result<(u64, u64), LibraryError> {
        let (count, bytes): (i64, i64) = self.conn().query_row(
            "SELECT COUNT(*), COALESCE(SUM(bytes), 0) FROM segments WHERE camera_id = ?1",
            [camera_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok((count.max(0) as u64, bytes.max(0) as u64))
    }
}

/// A camera id never given out before, even to a camera since removed: ids name recording
/// folders (`cam-<id>`), so a new camera must never inherit a removed one's. SQLite alone
/// would reuse the highest id once its row is gone.
fn next_camera_id(conn: &rusqlite::Connection) -> rusqlite::Result<i64> {
    let id: i64 = conn.query_row(
        "SELECT MAX(COALESCE((SELECT MAX(id) FROM cameras), 0),
                    COALESCE((SELECT CAST(value AS INTEGER) FROM settings
                              WHERE key = 'last_camera_id'), 0)) + 1",
        [],
        |r| r.get(0),
    )?;
    conn.execute(
        "INSERT INTO settings (key, value) VALUES ('last_camera_id', ?1)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [id.to_string()],
    )?;
    Ok(id)
}

fn write_policy(conn: &rusqlite::Connection, camera_id: i64, p: &Policy) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO policies (camera_id, mode, segment_s, retain_days, max_bytes, pre_event_s,
                               post_event_s, max_clip_s, event_retain_days)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT(camera_id) DO UPDATE SET mode = excluded.mode,
            segment_s = excluded.segment_s, retain_days = excluded.retain_days,
            max_bytes = excluded.max_bytes, pre_event_s = excluded.pre_event_s,
            post_event_s = excluded.post_event_s, max_clip_s = excluded.max_clip_s,
            event_retain_days = excluded.event_retain_days",
        params![
            camera_id,
            p.mode.as_str(),
            p.segment_s,
            p.retain_days,
            p.max_bytes.map(|b| i64::try_from(b).unwrap_or(i64::MAX)),
            p.pre_event_s,
            p.post_event_s,
            p.max_clip_s,
            p.event_retain_days
        ],
    )?;
    Ok(())
}
