//! Bookmarks: a moment or a range on one camera that an operator named (with a note), made by
//! someone at some time, optionally protected from retention (its footage is then kept like
//! a protected event's: `retention::UNPROTECTED`). Listed by camera, window and text.

use rusqlite::{params, OptionalExtension, Row};
use serde::Serialize;

use super::{Library, LibraryError};
use crate::model::text::has_unsafe;
use crate::model::InvalidInput;

/// A moment's footage: this much before and after it is what it stands for (exported, and
/// kept through retention when protected).
pub const MOMENT_PAD_US: i64 = 10_000_000;
/// The longest name, characters.
pub const MAX_NAME: usize = 200;
/// The longest note, characters.
pub const MAX_NOTE: usize = 4000;

/// A bookmark as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Bookmark {
    pub id: i64,
    pub camera_id: i64,
    /// The camera's identifier.
    pub camera: String,
    pub start_us: i64,
    /// Equal to `start_us` for a moment.
    pub end_us: i64,
    pub name: String,
    pub note: String,
    pub protected: bool,
    pub by_user: String,
    pub created_us: i64,
}

impl Bookmark {
    pub fn is_moment(&self) -> bool {
        self.end_us == self.start_us
    }

    /// The footage it stands for: the range, or a moment with [`MOMENT_PAD_US`] either side.
    pub fn footage(&self) -> (i64, i64) {
        match self.is_moment() {
            true => (self.start_us - MOMENT_PAD_US, self.end_us + MOMENT_PAD_US),
            false => (self.start_us, self.end_us),
        }
    }
}

/// A bookmark to add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBookmark {
    pub camera_id: i64,
    pub start_us: i64,
    pub end_us: i64,
    pub name: String,
    pub note: String,
    pub protected: bool,
    pub by_user: String,
}

/// Which bookmarks to list: a camera (or all), overlapping a window, whose name or note
/// contains a text (any case).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BookmarkQuery {
    pub camera_id: Option<i64>,
    pub from_us: Option<i64>,
    pub to_us: Option<i64>,
    pub search: Option<String>,
}

impl NewBookmark {
    /// The bookmark tidied (name and note trimmed), or why it cannot be added.
    fn checked(&self) -> Result<Self, InvalidInput> {
        let name = self.name.trim().to_string();
        let note = self.note.trim().to_string();
        if name.is_empty() {
            return Err(InvalidInput("a bookmark needs a name".into()));
        }
        if has_unsafe(&name) || has_unsafe(&note.replace(['\n', '\t'], " ")) {
            return Err(InvalidInput(
                "a bookmark's name and note cannot hold control characters".into(),
            ));
        }
        if name.chars().count() > MAX_NAME {
            return Err(InvalidInput(format!(
                "a bookmark's name is at most {MAX_NAME} characters"
            )));
        }
        if note.chars().count() > MAX_NOTE {
            return Err(InvalidInput(format!(
                "a bookmark's note is at most {MAX_NOTE} characters"
            )));
        }
        if self.end_us < self.start_us {
            return Err(InvalidInput(
                "a bookmark's range must end after it starts".into(),
            ));
        }
        Ok(Self {
            name,
            note,
            ..self.clone()
        })
    }
}

const COLUMNS: &str = "b.id, b.camera_id, c.name, b.start_us, b.end_us, b.name, b.note,
    b.protected, b.by_user, b.created_us FROM bookmarks b JOIN cameras c ON c.id = b.camera_id";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Bookmark> {
    Ok(Bookmark {
        id: r.get(0)?,
        camera_id: r.get(1)?,
        camera: r.get(2)?,
        start_us: r.get(3)?,
        end_us: r.get(4)?,
        name: r.get(5)?,
        note: r.get(6)?,
        protected: r.get::<_, i64>(7)? != 0,
        by_user: r.get(8)?,
        created_us: r.get(9)?,
    })
}

/// `text` for a LIKE pattern, its wildcards taken literally (escape `\`).
fn like_pattern(text: &str) -> String {
    let mut out = String::from("%");
    for ch in text.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out.push('%');
    out
}

impl Library {
    /// Adds a bookmark made at `now_us`; answers it as stored.
    pub fn add_bookmark(&self, new: &NewBookmark, now_us: i64) -> Result<Bookmark, LibraryError> {
        let b = new.checked()?;
        let exists: Option<i64> = self
            .conn()
            .query_row(
                "SELECT id FROM cameras WHERE id = ?1",
                params![b.camera_id],
                |r| r.get(0),
            )
            .optional()?;
        if exists.is_none() {
            return Err(InvalidInput(format!("no camera with id {}", b.camera_id)).into());
        }
        self.conn().execute(
            "INSERT INTO bookmarks (camera_id, start_us, end_us, name, note, protected, by_user,
                                    created_us)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                b.camera_id,
                b.start_us,
                b.end_us,
                b.name,
                b.note,
                i64::from(b.protected),
                b.by_user,
                now_us
            ],
        )?;
        let id = self.conn().last_insert_rowid();
        self.bookmark(id)?
            .ok_or_else(|| InvalidInput(format!("bookmark {id} vanished as it was added")).into())
    }

    /// One bookmark by id.
    pub fn bookmark(&self, id: i64) -> Result<Option<Bookmark>, LibraryError> {
        let sql = format!("SELECT {COLUMNS} WHERE b.id = ?1");
        Ok(self
            .conn()
            .query_row(&sql, params![id], from_row)
            .optional()?)
    }

    /// Bookmarks matching `q`, oldest first.
    pub fn bookmarks(&self, q: &BookmarkQuery) -> Result<Vec<Bookmark>, LibraryError> {
        let sql = format!(
            "SELECT {COLUMNS}
             WHERE (?1 IS NULL OR b.camera_id = ?1)
               AND (?2 IS NULL OR b.end_us >= ?2) AND (?3 IS NULL OR b.start_us < ?3)
               AND (?4 IS NULL OR b.name LIKE ?4 ESCAPE '\\' OR b.note LIKE ?4 ESCAPE '\\')
             ORDER BY b.start_us, b.id"
        );
        let search = q
            .search
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(like_pattern);
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt.query_map(params![q.camera_id, q.from_us, q.to_us, search], from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Removes a bookmark (its footage stays, now subject to retention); answers it, or
    /// `None` when there was no such bookmark.
    pub fn remove_bookmark(&self, id: i64) -> Result<Option<Bookmark>, LibraryError> {
        let found = self.bookmark(id)?;
        if found.is_some() {
            self.conn()
                .execute("DELETE FROM bookmarks WHERE id = ?1", params![id])?;
        }
        Ok(found)
    }
}

#[cfg(test)]
#[path = "bookmarks_tests.rs"]
mod tests;
