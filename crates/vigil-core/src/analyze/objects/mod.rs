//! Object detection in a camera's analyzer: while motion is active in a detect zone, a few
//! times a second at most, the analyzer's picture (cropped around the motion when it is
//! small) goes to the shared detector pool; the answers are filtered per zone (wanted label,
//! score, box size, the box's bottom centre inside the zone) and confirmed (2 of the last 3
//! detections) into object events: begun at the motion that led to them, improved when a
//! better sighting comes, ended when the object is gone. Motion alone makes no event on such
//! a camera, unless its model cannot be loaded: then it records on motion, and says why.
//!
//! `pool` (threads, model loading, the drop-oldest `queue`) ← this gate → `zones` (which
//! detections count where), `confirm` (pure confirmation), `crop` (where to look), `thumb`
//! (the event's picture with its box).

pub mod confirm;
pub mod crop;
pub mod pool;
pub mod queue;
pub mod thumb;
pub mod zones;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use crossbeam_channel::{Receiver, Sender};

use super::status::ObjectsStatus;
use super::ObjectsPlan;
use crate::detect::{Detection, MotionChange, Polygon, ZoneSpec, FRAME_ZONE_ID};
use crate::events::Activity;
use crate::media::decode::RgbPicture;
use crate::model::EventSource;
use crate::objects::ObjectDetector;
use confirm::{Confirmer, Gone, Sighting, Verdict};
use pool::{DetectorPool, Findings, Reply, Request};
use zones::{best_in, detect_zones, wanted_labels};

/// Width of the colour picture handed to the detector (the decoded frame scaled, never
/// enlarged): twice the motion analysis width, so a crop around a small region still has
/// detail.
pub const DETECT_WIDTH: u32 = 640;
/// At most one detection request per camera this often (2 a second).
pub const REQUEST_INTERVAL_US: i64 = 500_000;
/// A confirmed object not seen for this long is gone.
pub const HOLD_US: i64 = 5_000_000;
/// An object event starts at the motion that led to it, but no more than this before the
/// object's first sighting (motion that went on for minutes before someone walked in).
pub const OBJECT_LEAD_US: i64 = 5_000_000;
/// How much later than a motion event an object event may be reported (its lead, plus the
/// detections that confirm it): the recorder's pre-event buffer holds this much more.
pub const LATE_REPORTS_US: i64 = OBJECT_LEAD_US + 3_000_000;
/// Answers waiting for the analyzer.
const REPLY_QUEUE: usize = 8;

/// The analyzer's look at the current frame, taken only when a detection is due.
pub struct Look {
    pub picture: RgbPicture,
    /// Where the frame changed (x0, y0, x1, y1 as fractions), if anywhere.
    pub region: Option<[f32; 4]>,
}

/// What an answer from the pool changed.
#[derive(Default)]
pub struct Outcome {
    /// Object events to send to the recorder.
    pub activities: Vec<Activity>,
    /// Motion in progress to report as motion events after all (the model cannot be
    /// loaded: the camera falls back to recording on motion).
    pub replay: Vec<MotionChange>,
}

enum Detector {
    Loading,
    Ready(Arc<dyn ObjectDetector>),
    /// The model cannot be loaded: events come from motion.
    Off,
}

/// Motion in progress in a detect zone.
struct Moving {
    name: String,
    at_us: i64,
    score: f32,
}

/// One camera's object detection, run by its analyzer thread.
pub struct ObjectGate {
    camera: String,
    plan: ObjectsPlan,
    pool: DetectorPool,
    reply_tx: Sender<Reply>,
    replies: Receiver<Reply>,
    detector: Detector,
    zones: Vec<ZoneSpec>,
    moving: HashMap<i64, Moving>,
    confirm: Confirmer<Arc<RgbPicture>>,
    next_request_us: i64,
    dropped: Arc<AtomicU64>,
    status: ObjectsStatus,
    changed: bool,
    /// A detection error was already logged at warning level.
    error_logged: bool,
    /// Width of event thumbnails.
    thumbnail_width: u32,
}

impl ObjectGate {
    /// Starts detection for a camera: asks the pool for its model (loaded off this thread;
    /// the answer arrives on [`ObjectGate::replies`]).
    pub fn start(
        camera: &str,
        plan: ObjectsPlan,
        zones: &[ZoneSpec],
        pool: DetectorPool,
        thumbnail_width: u32,
    ) -> Self {
        let (reply_tx, replies) = crossbeam_channel::bounded(REPLY_QUEUE);
        pool.load(&plan.settings.model, &reply_tx);
        let status = ObjectsStatus {
            wanted: wanted_labels(&plan),
            ..ObjectsStatus::default()
        };
        Self {
            camera: camera.to_string(),
            plan,
            pool,
            reply_tx,
            replies,
            detector: Detector::Loading,
            zones: detect_zones(zones),
            moving: HashMap::new(),
            confirm: Confirmer::default(),
            next_request_us: i64::MIN,
            dropped: Arc::new(AtomicU64::new(0)),
            status,
            changed: true,
            error_logged: false,
            thumbnail_width,
        }
    }

    /// Where the pool's answers arrive: the analyzer hands each to [`ObjectGate::on_reply`].
    pub fn replies(&self) -> &Receiver<Reply> {
        &self.replies
    }

    /// Whether motion makes events on this camera: only when the model cannot be loaded.
    pub fn motion_makes_events(&self) -> bool {
        matches!(self.detector, Detector::Off)
    }

    pub fn set_zones(&mut self, zones: &[ZoneSpec]) {
        self.zones = detect_zones(zones);
    }

    /// A motion event started or ended in a zone (the motion detector's edges). Motion that
    /// ends takes the zone's objects with it.
    pub fn on_motion(&mut self, change: &MotionChange) -> Vec<Activity> {
        match change {
            MotionChange::Started {
                zone_id,
                name,
                at_us,
                score,
            } => {
                let moving = Moving {
                    name: name.clone(),
                    at_us: *at_us,
                    score: *score,
                };
                self.moving.insert(*zone_id, moving);
                Vec::new()
            }
            MotionChange::Ended { zone_id, .. } => {
                self.moving.remove(zone_id);
                // Nothing moves any more: the live view's boxes go.
                if self.moving.is_empty() && !self.status.found.is_empty() {
                    self.status.found.clear();
                    self.changed = true;
                }
                let gone = self.confirm.end_zone(*zone_id);
                self.ended(gone)
            }
        }
    }

    /// An analyzed frame: objects not seen for the hold time are gone, and when motion is
    /// active in a zone and a request is due, `look` takes the picture for the pool.
    pub fn on_frame(
        &mut self,
        detection: &Detection,
        at_us: i64,
        received: Instant,
        look: impl FnOnce() -> Option<Look>,
    ) -> Vec<Activity> {
        let gone = self.confirm.expire(at_us, HOLD_US);
        let acts = self.ended(gone);
        let Detector::Ready(detector) = &self.detector else {
            return acts;
        };
        if detection.rejected_global || at_us < self.next_request_us {
            return acts;
        }
        let zones: Vec<i64> = detection
            .zones
            .iter()
            .filter(|z| z.active && self.moving.contains_key(&z.zone_id))
            .map(|z| z.zone_id)
            .collect();
        if zones.is_empty() {
            return acts;
        }
        let Some(look) = look() else {
            return acts;
        };
        let crop = crop::plan(look.region, look.picture.width, look.picture.height);
        self.pool.submit(Request {
            detector: Arc::clone(detector),
            picture: Arc::new(look.picture),
            crop,
            min_score: self.plan.settings.min_score,
            at_us,
            zones,
            received,
            reply: self.reply_tx.clone(),
            dropped: Arc::clone(&self.dropped),
        });
        self.next_request_us = at_us.saturating_add(REQUEST_INTERVAL_US);
        acts
    }

    /// An answer from the pool: the model loaded (or not), or what a detection found.
    pub fn on_reply(&mut self, reply: Reply) -> Outcome {
        self.changed = true;
        match reply {
            Reply::Ready(detector) => {
                tracing::info!(camera = %self.camera, detector = %detector.describe(), "object detection on");
                self.status.detector = Some(detector.describe());
                self.status.error = None;
                self.detector = Detector::Ready(detector);
                Outcome::default()
            }
            Reply::Failed(why) => self.fall_back(&why),
            Reply::Found(findings) => Outcome {
                activities: self.on_findings(findings),
                replay: Vec::new(),
            },
            Reply::Error(why) => {
                if !self.error_logged {
                    tracing::warn!(camera = %self.camera, error = %why, "object detection failed on a picture");
                    self.error_logged = true;
                }
                Outcome::default()
            }
        }
    }

    /// The stream ended: every object event ends at its last sighting.
    pub fn finish(&mut self) -> Vec<Activity> {
        self.moving.clear();
        if !self.status.found.is_empty() {
            self.status.found.clear();
            self.changed = true;
        }
        let gone = self.confirm.end_all();
        self.ended(gone)
    }

    /// The status, when it changed since the last call.
    pub fn take_status(&mut self) -> Option<ObjectsStatus> {
        let dropped = self.dropped.load(Ordering::Relaxed);
        if !self.changed && dropped == self.status.dropped {
            return None;
        }
        self.changed = false;
        self.status.dropped = dropped;
        Some(self.status.clone())
    }

    fn fall_back(&mut self, why: &str) -> Outcome {
        let text = format!("{why}; recording on motion alone");
        tracing::warn!(camera = %self.camera, "object detection is off: {text}");
        self.status.detector = None;
        self.status.error = Some(text);
        self.detector = Detector::Off;
        let mut replay: Vec<MotionChange> = self
            .moving
            .drain()
            .map(|(zone_id, m)| MotionChange::Started {
                zone_id,
                name: m.name,
                at_us: m.at_us,
                score: m.score,
            })
            .collect();
        replay.sort_by_key(|c| match c {
            MotionChange::Started { at_us, .. } | MotionChange::Ended { at_us, .. } => *at_us,
        });
        Outcome {
            activities: Vec::new(),
            replay,
        }
    }

    fn on_findings(&mut self, f: Findings) -> Vec<Activity> {
        self.status.runs += 1;
        self.status.found = f
            .found
            .iter()
            .filter(|x| self.status.wanted.contains(&x.label))
            .cloned()
            .collect();
        self.status.found_us = Some(f.at_us);
        tracing::trace!(camera = %self.camera, found = f.found.len(), ms = f.took.as_millis() as u64, "detection");
        let mut acts = Vec::new();
        for &zone_id in &f.zones {
            // Motion there ended while the detector looked: the answer is stale for it.
            if !self.moving.contains_key(&zone_id) {
                continue;
            }
            let Some(polygon) = self.polygon(zone_id) else {
                continue;
            };
            for label in self.labels_for(zone_id) {
                let seen =
                    best_in(&f.found, &label, &polygon, self.plan.settings.min_area).map(|hit| {
                        Sighting {
                            at_us: f.at_us,
                            score: hit.score,
                            bbox: hit.bbox,
                            picture: Arc::clone(&f.picture),
                        }
                    });
                match self.confirm.observe(zone_id, &label, seen) {
                    Some(Verdict::Begin { first_us, best }) => {
                        acts.push(self.begin(zone_id, &label, first_us, &best, f.received));
                    }
                    Some(Verdict::Better(s)) => acts.push(Activity::Update {
                        key: key(zone_id, &label),
                        score: s.score,
                        object_box: Some(s.bbox),
                        thumbnail: thumb::jpeg_with_box(&s.picture, &s.bbox, self.thumbnail_width),
                    }),
                    None => {}
                }
            }
        }
        acts
    }

    /// The event of a confirmed object: it starts at the motion that led to it (at most
    /// [`OBJECT_LEAD_US`] before the first sighting, and not before the same zone and
    /// label's previous event ended).
    fn begin(
        &self,
        zone_id: i64,
        label: &str,
        first_us: i64,
        best: &Sighting<Arc<RgbPicture>>,
        received: Instant,
    ) -> Activity {
        let moving = self.moving.get(&zone_id);
        let motion_us = moving.map_or(first_us, |m| m.at_us);
        let mut start_us = motion_us.max(first_us.saturating_sub(OBJECT_LEAD_US));
        if let Some(end) = self.confirm.last_end(zone_id, label) {
            start_us = start_us.max(end);
        }
        let text = match moving {
            Some(m) if zone_id != FRAME_ZONE_ID => format!("{label} in {}", m.name),
            _ => label.to_string(),
        };
        Activity::Begin {
            key: key(zone_id, label),
            source: EventSource::Object,
            label: text,
            zone_id: (zone_id != FRAME_ZONE_ID).then_some(zone_id),
            start_us: start_us.min(first_us),
            end_us: None,
            score: best.score,
            thumbnail: thumb::jpeg_with_box(&best.picture, &best.bbox, self.thumbnail_width),
            object_box: Some(best.bbox),
            observed: received,
        }
    }

    fn ended(&self, gone: Vec<Gone>) -> Vec<Activity> {
        gone.into_iter()
            .map(|g| Activity::End {
                key: key(g.zone_id, &g.label),
                end_us: g.end_us,
                peak: g.peak,
            })
            .collect()
    }

    /// The zone's outline (the whole frame for the implicit zone).
    fn polygon(&self, zone_id: i64) -> Option<Polygon> {
        zones::outline(&self.zones, zone_id)
    }

    /// The labels that make events in a zone: its own list, else the camera's.
    fn labels_for(&self, zone_id: i64) -> Vec<String> {
        zones::labels_for(&self.plan, zone_id)
    }
}

/// The activity key of a zone's label (`object:3:person`).
fn key(zone_id: i64, label: &str) -> String {
    format!("object:{zone_id}:{label}")
}
