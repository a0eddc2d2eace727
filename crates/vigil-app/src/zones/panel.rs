//! The side panel of zone drawing: how to draw, "New zone" and "Done", the form of the zone
//! being drawn (name, detect or mask, sensitivity, minimum area, close, save, cancel) and
//! the camera's zones with their live motion level, sensitivity slider and delete button.

use egui::{Color32, DragValue, Panel, ProgressBar, RichText, ScrollArea, Slider, Ui};

use super::editor::ZoneEditor;
use super::paint::{activity, detect_color};
use crate::tr;
use vigil_core::detect::{ZoneActivity, ZoneKind, ZoneSpec};
use vigil_core::service::ConfigStore;

const ERROR_RED: Color32 = Color32::from_rgb(235, 90, 80);
const NOTICE_BLUE: Color32 = Color32::from_rgb(140, 190, 255);

/// Draws the panel (call before the central panel); true when "Done" was pressed.
pub fn show(
    ui: &mut Ui,
    editor: &mut ZoneEditor,
    store: &ConfigStore,
    motion: &[ZoneActivity],
    shown_name: &str,
) -> bool {
    let mut done = false;
    Panel::right("zone-editor")
        .resizable(false)
        .exact_size(300.0)
        .show(ui, |ui| {
            ScrollArea::vertical().show(ui, |ui| {
                ui.heading(tr!("zones-heading", camera = shown_name));
                ui.label(RichText::new(tr!("zones-how-to")).small().weak());
                ui.horizontal(|ui| {
                    if ui.button(tr!("zones-new")).clicked() {
                        editor.new_zone();
                    }
                    done = ui
                        .button(tr!("zones-done"))
                        .on_hover_text(tr!("zones-done-hover"))
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
        tr!("zones-new")
    } else {
        tr!("zones-editing", name = draft.name.as_str())
    };
    ui.label(RichText::new(title).strong());
    ui.horizontal(|ui| {
        let label = ui.label(tr!("zones-name"));
        ui.add(egui::TextEdit::singleline(&mut draft.name).hint_text(tr!("zones-name-hint")))
            .labelled_by(label.id);
    });
    ui.horizontal(|ui| {
        ui.radio_value(&mut draft.kind, ZoneKind::Detect, tr!("zones-detect"))
            .on_hover_text(tr!("zones-detect-hover"));
        ui.radio_value(&mut draft.kind, ZoneKind::Mask, tr!("zones-mask"))
            .on_hover_text(tr!("zones-mask-hover"));
    });
    ui.horizontal(|ui| {
        let label = ui.label(tr!("zones-sensitivity"));
        ui.add(Slider::new(&mut draft.sensitivity, 0..=100))
            .labelled_by(label.id);
    });
    ui.horizontal(|ui| {
        let label = ui.label(tr!("zones-min-area"));
        let value = DragValue::new(&mut draft.min_area_pct)
            .range(0.0..=100.0)
            .speed(0.05)
            .max_decimals(2)
            .suffix(" %");
        ui.add(value)
            .labelled_by(label.id)
            .on_hover_text(tr!("zones-min-area-hover"));
    });
    let state = match (draft.points().len(), draft.is_closed()) {
        (n, true) => tr!("zones-points-closed", count = n),
        (n, false) => tr!("zones-points-open", count = n),
    };
    ui.label(RichText::new(state).weak());
    ui.horizontal(|ui| {
        close = ui
            .add_enabled(
                !draft.is_closed(),
                egui::Button::new(tr!("zones-close-polygon")),
            )
            .clicked();
        save = ui.button(tr!("common-save")).clicked();
        cancel = ui.button(tr!("common-cancel")).clicked();
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
        ui.label(RichText::new(tr!("zones-none-yet")).weak());
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
            ZoneKind::Detect => tr!("zones-kind-detect"),
            ZoneKind::Mask => tr!("zones-kind-mask"),
        };
        ui.label(RichText::new(kind).weak());
        if ui
            .small_button(tr!("common-edit"))
            .accessible_name(tr!("zones-edit-named", name = zone.name.as_str()))
            .clicked()
        {
            editor.edit(zone.id);
        }
        if ui
            .small_button(tr!("common-delete"))
            .accessible_name(tr!("zones-delete-named", name = zone.name.as_str()))
            .clicked()
        {
            editor.remove(store, &zone.name);
        }
    });
    if zone.kind == ZoneKind::Mask {
        ui.label(RichText::new(tr!("zones-mask-note")).weak());
        return;
    }
    let mut sensitivity = zone.sensitivity;
    let slider = ui
        .horizontal(|ui| {
            ui.label(tr!("zones-sensitivity-short"));
            ui.name_inputs(
                tr!("zones-sensitivity-of", name = zone.name.as_str()),
                |ui| ui.add(Slider::new(&mut sensitivity, 0..=100)),
            )
        })
        .inner;
    // Stored when the drag ends, or at once for keys and assistive tools.
    if slider.changed() || slider.drag_stopped() {
        let store_now = (!slider.dragged()).then_some(store);
        editor.set_sensitivity(zone.id, sensitivity, store_now);
    }
    let area = format!("{:.2}", zone.min_area * 100.0);
    ui.label(RichText::new(tr!("zones-min-area-of", percent = area)).weak());
    let seen = activity(zone, motion);
    let bar = match seen {
        Some(a) => ProgressBar::new(a.level)
            .fill(detect_color(Some(a)).to_opaque())
            .text({
                let percent = format!("{:.1}", a.changed * 100.0);
                if a.active {
                    tr!("zones-moving-motion", percent = percent)
                } else {
                    tr!("zones-moving", percent = percent)
                }
            }),
        None => ProgressBar::new(0.0).text(tr!("zones-no-level")),
    };
    ui.add(bar);
}
