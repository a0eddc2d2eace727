//! The timeline's pointer: the wheel zooms about the pointer (shift or a sideways wheel
//! pans), a click puts the playhead there, a drag on the ruler or on the playhead scrubs, a
//! drag elsewhere (or with the right or middle button) pans, and a shift-drag selects a range.

use egui::{Event, MouseWheelUnit, PointerButton, Pos2, Response, Ui, Vec2};

use super::view::{TimeAxis, TimelineView};

/// Points per wheel line when the wheel reports points (a trackpad).
const POINTS_PER_LINE: f32 = 50.0;
/// How close to the playhead a press grabs it, points.
const GRAB_PX: f32 = 6.0;

/// What a drag in progress does.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Drag {
    /// The playhead follows the pointer.
    Scrub,
    /// The window moves with the pointer: the window and axis when the drag began, and where.
    Pan {
        origin_x: f32,
        start_us: i64,
        end_us: i64,
        axis: TimeAxis,
    },
    /// A selection from `anchor_us` to the pointer.
    Select { anchor_us: i64 },
}

/// Applies this frame's pointer input over the timeline to `view`. `ruler_bottom` is the y
/// below which the rows begin (a drag starting above it scrubs).
pub fn handle(
    ui: &Ui,
    response: &Response,
    axis: &TimeAxis,
    ruler_bottom: f32,
    view: &mut TimelineView,
    drag: &mut Option<Drag>,
) {
    if response.contains_pointer() {
        wheel(ui, axis, view);
    }
    let clamp_x = |x: f32| x.clamp(axis.x0, axis.x0 + axis.width);
    if let Some((origin, primary)) = drag_start(ui, response) {
        let shift = ui.input(|i| i.modifiers.shift);
        let on_playhead = view
            .playhead_us
            .is_some_and(|t| (axis.x(t) - origin.x).abs() <= GRAB_PX);
        *drag = Some(if !primary {
            pan(origin, view, axis)
        } else if shift {
            let anchor_us = axis.time_at(clamp_x(origin.x));
            view.select(anchor_us, anchor_us);
            Drag::Select { anchor_us }
        } else if origin.y < ruler_bottom || on_playhead {
            view.set_playhead(axis.time_at(clamp_x(origin.x)));
            Drag::Scrub
        } else {
            pan(origin, view, axis)
        });
    }
    if let (Some(d), Some(pos)) = (*drag, response.interact_pointer_pos()) {
        if response.dragged() {
            match d {
                Drag::Scrub => view.set_playhead(axis.time_at(clamp_x(pos.x))),
                Drag::Pan {
                    origin_x,
                    start_us,
                    end_us,
                    axis: at_start,
                } => {
                    view.start_us = start_us;
                    view.end_us = end_us;
                    view.pan_px(&at_start, pos.x - origin_x);
                }
                Drag::Select { anchor_us } => view.select(anchor_us, axis.time_at(clamp_x(pos.x))),
            }
        }
    }
    if response.drag_stopped() {
        *drag = None;
    }
    if response.clicked() {
        if let Some(pos) = response.interact_pointer_pos() {
            view.set_playhead(axis.time_at(clamp_x(pos.x)));
        }
    }
}

fn pan(origin: Pos2, view: &TimelineView, axis: &TimeAxis) -> Drag {
    Drag::Pan {
        origin_x: origin.x,
        start_us: view.start_us,
        end_us: view.end_us,
        axis: *axis,
    }
}

/// Where the press that began a drag this frame was, and whether it is the primary button.
fn drag_start(ui: &Ui, response: &Response) -> Option<(Pos2, bool)> {
    let primary = response.drag_started_by(PointerButton::Primary);
    let other = response.drag_started_by(PointerButton::Secondary)
        || response.drag_started_by(PointerButton::Middle);
    if primary || other {
        ui.input(|i| i.pointer.press_origin()).map(|o| (o, primary))
    } else {
        None
    }
}

/// Wheel events over the timeline: vertical zooms about the pointer, sideways (or with
/// shift) pans. Read raw, unsmoothed, so each notch is one exact step.
fn wheel(ui: &Ui, axis: &TimeAxis, view: &mut TimelineView) {
    let (events, pointer) = ui.input(|i| (i.events.clone(), i.pointer.hover_pos()));
    let Some(pointer) = pointer else {
        return;
    };
    let mut used = false;
    for event in events {
        let Event::MouseWheel {
            unit,
            delta,
            modifiers,
            ..
        } = event
        else {
            continue;
        };
        let lines = match unit {
            MouseWheelUnit::Point => delta / POINTS_PER_LINE,
            MouseWheelUnit::Line => delta,
            MouseWheelUnit::Page => delta * 10.0,
        };
        let (zoom, sideways) = if modifiers.shift {
            (0.0, lines.y + lines.x)
        } else {
            (lines.y, lines.x)
        };
        if zoom != 0.0 {
            let now = TimeAxis::new(view, axis.x0, axis.width);
            view.zoom_wheel(&now, pointer.x, zoom);
        }
        if sideways != 0.0 {
            let now = TimeAxis::new(view, axis.x0, axis.width);
            view.pan_px(&now, sideways * POINTS_PER_LINE);
        }
        used = true;
    }
    if used {
        // Keep the wheel from also scrolling whatever holds the timeline.
        ui.ctx().input_mut(|i| i.smooth_scroll_delta = Vec2::ZERO);
    }
}
