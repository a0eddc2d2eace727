//! Asking the operator for a model or labels file: the system's open dialog (rfd: the XDG
//! desktop portal, or zenity) on a thread of its own, so the window keeps drawing; the job
//! answers `None` when the dialog was cancelled or none is available.

use std::path::PathBuf;

use crate::tr;
use vigil_core::service::{Job, Wake};

/// Opens the file dialog titled `title`, showing files ending in `extensions` first.
pub fn pick_file(
    title: String,
    filter: (String, &'static [&'static str]),
    wake: Option<Wake>,
) -> Job<Option<PathBuf>> {
    Job::spawn(
        "open-dialog",
        wake,
        move |_| {
            rfd::FileDialog::new()
                .set_title(title)
                .add_filter(filter.0, filter.1)
                .add_filter(tr!("setup-all-files"), &["*"])
                .pick_file()
        },
        |e| {
            tracing::error!(error = %e, "cannot open the file dialog");
            None
        },
    )
}
