//! The timeline panel driven headless with egui_kittest like a user — drag the playhead on
//! the ruler, zoom with the wheel, pan, shift-drag a selection, "Now" — against a real
//! library in a temporary folder whose rows were written through the library's API and
//! read by the timeline feed the engine service hands out. Assertions are on the panel's state (playhead,
//! window, selection) and on the data it drew.

use std::time::{Duration, Instant};

use egui::{Event, Modifiers, MouseWheelSource, MouseWheelUnit, PointerButton, Pos2, TouchPhase};
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;

use vigil_app::backend::{Backend, FixedBackend};
use vigil_app::timeline::{TimeAxis, TimelineOutput, TimelinePanel};
use vigil_core::library::layout::segment_rel_path;
use vigil_core::library::{FinishedSegment, Library};
use vigil_core::model::{
    CameraName, EventSource, NewCamera, NewEvent, Policy, SegmentKind, Transport,
};

const S: i64 = 1_000_000;
const HOUR: i64 = 3600 * S;
/// "Now" for the panel: fixed, so the live window does not move under the test.
const NOW: i64 = 1_795_564_800 * S;

struct State {
    panel: TimelinePanel,
    out: Option<TimelineOutput>,
}

fn camera(lib: &mut Library, name: &str) -> i64 {
    let cam = NewCamera {
        name: CameraName::parse(name).expect("name"),
        url: format!("rtsp://10.0.0.9/{name}"),
        detect_url: None,
        transport: Transport::Tcp,
        enabled: true,
        audio: false,
    };
    lib.add_camera(&cam, &Policy::default()).expect("camera").id
}

fn segment(lib: &mut Library, (name, id): (&str, i64), kind: SegmentKind, a: i64, b: i64) {
    let rel = segment_rel_path(name, kind, a);
    lib.begin_segment(id, kind, a, &rel).expect("journal");
    lib.finish_segment(&FinishedSegment {
        camera_id: id,
        kind,
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

/// Two cameras: "front" recorded the last 2 h in 60 s segments with a 5-minute outage, an
/// event clip and a motion event; "yard" has one event clip.
fn library() -> (tempfile::TempDir, i64, i64) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut lib = Library::open(dir.path()).expect("library");
    let front = camera(&mut lib, "front");
    let yard = camera(&mut lib, "yard");
    let mut t = NOW - 2 * HOUR;
    while t < NOW - 60 * S {
        if !(NOW - HOUR..NOW - HOUR + 300 * S).contains(&t) {
            segment(
                &mut lib,
                ("front", front),
                SegmentKind::Continuous,
                t,
                t + 60 * S,
            );
        }
        t += 60 * S;
    }
    let clip = (NOW - 30 * 60 * S, NOW - 29 * 60 * S);
    segment(
        &mut lib,
        ("front", front),
        SegmentKind::Event,
        clip.0,
        clip.1,
    );
    segment(&mut lib, ("yard", yard), SegmentKind::Event, clip.0, clip.1);
    lib.insert_event(&NewEvent {
        camera_id: front,
        source: EventSource::Motion,
        label: "person".into(),
        zone_id: None,
        start_us: clip.0 + 10 * S,
        end_us: Some(clip.0 + 40 * S),
        score: 0.7,
        thumbnail: None,
        object_box: None,
    })
    .expect("event");
    (dir, front, yard)
}

fn harness(dir: &std::path::Path, front: i64, yard: i64) -> Harness<'static, State> {
    let backend = FixedBackend::default().with_recordings(dir);
    let feed = backend.timeline(None).expect("timeline feed");
    let mut panel = TimelinePanel::new(Some(feed), NOW, 2 * HOUR);
    panel.set_cameras(vec![(front, "front".into()), (yard, "yard".into())]);
    let mut h = Harness::builder()
        .with_size([1300.0, 260.0])
        .with_step_dt(1.0 / 60.0)
        .with_max_steps(10)
        .build_ui_state(
            |ui, s: &mut State| s.out = Some(s.panel.show(ui, NOW)),
            State { panel, out: None },
        );
    // Poll until the feed's answer for the current window has arrived.
    let deadline = Instant::now() + Duration::from_secs(20);
    while !h.state().panel.is_current() {
        assert!(Instant::now() < deadline, "the timeline data never arrived");
        h.run_steps(1);
        std::thread::sleep(Duration::from_millis(5));
    }
    h.run_steps(1);
    h
}

fn axis(h: &Harness<'_, State>) -> TimeAxis {
    h.state().panel.layout().expect("drawn").axis
}

fn button(h: &Harness<'_, State>, pos: Pos2, pressed: bool, modifiers: Modifiers) {
    h.event(Event::PointerButton {
        pos,
        button: PointerButton::Primary,
        pressed,
        modifiers,
    });
}

/// Presses at `from`, moves to `to` in steps (calling `during` at each), releases.
fn drag(
    h: &mut Harness<'_, State>,
    from: Pos2,
    to: Pos2,
    modifiers: Modifiers,
    mut during: impl FnMut(&Harness<'_, State>, Pos2),
) {
    h.event(Event::ModifiersChanged(modifiers));
    h.hover_at(from);
    h.run_steps(1);
    button(h, from, true, modifiers);
    h.run_steps(1);
    for i in 1..=6 {
        let p = from + (to - from) * (i as f32 / 6.0);
        h.hover_at(p);
        h.run_steps(1);
        during(h, p);
    }
    button(h, to, false, modifiers);
    h.run_steps(2);
    h.event(Event::ModifiersChanged(Modifiers::NONE));
    h.run_steps(1);
}

fn within_a_pixel(got: i64, want: i64, axis: &TimeAxis) {
    let err = (got - want).abs() as f64;
    assert!(
        err <= axis.us_per_px(),
        "{got} vs {want}: {err} µs off, a pixel is {}",
        axis.us_per_px()
    );
}

#[test]
fn the_rows_show_the_recorded_ranges_gaps_and_events_from_the_library() {
    let (dir, front, yard) = library();
    let h = harness(dir.path(), front, yard);
    let data = h.state().panel.data().expect("data");
    let row = data.timeline.camera(front).expect("front's row");
    assert_eq!(row.continuous.len(), 2, "{:?}", row.continuous);
    assert_eq!(row.continuous[0].end_us, NOW - HOUR);
    assert_eq!(row.continuous[1].start_us, NOW - HOUR + 300 * S);
    assert_eq!(row.event_clips.len(), 1);
    assert_eq!(row.events.len(), 1);
    assert_eq!(row.events[0].label, "person");
    assert!(row.motion.iter().any(|&n| n > 0));
    let yard_row = data.timeline.camera(yard).expect("yard's row");
    assert!(yard_row.continuous.is_empty() && yard_row.event_clips.len() == 1);
    // Live: no playhead, the window ends just after now.
    assert!(h.state().panel.view().is_live());
    assert!(h.state().panel.view().end_us > NOW);
}

#[test]
fn dragging_the_playhead_on_the_ruler_scrubs_to_the_time_under_the_pointer() {
    let (dir, front, yard) = library();
    let mut h = harness(dir.path(), front, yard);
    let ruler = h.state().panel.layout().expect("drawn").ruler;
    let from = Pos2::new(ruler.min.x + 0.3 * ruler.width(), ruler.center().y);
    let to = Pos2::new(ruler.min.x + 0.7 * ruler.width(), ruler.center().y);
    let mut scrubbed = 0;
    drag(&mut h, from, to, Modifiers::NONE, |h, p| {
        let out = h.state().out.clone().expect("output");
        if out.scrubbing {
            scrubbed += 1;
            within_a_pixel(
                out.playhead_us.expect("playhead"),
                axis(h).time_at(p.x),
                &axis(h),
            );
        }
    });
    assert!(
        scrubbed >= 3,
        "scrubbing was reported while dragging ({scrubbed} frames)"
    );
    let out = h.state().out.clone().expect("output");
    assert!(!out.scrubbing, "no longer scrubbing after release");
    let a = axis(&h);
    within_a_pixel(out.playhead_us.expect("playhead"), a.time_at(to.x), &a);

    // "Now" returns to live.
    h.get_by_label("Now").click();
    h.run_steps(2);
    assert_eq!(h.state().out.clone().expect("output").playhead_us, None);
    assert!(h.state().panel.view().is_live());
}

#[test]
fn the_wheel_zooms_about_the_pointer_and_a_drag_pans() {
    let (dir, front, yard) = library();
    let mut h = harness(dir.path(), front, yard);
    let row = h.state().panel.layout().expect("drawn").rows[0];
    // Leave live first (a click puts the playhead there), so the window stays put.
    let at = Pos2::new(row.min.x + 0.25 * row.width(), row.center().y);
    h.hover_at(at);
    h.run_steps(1);
    button(&h, at, true, Modifiers::NONE);
    button(&h, at, false, Modifiers::NONE);
    h.run_steps(2);
    assert!(!h.state().panel.view().is_live());
    let before = axis(&h);
    let t_under = before.time_at(at.x);
    h.event(Event::MouseWheel {
        unit: MouseWheelUnit::Line,
        delta: egui::vec2(0.0, 3.0),
        phase: TouchPhase::Move,
        source: MouseWheelSource::Unknown,
        modifiers: Modifiers::NONE,
    });
    h.run_steps(2);
    let after = axis(&h);
    within_a_pixel(after.time_at(at.x), t_under, &after);
    let ratio = before.span_us as f64 / after.span_us as f64;
    assert!(
        (ratio - 1.25f64.powi(3)).abs() < 1e-3,
        "zoomed in by {ratio}"
    );

    // A drag on a row (no shift) moves the window with the pointer.
    let from = Pos2::new(row.min.x + 0.6 * row.width(), row.center().y);
    let to = Pos2::new(row.min.x + 0.4 * row.width(), row.center().y);
    let t_from = axis(&h).time_at(from.x);
    let playhead = h.state().panel.view().playhead_us;
    drag(&mut h, from, to, Modifiers::NONE, |_, _| {});
    let panned = axis(&h);
    within_a_pixel(panned.time_at(to.x), t_from, &panned);
    assert_eq!(
        h.state().panel.view().playhead_us,
        playhead,
        "panning leaves the playhead"
    );
}

#[test]
fn shift_drag_selects_the_range_between_the_pointer_positions() {
    let (dir, front, yard) = library();
    let mut h = harness(dir.path(), front, yard);
    let row = h.state().panel.layout().expect("drawn").rows[1];
    let from = Pos2::new(row.min.x + 0.2 * row.width(), row.center().y);
    let to = Pos2::new(row.min.x + 0.55 * row.width(), row.center().y);
    let a = axis(&h);
    let (want_a, want_b) = (a.time_at(from.x), a.time_at(to.x));
    let window = (
        h.state().panel.view().start_us,
        h.state().panel.view().end_us,
    );
    drag(&mut h, from, to, Modifiers::SHIFT, |_, _| {});
    let out = h.state().out.clone().expect("output");
    let (got_a, got_b) = out.selection.expect("a selection");
    let a = axis(&h);
    within_a_pixel(got_a, want_a, &a);
    within_a_pixel(got_b, want_b, &a);
    assert_eq!(
        out.playhead_us, None,
        "selecting does not move the playhead"
    );
    assert_eq!(
        (
            h.state().panel.view().start_us,
            h.state().panel.view().end_us
        ),
        window,
        "selecting does not pan"
    );
    h.get_by_label("Clear").click();
    h.run_steps(2);
    assert_eq!(h.state().out.clone().expect("output").selection, None);
}
