//! A tile's sound controls, in its bottom-right corner: the speaker (mute / unmute, on tiles
//! whose camera has sound), the volume slider (on the selected tile), and, live, "Listen" on
//! the selected tile (disabled, saying why, when the camera's sound is off).

use egui::{
    Align, Button, Layout, Pos2, Rect, Sense, Shape, Slider, Stroke, Ui, UiBuilder, WidgetInfo,
};

use super::Sound;
use crate::tr;

/// What one tile's controls show.
pub struct TileSoundView<'a> {
    pub camera: &'a str,
    /// The camera's picture comes with sound (recorded, or live with its sound on).
    pub has_sound: bool,
    pub selected: bool,
    /// Live view: `Some(sound on for the camera)` shows "Listen" on the selected tile.
    pub live: Option<bool>,
}

/// Draws the controls over the tile's bottom-right corner.
pub fn tile_controls(ui: &mut Ui, rect: Rect, sound: &mut Sound, view: &TileSoundView<'_>) {
    let listen = view.selected && view.live.is_some();
    if !view.has_sound && !listen {
        return;
    }
    let bar = Rect::from_min_max(
        egui::pos2(rect.left() + 6.0, rect.bottom() - 30.0),
        rect.right_bottom() - egui::vec2(6.0, 4.0),
    );
    let mut ui = ui.new_child(
        UiBuilder::new()
            .max_rect(bar)
            .layout(Layout::right_to_left(Align::Center)),
    );
    ui.push_id(("tile-sound", view.camera), |ui| {
        if view.has_sound {
            speaker(ui, sound, view);
        }
        if listen {
            listen_button(ui, sound, view.live == Some(true));
        }
    });
}

fn speaker(ui: &mut Ui, sound: &mut Sound, view: &TileSoundView<'_>) {
    let settings = sound.settings(view.camera);
    let hover = if settings.muted {
        tr!("sound-unmute")
    } else {
        tr!("sound-mute")
    };
    let button = speaker_button(ui, settings.muted);
    let label = tr!("sound-speaker", camera = view.camera);
    button.widget_info(|| WidgetInfo::labeled(egui::Role::Button, true, &label));
    if button.on_hover_text(hover).clicked() {
        sound.set_muted(view.camera, !settings.muted);
    }
    if view.selected {
        let mut volume = settings.volume;
        let slider = Slider::new(&mut volume, 0.0..=1.0).show_value(false);
        let response = ui.add_sized([80.0, 18.0], slider);
        let label = tr!("sound-volume-of", camera = view.camera);
        response.widget_info(|| WidgetInfo::slider(true, f64::from(volume), &label));
        let changed = response.on_hover_text(tr!("sound-volume")).changed();
        if changed {
            sound.set_volume(view.camera, volume);
        }
    }
}

fn listen_button(ui: &mut Ui, sound: &mut Sound, sound_on: bool) {
    let mut on = sound.listening() && sound_on;
    let toggle = ui
        .add_enabled(sound_on, Button::new(tr!("sound-listen")).selected(on))
        .on_hover_text(tr!("sound-listen-hover"))
        .on_disabled_hover_text(tr!("sound-off-for-camera"));
    if toggle.clicked() {
        on = !on;
        sound.set_listening(on);
    }
}

/// A speaker drawn with the painter (the app's fonts carry no emoji): waves when the sound
/// is on, a cross when muted.
fn speaker_button(ui: &mut Ui, muted: bool) -> egui::Response {
    let (rect, response) = ui.allocate_exact_size(egui::vec2(24.0, 20.0), Sense::click());
    if !ui.is_rect_visible(rect) {
        return response;
    }
    let visuals = ui.style().interact(&response);
    let painter = ui.painter();
    painter.rect_filled(rect, visuals.corner_radius, visuals.bg_fill);
    let color = visuals.fg_stroke.color;
    let c = rect.center();
    let at = |x: f32, y: f32| Pos2::new(c.x + x, c.y + y);
    let body = vec![
        at(-8.0, -3.0),
        at(-5.0, -3.0),
        at(-1.0, -7.0),
        at(-1.0, 7.0),
        at(-5.0, 3.0),
        at(-8.0, 3.0),
    ];
    painter.add(Shape::convex_polygon(body, color, Stroke::NONE));
    let stroke = Stroke::new(1.5, color);
    if muted {
        painter.line_segment([at(2.0, -4.0), at(8.0, 4.0)], stroke);
        painter.line_segment([at(2.0, 4.0), at(8.0, -4.0)], stroke);
    } else {
        for r in [5.0_f32, 8.5] {
            let arc: Vec<Pos2> = (-3..=3)
                .map(|i| {
                    let a = i as f32 * 0.25;
                    at(-1.0 + r * a.cos(), r * a.sin())
                })
                .collect();
            painter.add(Shape::line(arc, stroke));
        }
    }
    response
}
