//! Gaps on the timeline: each stretch without recording drawn as a band coloured by the
//! family of its cause (offline red, disk or overload amber, Vigil not running violet,
//! deleted grey, by design — paused, off, events only — light and unhatched), and its reason
//! in the operator's language for the tooltip under the pointer.

use egui::{pos2, Color32, Painter, Rect, Stroke};

use super::view::TimeAxis;
use crate::local_time;
use crate::tr;
use vigil_core::service::{DeletionReason, Gap, GapCause, GapCondition};

/// The spacing of the hatching, points.
const HATCH_PX: f32 = 6.0;
/// A gap within this many points of the pointer counts as under it.
const HIT_PX: f32 = 2.0;

/// How a cause is drawn: its colour, and whether the band is hatched (a problem, not a
/// choice).
pub fn style(cause: &GapCause) -> (Color32, bool) {
    match cause {
        GapCause::Deleted { .. } => (Color32::from_rgb(128, 128, 128), true),
        GapCause::Condition(GapCondition::Offline) => (Color32::from_rgb(214, 64, 56), true),
        GapCause::Condition(
            GapCondition::DiskFull | GapCondition::WriteFailed | GapCondition::Overloaded,
        ) => (Color32::from_rgb(226, 140, 40), true),
        GapCause::Condition(_) => (Color32::from_rgb(120, 150, 190), false),
        GapCause::NotRunning { .. } => (Color32::from_rgb(150, 100, 200), true),
        GapCause::Unknown => (Color32::from_gray(70), false),
    }
}

/// Draws a row's gaps between `y0` and `y1`.
pub fn paint_row(p: &Painter, axis: &TimeAxis, gaps: &[Gap], y0: f32, y1: f32) {
    for g in gaps {
        let x0 = axis.x(g.start_us).max(axis.x0);
        let x1 = axis.x(g.end_us).min(axis.x0 + axis.width);
        if x1 <= x0 {
            continue;
        }
        let rect = Rect::from_x_y_ranges(x0..=x1, y0..=y1);
        let (color, hatched) = style(&g.cause);
        p.rect_filled(rect, 0.0, color.gamma_multiply(0.3));
        if hatched {
            let clip = p.with_clip_rect(rect);
            let h = y1 - y0;
            let stroke = Stroke::new(1.0, color.gamma_multiply(0.8));
            let mut x = x0 - h;
            while x < x1 {
                clip.line_segment([pos2(x, y1), pos2(x + h, y0)], stroke);
                x += HATCH_PX;
            }
        }
    }
}

/// The gap under `x`, if any.
pub fn at_x<'a>(axis: &TimeAxis, gaps: &'a [Gap], x: f32) -> Option<&'a Gap> {
    gaps.iter()
        .find(|g| axis.x(g.start_us) - HIT_PX <= x && x <= axis.x(g.end_us) + HIT_PX)
}

/// The tooltip: when, how long, and why.
pub fn tooltip(g: &Gap) -> String {
    let span = tr!(
        "gap-span",
        from = local_time::date_time(g.start_us),
        to = local_time::date_time(g.end_us),
        span = local_time::duration(g.duration_us())
    );
    format!("{span}\n{}", reason(g))
}

/// Why, in a sentence.
pub fn reason(g: &Gap) -> String {
    let detail = g.detail.as_str();
    match &g.cause {
        GapCause::Deleted {
            reason,
            by_user,
            at_us,
        } => {
            let at = local_time::date_time(*at_us);
            match reason {
                DeletionReason::Person => tr!(
                    "gap-deleted-person",
                    who = by_user.clone().unwrap_or_default(),
                    at = at
                ),
                DeletionReason::RetentionAge => tr!("gap-deleted-retention-age", at = at),
                DeletionReason::RetentionSize => tr!("gap-deleted-retention-size", at = at),
                DeletionReason::DiskFloor => tr!("gap-deleted-disk-floor", at = at),
                DeletionReason::CameraRemoved => tr!("gap-deleted-camera-removed", at = at),
                DeletionReason::FileMissing => tr!("gap-deleted-file-missing", at = at),
            }
        }
        GapCause::Condition(c) => condition(*c, detail),
        GapCause::NotRunning {
            stopped_us: Some(at),
            ..
        } => tr!("gap-not-running-stopped", at = local_time::date_time(*at)),
        GapCause::NotRunning {
            stopped_us: None,
            last_seen_us,
        } => tr!(
            "gap-not-running-crashed",
            at = local_time::date_time(*last_seen_us)
        ),
        GapCause::Unknown => tr!("gap-unknown"),
    }
}

fn condition(c: GapCondition, detail: &str) -> String {
    match c {
        GapCondition::Offline if detail.is_empty() => tr!("gap-offline-plain"),
        GapCondition::Offline => tr!("gap-offline", error = detail),
        GapCondition::DiskFull => tr!("gap-disk-full", error = detail),
        GapCondition::WriteFailed => tr!("gap-write-failed", error = detail),
        GapCondition::Overloaded => tr!("gap-overloaded"),
        GapCondition::Paused => tr!("gap-paused"),
        GapCondition::Off => tr!("gap-off"),
        GapCondition::Disabled => tr!("gap-disabled"),
        GapCondition::EventsOnly => tr!("gap-events-only"),
    }
}
