//! Zone rows: the polygons an operator draws on a camera (detect or mask), with their
//! sensitivity and minimum area. Polygons are validated before they are stored.

use rusqlite::params;

use super::{Library, LibraryError};
use crate::detect::{Polygon, ZoneKind, ZoneSpec};
use crate::model::InvalidInput;

/// The checks every stored zone passes (the polygon was validated when it was parsed).
fn check_zone(zone: &ZoneSpec) -> Result<(), InvalidInput> {
    check_name(&zone.name)?;
    if zone.sensitivity > 100 {
        return Err(InvalidInput(format!(
            "sensitivity {} is out of range; use 0 to 100",
            zone.sensitivity
        )));
    }
    if !zone.min_area.is_finite() || !(0.0..=1.0).contains(&zone.min_area) {
        return Err(InvalidInput(
            "minimum area must be between 0% and 100% of the zone".into(),
        ));
    }
    Ok(())
}

fn check_name(name: &str) -> Result<(), InvalidInput> {
    let n = name.trim();
    if n.is_empty() || n.len() > 64 || n.chars().any(char::is_control) {
        return Err(InvalidInput(format!(
            "zone name '{n}' must be 1 to 64 printable characters"
        )));
    }
    Ok(())
}

impl Library {
    /// Adds a zone to a camera. The spec's `id` is ignored; the stored zone is returned.
    pub fn add_zone(&mut self, camera_id: i64, zone: &ZoneSpec) -> Result<ZoneSpec, LibraryError> {
        check_zone(zone)?;
        let exists: bool = self.conn().query_row(
            "SELECT EXISTS(SELECT 1 FROM zones WHERE camera_id = ?1 AND name = ?2)",
            params![camera_id, zone.name.trim()],
            |r| r.get(0),
        )?;
        if exists {
            return Err(LibraryError::DuplicateZone(zone.name.trim().to_string()));
        }
        self.conn().execute(
            "INSERT INTO zones (camera_id, name, kind, polygon, sensitivity, min_area)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                camera_id,
                zone.name.trim(),
                zone.kind.as_str(),
                zone.polygon.to_json(),
                zone.sensitivity,
                f64::from(zone.min_area)
            ],
        )?;
        let mut stored = zone.clone();
        stored.id = self.conn().last_insert_rowid();
        stored.name = zone.name.trim().to_string();
        Ok(stored)
    }

    /// Replaces the stored zone with id `zone.id` (its name, kind, polygon, sensitivity and
    /// minimum area), with the same checks as [`Library::add_zone`].
    pub fn update_zone(
        &mut self,
        camera_id: i64,
        zone: &ZoneSpec,
    ) -> Result<ZoneSpec, LibraryError> {
        check_zone(zone)?;
        let taken: bool = self.conn().query_row(
            "SELECT EXISTS(SELECT 1 FROM zones WHERE camera_id = ?1 AND name = ?2 AND id <> ?3)",
            params![camera_id, zone.name.trim(), zone.id],
            |r| r.get(0),
        )?;
        if taken {
            return Err(LibraryError::DuplicateZone(zone.name.trim().to_string()));
        }
        let n = self.conn().execute(
            "UPDATE zones SET name = ?3, kind = ?4, polygon = ?5, sensitivity = ?6, min_area = ?7
             WHERE camera_id = ?1 AND id = ?2",
            params![
                camera_id,
                zone.id,
                zone.name.trim(),
                zone.kind.as_str(),
                zone.polygon.to_json(),
                zone.sensitivity,
                f64::from(zone.min_area)
            ],
        )?;
        if n == 0 {
            return Err(LibraryError::UnknownZone(zone.name.trim().to_string()));
        }
        let mut stored = zone.clone();
        stored.name = zone.name.trim().to_string();
        Ok(stored)
    }

    /// A camera's zones, in the order they were added.
    pub fn zones(&self, camera_id: i64) -> Result<Vec<ZoneSpec>, LibraryError> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, name, kind, polygon, sensitivity, min_area FROM zones
             WHERE camera_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([camera_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, u8>(4)?,
                r.get::<_, f64>(5)?,
            ))
        })?;
        let mut zones = Vec::new();
        for row in rows {
            let (id, name, kind, polygon, sensitivity, min_area) = row?;
            // Stored zones were validated on the way in; a damaged row is skipped, loudly.
            let (Ok(kind), Ok(polygon)) = (ZoneKind::parse(&kind), Polygon::from_json(&polygon))
            else {
                tracing::warn!(zone = %name, "skipping a zone whose stored polygon is invalid");
                continue;
            };
            zones.push(ZoneSpec {
                id,
                name,
                kind,
                polygon,
                sensitivity,
                min_area: min_area as f32,
            });
        }
        Ok(zones)
    }

    pub fn remove_zone(&mut self, camera_id: i64, name: &str) -> Result<(), LibraryError> {
        let n = self.conn().execute(
            "DELETE FROM zones WHERE camera_id = ?1 AND name = ?2",
            params![camera_id, name],
        )?;
        if n == 0 {
            return Err(LibraryError::UnknownZone(name.to_string()));
        }
        Ok(())
    }
}
