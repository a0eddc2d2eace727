//! Display names beside identifiers (schema 10): the `display_name` columns of cameras and
//! zones, their uniqueness after NFC (Latin case ignored), the identifiers derived for new
//! ones, and the resolver that turns what a person typed (a display name or an identifier,
//! composed or not) into the camera or zone it means.

use rusqlite::{params, Connection};

use super::{Library, LibraryError};
use crate::detect::ZoneSpec;
use crate::model::names::{derive_id, fold, normalize};
use crate::model::{Camera, CameraName, DisplayName, IdKind};

/// Migration step 10: the `display_name` columns (unless a re-run finds them), filled with
/// the identifiers of the rows already there. Moves no file.
pub(super) fn add_display_names(conn: &Connection) -> Result<(), LibraryError> {
    for table in ["cameras", "zones"] {
        let has: bool = conn.query_row(
            &format!(
                "SELECT EXISTS(SELECT 1 FROM pragma_table_info('{table}')
                               WHERE name = 'display_name')"
            ),
            [],
            |r| r.get(0),
        )?;
        if !has {
            conn.execute_batch(&format!("ALTER TABLE {table} ADD COLUMN display_name TEXT"))?;
        }
        conn.execute(
            &format!("UPDATE {table} SET display_name = name WHERE display_name IS NULL"),
            [],
        )?;
    }
    Ok(())
}

/// (row id, identifier, display name) of every camera.
fn camera_names(conn: &Connection) -> Result<Vec<(i64, String, String)>, LibraryError> {
    let mut stmt =
        conn.prepare_cached("SELECT id, name, COALESCE(display_name, name) FROM cameras")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Refuses a display name (or identifier) another camera already answers to, so that
/// whatever a person types names one camera. `except` is the camera being changed.
pub(super) fn check_camera_names(
    conn: &Connection,
    except: Option<i64>,
    id: &str,
    display: &DisplayName,
) -> Result<(), LibraryError> {
    let (id_key, display_key) = (fold(id), fold(display.as_str()));
    for (row, other_id, other_display) in camera_names(conn)? {
        if Some(row) == except {
            continue;
        }
        let (oid, odisplay) = (fold(&other_id), fold(&other_display));
        if display_key == odisplay || display_key == oid || id_key == odisplay {
            return Err(LibraryError::DuplicateCamera(display.to_string()));
        }
    }
    Ok(())
}

/// Refuses a new identifier for camera `row` that another camera's display name is.
pub(super) fn check_new_id(conn: &Connection, row: i64, id: &str) -> Result<(), LibraryError> {
    let key = fold(id);
    let clash = camera_names(conn)?
        .into_iter()
        .any(|(r, _, display)| r != row && fold(&display) == key);
    if clash {
        return Err(LibraryError::DuplicateCamera(id.to_string()));
    }
    Ok(())
}

impl Library {
    /// The camera a person means by `typed`: its identifier, or its display name after NFC
    /// (Latin case ignored). A sentence when none or more than one answers.
    pub fn resolve_camera(&self, typed: &str) -> Result<Camera, LibraryError> {
        let name = normalize(typed);
        if let Ok(cam) = self.camera_by_name(&name) {
            return Ok(cam);
        }
        let key = fold(&name);
        let mut found: Vec<Camera> = self
            .cameras()?
            .into_iter()
            .filter(|c| fold(c.display_name.as_str()) == key || fold(c.name.as_str()) == key)
            .collect();
        match found.len() {
            0 => Err(LibraryError::UnknownCamera(name)),
            1 => Ok(found.remove(0)),
            _ => Err(LibraryError::AmbiguousCamera {
                typed: name,
                ids: found.iter().map(|c| c.name.to_string()).collect(),
            }),
        }
    }

    /// The identifier a new camera named `display` gets (see [`derive_id`]): free among
    /// the identifiers and display names already there.
    pub fn new_camera_id(&self, display: &str) -> Result<CameraName, LibraryError> {
        let taken: Vec<String> = camera_names(self.conn())?
            .into_iter()
            .flat_map(|(_, id, display)| [fold(&id), fold(&display)])
            .collect();
        Ok(derive_id(display, IdKind::Camera, |c| {
            taken.contains(&fold(c))
        }))
    }

    /// Gives a camera a new display name; its identifier (and so its folder, URLs and
    /// topics) stays.
    pub fn set_camera_display_name(
        &mut self,
        camera_id: i64,
        display: &DisplayName,
    ) -> Result<Camera, LibraryError> {
        let tx = self.conn_mut().savepoint()?;
        let id: String = tx
            .query_row("SELECT name FROM cameras WHERE id = ?1", [camera_id], |r| {
                r.get(0)
            })
            .map_err(|_| LibraryError::UnknownCamera(display.to_string()))?;
        check_camera_names(&tx, Some(camera_id), &id, display)?;
        tx.execute(
            "UPDATE cameras SET display_name = ?2 WHERE id = ?1",
            params![camera_id, display.as_str()],
        )?;
        tx.commit()?;
        self.camera_by_name(&id)
    }

    /// The zone of a camera a person means by `typed`: its identifier or its display name
    /// after NFC (Latin case ignored).
    pub fn resolve_zone(&self, camera_id: i64, typed: &str) -> Result<ZoneSpec, LibraryError> {
        let name = normalize(typed);
        let zones = self.zones(camera_id)?;
        if let Some(z) = zones.iter().find(|z| z.name == name) {
            return Ok(z.clone());
        }
        let key = fold(&name);
        let mut found: Vec<ZoneSpec> = zones
            .into_iter()
            .filter(|z| fold(&z.display_name) == key || fold(&z.name) == key)
            .collect();
        match found.len() {
            0 => Err(LibraryError::UnknownZone(name)),
            1 => Ok(found.remove(0)),
            _ => Err(LibraryError::AmbiguousZone {
                typed: name,
                ids: found.iter().map(|z| z.name.clone()).collect(),
            }),
        }
    }
}

/// The identifier a new zone of camera `camera_id` gets: the one asked for when it is a
/// valid identifier, else derived from its display name.
pub(super) fn new_zone_id(
    conn: &Connection,
    camera_id: i64,
    asked: &str,
    display: &str,
) -> Result<String, LibraryError> {
    let mut stmt = conn.prepare_cached(
        "SELECT name, COALESCE(display_name, name) FROM zones WHERE camera_id = ?1",
    )?;
    let rows = stmt.query_map([camera_id], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut taken = Vec::new();
    for row in rows {
        let (id, display) = row?;
        taken.push(fold(&id));
        taken.push(fold(&display));
    }
    let wanted = match CameraName::parse(asked) {
        Ok(id) => id.to_string(),
        Err(_) => display.to_string(),
    };
    Ok(derive_id(&wanted, IdKind::Zone, |c| taken.contains(&fold(c))).to_string())
}

/// Refuses a zone display name another zone of the camera answers to.
pub(super) fn check_zone_name(
    conn: &Connection,
    camera_id: i64,
    except: i64,
    display: &str,
) -> Result<(), LibraryError> {
    let key = fold(display);
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, COALESCE(display_name, name) FROM zones WHERE camera_id = ?1",
    )?;
    let rows = stmt.query_map([camera_id], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    for row in rows {
        let (row, id, other) = row?;
        if row != except && (fold(&other) == key || fold(&id) == key) {
            return Err(LibraryError::DuplicateZone(display.to_string()));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{NewCamera, Policy, Transport};

    fn cam(id: &str) -> NewCamera {
        NewCamera {
            name: CameraName::parse(id).unwrap(),
            url: "demo://".into(),
            detect_url: None,
            transport: Transport::Tcp,
            enabled: true,
            audio: false,
        }
    }

    #[test]
    fn cameras_resolve_by_id_or_display_name_in_any_normal_form() {
        let dir = tempfile::tempdir().unwrap();
        let mut lib = Library::open(dir.path()).unwrap();
        let display = DisplayName::parse("정문").unwrap();
        let id = lib.new_camera_id("정문").unwrap();
        assert_eq!(id.as_str(), "jeongmun");
        let added = lib
            .add_camera_named(&cam(id.as_str()), &display, &Policy::default())
            .unwrap();
        assert_eq!(added.display_name.as_str(), "정문");
        let nfd: String = unicode_normalization::UnicodeNormalization::nfd("정문").collect();
        for typed in ["정문", " 정문 ", nfd.as_str(), "jeongmun", "JEONGMUN"] {
            assert_eq!(lib.resolve_camera(typed).unwrap().id, added.id, "{typed}");
        }
        assert!(matches!(
            lib.resolve_camera("후문"),
            Err(LibraryError::UnknownCamera(_))
        ));
        // The same name again, decomposed, or a camera whose id is taken as a name.
        let again = DisplayName::parse(&nfd).unwrap();
        let err = lib
            .add_camera_named(&cam("other"), &again, &Policy::default())
            .unwrap_err();
        assert!(matches!(err, LibraryError::DuplicateCamera(_)), "{err}");
        let err = lib
            .add_camera_named(
                &cam("x"),
                &DisplayName::parse("JeongMun").unwrap(),
                &Policy::default(),
            )
            .unwrap_err();
        assert!(matches!(err, LibraryError::DuplicateCamera(_)), "{err}");
        // A rename keeps the identifier.
        let renamed = lib
            .set_camera_display_name(added.id, &DisplayName::parse("정문 1").unwrap())
            .unwrap();
        assert_eq!(
            (renamed.name.as_str(), renamed.display_name.as_str()),
            ("jeongmun", "정문 1")
        );
        assert_eq!(lib.new_camera_id("東門").unwrap().as_str(), "camera-1");
        assert_eq!(lib.new_camera_id("정문").unwrap().as_str(), "jeongmun-2");
    }
}
