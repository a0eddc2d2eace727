//! Tour rows (schema 8's `tours` table): a named list of steps, each a saved layout or one
//! camera full screen, shown `dwell_s` seconds each; and the small read of the saved layouts
//! a tour editor offers as steps.

use rusqlite::{params, OptionalExtension};

use super::{Library, LibraryError};
use crate::model::layout::check_layout_name;
use crate::model::time::now_us;
use crate::model::tour::check_dwell;
use crate::model::{InvalidInput, Tour, TourStep};

/// The most steps a tour may have.
pub const MAX_TOUR_STEPS: usize = 100;

/// A tour as the operator wrote it, before it is stored.
#[derive(Debug, Clone, PartialEq)]
pub struct NewTour {
    pub name: String,
    pub steps: Vec<TourStep>,
    pub dwell_s: f64,
}

impl Library {
    /// Every tour, by name.
    pub fn tours(&self) -> Result<Vec<Tour>, LibraryError> {
        let mut stmt = self
            .conn()
            .prepare("SELECT id, name, steps, dwell_s, updated_us FROM tours ORDER BY name")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, f64>(3)?,
                r.get::<_, i64>(4)?,
            ))
        })?;
        let mut tours = Vec::new();
        for row in rows {
            let (id, name, steps, dwell_s, updated_us) = row?;
            // A row this build cannot read shows with no steps rather than hiding the others.
            let steps = serde_json::from_str(&steps).unwrap_or_else(|e| {
                tracing::warn!("tour '{name}' has steps this build cannot read: {e}");
                Vec::new()
            });
            tours.push(Tour {
                id,
                name,
                steps,
                dwell_s,
                updated_us,
            });
        }
        Ok(tours)
    }

    /// Stores a tour: a new one when `id` is `None`, else replaces that tour. Every step must
    /// name a camera or saved layout that exists.
    pub fn save_tour(&mut self, id: Option<i64>, tour: &NewTour) -> Result<Tour, LibraryError> {
        let name = check_tour_name(&tour.name)?;
        let dwell_s = check_dwell(tour.dwell_s)?;
        self.check_steps(&tour.steps)?;
        let taken: bool = self.conn().query_row(
            "SELECT EXISTS(SELECT 1 FROM tours WHERE name = ?1 AND id IS NOT ?2)",
            params![name, id],
            |r| r.get(0),
        )?;
        if taken {
            return Err(invalid(format!("a tour named '{name}' already exists")));
        }
        let steps = serde_json::to_string(&tour.steps)
            .map_err(|e| invalid(format!("the tour's steps cannot be stored: {e}")))?;
        let updated_us = now_us();
        let id = match id {
            Some(id) => {
                let changed = self.conn().execute(
                    "UPDATE tours SET name = ?1, steps = ?2, dwell_s = ?3, updated_us = ?4
                     WHERE id = ?5",
                    params![name, steps, dwell_s, updated_us, id],
                )?;
                if changed == 0 {
                    return Err(invalid(format!("the tour '{name}' was removed meanwhile")));
                }
                id
            }
            None => {
                self.conn().execute(
                    "INSERT INTO tours (name, steps, dwell_s, updated_us) VALUES (?1, ?2, ?3, ?4)",
                    params![name, steps, dwell_s, updated_us],
                )?;
                self.conn().last_insert_rowid()
            }
        };
        Ok(Tour {
            id,
            name,
            steps: tour.steps.clone(),
            dwell_s,
            updated_us,
        })
    }

    /// Removes a tour; answers whether there was one.
    pub fn remove_tour(&mut self, id: i64) -> Result<bool, LibraryError> {
        Ok(self
            .conn()
            .execute("DELETE FROM tours WHERE id = ?1", [id])?
            > 0)
    }

    fn check_steps(&self, steps: &[TourStep]) -> Result<(), LibraryError> {
        if steps.is_empty() {
            return Err(invalid("a tour needs at least one step".into()));
        }
        if steps.len() > MAX_TOUR_STEPS {
            return Err(invalid(format!(
                "a tour has at most {MAX_TOUR_STEPS} steps, not {}",
                steps.len()
            )));
        }
        for step in steps {
            let (sql, what, id) = match step {
                TourStep::Layout(id) => ("SELECT 1 FROM layouts WHERE id = ?1", "layout", id),
                TourStep::Camera(id) => ("SELECT 1 FROM cameras WHERE id = ?1", "camera", id),
            };
            let found: Option<i64> = self.conn().query_row(sql, [id], |r| r.get(0)).optional()?;
            if found.is_none() {
                return Err(invalid(format!(
                    "a step shows a {what} that no longer exists (id {id}); remove that step"
                )));
            }
        }
        Ok(())
    }
}

/// A tour's name: the same rules as a layout's (1–64 characters, not blank).
fn check_tour_name(raw: &str) -> Result<String, InvalidInput> {
    check_layout_name(raw).map_err(|e| InvalidInput(e.0.replace("layout", "tour")))
}

fn invalid(message: String) -> LibraryError {
    LibraryError::Invalid(InvalidInput(message))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CameraName, LayoutKind, NewCamera, Policy, Transport};

    fn library() -> (tempfile::TempDir, Library) {
        let dir = tempfile::tempdir().expect("temp dir");
        let lib = Library::open(dir.path()).expect("library");
        (dir, lib)
    }

    fn camera(lib: &mut Library, name: &str) -> i64 {
        let cam = NewCamera {
            name: CameraName::parse(name).expect("name"),
            url: "demo://".into(),
            detect_url: None,
            transport: Transport::Tcp,
            enabled: true,
            audio: false,
        };
        lib.add_camera(&cam, &Policy::default()).expect("camera").id
    }

    fn layout(lib: &Library, name: &str, kind: &str) -> i64 {
        lib.conn()
            .execute(
                "INSERT INTO layouts (name, kind, cells, updated_us) VALUES (?1, ?2, '[1,null]', 0)",
                params![name, kind],
            )
            .expect("layout row");
        lib.conn().last_insert_rowid()
    }

    fn tour(name: &str, steps: Vec<TourStep>, dwell_s: f64) -> NewTour {
        NewTour {
            name: name.into(),
            steps,
            dwell_s,
        }
    }

    #[test]
    fn tours_are_saved_listed_replaced_and_removed() {
        let (_dir, mut lib) = library();
        let yard = camera(&mut lib, "yard");
        let quad = layout(&lib, "Lobby", "2x2");
        let steps = vec![TourStep::Layout(quad), TourStep::Camera(yard)];
        let saved = lib
            .save_tour(None, &tour(" Night round ", steps.clone(), 10.0))
            .expect("saved");
        assert_eq!(saved.name, "Night round");
        let other = lib
            .save_tour(None, &tour("A", vec![TourStep::Camera(yard)], 5.0))
            .expect("second");
        let listed = lib.tours().expect("tours");
        assert_eq!(
            listed.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
            ["A", "Night round"]
        );
        assert_eq!(listed[1].steps, steps);
        assert_eq!(listed[1].dwell_s, 10.0);

        let renamed = lib
            .save_tour(
                Some(saved.id),
                &tour("Day", vec![TourStep::Camera(yard)], 20.0),
            )
            .expect("replaced");
        assert_eq!(renamed.id, saved.id);
        let err = lib
            .save_tour(
                Some(other.id),
                &tour("Day", vec![TourStep::Camera(yard)], 20.0),
            )
            .expect_err("name taken");
        assert!(
            err.to_string()
                .contains("a tour named 'Day' already exists"),
            "{err}"
        );
        assert!(lib.remove_tour(other.id).expect("removed"));
        assert!(!lib.remove_tour(other.id).expect("gone already"));
        assert_eq!(lib.tours().expect("tours").len(), 1);

        let layouts = lib.layouts().expect("layouts");
        assert_eq!(layouts.len(), 1);
        assert_eq!(
            (layouts[0].kind, layouts[0].cells.clone()),
            (LayoutKind::Grid(2), vec![Some(1), None, None, None])
        );
    }

    #[test]
    fn bad_tours_are_refused_with_a_sentence() {
        let (_dir, mut lib) = library();
        let yard = camera(&mut lib, "yard");
        let cases = [
            (
                tour(" ", vec![TourStep::Camera(yard)], 10.0),
                "a tour needs a name",
            ),
            (tour("t", vec![], 10.0), "at least one step"),
            (tour("t", vec![TourStep::Camera(yard)], 1.0), "seconds"),
            (
                tour("t", vec![TourStep::Camera(yard + 9)], 10.0),
                "no longer exists",
            ),
            (
                tour("t", vec![TourStep::Layout(4)], 10.0),
                "layout that no longer exists",
            ),
        ];
        for (bad, said) in cases {
            let err = lib.save_tour(None, &bad).expect_err("refused");
            assert!(err.to_string().contains(said), "{err} / {said}");
        }
        assert!(lib.tours().expect("tours").is_empty());
    }
}
