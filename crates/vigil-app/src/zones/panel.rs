//! The side panel of zone drawing: how to draw, "New zone" and "Done", the form of the zone
//! being drawn (name, detect or mask, sensitivity, minimum area, close, save, cancel) and
//! the camera's zones with their live motion level, sensitivity slider and delete button.

use egui::{Color32, DragValue, Panel, ProgressBar, RichText, ScrollArea, Slider, Ui};

use super::editor::ZoneEditor;
use super::paint::{activity, detect_color};
use vigil_core::detect::{ZoneActivity, ZoneKind, ZoneSpec};
use vigil_core::service::ConfigStore;

const ERROR_RED: Color32 = Color32::from_rgb(235, 90, 80);
const NOTICE_BLUE: Color32 = Color32::from_rgb(140, 190, 255);

const HOW_TO: &str = "Click on the picture to place points and click the first point to close \
    the outline. Drag a point to move it; right-click it (or select it and press Delete) to \
    remove it. Click a zone to edit it.";

/// Draws the panel (call before the central panel); true when "Done" was pressed.
pub fn show(
    ui: &mut Ui,
    editor: &mut ZoneEditor,
    store: &ConfigStore,
    motion: &[ZoneActivity],
) -> bool {
    let mut done = false;
    Panel::right("zone-editor")
        .resizable(false)
        .exact_size(300.0)
        .show(ui, |ui| {
            ScrollArea::vertical().show(ui, |ui| {
                ui.heading(format!("Zones of {}", editor.camera()));
                ui.label(RichText::new(HOW_TO).small().weak());
                ui.horizontal(|ui| {
                    if ui.button("New zone").clicked() {
                        editor.new_zone();
                    }
                    done = ui
                        .button("Done")
                        .on_hover_text("Leave zone drawing (Esc)")
                        .clicked();
                });
                if let Some(message) = editor.message() {
                    ui.label(RichText::new(message).color(ERROR_RED));
                }
                if let Some(notice) = editor.notice() {
                    ui.label(RichText::new(notice).color(NOTICE_BLUE));
                }
                if editor.draft().is_some() {
                    ui.separator();
                    draft_form(ui, editor, store);
                }
                ui.separator();
                zone_list(ui, editor, store, motion);
            });
        });
    done
}

/// The draft's settings and its buttons.
fn draft_form(ui: &mut Ui, editor: &mut ZoneEditor, store: &ConfigStore) {
    let (mut close, mut save, mut cancel) = (false, false, false);
    let Some(draft) = editor.draft_mut() else {
        return;
    };
    let title = if draft.is_new() {
        "New zone".to_string()
    } else {
        format!("Editing {}", draft.name)
    };
    ui.label(RichText::new(title).strong());
    ui.horizontal(|ui| {
        let label = ui.label("Zone name");
        ui.add(egui::TextEdit::singleline(&mut draft.name).hint_text("e.g. gate"))
            .labelled_by(label.id);
    });
    ui.horizontal(|ui| {
        ui.radio_value(&mut draft.kind, ZoneKind::Detect, "Detect")
            .on_hover_text("Motion here starts events");
        ui.radio_value(&mut draft.kind, ZoneKind::Mask, "Mask")
            .on_hover_text("Motion here is ignored by every zone");
    });
    ui.horizontal(|ui| {
        let label = ui.label("Sensitivity");
        ui.add(Slider::new(&mut draft.sensitivity, 0..=100))
            .labelled_by(label.id);
    });
    ui.horizontal(|ui| {
        let label = ui.label("Minimum area");
        let value = DragValue::new(&mut draft.min_area_pct)
            .range(0.0..=100.0)
            .speed(0.05)
            .max_decimals(2)
            .suffix(" %");
        ui.add(value)
            .labelled_by(label.id)
            .on_hover_text("How much of the zone must change to count as motion");
    });
    let state = match (draft.points().len(), draft.is_closed()) {
        (n, true) => format!("{n} points, closed"),
        (n, false) => format!("{n} points, open"),
    };
    ui.label(RichText::new(state).weak());
    ui.horizontal(|ui| {
        close = ui
            .add_enabled(!draft.is_closed(), egui::Button::new("Close polygon"))
            .clicked();
        save = ui.button("Save").clicked();
        cancel = ui.button("Cancel").clicked();
    });
    if close {
        editor.close_outline();
    }
    if save {
        editor.save(store);
    }
    if cancel {
        editor.cancel();
    }
}

/// The stored zones (except the one in the form), each with its live motion level.
fn zone_list(ui: &mut Ui, editor: &mut ZoneEditor, store: &ConfigStore, motion: &[ZoneActivity]) {
    let editing = editor.draft().map(|d| d.id);
    let zones: Vec<ZoneSpec> = editor.zones().to_vec();
    if zones.is_empty() {
        ui.label(RichText::new("No zones yet: motion is looked for in the whole picture.").weak());
    }
    for zone in zones.iter().filter(|z| Some(z.id) != editing) {
        ui.push_id(zone.id, |ui| zone_row(ui, editor, store, zone, motion));
        ui.add_space(6.0);
    }
}

fn zone_row(
    ui: &mut Ui,
    editor: &mut ZoneEditor,
    store: &ConfigStore,
    zone: &ZoneSpec,
    motion: &[ZoneActivity],
) {
    ui.horizontal(|ui| {
        ui.label(RichText::new(&zone.display_name).strong());
        let kind = match zone.kind {
            ZoneKind::Detect => "detect zone",
            ZoneKind::Mask => "mask",
        };
        ui.label(RichText::new(kind).weak());
        if ui
            .small_button("Edit")
            .accessible_name(format!("Edit zone {}", zone.name))
            .clicked()
        {
            editor.edit(zone.id);
        }
        if ui
            .small_button("Delete")
            .accessible_name(format!("Delete zone {}", zone.name))
            .clicked()
        {
            editor.remove(store, &zone.name);
        }
    });
    if zone.kind == ZoneKind::Mask {
        ui.label(RichText::new("motion here is ignored").weak());
        return;
    }
    let mut sensitivity = zone.sensitivity;
    let slider = ui
        .horizontal(|ui| {
            ui.label("sensitivity");
            ui.name_inputs(format!("Sensitivity of {}", zone.name), |ui| {
                ui.add(Slider::new(&mut sensitivity, 0..=100))
            })
        })
        .inner;
    // Stored when the drag ends, or at once for keys and assistive tools.
    if slider.changed() || slider.drag_stopped() {
        let store_now = (!slider.dragged()).then_some(store);
        editor.set_sensitivity(zone.id, sensitivity, store_now);
    }
    ui.label(RichText::new(format!("minimum area {:.2} %", zone.min_area * 100.0)).weak());
    let seen = activity(zone, motion);
    let bar = match seen {
        Some(a) => ProgressBar::new(a.level)
            .fill(detect_color(Some(a)).to_opaque())
            .text(format!(
                "{:.1} % moving{}",
                a.changed * 100.0,
                if a.active { " — MOTION" } else { "" }
            )),
        None => ProgressBar::new(0.0).text("no motion level yet"),
    };
    ui.add(bar);
}
