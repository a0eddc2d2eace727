//! Motion analysis: one thread per camera that decodes at reduced size, runs the motion
//! detector over the camera's zones a few times a second, and sends activity to the camera's
//! recorder through the event bus. It takes what ingest can spare and never slows recording.

pub mod status;

use std::collections::HashMap;
use std::thread::JoinHandle;
use std::time::Instant;

use crossbeam_channel::{select, Receiver};

use crate::detect::{
    Detection, DetectorConfig, GrayFrame, MotionChange, MotionDetector, ZoneSpec, FRAME_ZONE_ID,
};
use crate::events::{Activity, EventBus};
use crate::media::decode::GrayDecoder;
use crate::media::MediaError;
use crate::model::EventSource;
use crate::packet::{Packet, StreamEvent};
use status::AnalysisPublisher;

/// Width of the grey frames analyzed, and of event thumbnails.
pub const ANALYSIS_WIDTH: u32 = 320;
pub const THUMBNAIL_WIDTH: u32 = 320;

#[derive(Debug, Clone)]
pub struct AnalyzerConfig {
    pub camera_name: String,
    /// Frames analyzed per second of video (default 5).
    pub fps: f64,
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

pub fn spawn(
    cfg: AnalyzerConfig,
    packets: Receiver<StreamEvent>,
    control: Receiver<AnalyzerCommand>,
    bus: EventBus,
    status: AnalysisPublisher,
) -> std::io::Result<JoinHandle<()>> {
    std::thread::Builder::new()
        .name(format!("analyze-{}", cfg.camera_name))
        .spawn(move || Analyzer::new(cfg, bus, status).run(&packets, &control))
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
}

impl Analyzer {
    fn new(cfg: AnalyzerConfig, bus: EventBus, status: AnalysisPublisher) -> Self {
        Self {
            detector: MotionDetector::new(cfg.zones.clone(), cfg.detector),
            cfg,
            bus,
            status,
            decoder: None,
            next_due_us: i64::MIN,
            ongoing: HashMap::new(),
            last_us: 0,
        }
    }

    fn run(mut self, packets: &Receiver<StreamEvent>, control: &Receiver<AnalyzerCommand>) {
        loop {
            select! {
                recv(packets) -> ev => match ev {
                    Ok(StreamEvent::Started(info)) => {
                        self.end_all();
                        self.detector = MotionDetector::new(self.cfg.zones.clone(), self.cfg.detector);
                        self.decoder = match GrayDecoder::new(&info, ANALYSIS_WIDTH) {
                            Ok(d) => {
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
                    Err(_) => break,
                },
                recv(control) -> cmd => match cmd {
                    Ok(AnalyzerCommand::SetZones(zones)) => {
                        self.detector.set_zones(zones.clone());
                        self.cfg.zones = zones;
                    }
                    Err(_) => break,
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
        for change in detection.changes {
            self.publish(change, received);
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
        let now = Instant::now();
        for change in self.detector.finish_all() {
            self.publish(change, now);
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
