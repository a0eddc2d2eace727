//! The layout picker in the top bar: one menu button ("Layout: 2×2", or the saved layout's
//! name, marked when changed) holding auto, every shape, the saved layouts by name, the
//! save / rename / delete entries and the camera list switch, so the bar stays narrow.

use egui::{Context, RichText, Ui};

use super::dialog::ToSave;
use super::LayoutsUi;
use crate::grid::{GridState, Layout};
use crate::tr;
use vigil_core::service::ConfigStore;

impl LayoutsUi {
    /// The menu button's text: the saved layout's name (with "(changed)" when it differs
    /// from what is stored), else the shape.
    pub fn title(&self, grid: &GridState, names: &[String]) -> String {
        match &self.current {
            Some((_, name)) if self.is_changed(grid) => {
                tr!("layouts-title-changed", name = short(name))
            }
            Some((_, name)) => tr!("layouts-title", name = short(name)),
            None if grid.layout == Layout::Auto => {
                let shape = grid.layout.kind(names.len()).label();
                tr!("layouts-title-auto", shape = shape)
            }
            None => tr!("layouts-title", name = grid.layout.label()),
        }
    }

    /// Draws the picker in the top bar.
    pub fn picker(
        &mut self,
        ui: &mut Ui,
        config: Option<&ConfigStore>,
        grid: &mut GridState,
        names: &[String],
    ) {
        let title = self.title(grid, names);
        ui.menu_button(title, |ui| {
            ui.label(RichText::new(tr!("layouts-shape")).weak());
            ui.horizontal_wrapped(|ui| {
                ui.set_max_width(220.0);
                for layout in Layout::all() {
                    let on = self.current.is_none() && grid.layout == layout;
                    if ui.selectable_label(on, layout.label()).clicked() {
                        self.pick(grid, layout);
                        ui.ctx().request_repaint();
                        ui.close();
                    }
                }
            });
            ui.separator();
            self.saved_entries(ui, config, grid, names);
            ui.separator();
            let mut open = self.list_open;
            if ui.checkbox(&mut open, tr!("layouts-camera-list")).changed() {
                self.list_open = open;
                ui.close();
            }
        });
    }

    /// The saved layouts, then save / rename / delete.
    fn saved_entries(
        &mut self,
        ui: &mut Ui,
        config: Option<&ConfigStore>,
        grid: &mut GridState,
        names: &[String],
    ) {
        let Some(config) = config else {
            ui.label(RichText::new(tr!("layouts-need-library")).weak());
            return;
        };
        ui.label(RichText::new(tr!("layouts-saved")).weak());
        if self.saved.is_empty() {
            ui.label(RichText::new(tr!("layouts-none-yet")).weak().italics());
        }
        let mut opened = None;
        for layout in &self.saved {
            let on = self
                .current
                .as_ref()
                .is_some_and(|(id, _)| *id == layout.id);
            let label = format!("{} ({})", layout.name, layout.kind.label());
            if ui.selectable_label(on, label).clicked() {
                opened = Some(layout.clone());
            }
        }
        if let Some(layout) = opened {
            self.open(grid, &layout);
            ui.ctx().request_repaint();
            ui.close();
        }
        ui.separator();
        if ui.button(tr!("layouts-save-as-menu")).clicked() {
            let suggested = self.current.as_ref().map_or("", |(_, n)| n.as_str());
            self.dialog.open_save_as(suggested);
            ui.close();
        }
        let Some((id, name)) = self.current.clone() else {
            return;
        };
        if self.is_changed(grid)
            && ui
                .button(tr!("layouts-save-named", name = name.as_str()))
                .clicked()
        {
            let ctx = ui.ctx().clone();
            self.dialog
                .save_now(&ctx, config, &name, to_save(grid, names));
            ui.close();
        }
        if ui
            .button(tr!("layouts-rename-named", name = name.as_str()))
            .clicked()
        {
            self.dialog.open_rename(id, &name);
            ui.close();
        }
        if ui
            .button(tr!("layouts-delete-named", name = name.as_str()))
            .clicked()
        {
            self.dialog.open_delete(id, &name);
            ui.close();
        }
    }

    /// Draws the open layout dialog, if any.
    pub fn dialogs(
        &mut self,
        ctx: &Context,
        config: Option<&ConfigStore>,
        grid: &GridState,
        names: &[String],
    ) {
        let saved = &self.saved;
        self.dialog
            .show(ctx, config, saved, || to_save(grid, names));
    }
}

/// A saved layout's name cut to fit the top bar (its full name is in the menu).
fn short(name: &str) -> String {
    const MAX: usize = 36;
    if name.chars().count() <= MAX {
        return name.to_string();
    }
    let cut: String = name.chars().take(MAX - 1).collect();
    format!("{}…", cut.trim_end())
}

/// The page on screen as a layout to store: its shape and cameras (a removed camera's cell
/// is stored empty).
pub fn to_save(grid: &GridState, names: &[String]) -> ToSave {
    ToSave {
        kind: grid.layout.kind(names.len()),
        cells: grid
            .layout_page(names)
            .iter()
            .map(|c| c.camera().map(str::to_string))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_name_is_cut_for_the_top_bar() {
        assert_eq!(short("Lobby"), "Lobby");
        let long = "Loading bay, north gate and the car park at night";
        let cut = short(long);
        assert_eq!(cut.chars().count(), 36);
        assert!(cut.ends_with('…') && long.starts_with(cut.trim_end_matches('…')));
    }
}
