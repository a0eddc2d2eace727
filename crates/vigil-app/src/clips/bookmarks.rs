//! The clip library's bookmarks tab: the bookmarks of every camera, searched by text in
//! their name and note; each can be played (the app shows its camera at its start), exported
//! (its range, a moment with its seconds around it) or removed after a confirmation. Reads and
//! changes are jobs on the service's bookmarks handle, polled once a frame.

use std::time::{Duration, Instant};

use egui::{RichText, ScrollArea, TextEdit, Ui};

use crate::actions::UiAction;
use crate::local_time;
use crate::tr;
use vigil_core::service::{
    Archive, Bookmark, BookmarkQuery, ExportRequest, Job, JobState, ServiceError, Wake,
};

/// How often an open list is read again (bookmarks added elsewhere appear).
const REFRESH: Duration = Duration::from_secs(5);

type Answer<T> = Result<T, ServiceError>;

/// What a lost job was doing: completes the engine's English `JobLost` sentence.
const JOB_LISTING: &str = "listing the bookmarks"; // i18n-ignore
const JOB_REMOVING: &str = "removing the bookmark"; // i18n-ignore

#[derive(Default)]
pub struct BookmarkList {
    pub search: String,
    listed: Vec<Bookmark>,
    /// The search the list was read for, and when.
    loaded: Option<(String, Instant)>,
    listing: Option<(String, Job<Answer<Vec<Bookmark>>>)>,
    removing: Option<Job<Answer<Option<Bookmark>>>>,
    /// A bookmark whose removal waits for confirmation.
    confirm: Option<Bookmark>,
    message: Option<String>,
}

fn poll<T: Send + 'static>(job: &mut Job<Answer<T>>, what: &'static str) -> Option<Answer<T>> {
    match job.poll() {
        JobState::Running => None,
        JobState::Done(v) => Some(v),
        JobState::Lost => Some(Err(ServiceError::ArchiveJobLost { what })),
    }
}

impl BookmarkList {
    /// The bookmarks listed now.
    pub fn bookmarks(&self) -> &[Bookmark] {
        &self.listed
    }

    /// Read again at the next frame (e.g. a bookmark was just added).
    pub fn reload(&mut self) {
        self.loaded = None;
    }

    /// Draws the tab; returns what the operator asked the app to do.
    pub(super) fn show(
        &mut self,
        ui: &mut Ui,
        archive: &Archive,
        wake: &Wake,
        shown_name: &dyn Fn(&str) -> String,
    ) -> Option<UiAction> {
        self.take_answers();
        self.refresh(archive, wake);
        ui.add(
            TextEdit::singleline(&mut self.search)
                .hint_text(tr!("bookmarks-search-hint"))
                .desired_width(f32::INFINITY),
        );
        if let Some(m) = &self.message {
            ui.label(RichText::new(m).weak());
        }
        self.confirmation(ui, archive, wake);
        ui.label(tr!("bookmarks-count", count = self.listed.len()));
        self.rows(ui, archive, shown_name)
    }

    fn refresh(&mut self, archive: &Archive, wake: &Wake) {
        let fresh = self
            .loaded
            .as_ref()
            .is_some_and(|(s, at)| *s == self.search && at.elapsed() < REFRESH);
        if fresh || self.listing.is_some() {
            return;
        }
        self.loaded = Some((self.search.clone(), Instant::now()));
        let q = BookmarkQuery {
            search: Some(self.search.clone()),
            ..BookmarkQuery::default()
        };
        let job = archive.bookmarks().list(q, Some(wake.clone()));
        self.listing = Some((self.search.clone(), job));
    }

    fn take_answers(&mut self) {
        if let Some((asked, job)) = &mut self.listing {
            if let Some(answer) = poll(job, JOB_LISTING) {
                let asked = std::mem::take(asked);
                self.listing = None;
                match answer {
                    // Newest first, like the events.
                    Ok(list) if asked == self.search => {
                        self.listed = list.into_iter().rev().collect();
                    }
                    Ok(_) => {}
                    Err(e) => {
                        self.message = Some(tr!("bookmarks-cannot-read", error = e.to_string()))
                    }
                }
            }
        }
        if let Some(job) = &mut self.removing {
            if let Some(answer) = poll(job, JOB_REMOVING) {
                self.removing = None;
                self.message = Some(match answer {
                    Ok(Some(b)) => tr!("bookmarks-removed", name = b.name),
                    Ok(None) => tr!("bookmarks-already-gone"),
                    Err(e) => tr!("bookmarks-cannot-remove", error = e.to_string()),
                });
                self.loaded = None;
            }
        }
    }

    fn confirmation(&mut self, ui: &mut Ui, archive: &Archive, wake: &Wake) {
        let Some(b) = self.confirm.clone() else {
            return;
        };
        ui.group(|ui| {
            ui.label(
                RichText::new(tr!("bookmarks-remove-question", name = b.name.as_str())).strong(),
            );
            ui.horizontal(|ui| {
                if ui.button(tr!("bookmarks-remove")).clicked() && self.removing.is_none() {
                    self.removing = Some(archive.bookmarks().remove(b.id, Some(wake.clone())));
                    self.confirm = None;
                }
                if ui.button(tr!("bookmarks-keep")).clicked() {
                    self.confirm = None;
                }
            });
        });
    }

    fn rows(
        &mut self,
        ui: &mut Ui,
        archive: &Archive,
        shown_name: &dyn Fn(&str) -> String,
    ) -> Option<UiAction> {
        let mut action = None;
        let writable = !archive.is_read_only();
        let rows = self.listed.clone();
        ScrollArea::vertical()
            .id_salt("bookmark-rows")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                for b in &rows {
                    ui.separator();
                    let title = format!("{} · {}", shown_name(&b.camera), b.name);
                    ui.label(RichText::new(title).strong());
                    ui.label(RichText::new(when(b)).weak().small());
                    if !b.note.is_empty() {
                        ui.label(RichText::new(&b.note).small());
                    }
                    ui.horizontal(|ui| {
                        if ui.small_button(tr!("bookmarks-play")).clicked() {
                            action = Some(UiAction::ShowRecording {
                                camera: b.camera.clone(),
                                at_us: b.start_us,
                            });
                        }
                        if ui.small_button(tr!("bookmarks-export")).clicked() {
                            let (from_us, to_us) = b.footage();
                            action = Some(UiAction::Export(ExportRequest::Range {
                                camera: b.camera.clone(),
                                from_us,
                                to_us,
                            }));
                        }
                        let remove = ui
                            .add_enabled(
                                writable,
                                egui::Button::new(tr!("bookmarks-remove")).small(),
                            )
                            .on_disabled_hover_text(tr!("viewer-cannot-configure"));
                        if remove.clicked() {
                            self.confirm = Some(b.clone());
                        }
                    });
                }
            });
        action
    }
}

/// "at 2026-11-25 03:12:45 · protected · by ana (desktop)" / a range with its length.
fn when(b: &Bookmark) -> String {
    let mut s = if b.is_moment() {
        tr!("bookmarks-at", time = local_time::date_time(b.start_us))
    } else {
        tr!(
            "bookmarks-range",
            from = local_time::date_time(b.start_us),
            span = local_time::duration(b.end_us - b.start_us)
        )
    };
    if b.protected {
        s.push_str(&format!(" · {}", tr!("bookmarks-protected")));
    }
    s.push_str(&format!(
        " · {}",
        tr!("bookmarks-by", who = b.by_user.as_str())
    ));
    s
}
