//! Gaps on the timeline say why: a real library (segments, the gap log, recorder runs) read
//! through the engine service's timeline feed; hovering a gap shows its reason.

use std::time::{Duration, Instant};

use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;

use vigil_app::backend::{Backend, FixedBackend};
use vigil_app::timeline::{TimelineOutput, TimelinePanel};
use vigil_core::library::layout::segment_rel_path;
use vigil_core::library::{FinishedSegment, GapCondition, Library};
use vigil_core::model::{CameraName, NewCamera, Policy, SegmentKind, Transport};

const S: i64 = 1_000_000;
const MIN: i64 = 60 * S;
const HOUR: i64 = 60 * MIN;
/// "Now" for the panel (the feed's own clock is later: the whole window is past).
const NOW: i64 = 1_795_564_800 * S;

struct State {
    panel: TimelinePanel,
    out: Option<TimelineOutput>,
}

fn recorded(lib: &mut Library, id: i64, a: i64, b: i64) {
    let rel = segment_rel_path("front", SegmentKind::Continuous, a);
    lib.begin_segment(id, SegmentKind::Continuous, a, &rel)
        .expect("journal");
    lib.finish_segment(&FinishedSegment {
        camera_id: id,
        kind: SegmentKind::Continuous,
        start_us: a,
        end_us: b,
        rel_path: rel,
        bytes: 30_000_000,
        codec: "h264".into(),
        width: 1920,
        height: 1080,
        frames: 1500,
        event_id: None,
        audio_codec: None,
    })
    .expect("index");
}

/// "front": recorded NOW-2h … NOW, but offline 90–70 min before now and Vigil stopped 40–20
/// min before now.
fn library() -> (tempfile::TempDir, i64) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut lib = Library::open(dir.path()).expect("library");
    let cam = NewCamera {
        name: CameraName::parse("front").expect("name"),
        url: "rtsp://10.0.0.9/front".into(),
        detect_url: None,
        transport: Transport::Tcp,
        enabled: true,
        audio: false,
    };
    let id = lib.add_camera(&cam, &Policy::default()).expect("camera").id;
    let run = lib.begin_run(NOW - 2 * HOUR).expect("run");
    recorded(&mut lib, id, NOW - 2 * HOUR, NOW - 90 * MIN);
    let gap = lib
        .open_gap(
            id,
            NOW - 90 * MIN,
            GapCondition::Offline,
            "connection refused by 10.0.0.9",
        )
        .expect("offline");
    lib.close_gap(gap, NOW - 70 * MIN).expect("back");
    recorded(&mut lib, id, NOW - 70 * MIN, NOW - 40 * MIN);
    lib.end_run(run, NOW - 40 * MIN).expect("stopped");
    lib.begin_run(NOW - 20 * MIN).expect("run again");
    recorded(&mut lib, id, NOW - 20 * MIN, NOW);
    (dir, id)
}

fn harness(dir: &std::path::Path, id: i64) -> Harness<'static, State> {
    let backend = FixedBackend::default().with_recordings(dir);
    let feed = backend.timeline(None).expect("timeline feed");
    let mut panel = TimelinePanel::new(Some(feed), NOW, 2 * HOUR);
    panel.set_cameras(vec![(id, "front".into())]);
    let mut h = Harness::builder()
        .with_size([1300.0, 200.0])
        .with_step_dt(1.0 / 60.0)
        .with_max_steps(10)
        .build_ui_state(
            |ui, s: &mut State| s.out = Some(s.panel.show(ui, NOW)),
            State { panel, out: None },
        );
    let deadline = Instant::now() + Duration::from_secs(20);
    while !h.state().panel.is_current() {
        assert!(Instant::now() < deadline, "the timeline data never arrived");
        h.run_steps(1);
        std::thread::sleep(Duration::from_millis(5));
    }
    h.run_steps(1);
    h
}

/// Rests the pointer over the middle of `[a, b)` on the camera's row until the tooltip shows.
fn hover(h: &mut Harness<'_, State>, a: i64, b: i64) {
    let layout = h.state().panel.layout().expect("drawn").clone();
    let pos = egui::pos2(layout.axis.x((a + b) / 2), layout.rows[0].center().y);
    h.hover_at(pos);
    h.run_steps(90); // tooltips wait for the pointer to rest
}

#[test]
fn hovering_a_gap_shows_why_there_is_no_recording() {
    let (dir, id) = library();
    let mut h = harness(dir.path(), id);
    let data = h.state().panel.data().expect("data");
    // Inside the recorded two hours (the feed's window is wider, and its clock later).
    let causes: Vec<&str> = data
        .gaps(id)
        .iter()
        .filter(|g| g.start_us >= NOW - 2 * HOUR && g.end_us <= NOW)
        .map(|g| g.cause.key())
        .collect();
    assert_eq!(causes, ["offline", "not-running"], "{:?}", data.gaps(id));

    hover(&mut h, NOW - 90 * MIN, NOW - 70 * MIN);
    h.get_by_label_contains("Camera offline: connection refused by 10.0.0.9");
    h.get_by_label_contains("No recording from ");

    hover(&mut h, NOW - 40 * MIN, NOW - 20 * MIN);
    h.get_by_label_contains("Vigil was not running (stopped at ");
    assert_eq!(
        h.query_all_by_label_contains("Camera offline").count(),
        0,
        "the first tooltip is gone"
    );

    // Over a recorded stretch: no gap tooltip.
    hover(&mut h, NOW - 60 * MIN, NOW - 50 * MIN);
    assert_eq!(
        h.query_all_by_label_contains("No recording from ").count(),
        0
    );
}
