//! The live view's boxes switch (toolbar button or key B): read once from the library when
//! the app starts, stored there when the operator flips it, so the next start shows the
//! boxes as they were left. Without a configuration store it lives in memory only.

use egui::{Context, Key, Modifiers, Ui};

use crate::config_jobs::{poll, wake};
use crate::tr;
use vigil_core::service::{ConfigJob, ConfigStore};

/// Whether the selected live tile shows the detector's boxes.
#[derive(Default)]
pub struct LiveBoxes {
    on: bool,
    /// The stored switch has been asked for (once).
    asked: bool,
    reading: Option<ConfigJob<bool>>,
    writing: Option<ConfigJob<()>>,
    /// Flipped before the stored switch was read: the operator's choice wins.
    flipped: bool,
}

impl LiveBoxes {
    pub fn is_on(&self) -> bool {
        self.on
    }

    /// Whether the stored switch is still being read or written.
    pub fn is_busy(&self) -> bool {
        self.reading.is_some() || self.writing.is_some()
    }

    /// Reads the stored switch once and takes the answers of its jobs; call every frame.
    /// Answers a problem in words (the switch then works for this session only).
    pub fn poll(&mut self, ctx: &Context, config: Option<&ConfigStore>) -> Option<String> {
        if let (false, Some(config)) = (self.asked, config) {
            self.asked = true;
            self.reading = Some(config.live_boxes(Some(wake(ctx))));
        }
        if let Some(answer) = self.reading.as_mut().and_then(|j| poll(j, "reading")) {
            self.reading = None;
            match answer {
                Ok(on) if !self.flipped => self.on = on,
                Ok(_) => {}
                Err(e) => {
                    let error = e.to_string();
                    return Some(tr!("objects-boxes-read-failed", error = error));
                }
            }
        }
        if let Some(answer) = self.writing.as_mut().and_then(|j| poll(j, "writing")) {
            self.writing = None;
            if let Err(e) = answer {
                return Some(tr!("objects-boxes-write-failed", error = e.to_string()));
            }
        }
        None
    }

    /// Flips the switch and stores it.
    pub fn flip(&mut self, ctx: &Context, config: Option<&ConfigStore>) {
        self.on = !self.on;
        self.flipped = true;
        if let Some(config) = config {
            self.writing = Some(config.set_live_boxes(self.on, Some(wake(ctx))));
        }
    }

    /// The toolbar button.
    pub fn button(&mut self, ui: &mut Ui, config: Option<&ConfigStore>) {
        let mut on = self.on;
        let response = ui
            .toggle_value(&mut on, tr!("objects-boxes"))
            .on_hover_text(tr!("objects-boxes-hover"));
        if response.clicked() {
            self.flip(ui.ctx(), config);
        }
    }

    /// Key B flips the switch (call only when no text field has the keyboard).
    pub fn key(&mut self, ui: &Ui, config: Option<&ConfigStore>) {
        if ui.input_mut(|i| i.consume_key(Modifiers::NONE, Key::B)) {
            self.flip(ui.ctx(), config);
        }
    }
}
