//! `vigil check --integrity`: prints what `evidence::integrity` finds, reading the library
//! without the recorder lock (it runs beside a running recorder) and writing nothing.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use vigil_core::evidence::integrity::{self, CheckScope, IntegrityReport, Progress};
use vigil_core::library::read_only::view_only;
use vigil_core::library::Library;

/// Progress lines at most this often, and only once a run takes this long.
const PROGRESS_EVERY: Duration = Duration::from_secs(2);

pub fn check(data_dir: &Path, range: &super::RangeArgs, json: bool) -> anyhow::Result<ExitCode> {
    if !data_dir.join("vigil.db").is_file() {
        eprintln!("error: there is no library in {}", data_dir.display());
        return Ok(ExitCode::from(2));
    }
    let root = view_only(data_dir)?;
    let lib = Library::open(&root)?;
    let (camera_id, from_us, to_us) = match range.resolve(&lib) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    let scope = CheckScope {
        camera_id,
        from_us,
        to_us,
    };
    let report = integrity::check(&lib, scope, &mut progress_printer())?;
    if json {
        super::print_json(&report)?;
    } else {
        print_report(&report);
    }
    Ok(if report.problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Prints "files and GB done" on stderr every few seconds of a long run.
fn progress_printer() -> impl FnMut(Progress) {
    let started = Instant::now();
    let mut last = started;
    let tty = std::io::stderr().is_terminal();
    move |p: Progress| {
        let now = Instant::now();
        let done = p.files_done == p.files_total;
        if now.duration_since(last) < PROGRESS_EVERY && !(done && tty) {
            return;
        }
        if now.duration_since(started) < PROGRESS_EVERY {
            return;
        }
        last = now;
        let line = format!(
            "checked {} of {} files, {:.2} of {:.2} GB",
            p.files_done,
            p.files_total,
            p.bytes_done as f64 / 1e9,
            p.bytes_total as f64 / 1e9
        );
        if tty {
            eprint!("\r{line}{}", if done { "\n" } else { "" });
        } else {
            eprintln!("{line}");
        }
    }
}

fn print_report(r: &IntegrityReport) {
    for p in &r.problems {
        println!("{}", p.sentence);
    }
    for d in &r.deleted {
        println!("{}", d.sentence);
    }
    for c in &r.cameras {
        let u = &c.recorded_before_tracking;
        if let (Some(from), Some(to)) = (u.from_us, u.to_us) {
            println!(
                "{}: {} recordings from {} to {} were recorded before integrity tracking; their content cannot be checked",
                c.camera,
                u.count,
                integrity::local_time(from),
                integrity::local_time(to)
            );
        }
        if c.entries > 0 {
            println!(
                "{}: chain of {} entries, head entry {} link {}",
                c.camera, c.entries, c.head_seq, c.head_link
            );
        }
    }
    if let Some(fp) = &r.key_fingerprint {
        println!("signatures checked against this installation's key {fp}");
    }
    println!(
        "{} recordings checked ({:.2} GB) in {:.1} s, {} problem{}",
        r.checked,
        r.bytes as f64 / 1e9,
        r.seconds,
        r.problems.len(),
        if r.problems.len() == 1 { "" } else { "s" }
    );
}
