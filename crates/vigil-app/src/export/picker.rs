//! Where an export goes: the system's save dialog (rfd: the XDG desktop portal, or zenity),
//! run on its own thread so the window keeps drawing, behind a small trait so tests can
//! answer for the operator (a real dialog must never open in a test).

use std::path::PathBuf;

use crossbeam_channel::Receiver;

pub trait SavePicker: Send + Sync {
    /// Asks for a file to write, suggesting `file_name`; the answer (`None`: cancelled or no
    /// dialog available) arrives on the channel.
    fn pick(&self, file_name: &str) -> Receiver<Option<PathBuf>>;
}

/// The system's save dialog.
pub struct RfdPicker;

impl SavePicker for RfdPicker {
    fn pick(&self, file_name: &str) -> Receiver<Option<PathBuf>> {
        let (tx, rx) = crossbeam_channel::bounded(1);
        let name = file_name.to_string();
        let spawned = std::thread::Builder::new()
            .name("save-dialog".into())
            .spawn({
                let tx = tx.clone();
                move || {
                    let path = rfd::FileDialog::new()
                        .set_title("Export to MP4")
                        .set_file_name(&name)
                        .add_filter("MP4 video", &["mp4"])
                        .save_file();
                    let _ = tx.send(path);
                }
            });
        if let Err(e) = spawned {
            tracing::error!(error = %e, "cannot open the save dialog");
            let _ = tx.send(None);
        }
        rx
    }
}

/// Answers every request with the same path (tests, scripted use).
pub struct FixedPicker(pub Option<PathBuf>);

impl SavePicker for FixedPicker {
    fn pick(&self, _file_name: &str) -> Receiver<Option<PathBuf>> {
        let (tx, rx) = crossbeam_channel::bounded(1);
        let _ = tx.send(self.0.clone());
        rx
    }
}
