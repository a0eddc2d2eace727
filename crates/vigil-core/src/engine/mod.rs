//! The engine: owns one pipeline (ingest thread → recorder thread, and the sub-streams'
//! ingests (detect, live) when the camera has them, and its ONVIF events thread when ONVIF
//! is on) per
//! enabled camera, the retention sweeper and the
//! background reconciler; offers a status snapshot and a clean shutdown that finishes and
//! indexes every open segment.

mod analysis_rules;
mod gap_watch;
mod housekeeping;
mod pipeline;
pub mod status;

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender};

use crate::analyze::index::IndexWriter;
use crate::analyze::objects::pool::DetectorPool;
use crate::analyze::ObjectsPlan;
use crate::events::EventBus;
use crate::library::disk::{disk_space, free_floor, DiskSpace};
use crate::library::lock::RecorderLock;
use crate::library::{Library, LibraryError};
use crate::live::{LiveError, LiveHandle, LiveHub, LiveStream, Repaint};
use crate::model::Camera;
pub use pipeline::indexes_key_frames_only;
use pipeline::{
    motion_events, motion_from, same_zones, wants_analyzer, LiveTaps, Pipeline, PipelineContext,
};
use status::{CameraStatus, ConnState};

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Library(#[from] LibraryError),
    #[error("cannot start a thread: {0}")]
    Thread(#[from] std::io::Error),
    #[error(transparent)]
    Live(#[from] LiveError),
}

/// How the engine runs.
#[derive(Debug, Clone)]
pub struct EngineOptions {
    pub data_dir: PathBuf,
    /// Free space to keep on the data disk; `None` uses 2 % of the disk (0.5–20 GiB, at
    /// most 10 % of the disk): [`crate::library::disk::default_floor`].
    pub min_free_bytes: Option<u64>,
    pub sweep_every: Duration,
    /// Pace local files like live cameras (off only for benchmarks).
    pub realtime_files: bool,
    pub connect_timeout: Duration,
    pub read_timeout: Duration,
    /// Frames per second the motion analyzer looks at (default 5).
    pub analysis_fps: f64,
    /// Make what the recorder creates readable by its group (folders 0750, files 0640)
    /// instead of 0700 / 0600 (`--group-read`; [`crate::library::perms::set_group_read`]).
    /// Off by default. Group members can read the cameras' passwords in the database.
    pub group_read: bool,
}

impl EngineOptions {
    pub fn new(data_dir: PathBuf) -> Self {
        Self {
            data_dir,
            min_free_bytes: None,
            sweep_every: Duration::from_secs(60),
            realtime_files: true,
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(10),
            analysis_fps: 5.0,
            group_read: false,
        }
    }
}

/// A snapshot for the CLI or GUI.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct EngineStatus {
    pub cameras: Vec<CameraStatus>,
    pub disk_total: u64,
    pub disk_available: u64,
    /// The MQTT broker connection, when MQTT is on (filled in by the host).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mqtt: Option<crate::events::mqtt::MqttStatus>,
}

/// What [`Engine::apply_config`] changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConfigChanges {
    pub started: Vec<String>,
    pub stopped: Vec<String>,
    pub restarted: Vec<String>,
}

impl ConfigChanges {
    pub fn is_empty(&self) -> bool {
        self.started.is_empty() && self.stopped.is_empty() && self.restarted.is_empty()
    }
}

pub struct Engine {
    opts: EngineOptions,
    stop: Arc<AtomicBool>,
    sweep_now: (Sender<()>, Receiver<()>),
    bus: EventBus,
    live: LiveHub,
    pipelines: Vec<Pipeline>,
    /// Cameras configured but disabled, as status entries (they are shown, not run).
    disabled: Vec<CameraStatus>,
    background: Vec<JoinHandle<()>>,
    lib: Library,
    /// The cameras the gap watcher looks at (rewritten with every configuration change).
    watch: gap_watch::WatchList,
    /// Disabled cameras' ids, for the gap watcher ("recording off: disabled").
    disabled_ids: Vec<i64>,
    /// The object detector threads the cameras share (started with the first camera that
    /// detects objects).
    detectors: DetectorPool,
    /// The motion index's writer thread, which every analyzer feeds.
    motion_index: IndexWriter,
    _lock: RecorderLock,
}

impl Engine {
    /// Takes the data directory's recorder lock, settles what a crash left, and starts every
    /// enabled camera. A camera that cannot connect does not stop the others.
    pub fn start(opts: EngineOptions) -> Result<Self, EngineError> {
        crate::library::perms::set_group_read(opts.group_read);
        let started = Instant::now();
        let mut lib = Library::open(&opts.data_dir)?;
        let opened = started.elapsed();
        let lock = RecorderLock::acquire(lib.root())?;
        let report = lib.recover_journal()?;
        let closed = lib.close_dangling_events()?;
        tracing::debug!(
            db_open_ms = opened.as_millis() as u64,
            recovery_ms = (started.elapsed() - opened).as_millis() as u64,
            "library opened"
        );
        if closed > 0 {
            tracing::info!(events = closed, "closed events left open by a crash");
        }
        if report.indexed + report.removed_files > 0 {
            tracing::info!(
                indexed = report.indexed,
                removed = report.removed_files,
                "recovered recordings left open by a crash"
            );
        }
        let opts = EngineOptions {
            data_dir: lib.root().to_path_buf(),
            ..opts
        };
        let stop = Arc::new(AtomicBool::new(false));
        let motion_index = IndexWriter::start(&opts.data_dir)?;
        let mut engine = Self {
            opts,
            stop,
            sweep_now: crossbeam_channel::bounded(1),
            bus: EventBus::new(),
            live: LiveHub::new(),
            pipelines: Vec::new(),
            disabled: Vec::new(),
            background: Vec::new(),
            lib,
            watch: gap_watch::WatchList::default(),
            disabled_ids: Vec::new(),
            detectors: DetectorPool::default(),
            motion_index,
            _lock: lock,
        };
        engine.apply_config()?;
        engine.start_background()?;
        Ok(engine)
    }

    /// Brings the running cameras in line with the library: starts cameras that were added
    /// or enabled, stops those removed or disabled, and restarts those whose URL or policy
    /// changed (their open segment is finished and indexed first). Cheap when nothing changed.
    pub fn apply_config(&mut self) -> Result<ConfigChanges, EngineError> {
        let wanted = self.wanted_cameras()?;
        let mut changes = ConfigChanges::default();
        self.stop_changed(&wanted, &mut changes);
        let ctx = self.pipeline_context();
        for w in wanted {
            if self.pipelines.iter().any(|p| p.camera.id == w.cam.id) {
                continue;
            }
            if !changes.restarted.iter().any(|n| n == w.cam.name.as_str()) {
                changes.started.push(w.cam.name.to_string());
            }
            let taps = self.live_taps(&w.cam, w.live_url.clone());
            self.pipelines.push(Pipeline::start(
                &ctx, &w.cam, w.policy, w.zones, w.onvif, taps, w.objects,
            )?);
        }
        self.pipelines
            .sort_by(|a, b| a.camera.name.cmp(&b.camera.name));
        // Tells `vigil camera remove` (another process) which cameras still record.
        let running: Vec<i64> = self.pipelines.iter().map(|p| p.camera.id).collect();
        self.lib.set_running_cameras(&running)?;
        self.update_watch_list();
        Ok(changes)
    }

    /// Tells the gap watcher which cameras run, in which mode, and where their stages
    /// publish their states.
    fn update_watch_list(&self) {
        gap_watch::publish(&self.watch, &self.pipelines, &self.disabled_ids, &self.lib);
    }

    /// The enabled cameras as the library has them now (a paused camera with mode Off); the
    /// disabled ones become status entries.
    fn wanted_cameras(&mut self) -> Result<Vec<Wanted>, EngineError> {
        let (enabled, disabled): (Vec<_>, Vec<_>) =
            self.lib.cameras()?.into_iter().partition(|c| c.enabled);
        self.disabled = disabled
            .iter()
            .map(|c| CameraStatus {
                conn: ConnState::Disabled,
                display_name: c.display_name.to_string(),
                ..CameraStatus::new(c.name.as_str(), &c.masked_url())
            })
            .collect();
        self.disabled_ids = disabled.iter().map(|c| c.id).collect();
        let mut wanted = Vec::with_capacity(enabled.len());
        for cam in enabled {
            let mut policy = self.lib.policy(cam.id)?;
            // A paused camera stays live and records nothing (MQTT `recording/set OFF`).
            if self.lib.recording_paused(cam.id)? {
                policy.mode = crate::model::RecordMode::Off;
            }
            let zones = self.lib.zones(cam.id)?;
            let onvif = self.lib.onvif(cam.id)?;
            // A live URL that is the detect URL is the detect sub-stream: one ingest serves.
            let live_url = self
                .lib
                .live_url(cam.id)?
                .filter(|u| cam.detect_url.as_ref() != Some(u));
            let objects = self
                .lib
                .camera_objects(cam.id)?
                .map(|settings| ObjectsPlan {
                    settings,
                    zone_objects: Vec::new(),
                });
            let objects = match objects {
                Some(mut plan) => {
                    plan.zone_objects = self.lib.zone_objects(cam.id)?;
                    Some(plan)
                }
                None => None,
            };
            wanted.push(Wanted {
                cam,
                policy,
                zones,
                onvif,
                live_url,
                objects,
            });
        }
        Ok(wanted)
    }

    /// Stops the pipelines of cameras removed, disabled or changed (noting which in
    /// `changes`); a camera whose zones alone changed gets them without a restart.
    fn stop_changed(&mut self, wanted: &[Wanted], changes: &mut ConfigChanges) {
        let mut keep = Vec::with_capacity(self.pipelines.len());
        for mut p in std::mem::take(&mut self.pipelines) {
            let name = p.camera.name.to_string();
            match wanted.iter().find(|w| w.cam.id == p.camera.id) {
                Some(w) if w.runs_as(&p) => {
                    // A new display name needs no restart: the status shows it.
                    p.camera.display_name = w.cam.display_name.clone();
                    if !same_zones(&w.zones, &p.zones) {
                        tracing::info!(camera = %name, "zones changed");
                        p.set_zones(w.zones.clone());
                    }
                    keep.push(p);
                }
                found => {
                    self.bus.unregister(&name);
                    p.stop();
                    // A renamed camera stops under its old name and starts under the new.
                    if found.is_some_and(|w| w.cam.name.as_str() == name) {
                        changes.restarted.push(name);
                    } else {
                        tracing::info!(camera = %name, "camera stopped");
                        self.live.forget(&name);
                        changes.stopped.push(name);
                    }
                }
            }
        }
        self.pipelines = keep;
    }

    /// The live taps a camera's pipeline feeds: a sub-stream tap only while the camera has a
    /// live sub-stream URL or a detect sub-stream (one that lost both has its sub-stream
    /// viewers ended).
    fn live_taps(&self, cam: &Camera, live_url: Option<String>) -> LiveTaps {
        let name = cam.name.as_str();
        let sub = match (&cam.detect_url, &live_url) {
            (None, None) => {
                self.live.forget_stream(name, LiveStream::Sub);
                None
            }
            _ => Some(self.live.tap_of(name, LiveStream::Sub)),
        };
        LiveTaps {
            main: self.live.tap(name),
            sub,
            live_url,
        }
    }

    fn pipeline_context(&self) -> PipelineContext {
        PipelineContext {
            data_dir: self.opts.data_dir.clone(),
            connect_timeout: self.opts.connect_timeout,
            read_timeout: self.opts.read_timeout,
            realtime_files: self.opts.realtime_files,
            analysis_fps: self.opts.analysis_fps,
            sweep_now: self.sweep_now.0.clone(),
            bus: self.bus.clone(),
            detectors: self.detectors.clone(),
            motion_index: Some(self.motion_index.sender()),
        }
    }

    /// The sweeper: a full reconciliation once, then retention every `sweep_every`.
    fn start_background(&mut self) -> Result<(), EngineError> {
        let opts = self.opts.clone();
        let stop = Arc::clone(&self.stop);
        let urgent = self.sweep_now.1.clone();
        let handle = std::thread::Builder::new()
            .name("retention".into())
            .spawn(move || housekeeping::housekeeping(&opts, &stop, &urgent))?;
        self.background.push(handle);
        let watcher = gap_watch::spawn(
            self.opts.data_dir.clone(),
            std::sync::Arc::clone(&self.watch),
            Arc::clone(&self.stop),
        )?;
        self.background.push(watcher);
        Ok(())
    }

    /// The event bus: where triggers and motion reach each camera's recorder.
    pub fn bus(&self) -> EventBus {
        self.bus.clone()
    }

    /// Live view of every running camera; cheap to clone and usable from any thread.
    pub fn live(&self) -> LiveHub {
        self.live.clone()
    }

    /// Starts decoding `camera` at `width`×`height` (see [`LiveHub::watch`]); dropping the
    /// handle stops it.
    pub fn watch(
        &self,
        camera: &str,
        width: u32,
        height: u32,
        repaint: Option<Repaint>,
    ) -> Result<LiveHandle, EngineError> {
        Ok(self.live.watch(camera, width, height, repaint)?)
    }

    pub fn data_dir(&self) -> &std::path::Path {
        &self.opts.data_dir
    }

    /// The free space retention keeps on the data disk, bytes ([`free_floor`]); `None` when
    /// the disk's size cannot be read.
    pub fn min_free_bytes(&self) -> Option<u64> {
        disk_space(&self.opts.data_dir)
            .ok()
            .map(|space| free_floor(self.opts.min_free_bytes, space.total))
    }

    pub fn status(&self) -> EngineStatus {
        let disk = disk_space(&self.opts.data_dir).unwrap_or(DiskSpace {
            total: 0,
            available: 0,
        });
        let mut cameras: Vec<CameraStatus> = self.pipelines.iter().map(|p| p.status()).collect();
        cameras.extend(self.disabled.iter().cloned());
        cameras.sort_by(|a, b| a.name.cmp(&b.name));
        EngineStatus {
            cameras,
            disk_total: disk.total,
            disk_available: disk.available,
            mqtt: None,
        }
    }

    /// Stops every camera, finishing and indexing open segments, and waits for all threads.
    pub fn shutdown(self) {
        // Signal every camera first so they all wind down in parallel, then wait.
        for p in &self.pipelines {
            p.signal_stop();
        }
        for p in self.pipelines {
            p.stop();
        }
        // Every analyzer has ended: the index writer stores what they sent last.
        self.motion_index.finish();
        // Housekeeping last: a recorder finishing its segment on a full disk still gets
        // space freed for its last row.
        self.stop.store(true, Ordering::Relaxed);
        for h in self.background {
            let _ = h.join();
        }
        tracing::info!("engine stopped; all open segments finished");
    }
}

/// An enabled camera as the library has it, with what its pipeline needs.
struct Wanted {
    cam: Camera,
    policy: crate::model::Policy,
    zones: Vec<crate::detect::ZoneSpec>,
    onvif: Option<crate::model::OnvifSettings>,
    /// The camera's own live sub-stream URL, when it has one apart from its detect URL.
    live_url: Option<String>,
    /// Object detection (events need a confirmed object), when the camera asks for it.
    objects: Option<ObjectsPlan>,
}

impl Wanted {
    /// Whether the running pipeline `p` already runs this camera as wanted (zones aside,
    /// which change without a restart).
    fn runs_as(&self, p: &Pipeline) -> bool {
        same_camera(&self.cam, &p.camera)
            && self.policy == p.policy
            && self.onvif == p.onvif
            && self.live_url == p.live_url
            && self.objects == p.objects
            && wants_analyzer(&self.policy) == p.has_analyzer()
            && motion_events(&self.policy, &self.zones, motion_from(self.onvif.as_ref()))
                == p.makes_motion_events()
    }
}

/// Whether two camera rows would be recorded the same way. The name counts: the live view,
/// the event bus and the status all know a pipeline by it, so a rename restarts it; so does
/// the sound setting (the connection sets up, or not, the camera's audio).
fn same_camera(a: &Camera, b: &Camera) -> bool {
    a.url == b.url
        && a.transport == b.transport
        && a.detect_url == b.detect_url
        && a.name == b.name
        && a.audio == b.audio
}
