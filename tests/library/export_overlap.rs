//! Export where an event clip fills what continuous footage does not cover and overlaps it:
//! the clip's part starts inside its file, between keyframes. The export must not write the
//! overlapping footage twice: that part starts at the clip's first keyframe after the
//! continuous footage ends, and the stretch before it is reported as a gap. Real H.264 files
//! made by ffmpeg, real rows in a library on disk, the result read back with ffprobe.

use crate::common;

use std::path::Path;
use std::process::Command;

use vigil_core::export::{self, Progress};
use vigil_core::library::layout::segment_rel_path;
use vigil_core::library::{FinishedSegment, Library};
use vigil_core::model::{CameraName, NewCamera, Policy, SegmentKind, Transport};

const S: i64 = 1_000_000;
const T: i64 = 1_795_000_000 * S;

/// `seconds` of 320×240 H.264 at 25 fps, a keyframe every second, no B-frames.
fn make(path: &Path, seconds: u32) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("dirs");
    let ok = Command::new("ffmpeg")
        .args([
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=320x240:rate=25",
        ])
        .args([
            "-t",
            &seconds.to_string(),
            "-c:v",
            "libx264",
            "-g",
            "25",
            "-bf",
            "0",
        ])
        .args([
            "-pix_fmt",
            "yuv420p",
            "-movflags",
            "+frag_keyframe+empty_moov",
        ])
        .arg(path)
        .status()
        .expect("run ffmpeg");
    assert!(ok.success(), "ffmpeg made {}", path.display());
}

fn add(lib: &mut Library, cam: i64, kind: SegmentKind, start_us: i64, seconds: u32) {
    let rel = segment_rel_path("yard", kind, start_us);
    let abs = lib.absolute(&rel);
    make(&abs, seconds);
    lib.begin_segment(cam, kind, start_us, &rel)
        .expect("journal");
    lib.finish_segment(&FinishedSegment {
        camera_id: cam,
        kind,
        start_us,
        end_us: start_us + i64::from(seconds) * S,
        rel_path: rel,
        bytes: std::fs::metadata(&abs).expect("file").len(),
        codec: "h264".into(),
        width: 320,
        height: 240,
        frames: u64::from(seconds) * 25,
        event_id: None,
        audio_codec: None,
    })
    .expect("index");
}

#[test]
fn an_overlapping_event_clip_is_not_written_twice() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut lib = Library::open(dir.path()).expect("library");
    let cam = NewCamera {
        name: CameraName::parse("yard").expect("name"),
        url: "demo://".into(),
        detect_url: None,
        transport: Transport::Tcp,
        enabled: true,
        audio: false,
    };
    let cam = lib.add_camera(&cam, &Policy::default()).expect("camera").id;
    // Continuous footage T..T+4 s; an event clip T+2.5..T+6.5 s (keyframes at 2.5, 3.5,
    // 4.5, 5.5 s), so the part after T+4 s starts between two of its keyframes.
    add(&mut lib, cam, SegmentKind::Continuous, T, 4);
    add(&mut lib, cam, SegmentKind::Event, T + 2_500_000, 4);

    let plan = export::plan(&lib, "yard", T, T + 6_500_000).expect("plan");
    assert_eq!(plan.pieces.len(), 2, "{plan:?}");
    assert_eq!(
        (plan.pieces[1].from_us, plan.pieces[1].to_us),
        (T + 4 * S, T + 6_500_000)
    );
    let out = dir.path().join("overlap.mp4");
    let report = export::write(&plan, &out, false, &Progress::new()).expect("export");

    // 4 s of continuous footage, then the clip from its keyframe at 4.5 s: 100 + 50 frames,
    // and the half second before that keyframe reported as a gap (not copied again).
    assert_eq!(report.frames, 150, "{report:?}");
    assert_eq!(report.gaps, vec![(T + 4 * S, T + 4_500_000)], "{report:?}");
    assert!(
        report.summary().contains("1 gap of"),
        "{}",
        report.summary()
    );
    let probe = common::ffprobe(&out.to_string_lossy());
    assert_eq!(probe.frames, 150, "{probe:?}");
    assert!((probe.duration_s - 6.0).abs() < 0.05, "{probe:?}");
    let mut pts = probe.pts.clone();
    pts.sort_by(f64::total_cmp);
    pts.dedup();
    assert_eq!(pts.len(), probe.pts.len(), "no picture twice");
}
