//! Zone rows: the polygons an operator draws on a camera (detect or mask), with their
//! identifier and display name, sensitivity and minimum area. Polygons are validated
//! before they are stored.

use rusqlite::params;

use super::camera_names::{check_zone_name, new_zone_id};
use super::{Library, LibraryError};
use crate::detect::{Polygon, ZoneKind, ZoneSpec};
use crate::model::{DisplayName, InvalidInput};

/// The checks every stored zone passes (the polygon was validated when it was parsed);
/// answers the display name it is stored under (NFC).
fn check_zone(zone: &ZoneSpec) -> Result<DisplayName, InvalidInput> {
    let display = if zone.display_name.trim().is_empty() {
        DisplayName::parse(&zone.name)
    } else {
        DisplayName::parse(&zone.display_name)
    }
    .map_err(|e| InvalidInput(format!("zone {}", e.0)))?;
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
    Ok(display)
}

impl Library {
    /// Adds a zone to a camera. The spec's `id` is ignored; its `name` is kept as the
    /// identifier when it is a valid one, else one is derived from its display name (see
    /// `camera_names`). The stored zone is returned.
    pub fn add_zone(&mut self, camera_id: i64, zone: &ZoneSpec) -> Result<ZoneSpec, LibraryError> {
        let display = check_zone(zone)?;
        let tx = self.conn_mut().savepoint()?;
        check_zone_name(&tx, camera_id, 0, display.as_str())?;
        let ident = new_zone_id(&tx, camera_id, zone.name.trim(), display.as_str())?;
        tx.execute(
            "INSERT INTO zones (camera_id, name, kind, polygon, sensitivity, min_area,
                                display_name)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                camera_id,
                ident,
                zone.kind.as_str(),
                zone.polygon.to_json(),
                zone.sensitivity,
                f64::from(zone.min_area),
                display.as_str()
            ],
        )?;
        let id = tx.last_insert_rowid();
        tx.commit()?;
        let mut stored = zone.clone();
        stored.id = id;
        stored.name = ident;
        stored.display_name = display.to_string();
        Ok(stored)
    }

    /// Replaces the stored zone with id `zone.id` (its display name, kind, polygon,
    /// sensitivity and minimum area), with the same checks as [`Library::add_zone`]. Its
    /// identifier stays.
    pub fn update_zone(
        &mut self,
        camera_id: i64,
        zone: &ZoneSpec,
    ) -> Result<ZoneSpec, LibraryError> {
        let display = check_zone(zone)?;
        let tx = self.conn_mut().savepoint()?;
        check_zone_name(&tx, camera_id, zone.id, display.as_str())?;
        let n = tx.execute(
            "UPDATE zones SET display_name = ?3, kind = ?4, polygon = ?5, sensitivity = ?6,
                              min_area = ?7
             WHERE camera_id = ?1 AND id = ?2",
            params![
                camera_id,
                zone.id,
                display.as_str(),
                zone.kind.as_str(),
                zone.polygon.to_json(),
                zone.sensitivity,
                f64::from(zone.min_area)
            ],
        )?;
        if n == 0 {
            return Err(LibraryError::UnknownZone(display.to_string()));
        }
        let ident: String =
            tx.query_row("SELECT name FROM zones WHERE id = ?1", [zone.id], |r| {
                r.get(0)
            })?;
        tx.commit()?;
        let mut stored = zone.clone();
        stored.name = ident;
        stored.display_name = display.to_string();
        Ok(stored)
    }

    /// A camera's zones, in the order they were added.
    pub fn zones(&self, camera_id: i64) -> Result<Vec<ZoneSpec>, LibraryError> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, name, kind, polygon, sensitivity, min_area,
                    COALESCE(display_name, name)
             FROM zones WHERE camera_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([camera_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, u8>(4)?,
                r.get::<_, f64>(5)?,
                r.get::<_, String>(6)?,
            ))
        })?;
        let mut zones = Vec::new();
        for row in rows {
            let (id, name, kind, polygon, sensitivity, min_area, display_name) = row?;
            // Stored zones were validated on the way in; a damaged row is skipped, loudly.
            let (Ok(kind), Ok(polygon)) = (ZoneKind::parse(&kind), Polygon::from_json(&polygon))
            else {
                tracing::warn!(zone = %name, "skipping a zone whose stored polygon is invalid");
                continue;
            };
            zones.push(ZoneSpec {
                id,
                name,
                display_name,
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
