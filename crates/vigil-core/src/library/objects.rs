//! Object detection settings rows: a camera's objects to record on (`camera_objects`, JSON
//! `ObjectSettings`) and a zone's own object list when it differs (`zone_objects`).

use rusqlite::{params, OptionalExtension};

use super::{Library, LibraryError};
use crate::model::objects::{parse_objects, ObjectSettings};
use crate::model::InvalidInput;

/// Migration step 9: the `events.object_box` column, unless a re-run finds it already there.
pub(super) fn add_event_object_box(conn: &rusqlite::Connection) -> Result<(), LibraryError> {
    let has: bool = conn.query_row(
        "SELECT EXISTS(SELECT 1 FROM pragma_table_info('events') WHERE name = 'object_box')",
        [],
        |r| r.get(0),
    )?;
    if !has {
        conn.execute_batch("ALTER TABLE events ADD COLUMN object_box TEXT")?;
    }
    Ok(())
}

impl Library {
    /// The camera's object detection, if it has any.
    pub fn camera_objects(&self, camera_id: i64) -> Result<Option<ObjectSettings>, LibraryError> {
        let raw: Option<String> = self
            .conn()
            .query_row(
                "SELECT settings FROM camera_objects WHERE camera_id = ?1",
                [camera_id],
                |r| r.get(0),
            )
            .optional()?;
        let Some(raw) = raw else {
            return Ok(None);
        };
        let settings: ObjectSettings = serde_json::from_str(&raw).map_err(|e| {
            InvalidInput(format!(
                "stored object settings of camera {camera_id} are unreadable: {e}"
            ))
        })?;
        Ok(Some(settings))
    }

    /// Sets (after checking) or clears (`None`) the camera's object detection.
    pub fn set_camera_objects(
        &mut self,
        camera_id: i64,
        settings: Option<&ObjectSettings>,
    ) -> Result<(), LibraryError> {
        match settings {
            Some(s) => {
                s.check()?;
                let json = serde_json::to_string(s)
                    .map_err(|e| InvalidInput(format!("object settings: {e}")))?;
                self.conn().execute(
                    "INSERT INTO camera_objects (camera_id, settings) VALUES (?1, ?2)
                     ON CONFLICT(camera_id) DO UPDATE SET settings = excluded.settings",
                    params![camera_id, json],
                )?;
            }
            None => {
                self.conn().execute(
                    "DELETE FROM camera_objects WHERE camera_id = ?1",
                    [camera_id],
                )?;
            }
        }
        Ok(())
    }

    /// The camera's zones that have their own object list: (zone id, labels).
    pub fn zone_objects(&self, camera_id: i64) -> Result<Vec<(i64, Vec<String>)>, LibraryError> {
        let mut stmt = self.conn().prepare(
            "SELECT o.zone_id, o.objects FROM zone_objects o JOIN zones z ON z.id = o.zone_id
             WHERE z.camera_id = ?1 ORDER BY o.zone_id",
        )?;
        let rows = stmt.query_map([camera_id], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, raw) = row?;
            let labels: Vec<String> = serde_json::from_str(&raw).map_err(|e| {
                InvalidInput(format!(
                    "stored object list of zone {id} is unreadable: {e}"
                ))
            })?;
            out.push((id, labels));
        }
        Ok(out)
    }

    /// Gives a zone its own object list (e.g. `person, car`), or makes it follow its
    /// camera's again (`None`).
    pub fn set_zone_objects(
        &mut self,
        zone_id: i64,
        objects: Option<&str>,
    ) -> Result<(), LibraryError> {
        match objects {
            Some(raw) => {
                let labels = parse_objects(raw)?;
                let json = serde_json::to_string(&labels)
                    .map_err(|e| InvalidInput(format!("object list: {e}")))?;
                self.conn().execute(
                    "INSERT INTO zone_objects (zone_id, objects) VALUES (?1, ?2)
                     ON CONFLICT(zone_id) DO UPDATE SET objects = excluded.objects",
                    params![zone_id, json],
                )?;
            }
            None => {
                self.conn()
                    .execute("DELETE FROM zone_objects WHERE zone_id = ?1", [zone_id])?;
            }
        }
        Ok(())
    }
}
