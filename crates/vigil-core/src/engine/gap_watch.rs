//! The gap watcher: one thread that looks at every camera's state twice a second and logs,
//! on changes only, why a camera is not recording ([`crate::library::gap_log`]: offline with
//! the error, disk full, writes failing, the recorder behind, paused, off, events only), and
//! keeps the recorder's run alive in the library (every 30 s; stopped at a clean stop). It
//! never touches the packet path; a library write that fails is logged and tried again at
//! the next change.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::ingest::status::{ConnState, IngestStatus, WAITING};
use crate::library::gap_log::GapCondition;
use crate::library::Library;
use crate::model::published::Published;
use crate::model::time::now_us;
use crate::model::RecordMode;
use crate::record::status::RecordStatus;

/// How often the cameras' states are looked at.
const LOOK_EVERY: Duration = Duration::from_millis(500);
/// How often the run's "last seen alive" is written.
const ALIVE_EVERY: Duration = Duration::from_secs(30);
/// The recorder counts as behind this long after ingest last had to wait for it.
const OVERLOAD_HOLD_US: i64 = 2_000_000;
/// An error noticed at most this long ago starts the interval when it happened.
const ERROR_BACKDATE_US: i64 = 5_000_000;

/// A camera the engine knows, as the watcher sees it.
#[derive(Clone)]
pub(crate) struct Watched {
    pub camera_id: i64,
    pub mode: RecordMode,
    /// Recording paused (MQTT/HTTP `recording/set OFF`): the mode is then Off.
    pub paused: bool,
    /// The running pipeline's stages; `None` for a disabled camera.
    pub stages: Option<(Published<IngestStatus>, Published<RecordStatus>)>,
}

/// The cameras to watch, rewritten by the engine whenever its cameras change.
pub(crate) type WatchList = Arc<Mutex<Vec<Watched>>>;

/// Rewrites `list` from the running pipelines and the disabled cameras.
pub(super) fn publish(
    list: &WatchList,
    pipelines: &[super::pipeline::Pipeline],
    disabled: &[i64],
    lib: &Library,
) {
    let mut watched: Vec<Watched> = pipelines
        .iter()
        .map(|p| Watched {
            camera_id: p.camera.id,
            mode: p.policy.mode,
            paused: p.policy.mode == RecordMode::Off
                && lib.recording_paused(p.camera.id).unwrap_or(false),
            stages: Some(p.stage_readers()),
        })
        .collect();
    watched.extend(disabled.iter().map(|&camera_id| Watched {
        camera_id,
        mode: RecordMode::Off,
        paused: false,
        stages: None,
    }));
    match list.lock() {
        Ok(mut l) => *l = watched,
        Err(p) => *p.into_inner() = watched,
    }
}

/// What a camera's state says about why it does not record now: conditions with their detail.
pub(crate) fn conditions(
    w: &Watched,
    ingest: Option<&IngestStatus>,
    record: Option<&RecordStatus>,
    overloaded: bool,
) -> Vec<(GapCondition, String)> {
    let mut out = Vec::new();
    let Some(ingest) = ingest else {
        out.push((GapCondition::Disabled, String::new()));
        return out;
    };
    match w.mode {
        RecordMode::Off if w.paused => out.push((GapCondition::Paused, String::new())),
        RecordMode::Off => out.push((GapCondition::Off, String::new())),
        RecordMode::Events => out.push((GapCondition::EventsOnly, String::new())),
        RecordMode::Continuous | RecordMode::Both => {}
    }
    let error = ingest.last_error.clone();
    match ingest.conn {
        ConnState::Retrying { .. } => {
            out.push((GapCondition::Offline, error.unwrap_or_default()));
        }
        ConnState::Waiting => out.push((
            GapCondition::Offline,
            error.unwrap_or_else(|| WAITING.to_string()),
        )),
        // Connecting again after an error: still offline. The first attempt is not.
        ConnState::Connecting => {
            if let Some(error) = error {
                out.push((GapCondition::Offline, error));
            }
        }
        ConnState::Connected | ConnState::Stopped | ConnState::Disabled => {}
    }
    if let Some(record) = record {
        if let Some(err) = &record.error {
            let cond = match record.disk_full {
                true => GapCondition::DiskFull,
                false => GapCondition::WriteFailed,
            };
            out.push((cond, err.clone()));
        }
    }
    if overloaded {
        out.push((GapCondition::Overloaded, String::new()));
    }
    out
}

/// Starts the watcher thread (`gap-watch`); it ends the run in the library when `stop` is set.
pub(crate) fn spawn(
    data_dir: PathBuf,
    list: WatchList,
    stop: Arc<AtomicBool>,
) -> std::io::Result<JoinHandle<()>> {
    std::thread::Builder::new()
        .name("gap-watch".into())
        .spawn(move || {
            let lib = match Library::open(&data_dir) {
                Ok(lib) => lib,
                Err(e) => {
                    tracing::error!(error = %e, "the gap watcher cannot open the library: gaps will not say why");
                    return;
                }
            };
            Watcher::new(lib, list).run(&stop);
        })
}

/// An interval written and still open.
struct Open {
    id: i64,
    detail: String,
}

struct Watcher {
    lib: Library,
    list: WatchList,
    run_id: Option<i64>,
    /// Per camera and condition, what is open in the library.
    open: HashMap<(i64, GapCondition), Open>,
    /// Per camera: the stall count last seen and when it last rose.
    stalls: HashMap<i64, (u64, i64)>,
}

impl Watcher {
    fn new(lib: Library, list: WatchList) -> Self {
        let run_id = lib
            .begin_run(now_us())
            .inspect_err(|e| tracing::warn!(error = %e, "cannot note the recorder's start"))
            .ok();
        Self {
            lib,
            list,
            run_id,
            open: HashMap::new(),
            stalls: HashMap::new(),
        }
    }

    fn run(mut self, stop: &AtomicBool) {
        let mut alive_at = Instant::now() + ALIVE_EVERY;
        while !stop.load(Ordering::Relaxed) {
            self.look();
            if Instant::now() >= alive_at {
                alive_at = Instant::now() + ALIVE_EVERY;
                if let Some(id) = self.run_id {
                    if let Err(e) = self.lib.run_alive(id, now_us()) {
                        tracing::warn!(error = %e, "cannot note the recorder is running");
                    }
                }
            }
            let until = Instant::now() + LOOK_EVERY;
            while Instant::now() < until && !stop.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        if let Some(id) = self.run_id {
            if let Err(e) = self.lib.end_run(id, now_us()) {
                tracing::warn!(error = %e, "cannot note the recorder's clean stop");
            }
        }
    }

    /// One look at every camera: opens what began, closes what ended.
    fn look(&mut self) {
        let now = now_us();
        let watched: Vec<Watched> = self
            .list
            .lock()
            .map(|l| l.clone())
            .unwrap_or_else(|p| p.into_inner().clone());
        let mut wanted: HashMap<(i64, GapCondition), (String, i64)> = HashMap::new();
        for w in &watched {
            let (ingest, record) = match &w.stages {
                Some((i, r)) => (Some(i.snapshot()), Some(r.snapshot())),
                None => (None, None),
            };
            let overloaded = ingest
                .as_ref()
                .is_some_and(|i| self.overloaded(w.camera_id, i.recorder_stalls, now));
            for (cond, detail) in conditions(w, ingest.as_ref(), record.as_ref(), overloaded) {
                let since = match (cond, ingest.as_ref().and_then(|i| i.last_error_us)) {
                    (GapCondition::Offline, Some(at)) if at >= now - ERROR_BACKDATE_US => at,
                    _ => now,
                };
                wanted.insert((w.camera_id, cond), (detail, since.min(now)));
            }
        }
        self.close_ended(&wanted, now);
        for ((camera_id, cond), (detail, since)) in wanted {
            if self.open.contains_key(&(camera_id, cond)) {
                continue;
            }
            match self.lib.open_gap(camera_id, since, cond, &detail) {
                Ok(id) => {
                    self.open.insert((camera_id, cond), Open { id, detail });
                }
                Err(e) => tracing::warn!(error = %e, "cannot note why a camera is not recording"),
            }
        }
    }

    /// Closes the open intervals no longer wanted, or whose detail changed (a new one opens).
    fn close_ended(&mut self, wanted: &HashMap<(i64, GapCondition), (String, i64)>, now: i64) {
        let ended: Vec<(i64, GapCondition)> = self
            .open
            .iter()
            .filter(|(key, open)| wanted.get(key).is_none_or(|(d, _)| *d != open.detail))
            .map(|(key, _)| *key)
            .collect();
        for key in ended {
            if let Some(open) = self.open.get(&key) {
                match self.lib.close_gap(open.id, now) {
                    Ok(()) => {
                        self.open.remove(&key);
                    }
                    Err(e) => tracing::warn!(error = %e, "cannot note a camera recording again"),
                }
            }
        }
    }

    /// Whether ingest had to wait for the camera's recorder in the last moments.
    fn overloaded(&mut self, camera_id: i64, stalls: u64, now: i64) -> bool {
        let entry = self.stalls.entry(camera_id).or_insert((stalls, i64::MIN));
        if stalls > entry.0 {
            *entry = (stalls, now);
        }
        entry.1 != i64::MIN && now - entry.1 <= OVERLOAD_HOLD_US
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn watched(mode: RecordMode, paused: bool) -> Watched {
        Watched {
            camera_id: 1,
            mode,
            paused,
            stages: None,
        }
    }

    fn causes(v: &[(GapCondition, String)]) -> Vec<GapCondition> {
        v.iter().map(|(c, _)| *c).collect()
    }

    #[test]
    fn a_cameras_state_says_why_it_does_not_record() {
        let connected = IngestStatus {
            conn: ConnState::Connected,
            ..IngestStatus::default()
        };
        let ok = RecordStatus::default();
        let w = watched(RecordMode::Continuous, false);
        assert!(conditions(&w, Some(&connected), Some(&ok), false).is_empty());
        assert_eq!(
            conditions(&w, None, None, false),
            vec![(GapCondition::Disabled, String::new())]
        );
        let mut offline = IngestStatus {
            conn: ConnState::Retrying { retry_at_us: 0 },
            ..IngestStatus::default()
        };
        offline.set_error("connection refused by the camera");
        assert_eq!(
            conditions(&w, Some(&offline), Some(&ok), false),
            vec![(
                GapCondition::Offline,
                "connection refused by the camera".to_string()
            )]
        );
        let mut full = RecordStatus::default();
        full.set_error("the disk is full");
        full.disk_full = true;
        let paused = watched(RecordMode::Off, true);
        assert_eq!(
            causes(&conditions(&paused, Some(&connected), Some(&full), true)),
            vec![
                GapCondition::Paused,
                GapCondition::DiskFull,
                GapCondition::Overloaded
            ]
        );
        let events = watched(RecordMode::Events, false);
        assert_eq!(
            causes(&conditions(&events, Some(&connected), Some(&ok), false)),
            vec![GapCondition::EventsOnly]
        );
        assert_eq!(
            causes(&conditions(
                &watched(RecordMode::Off, false),
                Some(&connected),
                None,
                false
            )),
            vec![GapCondition::Off]
        );
    }
}
