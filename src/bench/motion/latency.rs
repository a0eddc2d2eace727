//! Event latency through the real engine: a camera whose scene shows a box every 10 s
//! (noisy grey 720p25, so the bitrate is real) and a camera on the still scene that is
//! triggered every few seconds, both in `events` mode with a 30 s pre-event buffer.

use std::collections::HashSet;
use std::path::Path;
use std::time::{Duration, Instant};

use super::{add_camera, camera, start_engine};
use crate::bench::media::{self, Recipe};
use crate::bench::{BenchError, TestMedia};
use crate::engine::status::CameraStatus;
use crate::engine::Engine;
use crate::events::http::trigger;
use crate::library::{EventQuery, Library};
use crate::model::time::now_us;

/// Length of the latency scenes; the box shows at 5–8 s, 15–18 s, … 55–58 s.
const SCENE_S: u64 = 60;
/// The box's first appearance and its period, µs of stream time.
const BOX_FIRST_US: i64 = 5_000_000;
const BOX_EVERY_US: i64 = 10_000_000;
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
    /// The box first shown (its frame's wall time) → the event row visible in the library.
    pub onset_to_row_ms: Vec<f64>,
    /// The event's start time minus the box's first frame.
    pub start_error_ms: Vec<f64>,
    /// Boxes shown while watching, motion events found, and events away from any box.
    pub boxes: usize,
    pub events: usize,
    pub stray_events: usize,
    pub triggers_sent: usize,
    pub scene: Option<TestMedia>,
}

/// Grey 720p25 with sensor-like noise at about 2 Mbit/s; with `boxes`, a white box shows
/// for 3 s every 10 s from second 5.
fn scene(boxes: bool) -> Recipe {
    let mut filters = "noise=alls=12:allf=t".to_string();
    if boxes {
        filters.push_str(
            ",drawbox=x=540:y=260:w=200:h=200:color=white:t=fill:enable='between(mod(t,10),5,8)'",
        );
    }
    Recipe {
        name: format!(
            "scene-{}-720p25-2M-gop2s",
            if boxes { "box" } else { "still" }
        ),
        width: 1280,
        height: 720,
        fps: 25,
        source: "color=c=gray:size=1280x720:rate=25".into(),
        filters: Some(filters),
        encode: [
            "-preset",
            "veryfast",
            "-profile:v",
            "main",
            "-bf",
            "0",
            "-b:v",
            "2M",
        ]
        .into_iter()
        .chain(["-maxrate", "2M", "-bufsize", "4M"])
        .map(String::from)
        .collect(),
    }
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
    let dir = runs.join("latency");
    let _ = std::fs::remove_dir_all(&dir);
    let mut lib = Library::open(&dir)?;
    let motion_id = add_camera(&mut lib, "motion", &boxes, LATENCY_PRE_S)?;
    add_camera(&mut lib, "trigger", &still, LATENCY_PRE_S)?;
    progress(&format!(
        "event latency: real engine, 2 cameras at 25 fps until {wanted} motion events and {wanted} triggers"
    ));
    let engine = start_engine(&dir)?;
    let mut watch = Watch {
        figures: LatencyFigures {
            scene: Some(boxes),
            ..LatencyFigures::default()
        },
        ..Watch::default()
    };
    let deadline = Instant::now() + Duration::from_secs(10 * wanted as u64 + 40);
    let result = loop {
        if let Err(e) = watch.poll(&engine, &lib, motion_id) {
            break Err(e);
        }
        let f = &watch.figures;
        if (f.motion_ms.len() >= wanted && f.trigger_ms.len() >= wanted)
            || Instant::now() >= deadline
        {
            break Ok(());
        }
        std::thread::sleep(POLL);
    };
    engine.shutdown();
    result.map(|()| watch.figures)
}

#[derive(Default)]
struct Watch {
    figures: LatencyFigures,
    seen: HashSet<i64>,
    last_motion: Option<i64>,
    last_trigger: Option<i64>,
    next_trigger: Option<Instant>,
    /// Start of the connection being watched, and the boxes counted in it so far.
    connection: Option<(i64, usize)>,
}

impl Watch {
    fn poll(&mut self, engine: &Engine, lib: &Library, motion_id: i64) -> Result<(), BenchError> {
        let (m, t) = (camera(engine, "motion")?, camera(engine, "trigger")?);
        if m.event_latency_us != self.last_motion {
            self.last_motion = m.event_latency_us;
            self.figures.motion_ms.extend(m.event_latency_us.map(ms));
        }
        if t.event_latency_us != self.last_trigger {
            self.last_trigger = t.event_latency_us;
            self.figures.trigger_ms.extend(t.event_latency_us.map(ms));
        }
        self.count_boxes(&m);
        let q = EventQuery {
            camera_id: Some(motion_id),
            ..EventQuery::default()
        };
        let now = now_us();
        for e in lib.events(&q)? {
            if self.seen.insert(e.id) {
                self.new_event(e.start_us, now, m.connected_since_us);
            }
        }
        self.maybe_trigger(engine, &t);
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
    fn new_event(&mut self, start_us: i64, seen_us: i64, since: Option<i64>) {
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
        self.figures.start_error_ms.push(ms(start_us - onset));
        self.figures.onset_to_row_ms.push(ms(seen_us - onset));
    }

    /// Triggers the still camera every few seconds, once it has video and no clip is open.
    fn maybe_trigger(&mut self, engine: &Engine, t: &CameraStatus) {
        let Some(since) = t.connected_since_us else {
            return;
        };
        let due = *self
            .next_trigger
            .get_or_insert_with(|| Instant::now() + TRIGGER_EVERY);
        if Instant::now() < due || t.recording || now_us() - since < 3_000_000 {
            return;
        }
        if trigger(&engine.bus(), "trigger", "bench", HOLD_S).is_ok() {
            self.figures.triggers_sent += 1;
        }
        self.next_trigger = Some(Instant::now() + TRIGGER_EVERY);
    }
}

fn ms(us: i64) -> f64 {
    us as f64 / 1000.0
}
