//! Event latency through the real engine: a camera whose scene shows a box every 10 s
//! (noisy grey 720p25, so the bitrate is real) and a camera on the still scene that is
//! triggered every few seconds, in turn by the HTTP trigger's call and by an MQTT message
//! through a real Mosquitto ([`super::latency_mqtt`]), both in `events` mode with a 30 s
//! pre-event buffer.

use std::collections::HashSet;
use std::path::Path;
use std::time::{Duration, Instant};

use super::latency_mqtt::MqttRig;
use super::{add_camera, camera, scene, start_engine};
use crate::media;
use crate::{BenchError, TestMedia};
use vigil_core::engine::status::CameraStatus;
use vigil_core::engine::Engine;
use vigil_core::events::http::trigger;
use vigil_core::library::{EventQuery, Library, SegmentQuery};
use vigil_core::model::time::now_us;
use vigil_core::model::{EventSource, SegmentKind};

/// Length of the latency scenes; the box shows at 5–8 s, 15–18 s, … 55–58 s.
const SCENE_S: u64 = 60;
/// The box's first appearance and its period, µs of stream time.
const BOX_FIRST_US: i64 = 5_000_000;
const BOX_EVERY_US: i64 = 10_000_000;
const BOX_SHOWN_US: i64 = 3_000_000;
/// Pre-event buffer of the latency cameras, seconds.
const LATENCY_PRE_S: u32 = 30;
/// Trigger hold time, and the gap between triggers (the clip closes in between).
const HOLD_S: f64 = 0.5;
const TRIGGER_EVERY: Duration = Duration::from_secs(4);
const POLL: Duration = Duration::from_millis(10);

/// Event latency samples, ms.
#[derive(Debug, Clone, Default)]
pub struct LatencyFigures {
    /// Motion: the analyzer received the confirming frame → row written and clip open.
    pub motion_ms: Vec<f64>,
    /// Trigger: `trigger()` called → row written and clip open.
    pub trigger_ms: Vec<f64>,
    /// MQTT: the message arrived at Vigil → row written and clip open.
    pub mqtt_ms: Vec<f64>,
    /// MQTT: the bench client published → the event row visible in the library (polled).
    pub mqtt_published_to_row_ms: Vec<f64>,
    pub mqtt_sent: usize,
    /// The box first shown (its frame's wall time) → the event row visible in the library.
    pub onset_to_row_ms: Vec<f64>,
    /// The event's start time minus the box's first frame.
    pub start_error_ms: Vec<f64>,
    /// The event's end time minus the box's last frame.
    pub end_lag_ms: Vec<f64>,
    /// Event-clip video recorded without a gap before each motion event's start, seconds
    /// (0: the start itself is in no clip).
    pub pre_event_s: Vec<f64>,
    /// Boxes shown while watching, motion events found, and events away from any box.
    pub boxes: usize,
    pub events: usize,
    pub stray_events: usize,
    pub triggers_sent: usize,
    pub scene: Option<TestMedia>,
    /// Motion from an ONVIF camera (its own engine run, after the others).
    pub onvif: Option<super::latency_onvif::OnvifLatency>,
}

/// Times `wanted` motion events and as many triggers.
pub fn latency(
    work_dir: &Path,
    runs: &Path,
    wanted: usize,
    progress: &mut dyn FnMut(&str),
) -> Result<LatencyFigures, BenchError> {
    progress("latency scenes: 60 s of 720p25, a box every 10 s / still (made once, then cached)");
    let boxes = media::make(work_dir, &scene(true), SCENE_S)?;
    let still = media::make(work_dir, &scene(false), SCENE_S)?;
    // `runs` is the run's own new directory.
    let dir = runs.join("latency");
    let mut lib = Library::open(&dir)?;
    let motion_id = add_camera(&mut lib, "motion", &boxes, LATENCY_PRE_S)?;
    let trigger_id = add_camera(&mut lib, "trigger", &still, LATENCY_PRE_S)?;
    progress(&format!(
        "event latency: real engine, 2 cameras at 25 fps until {wanted} motion events and {wanted} triggers"
    ));
    let engine = start_engine(&dir)?;
    progress("MQTT: mosquitto on a free loopback port, a trigger source on the trigger camera");
    let rig = match MqttRig::start(&mut lib, &dir, trigger_id, engine.bus()) {
        Ok(rig) => rig,
        Err(e) => {
            engine.shutdown();
            return Err(e);
        }
    };
    let mut watch = Watch {
        figures: LatencyFigures {
            scene: Some(boxes),
            ..LatencyFigures::default()
        },
        ..Watch::default()
    };
    let deadline = Instant::now() + Duration::from_secs(10 * wanted as u64 + 50);
    let result = loop {
        if let Err(e) = watch.poll(&engine, &lib, motion_id, &rig) {
            break Err(e);
        }
        // Enough samples, and every motion event has ended by itself (not at shutdown).
        let f = &watch.figures;
        let enough = f.motion_ms.len() >= wanted
            && f.trigger_ms.len() >= wanted
            && f.mqtt_ms.len() >= wanted;
        if (enough && watch.ongoing == 0) || Instant::now() >= deadline {
            break Ok(());
        }
        std::thread::sleep(POLL);
    };
    rig.stop();
    engine.shutdown();
    result?;
    watch.finish(&lib, motion_id)?;
    let onvif = super::latency_onvif::onvif_latency(runs, wanted, progress);
    Ok(LatencyFigures {
        onvif: Some(onvif),
        ..watch.figures
    })
}

#[derive(Default)]
struct Watch {
    figures: LatencyFigures,
    seen: HashSet<i64>,
    last_motion: Option<i64>,
    last_trigger: Option<i64>,
    next_trigger: Option<Instant>,
    /// The last trigger sent: over MQTT (published when, and the MQTT events seen before
    /// it) or by the HTTP trigger's call.
    last_sent: Option<Sent>,
    /// Start of the connection being watched, and the boxes counted in it so far.
    connection: Option<(i64, usize)>,
    /// Motion events matched to a box: (event id, the box's first frame).
    onsets: Vec<(i64, i64)>,
    /// Motion events not ended yet.
    ongoing: usize,
    /// MQTT trigger events seen so far.
    mqtt_rows: usize,
}

impl Watch {
    fn poll(
        &mut self,
        engine: &Engine,
        lib: &Library,
        motion_id: i64,
        rig: &MqttRig,
    ) -> Result<(), BenchError> {
        let (m, t) = (camera(engine, "motion")?, camera(engine, "trigger")?);
        if m.event_latency_us != self.last_motion {
            self.last_motion = m.event_latency_us;
            self.figures.motion_ms.extend(m.event_latency_us.map(ms));
        }
        if t.event_latency_us != self.last_trigger {
            self.last_trigger = t.event_latency_us;
            let samples = match self.last_sent {
                Some(Sent::Mqtt { .. }) => &mut self.figures.mqtt_ms,
                _ => &mut self.figures.trigger_ms,
            };
            samples.extend(t.event_latency_us.map(ms));
        }
        self.mqtt_row_seen(lib)?;
        self.count_boxes(&m);
        let q = EventQuery {
            camera_id: Some(motion_id),
            ..EventQuery::default()
        };
        let now = now_us();
        let events = lib.events(&q)?;
        self.ongoing = events.iter().filter(|e| e.end_us.is_none()).count();
        for e in events {
            if self.seen.insert(e.id) {
                self.new_event(e.id, e.start_us, now, m.connected_since_us);
            }
        }
        self.maybe_trigger(engine, &t, rig);
        Ok(())
    }

    /// Boxes shown so far: each connection replays the scene from its start.
    fn count_boxes(&mut self, m: &CameraStatus) {
        let Some(since) = m.connected_since_us else {
            return;
        };
        let shown = (now_us() - since - BOX_FIRST_US).max(-1) / BOX_EVERY_US + 1;
        let shown = shown.clamp(
            0,
            (SCENE_S as i64 * 1_000_000 - BOX_FIRST_US) / BOX_EVERY_US + 1,
        );
        match &mut self.connection {
            Some((s, n)) if *s == since => {
                self.figures.boxes += shown as usize - *n;
                *n = shown as usize;
            }
            _ => {
                self.figures.boxes += shown as usize;
                self.connection = Some((since, shown as usize));
            }
        }
    }

    /// A new motion event row: compares it with the nearest box of its connection.
    fn new_event(&mut self, id: i64, start_us: i64, seen_us: i64, since: Option<i64>) {
        self.figures.events += 1;
        let Some(since) = since else {
            self.figures.stray_events += 1;
            return;
        };
        let k = ((start_us - since - BOX_FIRST_US) as f64 / BOX_EVERY_US as f64).round();
        let onset = since + BOX_FIRST_US + k.max(0.0) as i64 * BOX_EVERY_US;
        if (start_us - onset).abs() > 1_000_000 {
            self.figures.stray_events += 1;
            return;
        }
        self.onsets.push((id, onset));
        self.figures.start_error_ms.push(ms(start_us - onset));
        self.figures.onset_to_row_ms.push(ms(seen_us - onset));
    }

    /// Once the engine has stopped: when each motion event ended, and how much video before
    /// its start the event clips hold.
    fn finish(&mut self, lib: &Library, motion_id: i64) -> Result<(), BenchError> {
        let q = SegmentQuery {
            camera_id: Some(motion_id),
            kind: Some(SegmentKind::Event),
            ..SegmentQuery::default()
        };
        let mut clips: Vec<(i64, i64)> = lib
            .segments(&q)?
            .iter()
            .map(|s| (s.start_us, s.end_us))
            .collect();
        clips.sort_unstable();
        let q = EventQuery {
            camera_id: Some(motion_id),
            ..EventQuery::default()
        };
        let events = lib.events(&q)?;
        for (id, onset) in &self.onsets {
            let Some(e) = events.iter().find(|e| e.id == *id) else {
                continue;
            };
            let box_end = onset + BOX_SHOWN_US;
            self.figures
                .end_lag_ms
                .extend(e.end_us.map(|end| ms(end - box_end)));
            let covered = covered_before(&clips, e.start_us);
            self.figures.pre_event_s.push(covered as f64 / 1e6);
        }
        Ok(())
    }

    /// Triggers the still camera every few seconds, once it has video and no clip is open.
    fn maybe_trigger(&mut self, engine: &Engine, t: &CameraStatus, rig: &MqttRig) {
        let Some(since) = t.connected_since_us else {
            return;
        };
        let due = *self
            .next_trigger
            .get_or_insert_with(|| Instant::now() + TRIGGER_EVERY);
        // Not in the first 3 s of a connection (the pre-event buffer fills), nor in the last
        // 2 s of the scene: the file ends and reconnects, and a trigger there waits for the
        // next connection's first packet whatever its source.
        let into = now_us() - since;
        let near_end = into > (SCENE_S as i64 - 2) * 1_000_000;
        if Instant::now() < due || t.recording || into < 3_000_000 || near_end {
            return;
        }
        let mqtt_turn = matches!(self.last_sent, None | Some(Sent::Http));
        if mqtt_turn {
            if let Ok(at) = rig.publish() {
                self.figures.mqtt_sent += 1;
                let rows_before = self.mqtt_rows;
                self.last_sent = Some(Sent::Mqtt {
                    at,
                    rows_before,
                    seen: false,
                });
            }
        } else if trigger(&engine.bus(), "trigger", "bench", HOLD_S).is_ok() {
            self.figures.triggers_sent += 1;
            self.last_sent = Some(Sent::Http);
        }
        self.next_trigger = Some(Instant::now() + TRIGGER_EVERY);
    }
}

#[derive(Debug, Clone, Copy)]
enum Sent {
    Http,
    Mqtt {
        at: Instant,
        rows_before: usize,
        seen: bool,
    },
}

impl Watch {
    /// The MQTT trigger's event row, once it shows: published → row seen.
    fn mqtt_row_seen(&mut self, lib: &Library) -> Result<(), BenchError> {
        let Some(Sent::Mqtt {
            at,
            rows_before,
            seen: false,
        }) = self.last_sent
        else {
            return Ok(());
        };
        let q = EventQuery {
            source: Some(EventSource::External),
            label: Some("mqtt".into()),
            ..EventQuery::default()
        };
        let rows = lib.events(&q)?.len();
        if rows > rows_before {
            self.mqtt_rows = rows;
            let took = at.elapsed().as_secs_f64() * 1000.0;
            self.figures.mqtt_published_to_row_ms.push(took);
            self.last_sent = Some(Sent::Mqtt {
                at,
                rows_before,
                seen: true,
            });
        }
        Ok(())
    }
}

fn ms(us: i64) -> f64 {
    us as f64 / 1000.0
}

/// Video recorded without a gap up to `t` by `clips` (sorted (start, end) pairs; clips less
/// than 0.1 s apart count as one), µs; 0 when `t` is in no clip.
fn covered_before(clips: &[(i64, i64)], t: i64) -> i64 {
    let mut run: Option<(i64, i64)> = None;
    for &(s, e) in clips {
        run = match run {
            Some((rs, re)) if s <= re + 100_000 => Some((rs, re.max(e))),
            _ => Some((s, e)),
        };
        if let Some((rs, re)) = run {
            if rs <= t && t <= re {
                return t - rs;
            }
        }
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coverage_runs_back_through_abutting_clips_only() {
        const S: i64 = 1_000_000;
        let clips = [(0, 10 * S), (10 * S, 20 * S), (25 * S, 40 * S)];
        assert_eq!(covered_before(&clips, 15 * S), 15 * S);
        assert_eq!(covered_before(&clips, 22 * S), 0, "in the gap");
        assert_eq!(covered_before(&clips, 30 * S), 5 * S);
        assert_eq!(covered_before(&[], 30 * S), 0);
    }
}
