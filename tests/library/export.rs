//! Export, through the engine API and the `vigil export` command, of real footage recorded
//! from the RTSP camera simulator (H.264, 25 fps, a keyframe every second) in 2-second
//! segments, with a gap of a few seconds between two recording runs. Every exported file is
//! checked with ffprobe against the recordings it was cut from.

use crate::common;

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{RtspServer, Vigil};
use vigil_core::export::{self, ExportError, ExportPlan, ExportReport, Progress};
use vigil_core::library::Library;
use vigil_core::model::time::format_rfc3339;
use vigil_core::service::{Archive, ExportRequest, Job, JobState, ServiceError, Wake};

use crate::export_support;
use export_support::footage::{gap_export_from, record_two_runs_with_a_gap, Footage};
use export_support::{check_against_sources, no_transcoding, stream_fields, Seg};

const FRAME_S: f64 = 0.04;

fn export_api(f: &Footage, from_us: i64, to_us: i64, name: &str) -> (ExportPlan, ExportReport) {
    export_camera(&f.vigil, "yard", from_us, to_us, &f.dir.path().join(name))
}

/// Plans and writes an export through the engine API.
fn export_camera(
    vigil: &Vigil,
    camera: &str,
    from_us: i64,
    to_us: i64,
    out: &Path,
) -> (ExportPlan, ExportReport) {
    let lib = Library::open(&vigil.data_dir).expect("library");
    let plan = export::plan(&lib, camera, from_us, to_us).expect("plan");
    let report = export::write(&plan, out, false, &Progress::new()).expect("export");
    assert_eq!(report.path, out);
    (plan, report)
}

#[test]
fn exports_inside_a_segment_across_a_boundary_and_across_a_gap() {
    let f = record_two_runs_with_a_gap();
    let (s1, s2) = (&f.run1[1], &f.run1[2]);

    // Inside one segment: 0.5 s after its start, where a keyframe is.
    let (plan, r) = export_api(
        &f,
        s1.start_us + 500_000,
        s1.start_us + 1_530_000,
        "one.mp4",
    );
    assert_eq!(plan.pieces.len(), 1);
    assert_eq!(
        r.starts_at_us, s1.start_us,
        "starts at the segment's keyframe"
    );
    check_against_sources(&plan, &r, FRAME_S, 0.0);

    // Across a segment boundary, from the keyframe one second into the first segment.
    let (plan, r) = export_api(
        &f,
        s1.start_us + 1_300_000,
        s2.start_us + 1_230_000,
        "two.mp4",
    );
    assert_eq!(plan.pieces.len(), 2);
    assert!(r.gaps.is_empty(), "abutting segments leave no gap");
    let lead = r.lead_in_us();
    assert!((250_000..=350_000).contains(&lead), "lead-in {lead} µs");
    check_against_sources(&plan, &r, FRAME_S, 0.0);
    no_transcoding(&s1.path, &r.path);

    // Across the gap between the two runs.
    let (last1, first2) = (f.run1.last().expect("run 1"), &f.run2[0]);
    let to = f.run2[1].start_us + 730_000;
    let (plan, r) = export_api(&f, gap_export_from(&f), to, "gap.mp4");
    assert_eq!(r.gaps, vec![(last1.end_us, first2.start_us)]);
    assert!(r.gaps_us() >= 2_500_000, "gap of {} µs", r.gaps_us());
    assert!(r.summary().contains("1 gap of"), "{}", r.summary());
    check_against_sources(&plan, &r, FRAME_S, 0.5);
    assert_eq!(r.segments_used, plan.pieces.len());

    // Inside the gap there is nothing.
    let lib = Library::open(&f.vigil.data_dir).expect("library");
    let err = export::plan(
        &lib,
        "yard",
        last1.end_us + 500_000,
        first2.start_us - 500_000,
    )
    .expect_err("nothing recorded in the gap");
    assert!(matches!(err, ExportError::NothingRecorded { .. }), "{err}");

    cancel_from_another_thread(&f);
    through_the_service(&f);
    cli(&f);
}

/// Polls `job` as a UI frame would, until it answers.
fn answer<T: Send + 'static>(job: &mut Job<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match job.poll() {
            JobState::Done(v) => return v,
            JobState::Lost => panic!("the job ended without an answer"),
            JobState::Running => {
                assert!(Instant::now() < deadline, "no answer within 30 s");
                std::thread::sleep(Duration::from_millis(10));
            }
        }
    }
}

/// The service's exports handle: a plan job, a write job whose progress reaches the end and
/// wakes the caller along the way, and a write job cancelled mid-way that leaves no file.
fn through_the_service(f: &Footage) {
    let archive = Archive::open(&f.vigil.data_dir).expect("archive");
    let exports = archive.exports();
    let (a, b) = (f.run1[0].start_us, f.run2.last().expect("run 2").end_us);
    let whole = ExportRequest::Range {
        camera: "yard".into(),
        from_us: a,
        to_us: b,
    };
    let plan = answer(&mut exports.plan(whole, None)).expect("plan");
    let gap = ExportRequest::Range {
        camera: "yard".into(),
        from_us: f.run1.last().expect("run 1").end_us + 500_000,
        to_us: f.run2[0].start_us - 500_000,
    };
    let none = answer(&mut exports.plan(gap, None)).expect_err("nothing in the gap");
    assert!(none.to_string().contains("nothing was recorded"), "{none}");

    let wakes = Arc::new(AtomicUsize::new(0));
    let w = Arc::clone(&wakes);
    let wake: Wake = Arc::new(move || {
        w.fetch_add(1, Ordering::Relaxed);
    });
    let out = f.dir.path().join("service.mp4");
    let mut job = exports.write(
        plan.clone(),
        out.clone(),
        false,
        "test".into(),
        false,
        Some(wake),
    );
    let report = answer(&mut job).expect("export");
    assert_eq!(report.path, out);
    assert!(out.exists());
    assert!((job.progress() - 1.0).abs() < 1e-6, "{}", job.progress());
    assert!(wakes.load(Ordering::Relaxed) > 10, "woken as it went");
    // Its signed manifest, beside it, verifies with the library's key.
    let sealed = report.manifest.clone().expect("sealed").expect("signed");
    assert_eq!(sealed.path, out.with_file_name("service.mp4.manifest.json"));
    let key = vigil_core::evidence::InstallationKey::load(&f.vigil.data_dir).expect("key");
    let trusted = vigil_core::evidence::TrustedKey::Installation(key.public_key());
    let verdict = vigil_core::evidence::verify::verify(&out, None, &trusted);
    assert_eq!(verdict.outcome(), vigil_core::evidence::Outcome::Authentic);

    // With the watermark: re-encoded, plays, marked in the manifest, authentic too.
    let marked = f.dir.path().join("service-watermarked.mp4");
    let mut job = exports.write(
        plan.clone(),
        marked.clone(),
        false,
        "test".into(),
        true,
        None,
    );
    let report = answer(&mut job).expect("watermarked export");
    assert!(report.manifest.is_some_and(|m| m.is_ok()));
    assert_eq!(common::ffprobe(&marked.to_string_lossy()).codec, "h264");
    let verdict = vigil_core::evidence::verify::verify(&marked, None, &trusted);
    assert_eq!(verdict.outcome(), vigil_core::evidence::Outcome::Authentic);
    assert!(verdict.manifest.is_some_and(|m| m.watermarked));

    // Cancelled at its first progress step: the wake holds the export there until the
    // caller has cancelled the job.
    let (asked, asked_rx) = crossbeam_channel::bounded::<()>(0);
    let (done, done_rx) = crossbeam_channel::bounded::<()>(0);
    let once = Arc::new(AtomicBool::new(false));
    let wake: Wake = Arc::new(move || {
        if !once.swap(true, Ordering::Relaxed) {
            let _ = asked.send(());
            let _ = done_rx.recv_timeout(Duration::from_secs(10));
        }
    });
    let out = f.dir.path().join("service-cancelled.mp4");
    let mut job = exports.write(plan, out.clone(), false, "test".into(), false, Some(wake));
    asked_rx
        .recv_timeout(Duration::from_secs(30))
        .expect("export made progress");
    job.cancel();
    done.send(()).expect("export waiting");
    let result = answer(&mut job);
    assert!(
        matches!(result, Err(ServiceError::Export(ExportError::Cancelled))),
        "{result:?}"
    );
    assert!(job.progress() > 0.0 && job.progress() < 1.0);
    assert!(!out.exists(), "a cancelled export leaves no file");
    let leftovers: Vec<_> = std::fs::read_dir(f.dir.path())
        .expect("list")
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .contains("service-cancelled")
        })
        .collect();
    assert!(leftovers.is_empty(), "temporary file left: {leftovers:?}");
}

fn cancel_from_another_thread(f: &Footage) {
    let lib = Library::open(&f.vigil.data_dir).expect("library");
    let (a, b) = (f.run1[0].start_us, f.run2.last().expect("run 2").end_us);
    let plan = export::plan(&lib, "yard", a, b).expect("plan");
    // The export pauses at its first progress step until another thread has cancelled it.
    let (asked, asked_rx) = crossbeam_channel::bounded::<()>(0);
    let (done, done_rx) = crossbeam_channel::bounded::<()>(0);
    let once = Arc::new(AtomicBool::new(false));
    let progress = Progress::new().with_notify(move || {
        if !once.swap(true, Ordering::Relaxed) {
            let _ = asked.send(());
            let _ = done_rx.recv_timeout(Duration::from_secs(10));
        }
    });
    let canceller = {
        let progress = progress.clone();
        std::thread::spawn(move || {
            asked_rx
                .recv_timeout(Duration::from_secs(30))
                .expect("export made progress");
            progress.cancel();
            let _ = done.send(());
        })
    };
    let out = f.dir.path().join("cancelled.mp4");
    let result = export::write(&plan, &out, false, &progress);
    canceller.join().expect("canceller");
    assert!(matches!(result, Err(ExportError::Cancelled)), "{result:?}");
    assert!(progress.fraction() > 0.0 && progress.fraction() < 1.0);
    assert!(!out.exists(), "a cancelled export leaves no file");
    let leftovers: Vec<_> = std::fs::read_dir(f.dir.path())
        .expect("list")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("cancelled"))
        .collect();
    assert!(leftovers.is_empty(), "temporary file left: {leftovers:?}");
}

fn cli(f: &Footage) {
    let from = format_rfc3339(gap_export_from(f));
    let to = format_rfc3339(f.run2[1].start_us + 730_000);
    let out = f.dir.path().join("cli.mp4");
    let out_s = out.to_string_lossy().into_owned();
    let args = [
        "export", "--camera", "yard", "--from", &from, "--to", &to, "-o", &out_s,
    ];
    let stdout = f.vigil.ok(&args);
    let line = stdout.trim();
    assert!(line.starts_with(&format!("wrote {out_s}: ")), "{line}");
    assert!(line.contains(" s ("), "duration printed: {line}");
    assert!(
        line.contains("starts at the keyframe 0.30 s before the requested time"),
        "{line}"
    );
    assert!(line.contains("; 1 gap of"), "{line}");
    let probe = common::ffprobe(&out_s);
    let printed: f64 = line
        .split(": ")
        .nth(1)
        .and_then(|t| t.split(" s (").next())
        .and_then(|t| t.parse().ok())
        .expect("seconds in the line");
    assert!(
        (probe.duration_s - printed).abs() < 0.051,
        "{line} vs {probe:?}"
    );

    let again = f.vigil.run(&args);
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(!again.status.success());
    assert!(
        err.contains("already exists; pass --force to replace it"),
        "{err}"
    );
    let mut forced = args.to_vec();
    forced.push("--force");
    f.vigil.ok(&forced);

    let nowhere = f.dir.path().join("no-such-folder/clip.mp4");
    let bad = f.vigil.run(&[
        "export",
        "--camera",
        "yard",
        "--from",
        &from,
        "--to",
        &to,
        "-o",
        &nowhere.to_string_lossy(),
    ]);
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(!bad.status.success());
    assert!(
        err.contains("cannot write") && err.contains("its folder does not exist"),
        "{err}"
    );
    event_export(f);
}

/// `--event ID` exports the event's own time range.
fn event_export(f: &Footage) {
    let (s1, s2) = (&f.run1[1], &f.run1[2]);
    let lib = Library::open(&f.vigil.data_dir).expect("library");
    let cam = lib.camera_by_name("yard").expect("camera");
    let id = lib
        .insert_event(&vigil_core::model::NewEvent {
            camera_id: cam.id,
            source: vigil_core::model::EventSource::External,
            label: "door".into(),
            zone_id: None,
            start_us: s1.start_us + 1_100_000,
            end_us: Some(s2.start_us + 510_000),
            score: 1.0,
            thumbnail: None,
            object_box: None,
        })
        .expect("event");
    let out = f.dir.path().join("event.mp4");
    let out_s = out.to_string_lossy().into_owned();
    let line = f
        .vigil
        .ok(&["export", "--event", &id.to_string(), "-o", &out_s]);
    assert!(
        line.contains("starts at the keyframe 0.10 s before"),
        "{line}"
    );
    // From the keyframe 1 s into s1 to 0.51 s into s2: 1.5 s, 38 frames.
    let probe = common::ffprobe(&out_s);
    assert_eq!(probe.frames, 38, "{probe:?}");
    let wrong = f.vigil.run(&[
        "export",
        "--event",
        &id.to_string(),
        "--camera",
        "gate",
        "-o",
        &out_s,
    ]);
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("is on camera 'yard', not 'gate'"));
}

/// H.265 is copied as it is too, tagged hvc1 (what Apple players and browsers expect).
#[test]
fn exports_h265_across_a_segment_boundary_without_transcoding() {
    let server = RtspServer::start(&["--gop", "25"]);
    let dir = tempfile::tempdir().expect("temp dir");
    let vigil = Vigil::new(&dir.path().join("data"));
    let url = server.url("h265");
    vigil.ok(&[
        "camera",
        "add",
        "--name",
        "door",
        "--url",
        &url,
        "--segment-seconds",
        "2",
    ]);
    vigil.ok(&["run", "--for", "7s"]);
    let segs: Vec<Seg> = vigil.recordings().iter().map(Seg::from_json).collect();
    assert!(segs.len() >= 3, "recorded {} segments", segs.len());
    let (s1, s2) = (&segs[1], &segs[2]);
    let to = s2.start_us + ((s2.end_us - s2.start_us) / 2).min(530_000);
    let out = dir.path().join("h265.mp4");
    let (plan, r) = export_camera(&vigil, "door", s1.start_us + 1_300_000, to, &out);
    assert_eq!(plan.pieces.len(), 2);
    check_against_sources(&plan, &r, FRAME_S, 0.0);
    no_transcoding(&s1.path, &out);
    let tag = stream_fields(&out.to_string_lossy(), &["codec_tag_string"]);
    assert_eq!(tag[0].1, "\"hvc1\"");
}

#[test]
fn nothing_recorded_and_bad_requests_fail_with_one_sentence() {
    let dir = tempfile::tempdir().expect("temp dir");
    let vigil = Vigil::new(dir.path());
    vigil.add_demo_camera("yard", &["--disabled"]);
    let out = dir.path().join("clip.mp4");
    let out = out.to_string_lossy();
    let cases: [(&[&str], &str); 6] = [
        (
            &["--camera", "yard", "--from", "2026-11-25T03:00:00Z", "--to", "2026-11-25T04:00:00Z"],
            "error: nothing was recorded for camera 'yard' between 2026-11-25T03:00:00Z and 2026-11-25T04:00:00Z\n",
        ),
        (
            &["--camera", "gate", "--from", "2026-11-25T03:00:00Z", "--to", "2026-11-25T04:00:00Z"],
            "error: no camera named 'gate'\n",
        ),
        (
            &["--camera", "yard", "--from", "yesterday", "--to", "2026-11-25T04:00:00Z"],
            "error: --from: 'yesterday' is not an RFC 3339 time; write it like 2026-11-25T03:00:00Z\n",
        ),
        (
            &["--camera", "yard", "--from", "2026-11-25T04:00:00Z", "--to", "2026-11-25T03:00:00Z"],
            "error: --from must be before --to\n",
        ),
        (&["--event", "999"], "error: no event with id 999\n"),
        (
            &["--camera", "yard"],
            "error: say what to export: --camera NAME --from TIME --to TIME, or --event ID\n",
        ),
    ];
    for (args, expected) in cases {
        let mut all = vec!["export"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["-o", &out]);
        let result = vigil.run(&all);
        assert!(!result.status.success(), "{args:?} succeeded");
        assert_eq!(
            String::from_utf8_lossy(&result.stderr),
            expected,
            "{args:?}"
        );
        assert!(!Path::new(out.as_ref()).exists());
    }
}
