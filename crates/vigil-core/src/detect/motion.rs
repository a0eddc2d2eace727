//! The motion detector: grey frames in, per-zone activity and event starts/ends out.

use serde::Serialize;

use super::background::{count_above, Background, DEFAULT_LEARN_RATE};
use super::blur::box_blur5;
use super::cells::{moved_cells, CellMask};
use super::hysteresis::{Edge, Tracker};
use super::polygon::Polygon;
use super::raster::Raster;
use super::zone::{ZoneKind, ZoneSpec};

/// An 8-bit grey image (for example the Y plane of a decoded frame). Row `y` starts at
/// `data[y * stride]`.
#[derive(Debug, Clone, Copy)]
pub struct GrayFrame<'a> {
    pub width: usize,
    pub height: usize,
    pub stride: usize,
    pub data: &'a [u8],
}

impl GrayFrame<'_> {
    /// Non-empty, `stride >= width`, and `data` holds every row.
    pub fn is_valid(&self) -> bool {
        let needed = (self.height.saturating_sub(1))
            .checked_mul(self.stride)
            .and_then(|n| n.checked_add(self.width));
        self.width > 0
            && self.height > 0
            && self.stride >= self.width
            && needed.is_some_and(|n| n <= self.data.len())
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DetectorConfig {
    /// A zone must stay above its minimum area this long before an event starts (400 ms).
    pub start_after_us: i64,
    /// An event ends once its zone has been quiet this long (2 s).
    pub quiet_us: i64,
    /// Fraction of the unmasked frame changing at once that means lights or an IR switch,
    /// not motion (0.6).
    pub global_reject: f32,
    /// How far the background moves toward each analyzed frame (0.05); pixels that currently
    /// differ learn at a quarter of it.
    pub learn_rate: f32,
    /// 0: `learn_rate` is per analysed frame. Otherwise it is per this much time (the
    /// analysis interval, 200 ms at 5 fps), and a frame after a longer gap learns as many
    /// intervals' worth: a key-frame-only analyzer (a frame every 1–2 s) then learns a parked
    /// car in the same half-minute as a 5 fps one, not in minutes.
    pub learn_interval_us: i64,
}

impl Default for DetectorConfig {
    fn default() -> Self {
        Self {
            start_after_us: 400_000,
            quiet_us: 2_000_000,
            global_reject: 0.6,
            learn_rate: DEFAULT_LEARN_RATE,
            learn_interval_us: 0,
        }
    }
}

/// What one frame showed.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Detection {
    /// One entry per detection zone (or the implicit whole-frame zone), in the given order.
    pub zones: Vec<ZoneActivity>,
    /// Events that started or ended on this frame.
    pub changes: Vec<MotionChange>,
    /// Most of the frame changed at once: taken as lights, not motion, and learned at once.
    pub rejected_global: bool,
    /// Fraction of the unmasked frame that changed.
    pub frame_changed: f32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ZoneActivity {
    pub zone_id: i64,
    pub name: String,
    /// Fraction of the zone's unmasked pixels that changed.
    pub changed: f32,
    /// Whether the zone is inside an event.
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum MotionChange {
    /// `at_us`: the first frame of the run that confirmed the event. `score`: the largest
    /// changed fraction in that run.
    Started {
        zone_id: i64,
        name: String,
        at_us: i64,
        score: f32,
    },
    /// `at_us`: the last frame that was above the zone's minimum area. `peak`: the largest
    /// changed fraction during the event.
    Ended {
        zone_id: i64,
        name: String,
        at_us: i64,
        peak: f32,
    },
}

/// Id and name of the zone used when no detection zone is configured: the whole frame.
pub const FRAME_ZONE_ID: i64 = 0;
pub const FRAME_ZONE_NAME: &str = "frame";

struct Zone {
    spec: ZoneSpec,
    threshold: u8,
    min_area: f32,
    tracker: Tracker,
}

impl Zone {
    fn new(spec: ZoneSpec, tracker: Tracker) -> Self {
        Self {
            threshold: spec.threshold(),
            min_area: spec.min_area_clamped(),
            spec,
            tracker,
        }
    }

    fn change(&self, edge: Edge) -> MotionChange {
        let (zone_id, name) = (self.spec.id, self.spec.display_name.clone());
        match edge {
            Edge::Started { at_us, score } => MotionChange::Started {
                zone_id,
                name,
                at_us,
                score,
            },
            Edge::Ended { at_us, peak } => MotionChange::Ended {
                zone_id,
                name,
                at_us,
                peak,
            },
        }
    }
}

/// Zone pixels for one frame size: rebuilt when the size or the zones change.
struct Layout {
    size: (usize, usize),
    /// 0xFF for pixels outside every mask, 0 inside one.
    keep: Vec<u8>,
    unmasked: usize,
    /// Per detection zone: its raster and how many of its pixels are unmasked.
    zones: Vec<(Raster, usize)>,
}

impl Layout {
    fn new(zones: &[Zone], masks: &[Polygon], (w, h): (usize, usize)) -> Self {
        let mut keep = vec![0xFFu8; w * h];
        for mask in masks {
            for s in Raster::new(mask, w, h).spans() {
                keep[s.y * w + s.x0..s.y * w + s.x1].fill(0);
            }
        }
        let unmasked = count_above(&keep, 0);
        let zones = zones
            .iter()
            .map(|z| {
                let raster = Raster::new(&z.spec.polygon, w, h);
                let n = raster
                    .spans()
                    .iter()
                    .map(|s| count_above(&keep[s.y * w + s.x0..s.y * w + s.x1], 0))
                    .sum();
                (raster, n)
            })
            .collect();
        Self {
            size: (w, h),
            keep,
            unmasked,
            zones,
        }
    }
}

/// Pure motion detector for one camera. Per frame: 5×5 box blur, absolute difference with
/// a running-average background, a per-zone threshold from the zone's sensitivity, the
/// fraction of each zone's unmasked pixels above it, then per-zone hysteresis. No clock, no
/// I/O: timestamps come from the caller.
pub struct MotionDetector {
    cfg: DetectorConfig,
    zones: Vec<Zone>,
    masks: Vec<Polygon>,
    pending: Option<Vec<ZoneSpec>>,
    layout: Option<Layout>,
    /// The most sensitive zone's threshold: what counts as "changed" frame-wide.
    changed_threshold: u8,
    background: Background,
    rows: Vec<u16>,
    blurred: Vec<u8>,
    diff: Vec<u8>,
    /// `diff` is the last frame's difference and that frame was motion, not lights.
    diff_is_motion: bool,
    /// When the last frame was analysed (for `learn_interval_us`).
    last_us: Option<i64>,
}

impl MotionDetector {
    pub fn new(zones: Vec<ZoneSpec>, cfg: DetectorConfig) -> Self {
        let mut detector = Self {
            background: Background::new(cfg.learn_rate),
            cfg,
            zones: Vec::new(),
            masks: Vec::new(),
            pending: None,
            layout: None,
            changed_threshold: 0,
            rows: Vec::new(),
            blurred: Vec::new(),
            diff: Vec::new(),
            diff_is_motion: false,
            last_us: None,
        };
        detector.apply_zones(zones, &mut Vec::new());
        detector
    }

    /// The stream ended: every event in progress ends where its motion was last seen.
    pub fn finish_all(&mut self) -> Vec<MotionChange> {
        let mut changes = Vec::new();
        for zone in &mut self.zones {
            changes.extend(zone.tracker.finish().map(|e| zone.change(e)));
        }
        changes
    }

    /// Replaces the zones from the next frame on. The background model is kept; a zone that
    /// keeps its id keeps its state, an active zone that disappears ends its event.
    pub fn set_zones(&mut self, zones: Vec<ZoneSpec>) {
        self.pending = Some(zones);
    }

    /// Analyzes one frame taken at `ts_us`. An invalid frame (see [`GrayFrame::is_valid`]) is
    /// ignored and gives an empty [`Detection`]. The first frame, and the first after a change
    /// of resolution, only initialise the background (ending any event in progress).
    pub fn process(&mut self, frame: &GrayFrame, ts_us: i64) -> Detection {
        self.diff_is_motion = false;
        if !frame.is_valid() {
            return Detection::default();
        }
        let mut changes = Vec::new();
        if let Some(specs) = self.pending.take() {
            self.apply_zones(specs, &mut changes);
        }
        let size = (frame.width, frame.height);
        let last_us = self.last_us.replace(ts_us);
        let (rows, blurred) = (&mut self.rows, &mut self.blurred);
        box_blur5(frame.data, size.0, size.1, frame.stride, rows, blurred);
        if self.layout.as_ref().is_none_or(|l| l.size != size) {
            self.layout = Some(Layout::new(&self.zones, &self.masks, size));
        }
        if self.background.size() != Some(size) {
            self.background.reset(&self.blurred, size.0, size.1);
            for zone in &mut self.zones {
                changes.extend(zone.tracker.finish().map(|e| zone.change(e)));
            }
            let fractions = vec![0.0; self.zones.len()];
            return self.report(fractions, changes, false, 0.0);
        }
        let Some(layout) = self.layout.as_ref() else {
            return Detection::default();
        };
        self.background
            .difference(&self.blurred, &layout.keep, &mut self.diff);
        let changed = count_above(&self.diff, self.changed_threshold);
        let frame_changed = ratio(changed, layout.unmasked);
        let rejected = frame_changed > self.cfg.global_reject;
        let fractions = if rejected {
            self.background.reset(&self.blurred, size.0, size.1);
            vec![0.0; self.zones.len()]
        } else {
            let fractions = zone_fractions(&self.zones, layout, &self.diff);
            self.diff_is_motion = true;
            self.pace_learning(ts_us, last_us);
            self.background
                .learn(&self.blurred, &self.diff, self.changed_threshold);
            fractions
        };
        for (zone, &f) in self.zones.iter_mut().zip(&fractions) {
            let above = f > 0.0 && f >= zone.min_area;
            let (start, quiet) = (self.cfg.start_after_us, self.cfg.quiet_us);
            if let Some(edge) = zone.tracker.update(ts_us, f, above, start, quiet) {
                changes.push(zone.change(edge));
            }
        }
        self.report(fractions, changes, rejected, frame_changed)
    }

    /// With `learn_interval_us`, sets the learn rate for a frame `ts_us - last_us` after the
    /// last one.
    fn pace_learning(&mut self, ts_us: i64, last_us: Option<i64>) {
        let interval = self.cfg.learn_interval_us;
        if let (true, Some(last)) = (interval > 0, last_us) {
            let frames = (ts_us - last) as f32 / interval as f32;
            self.background.set_interval(self.cfg.learn_rate, frames);
        }
    }

    /// Where the last analyzed frame changed: the box (x0, y0, x1, y1), in frame fractions,
    /// around its changed blocks outside the masks (see [`super::region`]); `None` when
    /// nothing changed. Meaningless on a frame taken as lights (`rejected_global`).
    pub fn changed_region(&self) -> Option<[f32; 4]> {
        let (w, h) = self.background.size()?;
        super::region::changed_region(&self.diff, w, h, self.changed_threshold)
    }

    /// The cells of the motion index's grid that moved on the last analyzed frame (masks
    /// excluded); empty when that frame only set the background up or was taken as lights.
    pub fn moved_cells(&self) -> CellMask {
        match self.background.size() {
            Some((w, h)) if self.diff_is_motion => {
                moved_cells(&self.diff, w, h, self.changed_threshold)
            }
            _ => CellMask::EMPTY,
        }
    }

    fn report(
        &self,
        fractions: Vec<f32>,
        changes: Vec<MotionChange>,
        rejected_global: bool,
        frame_changed: f32,
    ) -> Detection {
        let zones = self
            .zones
            .iter()
            .zip(fractions)
            .map(|(z, changed)| ZoneActivity {
                zone_id: z.spec.id,
                name: z.spec.display_name.clone(),
                changed,
                active: z.tracker.is_active(),
            })
            .collect();
        Detection {
            zones,
            changes,
            rejected_global,
            frame_changed,
        }
    }

    /// Installs new zones, carrying trackers over by zone id; events of dropped zones end.
    fn apply_zones(&mut self, specs: Vec<ZoneSpec>, changes: &mut Vec<MotionChange>) {
        let (masks, mut detect): (Vec<ZoneSpec>, Vec<ZoneSpec>) =
            specs.into_iter().partition(|z| z.kind == ZoneKind::Mask);
        if detect.is_empty() {
            detect.push(ZoneSpec::new(
                FRAME_ZONE_ID,
                FRAME_ZONE_NAME,
                ZoneKind::Detect,
                Polygon::full_frame(),
            ));
        }
        let mut old = std::mem::take(&mut self.zones);
        for spec in detect {
            let tracker = match old.iter().position(|z| z.spec.id == spec.id) {
                Some(i) => old.swap_remove(i).tracker,
                None => Tracker::default(),
            };
            self.zones.push(Zone::new(spec, tracker));
        }
        for mut zone in old {
            changes.extend(zone.tracker.finish().map(|e| zone.change(e)));
        }
        self.masks = masks.into_iter().map(|m| m.polygon).collect();
        self.changed_threshold = self.zones.iter().map(|z| z.threshold).min().unwrap_or(25);
        self.layout = None;
    }
}

/// Changed fraction of each zone's unmasked pixels (masked pixels already read 0 in `diff`).
fn zone_fractions(zones: &[Zone], layout: &Layout, diff: &[u8]) -> Vec<f32> {
    let w = layout.size.0;
    zones
        .iter()
        .zip(&layout.zones)
        .map(|(zone, (raster, unmasked))| {
            let changed = raster
                .spans()
                .iter()
                .map(|s| count_above(&diff[s.y * w + s.x0..s.y * w + s.x1], zone.threshold))
                .sum();
            ratio(changed, *unmasked)
        })
        .collect()
}

fn ratio(part: usize, whole: usize) -> f32 {
    if whole == 0 {
        0.0
    } else {
        (part as f64 / whole as f64) as f32
    }
}

#[cfg(test)]
#[path = "motion_tests.rs"]
mod tests;
