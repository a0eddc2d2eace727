//! Polling the engine service's jobs from a frame — the configuration handle's
//! (`vigil_core::service::ConfigStore`: every read and edit answers on a job) and the
//! archive's camera list: each answer is taken once, a job that ended without one answers an
//! error in words, and the window is woken when an answer comes.

use std::sync::Arc;

use vigil_core::service::{Job, JobState, ServiceError, Wake};

/// A service job's answer.
pub type Answer<T> = Result<T, ServiceError>;

/// Repaints the window when a job answers.
pub fn wake(ctx: &egui::Context) -> Wake {
    let ctx = ctx.clone();
    Arc::new(move || ctx.request_repaint())
}

/// The answer of `job` if it has come (`what` names the work if it ended without one).
pub fn poll<T: Send + 'static>(job: &mut Job<Answer<T>>, what: &'static str) -> Option<Answer<T>> {
    match job.poll() {
        JobState::Running => None,
        JobState::Done(answer) => Some(answer),
        JobState::Lost => Some(Err(ServiceError::JobLost { what })),
    }
}
