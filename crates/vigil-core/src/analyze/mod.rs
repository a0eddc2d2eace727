//! Motion analysis: one thread per camera that decodes at reduced size, runs the motion
//! detector over the camera's zones a few times a second, and sends activity to the camera's
//! recorder through the event bus. It takes what ingest can spare and never slows recording.
//! On a camera with object detection (`objects`), motion only wakes the detector, and
//! events come from confirmed objects. Every recording camera has one, for the motion index
//! (`index`) at least; only cameras whose motion makes events send activity.

pub mod index;
pub mod objects;
pub mod status;

use std::collections::HashMap;
use std::thread::JoinHandle;
use std::time::Instant;

use crossbeam_channel::{select, Receiver};
use objects::pool::{DetectorPool, Reply};
use objects::{Look, ObjectGate, DETECT_WIDTH};

use crate::detect::{
    Detection, DetectorConfig, GrayFrame, MotionChange, MotionDetector, ZoneSpec, FRAME_ZONE_ID,
};
use crate::events::{Activity, EventBus};
use crate::media::decode::GrayDecoder;
use crate::media::MediaError;
use crate::model::EventSource;
use crate::packet::{Packet, StreamEvent};
use index::IndexFeed;
use status::AnalysisPublisher;

/// Width of the grey frames analyzed, and of event thumbnails.
pub const ANALYSIS_WIDTH: u32 = 320;
pub const THUMBNAIL_WIDTH: u32 = 320;

#[derive(Debug, Clone)]
pub struct AnalyzerConfig {
    pub camera_name: String,
    /// The camera's library id (the motion index's rows).
    pub camera_id: i64,
    /// Motion makes events (the camera records events or has detect zones, and its motion
    /// does not come from the camera alone); otherwise the analyzer only keeps the index.
    pub events: bool,
    /// The engine's motion index writer.
    pub index: Option<index::IndexTx>,
    /// Frames analyzed per second of video (default 5).
    pub fps: f64,
    /// Analyse key frames only (the index of a camera without a sub-stream whose motion
    /// makes no events: decoding its main stream in full would cost far more than recording).
    pub key_frames_only: bool,
    pub zones: Vec<ZoneSpec>,
    pub detector: DetectorConfig,
    /// Object detection: events need a confirmed object (see `model::objects`); `None` =
    /// events on motion alone.
    pub objects: Option<ObjectsPlan>,
}

/// A camera's object detection as the analyzer runs it: the camera's settings and the
/// zones with their own object list (zone id → labels; other detect zones use the camera's).
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectsPlan {
    pub settings: crate::model::ObjectSettings,
    pub zone_objects: Vec<(i64, Vec<String>)>,
}

/// Changes for a running analyzer.
#[derive(Debug, Clone)]
pub enum AnalyzerCommand {
    /// New zones take effect on the next analyzed frame; the background model is kept.
    SetZones(Vec<ZoneSpec>),
}

/// Starts a camera's analyzer thread. `detectors` is the engine's shared detector pool,
/// used when `cfg.objects` asks for object detection.
pub fn spawn(
    cfg: AnalyzerConfig,
    packets: Receiver<StreamEvent>,
    control: Receiver<AnalyzerCommand>,
    bus: EventBus,
    status: AnalysisPublisher,
    detectors: &DetectorPool,
) -> std::io::Result<JoinHandle<()>> {
    let detectors = detectors.clone();
    std::thread::Builder::new()
        .name(format!("analyze-{}", cfg.camera_name))
        .spawn(move || Analyzer::new(cfg, bus, status, detectors).run(&packets, &control))
}

/// What the analyzer does with each packet: decodes it, and when a frame is due (`fps`
/// frames per second of video, on a grid kept in `next_due_us`) scales it to grey and runs
/// the detector on it. `Ok(None)` when no frame was analyzed. Shared with the benchmark.
pub fn analyze_packet(
    decoder: &mut GrayDecoder,
    detector: &mut MotionDetector,
    next_due_us: &mut i64,
    fps: f64,
    pkt: &Packet,
) -> Result<Option<Detection>, MediaError> {
    let want = pkt.wall_us >= *next_due_us;
    let Some(gray) = decoder.decode(pkt, want)? else {
        return Ok(None);
    };
    let interval = (1e6 / fps.max(0.1)) as i64;
    // Stay on the grid, but never try to catch up on frames that were skipped.
    *next_due_us = (*next_due_us + interval).max(pkt.wall_us + interval / 2);
    let frame = GrayFrame {
        width: gray.width,
        height: gray.height,
        stride: gray.width,
        data: &gray.data,
    };
    Ok(Some(detector.process(&frame, pkt.wall_us)))
}

struct Analyzer {
    detector: MotionDetector,
    cfg: AnalyzerConfig,
    bus: EventBus,
    status: AnalysisPublisher,
    decoder: Option<GrayDecoder>,
    next_due_us: i64,
    /// Ongoing motion: activity key → zone id.
    ongoing: HashMap<String, i64>,
    last_us: i64,
    /// Object detection, when the camera asks for it.
    objects: Option<ObjectGate>,
    /// The camera's minutes of the motion index.
    index: Option<IndexFeed>,
}

impl Analyzer {
    fn new(
        cfg: AnalyzerConfig,
        bus: EventBus,
        status: AnalysisPublisher,
        detectors: DetectorPool,
    ) -> Self {
        let objects = cfg.objects.clone().filter(|_| cfg.events).map(|plan| {
            ObjectGate::start(
                &cfg.camera_name,
                plan,
                &cfg.zones,
                detectors,
                THUMBNAIL_WIDTH,
            )
        });
        let index = cfg
            .index
            .clone()
            .map(|tx| IndexFeed::new(cfg.camera_id, tx))
            .map(|feed| {
                if cfg.key_frames_only {
                    feed.key_frames_only()
                } else {
                    feed
                }
            });
        let mut analyzer = Self {
            index,
            detector: MotionDetector::new(cfg.zones.clone(), cfg.detector),
            cfg,
            bus,
            status,
            decoder: None,
            next_due_us: i64::MIN,
            ongoing: HashMap::new(),
            last_us: 0,
            objects,
        };
        analyzer.publish_objects_status();
        analyzer
    }

    fn run(mut self, packets: &Receiver<StreamEvent>, control: &Receiver<AnalyzerCommand>) {
        let replies = self
            .objects
            .as_ref()
            .map_or_else(crossbeam_channel::never, |g| g.replies().clone());
        loop {
            select! {
                recv(packets) -> ev => match ev {
                    Ok(StreamEvent::Started(info)) => {
                        self.end_all();
                        self.detector = MotionDetector::new(self.cfg.zones.clone(), self.cfg.detector);
                        self.decoder = match GrayDecoder::new(&info, ANALYSIS_WIDTH) {
                            Ok(mut d) => {
                                if self.cfg.key_frames_only {
                                    d.key_frames_only();
                                }
                                self.status.update(|s| {
                                    s.error = None;
                                    s.error_us = None;
                                });
                                Some(d)
                            }
                            Err(e) => {
                                tracing::error!(camera = %self.cfg.camera_name, error = %e, "motion analysis cannot decode this stream");
                                self.status.update(|s| s.set_error(&e.to_string()));
                                None
                            }
                        };
                    }
                    Ok(StreamEvent::Packet(pkt)) => self.on_packet(&pkt),
                    Ok(StreamEvent::Ended) => self.end_all(),
                    Ok(StreamEvent::Audio(_)) => {}
                    Err(_) => break,
                },
                recv(control) -> cmd => match cmd {
                    Ok(AnalyzerCommand::SetZones(zones)) => {
                        self.detector.set_zones(zones.clone());
                        if let Some(gate) = self.objects.as_mut() {
                            gate.set_zones(&zones);
                        }
                        self.cfg.zones = zones;
                    }
                    Err(_) => break,
                },
                recv(replies) -> reply => {
                    if let Ok(reply) = reply {
                        self.on_reply(reply);
                    }
                }
            }
        }
        self.end_all();
    }

    fn on_packet(&mut self, pkt: &Packet) {
        let received = Instant::now();
        let Some(decoder) = self.decoder.as_mut() else {
            return;
        };
        if self.cfg.key_frames_only && !pkt.keyframe {
            return;
        }
        let (detector, due) = (&mut self.detector, &mut self.next_due_us);
        let detection = match analyze_packet(decoder, detector, due, self.cfg.fps, pkt) {
            Ok(Some(d)) => d,
            Ok(None) => return,
            Err(e) => {
                tracing::warn!(camera = %self.cfg.camera_name, error = %e, "motion analysis skipped a packet");
                return;
            }
        };
        self.last_us = pkt.wall_us;
        tracing::trace!(camera = %self.cfg.camera_name, changed = detection.frame_changed, rejected = detection.rejected_global, "analyzed a frame");
        self.status.update(|s| s.motion = detection.zones.clone());
        self.index_frame(pkt.wall_us);
        if !self.cfg.events {
            return;
        }
        for change in detection.changes.iter().cloned() {
            self.on_change(change, received);
        }
        self.look_for_objects(&detection, pkt.wall_us, received);
    }

    /// Adds the frame just analysed to the motion index (lights count as no motion).
    fn index_frame(&mut self, at_us: i64) {
        let Some(feed) = self.index.as_mut() else {
            return;
        };
        if feed.frame(at_us, &self.detector.moved_cells()) {
            self.status.update(|s| s.index_dropped += 1);
        }
    }

    /// A motion edge: a motion event, unless object detection makes this camera's events.
    fn on_change(&mut self, change: MotionChange, observed: Instant) {
        let (acts, motion_events) = match self.objects.as_mut() {
            Some(gate) => (gate.on_motion(&change), gate.motion_makes_events()),
            None => (Vec::new(), true),
        };
        self.send_all(acts);
        if motion_events {
            self.publish(change, observed);
        }
    }

    /// Hands the frame to object detection, when the camera has it.
    fn look_for_objects(&mut self, detection: &Detection, at_us: i64, received: Instant) {
        let Some(gate) = self.objects.as_mut() else {
            return;
        };
        let (decoder, motion) = (&mut self.decoder, &self.detector);
        let acts = gate.on_frame(detection, at_us, received, || {
            let picture = decoder.as_mut()?.rgb_picture(DETECT_WIDTH).ok()?;
            Some(Look {
                picture,
                region: motion.changed_region(),
            })
        });
        self.send_all(acts);
        self.publish_objects_status();
    }

    /// An answer from the detector pool.
    fn on_reply(&mut self, reply: Reply) {
        let Some(gate) = self.objects.as_mut() else {
            return;
        };
        let outcome = gate.on_reply(reply);
        self.send_all(outcome.activities);
        // The model cannot be loaded: motion in progress becomes motion events after all.
        for change in outcome.replay {
            self.publish(change, Instant::now());
        }
        self.publish_objects_status();
    }

    fn publish_objects_status(&mut self) {
        if let Some(objects) = self.objects.as_mut().and_then(ObjectGate::take_status) {
            self.status.update(|s| s.objects = Some(objects));
        }
    }

    fn send_all(&self, activities: Vec<Activity>) {
        for activity in activities {
            if let Err(e) = self.bus.send(&self.cfg.camera_name, activity) {
                tracing::warn!(camera = %self.cfg.camera_name, error = %e, "object event not delivered");
            }
        }
    }

    fn publish(&mut self, change: MotionChange, observed: Instant) {
        let activity = match change {
            MotionChange::Started {
                zone_id,
                name,
                at_us,
                score,
            } => {
                let key = format!("zone:{zone_id}");
                self.ongoing.insert(key.clone(), zone_id);
                let thumbnail = self
                    .decoder
                    .as_mut()
                    .and_then(|d| d.thumbnail_jpeg(THUMBNAIL_WIDTH));
                Activity::Begin {
                    key,
                    source: EventSource::Motion,
                    label: if zone_id == FRAME_ZONE_ID {
                        "motion".into()
                    } else {
                        format!("motion in {name}")
                    },
                    zone_id: (zone_id != FRAME_ZONE_ID).then_some(zone_id),
                    start_us: at_us,
                    end_us: None,
                    score,
                    thumbnail,
                    object_box: None,
                    observed,
                }
            }
            MotionChange::Ended {
                zone_id,
                at_us,
                peak,
                ..
            } => {
                let key = format!("zone:{zone_id}");
                self.ongoing.remove(&key);
                Activity::End {
                    key,
                    end_us: at_us,
                    peak,
                }
            }
        };
        if let Err(e) = self.bus.send(&self.cfg.camera_name, activity) {
            tracing::warn!(camera = %self.cfg.camera_name, error = %e, "motion event not delivered");
        }
    }

    /// The stream ended or restarted: motion in progress ends when it was last seen (or, for
    /// anything the detector no longer knows, at the last analyzed frame).
    fn end_all(&mut self) {
        if self.index.as_mut().is_some_and(IndexFeed::flush) {
            self.status.update(|s| s.index_dropped += 1);
        }
        let now = Instant::now();
        for change in self.detector.finish_all() {
            if self.cfg.events {
                self.on_change(change, now);
            }
        }
        if let Some(gate) = self.objects.as_mut() {
            let acts = gate.finish();
            self.send_all(acts);
            self.publish_objects_status();
        }
        for (key, _) in self.ongoing.drain() {
            let _ = self.bus.send(
                &self.cfg.camera_name,
                Activity::End {
                    key,
                    end_us: self.last_us,
                    peak: 0.0,
                },
            );
        }
        self.decoder = None;
        self.status.update(|s| s.motion.clear());
    }
}
