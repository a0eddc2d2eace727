//! A/V sync end to end: the test camera's `/avsync` (a one-frame white flash and a 10 ms
//! click at every whole second, aligned at the source) recorded by `vigil run` with its sound
//! on, then each recorded segment and an export across them measured
//! (`vigil_core::media::avsync`): every click within 40 ms of its flash.

use std::path::Path;

use crate::common::{RtspServer, Vigil};
use vigil_core::media::avsync::{measure, AvSync};

/// The goal: sound and picture within this of each other, ms.
const MAX_OFFSET_MS: f64 = 40.0;

fn measured(path: &Path) -> AvSync {
    let m = measure(path).unwrap_or_else(|e| panic!("measuring {}: {e}", path.display()));
    eprintln!(
        "{}: {} pairs, mean {:.1} ms, max |offset| {:.1} ms ({:?})",
        path.display(),
        m.count(),
        m.mean_ms(),
        m.max_abs_ms(),
        m.offsets_ms
    );
    m
}

#[test]
fn audio_sync_of_recordings_and_exports_is_within_40_ms() {
    let server = RtspServer::start(&["--gop", "25"]);
    let dir = tempfile::tempdir().expect("temp dir");
    let vigil = Vigil::new(dir.path());
    vigil.ok(&[
        "camera",
        "add",
        "--name",
        "async-flash",
        "--url",
        &server.url("avsync"),
        "--segment-seconds",
        "3",
        "--audio",
        "on",
    ]);
    let out = vigil.run(&["run", "--for", "9s"]);
    assert!(
        out.status.success(),
        "run failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows = vigil.recordings();
    assert!(rows.len() >= 2, "segments recorded: {rows:?}");

    let mut pairs = 0;
    let mut apart = Vec::new();
    for r in &rows {
        let path = Path::new(r["path"].as_str().expect("path"));
        let m = measured(path);
        if m.max_abs_ms() > MAX_OFFSET_MS {
            apart.push(format!("{}: {:.1} ms", path.display(), m.max_abs_ms()));
        }
        pairs += m.count();
    }
    assert!(apart.is_empty(), "sound and picture apart: {apart:?}");
    assert!(
        pairs >= 4,
        "flashes and clicks found in the recordings: {pairs}"
    );

    let first = rows.iter().filter_map(|r| r["start_us"].as_i64()).min();
    let last = rows.iter().filter_map(|r| r["end_us"].as_i64()).max();
    let (Some(from), Some(to)) = (first, last) else {
        panic!("rows have times: {rows:?}");
    };
    let export = dir.path().join("avsync.mp4");
    let fmt = vigil_core::model::time::format_rfc3339;
    vigil.ok(&[
        "export",
        "--camera",
        "async-flash",
        "--from",
        &fmt(from),
        "--to",
        &fmt(to),
        "-o",
        export.to_str().expect("utf-8"),
    ]);
    let m = measured(&export);
    assert!(
        m.count() >= pairs.saturating_sub(2).max(3),
        "the export holds the recordings' flashes and clicks: {m:?}"
    );
    assert!(
        m.max_abs_ms() <= MAX_OFFSET_MS,
        "export: sound and picture {:.1} ms apart",
        m.max_abs_ms()
    );
}
