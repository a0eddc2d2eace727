//! Whether the live view draws the object detector's boxes on the selected tile (a
//! `settings` row), so the app opens with the boxes as the operator left them.

use rusqlite::{params, OptionalExtension};

use super::{Library, LibraryError};

/// The `settings` key of the live view's boxes switch.
const KEY: &str = "live_object_boxes";

impl Library {
    /// Whether the live view draws detection boxes; off until switched on.
    pub fn live_boxes(&self) -> Result<bool, LibraryError> {
        let raw: Option<String> = self
            .conn()
            .query_row("SELECT value FROM settings WHERE key = ?1", [KEY], |r| {
                r.get(0)
            })
            .optional()?;
        Ok(raw.as_deref() == Some("on"))
    }

    /// Remembers whether the live view draws detection boxes.
    pub fn set_live_boxes(&mut self, on: bool) -> Result<(), LibraryError> {
        self.conn().execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![KEY, if on { "on" } else { "off" }],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_switch_is_off_until_set_and_stays_as_set() {
        let dir = tempfile::tempdir().unwrap();
        let mut lib = Library::open(dir.path()).unwrap();
        assert!(!lib.live_boxes().unwrap());
        lib.set_live_boxes(true).unwrap();
        assert!(Library::open(dir.path()).unwrap().live_boxes().unwrap());
        lib.set_live_boxes(false).unwrap();
        assert!(!lib.live_boxes().unwrap());
    }
}
