//! Exports with a watermark burned in, on request only: the plan is remuxed as usual into a
//! hidden temporary file, then decoded, drawn on (the camera's name and the recording's
//! time, which jumps where a gap was closed) and re-encoded into the target's temporary
//! file ([`crate::media::burn`]), which is read back and renamed into place like any export.

use std::path::Path;
use std::sync::Arc;

use super::mux::Layout;
use super::target::{check_target, TempOutput};
use super::write::{copy_all, read_back};
use super::{ExportError, ExportPlan, ExportReport, Progress};
use crate::media::burn::{burn, ClockRun, Watermark};
use crate::media::remux::RemuxError;

/// Writes `plan` to `path` as one MP4 with `label` and the recording's time burned into the
/// picture (re-encoded with libx264). Otherwise as [`super::write`]: the report's figures
/// are the written file's; `progress` follows the re-encoding (most of the time) and its
/// cancel stops either step, leaving nothing behind.
pub fn write_watermarked(
    plan: &ExportPlan,
    path: &Path,
    overwrite: bool,
    label: &str,
    progress: &Progress,
) -> Result<ExportReport, ExportError> {
    check_target(path, overwrite)?;
    let copy = TempOutput::create(path)?;
    // The remux shares the cancel flag but not the progress bar.
    let quiet = Progress {
        cancel: Arc::clone(&progress.cancel),
        ..Progress::default()
    };
    let copied = copy_all(plan, &copy.url(), path, Layout::Faststart, &quiet)?;
    let draft = copied.report(plan, path, 0, 0, 0);
    let mark = Watermark {
        label: label.to_string(),
        clock: clock_runs(draft.starts_at_us, &draft.gaps),
    };
    let temp = TempOutput::create(path)?;
    progress.start(plan.covered_us());
    let mut step = |t_us: i64| {
        progress.set_done(t_us);
        !progress.is_cancelled()
    };
    burn(&copy.url(), &temp.url(), &mark, &mut step).map_err(|e| {
        if progress.is_cancelled() {
            return ExportError::Cancelled;
        }
        match e {
            RemuxError::Input(reason) => ExportError::Input {
                path: copy.path().to_path_buf(),
                reason,
            },
            RemuxError::Output(reason) => ExportError::Output {
                path: path.to_path_buf(),
                reason,
            },
        }
    })?;
    drop(copy);
    let (duration_us, frames) = read_back(&temp.url(), path)?;
    let bytes = temp.persist(path, overwrite)?;
    progress.set_done(plan.covered_us());
    Ok(ExportReport {
        duration_us,
        frames,
        bytes,
        ..draft
    })
}

/// The clock's runs: file time 0 shows `starts_at_us`; each gap closed in the file's
/// timeline makes the clock jump forward by the gap's length where it was closed.
pub(crate) fn clock_runs(starts_at_us: i64, gaps: &[(i64, i64)]) -> Vec<ClockRun> {
    let mut runs = Vec::new();
    let (mut from_s, mut closed_us) = (0.0, 0i64);
    for &(a, b) in gaps {
        if a < starts_at_us || b <= a {
            continue;
        }
        let to_s = (a - starts_at_us - closed_us) as f64 / 1e6;
        runs.push(ClockRun {
            from_s,
            to_s: Some(to_s),
            epoch_us: starts_at_us + closed_us,
        });
        closed_us += b - a;
        from_s = to_s;
    }
    runs.push(ClockRun {
        from_s,
        to_s: None,
        epoch_us: starts_at_us + closed_us,
    });
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_jumps_over_closed_gaps() {
        let s = 1_000_000;
        let runs = clock_runs(100 * s, &[(110 * s, 113 * s), (120 * s, 130 * s)]);
        let got: Vec<(f64, Option<f64>, i64)> = runs
            .iter()
            .map(|r| (r.from_s, r.to_s, r.epoch_us / s))
            .collect();
        // File 0-10 s shows 100-110; 10-17 s shows 113-120; from 17 s, 130 on.
        assert_eq!(
            got,
            [
                (0.0, Some(10.0), 100),
                (10.0, Some(17.0), 103),
                (17.0, None, 113)
            ]
        );
        assert_eq!(clock_runs(5, &[]).len(), 1);
    }
}
