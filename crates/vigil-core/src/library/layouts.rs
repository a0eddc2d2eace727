//! Named live-view layouts (the `layouts` table of schema 8: a shape and which camera, by id,
//! in which cell) and the layout the live view used last (a `settings` row), so the app
//! opens as the operator left it. Cells name cameras by id: a renamed camera keeps its cell;
//! a removed one leaves its id behind, which the reader shows as an empty cell.

use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use super::{Library, LibraryError};
use crate::model::layout::{check_layout_name, LayoutKind, SavedLayout};
use crate::model::time::now_us;
use crate::model::InvalidInput;

/// The `settings` key of the layout in use.
const IN_USE_KEY: &str = "live_layout";

/// The live view's layout as the app left it: the shape (`None`: auto), the cells placed by
/// the operator (`None`: cameras in order, in pages) and the saved layout it came from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LayoutInUse {
    /// `LayoutKind::as_text`, or `None` for auto.
    pub kind: Option<String>,
    pub cells: Option<Vec<Option<i64>>>,
    pub saved_id: Option<i64>,
}

impl Library {
    /// Every saved layout, by name.
    pub fn layouts(&self) -> Result<Vec<SavedLayout>, LibraryError> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, name, kind, cells, updated_us FROM layouts ORDER BY name COLLATE NOCASE",
        )?;
        let rows = stmt.query_map([], raw_layout)?;
        let mut out = Vec::new();
        for row in rows {
            out.push(parse_layout(row?)?);
        }
        Ok(out)
    }

    /// One saved layout by id.
    pub fn layout(&self, id: i64) -> Result<SavedLayout, LibraryError> {
        let row = self
            .conn()
            .query_row(
                "SELECT id, name, kind, cells, updated_us FROM layouts WHERE id = ?1",
                [id],
                raw_layout,
            )
            .optional()?;
        let row = row.ok_or_else(|| LibraryError::UnknownLayout(format!("#{id}")))?;
        parse_layout(row)
    }

    /// One saved layout by name.
    pub fn layout_by_name(&self, name: &str) -> Result<SavedLayout, LibraryError> {
        let name = name.trim();
        let row = self
            .conn()
            .query_row(
                "SELECT id, name, kind, cells, updated_us FROM layouts WHERE name = ?1",
                [name],
                raw_layout,
            )
            .optional()?;
        let row = row.ok_or_else(|| LibraryError::UnknownLayout(name.to_string()))?;
        parse_layout(row)
    }

    /// Saves a layout under `name`, replacing the one of that name (it keeps its id).
    /// `cells` is padded with empty cells (or must end in empty ones) to the shape's count;
    /// every camera must exist and be in one cell only.
    pub fn save_layout(
        &mut self,
        name: &str,
        kind: LayoutKind,
        cells: &[Option<i64>],
    ) -> Result<SavedLayout, LibraryError> {
        let name = check_layout_name(name)?;
        let cells = self.checked_cells(kind, cells)?;
        let json = serde_json::to_string(&cells)
            .map_err(|e| InvalidInput(format!("cannot store the cells: {e}")))?;
        self.conn().execute(
            "INSERT INTO layouts (name, kind, cells, updated_us) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(name) DO UPDATE SET kind = excluded.kind, cells = excluded.cells,
                                             updated_us = excluded.updated_us",
            params![name, kind.as_text(), json, now_us()],
        )?;
        self.layout_by_name(&name)
    }

    /// Renames a saved layout; refused when another has the new name.
    pub fn rename_layout(&mut self, id: i64, new_name: &str) -> Result<SavedLayout, LibraryError> {
        let name = check_layout_name(new_name)?;
        let current = self.layout(id)?;
        if current.name == name {
            return Ok(current);
        }
        if self.layout_by_name(&name).is_ok() {
            return Err(LibraryError::DuplicateLayout(name));
        }
        self.conn().execute(
            "UPDATE layouts SET name = ?1, updated_us = ?2 WHERE id = ?3",
            params![name, now_us(), id],
        )?;
        self.layout(id)
    }

    /// Removes a saved layout (the layout in use forgets it came from there).
    pub fn remove_layout(&mut self, id: i64) -> Result<(), LibraryError> {
        let n = self
            .conn()
            .execute("DELETE FROM layouts WHERE id = ?1", [id])?;
        if n == 0 {
            return Err(LibraryError::UnknownLayout(format!("#{id}")));
        }
        if let Some(mut in_use) = self.layout_in_use()? {
            if in_use.saved_id == Some(id) {
                in_use.saved_id = None;
                self.set_layout_in_use(&in_use)?;
            }
        }
        Ok(())
    }

    /// The layout the live view used last, if one was stored (an unreadable row counts as
    /// none: the app then starts on auto).
    pub fn layout_in_use(&self) -> Result<Option<LayoutInUse>, LibraryError> {
        let raw: Option<String> = self
            .conn()
            .query_row(
                "SELECT value FROM settings WHERE key = ?1",
                [IN_USE_KEY],
                |r| r.get(0),
            )
            .optional()?;
        Ok(raw.and_then(|raw| match serde_json::from_str(&raw) {
            Ok(v) => Some(v),
            Err(e) => {
                tracing::warn!("the stored live layout is unreadable ({e}); starting on auto");
                None
            }
        }))
    }

    /// Stores the layout the live view uses now.
    pub fn set_layout_in_use(&mut self, in_use: &LayoutInUse) -> Result<(), LibraryError> {
        if let Some(kind) = &in_use.kind {
            LayoutKind::parse(kind)?;
        }
        let json = serde_json::to_string(in_use)
            .map_err(|e| InvalidInput(format!("cannot store the layout in use: {e}")))?;
        self.conn().execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![IN_USE_KEY, json],
        )?;
        Ok(())
    }

    /// `cells` fitted to `kind`'s count, each camera existing and in one cell only.
    fn checked_cells(
        &self,
        kind: LayoutKind,
        cells: &[Option<i64>],
    ) -> Result<Vec<Option<i64>>, LibraryError> {
        let count = kind.cell_count();
        if cells.iter().skip(count).any(Option::is_some) {
            return Err(InvalidInput(format!(
                "layout {} has {count} cells; more cameras were placed than fit",
                kind.label()
            ))
            .into());
        }
        let mut out: Vec<Option<i64>> = cells.iter().copied().take(count).collect();
        out.resize(count, None);
        let mut seen = Vec::new();
        for id in out.iter().flatten() {
            let name: String = self
                .conn()
                .query_row("SELECT name FROM cameras WHERE id = ?1", [id], |r| r.get(0))
                .optional()?
                .ok_or_else(|| LibraryError::UnknownCamera(format!("#{id}")))?;
            if seen.contains(id) {
                return Err(InvalidInput(format!("camera '{name}' is in two cells")).into());
            }
            seen.push(*id);
        }
        Ok(out)
    }
}

type RawLayout = (i64, String, String, String, i64);

fn raw_layout(r: &Row<'_>) -> rusqlite::Result<RawLayout> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
}

fn parse_layout(
    (id, name, kind, cells, updated_us): RawLayout,
) -> Result<SavedLayout, LibraryError> {
    let kind = LayoutKind::parse(&kind)?;
    let mut cells: Vec<Option<i64>> = serde_json::from_str(&cells).map_err(|e| {
        InvalidInput(format!(
            "layout '{name}' has unreadable cells in the library: {e}"
        ))
    })?;
    cells.resize(kind.cell_count(), None);
    Ok(SavedLayout {
        id,
        name,
        kind,
        cells,
        updated_us,
    })
}

#[cfg(test)]
#[path = "layouts_tests.rs"]
mod tests;
