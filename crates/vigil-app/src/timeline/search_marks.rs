//! Motion search hits on the timeline: amber ticks along the bottom of the searched camera's
//! row (distinct from event clips, gaps and bookmarks), the chosen hit taller and brighter.

use egui::{Color32, Painter, Rect, Stroke};

use super::view::TimeAxis;
use crate::search::SearchMarks;

const HIT: Color32 = Color32::from_rgb(255, 176, 32);
const CHOSEN: Color32 = Color32::from_rgb(255, 236, 120);

/// Draws the hits of `marks` on `camera_id`'s row.
pub fn paint_row(p: &Painter, row: Rect, axis: &TimeAxis, camera_id: i64, marks: &SearchMarks) {
    if marks.camera_id != camera_id {
        return;
    }
    for (i, &(a, b)) in marks.spans.iter().enumerate() {
        let chosen = marks.chosen == Some(i);
        let (color, top) = if chosen {
            (CHOSEN, row.min.y + 2.0)
        } else {
            (HIT, row.center().y)
        };
        let x0 = axis.x(a);
        let x1 = axis.x(b).max(x0 + 2.0);
        let band = Rect::from_x_y_ranges(x0..=x1, top..=row.max.y - 1.0);
        p.rect_filled(band, 0.0, color.gamma_multiply(0.5));
        p.vline(x0, top..=row.max.y - 1.0, Stroke::new(1.5, color));
    }
}
