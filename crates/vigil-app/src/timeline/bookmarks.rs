//! Bookmarks on the timeline: a flag for a moment, a band along the top of the row for a
//! range (both in the bookmark colour, brighter when protected), and the bookmark's name
//! (with its note) as the tooltip under the pointer.

use egui::{pos2, vec2, Color32, Painter, Rect, Stroke};

use super::view::TimeAxis;
use crate::local_time;
use crate::tr;
use vigil_core::service::Bookmark;

const FLAG: Color32 = Color32::from_rgb(96, 170, 255);
/// A bookmark within this many points of the pointer counts as under it.
const HIT_PX: f32 = 4.0;

/// Draws `camera_id`'s bookmarks on its row.
pub fn paint_row(p: &Painter, row: Rect, axis: &TimeAxis, camera_id: i64, all: &[Bookmark]) {
    for b in all.iter().filter(|b| b.camera_id == camera_id) {
        let color = if b.protected {
            FLAG
        } else {
            FLAG.gamma_multiply(0.7)
        };
        let x0 = axis.x(b.start_us);
        if b.is_moment() {
            p.vline(x0, row.y_range(), Stroke::new(1.5, color));
            let top = pos2(x0, row.min.y + 1.0);
            p.add(egui::Shape::convex_polygon(
                vec![top, top + vec2(7.0, 3.0), top + vec2(0.0, 6.0)],
                color,
                Stroke::NONE,
            ));
        } else {
            let x1 = axis.x(b.end_us).max(x0 + 2.0);
            let band = Rect::from_x_y_ranges(x0..=x1, row.min.y + 1.0..=row.min.y + 5.0);
            p.rect_filled(band, 1.0, color);
        }
    }
}

/// The bookmark of `camera_id` under `x`, if any (moments first: they are thin).
pub fn at_x<'a>(
    axis: &TimeAxis,
    camera_id: i64,
    all: &'a [Bookmark],
    x: f32,
) -> Option<&'a Bookmark> {
    let mine = || all.iter().filter(move |b| b.camera_id == camera_id);
    mine()
        .filter(|b| b.is_moment())
        .find(|b| (axis.x(b.start_us) - x).abs() <= HIT_PX)
        .or_else(|| {
            mine().find(|b| axis.x(b.start_us) - HIT_PX <= x && x <= axis.x(b.end_us) + HIT_PX)
        })
}

/// The tooltip: its name, when, and its note.
pub fn tooltip(b: &Bookmark) -> String {
    let when = if b.is_moment() {
        local_time::date_time(b.start_us)
    } else {
        tr!(
            "bookmark-tooltip-range",
            from = local_time::date_time(b.start_us),
            span = local_time::duration(b.end_us - b.start_us)
        )
    };
    let mut text = tr!("bookmark-tooltip", name = b.name.as_str(), when = when);
    if b.protected {
        text.push_str(&format!("\n{}", tr!("bookmark-tooltip-protected")));
    }
    if !b.note.is_empty() {
        text.push_str(&format!("\n{}", b.note));
    }
    text
}
