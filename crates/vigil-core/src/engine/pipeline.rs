//! One camera's running pipeline: ingest → recorder, plus the motion analyzer (fed by the
//! main stream, or by the sub-stream) while the camera records (for the motion index, and
//! for motion events when its motion makes them), the ingest of its detect
//! sub-stream when it has one (for the analyzer, and for the sub-stream's live view unless
//! the camera has a live sub-stream URL of its own), the ingest of that live sub-stream
//! (live view only: never recorded, never analysed), the live-view taps of both streams,
//! and the camera's ONVIF events thread when ONVIF is on.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use crossbeam_channel::Sender;

use super::status::{CameraStatus, SubStreamStatus};
use super::EngineError;
use crate::analyze::index::IndexTx;
use crate::analyze::objects::pool::DetectorPool;
use crate::analyze::objects::LATE_REPORTS_US;
use crate::analyze::status::{AnalysisPublisher, AnalysisStatus};
use crate::analyze::{self, AnalyzerCommand, AnalyzerConfig, ObjectsPlan};
use crate::detect::{DetectorConfig, ZoneSpec};
use crate::events::onvif::watch::{self as onvif_watch, OnvifStatus, WatchConfig};
use crate::events::EventBus;
use crate::ingest::status::{IngestPublisher, IngestStatus};
use crate::ingest::tap::StreamTap;
use crate::ingest::{self, IngestOutputs};
use crate::model::published::{Published, Publisher};
use crate::model::{Camera, OnvifSettings, Policy};
use crate::packet::StreamEvent;
use crate::record::queue::RecorderTx;
use crate::record::status::{RecordPublisher, RecordStatus};
use crate::record::{self, RecorderConfig};
use crate::source::{SoundMode, SourceConfig};

pub use super::analysis_rules::{
    index_key_frames_only, indexes_key_frames_only, motion_events, motion_from, same_zones,
    wants_analyzer,
};

/// Packets the recorder queue holds: about 20 s of 25 fps video (and at most
/// `record::queue::DEFAULT_MAX_BYTES` of them).
const RECORDER_QUEUE: usize = 512;
/// Packets the analyzer queue holds before ingest skips to the next keyframe for it.
const ANALYZER_QUEUE: usize = 64;
/// Activity messages waiting for a recorder (triggers, motion starts and ends).
const ACTIVITY_QUEUE: usize = 256;

/// What every pipeline shares.
#[derive(Clone)]
pub struct PipelineContext {
    pub data_dir: PathBuf,
    pub connect_timeout: Duration,
    pub read_timeout: Duration,
    pub realtime_files: bool,
    pub analysis_fps: f64,
    pub sweep_now: Sender<()>,
    pub bus: EventBus,
    /// The object detector threads every camera's analyzer shares.
    pub detectors: DetectorPool,
    /// The engine's motion index writer (`None`: no index, e.g. a benchmark).
    pub motion_index: Option<IndexTx>,
}

pub struct Pipeline {
    pub camera: Camera,
    pub policy: Policy,
    pub zones: Vec<ZoneSpec>,
    /// The camera's ONVIF settings, when ONVIF is on.
    pub onvif: Option<OnvifSettings>,
    /// The camera's own live sub-stream URL, when it has one apart from its detect URL.
    pub live_url: Option<String>,
    /// Object detection, when the camera asks for it.
    pub objects: Option<ObjectsPlan>,
    status: StageStatus,
    stop: Arc<AtomicBool>,
    threads: Vec<JoinHandle<()>>,
    analyzer: Option<Sender<AnalyzerCommand>>,
    /// Its analyzer makes motion events (see [`motion_events`]).
    events: bool,
}

/// The live-view taps a pipeline's ingest feeds: the main stream's, and the sub-stream's
/// when the camera has a live sub-stream URL or a detect sub-stream.
pub struct LiveTaps {
    pub main: Arc<StreamTap>,
    pub sub: Option<Arc<StreamTap>>,
    /// The URL feeding `sub` when it is not the detect sub-stream.
    pub live_url: Option<String>,
}

/// A started motion analyzer: its control channel, its packet feed and its status.
struct Analyzer {
    control: Sender<AnalyzerCommand>,
    feed: Sender<StreamEvent>,
    status: Published<AnalysisStatus>,
}

impl Pipeline {
    /// Starts the camera's threads: the recorder, the analyzer when the camera needs one,
    /// the sub-stream's ingest when it has a detect URL (feeding the analyzer, if any, and
    /// the sub-stream's live tap), and the main stream's ingest (feeding the recorder, the
    /// main live tap, and the analyzer when there is no sub-stream), and the ONVIF events
    /// thread when `onvif` is on.
    pub fn start(
        ctx: &PipelineContext,
        cam: &Camera,
        policy: Policy,
        zones: Vec<ZoneSpec>,
        onvif: Option<OnvifSettings>,
        live: LiveTaps,
        objects: Option<ObjectsPlan>,
    ) -> Result<Self, EngineError> {
        let stop = Arc::new(AtomicBool::new(false));
        let name = cam.name.as_str();
        let mut threads = Vec::new();
        let ingest_status = IngestPublisher::new(IngestStatus::default());
        let motion = motion_from(onvif.as_ref());
        // Object events are confirmed seconds after the motion that led to them began.
        let late_reports_us = if objects.is_some() && motion.from_vigil() {
            LATE_REPORTS_US
        } else {
            0
        };
        let (recorder_tx, record) =
            start_recorder(ctx, cam, &policy, late_reports_us, &mut threads)?;
        let events = motion_events(&policy, &zones, motion);
        let (control, analysis, mut main_feed) = if wants_analyzer(&policy) {
            let plan = AnalyzerPlan {
                camera_id: cam.id,
                name,
                zones: &zones,
                events,
                key_frames_only: index_key_frames_only(events, cam),
                objects: objects.clone(),
            };
            let a = start_analyzer(ctx, plan, &mut threads)?;
            (Some(a.control), Some(a.status), Some(a.feed))
        } else {
            (None, None, None)
        };
        // The sub tap's own ingest when the camera has a live URL; the detect sub-stream's
        // tap otherwise.
        let (live_tap, detect_tap) = match &live.live_url {
            Some(_) => (live.sub, None),
            None => (None, live.sub),
        };
        let live_status = match (&live.live_url, live_tap) {
            (Some(url), Some(tap)) => {
                let sub = SubIngest::new("live", url, None, Some(tap));
                Some(sub.start(ctx, cam, &stop, &mut threads)?)
            }
            _ => None,
        };
        // The detect sub-stream runs when it has someone to feed: the analyzer (which then
        // looks at it instead of the main stream) or the sub-stream's live tap.
        let detect = match &cam.detect_url {
            Some(url) if main_feed.is_some() || detect_tap.is_some() => {
                let sub = SubIngest::new("sub", url, main_feed.take(), detect_tap);
                Some(sub.start(ctx, cam, &stop, &mut threads)?)
            }
            _ => None,
        };
        // `sub` is the stream behind the sub-stream tap; the detect sub-stream apart from it
        // only when it feeds the analyzer alone.
        let (sub, detect) = match live_status {
            Some(live) => (Some(live), detect),
            None => (detect, None),
        };
        let outs = IngestOutputs {
            recorder: Some(recorder_tx),
            analyzer: main_feed,
            live: Some(live.main),
        };
        let mut src = source_config(ctx, &cam.url, cam);
        // The main stream carries the camera's sound (sub-streams ignore it): delivered when
        // the camera's sound is on, else only reported in the status.
        src.sound = if cam.audio {
            SoundMode::Deliver
        } else {
            SoundMode::Report
        };
        let status = StageStatus {
            masked_url: cam.masked_url(),
            ingest: ingest_status.reader(),
            record,
            analysis,
            sub,
            detect,
            onvif: match &onvif {
                Some(o) => start_onvif(ctx, cam, o, &stop, &mut threads)?,
                None => None,
            },
        };
        threads.insert(
            0,
            ingest::spawn(name, src, outs, ingest_status, Arc::clone(&stop))?,
        );
        tracing::info!(camera = %cam.name, url = %cam.masked_url(), motion = control.is_some(),
            sub_stream = status.sub.is_some(), live_url = live.live_url.is_some(), onvif = status.onvif.is_some(), "camera started");
        Ok(Self {
            camera: cam.clone(),
            policy,
            zones,
            onvif,
            live_url: live.live_url,
            objects,
            status,
            stop,
            threads,
            analyzer: control,
            events,
        })
    }

    /// The camera's status as its stages last published it.
    pub fn status(&self) -> CameraStatus {
        CameraStatus {
            display_name: self.camera.display_name.to_string(),
            mode: Some(self.policy.mode),
            analyzing: self.events,
            ..self.status.snapshot(self.camera.name.as_str())
        }
    }

    /// Where the camera's ingest and recorder publish their states (for the gap watcher).
    pub(super) fn stage_readers(&self) -> (Published<IngestStatus>, Published<RecordStatus>) {
        (self.status.ingest.clone(), self.status.record.clone())
    }

    pub fn has_analyzer(&self) -> bool {
        self.analyzer.is_some()
    }

    /// Its analyzer makes motion events (see [`motion_events`]).
    pub fn makes_motion_events(&self) -> bool {
        self.events
    }

    /// New zones for the running analyzer, without a restart.
    pub fn set_zones(&mut self, zones: Vec<ZoneSpec>) {
        if let Some(ctl) = &self.analyzer {
            let _ = ctl.send_timeout(
                AnalyzerCommand::SetZones(zones.clone()),
                Duration::from_secs(1),
            );
        }
        self.zones = zones;
    }

    /// Asks the threads to wind down (without waiting).
    pub fn signal_stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
    }

    /// Stops ingest; the recorder then finishes and indexes what is open; waits for all.
    pub fn stop(self) {
        self.signal_stop();
        // Ingest threads first: they own the senders, whose closing ends the others.
        for t in self.threads {
            let _ = t.join();
        }
    }
}

/// Where a running camera's stages publish their parts of its status.
struct StageStatus {
    masked_url: String,
    ingest: Published<IngestStatus>,
    record: Published<RecordStatus>,
    analysis: Option<Published<AnalysisStatus>>,
    /// The connection of the stream behind the sub-stream tap (the live URL's, else the
    /// detect sub-stream's), when the camera has one.
    sub: Option<Published<IngestStatus>>,
    /// The detect sub-stream's connection when it feeds the analyzer alone (the camera has
    /// a live URL of its own).
    detect: Option<Published<IngestStatus>>,
    /// The ONVIF events thread's state, when ONVIF is on.
    onvif: Option<Published<OnvifStatus>>,
}

impl StageStatus {
    fn snapshot(&self, name: &str) -> CameraStatus {
        CameraStatus {
            onvif: self.onvif.as_ref().map(Published::snapshot),
            detect: self
                .detect
                .as_ref()
                .map(|d| SubStreamStatus::of(d.snapshot())),
            ..CameraStatus::assemble(
                name,
                &self.masked_url,
                self.ingest.snapshot(),
                self.record.snapshot(),
                self.analysis.as_ref().map(Published::snapshot),
                self.sub.as_ref().map(Published::snapshot),
            )
        }
    }
}

/// Starts the camera's recorder (registered on the event bus for triggers and motion);
/// answers its packet queue and its status.
fn start_recorder(
    ctx: &PipelineContext,
    cam: &Camera,
    policy: &Policy,
    late_reports_us: i64,
    threads: &mut Vec<JoinHandle<()>>,
) -> Result<(RecorderTx, Published<RecordStatus>), EngineError> {
    let name = cam.name.as_str();
    let record_status = RecordPublisher::new(RecordStatus::default());
    let reader = record_status.reader();
    let (tx, rx) = record::queue::bounded(RECORDER_QUEUE, record::queue::DEFAULT_MAX_BYTES);
    let (activity_tx, activity_rx) = crossbeam_channel::bounded(ACTIVITY_QUEUE);
    ctx.bus.register(name, activity_tx);
    let rec_cfg = RecorderConfig {
        camera_id: cam.id,
        camera_name: name.to_string(),
        policy: policy.clone(),
        data_dir: ctx.data_dir.clone(),
        sweep_now: ctx.sweep_now.clone(),
        feed: ctx.bus.feed(),
        late_reports_us,
    };
    threads.push(record::spawn(rec_cfg, rx, activity_rx, record_status)?);
    Ok((tx, reader))
}

/// What a camera's analyzer is started with.
struct AnalyzerPlan<'a> {
    camera_id: i64,
    name: &'a str,
    zones: &'a [ZoneSpec],
    events: bool,
    key_frames_only: bool,
    objects: Option<ObjectsPlan>,
}

/// Starts the camera's motion analyzer.
fn start_analyzer(
    ctx: &PipelineContext,
    plan: AnalyzerPlan<'_>,
    threads: &mut Vec<JoinHandle<()>>,
) -> Result<Analyzer, EngineError> {
    let (feed, arx) = crossbeam_channel::bounded(ANALYZER_QUEUE);
    let (control, ctl_rx) = crossbeam_channel::bounded(8);
    let analysis_status = AnalysisPublisher::new(AnalysisStatus::default());
    let status = analysis_status.reader();
    let cfg = AnalyzerConfig {
        camera_name: plan.name.to_string(),
        camera_id: plan.camera_id,
        events: plan.events,
        index: ctx.motion_index.clone(),
        fps: ctx.analysis_fps,
        key_frames_only: plan.key_frames_only,
        zones: plan.zones.to_vec(),
        detector: DetectorConfig {
            // A key-frame-only analyzer learns the scene at the same pace in time.
            learn_interval_us: if plan.key_frames_only {
                (1e6 / ctx.analysis_fps.max(0.1)) as i64
            } else {
                0
            },
            ..DetectorConfig::default()
        },
        objects: plan.objects,
    };
    threads.push(analyze::spawn(
        cfg,
        arx,
        ctl_rx,
        ctx.bus.clone(),
        analysis_status,
        &ctx.detectors,
    )?);
    Ok(Analyzer {
        control,
        feed,
        status,
    })
}

/// The ingest of one of the camera's sub-streams (its own connection and reconnects, never
/// recorded): the detect sub-stream (`-sub`, feeding the analyzer when there is one and the
/// sub-stream's live tap unless the camera has a live URL) or the live sub-stream (`-live`,
/// feeding the live tap only).
struct SubIngest<'a> {
    suffix: &'static str,
    url: &'a str,
    analyzer: Option<Sender<StreamEvent>>,
    tap: Option<Arc<StreamTap>>,
}

impl<'a> SubIngest<'a> {
    fn new(
        suffix: &'static str,
        url: &'a str,
        analyzer: Option<Sender<StreamEvent>>,
        tap: Option<Arc<StreamTap>>,
    ) -> Self {
        Self {
            suffix,
            url,
            analyzer,
            tap,
        }
    }

    /// Starts its thread (`ingest-<camera>-<suffix>`); answers its status (a sub-stream
    /// part of the camera's).
    fn start(
        self,
        ctx: &PipelineContext,
        cam: &Camera,
        stop: &Arc<AtomicBool>,
        threads: &mut Vec<JoinHandle<()>>,
    ) -> Result<Published<IngestStatus>, EngineError> {
        let outs = IngestOutputs {
            recorder: None,
            analyzer: self.analyzer,
            live: self.tap,
        };
        let status = IngestPublisher::new(IngestStatus::default());
        let reader = status.reader();
        let src = source_config(ctx, self.url, cam);
        let name = format!("{}-{}", cam.name.as_str(), self.suffix);
        threads.push(ingest::spawn(&name, src, outs, status, Arc::clone(stop))?);
        Ok(reader)
    }
}

/// Starts the camera's ONVIF events thread (`onvif-<name>`, stopped with the pipeline);
/// answers its status. A camera whose URL names no host gets a status saying so instead.
fn start_onvif(
    ctx: &PipelineContext,
    cam: &Camera,
    settings: &OnvifSettings,
    stop: &Arc<AtomicBool>,
    threads: &mut Vec<JoinHandle<()>>,
) -> Result<Option<Published<OnvifStatus>>, EngineError> {
    let publisher = Publisher::new(OnvifStatus::new(settings.motion_from));
    let reader = publisher.reader();
    match WatchConfig::for_camera(cam.name.as_str(), &cam.url, settings) {
        Some(cfg) => threads.push(onvif_watch::spawn(
            cfg,
            ctx.bus.clone(),
            publisher,
            Arc::clone(stop),
        )?),
        None => publisher.update(|s| {
            s.state = onvif_watch::OnvifState::Failed;
            s.last_error = Some("the camera's URL names no network address to ask".into());
            s.last_error_us = Some(crate::model::time::now_us());
        }),
    }
    Ok(Some(reader))
}

fn source_config(ctx: &PipelineContext, url: &str, cam: &Camera) -> SourceConfig {
    let mut src = SourceConfig::new(url, cam.transport);
    src.connect_timeout = ctx.connect_timeout;
    src.read_timeout = ctx.read_timeout;
    src.realtime_files = ctx.realtime_files;
    src
}
