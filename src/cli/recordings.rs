//! `vigil recordings` and `vigil check`: list indexed recordings (or, with `--gaps`, the
//! stretches without recording and why); reconcile files and rows (`--integrity`: see
//! `integrity.rs`).

use std::path::Path;
use std::process::ExitCode;

use clap::Args;

use vigil_core::library::lock::RecorderLock;
use vigil_core::library::SegmentQuery;
use vigil_core::model::time::format_rfc3339;

#[derive(Args, Debug)]
pub struct RecordingsArgs {
    #[command(flatten)]
    range: super::RangeArgs,
    #[arg(long)]
    json: bool,
    /// List the gaps instead (stretches without recording, each with why), for --camera,
    /// over --from/--to (the last 24 hours by default).
    #[arg(long)]
    gaps: bool,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    #[arg(long)]
    json: bool,
    /// Drop the rows of missing recordings even when most of them are missing (normally
    /// kept: an unmounted recordings disk must not empty the library).
    #[arg(long, conflicts_with = "integrity")]
    drop_missing: bool,
    /// Prove the recordings unaltered instead: re-hash the files, walk each camera's signed
    /// hash chain and compare chain, rows and files, changing nothing (it runs beside a
    /// running recorder). Exit 0 when intact, 1 when anything is wrong.
    #[arg(long)]
    integrity: bool,
    /// With --integrity: which camera and period (--camera, --from, --to).
    #[command(flatten)]
    range: super::RangeArgs,
}

pub fn list(data_dir: &Path, args: &RecordingsArgs) -> anyhow::Result<ExitCode> {
    let lib = super::open_library(data_dir)?;
    let (camera_id, from_us, to_us) = args.range.resolve(&lib)?;
    if args.gaps {
        let Some(camera_id) = camera_id else {
            anyhow::bail!("--gaps needs --camera: gaps are listed for one camera at a time");
        };
        return super::recordings_gaps::list(&lib, camera_id, from_us, to_us, args.json);
    }
    let segments = lib.segments(&SegmentQuery {
        camera_id,
        from_us,
        to_us,
        kind: None,
    })?;
    if args.json {
        super::print_json(&segments)?;
        return Ok(ExitCode::SUCCESS);
    }
    if segments.is_empty() {
        println!("no recordings");
    }
    for s in &segments {
        let sound = s
            .audio_codec
            .as_deref()
            .map(|c| format!(" + sound ({c})"))
            .unwrap_or_default();
        println!(
            "{:<12} {:<10} {}  {:>7.1} s  {:>8.1} MB  {} {}x{}{}  {}",
            s.camera,
            s.kind.as_str(),
            format_rfc3339(s.start_us),
            (s.end_us - s.start_us) as f64 / 1e6,
            s.bytes as f64 / 1e6,
            s.codec,
            s.width,
            s.height,
            sound,
            s.path
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub fn check(data_dir: &Path, args: &CheckArgs) -> anyhow::Result<ExitCode> {
    if args.integrity {
        return super::integrity::check(data_dir, &args.range, args.json);
    }
    let mut lib = super::open_library(data_dir)?;
    if args.range.resolve(&lib)? != (None, None, None) {
        eprintln!("error: --camera, --from and --to go with --integrity");
        return Ok(ExitCode::from(2));
    }
    let _lock = RecorderLock::acquire(lib.root())?;
    let journal = lib.recover_journal()?;
    let mut report = lib.reconcile_with(args.drop_missing)?;
    report.indexed += journal.indexed;
    report.removed_files += journal.removed_files;
    report.kept_unreadable += journal.kept_unreadable;
    if args.json {
        super::print_json(&report)?;
    } else {
        println!(
            "library checked: {} recordings indexed from disk, {} unplayable files removed, {} rows without files dropped",
            report.indexed, report.removed_files, report.dropped_rows
        );
        if report.kept_unreadable > 0 {
            println!(
                "{} recordings left by a crash could not be read now (see the log); they were kept for the next check",
                report.kept_unreadable
            );
        }
        if report.kept_missing > 0 {
            println!(
                "{} recordings are missing from disk, most of the library: is the recordings disk mounted? Their rows were kept; run `vigil check --drop-missing` if they really are gone",
                report.kept_missing
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
