//! Exporting from the app: a camera's time range (the timeline's selection) or an event
//! becomes one MP4, through the service's exports handle. The plan is made first (a job), so
//! "nothing was recorded then" is said before any dialog; then the save dialog (off the UI
//! thread), then the copy as a job with a progress bar and Cancel; at the end, what was
//! written — including that the file starts at the keyframe before the requested time, when
//! it does.

mod picker;
mod summary;

use std::path::PathBuf;
use std::sync::Arc;

use egui::{ProgressBar, RichText, Ui};

pub use picker::{FixedPicker, RfdPicker, SavePicker};

use crate::local_time;
use crate::tr;
pub use vigil_core::service::ExportRequest;
use vigil_core::service::{ExportPlan, ExportReport, Exports, Job, JobState, ServiceError, Wake};

enum Stage {
    Idle,
    /// Finding the recordings to copy.
    Planning(Job<Result<ExportPlan, ServiceError>>),
    Picking {
        plan: Box<ExportPlan>,
        answer: Job<Option<PathBuf>>,
    },
    Running {
        path: PathBuf,
        job: Job<Result<ExportReport, ServiceError>>,
    },
    /// The outcome in words, and whether it went well.
    Finished(String, bool),
}

pub struct ExportJob {
    picker: Arc<dyn SavePicker>,
    stage: Stage,
    /// Burn the camera's name and the time into the picture (re-encodes); kept for the
    /// next export once ticked.
    watermark: bool,
    /// Leave the camera's sound out of the file; kept for the next export once ticked.
    no_sound: bool,
    /// Repaints the window when a job moves on (set by the first [`Self::poll`]).
    wake: Option<Wake>,
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
            watermark: false,
            no_sound: false,
            wake: None,
        }
    }

    pub fn is_running(&self) -> bool {
        matches!(
            self.stage,
            Stage::Planning(_) | Stage::Picking { .. } | Stage::Running { .. }
        )
    }

    /// Whether exports burn in the camera's name and the time (re-encoding the picture).
    pub fn watermark(&self) -> bool {
        self.watermark
    }

    pub fn set_watermark(&mut self, on: bool) {
        self.watermark = on;
    }

    /// Whether exports leave the camera's sound out.
    pub fn no_sound(&self) -> bool {
        self.no_sound
    }

    pub fn set_no_sound(&mut self, on: bool) {
        self.no_sound = on;
    }

    /// The last export's outcome in words, once finished.
    pub fn outcome(&self) -> Option<&str> {
        match &self.stage {
            Stage::Finished(text, _) => Some(text),
            _ => None,
        }
    }

    /// Plans the export; once planned, if there is something to export, [`Self::poll`] asks
    /// where to write it.
    pub fn start(&mut self, exports: &Exports, request: &ExportRequest) {
        if self.is_running() {
            return;
        }
        self.stage = Stage::Planning(exports.plan(request.clone(), self.wake.clone()));
    }

    /// Moves the job on (planned, dialog answered, copy finished); call every frame.
    pub fn poll(&mut self, exports: Option<&Exports>, ctx: &egui::Context) {
        let wake = self.wake.get_or_insert_with(|| waker(ctx)).clone();
        match &mut self.stage {
            Stage::Planning(job) => match job.poll() {
                JobState::Running => {}
                JobState::Done(Ok(plan)) => {
                    let name = file_name(&plan);
                    self.stage = Stage::Picking {
                        answer: self.picker.pick(&name, Some(wake)),
                        plan: Box::new(plan),
                    };
                }
                JobState::Done(Err(e)) => {
                    self.stage =
                        Stage::Finished(tr!("export-cannot", error = e.to_string()), false);
                }
                JobState::Lost => {
                    self.stage = Stage::Finished(tr!("export-stopped-unexpectedly"), false);
                }
            },
            Stage::Picking { plan, answer } => match answer.poll() {
                JobState::Done(Some(path)) => {
                    let mut plan = std::mem::replace(plan, Box::new(empty_plan()));
                    plan.audio = !self.no_sound;
                    self.stage = match exports {
                        // The save dialog already asked about replacing an existing file.
                        Some(exports) => Stage::Running {
                            job: exports.write(
                                *plan,
                                path.clone(),
                                true,
                                vigil_core::model::person::local_person("desktop"),
                                self.watermark,
                                Some(wake),
                            ),
                            path,
                        },
                        None => Stage::Finished(tr!("export-nothing-recorded"), false),
                    };
                }
                JobState::Done(None) | JobState::Lost => {
                    self.stage = Stage::Finished(tr!("export-no-file-chosen"), false);
                }
                JobState::Running => {}
            },
            Stage::Running { path, job } => match job.poll() {
                JobState::Done(Ok(report)) => {
                    let text = tr!(
                        "export-wrote",
                        path = path.display().to_string(),
                        summary = summary::summary(&report)
                    ) + " "
                        + &summary::manifest(&report);
                    self.stage = Stage::Finished(text, true);
                }
                JobState::Done(Err(e)) => {
                    self.stage =
                        Stage::Finished(tr!("export-failed", error = e.to_string()), false);
                }
                JobState::Lost => {
                    self.stage = Stage::Finished(tr!("export-stopped-unexpectedly"), false);
                }
                JobState::Running => {}
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
            Stage::Planning(_) => {
                ui.label(tr!("export-planning"));
            }
            Stage::Picking { .. } => {
                ui.horizontal_wrapped(|ui| {
                    ui.label(tr!("export-picking"));
                    ui.checkbox(&mut self.watermark, tr!("export-watermark"));
                    ui.checkbox(&mut self.no_sound, tr!("export-no-sound"));
                });
            }
            Stage::Running { path, job } => {
                ui.horizontal(|ui| {
                    let path = path.display().to_string();
                    ui.label(if self.watermark {
                        tr!("export-running-watermark", path = path)
                    } else {
                        tr!("export-running", path = path)
                    });
                    ui.add(
                        ProgressBar::new(job.progress() as f32)
                            .desired_width(240.0)
                            .show_percentage(),
                    );
                    if ui.button(tr!("export-cancel")).clicked() {
                        job.cancel();
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
                    clear = ui.small_button(tr!("export-dismiss")).clicked();
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
        if let Stage::Running { job, .. } = &mut self.stage {
            job.cancel_and_join();
        }
    }
}

/// Repaints the window when a job moves on.
fn waker(ctx: &egui::Context) -> Wake {
    let ctx = ctx.clone();
    Arc::new(move || ctx.request_repaint())
}

/// "yard-20261125-031245.mp4", in local time, whatever the language.
fn file_name(plan: &ExportPlan) -> String {
    format!(
        "{}-{}.mp4",
        plan.camera,
        local_time::file_stamp(plan.from_us)
    )
}

fn empty_plan() -> ExportPlan {
    ExportPlan {
        camera: String::new(),
        from_us: 0,
        to_us: 0,
        pieces: Vec::new(),
        gaps: Vec::new(),
        audio: true,
    }
}
