//! The camera dialog's "Live sub-stream URL (optional)" field: the stream small live tiles
//! show when it is not the detect sub-stream. Shown without its login; a stored login of
//! its own is kept through an edit, else the camera's user and password are put in on
//! Save. When editing, the stored URL is read once (a job) before the field can change.

use egui::{RichText, TextEdit, Ui};

use super::widgets::{field_row, problem};
use crate::config_jobs::{poll, wake};
use crate::tr;
use vigil_core::model::camera::validate_url;
use vigil_core::model::secret::{split_credentials, with_credentials};
use vigil_core::service::{ConfigJob, ConfigStore};

#[derive(Default)]
pub struct LiveUrlForm {
    /// The URL as typed, without its login.
    pub url: String,
    /// The stored URL's own login (user, password), when it had one.
    own_login: Option<(String, String)>,
    /// Editing: the camera whose stored URL is still to be read, then the read.
    reading: Option<(i64, Option<ConfigJob<Option<String>>>)>,
    read_error: Option<String>,
}

impl LiveUrlForm {
    /// A form that fills itself from camera `id`'s stored live URL once it is read.
    pub fn stored(id: i64) -> Self {
        Self {
            reading: Some((id, None)),
            ..Self::default()
        }
    }

    /// The form for a stored URL (`None`: none).
    pub fn from_stored(url: Option<&str>) -> Self {
        let Some(url) = url else {
            return Self::default();
        };
        let (clean, user, password) = split_credentials(url);
        Self {
            url: clean,
            own_login: (!user.is_empty() || !password.is_empty()).then_some((user, password)),
            ..Self::default()
        }
    }

    pub fn is_reading(&self) -> bool {
        self.reading.is_some()
    }

    /// Starts or polls the read of the stored URL; call it every frame.
    pub fn poll(&mut self, config: &ConfigStore, ctx: &egui::Context) {
        let Some((id, job)) = &mut self.reading else {
            return;
        };
        let job = job.get_or_insert_with(|| config.live_url(*id, Some(wake(ctx))));
        let what = "reading the live sub-stream URL"; // i18n-ignore: the engine's phrase
        let Some(answer) = poll(job, what) else {
            return;
        };
        match answer {
            Ok(stored) => *self = Self::from_stored(stored.as_deref()),
            Err(e) => {
                self.reading = None;
                self.read_error = Some(tr!("setup-live-read-failed", error = e.to_string()));
            }
        }
    }

    /// Why the field cannot be saved, if it cannot.
    pub fn first_error(&self) -> Option<String> {
        if self.reading.is_some() {
            return Some(tr!("setup-live-still-reading"));
        }
        if let Some(e) = &self.read_error {
            return Some(e.clone());
        }
        self.url_error()
    }

    fn url_error(&self) -> Option<String> {
        let url = self.url.trim();
        (!url.is_empty())
            .then(|| validate_url(url).err())
            .flatten()
            .map(|e| tr!("setup-live-problem", error = e.0))
    }

    /// The URL to store, with its login (its own, else the camera's `user` and `password`);
    /// `None` when the field is empty.
    pub fn full_url(&self, user: &str, password: &str) -> Result<Option<String>, String> {
        if let Some(e) = self.url_error() {
            return Err(e);
        }
        let url = self.url.trim();
        if url.is_empty() {
            return Ok(None);
        }
        if !split_credentials(url).1.is_empty() {
            return Ok(Some(url.to_string()));
        }
        let login = match &self.own_login {
            Some((u, p)) => Some((u.as_str(), p.as_str())),
            None => (!user.trim().is_empty()).then_some((user.trim(), password)),
        };
        match login {
            Some((u, p)) if url.contains("://") => with_credentials(url, u, p).map(Some),
            _ => Ok(Some(url.to_string())),
        }
    }

    /// Takes a login typed into the URL out into the form (kept as the URL's own).
    pub fn absorb_credentials(&mut self) {
        let (clean, user, password) = split_credentials(self.url.trim());
        if !user.is_empty() || !password.is_empty() {
            self.url = clean;
            self.own_login = Some((user, password));
        }
    }

    /// The field's row, inside the dialog's grid of connection fields.
    pub fn row(&mut self, ui: &mut Ui) {
        let label = tr!("setup-live-url");
        if let Some(e) = &self.read_error {
            ui.label(&label);
            problem(ui, e);
            ui.end_row();
            return;
        }
        if self.reading.is_some() {
            ui.label(&label);
            ui.label(tr!("setup-reading-lower"));
            ui.end_row();
            return;
        }
        let err = self.url_error();
        let edit = TextEdit::singleline(&mut self.url).hint_text("rtsp://10.0.0.5/stream2"); // i18n-ignore
        if field_row(ui, &label, edit, true, err.as_deref()).lost_focus() {
            self.absorb_credentials();
        }
    }

    /// The line under the connection fields saying what the field is for.
    pub fn note(ui: &mut Ui) {
        ui.label(RichText::new(tr!("setup-live-note")).weak());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_field_takes_the_cameras_login_unless_it_has_its_own() {
        let mut f = LiveUrlForm::default();
        assert_eq!(f.full_url("admin", "pw"), Ok(None));
        f.url = "rtsp://10.0.0.5/sub".into();
        assert_eq!(
            f.full_url("admin", "p@ss").unwrap().as_deref(),
            Some("rtsp://admin:p%40ss@10.0.0.5/sub")
        );
        assert_eq!(
            f.full_url("", "").unwrap().as_deref(),
            Some("rtsp://10.0.0.5/sub")
        );
        let stored = LiveUrlForm::from_stored(Some("rtsp://viewer:x@10.0.0.5/sub"));
        assert_eq!(stored.url, "rtsp://10.0.0.5/sub", "shown without its login");
        assert_eq!(
            stored.full_url("admin", "pw").unwrap().as_deref(),
            Some("rtsp://viewer:x@10.0.0.5/sub"),
            "its own login is kept"
        );
        f.url = "ftp://x".into();
        assert!(f.first_error().unwrap().contains("live sub-stream"));
        assert!(LiveUrlForm::stored(2).first_error().is_some());
    }
}
