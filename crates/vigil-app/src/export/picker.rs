//! Where an export goes: the system's save dialog (rfd: the XDG desktop portal, or zenity),
//! run on its own thread so the window keeps drawing, behind a small trait so tests can
//! answer for the operator (a real dialog must never open in a test).

use crate::tr;
use std::path::PathBuf;

use vigil_core::service::{Job, Wake};

pub trait SavePicker: Send + Sync {
    /// Asks for a file to write, suggesting `file_name`; the job answers `None` when the
    /// dialog was cancelled or none is available, and calls `wake` when it has answered.
    fn pick(&self, file_name: &str, wake: Option<Wake>) -> Job<Option<PathBuf>>;
}

/// The system's save dialog.
pub struct RfdPicker;

impl SavePicker for RfdPicker {
    fn pick(&self, file_name: &str, wake: Option<Wake>) -> Job<Option<PathBuf>> {
        let name = file_name.to_string();
        Job::spawn(
            "save-dialog",
            wake,
            move |_| {
                rfd::FileDialog::new()
                    .set_title(tr!("export-dialog-title"))
                    .set_file_name(&name)
                    .add_filter(tr!("export-dialog-filter"), &["mp4"]) // i18n-ignore: the extension
                    .save_file()
            },
            |e| {
                tracing::error!(error = %e, "cannot open the save dialog");
                None
            },
        )
    }
}

/// Answers every request with the same path (tests, scripted use).
pub struct FixedPicker(pub Option<PathBuf>);

impl SavePicker for FixedPicker {
    fn pick(&self, _file_name: &str, wake: Option<Wake>) -> Job<Option<PathBuf>> {
        let path = self.0.clone();
        let answer = path.clone();
        Job::spawn("save-dialog", wake, move |_| answer, move |_| path)
    }
}
