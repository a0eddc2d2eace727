//! Search mode's side panel: how to draw, the period, Search / Cancel with the job's
//! progress, and the answer: how much of the period had an index, and the hits (start,
//! duration, how much of the region moved), each a button that plays it.

use egui::{Color32, Panel, ProgressBar, RichText, ScrollArea, Ui};

use super::period::{Period, TimeContext};
use super::thumbs;
use super::MotionSearchMode;
use crate::backend::Backend;
use crate::local_time;
use crate::tr;
use vigil_core::service::{Archive, Wake};
use vigil_core::service::{MotionHit, MotionSearch};

const ERROR: Color32 = Color32::from_rgb(235, 90, 80);
const CHOSEN: Color32 = Color32::from_rgb(255, 200, 60);

/// What the operator did in the panel this frame.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct PanelOut {
    /// A hit was clicked: play from here (UTC µs).
    pub play_from: Option<i64>,
    /// Close was clicked.
    pub close: bool,
}

/// Draws the panel (before the central panel).
pub fn show(
    ui: &mut Ui,
    mode: &mut MotionSearchMode,
    backend: &dyn Backend,
    t: &TimeContext,
    wake: &Wake,
    shown_name: &str,
) -> PanelOut {
    mode.poll();
    let archive = backend.archive();
    let mut out = PanelOut::default();
    Panel::right("motion-search")
        .default_size(320.0)
        .max_size(380.0)
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.heading(tr!("search-title", camera = shown_name));
                if ui.button(tr!("search-close")).clicked() {
                    out.close = true;
                }
            });
            ui.label(RichText::new(tr!("search-how-to-draw")).weak());
            controls(ui, mode, archive, t, wake);
            if let Some(m) = mode.message() {
                ui.label(RichText::new(m).color(ERROR));
            }
            if let Some(found) = mode.found.as_ref().map(|(f, r)| (f.clone(), *r)) {
                ui.separator();
                out.play_from = answer(ui, mode, &found.0, found.1);
            }
        });
    let id = mode.camera_id;
    mode.thumbs.poll(ui.ctx(), backend, id, wake);
    out
}

fn controls(
    ui: &mut Ui,
    mode: &mut MotionSearchMode,
    archive: Option<&Archive>,
    t: &TimeContext,
    wake: &Wake,
) {
    ui.horizontal_wrapped(|ui| {
        for p in Period::ALL {
            let enabled = p.range(t).is_some() && !mode.is_running();
            let selected = mode.period == p;
            if ui
                .add_enabled(enabled, egui::Button::selectable(selected, p.label()))
                .clicked()
            {
                mode.period = p;
            }
        }
    });
    if let Some(progress) = mode.progress() {
        ui.horizontal(|ui| {
            ui.add(
                ProgressBar::new(progress as f32)
                    .show_percentage()
                    .desired_width(180.0),
            );
            if ui.button(tr!("search-cancel")).clicked() {
                mode.cancel();
            }
        });
        return;
    }
    let Some(archive) = archive else {
        ui.label(RichText::new(tr!("search-no-library")).color(ERROR));
        return;
    };
    if ui.button(tr!("search-run")).clicked() {
        mode.search(archive, t, wake.clone());
    }
}

/// The index note and the hits; answers where to play from when one is clicked.
fn answer(
    ui: &mut Ui,
    mode: &mut MotionSearchMode,
    found: &MotionSearch,
    (from_us, to_us): (i64, i64),
) -> Option<i64> {
    if let Some(&(_, end)) = found.unindexed.first().filter(|u| u.0 <= from_us) {
        ui.label(
            RichText::new(tr!(
                "search-no-index-before",
                at = local_time::date_time(end)
            ))
            .weak(),
        );
    }
    if found.indexed_minutes == 0 {
        ui.label(RichText::new(tr!("search-no-index")).color(ERROR));
        return None;
    }
    if found.hits.is_empty() {
        ui.label(tr!(
            "search-nothing-moved",
            from = local_time::date_time(from_us),
            to = local_time::date_time(to_us)
        ));
        return None;
    }
    ui.label(tr!("search-hits", count = found.hits.len()));
    let mut play = None;
    let row_h = thumbs::SIZE[1] as f32 / 2.0 + 8.0;
    ScrollArea::vertical().show_rows(ui, row_h, found.hits.len(), |ui, rows| {
        for i in rows {
            let hit = &found.hits[i];
            mode.thumbs.want(hit.start_us);
            if hit_row(ui, mode, i, hit) {
                play = mode.choose(i);
            }
        }
    });
    play
}

/// One hit: its picture (or room for it) and a button with when, how long and how much of
/// the region moved; answers whether it was clicked.
fn hit_row(ui: &mut Ui, mode: &MotionSearchMode, i: usize, hit: &MotionHit) -> bool {
    let text = tr!(
        "search-hit",
        at = local_time::date_time(hit.start_us),
        span = local_time::duration(hit.duration_us().max(1_000_000)),
        percent = ((hit.peak_fraction * 100.0).round() as i64).max(1)
    );
    let chosen = mode.chosen() == Some(i);
    let text = if chosen {
        RichText::new(text).color(CHOSEN).strong()
    } else {
        RichText::new(text)
    };
    let size = egui::vec2(thumbs::SIZE[0] as f32, thumbs::SIZE[1] as f32) / 2.0;
    ui.horizontal(|ui| {
        match mode.thumbnail(hit.start_us) {
            Some(t) => {
                ui.add(egui::Image::new((t.id(), size)));
            }
            None => {
                ui.allocate_exact_size(size, egui::Sense::hover());
            }
        }
        ui.add(egui::Button::selectable(chosen, text)).clicked()
    })
    .inner
}
