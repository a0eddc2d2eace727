//! `vigil export`: one camera's recordings over a time range (or one event) written, without
//! re-encoding, to a single MP4 (or, fragmented, to standard output); prints the written
//! file's length and where it starts, and writes the signed manifest beside the file.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::Args;

use vigil_core::evidence::manifest::{seal_file, signing_key};
use vigil_core::evidence::Provenance;
use vigil_core::export::{self, ExportError, ExportPlan, Progress};
use vigil_core::model::person::local_person;
use vigil_core::model::time::parse_rfc3339;

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// The camera whose recordings to export.
    #[arg(long)]
    camera: Option<String>,
    /// Start, RFC 3339, e.g. 2026-11-25T03:00:00Z (the file starts at the keyframe at or
    /// before it).
    #[arg(long)]
    from: Option<String>,
    /// End, RFC 3339.
    #[arg(long)]
    to: Option<String>,
    /// Export this event's time range instead of --from/--to (see `vigil events`).
    #[arg(long, conflicts_with_all = ["from", "to"])]
    event: Option<i64>,
    /// Export this bookmark's range (a moment: 10 s either side) instead (see `vigil
    /// bookmark list`).
    #[arg(long, conflicts_with_all = ["from", "to", "event", "camera"])]
    bookmark: Option<i64>,
    /// The MP4 file to write, or `-` for standard output (a fragmented MP4, for piping into
    /// a player: `vigil export … -o - | ffplay -`). Only a regular file is ever replaced.
    #[arg(short = 'o', long = "output")]
    output: PathBuf,
    /// Replace the output file if it exists (a regular file only: never a folder, device,
    /// pipe or socket).
    #[arg(long)]
    force: bool,
    /// Burn the camera's name and the recording's time into the picture. This decodes and
    /// re-encodes the video (slower; the frames are no longer the recorded ones); the
    /// manifest records it.
    #[arg(long)]
    watermark: bool,
    /// Leave the camera's sound out (by default an export carries the sound wherever it
    /// was recorded).
    #[arg(long)]
    no_audio: bool,
}

pub fn run(data_dir: &Path, args: &ExportArgs) -> anyhow::Result<ExitCode> {
    let to_stdout = args.output.as_os_str() == "-";
    anyhow::ensure!(
        !(to_stdout && std::io::stdout().is_terminal()),
        "-o - writes the video to standard output: pipe it into a player or a file (`| ffplay -`), not a terminal"
    );
    anyhow::ensure!(
        !(to_stdout && args.watermark),
        "--watermark writes a file: give one with -o FILE"
    );
    let lib = super::open_library(data_dir)?;
    let mut plan = make_plan(&lib, args)?;
    plan.audio = !args.no_audio;
    let mut prov = Provenance::of(&lib, &plan, local_person("CLI"))?;
    prov.watermarked = args.watermark;
    // Before the export, so a key that cannot be read or made stops it before any work.
    let key = if to_stdout {
        None
    } else {
        Some(signing_key(lib.root())?)
    };
    drop(lib);
    let progress = Progress::new();
    for sig in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(sig, progress.cancel_flag())?;
    }
    let shown = if to_stdout {
        "standard output".to_string()
    } else {
        args.output.display().to_string()
    };
    // Dropping the sender stops the progress line.
    let (done, stopped) = crossbeam_channel::bounded::<()>(0);
    let ticker = std::io::stderr()
        .is_terminal()
        .then(|| spawn_ticker(progress.clone(), stopped));
    let result = if to_stdout {
        export::write_stdout(&plan, &progress)
    } else if args.watermark {
        eprintln!(
            "the picture will be re-encoded to burn in the watermark; the manifest records this"
        );
        let label = prov.camera.display_name.clone();
        export::write_watermarked(&plan, &args.output, args.force, &label, &progress)
    } else {
        export::write(&plan, &args.output, args.force, &progress)
    };
    drop(done);
    if let Some(t) = ticker {
        let _ = t.join();
    }
    let report = result.map_err(|e| match e {
        ExportError::Exists(p) => {
            anyhow::anyhow!("{} already exists; pass --force to replace it", p.display())
        }
        ExportError::Cancelled => anyhow::anyhow!("export cancelled; nothing was written"),
        other => anyhow::Error::new(other),
    })?;
    let Some(key) = key else {
        // Standard output holds the video and nothing else.
        eprintln!("wrote {shown}: {}", report.summary());
        eprintln!("no manifest: a signed manifest is written beside an export to a file (-o FILE)");
        return Ok(ExitCode::SUCCESS);
    };
    println!("wrote {shown}: {}", report.summary());
    let sealed = seal_file(&plan, &report, &prov, &key)
        .with_context(|| format!("{shown} was written, but its manifest was not"))?;
    println!(
        "manifest {}: signed by this installation's key, fingerprint {}",
        sealed.path.display(),
        sealed.fingerprint
    );
    Ok(ExitCode::SUCCESS)
}

fn make_plan(lib: &vigil_core::library::Library, args: &ExportArgs) -> anyhow::Result<ExportPlan> {
    if let Some(id) = args.bookmark {
        return super::bookmark::export_plan(lib, id);
    }
    if let Some(id) = args.event {
        let plan = export::plan_event(lib, id)?;
        if let Some(typed) = &args.camera {
            let cam = lib.resolve_camera(typed)?.name;
            anyhow::ensure!(
                cam.as_str() == plan.camera,
                "event {id} is on camera '{}', not '{cam}'",
                plan.camera
            );
        }
        return Ok(plan);
    }
    let (Some(camera), Some(from), Some(to)) = (&args.camera, &args.from, &args.to) else {
        anyhow::bail!("say what to export: --camera NAME --from TIME --to TIME, or --event ID");
    };
    let from_us = parse_rfc3339(from).context("--from")?;
    let to_us = parse_rfc3339(to).context("--to")?;
    anyhow::ensure!(from_us < to_us, "--from must be before --to");
    let camera = lib.resolve_camera(camera)?.name;
    Ok(export::plan(lib, camera.as_str(), from_us, to_us)?)
}

/// Shows the export's progress on a terminal, twice a second, until `stop` disconnects.
fn spawn_ticker(
    progress: Progress,
    stop: crossbeam_channel::Receiver<()>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let mut shown = false;
        while stop
            .recv_timeout(Duration::from_millis(500))
            .is_err_and(|e| e.is_timeout())
        {
            eprint!("\rexporting… {:>3.0} %", progress.fraction() * 100.0);
            let _ = std::io::stderr().flush();
            shown = true;
        }
        if shown {
            eprint!("\r{:20}\r", "");
        }
    })
}
