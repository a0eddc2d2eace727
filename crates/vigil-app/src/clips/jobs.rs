//! The clip library's archive jobs in flight: at most one list read, one batch of thumbnails
//! and one change (protect, deletion summary, delete) at a time, each polled once a frame
//! and never waited on.

use std::collections::HashSet;

use super::filter::ClipFilter;
use vigil_core::model::Event;
use vigil_core::service::{
    Archive, EventDeletion, EventList, EventListRequest, Job, JobState, ServiceError, Thumbnails,
    Wake,
};

/// What a lost job was doing: completes the engine's English `JobLost` sentence (engine
/// words, like the error it is part of).
const JOB_LISTING_THE_EVENTS: &str = "listing the events"; // i18n-ignore
const JOB_THE_CHANGE: &str = "the change"; // i18n-ignore
const JOB_READING_THE_EVENT: &str = "reading the event"; // i18n-ignore
const JOB_DELETING_THE_EVENT: &str = "deleting the event"; // i18n-ignore

type Answer<T> = Result<T, ServiceError>;

/// A change asked of the archive, with what it is about.
pub enum Pending {
    Protect(i64, Job<Answer<bool>>),
    AskDelete(Event, Job<Answer<EventDeletion>>),
    Delete(Event, Job<Answer<EventDeletion>>),
}

/// A change that finished.
pub enum Done {
    Protected(i64, Answer<bool>),
    Deletion(Event, Answer<EventDeletion>),
    Deleted(Event, Answer<EventDeletion>),
}

#[derive(Default)]
pub struct ArchiveJobs {
    /// The list being read, and the filter it was asked for.
    listing: Option<(ClipFilter, Job<Answer<EventList>>)>,
    /// The thumbnails being decoded, by event id.
    decoding: Option<(HashSet<i64>, Job<Thumbnails>)>,
    change: Option<Pending>,
}

/// The answer of `job` if it has come; a job that ended without one answers `lost`.
fn poll<T: Send + 'static>(job: &mut Job<T>, lost: impl FnOnce() -> T) -> Option<T> {
    match job.poll() {
        JobState::Running => None,
        JobState::Done(v) => Some(v),
        JobState::Lost => Some(lost()),
    }
}

fn lost<T>(what: &'static str) -> Answer<T> {
    Err(ServiceError::ArchiveJobLost { what })
}

impl ArchiveJobs {
    pub fn is_busy(&self) -> bool {
        self.listing.is_some() || self.decoding.is_some() || self.change.is_some()
    }

    pub fn is_listing(&self) -> bool {
        self.listing.is_some()
    }

    pub fn list(
        &mut self,
        archive: &Archive,
        filter: ClipFilter,
        request: EventListRequest,
        wake: &Wake,
    ) {
        self.listing = Some((filter, archive.events(request, Some(wake.clone()))));
    }

    /// The list, once read, with the filter it was asked for.
    pub fn take_list(&mut self) -> Option<(ClipFilter, Answer<EventList>)> {
        let (_, job) = self.listing.as_mut()?;
        let answer = poll(job, || lost(JOB_LISTING_THE_EVENTS))?;
        let (filter, _) = self.listing.take()?;
        Some((filter, answer))
    }

    /// Starts decoding the thumbnails of `wanted` not already being decoded, unless a batch
    /// is still running (the next frame asks again).
    pub fn decode(&mut self, archive: &Archive, mut wanted: Vec<i64>, wake: &Wake) {
        if self.decoding.is_some() || wanted.is_empty() {
            return;
        }
        wanted.sort_unstable();
        wanted.dedup();
        let ids = wanted.iter().copied().collect();
        self.decoding = Some((ids, archive.thumbnails(wanted, Some(wake.clone()))));
    }

    /// Whether `id`'s thumbnail is being decoded.
    pub fn decoding(&self, id: i64) -> bool {
        self.decoding
            .as_ref()
            .is_some_and(|(ids, _)| ids.contains(&id))
    }

    /// Decoded thumbnails, once their batch is done.
    pub fn take_thumbnails(&mut self) -> Thumbnails {
        let Some((_, job)) = self.decoding.as_mut() else {
            return Vec::new();
        };
        let Some(done) = poll(job, Vec::new) else {
            return Vec::new();
        };
        self.decoding = None;
        done
    }

    /// Whether a change is running (one at a time: a click meanwhile is ignored).
    pub fn is_changing(&self) -> bool {
        self.change.is_some()
    }

    pub fn change(&mut self, pending: Pending) {
        self.change = Some(pending);
    }

    /// The change, once it is done.
    pub fn take_change(&mut self) -> Option<Done> {
        let done = match self.change.as_mut()? {
            Pending::Protect(id, job) => Done::Protected(*id, poll(job, || lost(JOB_THE_CHANGE))?),
            Pending::AskDelete(e, job) => {
                Done::Deletion(e.clone(), poll(job, || lost(JOB_READING_THE_EVENT))?)
            }
            Pending::Delete(e, job) => {
                Done::Deleted(e.clone(), poll(job, || lost(JOB_DELETING_THE_EVENT))?)
            }
        };
        self.change = None;
        Some(done)
    }
}
