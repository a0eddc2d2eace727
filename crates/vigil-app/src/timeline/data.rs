//! The timeline's data: a worker thread with its own library connection answers the latest
//! query (a newer request replaces one not yet started) and reads it again when the library
//! changes (SQLite's `data_version`, checked every second); and the cache rule deciding when
//! the widget needs a new query at all — never per frame while nothing changed.

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender};

use super::view::{TimeAxis, TimelineView};
use vigil_core::library::{Library, Timeline, TimelineQuery};
use vigil_core::live::Repaint;

/// How often the worker looks for changes to the library while idle.
const RECHECK: Duration = Duration::from_secs(1);

/// A query and its answer.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub query: TimelineQuery,
    pub timeline: Timeline,
    /// Counts answers, so a viewer can tell a new one from the last.
    pub generation: u64,
}

#[derive(Default)]
struct Shared {
    wanted: Option<TimelineQuery>,
    latest: Option<Arc<Fetched>>,
    error: Option<String>,
    repaint: Option<Repaint>,
}

fn lock(shared: &Mutex<Shared>) -> MutexGuard<'_, Shared> {
    shared.lock().unwrap_or_else(|p| p.into_inner())
}

/// The worker's handle. Dropping it ends the worker (after the query in hand, if any);
/// nobody waits for it.
pub struct TimelineSource {
    shared: Arc<Mutex<Shared>>,
    wake: Sender<()>,
}

impl TimelineSource {
    /// Starts the worker on the library in `data_dir`.
    pub fn spawn(data_dir: &Path) -> std::io::Result<Self> {
        let shared = Arc::new(Mutex::new(Shared::default()));
        let (wake, rx) = crossbeam_channel::bounded(1);
        let dir = data_dir.to_path_buf();
        let worker_shared = Arc::clone(&shared);
        std::thread::Builder::new()
            .name("timeline-data".into())
            .spawn(move || match Library::open(&dir) {
                Ok(lib) => worker(&lib, &rx, &worker_shared),
                Err(e) => {
                    tracing::warn!(error = %e, "the timeline cannot open the library");
                    lock(&worker_shared).error = Some(e.to_string());
                }
            })?;
        Ok(Self { shared, wake })
    }

    /// Asks for `q`; replaces a request not yet started.
    pub fn request(&self, q: TimelineQuery) {
        lock(&self.shared).wanted = Some(q);
        let _ = self.wake.try_send(());
    }

    /// The latest answer, whatever query it was for.
    pub fn latest(&self) -> Option<Arc<Fetched>> {
        lock(&self.shared).latest.clone()
    }

    /// Why the last query failed, if it did.
    pub fn error(&self) -> Option<String> {
        lock(&self.shared).error.clone()
    }

    /// Called after each new answer (the UI's `request_repaint`).
    pub fn set_repaint(&self, repaint: Repaint) {
        lock(&self.shared).repaint = Some(repaint);
    }
}

fn worker(lib: &Library, wake: &Receiver<()>, shared: &Mutex<Shared>) {
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
        let answer = lib.timeline(&q);
        generation += 1;
        let repaint = {
            let mut s = lock(shared);
            match answer {
                Ok(timeline) => {
                    s.latest = Some(Arc::new(Fetched {
                        query: q.clone(),
                        timeline,
                        generation,
                    }));
                    s.error = None;
                }
                Err(e) => s.error = Some(e.to_string()),
            }
            s.repaint.clone()
        };
        last = Some(q);
        if let Some(r) = repaint {
            r();
        }
    }
}

/// The query for `view` drawn over `axis`: the window widened by a quarter of its span on
/// each side and snapped to a sixteenth of it (a power of two), so small pans and the live
/// slide reuse the answer; one point's time snapped down to a power of two as `min_gap_us`,
/// so a zoom re-reads only every few wheel notches.
pub fn wanted_query(view: &TimelineView, axis: &TimeAxis, camera_ids: &[i64]) -> TimelineQuery {
    let span = view.span_us();
    let quantum = pow2_at_least(span / 16);
    let from = (view.start_us - span / 4).div_euclid(quantum) * quantum;
    let to = (view.end_us + span / 4).div_euclid(quantum) * quantum + quantum;
    TimelineQuery {
        camera_ids: camera_ids.to_vec(),
        from_us: from,
        to_us: to,
        min_gap_us: pow2_at_most(axis.us_per_px() as i64),
    }
}

/// Whether the answer to `have` still serves `want` (same cameras and resolution, and the
/// visible window inside it).
pub fn still_serves(have: &TimelineQuery, want: &TimelineQuery, view: &TimelineView) -> bool {
    have.camera_ids == want.camera_ids
        && have.min_gap_us == want.min_gap_us
        && have.from_us <= view.start_us
        && have.to_us >= view.end_us
}

fn pow2_at_least(v: i64) -> i64 {
    let v = v.max(1) as u64;
    i64::try_from(v.next_power_of_two()).unwrap_or(i64::MAX)
}

fn pow2_at_most(v: i64) -> i64 {
    let v = v.max(1) as u64;
    1 << (63 - v.leading_zeros())
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_795_000_000_000_000;
    const HOUR: i64 = 3_600_000_000;

    fn view(start: i64, span: i64) -> TimelineView {
        TimelineView {
            start_us: start,
            end_us: start + span,
            playhead_us: Some(start),
            selection: None,
            follow_live: false,
        }
    }

    #[test]
    fn small_pans_reuse_the_answer_and_zoom_rereads_every_few_notches() {
        let v = view(NOW, HOUR);
        let axis = TimeAxis::new(&v, 0.0, 1600.0);
        let q = wanted_query(&v, &axis, &[1, 2]);
        assert!(q.from_us <= NOW - HOUR / 4 && q.to_us >= NOW + HOUR + HOUR / 4);
        assert!(q.to_us - q.from_us < 2 * HOUR);
        assert_eq!(q.min_gap_us, 2_097_152, "2.25 s a point → 2^21 µs");
        // Ten minutes later (a pan, or the live slide) the same answer still serves.
        let moved = view(NOW + 10 * 60_000_000, HOUR);
        let want = wanted_query(&moved, &axis, &[1, 2]);
        assert!(still_serves(&q, &want, &moved));
        // Half an hour later it does not.
        let far = view(NOW + HOUR / 2, HOUR);
        assert!(!still_serves(&q, &wanted_query(&far, &axis, &[1, 2]), &far));
        // A little closer keeps the resolution (2.14 s a point); more changes it.
        let mut z = v.clone();
        z.zoom_about(NOW + HOUR / 2, 1.05);
        let za = TimeAxis::new(&z, 0.0, 1600.0);
        assert!(still_serves(&q, &wanted_query(&z, &za, &[1, 2]), &z));
        z.zoom_about(NOW + HOUR / 2, 1.25 * 1.25);
        let za = TimeAxis::new(&z, 0.0, 1600.0);
        assert!(!still_serves(&q, &wanted_query(&z, &za, &[1, 2]), &z));
        // Other cameras: a new query.
        assert!(!still_serves(&q, &wanted_query(&v, &axis, &[1]), &v));
    }

    #[test]
    fn powers_of_two() {
        assert_eq!(pow2_at_least(0), 1);
        assert_eq!(pow2_at_least(1000), 1024);
        assert_eq!(pow2_at_most(1000), 512);
        assert_eq!(pow2_at_most(1024), 1024);
    }
}
