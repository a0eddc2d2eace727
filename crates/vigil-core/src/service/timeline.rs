//! [`TimelineFeed`]: timeline queries off the caller's thread. The caller sets the query it
//! needs and reads the latest answer at once; a worker with its own library connection
//! answers the latest query (a newer one replaces one not yet started), reads it again when
//! the library changes (SQLite's `data_version`, checked every second), and wakes the caller
//! after each answer.

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender};

use super::error::ServiceError;
use crate::library::{Bookmark, BookmarkQuery, Gap, Library, Timeline, TimelineQuery};
use crate::live::Repaint;

/// How often the worker looks for changes to the library while idle.
const RECHECK: Duration = Duration::from_secs(1);

impl TimelineAnswer {
    /// `camera_id`'s labelled gaps (none when it has no row).
    pub fn gaps(&self, camera_id: i64) -> &[Gap] {
        self.gaps
            .iter()
            .find(|(id, _)| *id == camera_id)
            .map_or(&[], |(_, g)| g.as_slice())
    }
}

/// A query and its answer.
#[derive(Debug, Clone)]
pub struct TimelineAnswer {
    pub query: TimelineQuery,
    pub timeline: Timeline,
    /// Each camera's gaps in the window, labelled with why (in the query's camera order).
    pub gaps: Vec<(i64, Vec<Gap>)>,
    /// The bookmarks of the query's cameras overlapping the window, oldest first.
    pub bookmarks: Vec<Bookmark>,
    /// Counts answers, so a viewer can tell a new one from the last.
    pub generation: u64,
}

#[derive(Default)]
struct FeedSlots {
    wanted: Option<TimelineQuery>,
    latest: Option<Arc<TimelineAnswer>>,
    error: Option<String>,
    repaint: Option<Repaint>,
}

fn lock(shared: &Mutex<FeedSlots>) -> MutexGuard<'_, FeedSlots> {
    shared.lock().unwrap_or_else(|p| p.into_inner())
}

/// The caller's end of the timeline worker. Dropping it ends the worker (after the query
/// in hand, if any); nobody waits for it.
pub struct TimelineFeed {
    shared: Arc<Mutex<FeedSlots>>,
    wake: Sender<()>,
}

impl TimelineFeed {
    /// Starts the worker on the library in `data_dir` (opened on the worker's thread; a
    /// library that cannot be opened shows in [`Self::error`]). `repaint` is called after
    /// each answer.
    pub fn open(data_dir: &Path, repaint: Option<Repaint>) -> Result<Self, ServiceError> {
        let shared = Arc::new(Mutex::new(FeedSlots {
            repaint,
            ..FeedSlots::default()
        }));
        let (wake, rx) = crossbeam_channel::bounded(1);
        let dir = data_dir.to_path_buf();
        let worker_shared = Arc::clone(&shared);
        std::thread::Builder::new()
            .name("timeline-feed".into())
            .spawn(move || match Library::open(&dir) {
                Ok(lib) => worker(&lib, &rx, &worker_shared),
                Err(e) => {
                    tracing::warn!(error = %e, "the timeline cannot open the library");
                    let repaint = {
                        let mut s = lock(&worker_shared);
                        s.error = Some(e.to_string());
                        s.repaint.clone()
                    };
                    if let Some(r) = repaint {
                        r();
                    }
                }
            })
            .map_err(|source| ServiceError::Thread {
                what: "timeline",
                source,
            })?;
        Ok(Self { shared, wake })
    }

    /// Asks for `q`; replaces a query not yet started.
    pub fn set_query(&self, q: TimelineQuery) {
        lock(&self.shared).wanted = Some(q);
        let _ = self.wake.try_send(());
    }

    /// The latest answer, whatever query it was for.
    pub fn latest(&self) -> Option<Arc<TimelineAnswer>> {
        lock(&self.shared).latest.clone()
    }

    /// Why the last query failed (or the library could not be opened), if it did.
    pub fn error(&self) -> Option<String> {
        lock(&self.shared).error.clone()
    }

    /// Called after each new answer (e.g. the UI's `request_repaint`); replaces the last.
    pub fn set_repaint(&self, repaint: Repaint) {
        lock(&self.shared).repaint = Some(repaint);
    }
}

fn worker(lib: &Library, wake: &Receiver<()>, shared: &Mutex<FeedSlots>) {
    let mut last: Option<TimelineQuery> = None;
    let mut version = lib.data_version().ok();
    let mut generation = 0;
    loop {
        let idle = match wake.recv_timeout(RECHECK) {
            Ok(()) => false,
            Err(RecvTimeoutError::Timeout) => true,
            Err(RecvTimeoutError::Disconnected) => return,
        };
        let wanted = lock(shared).wanted.take();
        let q = match wanted {
            Some(q) => q,
            None if idle => {
                let now = lib.data_version().ok();
                if now == version {
                    continue;
                }
                version = now;
                match &last {
                    Some(q) => q.clone(),
                    None => continue,
                }
            }
            None => continue,
        };
        generation += 1;
        answer(lib, &q, generation, shared);
        last = Some(q);
    }
}

/// Runs `q`, publishes the answer (or the error) and wakes the caller.
fn answer(lib: &Library, q: &TimelineQuery, generation: u64, shared: &Mutex<FeedSlots>) {
    let result = lib.timeline(q).map(|timeline| {
        // A library an older recorder writes (viewed read-only) has neither: the ranges
        // still show.
        let gaps = labelled_gaps(lib, q, &timeline)
            .inspect_err(|e| tracing::debug!(error = %e, "no labelled gaps"))
            .unwrap_or_default();
        let bookmarks = window_bookmarks(lib, q)
            .inspect_err(|e| tracing::debug!(error = %e, "no bookmarks"))
            .unwrap_or_default();
        (gaps, bookmarks, timeline)
    });
    let repaint = {
        let mut s = lock(shared);
        match result {
            Ok((gaps, bookmarks, timeline)) => {
                s.latest = Some(Arc::new(TimelineAnswer {
                    query: q.clone(),
                    timeline,
                    gaps,
                    bookmarks,
                    generation,
                }));
                s.error = None;
            }
            Err(e) => s.error = Some(e.to_string()),
        }
        s.repaint.clone()
    };
    if let Some(r) = repaint {
        r();
    }
}

/// Each camera's labelled gaps over the answered window, from its row.
fn labelled_gaps(
    lib: &Library,
    q: &TimelineQuery,
    timeline: &Timeline,
) -> Result<Vec<(i64, Vec<Gap>)>, crate::library::LibraryError> {
    let now = crate::model::time::now_us();
    timeline
        .cameras
        .iter()
        .map(|row| {
            let gaps = lib.gaps_of(row, timeline.from_us, timeline.to_us, q.min_gap_us, now)?;
            Ok((row.camera_id, gaps))
        })
        .collect()
}

/// The bookmarks of the query's cameras over its window (a moment with its footage around it).
fn window_bookmarks(
    lib: &Library,
    q: &TimelineQuery,
) -> Result<Vec<Bookmark>, crate::library::LibraryError> {
    let all = lib.bookmarks(&BookmarkQuery {
        from_us: Some(q.from_us),
        to_us: Some(q.to_us),
        ..BookmarkQuery::default()
    })?;
    Ok(all
        .into_iter()
        .filter(|b| q.camera_ids.contains(&b.camera_id))
        .collect())
}

#[cfg(test)]
#[path = "timeline_tests.rs"]
mod tests;
