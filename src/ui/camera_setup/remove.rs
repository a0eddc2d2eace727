//! Removing a camera, with confirmation: the dialog says how many recordings (and bytes) the
//! camera has, and removing one with recordings needs "also delete its N recordings" ticked
//! (the library refuses otherwise; disabling keeps everything).

use egui::{Context, RichText};

use super::widgets::{buttons, modal, problem};
use super::Outcome;
use crate::engine::config::ConfigStore;
use crate::ui::text;

pub struct RemoveDialog {
    camera: String,
    recordings: u64,
    bytes: u64,
    delete_recordings: bool,
    error: Option<String>,
}

impl RemoveDialog {
    /// `usage` is the camera's (recordings, bytes), read when the dialog opens.
    pub fn new(camera: &str, usage: (u64, u64)) -> Self {
        Self {
            camera: camera.to_string(),
            recordings: usage.0,
            bytes: usage.1,
            delete_recordings: false,
            error: None,
        }
    }

    /// What the dialog says about the camera's recordings.
    pub fn summary(&self) -> String {
        match self.recordings {
            0 => format!("'{}' has no recordings.", self.camera),
            n => format!(
                "'{}' has {} ({}). Disabling the camera keeps them.",
                self.camera,
                recordings(n),
                text::bytes(self.bytes)
            ),
        }
    }

    /// The checkbox's words, when there is something to delete.
    pub fn delete_label(&self) -> Option<String> {
        (self.recordings > 0).then(|| {
            format!(
                "also delete its {} ({})",
                recordings(self.recordings),
                text::bytes(self.bytes)
            )
        })
    }

    /// Why Remove cannot be pressed yet, if it cannot.
    pub fn blocked(&self) -> Option<&'static str> {
        (self.recordings > 0 && !self.delete_recordings)
            .then_some("tick the box to delete its recordings too, or disable the camera instead")
    }

    pub fn show(&mut self, ctx: &Context, config: &ConfigStore) -> Outcome {
        let title = format!("Remove camera {}?", self.camera);
        let (outcome, escape) = modal(ctx, "remove", &title, |ui| {
            ui.label(self.summary());
            if let Some(label) = self.delete_label() {
                ui.checkbox(&mut self.delete_recordings, RichText::new(label));
            }
            if let Some(e) = &self.error {
                problem(ui, e);
            }
            let (remove, cancel) = buttons(ui, "Remove", self.blocked());
            if cancel {
                return Outcome::Close;
            }
            if remove && self.blocked().is_none() {
                match config.remove_camera(&self.camera, self.delete_recordings) {
                    Ok(()) => return Outcome::Done(format!("removed camera '{}'", self.camera)),
                    Err(e) => self.error = Some(e.to_string()),
                }
            }
            Outcome::Open
        });
        if escape {
            Outcome::Close
        } else {
            outcome
        }
    }
}

/// "1 recording", "12 recordings".
fn recordings(n: u64) -> String {
    if n == 1 {
        "1 recording".into()
    } else {
        format!("{n} recordings")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_camera_with_recordings_needs_the_box_ticked() {
        let mut d = RemoveDialog::new("yard", (12, 3_400_000_000));
        assert_eq!(
            d.summary(),
            "'yard' has 12 recordings (3.40 GB). Disabling the camera keeps them."
        );
        assert_eq!(
            d.delete_label().as_deref(),
            Some("also delete its 12 recordings (3.40 GB)")
        );
        assert!(d.blocked().is_some());
        d.delete_recordings = true;
        assert!(d.blocked().is_none());
    }

    #[test]
    fn a_camera_without_recordings_goes_at_once() {
        let d = RemoveDialog::new("door", (0, 0));
        assert_eq!(d.summary(), "'door' has no recordings.");
        assert_eq!(d.delete_label(), None);
        assert!(d.blocked().is_none());
        assert_eq!(recordings(1), "1 recording");
    }
}
