//! Issue 9: exports to odd places, and the library's own safety around them. The real
//! `vigil` binary, on short real recordings of the built-in demo camera (H.264, 2-s
//! segments): an export never renames over anything but a regular file (not `/dev/full`, a
//! folder, a FIFO, a socket or a link to a device), `-o -` streams a fragmented MP4 that
//! `ffprobe -` reads frame for frame, a non-ASCII folder under `recordings/` stops neither
//! `vigil check` nor retention, a journaled recording that cannot be read now is kept (not
//! deleted) by crash recovery, and trigger labels never reach the terminal as escape codes.

use std::os::unix::fs::FileTypeExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use crate::common::{ffprobe, mp4_files, wait_until, Vigil};
use vigil_core::model::time::format_rfc3339;

/// A data directory with the demo camera recording `segment`-second segments; `extra` goes to
/// `camera add`.
fn demo_library(segment: &str, extra: &[&str]) -> (tempfile::TempDir, Vigil) {
    let dir = tempfile::tempdir().expect("temp dir");
    let vigil = Vigil::new(&dir.path().join("data"));
    let mut args = vec!["--segment-seconds", segment];
    args.extend_from_slice(extra);
    vigil.add_demo_camera("demo", &args);
    (dir, vigil)
}

/// The recorded range, as `--from`/`--to` arguments.
fn recorded_range(vigil: &Vigil) -> (String, String) {
    let rows = vigil.recordings();
    assert!(!rows.is_empty(), "nothing was recorded");
    let first = rows.iter().filter_map(|r| r["start_us"].as_i64()).min();
    let last = rows.iter().filter_map(|r| r["end_us"].as_i64()).max();
    (
        format_rfc3339(first.expect("start")),
        format_rfc3339(last.expect("end")),
    )
}

fn export(vigil: &Vigil, range: &(String, String), out: &Path, force: bool) -> Output {
    let out = out.to_string_lossy();
    let mut args = vec![
        "export", "--camera", "demo", "--from", &range.0, "--to", &range.1, "-o", &out,
    ];
    if force {
        args.push("--force");
    }
    vigil.run(&args)
}

/// Asserts the export was refused with a sentence naming `what`; returns the sentence.
fn assert_refused(out: &Output, target: &Path, what: &str) -> String {
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        !out.status.success(),
        "export to {} succeeded: {err}",
        target.display()
    );
    assert!(
        err.contains(what) && err.contains("not a regular file"),
        "export to {}: {err}",
        target.display()
    );
    assert!(!err.contains("panicked"), "{err}");
    eprintln!("{}: {}", target.display(), err.trim());
    err
}

fn part_files(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .expect("list")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".part"))
        .collect()
}

#[test]
fn export_never_replaces_anything_but_a_regular_file() {
    let (dir, vigil) = demo_library("2", &[]);
    vigil.ok(&["run", "--for", "5s"]);
    let range = recorded_range(&vigil);

    // /dev/full: with --force, as root (who could rename over it), refused and untouched.
    let root = unsafe { libc::geteuid() } == 0;
    if !root {
        eprintln!("not root: renaming over /dev/full would fail anyway; checking the refusal only");
    }
    let full = Path::new("/dev/full");
    for force in [true, false] {
        let out = export(&vigil, &range, full, force);
        let err = assert_refused(&out, full, "is a device");
        assert!(!err.contains("--force"), "no advice to force: {err}");
        let meta = std::fs::symlink_metadata(full).expect("/dev/full");
        assert!(
            meta.file_type().is_char_device(),
            "/dev/full is still a device"
        );
    }

    // A folder, a FIFO, a socket and a link to a device, each refused and left as it was.
    let folder = dir.path().join("folder.mp4");
    std::fs::create_dir(&folder).expect("mkdir");
    let fifo = dir.path().join("fifo.mp4");
    let c_fifo = std::ffi::CString::new(fifo.to_string_lossy().as_bytes()).expect("path");
    assert_eq!(unsafe { libc::mkfifo(c_fifo.as_ptr(), 0o644) }, 0, "mkfifo");
    let socket = dir.path().join("socket.mp4");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).expect("socket");
    let link = dir.path().join("null.mp4");
    std::os::unix::fs::symlink("/dev/null", &link).expect("symlink");
    for (target, what) in [
        (&folder, "is a folder"),
        (&fifo, "is a pipe (FIFO)"),
        (&socket, "is a socket"),
        (&link, "is a link to a device"),
    ] {
        let out = export(&vigil, &range, target, true);
        assert_refused(&out, target, what);
    }
    assert!(folder.is_dir());
    let kind = |p: &Path| std::fs::symlink_metadata(p).expect("stat").file_type();
    assert!(kind(&fifo).is_fifo());
    assert!(kind(&socket).is_socket());
    assert!(kind(&link).is_symlink());
    assert!(kind(Path::new("/dev/null")).is_char_device());

    // A regular file: refused without --force, replaced with it; the export is complete
    // and has the usual mode (0666 less the umask, not the temporary file's 0600).
    let file = dir.path().join("clip.mp4");
    std::fs::write(&file, b"an older file").expect("write");
    let out = export(&vigil, &range, &file, false);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("already exists"),
        "{err}"
    );
    assert_eq!(std::fs::read(&file).expect("read"), b"an older file");
    let out = export(&vigil, &range, &file, true);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let probe = ffprobe(&file.to_string_lossy());
    assert!(probe.frames > 0, "the export plays: {probe:?}");
    let mode = std::os::unix::fs::PermissionsExt::mode(
        &std::fs::metadata(&file).expect("stat").permissions(),
    );
    assert!(
        mode & 0o044 != 0,
        "mode {mode:o}: readable by others like any saved file"
    );
    eprintln!("clip.mp4: {} frames, mode {:o}", probe.frames, mode & 0o777);
    assert!(part_files(dir.path()).is_empty(), "no temporary file left");
}

/// Pipes `vigil export … -o -` into `ffprobe -`; returns the frames ffprobe counted and
/// vigil's stderr.
fn export_into_ffprobe(vigil: &Vigil, range: &(String, String)) -> (u64, String) {
    let mut export = vigil
        .cmd()
        .args([
            "export", "--camera", "demo", "--from", &range.0, "--to", &range.1,
        ])
        .args(["-o", "-"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn vigil export");
    let pipe = export.stdout.take().expect("stdout");
    let probe = Command::new("ffprobe")
        .args(["-v", "error", "-select_streams", "v:0", "-count_frames"])
        .args(["-show_entries", "stream=codec_name,nb_read_frames"])
        .args(["-of", "json", "-"])
        .stdin(Stdio::from(pipe))
        .output()
        .expect("run ffprobe");
    let out = export.wait_with_output().expect("wait for vigil");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "vigil export -o -: {err}");
    assert!(
        probe.status.success(),
        "ffprobe - rejected the stream: {}",
        String::from_utf8_lossy(&probe.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&probe.stdout).expect("ffprobe JSON");
    assert_eq!(v["streams"][0]["codec_name"], "h264");
    let frames = v["streams"][0]["nb_read_frames"]
        .as_str()
        .and_then(|n| n.parse().ok())
        .expect("nb_read_frames");
    (frames, err)
}

#[test]
fn export_to_standard_output_is_a_fragmented_mp4_that_ffprobe_reads_from_a_pipe() {
    let (dir, vigil) = demo_library("2", &[]);
    vigil.ok(&["run", "--for", "5s"]);
    let range = recorded_range(&vigil);
    let file = dir.path().join("same.mp4");
    let out = export(&vigil, &range, &file, false);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let file_frames = ffprobe(&file.to_string_lossy()).frames;

    let (piped_frames, err) = export_into_ffprobe(&vigil, &range);
    eprintln!("-o - | ffprobe -: {piped_frames} frames; the same range to a file: {file_frames}");
    eprintln!("vigil's report (stderr): {}", err.trim());
    assert_eq!(
        piped_frames, file_frames,
        "every frame went through the pipe"
    );
    assert!(piped_frames > 40, "{piped_frames} frames in ~5 s of video");
    assert!(
        err.contains("wrote standard output:"),
        "the report goes to stderr: {err}"
    );

    // Standard output holds the video only: an MP4 that starts with its `ftyp` box and is
    // cut into fragments (`moof`), nothing printed before or after.
    let out = vigil.run(&[
        "export", "--camera", "demo", "--from", &range.0, "--to", &range.1, "-o", "-",
    ]);
    assert!(out.status.success());
    let bytes = out.stdout;
    assert_eq!(&bytes[4..8], b"ftyp", "starts with the MP4 header");
    let fragments = bytes.windows(4).filter(|w| w == b"moof").count();
    assert!(fragments >= 2, "{fragments} fragments");
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains(&format!("({:.1} MB)", bytes.len() as f64 / 1e6)),
        "the report's size is what was written: {} bytes, {}",
        bytes.len(),
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("-o -: {} bytes, {fragments} fragments", bytes.len());
}

#[test]
fn a_non_ascii_folder_under_recordings_stops_neither_check_nor_retention() {
    // 1 kB cap: retention deletes every finished recording at its first sweep of a run.
    let (_dir, vigil) = demo_library("2", &["--max-gb", "0.000001"]);
    vigil.ok(&["run", "--for", "5s"]);
    let first_run: Vec<String> = vigil
        .recordings()
        .iter()
        .map(|r| r["path"].as_str().expect("path").to_string())
        .collect();
    assert!(!first_run.is_empty());
    // A folder whose name has the right byte length but a two-byte character in it.
    let odd = vigil.data_dir.join("recordings/demo/2025-1é-2");
    std::fs::create_dir_all(&odd).expect("mkdir");
    let odd_file = odd.join("120005.123456-continuous.mp4");
    std::fs::write(&odd_file, b"not a recording").expect("write");

    let out = vigil.run(&["check"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && !err.contains("panicked"),
        "vigil check: {err}"
    );
    eprintln!(
        "vigil check: {}",
        String::from_utf8_lossy(&out.stdout).trim()
    );
    assert!(
        odd_file.exists(),
        "a file Vigil did not write is left alone"
    );

    // A second run: housekeeping walks the tree (reconcile), then sweeps; the first run's
    // recordings are over the cap and go.
    let out = vigil.run(&["run", "--for", "4s"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && !err.contains("panicked"),
        "vigil run: {err}"
    );
    // Its start-up line says the free-space floor it keeps.
    let total = vigil_core::library::disk::disk_space(&vigil.data_dir)
        .expect("disk space")
        .total;
    let floor = vigil_core::library::disk::default_floor(total);
    let said = format!("keeping at least {:.2} GB free on", floor as f64 / 1e9);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let first = stdout.lines().find(|l| l.starts_with("recording into"));
    eprintln!(
        "start-up line: {first:?} (disk of {:.1} GB)",
        total as f64 / 1e9
    );
    assert!(first.is_some_and(|l| l.contains(&said)), "{stdout}");
    let left: Vec<String> = vigil
        .recordings()
        .iter()
        .map(|r| r["path"].as_str().expect("path").to_string())
        .collect();
    let kept: Vec<&String> = first_run.iter().filter(|p| left.contains(p)).collect();
    eprintln!(
        "retention: {} of the first run's {} recordings deleted",
        first_run.len() - kept.len(),
        first_run.len()
    );
    assert!(kept.is_empty(), "retention still deletes: {kept:?} kept");
    assert!(first_run.iter().all(|p| !Path::new(p).exists()));
    assert!(odd_file.exists());
}

#[test]
fn crash_recovery_keeps_a_journaled_recording_it_cannot_read_now() {
    // Long segments: the first one is still open when the recorder is killed (-9) a few
    // fragments into it, so its file is in the open-segment journal, without a row.
    let (_dir, vigil) = demo_library("30", &[]);
    let mut run = vigil.spawn(&["run"]);
    let mut journaled = None;
    let found = wait_until(Duration::from_secs(30), || {
        let canon = vigil.data_dir.canonicalize();
        journaled = canon.ok().and_then(|d| mp4_files(&d).into_iter().next());
        journaled
            .as_ref()
            .is_some_and(|f| std::fs::metadata(f).is_ok_and(|m| m.len() > 20_000))
    });
    run.kill().expect("kill -9");
    let _ = run.wait();
    assert!(found, "a segment was being written");
    let journaled = journaled.expect("the open segment");
    assert!(vigil.recordings().is_empty(), "it has no row yet");

    // Something else where the file should be (as root, modes do not stop reading: a
    // folder in its place makes it unreadable for anyone).
    let away = journaled.with_extension("away");
    std::fs::rename(&journaled, &away).expect("move the file away");
    std::fs::create_dir(&journaled).expect("a folder in its place");
    let report = check_json(&vigil);
    eprintln!("check with the file unreadable: {report}");
    assert_eq!(report["kept_unreadable"], 1, "{report}");
    assert_eq!(report["removed_files"], 0, "{report}");
    assert!(journaled.is_dir(), "left as it was");

    // Readable again: the next check indexes it from its journal row.
    std::fs::remove_dir(&journaled).expect("rmdir");
    std::fs::rename(&away, &journaled).expect("move the file back");
    let report = check_json(&vigil);
    eprintln!("check with the file back: {report}");
    assert_eq!(report["indexed"], 1, "{report}");
    assert_eq!(report["kept_unreadable"], 0, "{report}");
    let rows = vigil.recordings();
    assert!(
        rows.iter()
            .any(|r| r["path"].as_str() == Some(&*journaled.to_string_lossy())),
        "indexed as a recording"
    );
}

fn check_json(vigil: &Vigil) -> serde_json::Value {
    let text = vigil.ok(&["check", "--json"]);
    serde_json::from_str(&text).expect("check --json")
}

#[test]
fn trigger_labels_never_reach_the_terminal_as_escape_codes() {
    let (_dir, vigil) = demo_library("2", &[]);
    let hostile = "door\u{1b}[2J\u{1b}]0;owned\u{7}\r";
    // The CLI refuses to send one.
    let out = vigil.run(&["trigger", "--camera", "demo", "--label", hostile]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("control characters"),
        "{err}"
    );
    assert!(
        !out.stderr.contains(&0x1b),
        "no ESC in the refusal: {err:?}"
    );

    // One stored anyway (a row from before, or any other source) is printed escaped.
    let lib = vigil_core::library::Library::open(&vigil.data_dir).expect("library");
    let cam = lib.cameras().expect("cameras")[0].id;
    lib.insert_event(&vigil_core::model::NewEvent {
        camera_id: cam,
        source: vigil_core::model::EventSource::External,
        label: hostile.into(),
        zone_id: None,
        start_us: vigil_core::model::time::now_us() - 5_000_000,
        end_us: Some(vigil_core::model::time::now_us() - 1_000_000),
        score: 1.0,
        thumbnail: None,
        object_box: None,
    })
    .expect("event");
    drop(lib);
    let out = vigil.run(&["events"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    eprintln!("vigil events: {}", text.trim());
    assert!(
        !out.stdout
            .iter()
            .any(|&b| b == 0x1b || b == 0x07 || b == b'\r'),
        "control bytes printed: {text:?}"
    );
    assert!(
        text.contains(r"door\u{1b}[2J\u{1b}]0;owned\u{7}\u{d}"),
        "{text}"
    );
}
