//! Extra windows for more monitors: "New window" opens one (an egui immediate viewport, a
//! native window of its own) with its own layout and live tiles; the set of windows and each
//! one's layout and place are remembered in the library and reopened at the next start;
//! closing one stops its decoders. The window's content is [`view::MonitorView::show`]; this
//! module only keeps the list, saves it, and hands each window to egui.

pub mod view;

use std::sync::Arc;

use egui::{Context, ViewportBuilder, ViewportClass, ViewportId};

use crate::backend::Backend;
use crate::config_jobs::{poll, wake};
use crate::tr;
use view::MonitorView;
use vigil_core::service::{
    ConfigJob, ConfigStore, EngineStatus, MonitorWindow, NamedLayout, Repaint, MAX_MONITOR_WINDOWS,
};

/// What a lost job was doing: completes the engine's English `JobLost` sentence (engine
/// words, like the error it is part of).
const JOB_SAVING_THE_WINDOWS: &str = "saving the windows"; // i18n-ignore
const JOB_READING_THE_SAVED_WINDOWS: &str = "reading the saved windows"; // i18n-ignore

/// The size of a window's tile area when it is drawn inside the main window (tests, or a
/// backend without native windows), points.
const EMBEDDED_AREA: egui::Vec2 = egui::vec2(560.0, 315.0);

/// The app's extra windows.
#[derive(Default)]
pub struct Monitors {
    windows: Vec<MonitorView>,
    next_id: u64,
    /// The saved windows are read once, at the start.
    restoring: Option<ConfigJob<Vec<MonitorWindow>>>,
    restored: bool,
    saving: Option<ConfigJob<()>>,
    /// What was last handed to the library (saved again when the windows differ).
    saved: Option<Vec<MonitorWindow>>,
    error: Option<String>,
}

impl Monitors {
    /// Whether the saved windows are being read or the list being stored.
    pub fn is_busy(&self) -> bool {
        self.restoring.is_some() || self.saving.is_some()
    }

    pub fn windows(&self) -> &[MonitorView] {
        &self.windows
    }

    /// Whether the saved windows were read (and reopened) and the last change is stored.
    pub fn is_settled(&self) -> bool {
        self.restored && self.saving.is_none() && self.saved.as_ref() == Some(&self.current())
    }

    /// What went wrong since the last call (reading or saving the windows, too many), in
    /// words.
    pub fn take_error(&mut self) -> Option<String> {
        self.error.take()
    }

    /// Opens a new window with the auto layout.
    pub fn open_new(&mut self) {
        if self.windows.len() >= MAX_MONITOR_WINDOWS {
            self.error = Some(tr!("monitor-too-many", count = MAX_MONITOR_WINDOWS));
            return;
        }
        self.push(&MonitorWindow::default());
    }

    fn push(&mut self, saved: &MonitorWindow) {
        self.windows.push(MonitorView::new(self.next_id, saved));
        self.next_id += 1;
    }

    fn current(&self) -> Vec<MonitorWindow> {
        self.windows.iter().map(MonitorView::saved).collect()
    }

    /// Reads the saved windows at the start and stores the list when it changed.
    pub fn persist(&mut self, ctx: &Context, config: Option<&ConfigStore>) {
        let Some(config) = config else {
            return;
        };
        if !self.restored {
            self.restore(ctx, config);
            return;
        }
        if let Some(job) = &mut self.saving {
            match poll(job, JOB_SAVING_THE_WINDOWS) {
                None => return,
                Some(Ok(())) => {}
                Some(Err(e)) => {
                    self.error = Some(tr!("monitor-cannot-remember", error = e.to_string()))
                }
            }
            self.saving = None;
        }
        let now = self.current();
        if self.saved.as_ref() != Some(&now) {
            self.saving = Some(config.set_monitor_windows(now.clone(), Some(wake(ctx))));
            self.saved = Some(now);
        }
    }

    fn restore(&mut self, ctx: &Context, config: &ConfigStore) {
        let job = self
            .restoring
            .get_or_insert_with(|| config.monitor_windows(Some(wake(ctx))));
        let Some(answer) = poll(job, JOB_READING_THE_SAVED_WINDOWS) else {
            return;
        };
        self.restoring = None;
        self.restored = true;
        match answer {
            Ok(saved) => {
                // Windows opened before the answer came are kept after the saved ones.
                let opened = std::mem::take(&mut self.windows);
                for w in &saved {
                    self.push(w);
                }
                self.windows.extend(opened);
                self.saved = Some(saved);
            }
            Err(e) => self.error = Some(tr!("monitor-cannot-reopen", error = e.to_string())),
        }
    }

    /// Shows every window (called once per frame of the main window); a closed window's
    /// decoders stop at once.
    pub fn show(
        &mut self,
        ctx: &Context,
        (backend, status): (&dyn Backend, &EngineStatus),
        saved: &[NamedLayout],
    ) {
        let repaint: Repaint = {
            let ctx = ctx.clone();
            Arc::new(move || ctx.request_repaint_of(ViewportId::ROOT))
        };
        for view in &mut self.windows {
            show_one(ctx, view, (backend, status), saved, &repaint);
        }
        for view in self.windows.iter_mut().filter(|v| v.closing) {
            view.stop_live();
        }
        self.windows.retain(|v| !v.closing);
    }

    /// Stops every window's decoders (the app is closing; the list stays saved).
    pub fn stop_all(&mut self) {
        self.windows.clear();
    }
}

/// One window through egui's viewports: a native window where the backend has them,
/// else a window inside the main one (kittest).
fn show_one(
    ctx: &Context,
    view: &mut MonitorView,
    engine: (&dyn Backend, &EngineStatus),
    saved: &[NamedLayout],
    repaint: &Repaint,
) {
    let title = tr!("monitor-title", number = view.number());
    let mut builder = crate::identity::apply(ViewportBuilder::default())
        .with_title(title)
        .with_min_inner_size([320.0, 200.0]);
    builder = match view.opened_at {
        _ if ctx.embed_viewports() => {
            builder.with_inner_size(EMBEDDED_AREA + egui::vec2(16.0, 48.0))
        }
        Some([x, y, w, h]) => builder.with_position([x, y]).with_inner_size([w, h]),
        None => builder.with_inner_size([1280.0, 800.0]),
    };
    let id = ViewportId::from_hash_of(("vigil-monitor", view.id));
    ctx.show_viewport_immediate(id, builder, |ui, class| {
        let embedded = class == ViewportClass::EmbeddedWindow;
        let area = embedded.then_some(EMBEDDED_AREA);
        view.show(ui, engine, saved, repaint, area);
        if !embedded {
            let (close, rect) = ui.input(|i| {
                let info = i.viewport();
                let rect = match (info.outer_rect, info.inner_rect) {
                    (Some(o), Some(r)) => Some([o.min.x, o.min.y, r.width(), r.height()]),
                    _ => None,
                };
                (info.close_requested(), rect)
            });
            if close {
                view.closing = true;
            }
            if rect.is_some() {
                view.rect = rect;
            }
        }
    });
}
