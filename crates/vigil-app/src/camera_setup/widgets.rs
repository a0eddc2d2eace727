//! Pieces the setup dialogs share: the modal frame with its title, a labelled text field with
//! its problem written under it, the "Record sound" row, and the colours for problems and
//! good news.

use crate::tr;
use egui::{Align2, Color32, Context, Id, Key, Modal, Modifiers, Response, RichText, TextEdit, Ui};

pub const ERROR_RED: Color32 = Color32::from_rgb(235, 90, 80);
pub const GOOD_GREEN: Color32 = Color32::from_rgb(110, 200, 120);
/// Width of the dialogs' content, points.
const DIALOG_WIDTH: f32 = 540.0;
const FIELD_WIDTH: f32 = 330.0;

/// A modal dialog with a title; `content` gets the inside. Returns its result and whether
/// Esc was pressed (the caller closes the dialog).
pub fn modal<R>(
    ctx: &Context,
    id: &str,
    title: &str,
    content: impl FnOnce(&mut Ui) -> R,
) -> (R, bool) {
    let id = Id::unique(("camera-setup", id));
    // Anchored at the top, so the dialog does not jump when a problem line comes or goes.
    let area = Modal::default_area(id).anchor(Align2::CENTER_TOP, [0.0, 48.0]);
    let shown = Modal::new(id).area(area).show(ctx, |ui| {
        ui.set_width(DIALOG_WIDTH);
        ui.heading(title);
        ui.add_space(4.0);
        content(ui)
    });
    let escape = ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Escape));
    (shown.inner, escape)
}

/// One row of a two-column [`egui::Grid`]: the label, then the field with its problem (if
/// any) under it. The field is labelled by the label, so it is found by that name.
pub fn field_row(
    ui: &mut Ui,
    label: &str,
    edit: TextEdit<'_>,
    enabled: bool,
    error: Option<&str>,
) -> Response {
    // In its own top-aligned cell: beside a field with a problem under it, a bare label is
    // placed from the previous frame's row height and can land on the next row's label.
    let label = ui
        .vertical(|ui| ui.add(egui::Label::new(label).wrap_mode(egui::TextWrapMode::Extend)))
        .inner;
    let response = ui
        .vertical(|ui| {
            let r = ui
                .add_enabled(enabled, edit.desired_width(FIELD_WIDTH))
                .labelled_by(label.id);
            if let (true, Some(e)) = (enabled, error) {
                problem(ui, e);
            }
            r
        })
        .inner;
    ui.end_row();
    response
}

/// A problem in words, in red, wrapped to the dialog.
pub fn problem(ui: &mut Ui, text: &str) {
    ui.label(RichText::new(text).color(ERROR_RED));
}

/// The row of a dialog's buttons: the main action (enabled only when `blocked` is `None`,
/// else the reason is shown next to it) and Cancel. Returns (main clicked, cancel clicked).
pub fn buttons(ui: &mut Ui, action: &str, blocked: Option<&str>) -> (bool, bool) {
    ui.separator();
    if let Some(reason) = blocked {
        let action = action.to_lowercase();
        problem(
            ui,
            &tr!("setup-cannot-yet", action = action, reason = reason),
        );
    }
    ui.horizontal(|ui| {
        let main = ui
            .add_enabled(blocked.is_none(), egui::Button::new(action))
            .clicked();
        let cancel = ui.button(tr!("common-cancel")).clicked();
        (main, cancel)
    })
    .inner
}

/// "Record sound", off unless ticked, with the one-line note that the law may forbid it
/// (the camera dialog and the policy editor).
pub fn sound_row(ui: &mut Ui, audio: &mut bool) {
    ui.checkbox(audio, tr!("setup-record-sound"));
    ui.label(RichText::new(tr!("setup-record-sound-note")).weak());
}
