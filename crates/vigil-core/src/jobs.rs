//! Background jobs: one helper for work whose caller must not wait (a UI frame, a request
//! handler). A named thread runs the work once; the caller polls for the answer, can ask it
//! to stop, reads its progress, and is woken when it is done. The answer of work that panicked
//! or could not start is an error in words, never a hang.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;

use crossbeam_channel::{Receiver, TryRecvError};

/// Called when a job finishes (e.g. the GUI's `request_repaint`).
pub type Wake = Arc<dyn Fn() + Send + Sync>;

/// What the work sees of its job: whether the caller asked it to stop, and where it reports
/// progress.
#[derive(Clone, Default)]
pub struct JobContext {
    cancel: Arc<AtomicBool>,
    /// Progress in millionths (0..=1_000_000).
    progress: Arc<AtomicU32>,
}

impl JobContext {
    /// Whether the caller asked the work to stop; long work checks it between steps.
    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    /// Reports how far the work is, 0.0..=1.0.
    pub fn set_progress(&self, fraction: f64) {
        let millionths = (fraction.clamp(0.0, 1.0) * 1e6) as u32;
        self.progress.store(millionths, Ordering::Relaxed);
    }
}

/// Where a job is, as seen by its caller.
#[derive(Debug, PartialEq)]
pub enum JobState<T> {
    /// Still working.
    Running,
    /// The answer, handed over once.
    Done(T),
    /// The work ended without an answer (it panicked), or the answer was already taken.
    Lost,
}

/// One piece of work on its own thread; dropping the job asks the work to stop and does not
/// wait for it.
pub struct Job<T> {
    answer: Receiver<T>,
    ctx: JobContext,
    thread: Option<JoinHandle<()>>,
    taken: bool,
}

impl<T: Send + 'static> Job<T> {
    /// Runs `work` on a thread named `name`; `wake` is called once the answer is ready.
    /// `on_spawn_error` makes the answer when no thread can be started, so the caller always
    /// gets one.
    pub fn spawn(
        name: &str,
        wake: Option<Wake>,
        work: impl FnOnce(&JobContext) -> T + Send + 'static,
        on_spawn_error: impl FnOnce(std::io::Error) -> T,
    ) -> Self {
        let (tx, answer) = crossbeam_channel::bounded(1);
        let ctx = JobContext::default();
        let thread_ctx = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name(name.to_string())
            .spawn(move || {
                let result = work(&thread_ctx);
                let _ = tx.send(result);
                if let Some(wake) = wake {
                    wake();
                }
            });
        let thread = match spawned {
            Ok(t) => Some(t),
            Err(e) => {
                let (tx, rx) = crossbeam_channel::bounded(1);
                let _ = tx.send(on_spawn_error(e));
                return Self {
                    answer: rx,
                    ctx,
                    thread: None,
                    taken: false,
                };
            }
        };
        Self {
            answer,
            ctx,
            thread,
            taken: false,
        }
    }

    /// The answer if it is ready; never blocks.
    pub fn poll(&mut self) -> JobState<T> {
        if self.taken {
            return JobState::Lost;
        }
        match self.answer.try_recv() {
            Ok(v) => {
                self.taken = true;
                JobState::Done(v)
            }
            Err(TryRecvError::Empty) => JobState::Running,
            Err(TryRecvError::Disconnected) => {
                self.taken = true;
                JobState::Lost
            }
        }
    }

    /// Waits for the answer (for a CLI or a test; never from a UI frame). `None` when the
    /// work panicked or the answer was already taken.
    pub fn wait(mut self) -> Option<T> {
        if self.taken {
            return None;
        }
        self.taken = true;
        let v = self.answer.recv().ok();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        v
    }

    /// Asks the work to stop (it checks [`JobContext::cancelled`]); the answer still comes.
    pub fn cancel(&self) {
        self.ctx.cancel.store(true, Ordering::Relaxed);
    }

    /// How far the work says it is, 0.0..=1.0.
    pub fn progress(&self) -> f64 {
        f64::from(self.ctx.progress.load(Ordering::Relaxed)) / 1e6
    }

    /// Asks the work to stop and waits for its thread to end (e.g. before the app closes).
    pub fn cancel_and_join(&mut self) {
        self.cancel();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl<T> Drop for Job<T> {
    fn drop(&mut self) {
        self.ctx.cancel.store(true, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    #[test]
    fn answer_arrives_once_and_wakes_the_caller() {
        let woken = Arc::new(AtomicUsize::new(0));
        let w = Arc::clone(&woken);
        let job = Job::spawn(
            "job-test",
            Some(Arc::new(move || {
                w.fetch_add(1, Ordering::SeqCst);
            })),
            |ctx| {
                ctx.set_progress(0.5);
                21 * 2
            },
            |_| 0,
        );
        assert_eq!(job.wait(), Some(42));
        assert_eq!(woken.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn cancel_reaches_the_work_and_progress_is_read_back() {
        let (go_tx, go_rx) = crossbeam_channel::bounded::<()>(0);
        let mut job = Job::spawn(
            "job-cancel",
            None,
            move |ctx| {
                ctx.set_progress(0.25);
                let _ = go_rx.recv();
                ctx.cancelled()
            },
            |_| false,
        );
        assert_eq!(job.poll(), JobState::Running);
        job.cancel();
        go_tx.send(()).unwrap();
        let cancelled = loop {
            match job.poll() {
                JobState::Running => std::thread::yield_now(),
                JobState::Done(v) => break v,
                JobState::Lost => panic!("answer lost"),
            }
        };
        assert!(cancelled);
        assert!((job.progress() - 0.25).abs() < 1e-6);
        assert_eq!(job.poll(), JobState::Lost, "the answer is handed over once");
    }

    #[test]
    fn a_panicking_job_is_lost_not_hung() {
        let job: Job<u8> = Job::spawn("job-panic", None, |_| panic!("boom"), |_| 0);
        assert_eq!(job.wait(), None);
    }
}
