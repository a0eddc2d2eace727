//! The bottom of the window: disk used and free, cameras by state, and a button that opens
//! the problems panel (every camera's last errors and the engine's own, with their times),
//! and why no sound can be played, when it cannot.

use egui::{Color32, Panel, RichText, ScrollArea, Ui};

use super::text::{self, Problem};
use crate::tr;
use vigil_core::service::EngineStatus;

const PROBLEM_RED: Color32 = Color32::from_rgb(235, 90, 80);

/// Draws the status bar (and the problems panel above it when open). Call before the
/// central panel.
pub fn show(
    ui: &mut Ui,
    status: &EngineStatus,
    engine_problems: &[String],
    sound: Option<&str>,
    open: &mut bool,
) {
    let problems = text::problems(status, engine_problems);
    Panel::bottom("status-bar").show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.label(text::disk_line(status));
            ui.separator();
            ui.label(text::camera_counts(status));
            ui.separator();
            let current = problems.iter().filter(|p| p.current).count();
            let label = match (problems.len(), current) {
                (0, _) => RichText::new(tr!("live-no-problems")),
                (n, 0) => RichText::new(tr!("live-problems-earlier", count = n)),
                (_, k) => RichText::new(tr!("live-problems-now", count = k))
                    .strong()
                    .color(PROBLEM_RED),
            };
            ui.toggle_value(open, label)
                .on_hover_text(tr!("live-problems-hover"));
            if let Some(sentence) = sound {
                ui.separator();
                ui.label(RichText::new(sentence).color(PROBLEM_RED));
            }
        });
    });
    if *open {
        Panel::bottom("problems")
            .resizable(true)
            .default_size(160.0)
            .show(ui, |ui| problems_list(ui, &problems));
    }
}

fn problems_list(ui: &mut Ui, problems: &[Problem]) {
    ui.heading(tr!("live-problems-heading"));
    if problems.is_empty() {
        ui.label(tr!("live-problems-none"));
        return;
    }
    ScrollArea::vertical().show(ui, |ui| {
        for p in problems {
            ui.horizontal_wrapped(|ui| {
                let who = p
                    .camera
                    .clone()
                    .unwrap_or_else(|| tr!("live-problem-engine"));
                let who = RichText::new(who).strong();
                ui.label(if p.current {
                    who.color(PROBLEM_RED)
                } else {
                    who
                });
                if let Some(when) = &p.when {
                    ui.label(RichText::new(when).weak());
                }
                ui.label(&p.text);
            });
        }
    });
}
