//! Drawing the timeline: the ruler with local-time ticks, one row per camera (its name on the
//! left, gaps as bands coloured by their cause ([`super::gaps`]), continuous recordings and event clips in their own colours,
//! files being written up to now, event markers with labels where there is room, a motion
//! strip), then the selection, and the playhead (or the live "now" line) last.

use egui::{pos2, vec2, Align2, Color32, FontId, Painter, Rect, Stroke, StrokeKind};

use super::ticks::{label, minor_step, step_for, ticks};
use super::view::{TimeAxis, TimelineView};
use crate::object_words::event_title;
use vigil_core::model::{EventSource, SegmentKind};
use vigil_core::service::{Bookmark, CameraTimeline, Gap, Timeline};

pub const RULER_H: f32 = 20.0;
/// A camera's row when there is room; rows shrink towards [`MIN_ROW_H`] when many cameras
/// share the panel's height (64 cameras must leave the grid most of the window).
pub const ROW_H: f32 = 28.0;
pub const MIN_ROW_H: f32 = 4.0;
/// Rows under this height carry no text (names, event labels): it would not fit.
const TEXT_ROW_H: f32 = 13.0;
pub const NAME_W: f32 = 96.0;

const BG: Color32 = Color32::from_gray(24);
const ROW_BG: Color32 = Color32::from_gray(32);
const CONTINUOUS: Color32 = Color32::from_rgb(62, 150, 104);
const WRITING: Color32 = Color32::from_rgb(112, 196, 146);
const CLIP: Color32 = Color32::from_rgb(232, 158, 56);
const MARKER: Color32 = Color32::from_rgb(250, 214, 96);
const MOTION: Color32 = Color32::from_rgb(224, 72, 60);
const PLAYHEAD: Color32 = Color32::WHITE;
const NOW_LINE: Color32 = Color32::from_rgb(235, 70, 60);
const SELECTION: Color32 = Color32::from_rgba_premultiplied(22, 34, 64, 64);
const TEXT: Color32 = Color32::from_gray(210);
const DIM: Color32 = Color32::from_gray(120);

/// Where everything goes this frame.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub canvas: Rect,
    /// The ruler over the time area.
    pub ruler: Rect,
    /// Each camera's row, time area only (the name sits left of it).
    pub rows: Vec<Rect>,
    pub axis: TimeAxis,
}

impl Layout {
    pub fn new(canvas: Rect, rows: usize, view: &TimelineView) -> Self {
        let x0 = canvas.min.x + NAME_W;
        let width = (canvas.max.x - x0).max(1.0);
        let ruler = Rect::from_min_size(pos2(x0, canvas.min.y), vec2(width, RULER_H));
        let row_h = Self::row_height(rows, canvas.height());
        let rows = (0..rows)
            .map(|i| {
                let top = ruler.max.y + i as f32 * row_h;
                Rect::from_min_size(pos2(x0, top), vec2(width, row_h))
            })
            .collect();
        Self {
            canvas,
            ruler,
            rows,
            axis: TimeAxis::new(view, x0, width),
        }
    }

    /// Height of the canvas for `rows` cameras: full rows when they fit in `max`, else
    /// rows shrunk to fit (down to [`MIN_ROW_H`]).
    pub fn height(rows: usize, max: f32) -> f32 {
        RULER_H + rows.max(1) as f32 * Self::row_height(rows, max) + 2.0
    }

    /// One row's height when `rows` rows share a canvas `canvas_h` high.
    fn row_height(rows: usize, canvas_h: f32) -> f32 {
        ((canvas_h - RULER_H - 2.0) / rows.max(1) as f32).clamp(MIN_ROW_H, ROW_H)
    }
}

/// Everything drawn from one frame's state.
pub struct Scene<'a> {
    pub layout: &'a Layout,
    pub view: &'a TimelineView,
    pub data: Option<&'a Timeline>,
    /// Each camera's labelled gaps (from the same answer as `data`).
    pub gaps: &'a [(i64, Vec<Gap>)],
    /// The window's bookmarks (flags for moments, bands for ranges).
    pub bookmarks: &'a [Bookmark],
    /// A motion search's hits, while search mode is open.
    pub search: Option<&'a crate::search::SearchMarks>,
    pub cameras: &'a [(i64, String)],
    pub now_us: i64,
    pub offset_us: i64,
    pub hover_x: Option<f32>,
}

pub fn paint(painter: &Painter, s: &Scene<'_>) {
    let l = s.layout;
    painter.rect_filled(l.canvas, 0.0, BG);
    ruler(painter, l, s.offset_us);
    for (i, (id, name)) in s.cameras.iter().enumerate() {
        let Some(row) = l.rows.get(i) else { break };
        let name_rect =
            Rect::from_min_max(pos2(l.canvas.min.x, row.min.y), pos2(row.min.x, row.max.y));
        if row.height() >= TEXT_ROW_H {
            painter.with_clip_rect(name_rect.shrink(2.0)).text(
                name_rect.left_center() + vec2(6.0, 0.0),
                Align2::LEFT_CENTER,
                name,
                FontId::proportional(12.0),
                TEXT,
            );
        }
        painter.rect_filled(row.shrink2(vec2(0.0, 1.0)), 0.0, ROW_BG);
        if let Some(cam) = s.data.and_then(|d| d.camera(*id)) {
            camera_row(&painter.with_clip_rect(*row), *row, &l.axis, cam, s);
        }
    }
    let rows = l.rows.iter().fold(l.ruler, |a, r| a.union(*r));
    if let Some((a, b)) = s.view.selection {
        let r = Rect::from_x_y_ranges(
            l.axis.x(a)..=l.axis.x(b).max(l.axis.x(a) + 1.0),
            rows.y_range(),
        );
        let r = r.intersect(rows);
        painter.rect(
            r,
            0.0,
            SELECTION,
            Stroke::new(1.0, Color32::from_rgb(110, 150, 255)),
            StrokeKind::Inside,
        );
    }
    let clip = painter.with_clip_rect(rows.expand2(vec2(4.0, 0.0)));
    if let Some(x) = s.hover_x {
        clip.vline(
            x,
            rows.y_range(),
            Stroke::new(1.0, Color32::from_white_alpha(50)),
        );
    }
    let now_x = l.axis.x(s.now_us);
    clip.vline(
        now_x,
        rows.y_range(),
        Stroke::new(1.0, NOW_LINE.gamma_multiply(0.7)),
    );
    if let Some(t) = s.view.playhead_us {
        let x = l.axis.x(t);
        clip.vline(x, rows.y_range(), Stroke::new(2.0, PLAYHEAD));
        let tip = pos2(x, l.ruler.max.y);
        clip.add(egui::Shape::convex_polygon(
            vec![tip, tip + vec2(-5.0, -7.0), tip + vec2(5.0, -7.0)],
            PLAYHEAD,
            Stroke::NONE,
        ));
    }
}

fn ruler(painter: &Painter, l: &Layout, offset_us: i64) {
    let axis = &l.axis;
    let p = painter.with_clip_rect(l.ruler);
    let upp = axis.us_per_px();
    let end = axis.start_us + axis.span_us;
    let major = step_for(upp, 90.0);
    if let Some(minor) = minor_step(major, upp, 10.0) {
        for t in ticks(axis.start_us, end, minor, offset_us) {
            let x = axis.x(t);
            p.vline(
                x,
                (l.ruler.max.y - 4.0)..=l.ruler.max.y,
                Stroke::new(1.0, DIM),
            );
        }
    }
    for t in ticks(axis.start_us, end, major, offset_us) {
        let x = axis.x(t);
        p.vline(
            x,
            (l.ruler.max.y - 9.0)..=l.ruler.max.y,
            Stroke::new(1.0, TEXT),
        );
        p.text(
            pos2(x + 3.0, l.ruler.min.y + 2.0),
            Align2::LEFT_TOP,
            // Each label in the offset of its own instant (a window across a DST change).
            label(t, major, super::ticks::local_offset_us(t)),
            FontId::proportional(11.0),
            TEXT,
        );
    }
}

/// Draws `[a, b)` as a bar between `y0` and `y1`, at least one point wide.
fn bar(p: &Painter, axis: &TimeAxis, a: i64, b: i64, y0: f32, y1: f32, color: Color32) {
    let x0 = axis.x(a);
    let x1 = axis.x(b).max(x0 + 1.0);
    if x1 < axis.x0 || x0 > axis.x0 + axis.width {
        return;
    }
    p.rect_filled(Rect::from_x_y_ranges(x0..=x1, y0..=y1), 0.0, color);
}

fn camera_row(p: &Painter, row: Rect, axis: &TimeAxis, cam: &CameraTimeline, s: &Scene<'_>) {
    let (bar_top, bar_bottom) = (row.min.y + 9.0, row.max.y - 8.0);
    let clip_top = (bar_top + bar_bottom) / 2.0;
    if let Some((_, gaps)) = s.gaps.iter().find(|(id, _)| *id == cam.camera_id) {
        super::gaps::paint_row(p, axis, gaps, bar_top, bar_bottom);
    }
    for r in &cam.continuous {
        bar(
            p, axis, r.start_us, r.end_us, bar_top, bar_bottom, CONTINUOUS,
        );
    }
    for w in &cam.in_progress {
        let (top, color) = match w.kind {
            SegmentKind::Continuous => (bar_top, WRITING),
            SegmentKind::Event => (clip_top, CLIP.gamma_multiply(0.7)),
        };
        bar(p, axis, w.start_us, s.now_us, top, bar_bottom, color);
    }
    for r in &cam.event_clips {
        bar(p, axis, r.start_us, r.end_us, clip_top, bar_bottom, CLIP);
    }
    motion_strip(p, row, axis, cam, s);
    markers(p, row, axis, cam);
    super::bookmarks::paint_row(p, row, axis, cam.camera_id, s.bookmarks);
    if let Some(marks) = s.search {
        super::search_marks::paint_row(p, row, axis, cam.camera_id, marks);
    }
}

fn motion_strip(p: &Painter, row: Rect, axis: &TimeAxis, cam: &CameraTimeline, s: &Scene<'_>) {
    let Some(data) = s.data else { return };
    let (y0, y1) = (row.max.y - 6.0, row.max.y - 2.0);
    for (i, &n) in cam.motion.iter().enumerate() {
        if n == 0 {
            continue;
        }
        let a = data.from_us + i as i64 * data.bucket_us;
        let alpha = (0.45 + 0.15 * n as f32).min(1.0);
        bar(
            p,
            axis,
            a,
            a + data.bucket_us,
            y0,
            y1,
            MOTION.gamma_multiply(alpha),
        );
    }
}

/// A tick at each marker's start; its label when it fits before the next one.
fn markers(p: &Painter, row: Rect, axis: &TimeAxis, cam: &CameraTimeline) {
    let visible = |x: f32| x >= axis.x0 - 1.0 && x <= axis.x0 + axis.width + 1.0;
    let xs: Vec<f32> = cam.events.iter().map(|e| axis.x(e.start_us)).collect();
    for (i, e) in cam.events.iter().enumerate() {
        let x = xs[i];
        if !visible(x) {
            continue;
        }
        let top = pos2(x, row.min.y + 2.0);
        p.add(egui::Shape::convex_polygon(
            vec![top, top + vec2(4.0, 0.0), top + vec2(0.0, 6.0)],
            MARKER,
            Stroke::NONE,
        ));
        p.vline(
            x,
            (row.min.y + 2.0)..=(row.max.y - 8.0),
            Stroke::new(1.0, MARKER.gamma_multiply(0.6)),
        );
        let text = match (e.count, &e.zone) {
            (n, _) if n > 1 => format!("{} ×{n}", e.label),
            (_, Some(z)) if e.source == EventSource::Object => {
                event_title(e.source, &e.label, Some(z))
            }
            (_, Some(z)) => format!("{} · {z}", e.label),
            _ => e.label.clone(),
        };
        let room = xs.get(i + 1).copied().unwrap_or(f32::INFINITY) - x - 8.0;
        if row.height() >= TEXT_ROW_H && room >= text.chars().count() as f32 * 6.0 {
            p.text(
                pos2(x + 6.0, row.min.y + 1.0),
                Align2::LEFT_TOP,
                text,
                FontId::proportional(9.5),
                MARKER,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_keep_their_height_when_they_fit_and_shrink_for_a_wall_of_cameras() {
        assert_eq!(Layout::height(4, 270.0), RULER_H + 4.0 * ROW_H + 2.0);
        let wall = Layout::height(64, 300.0);
        assert!(
            wall <= 300.0 + 0.01,
            "64 rows fit a quarter of the window: {wall}"
        );
        assert_eq!(Layout::row_height(64, 270.0), MIN_ROW_H);
        assert_eq!(
            Layout::height(100, 270.0),
            RULER_H + 100.0 * MIN_ROW_H + 2.0
        );
    }
}
