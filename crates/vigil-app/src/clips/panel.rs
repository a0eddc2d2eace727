//! Drawing of the clip library panel: the filter row, the confirmation of a deletion, and the
//! list (only the rows on screen are laid out; their thumbnails are asked for once, and
//! decoded by the archive off the UI thread).

use egui::{ComboBox, Panel, RichText, ScrollArea, TextEdit, Ui, Vec2};

use super::filter::Period;
use super::{ClipLibrary, ClipTab};
use crate::actions::UiAction;
use crate::local_time;
use crate::object_words::{event_title, zone_in_details};
use crate::text;
use crate::tr;
use vigil_core::model::{Event, EventSource};
use vigil_core::service::{Archive, ExportRequest, Wake};

const ROW_HEIGHT: f32 = 46.0;
const THUMB: Vec2 = Vec2::new(64.0, 36.0);

pub(super) fn show(
    ui: &mut Ui,
    lib: &mut ClipLibrary,
    archive: Option<(&Archive, &Wake)>,
) -> Option<UiAction> {
    let mut action = None;
    Panel::right("clip-library")
        .resizable(true)
        .default_size(380.0)
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.heading(tr!("clips-heading"));
                if ui.button(tr!("common-close")).clicked() {
                    lib.open = false;
                }
            });
            ui.horizontal(|ui| {
                ui.selectable_value(&mut lib.tab, ClipTab::Events, tr!("clips-tab-events"));
                ui.selectable_value(&mut lib.tab, ClipTab::Bookmarks, tr!("clips-tab-bookmarks"));
            });
            if lib.tab == ClipTab::Bookmarks {
                if let Some((archive, wake)) = archive {
                    let names = lib.shown_names.clone();
                    let shown =
                        move |id: &str| names.get(id).cloned().unwrap_or_else(|| id.to_string());
                    action = lib.bookmarks.show(ui, archive, wake, &shown);
                }
                return;
            }
            filters(ui, lib);
            if let Some(m) = &lib.message {
                ui.label(RichText::new(m).weak());
            }
            if let Some((archive, wake)) = archive {
                confirmation(ui, lib, archive, wake);
                ui.label(tr!("clips-event-count", count = lib.events.len()));
                action = list(ui, lib, archive, wake);
            }
        });
    action
}

fn filters(ui: &mut Ui, lib: &mut ClipLibrary) {
    let cameras: Vec<(String, String)> = lib
        .cameras
        .iter()
        .map(|c| (c.clone(), lib.display_name(c).to_string()))
        .collect();
    let chosen = lib
        .filter
        .camera
        .as_deref()
        .map(|c| lib.display_name(c).to_string());
    let f = &mut lib.filter;
    ui.horizontal_wrapped(|ui| {
        ComboBox::from_id_salt("clip-camera")
            .selected_text(chosen.unwrap_or_else(|| tr!("clips-all-cameras")))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut f.camera, None, tr!("clips-all-cameras"));
                for (name, shown) in cameras {
                    ui.selectable_value(&mut f.camera, Some(name), shown);
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
            .selected_text(
                f.source
                    .map_or_else(|| tr!("clips-any-source"), source_label),
            )
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut f.source, None, tr!("clips-any-source"));
                for s in [
                    EventSource::Motion,
                    EventSource::Object,
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
            .hint_text(tr!("clips-search-hint"))
            .desired_width(f32::INFINITY),
    );
}

fn source_label(s: EventSource) -> String {
    match s {
        EventSource::Motion => tr!("clips-source-motion"),
        EventSource::Object => tr!("clips-source-object"),
        EventSource::External => tr!("clips-source-trigger"),
        EventSource::Camera => tr!("common-camera"),
        EventSource::Manual => tr!("clips-source-manual"),
    }
}

fn confirmation(ui: &mut Ui, lib: &mut ClipLibrary, archive: &Archive, wake: &Wake) {
    let Some((e, d)) = &lib.confirm else {
        return;
    };
    let question = tr!(
        "clips-delete-question",
        id = e.id,
        label = e.label.as_str(),
        camera = lib.display_name(&e.camera),
        time = local_time::date_time(e.start_us),
        clips = d.clips,
        size = text::bytes(d.bytes)
    );
    let text = if d.other_events > 0 {
        tr!(
            "clips-delete-question-others",
            question = question,
            count = d.other_events
        )
    } else {
        question
    };
    ui.group(|ui| {
        ui.label(RichText::new(text).strong());
        ui.horizontal(|ui| {
            if ui.button(tr!("clips-delete-event")).clicked() {
                lib.delete_confirmed(archive, wake);
            }
            if ui.button(tr!("clips-keep-it")).clicked() {
                lib.confirm = None;
            }
        });
    });
}

fn list(ui: &mut Ui, lib: &mut ClipLibrary, archive: &Archive, wake: &Wake) -> Option<UiAction> {
    let mut action = None;
    let events = lib.events.clone();
    // Viewing another recorder's library: its clips are changed where it runs.
    let writable = !archive.is_read_only();
    ScrollArea::vertical()
        .auto_shrink([false, false])
        .show_rows(ui, ROW_HEIGHT, events.len(), |ui, rows| {
            for e in &events[rows] {
                ui.horizontal(|ui| {
                    ui.set_height(ROW_HEIGHT - 4.0);
                    thumbnail(ui, lib, e);
                    ui.vertical(|ui| {
                        let what = event_title(e.source, &e.label, e.zone.as_deref());
                        let title = format!("{} · {what}", lib.display_name(&e.camera));
                        let chosen = lib.selected == Some(e.id);
                        if ui.selectable_label(chosen, title).clicked() {
                            action = Some(lib.select(e));
                        }
                        ui.horizontal(|ui| {
                            ui.label(RichText::new(details(e)).weak().small());
                            let protect = if e.protected {
                                tr!("clips-protected")
                            } else {
                                tr!("clips-protect")
                            };
                            let button = egui::Button::new(protect).small();
                            let protect = ui
                                .add_enabled(writable, button)
                                .on_disabled_hover_text(tr!("viewer-cannot-configure"));
                            if protect.clicked() {
                                lib.toggle_protected(archive, e, wake);
                            }
                            if ui.small_button(tr!("clips-export-id", id = e.id)).clicked() {
                                action = Some(UiAction::Export(ExportRequest::Event(e.id)));
                            }
                            let button = egui::Button::new(tr!("clips-delete-id", id = e.id));
                            let delete = ui
                                .add_enabled(writable, button.small())
                                .on_disabled_hover_text(tr!("viewer-cannot-configure"));
                            if delete.clicked() {
                                lib.ask_delete(archive, e, wake);
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
        None => s.push_str(&format!(" · {}", tr!("clips-in-progress"))),
    }
    match &e.zone {
        Some(zone) if zone_in_details(e.source) => s.push_str(&format!(" · {zone}")),
        _ => {}
    }
    if e.source == EventSource::Object {
        let percent = format!("{:.0}", e.score * 100.0);
        s.push_str(&format!(" · {}", tr!("clips-score", percent = percent)));
    }
    s
}

/// The row's thumbnail once decoded; until then its place, and the row asks for it.
fn thumbnail(ui: &mut Ui, lib: &mut ClipLibrary, e: &Event) {
    if !e.has_thumbnail {
        lib.thumbs.entry(e.id).or_insert(None);
    }
    match lib.thumbs.get(&e.id) {
        Some(Some(t)) => {
            ui.add(egui::Image::new((t.id(), THUMB)));
            return;
        }
        Some(None) => {}
        None if !lib.jobs.decoding(e.id) => lib.wanted.push(e.id),
        None => {}
    }
    ui.allocate_exact_size(THUMB, egui::Sense::hover());
}
