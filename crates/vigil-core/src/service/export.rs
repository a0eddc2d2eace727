//! The exports handle: a camera's time range or an event becomes one MP4, through the
//! service. Planning (which recordings, or why there is nothing to export) and writing each
//! run as a [`Job`]; the write job reports its progress and honours cancel (a cancelled
//! export leaves no file behind).

use std::os::fd::AsFd;
use std::path::PathBuf;
use std::sync::Arc;

use super::error::ServiceError;
use super::shared_library::{lock, SharedLibrary};
use crate::evidence::manifest::{build, hash_sources, seal_file, signing_key};
use crate::evidence::{ManifestError, Provenance, SignedManifest};
use crate::export::{ExportError, ExportPlan, ExportReport, Progress};
use crate::jobs::{Job, JobContext, Wake};

// What a front end framing an export's bytes itself (the web's ZIP) needs of the manifest.
pub use crate::evidence::digest::StreamHash;
pub use crate::evidence::manifest::ExportFile;
pub use crate::evidence::manifest::SUFFIX as MANIFEST_SUFFIX;

/// What to export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportRequest {
    /// A camera's recordings in `[from_us, to_us)`.
    Range {
        camera: String,
        from_us: i64,
        to_us: i64,
    },
    /// An event's time.
    Event(i64),
}

pub struct Exports {
    lib: SharedLibrary,
}

impl Exports {
    pub(crate) fn new(lib: SharedLibrary) -> Self {
        Self { lib }
    }

    /// The recordings an export of `request` would copy, or why there is nothing to export.
    pub fn plan(
        &self,
        request: ExportRequest,
        wake: Option<Wake>,
    ) -> Job<Result<ExportPlan, ServiceError>> {
        let lib = Arc::clone(&self.lib);
        Job::spawn(
            "export-plan",
            wake,
            move |_| {
                let lib = lock(&lib);
                match request {
                    ExportRequest::Range {
                        camera,
                        from_us,
                        to_us,
                    } => crate::export::plan(&lib, &camera, from_us, to_us),
                    ExportRequest::Event(id) => crate::export::plan_event(&lib, id),
                }
                .map_err(ServiceError::Export)
            },
            |e| Err(not_started("planning the export", &e)),
        )
    }

    /// Writes `plan` to `path` as one MP4 (replacing a regular file there only when
    /// `overwrite`; with the camera's name and the time burned in, re-encoded, when
    /// `watermark`), then its signed manifest beside it, exported `by` this person (the
    /// report's `manifest` says where, or why it could not be signed: e.g. a viewer that
    /// cannot read the recorder's key). The job's progress follows the copy; `wake` is also
    /// called at each thousandth of it; cancelling the job stops the copy within one packet
    /// of the next step and removes its temporary file ([`ExportError::Cancelled`]).
    pub fn write(
        &self,
        plan: ExportPlan,
        path: PathBuf,
        overwrite: bool,
        by: String,
        watermark: bool,
        wake: Option<Wake>,
    ) -> Job<Result<ExportReport, ServiceError>> {
        let step_wake = wake.clone();
        let lib = Arc::clone(&self.lib);
        Job::spawn(
            "export",
            wake,
            move |ctx| {
                if ctx.cancelled() {
                    return Err(ServiceError::Export(ExportError::Cancelled));
                }
                let progress = job_progress(ctx, step_wake);
                let what = (overwrite, by, watermark);
                write_and_seal(&lib, &plan, &path, what, &progress)
            },
            |e| Err(not_started("the export", &e)),
        )
    }
}

impl Exports {
    /// Starts writing `plan` as one fragmented MP4 into a pipe and hands back the pipe's
    /// reading end: the caller streams the export while it is made (at most the pipe's
    /// buffer is held). Closing the reader stops the export (its next write fails), as does
    /// cancelling the job; either way nothing is left on disk.
    pub fn stream(
        &self,
        plan: ExportPlan,
        wake: Option<Wake>,
    ) -> Result<(Job<Result<ExportReport, ServiceError>>, std::io::PipeReader), ServiceError> {
        let (reader, writer) = std::io::pipe().map_err(|e| not_started("the export", &e))?;
        let step_wake = wake.clone();
        let job = Job::spawn(
            "export-stream",
            wake,
            move |ctx| {
                if ctx.cancelled() {
                    return Err(ServiceError::Export(ExportError::Cancelled));
                }
                let progress = job_progress(ctx, step_wake);
                let shown = std::path::Path::new("the download");
                let written = crate::export::write_fd(&plan, writer.as_fd(), shown, &progress);
                // The end of the stream for the reader.
                drop(writer);
                written.map_err(ServiceError::Export)
            },
            |e| Err(not_started("the export", &e)),
        );
        Ok((job, reader))
    }
}

/// The export job's work: `plan` written to `path` (`overwrite`, exported `by`, with a
/// `watermark` or not), then its signed manifest beside it (or, in the report, why not).
fn write_and_seal(
    lib: &SharedLibrary,
    plan: &ExportPlan,
    path: &std::path::Path,
    (overwrite, by, watermark): (bool, String, bool),
    progress: &Progress,
) -> Result<ExportReport, ServiceError> {
    let (mut prov, root) = {
        let lib = lock(lib);
        let prov = Provenance::of(&lib, plan, by).map_err(ExportError::Library);
        (
            prov.map_err(ServiceError::Export)?,
            lib.root().to_path_buf(),
        )
    };
    prov.watermarked = watermark;
    let label = prov.camera.display_name.clone();
    let mut report = if watermark {
        crate::export::write_watermarked(plan, path, overwrite, &label, progress)
    } else {
        crate::export::write(plan, path, overwrite, progress)
    }
    .map_err(ServiceError::Export)?;
    let sealed = signing_key(&root)
        .map_err(ManifestError::from)
        .and_then(|key| seal_file(plan, &report, &prov, &key));
    if let Err(e) = &sealed {
        tracing::warn!(path = %path.display(), error = %e, "export written without a manifest");
    }
    report.manifest = Some(sealed.map_err(|e| e.to_string()));
    Ok(report)
}

/// Signs the manifest of a streamed export once whoever read the stream has counted and
/// hashed its bytes (they pass through the reader, not through a file).
pub struct StreamSeal {
    lib: SharedLibrary,
    by: String,
}

impl Exports {
    /// A [`StreamSeal`] for exports streamed to `by` (the signed-in person).
    pub fn stream_seal(&self, by: String) -> StreamSeal {
        StreamSeal {
            lib: Arc::clone(&self.lib),
            by,
        }
    }
}

impl StreamSeal {
    /// The signed manifest of the export of `plan` that `report` describes, streamed as
    /// `file` (its name, size and SHA-256 as sent). Hashes the source recordings (blocking).
    pub fn seal(
        &self,
        plan: &ExportPlan,
        report: &ExportReport,
        file: ExportFile,
    ) -> Result<SignedManifest, ManifestError> {
        let (prov, root) = {
            let lib = lock(&self.lib);
            let prov = Provenance::of(&lib, plan, self.by.clone())?;
            (prov, lib.root().to_path_buf())
        };
        let key = signing_key(&root)?;
        let sources = hash_sources(plan)?;
        Ok(build(report, &prov, sources, file, &key))
    }
}

/// An export [`Progress`] that mirrors its fraction into the job's and takes the job's
/// cancel over at every step.
fn job_progress(ctx: &JobContext, wake: Option<Wake>) -> Progress {
    // A clone without the notify closure, so the closure does not hold itself.
    let watch = Progress::new();
    let ctx = ctx.clone();
    watch.clone().with_notify(move || {
        ctx.set_progress(f64::from(watch.fraction()));
        if let Some(wake) = &wake {
            wake();
        }
        if ctx.cancelled() {
            watch.cancel();
        }
    })
}

fn not_started(what: &'static str, e: &std::io::Error) -> ServiceError {
    ServiceError::ArchiveJobNotStarted {
        what,
        reason: e.to_string(),
    }
}
