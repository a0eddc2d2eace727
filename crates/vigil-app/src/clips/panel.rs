//! Drawing of the clip library panel: the filter row, the confirmation of a deletion, and the
//! list (only the rows on screen are laid out; their thumbnails are decoded once).

use egui::{ComboBox, Panel, RichText, ScrollArea, TextEdit, TextureOptions, Ui, Vec2};

use super::filter::Period;
use super::ClipLibrary;
use crate::actions::UiAction;
use crate::local_time;
use crate::text;
use vigil_core::engine::archive::{Archive, ExportRequest};
use vigil_core::model::{Event, EventSource};

const ROW_HEIGHT: f32 = 46.0;
const THUMB: Vec2 = Vec2::new(64.0, 36.0);

pub(super) fn show(
    ui: &mut Ui,
    lib: &mut ClipLibrary,
    archive: Option<&Archive>,
) -> Option<UiAction> {
    let mut action = None;
    Panel::right("clip-library")
        .resizable(true)
        .default_size(380.0)
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.heading("Clips");
                if ui.button("Close").clicked() {
                    lib.open = false;
                }
            });
            filters(ui, lib);
            if let Some(m) = &lib.message {
                ui.label(RichText::new(m).weak());
            }
            if let Some(archive) = archive {
                confirmation(ui, lib, archive);
                ui.label(format!("{} events", lib.events.len()));
                action = list(ui, lib, archive);
            }
        });
    action
}

fn filters(ui: &mut Ui, lib: &mut ClipLibrary) {
    let f = &mut lib.filter;
    ui.horizontal_wrapped(|ui| {
        ComboBox::from_id_salt("clip-camera")
            .selected_text(f.camera.as_deref().unwrap_or("All cameras"))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut f.camera, None, "All cameras");
                for name in &lib.cameras {
                    ui.selectable_value(&mut f.camera, Some(name.clone()), name);
                }
            });
        ComboBox::from_id_salt("clip-period")
            .selected_text(f.period.label())
            .show_ui(ui, |ui| {
                for p in Period::ALL {
                    ui.selectable_value(&mut f.period, p, p.label());
                }
            });
        ComboBox::from_id_salt("clip-source")
            .selected_text(f.source.map_or("Any source", source_label))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut f.source, None, "Any source");
                for s in [
                    EventSource::Motion,
                    EventSource::External,
                    EventSource::Camera,
                    EventSource::Manual,
                ] {
                    ui.selectable_value(&mut f.source, Some(s), source_label(s));
                }
            });
    });
    ui.add(
        TextEdit::singleline(&mut f.text)
            .hint_text("label or zone contains…")
            .desired_width(f32::INFINITY),
    );
}

fn source_label(s: EventSource) -> &'static str {
    match s {
        EventSource::Motion => "Motion",
        EventSource::External => "Trigger",
        EventSource::Camera => "Camera",
        EventSource::Manual => "Manual",
    }
}

fn confirmation(ui: &mut Ui, lib: &mut ClipLibrary, archive: &Archive) {
    let Some((e, d)) = &lib.confirm else {
        return;
    };
    let mut text = format!(
        "Delete event {} ({}, {}, {})? It removes {} clip(s), {}.",
        e.id,
        e.label,
        e.camera,
        local_time::date_time(e.start_us),
        d.clips,
        text::bytes(d.bytes)
    );
    if d.other_events > 0 {
        text.push_str(&format!(
            " {} other event(s) in those clips lose their video.",
            d.other_events
        ));
    }
    ui.group(|ui| {
        ui.label(RichText::new(text).strong());
        ui.horizontal(|ui| {
            if ui.button("Delete event").clicked() {
                lib.delete_confirmed(archive);
            }
            if ui.button("Keep it").clicked() {
                lib.confirm = None;
            }
        });
    });
}

fn list(ui: &mut Ui, lib: &mut ClipLibrary, archive: &Archive) -> Option<UiAction> {
    let mut action = None;
    let events = lib.events.clone();
    ScrollArea::vertical()
        .auto_shrink([false, false])
        .show_rows(ui, ROW_HEIGHT, events.len(), |ui, rows| {
            for e in &events[rows] {
                ui.horizontal(|ui| {
                    ui.set_height(ROW_HEIGHT - 4.0);
                    thumbnail(ui, lib, archive, e);
                    ui.vertical(|ui| {
                        let title = format!("{} · {}", e.camera, e.label);
                        let chosen = lib.selected == Some(e.id);
                        if ui.selectable_label(chosen, title).clicked() {
                            action = Some(lib.select(e));
                        }
                        ui.horizontal(|ui| {
                            ui.label(RichText::new(details(e)).weak().small());
                            let protect = if e.protected { "Protected" } else { "Protect" };
                            if ui.small_button(protect).clicked() {
                                lib.toggle_protected(archive, e);
                            }
                            if ui.small_button(format!("Export {}…", e.id)).clicked() {
                                action = Some(UiAction::Export(ExportRequest::Event(e.id)));
                            }
                            if ui.small_button(format!("Delete {}…", e.id)).clicked() {
                                lib.ask_delete(archive, e);
                            }
                        });
                    });
                });
            }
        });
    action
}

/// "2026-11-25 03:12:45 · 12 s · gate"
fn details(e: &Event) -> String {
    let mut s = local_time::date_time(e.start_us);
    match e.end_us {
        Some(end) => s.push_str(&format!(" · {}", local_time::duration(end - e.start_us))),
        None => s.push_str(" · in progress"),
    }
    if let Some(zone) = &e.zone {
        s.push_str(&format!(" · {zone}"));
    }
    s
}

fn thumbnail(ui: &mut Ui, lib: &mut ClipLibrary, archive: &Archive, e: &Event) {
    let texture = lib
        .thumbs
        .entry(e.id)
        .or_insert_with(|| load_thumbnail(ui.ctx(), archive, e));
    match texture {
        Some(t) => {
            ui.add(egui::Image::new((t.id(), THUMB)));
        }
        None => {
            ui.allocate_exact_size(THUMB, egui::Sense::hover());
        }
    }
}

fn load_thumbnail(
    ctx: &egui::Context,
    archive: &Archive,
    e: &Event,
) -> Option<egui::TextureHandle> {
    if !e.has_thumbnail {
        return None;
    }
    let jpeg = archive.thumbnail(e.id).ok().flatten()?;
    let img = image::load_from_memory_with_format(&jpeg, image::ImageFormat::Jpeg)
        .map_err(|err| tracing::warn!(event = e.id, error = %err, "unreadable thumbnail"))
        .ok()?
        .to_rgba8();
    let size = [img.width() as usize, img.height() as usize];
    let color = egui::ColorImage::from_rgba_unmultiplied(size, img.as_raw());
    Some(ctx.load_texture(format!("event-{}", e.id), color, TextureOptions::LINEAR))
}
