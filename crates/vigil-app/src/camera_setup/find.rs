//! "Find cameras…" in the camera dialog: a WS-Discovery search on a job thread (never in a
//! frame), the list of what answered, and — for the camera picked, with the dialog's login —
//! its main and sub-stream URLs read over ONVIF (another job). Problems are sentences under
//! the list.

use std::time::Duration;

use egui::{RichText, Spinner, Ui};

use super::widgets::problem;
use crate::config_jobs::wake;
use crate::tr;
use vigil_core::model::secret::split_credentials;
use vigil_core::service::camera_finder::{
    find_cameras, nothing_found, read_stream_uris, Credentials, Found, StreamUris,
};
use vigil_core::service::{Job, JobState};

/// How long the search waits for answers.
pub const SEARCH_TIMEOUT: Duration = Duration::from_secs(3);
/// How long a camera's ONVIF service has to answer each request.
const ASK_TIMEOUT: Duration = Duration::from_secs(5);

/// A camera's stream URLs, without credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Streams {
    pub main: String,
    pub sub: Option<String>,
}

#[derive(Default)]
pub struct Finder {
    searching: Option<Job<Result<Vec<Found>, String>>>,
    /// The last search's answer (`None` before any).
    found: Option<Vec<Found>>,
    reading: Option<(String, Job<Result<StreamUris, String>>)>,
    /// A sentence under the list: an error (red) or a hint.
    message: Option<(String, bool)>,
}

impl Finder {
    /// Whether a search or a read is running (the dialog repaints meanwhile).
    pub fn is_busy(&self) -> bool {
        self.searching.is_some() || self.reading.is_some()
    }

    fn search(&mut self, ctx: &egui::Context) {
        self.found = None;
        self.message = None;
        self.searching = Some(find_cameras(SEARCH_TIMEOUT, Some(wake(ctx))));
    }

    /// Reads `found`'s stream URLs with `creds` (a job).
    pub fn read_streams(&mut self, found: &Found, creds: Credentials, ctx: &egui::Context) {
        let url = found.device_url().to_string();
        self.message = None;
        let job = read_stream_uris(&url, creds, ASK_TIMEOUT, Some(wake(ctx)));
        self.reading = Some((url, job));
    }

    /// Says `text` under the list (a hint, not an error).
    pub fn hint(&mut self, text: &str) {
        self.message = Some((text.to_string(), false));
    }

    /// Takes the answers that came: the stream URLs read, once.
    pub fn poll(&mut self) -> Option<Streams> {
        if let Some(job) = &mut self.searching {
            let answer = match job.poll() {
                JobState::Running => None,
                JobState::Done(a) => Some(a),
                JobState::Lost => Some(Err(tr!("setup-find-lost"))),
            };
            if let Some(answer) = answer {
                self.searching = None;
                match answer {
                    Ok(found) if found.is_empty() => {
                        self.message = Some((nothing_found(SEARCH_TIMEOUT), true));
                        self.found = Some(found);
                    }
                    Ok(found) => self.found = Some(found),
                    Err(e) => self.message = Some((tr!("setup-find-failed", error = e), true)),
                }
            }
        }
        let (url, job) = self.reading.as_mut()?;
        let answer = match job.poll() {
            JobState::Running => return None,
            JobState::Done(a) => a,
            JobState::Lost => Err(tr!("setup-find-read-lost")),
        };
        let url = url.clone();
        self.reading = None;
        match answer {
            Ok(s) => Some(Streams {
                // A camera may put its login into the URLs it gives: keep it out of sight.
                main: split_credentials(&s.main).0,
                sub: s.sub.as_deref().map(|u| split_credentials(u).0),
            }),
            Err(e) => {
                self.message = Some((tr!("setup-find-read-failed", url = url, error = e), true));
                None
            }
        }
    }

    /// The button, the list and the sentence; the camera picked, if one was.
    pub fn show(&mut self, ui: &mut Ui) -> Option<Found> {
        let mut picked = None;
        ui.horizontal_wrapped(|ui| {
            if ui
                .add_enabled(
                    !self.is_busy(),
                    egui::Button::new(tr!("setup-find-cameras")),
                )
                .on_hover_text(tr!("setup-find-hover"))
                .clicked()
            {
                self.search(ui.ctx());
            }
            if self.searching.is_some() {
                ui.add(Spinner::new());
                ui.label(tr!(
                    "setup-find-searching",
                    seconds = SEARCH_TIMEOUT.as_secs().to_string()
                ));
            } else if self.reading.is_some() {
                ui.add(Spinner::new());
                ui.label(tr!("setup-find-reading"));
            }
        });
        for found in self.found.iter().flatten() {
            let model = match found.hardware.as_deref() {
                Some(m) => m.to_string(),
                None => tr!("setup-find-unknown-model"),
            };
            let name = match found.name.as_deref() {
                Some(n) => n.to_string(),
                None => tr!("setup-find-no-name"),
            };
            let text = format!("{name} · {model} · {}", found.host);
            if ui
                .add_enabled(self.reading.is_none(), egui::Button::new(text))
                .on_hover_text(found.device_url())
                .clicked()
            {
                picked = Some(found.clone());
            }
        }
        if let Some((text, is_error)) = &self.message {
            if *is_error {
                problem(ui, text);
            } else {
                ui.label(RichText::new(text).weak());
            }
        }
        picked
    }
}
