//! Export: a time range of one camera (or one event) remuxed, without re-encoding, into a
//! single regular MP4 (or a fragmented one on standard output). [`plan`] picks the recordings that cover the range (continuous
//! segments first, event clips where there is no continuous footage) and notes the gaps;
//! [`write`] copies their packets into one continuous timeline, starting at the keyframe at
//! or before the requested start (said in the report, never hidden), closing gaps, and
//! reporting progress and honouring cancel through a [`Progress`] handle.

mod mux;
mod plan;
pub(crate) mod reader;
mod report;
mod target;
pub(crate) mod timeline;
mod watermark;
mod write;

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use crate::library::LibraryError;

pub use plan::{plan, plan_event, ExportPlan, Piece, MIN_GAP_US};
pub use report::{ExportReport, Sealed};
pub use watermark::write_watermarked;
pub use write::{write, write_fd, write_stdout};

/// Why an export could not be planned or written, in words an operator can act on.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("the export range is empty: {from} is not before {to}")]
    EmptyRange { from: String, to: String },
    #[error("no event with id {0}")]
    UnknownEvent(i64),
    #[error("nothing was recorded for camera '{camera}' between {from} and {to}")]
    NothingRecorded {
        camera: String,
        from: String,
        to: String,
    },
    #[error("{0} already exists")]
    Exists(PathBuf),
    /// Only a regular file is ever replaced by an export.
    #[error("{path} is {what}, not a regular file; an export never replaces anything but a regular file: choose a file name")]
    NotAFile { path: PathBuf, what: String },
    #[error("cannot write {path}: {reason}")]
    Output { path: PathBuf, reason: String },
    #[error("cannot read the recording {path}: {reason}")]
    Input { path: PathBuf, reason: String },
    #[error("the camera's video changes at {at} ({before} before, {after} after), so it cannot go into one file; export the parts before and after {at} separately")]
    FormatChanged {
        at: String,
        before: String,
        after: String,
    },
    #[error("export cancelled")]
    Cancelled,
    #[error(transparent)]
    Library(#[from] LibraryError),
}

/// Progress and cancel of one export, shared between the thread that runs [`write`] and
/// whoever shows a progress bar. Clones share the same counters.
#[derive(Clone, Default)]
pub struct Progress {
    done_us: Arc<AtomicU64>,
    total_us: Arc<AtomicU64>,
    cancel: Arc<AtomicBool>,
    /// Called (on the export's thread) each time another 1/1000 is done.
    notify: Option<Arc<dyn Fn() + Send + Sync>>,
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Progress")
            .field("done_us", &self.done_us())
            .field("total_us", &self.total_us())
            .field("cancelled", &self.is_cancelled())
            .finish()
    }
}

impl Progress {
    pub fn new() -> Self {
        Self::default()
    }

    /// Also calls `notify` (on the export's thread, so keep it short: e.g. egui's
    /// `request_repaint`) whenever another 1/1000 of the export is done, and at its end.
    pub fn with_notify(mut self, notify: impl Fn() + Send + Sync + 'static) -> Self {
        self.notify = Some(Arc::new(notify));
        self
    }

    /// Asks the export to stop; [`write`] then returns [`ExportError::Cancelled`] after
    /// removing its temporary file (checked before every packet).
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    /// The cancel flag itself, e.g. for `signal_hook::flag::register`.
    pub fn cancel_flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.cancel)
    }

    /// Recorded time copied so far, µs (of [`Progress::total_us`]).
    pub fn done_us(&self) -> u64 {
        self.done_us.load(Ordering::Relaxed)
    }

    /// Recorded time to copy, µs (0 until [`write`] starts).
    pub fn total_us(&self) -> u64 {
        self.total_us.load(Ordering::Relaxed)
    }

    /// Done, from 0.0 to 1.0.
    pub fn fraction(&self) -> f32 {
        let total = self.total_us();
        if total == 0 {
            return 0.0;
        }
        (self.done_us() as f64 / total as f64).clamp(0.0, 1.0) as f32
    }

    pub(crate) fn start(&self, total_us: i64) {
        self.total_us
            .store(total_us.max(1) as u64, Ordering::Relaxed);
        self.done_us.store(0, Ordering::Relaxed);
    }

    pub(crate) fn set_done(&self, done_us: i64) {
        let total = self.total_us().max(1);
        let done = (done_us.max(0) as u64).min(total);
        let before = self.done_us.swap(done, Ordering::Relaxed);
        let step = |d: u64| u128::from(d) * 1000 / u128::from(total);
        if let Some(notify) = &self.notify {
            if step(done) != step(before) {
                notify();
            }
        }
    }
}

/// RFC 3339 for messages: `2026-11-25T03:00:00Z`, with microseconds only when there are any.
pub(crate) fn show_time(us: i64) -> String {
    let text = crate::model::time::format_rfc3339(us);
    text.replace(".000000Z", "Z")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_is_shared_by_clones_and_clamped() {
        let p = Progress::new();
        let ui = p.clone();
        assert_eq!(ui.fraction(), 0.0);
        p.start(2_000_000);
        p.set_done(500_000);
        assert!((ui.fraction() - 0.25).abs() < 1e-6);
        p.set_done(9_000_000);
        assert_eq!(ui.fraction(), 1.0);
        ui.cancel();
        assert!(p.is_cancelled() && p.cancel_flag().load(Ordering::Relaxed));
    }

    #[test]
    fn notify_is_called_per_thousandth_done() {
        let calls = Arc::new(AtomicU64::new(0));
        let counter = Arc::clone(&calls);
        let p = Progress::new().with_notify(move || {
            counter.fetch_add(1, Ordering::Relaxed);
        });
        p.start(1_000_000);
        for us in (0..=1_000_000).step_by(100) {
            p.set_done(us);
        }
        assert_eq!(calls.load(Ordering::Relaxed), 1000);
    }

    #[test]
    fn times_in_messages_drop_zero_microseconds() {
        assert_eq!(show_time(1_764_072_000_000_000), "2025-11-25T12:00:00Z");
        assert_eq!(
            show_time(1_764_072_000_250_000),
            "2025-11-25T12:00:00.250000Z"
        );
    }
}
