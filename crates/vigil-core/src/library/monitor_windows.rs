//! The desktop app's extra windows (one per monitor), remembered in the `settings` table so
//! they reopen at the next start: each one's layout and where it was on the screen.

use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};

use super::{Library, LibraryError};
use crate::model::{InvalidInput, LayoutKind};

/// The `settings` key holding the windows, as a JSON array.
const KEY: &str = "app.monitor_windows";

/// The most extra windows remembered.
pub const MAX_MONITOR_WINDOWS: usize = 8;

/// One extra window of the desktop app.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MonitorWindow {
    /// Its layout; `None` is "auto" (the smallest grid holding every camera).
    pub layout: Option<LayoutKind>,
    /// Where it was on the screen: the outer rect (x, y, width, height), in points.
    pub rect: Option<[f32; 4]>,
    /// The saved layout it shows (its cameras in their cells), by id, if one.
    pub saved_layout: Option<i64>,
}

/// How a window is written in the settings (the layout as its text, e.g. `2x2` or `auto`).
#[derive(Serialize, Deserialize)]
struct Stored {
    layout: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    rect: Option<[f32; 4]>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    saved_layout: Option<i64>,
}

impl Library {
    /// The app's extra windows as last saved (none when never saved). Entries this build
    /// cannot read are left out.
    pub fn monitor_windows(&self) -> Result<Vec<MonitorWindow>, LibraryError> {
        let raw: Option<String> = self
            .conn()
            .query_row("SELECT value FROM settings WHERE key = ?1", [KEY], |r| {
                r.get(0)
            })
            .optional()?;
        let Some(raw) = raw else {
            return Ok(Vec::new());
        };
        let stored: Vec<Stored> = serde_json::from_str(&raw).unwrap_or_else(|e| {
            tracing::warn!("the saved app windows cannot be read ({e}); starting with none");
            Vec::new()
        });
        Ok(stored
            .into_iter()
            .take(MAX_MONITOR_WINDOWS)
            .filter_map(|s| {
                let layout = match s.layout.as_str() {
                    "auto" => None,
                    text => Some(LayoutKind::parse(text).ok()?),
                };
                let rect = s.rect.filter(|r| r.iter().all(|v| v.is_finite()));
                Some(MonitorWindow {
                    layout,
                    rect,
                    saved_layout: s.saved_layout,
                })
            })
            .collect())
    }

    /// Replaces the saved windows with `windows`.
    pub fn set_monitor_windows(&mut self, windows: &[MonitorWindow]) -> Result<(), LibraryError> {
        if windows.len() > MAX_MONITOR_WINDOWS {
            return Err(LibraryError::Invalid(InvalidInput(format!(
                "the app opens at most {MAX_MONITOR_WINDOWS} extra windows"
            ))));
        }
        let stored: Vec<Stored> = windows
            .iter()
            .map(|w| Stored {
                layout: w.layout.map_or_else(|| "auto".into(), LayoutKind::as_text),
                rect: w.rect,
                saved_layout: w.saved_layout,
            })
            .collect();
        let json = serde_json::to_string(&stored).map_err(|e| {
            LibraryError::Invalid(InvalidInput(format!("the windows cannot be saved: {e}")))
        })?;
        self.conn().execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [KEY, json.as_str()],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_round_trip_through_the_settings_and_bad_entries_are_skipped() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut lib = Library::open(dir.path()).expect("library");
        assert!(lib.monitor_windows().expect("none yet").is_empty());
        let windows = vec![
            MonitorWindow {
                layout: Some(LayoutKind::OnePlusFive),
                rect: Some([1920.0, 0.0, 1280.0, 800.0]),
                saved_layout: Some(3),
            },
            MonitorWindow::default(),
        ];
        lib.set_monitor_windows(&windows).expect("saved");
        drop(lib);
        let mut lib = Library::open(dir.path()).expect("reopened");
        assert_eq!(lib.monitor_windows().expect("read"), windows);

        lib.conn()
            .execute(
                "UPDATE settings SET value = '[{\"layout\":\"7x7\"},{\"layout\":\"3x3\"}]' WHERE key = ?1",
                [KEY],
            )
            .expect("hand-edited");
        let read = lib.monitor_windows().expect("read");
        assert_eq!(read.len(), 1);
        assert_eq!(read[0].layout, Some(LayoutKind::Grid(3)));
        assert!(lib
            .set_monitor_windows(&vec![windows[1].clone(); 9])
            .is_err());
    }
}
