//! One camera tile: the live picture fitted to the tile (aspect kept), the camera's name, a
//! red dot while recording, an event badge while motion is active, the reason in words when
//! there is no picture, and stream details on hover.

use egui::{
    Align, Align2, Color32, CornerRadius, Frame, Label, Layout, Rect, Response, RichText, Sense,
    Stroke, StrokeKind, TextStyle, TextWrapMode, TextureHandle, Ui, UiBuilder, Vec2, WidgetInfo,
    WidgetText,
};

use super::text;
use super::video::ShownStream;
use crate::tr;
use vigil_core::service::{CameraStatus, ConnState};

const RECORDING_RED: Color32 = Color32::from_rgb(230, 40, 40);
const EVENT_AMBER: Color32 = Color32::from_rgb(255, 170, 0);
const OVERLAY: Color32 = Color32::from_black_alpha(150);

/// What a tile shows.
pub struct TileView<'a> {
    pub status: &'a CameraStatus,
    pub picture: Option<(&'a TextureHandle, [u32; 2])>,
    /// Why the live picture cannot be had (decoder or watch error).
    pub live_error: Option<&'a str>,
    /// The live stream shown (sub-stream or main, key frames only), while live.
    pub live: Option<ShownStream>,
    pub selected: bool,
    pub now_us: i64,
    /// Watching a recording: `Some(None)` while its picture shows, `Some(Some(why))` when
    /// there is none (a gap, the end, an error); `None` is live.
    pub recorded: Option<Option<&'a str>>,
}

/// The largest rect with the picture's aspect ratio centred in `outer`.
pub fn fit_rect(outer: Rect, picture: [u32; 2]) -> Rect {
    let (w, h) = (picture[0].max(1) as f32, picture[1].max(1) as f32);
    let scale = (outer.width() / w).min(outer.height() / h);
    Rect::from_center_size(outer.center(), Vec2::new(w * scale, h * scale))
}

/// The message shown in the middle of a tile, if any.
pub fn tile_message(view: &TileView<'_>) -> Option<String> {
    if let Some(note) = view.recorded {
        return note.map(str::to_string);
    }
    if let Some(m) = text::offline_message(view.status, view.now_us) {
        return Some(m);
    }
    if let Some(e) = view.live_error {
        return Some(tr!("live-no-live-picture", error = e));
    }
    (view.picture.is_none() && view.status.conn == ConnState::Connected)
        .then(|| tr!("live-waiting-first-picture"))
}

/// Draws the tile in `rect`; the response senses clicks (select, double-click) and hover.
pub fn show_tile(ui: &mut Ui, rect: Rect, view: &TileView<'_>) -> Response {
    let name = view.status.name.as_str();
    let response = ui.interact(
        rect,
        ui.scope_id().with(("camera-tile", name)),
        Sense::click(),
    );
    response.widget_info(|| {
        WidgetInfo::labeled(
            egui::Role::Button,
            true,
            tr!("live-tile-label", name = name),
        )
    });
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, CornerRadius::same(4), Color32::from_gray(12));
    if let Some((texture, size)) = view.picture {
        let uv = Rect::from_min_max(egui::pos2(0.0, 0.0), egui::pos2(1.0, 1.0));
        painter.image(texture.id(), fit_rect(rect, size), uv, Color32::WHITE);
    }
    let border = if view.selected {
        Stroke::new(2.0, ui.visuals().selection.stroke.color)
    } else {
        Stroke::new(1.0, Color32::from_gray(60))
    };
    painter.rect_stroke(rect, CornerRadius::same(4), border, StrokeKind::Inside);

    let mut overlay = ui.new_child(
        UiBuilder::new()
            .max_rect(rect.shrink(6.0))
            .layout(Layout::top_down(Align::Min)),
    );
    header(&mut overlay, view);
    if let Some(message) = tile_message(view) {
        centred_message(ui, rect, &message);
    }
    let mut details = text::stream_details(view.status);
    if let Some(live) = &view.live {
        details.push('\n');
        details.push_str(&text::shown_stream(live));
    }
    response.on_hover_text(details)
}

/// Name with the recording dot on the left, event badge on the right.
fn header(ui: &mut Ui, view: &TileView<'_>) {
    ui.horizontal(|ui| {
        if view.status.recording {
            let (dot, _) = ui.allocate_exact_size(Vec2::splat(12.0), Sense::hover());
            ui.painter().circle_filled(dot.center(), 5.0, RECORDING_RED);
            ui.painter().circle_stroke(
                dot.center(),
                5.0,
                Stroke::new(1.0, Color32::from_black_alpha(120)),
            );
        }
        badge(ui, &view.status.display_name, Color32::WHITE);
        if view.live.as_ref().is_some_and(|l| l.keyframes_only) {
            keyframes_marker(ui);
        }
        if let Some(badge_text) = text::event_badge(view.status, view.now_us) {
            ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                let label = RichText::new(badge_text).strong().color(Color32::BLACK);
                Frame::new()
                    .fill(EVENT_AMBER)
                    .corner_radius(CornerRadius::same(3))
                    .inner_margin(egui::Margin::symmetric(5, 1))
                    .show(ui, |ui| ui.add(Label::new(label).selectable(false)));
            });
        }
    });
}

/// "KF": the engine decodes key frames only for this tile (the decode budget is short).
fn keyframes_marker(ui: &mut Ui) {
    badge(ui, text::KEYFRAMES_MARKER, EVENT_AMBER).on_hover_text(tr!("live-keyframes-only-hover"));
}

/// Text on a dark translucent plate, readable over any picture; never steals clicks.
fn badge(ui: &mut Ui, text: &str, color: Color32) -> Response {
    Frame::new()
        .fill(OVERLAY)
        .corner_radius(CornerRadius::same(3))
        .inner_margin(egui::Margin::symmetric(5, 2))
        .show(ui, |ui| {
            ui.add(
                Label::new(RichText::new(text).color(color))
                    .selectable(false)
                    .wrap(),
            );
        })
        .response
}

/// A message on a plate that fits the text, in the middle of the tile.
fn centred_message(ui: &mut Ui, tile: Rect, message: &str) {
    let margin = Vec2::new(8.0, 4.0);
    let text = WidgetText::from(RichText::new(message).color(Color32::from_gray(230)));
    let galley = text.into_galley(
        ui,
        Some(TextWrapMode::Wrap),
        (tile.width() * 0.9 - 2.0 * margin.x).max(40.0),
        TextStyle::Body,
    );
    let plate = Rect::from_center_size(tile.center(), galley.size() + 2.0 * margin);
    ui.painter()
        .rect_filled(plate, CornerRadius::same(3), OVERLAY);
    ui.put(plate.shrink2(margin), Label::new(galley).selectable(false));
}

/// Paints "No cameras" guidance where the grid would be.
pub fn empty_grid(ui: &mut Ui, rect: Rect) {
    ui.painter().text(
        rect.center(),
        Align2::CENTER_CENTER,
        tr!("live-no-cameras-enabled"),
        egui::FontId::proportional(16.0),
        Color32::from_gray(180),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pictures_keep_their_aspect_inside_the_tile() {
        let tile = Rect::from_min_size(egui::pos2(0.0, 0.0), Vec2::new(400.0, 400.0));
        let r = fit_rect(tile, [1920, 1080]);
        assert_eq!(r.width(), 400.0);
        assert!((r.height() - 225.0).abs() < 0.01);
        assert_eq!(r.center(), tile.center());
    }
}
