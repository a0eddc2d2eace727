//! The detector pool shared by every camera: a few threads (sized to the machine) that load
//! each model once, on first use, and run detections for every camera's analyzer. Requests
//! wait in one bounded queue that drops the oldest when full (the requesting camera counts
//! it); answers go back on the requesting analyzer's own bounded channel, never blocking.
//! Recording is never slowed: an analyzer only ever `submit`s, which never waits.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crossbeam_channel::Sender;

use super::crop::Crop;
use super::queue::DropOldest;
use crate::media::decode::RgbPicture;
use crate::model::DetectorModel;
use crate::objects::{self, Found, ObjectDetector, RgbFrame};

/// Most detector threads, whatever the machine.
const MAX_THREADS: usize = 4;
/// Requests queued per detector thread before the oldest is dropped.
const QUEUE_PER_THREAD: usize = 2;
/// Smallest queue.
const MIN_QUEUE: usize = 4;

/// How many detector threads suit this machine: one core is left to ingest, recording and
/// motion analysis (at least 1, at most [`MAX_THREADS`]).
pub fn threads_for_machine() -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    cores.saturating_sub(1).clamp(1, MAX_THREADS)
}

/// One picture to look at, for one camera.
pub struct Request {
    pub detector: Arc<dyn ObjectDetector>,
    /// The analyzer's picture (shared: the analyzer keeps it for the event's thumbnail).
    pub picture: Arc<RgbPicture>,
    /// Where to look, when not the whole picture.
    pub crop: Option<Crop>,
    pub min_score: f32,
    /// The picture's time (UTC µs) and the zones with motion in it, handed back as asked.
    pub at_us: i64,
    pub zones: Vec<i64>,
    /// When the analyzer received the packet of this picture (for the event latency).
    pub received: Instant,
    /// Where the answer goes, and the camera's count of requests that got none.
    pub reply: Sender<Reply>,
    pub dropped: Arc<AtomicU64>,
}

impl Request {
    fn drop_unanswered(&self) {
        self.dropped.fetch_add(1, Ordering::Relaxed);
    }
}

/// What a detection found, in whole-picture coordinates.
pub struct Findings {
    pub found: Vec<Found>,
    pub picture: Arc<RgbPicture>,
    pub at_us: i64,
    pub zones: Vec<i64>,
    pub received: Instant,
    /// Time the detector took.
    pub took: Duration,
}

/// An answer to an analyzer.
pub enum Reply {
    /// The model is loaded (or was already): use this detector.
    Ready(Arc<dyn ObjectDetector>),
    /// The model cannot be loaded, in words.
    Failed(String),
    Found(Findings),
    /// The detector failed on this picture, in words.
    Error(String),
}

/// A model loaded or being loaded, and the analyzers waiting for it.
enum Slot {
    Loading(Vec<Sender<Reply>>),
    Ready(Arc<dyn ObjectDetector>),
}

struct State {
    requests: DropOldest<Request>,
    loads: Vec<DetectorModel>,
    models: Vec<(DetectorModel, Slot)>,
    started: bool,
    stop: bool,
}

struct Shared {
    state: Mutex<State>,
    wake: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A worker that panicked while holding the lock left the state consistent enough
        // (each change is one push or pop): keep going.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Owns the threads: the last handle dropped stops and joins them.
struct Owner {
    shared: Arc<Shared>,
    threads: usize,
    handles: Mutex<Vec<JoinHandle<()>>>,
}

impl Drop for Owner {
    fn drop(&mut self) {
        self.shared.lock().stop = true;
        self.shared.wake.notify_all();
        let handles = std::mem::take(&mut *self.handles.lock().unwrap_or_else(|e| e.into_inner()));
        for h in handles {
            let _ = h.join();
        }
    }
}

/// The engine's detector pool. Cheap to clone; threads start with the first model asked for.
#[derive(Clone)]
pub struct DetectorPool {
    owner: Arc<Owner>,
}

impl std::fmt::Debug for DetectorPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DetectorPool({} threads)", self.owner.threads)
    }
}

impl Default for DetectorPool {
    fn default() -> Self {
        Self::new(threads_for_machine())
    }
}

impl DetectorPool {
    /// A pool of `threads` detector threads (at least 1), started on first use.
    pub fn new(threads: usize) -> Self {
        let threads = threads.max(1);
        let state = State {
            requests: DropOldest::new((threads * QUEUE_PER_THREAD).max(MIN_QUEUE)),
            loads: Vec::new(),
            models: Vec::new(),
            started: false,
            stop: false,
        };
        Self {
            owner: Arc::new(Owner {
                shared: Arc::new(Shared {
                    state: Mutex::new(state),
                    wake: Condvar::new(),
                }),
                threads,
                handles: Mutex::new(Vec::new()),
            }),
        }
    }

    pub fn threads(&self) -> usize {
        self.owner.threads
    }

    /// Asks for `model`: `reply` gets [`Reply::Ready`] or [`Reply::Failed`], at once when it
    /// is already loaded, else once a pool thread has loaded it (each model is loaded once;
    /// a failed load is tried again by the next camera that asks).
    pub fn load(&self, model: &DetectorModel, reply: &Sender<Reply>) {
        let shared = &self.owner.shared;
        let mut st = shared.lock();
        if let Err(e) = self.start_threads(&mut st) {
            drop(st);
            let _ = reply.try_send(Reply::Failed(e));
            return;
        }
        match st.models.iter_mut().find(|(m, _)| m == model) {
            Some((_, Slot::Ready(d))) => {
                let _ = reply.try_send(Reply::Ready(Arc::clone(d)));
            }
            Some((_, Slot::Loading(waiting))) => waiting.push(reply.clone()),
            None => {
                st.models
                    .push((model.clone(), Slot::Loading(vec![reply.clone()])));
                st.loads.push(model.clone());
                shared.wake.notify_one();
            }
        }
    }

    /// Queues a detection; never waits. When the queue is full its oldest request is
    /// dropped (and counted by its camera).
    pub fn submit(&self, request: Request) {
        let shared = &self.owner.shared;
        let dropped = shared.lock().requests.push(request);
        shared.wake.notify_one();
        if let Some(old) = dropped {
            old.drop_unanswered();
        }
    }

    fn start_threads(&self, st: &mut State) -> Result<(), String> {
        if st.started {
            return Ok(());
        }
        let mut handles = self.owner.handles.lock().unwrap_or_else(|e| e.into_inner());
        for i in 0..self.owner.threads {
            let shared = Arc::clone(&self.owner.shared);
            let spawned = std::thread::Builder::new()
                .name(format!("detect-{i}"))
                .spawn(move || work(&shared));
            match spawned {
                Ok(h) => handles.push(h),
                Err(e) if handles.is_empty() => {
                    return Err(format!("the detector threads cannot be started: {e}"));
                }
                Err(e) => tracing::warn!(error = %e, "fewer detector threads than planned"),
            }
        }
        st.started = true;
        tracing::info!(threads = handles.len(), "object detector threads started");
        Ok(())
    }
}

enum Job {
    Load(DetectorModel),
    Detect(Request),
}

/// A detector thread: loads first (an analyzer waits on them), then detections, until the
/// pool is dropped.
fn work(shared: &Shared) {
    loop {
        let job = {
            let mut st = shared.lock();
            loop {
                if st.stop {
                    return;
                }
                if let Some(m) = st.loads.pop() {
                    break Job::Load(m);
                }
                if let Some(r) = st.requests.pop() {
                    break Job::Detect(r);
                }
                st = shared.wake.wait(st).unwrap_or_else(|e| e.into_inner());
            }
        };
        match job {
            Job::Load(model) => load(shared, model),
            Job::Detect(request) => detect(request),
        }
    }
}

fn load(shared: &Shared, model: DetectorModel) {
    let started = Instant::now();
    let loaded = catch_unwind(|| objects::load(&model))
        .unwrap_or_else(|_| Err(panicked("loading the model")))
        .map_err(|e| e.to_string());
    let mut st = shared.lock();
    let Some(i) = st.models.iter().position(|(m, _)| *m == model) else {
        return;
    };
    let waiting = match (&loaded, &mut st.models[i].1) {
        (_, Slot::Loading(w)) => std::mem::take(w),
        (_, Slot::Ready(_)) => Vec::new(),
    };
    match loaded {
        Ok(detector) => {
            tracing::info!(detector = %detector.describe(), ms = started.elapsed().as_millis() as u64, "object detector loaded");
            for w in &waiting {
                let _ = w.try_send(Reply::Ready(Arc::clone(&detector)));
            }
            st.models[i].1 = Slot::Ready(detector);
        }
        Err(why) => {
            st.models.remove(i);
            drop(st);
            for w in &waiting {
                let _ = w.try_send(Reply::Failed(why.clone()));
            }
        }
    }
}

fn panicked(what: &str) -> objects::ObjectError {
    objects::ObjectError::Inference(format!("the detector stopped unexpectedly while {what}"))
}

/// Runs one detection and answers it (or counts it dropped when the analyzer is behind).
fn detect(request: Request) {
    let started = Instant::now();
    let result = catch_unwind(AssertUnwindSafe(|| find(&request)))
        .unwrap_or_else(|_| Err(panicked("looking at a picture")));
    let reply = match result {
        Ok(found) => Reply::Found(Findings {
            found,
            picture: Arc::clone(&request.picture),
            at_us: request.at_us,
            zones: request.zones.clone(),
            received: request.received,
            took: started.elapsed(),
        }),
        Err(e) => Reply::Error(e.to_string()),
    };
    if request.reply.try_send(reply).is_err() {
        request.drop_unanswered();
    }
}

/// The request's objects, with boxes as fractions of the whole picture.
fn find(r: &Request) -> Result<Vec<Found>, objects::ObjectError> {
    let pic = &r.picture;
    let frame = RgbFrame::new(pic.width, pic.height, &pic.data)?;
    let Some(crop) = r.crop else {
        return r.detector.detect(&frame, r.min_score);
    };
    let data = frame.crop(crop.x, crop.y, crop.w, crop.h);
    let part = RgbFrame::new(crop.w, crop.h, &data)?;
    let mut found = r.detector.detect(&part, r.min_score)?;
    for f in &mut found {
        f.bbox = crop.to_picture(&f.bbox, pic.width, pic.height);
    }
    Ok(found)
}

#[cfg(test)]
#[path = "pool_tests.rs"]
mod tests;
