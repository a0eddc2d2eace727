//! Exporting from the app: a camera's time range (the timeline's selection) or an event
//! becomes one MP4. The plan is made first, so "nothing was recorded then" is said before
//! any dialog; then the save dialog (off the UI thread), then the copy on its own thread
//! with a progress bar and Cancel; at the end, what was written — including that the file
//! starts at the keyframe before the requested time, when it does.

mod picker;

use std::path::PathBuf;
use std::sync::Arc;

use crossbeam_channel::Receiver;
use egui::{ProgressBar, RichText, Ui};

pub use picker::{FixedPicker, RfdPicker, SavePicker};

use crate::local_time;
use vigil_core::engine::archive::Archive;
pub use vigil_core::engine::archive::ExportRequest;
use vigil_core::export::{ExportPlan, ExportReport, Progress};

enum Stage {
    Idle,
    Picking {
        plan: Box<ExportPlan>,
        answer: Receiver<Option<PathBuf>>,
    },
    Running {
        path: PathBuf,
        progress: Progress,
        answer: Receiver<Result<ExportReport, String>>,
        thread: Option<std::thread::JoinHandle<()>>,
    },
    /// The outcome in words, and whether it went well.
    Finished(String, bool),
}

pub struct ExportJob {
    picker: Arc<dyn SavePicker>,
    stage: Stage,
}

impl Default for ExportJob {
    fn default() -> Self {
        Self::new(Arc::new(RfdPicker))
    }
}

impl ExportJob {
    pub fn new(picker: Arc<dyn SavePicker>) -> Self {
        Self {
            picker,
            stage: Stage::Idle,
        }
    }

    pub fn is_running(&self) -> bool {
        matches!(self.stage, Stage::Picking { .. } | Stage::Running { .. })
    }

    /// The last export's outcome in words, once finished.
    pub fn outcome(&self) -> Option<&str> {
        match &self.stage {
            Stage::Finished(text, _) => Some(text),
            _ => None,
        }
    }

    /// Plans the export and, if there is something to export, asks where to write it.
    pub fn start(&mut self, archive: &Archive, request: &ExportRequest) {
        if self.is_running() {
            return;
        }
        self.stage = match archive.plan_export(request) {
            Ok(plan) => {
                let name = file_name(&plan);
                Stage::Picking {
                    answer: self.picker.pick(&name),
                    plan: Box::new(plan),
                }
            }
            Err(e) => Stage::Finished(format!("cannot export: {e}"), false),
        };
    }

    /// Moves the job on (dialog answered, copy finished); call every frame while running.
    pub fn poll(&mut self, ctx: &egui::Context) {
        match &mut self.stage {
            Stage::Picking { plan, answer } => match answer.try_recv() {
                Ok(Some(path)) => {
                    let plan = std::mem::replace(plan, Box::new(empty_plan()));
                    self.stage = run(*plan, path, ctx);
                }
                Ok(None) | Err(crossbeam_channel::TryRecvError::Disconnected) => {
                    self.stage = Stage::Finished("export cancelled: no file chosen".into(), false);
                }
                Err(crossbeam_channel::TryRecvError::Empty) => {}
            },
            Stage::Running { path, answer, .. } => match answer.try_recv() {
                Ok(Ok(report)) => {
                    let text = format!("wrote {}: {}", path.display(), report.summary());
                    self.stage = Stage::Finished(text, true);
                }
                Ok(Err(e)) => self.stage = Stage::Finished(e, false),
                Err(crossbeam_channel::TryRecvError::Disconnected) => {
                    self.stage = Stage::Finished("the export stopped unexpectedly".into(), false);
                }
                Err(crossbeam_channel::TryRecvError::Empty) => {}
            },
            Stage::Idle | Stage::Finished(..) => {}
        }
        if self.is_running() {
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
    }

    /// The export's strip: choosing a file, the progress bar with Cancel, or the outcome.
    pub fn show(&mut self, ui: &mut Ui) {
        let mut clear = false;
        match &self.stage {
            Stage::Idle => return,
            Stage::Picking { .. } => {
                ui.label("Export: choose where to save the MP4…");
            }
            Stage::Running { path, progress, .. } => {
                ui.horizontal(|ui| {
                    ui.label(format!("Exporting to {}", path.display()));
                    ui.add(
                        ProgressBar::new(progress.fraction())
                            .desired_width(240.0)
                            .show_percentage(),
                    );
                    if ui.button("Cancel export").clicked() {
                        progress.cancel();
                    }
                });
            }
            Stage::Finished(text, ok) => {
                ui.horizontal_wrapped(|ui| {
                    let colour = if *ok {
                        egui::Color32::from_rgb(110, 200, 120)
                    } else {
                        egui::Color32::from_rgb(235, 90, 80)
                    };
                    ui.label(RichText::new(text).color(colour));
                    clear = ui.small_button("Dismiss").clicked();
                });
            }
        }
        if clear {
            self.stage = Stage::Idle;
        }
    }
}

impl Drop for ExportJob {
    /// Closing the app mid-export cancels it and waits, so its temporary file is removed.
    fn drop(&mut self) {
        if let Stage::Running {
            progress, thread, ..
        } = &mut self.stage
        {
            progress.cancel();
            if let Some(t) = thread.take() {
                let _ = t.join();
            }
        }
    }
}

/// Starts the copy on its own thread.
fn run(plan: ExportPlan, path: PathBuf, ctx: &egui::Context) -> Stage {
    let ctx = ctx.clone();
    let progress = Progress::new().with_notify(move || ctx.request_repaint());
    let (tx, answer) = crossbeam_channel::bounded(1);
    let job = {
        let (progress, path) = (progress.clone(), path.clone());
        move || {
            // The save dialog already asked about replacing an existing file.
            let result = vigil_core::export::write(&plan, &path, true, &progress);
            let _ = tx.send(result.map_err(|e| format!("export failed: {e}")));
        }
    };
    match std::thread::Builder::new().name("export".into()).spawn(job) {
        Ok(thread) => Stage::Running {
            path,
            progress,
            answer,
            thread: Some(thread),
        },
        Err(e) => Stage::Finished(format!("cannot start the export: {e}"), false),
    }
}

/// "yard-2026-11-25-031245.mp4", in local time.
fn file_name(plan: &ExportPlan) -> String {
    let stamp = local_time::date_time(plan.from_us)
        .replace([':', ' '], "")
        .replace('-', "");
    format!("{}-{stamp}.mp4", plan.camera)
}

fn empty_plan() -> ExportPlan {
    ExportPlan {
        camera: String::new(),
        from_us: 0,
        to_us: 0,
        pieces: Vec::new(),
        gaps: Vec::new(),
    }
}
