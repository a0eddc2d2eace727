//! A tile's sound controls, in its bottom-right corner: the speaker (mute / unmute, on tiles
//! whose camera has sound), the volume slider (on the selected tile), and, live, "Listen" on
//! the selected tile (disabled, saying why, when the camera's sound is off).

use egui::{Align, Button, Layout, Rect, RichText, Slider, Ui, UiBuilder, WidgetInfo};

use super::Sound;
use crate::tr;

/// The speaker's faces: sound on, muted.
pub const SPEAKER_ON: &str = "🔊"; // i18n-ignore: an icon
pub const SPEAKER_MUTED: &str = "🔇"; // i18n-ignore: an icon

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
    let (face, hover) = if settings.muted {
        (SPEAKER_MUTED, tr!("sound-unmute"))
    } else {
        (SPEAKER_ON, tr!("sound-mute"))
    };
    let button = ui.add(Button::new(RichText::new(face).size(14.0)));
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
