//! Motion search in the app, driven like a user over real recordings: the demo camera
//! records a few 2-s segments through the engine; the motion index of those minutes is then
//! written with the library's own writer (motion in the top-left of the picture at two known
//! moments, nothing elsewhere). In playback, the tile's "Search motion here…" opens search
//! mode; a rectangle dragged over the top-left finds the two moments (listed, and marked on
//! the timeline, each with its recorded picture), clicking one plays it; a rectangle over the bottom-right finds nothing and
//! says so; a week of busy index is cancelled mid-search (opened from the full-screen bar).

use crate::common;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use egui::{Event, Modifiers, PointerButton, Pos2, Rect};
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;

use vigil_app::backend::FixedBackend;
use vigil_app::VigilApp;
use vigil_core::detect::cells::{CellMask, GRID_W};
use vigil_core::engine::status::{CameraStatus, ConnState};
use vigil_core::engine::EngineStatus;
use vigil_core::library::motion_codec::{encode_frames, FrameCells};
use vigil_core::library::motion_index::{minute_of, MotionMinute, US_PER_MINUTE};
use vigil_core::library::{Library, SegmentQuery};
use vigil_core::service::Archive;

const S: i64 = 1_000_000;

fn until(h: &mut Harness<'_, VigilApp>, secs: u64, what: &str, done: impl Fn(&VigilApp) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !done(h.state()) {
        assert!(Instant::now() < deadline, "{what} within {secs} s");
        h.run_steps(1);
        std::thread::sleep(Duration::from_millis(20));
    }
    h.run_steps(2);
}

/// The cells of grid columns `xs` and rows `ys`.
fn cells(xs: std::ops::Range<usize>, ys: std::ops::Range<usize>) -> CellMask {
    let mut m = CellMask::EMPTY;
    for y in ys {
        for x in xs.clone() {
            m.set(y * GRID_W + x);
        }
    }
    m
}

/// Index rows for every minute of `[from, to)`: `moving` at each of `frames` (UTC µs),
/// quiet otherwise.
fn index_rows(
    camera_id: i64,
    from: i64,
    to: i64,
    moving: CellMask,
    frames: &[i64],
) -> Vec<MotionMinute> {
    (minute_of(from)..=minute_of(to - 1))
        .map(|minute| {
            let base = minute * US_PER_MINUTE;
            let mine: Vec<FrameCells> = frames
                .iter()
                .filter(|&&t| minute_of(t) == minute)
                .map(|&t| FrameCells {
                    offset_ms: ((t - base) / 1000) as u16,
                    cells: moving,
                })
                .collect();
            MotionMinute {
                camera_id,
                minute,
                cells: if mine.is_empty() {
                    CellMask::EMPTY
                } else {
                    moving
                },
                frames: encode_frames(&mine),
            }
        })
        .collect()
}

/// A library with ~6 s of real demo recording, its index replaced by known motion; answers
/// the camera id, the first segment's start and the two moments with motion (start, end).
fn library() -> (tempfile::TempDir, i64, i64, [(i64, i64); 2]) {
    let (dir, mut lib, host) = common::demo_engine();
    let segments = || lib.segments(&SegmentQuery::default()).expect("segments");
    assert!(
        common::wait_until(Duration::from_secs(40), || segments().len() >= 3),
        "three recorded segments within 40 s"
    );
    drop(host); // the engine stops; its index is written out
    let first = segments()[0].clone();
    let end = segments().iter().map(|s| s.end_us).max().expect("segments");
    let id = first.camera_id;
    lib.trim_motion_index(id, minute_of(end) + 2).expect("trim");
    let t0 = first.start_us;
    let hits = [
        (t0 + S / 2, t0 + 3 * S / 2),
        (t0 + 9 * S / 2, t0 + 11 * S / 2),
    ];
    let frames: Vec<i64> = hits
        .iter()
        .flat_map(|&(a, b)| (a..=b).step_by(250_000))
        .collect();
    let top_left = cells(4..10, 3..7);
    lib.store_motion_minutes(&index_rows(id, t0, end, top_left, &frames))
        .expect("index");
    (dir, id, t0, hits)
}

fn status() -> EngineStatus {
    EngineStatus {
        cameras: vec![CameraStatus {
            conn: ConnState::Connected,
            width: 640,
            height: 360,
            ..CameraStatus::new("demo", "demo://")
        }],
        disk_total: 500_000_000_000,
        disk_available: 120_000_000_000,
        mqtt: None,
    }
}

fn click(h: &mut Harness<'_, VigilApp>, pos: Pos2, button: PointerButton) {
    h.hover_at(pos);
    h.run_steps(1);
    for pressed in [true, false] {
        h.event(Event::PointerButton {
            pos,
            button,
            pressed,
            modifiers: Modifiers::NONE,
        });
    }
    h.run_steps(2);
}

fn drag(h: &mut Harness<'_, VigilApp>, from: Pos2, to: Pos2) {
    h.hover_at(from);
    h.run_steps(1);
    h.drag_at(from);
    h.run_steps(1);
    h.hover_at(from + (to - from) * 0.5);
    h.run_steps(1);
    h.hover_at(to);
    h.run_steps(1);
    h.drop_at(to);
    h.run_steps(2);
}

fn picture(h: &Harness<'_, VigilApp>) -> Rect {
    h.state()
        .motion_search()
        .and_then(|m| m.picture_rect())
        .expect("the picture drawn")
}

/// Drags a rectangle between two picture points.
fn draw_rect(h: &mut Harness<'_, VigilApp>, a: (f32, f32), b: (f32, f32)) {
    let r = picture(h);
    let at = |(x, y): (f32, f32)| Pos2::new(r.min.x + x * r.width(), r.min.y + y * r.height());
    drag(h, at(a), at(b));
}

fn search_and_wait(h: &mut Harness<'_, VigilApp>) {
    h.get_by_label("Search").click();
    h.run_steps(2);
    until(h, 20, "the search's answer", |app| {
        app.motion_search()
            .is_some_and(|m| !m.is_running() && (m.found().is_some() || m.message().is_some()))
    });
}

#[test]
fn searching_a_region_finds_its_moments_marks_them_and_plays_one() {
    let (dir, id, t0, hits) = library();
    let backend =
        FixedBackend::new(status()).with_archive(Archive::open(dir.path()).expect("archive"));
    let mut h = Harness::builder()
        .with_size([1280.0, 800.0])
        .with_step_dt(1.0 / 60.0)
        .with_max_steps(20)
        .build_ui_state(
            |ui, app: &mut VigilApp| app.show(ui),
            VigilApp::new(Box::new(backend)),
        );
    until(&mut h, 20, "the timeline's camera row", |app| {
        app.recorded()
            .timeline()
            .is_some_and(|t| t.cameras().len() == 1)
    });
    // Into playback: click the timeline on the recording.
    let layout = h
        .state()
        .recorded()
        .timeline()
        .and_then(|t| t.layout())
        .expect("drawn")
        .clone();
    click(
        &mut h,
        Pos2::new(layout.axis.x(t0 + 3 * S), layout.rows[0].center().y),
        PointerButton::Primary,
    );
    assert!(h.state().recorded().is_playback());
    until(&mut h, 15, "the recorded picture", |app| {
        app.recorded().picture("demo").is_some()
    });

    // The tile's menu opens search mode.
    click(&mut h, Pos2::new(640.0, 250.0), PointerButton::Secondary);
    h.get_by_label("Search motion here…").click();
    h.run_steps(3);
    assert_eq!(h.state().motion_search().map(|m| m.camera()), Some("demo"));
    h.get_by_label("Motion search region on demo");

    // Nothing drawn: the search says what to do.
    h.get_by_label("Search").click();
    h.run_steps(2);
    h.get_by_label_contains("Draw a region on the picture first");

    // A polygon that crosses itself is refused with the engine's reason, and not searched.
    let r = picture(&h);
    for (x, y) in [(0.1, 0.6), (0.4, 0.9), (0.4, 0.6), (0.1, 0.9), (0.1, 0.6)] {
        let at = Pos2::new(r.min.x + x * r.width(), r.min.y + y * r.height());
        click(&mut h, at, PointerButton::Primary);
    }
    h.get_by_label_contains("This region cannot be searched: the search region is not usable");
    h.get_by_label("Search").click();
    h.run_steps(2);
    assert!(h
        .state()
        .motion_search()
        .is_some_and(|m| !m.is_running() && m.found().is_none()));
    h.get_by_label_contains("This region cannot be searched: ");

    // Region A (top left): the two moments.
    draw_rect(&mut h, (0.05, 0.05), (0.45, 0.5));
    search_and_wait(&mut h);
    let found = h
        .state()
        .motion_search()
        .and_then(|m| m.found())
        .expect("an answer")
        .clone();
    let got: Vec<(i64, i64)> = found.hits.iter().map(|x| (x.start_us, x.end_us)).collect();
    assert_eq!(got.len(), 2, "{got:?}");
    for (g, w) in got.iter().zip(hits) {
        assert!(
            (g.0 - w.0).abs() <= 1000 && (g.1 - w.1).abs() <= 250_000,
            "{got:?} vs {hits:?}"
        );
    }
    h.get_by_label("2 moments with motion");
    assert_eq!(h.query_all_by_label_contains("% of the region").count(), 2);
    h.get_by_label_contains("No index before ");
    until(&mut h, 15, "both moments' pictures", |app| {
        app.motion_search()
            .is_some_and(|m| got.iter().all(|g| m.thumbnail(g.0).is_some()))
    });
    let size = h
        .state()
        .motion_search()
        .and_then(|m| m.thumbnail(got[0].0))
        .expect("picture")
        .size();
    assert!(
        size[0] > 0 && size[0] <= 128 && size[1] <= 72,
        "a small picture: {size:?}"
    );
    let marks = h
        .state()
        .recorded()
        .timeline()
        .and_then(|t| t.search_marks())
        .expect("marks")
        .clone();
    assert_eq!((marks.camera_id, marks.spans.clone()), (id, got.clone()));

    // Clicking the second moment plays it from two seconds before.
    h.query_all_by_label_contains("% of the region")
        .nth(1)
        .expect("the second moment")
        .click();
    h.run_steps(2);
    let want = got[1].0 - 2 * S;
    assert_eq!(h.state().recorded().playhead(), Some(want));
    until(&mut h, 10, "the player at the moment", |app| {
        app.recorded()
            .player_state()
            .is_some_and(|s| s.position_us == want)
    });
    let marks = h
        .state()
        .recorded()
        .timeline()
        .and_then(|t| t.search_marks())
        .expect("marks")
        .clone();
    assert_eq!(marks.chosen, Some(1));
    screenshot(&mut h);

    // Region B (bottom right): nothing moved there.
    draw_rect(&mut h, (0.55, 0.55), (0.95, 0.95));
    search_and_wait(&mut h);
    assert!(h
        .state()
        .motion_search()
        .and_then(|m| m.found())
        .expect("answer")
        .hits
        .is_empty());
    h.get_by_label_contains("No motion in this region in ");

    // Escape leaves; the marks go with it.
    h.key_press(egui::Key::Escape);
    h.run_steps(2);
    assert!(h.state().motion_search().is_none());
    assert!(h
        .state()
        .recorded()
        .timeline()
        .and_then(|t| t.search_marks())
        .is_none());
}

/// Saves the window with search mode open (`docs/screenshots/` when
/// `VIGIL_SCREENSHOT_DIR` says so).
fn screenshot(h: &mut Harness<'_, VigilApp>) {
    let image = h.render().expect("render with wgpu (mesa-vulkan-drivers)");
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    let path = dir.join("motion-search.png");
    image.save(&path).expect("save png");
    if let Ok(docs) = std::env::var("VIGIL_SCREENSHOT_DIR") {
        std::fs::create_dir_all(&docs).expect("screenshot dir");
        std::fs::copy(&path, PathBuf::from(docs).join("motion-search.png")).expect("copy");
    }
}

#[test]
fn a_long_search_is_cancelled_and_says_so() {
    let (dir, id, t0, _) = library();
    // A week of busy index before the recording: every minute, a frame every 100 ms.
    let week_ago = t0 - 7 * 24 * 3600 * S + 10 * US_PER_MINUTE;
    let busy = cells(0..GRID_W, 0..9);
    let mut lib = Library::open(dir.path()).expect("library");
    let start = minute_of(week_ago);
    let end = minute_of(t0 - 10 * US_PER_MINUTE);
    for chunk in (start..end).collect::<Vec<_>>().chunks(1440) {
        let rows: Vec<MotionMinute> = chunk
            .iter()
            .map(|&minute| {
                let frames: Vec<FrameCells> = (0..600)
                    .map(|i| FrameCells {
                        offset_ms: i * 100,
                        cells: if i % 2 == 0 {
                            busy
                        } else {
                            cells(0..GRID_W, 2..11)
                        },
                    })
                    .collect();
                MotionMinute {
                    camera_id: id,
                    minute,
                    cells: busy,
                    frames: encode_frames(&frames),
                }
            })
            .collect();
        lib.store_motion_minutes(&rows).expect("index");
    }
    let backend =
        FixedBackend::new(status()).with_archive(Archive::open(dir.path()).expect("archive"));
    let mut h = Harness::builder()
        .with_size([1280.0, 800.0])
        .with_step_dt(1.0 / 60.0)
        .with_max_steps(20)
        .build_ui_state(
            |ui, app: &mut VigilApp| app.show(ui),
            VigilApp::new(Box::new(backend)),
        );
    until(&mut h, 20, "the timeline's camera row", |app| {
        app.recorded()
            .timeline()
            .is_some_and(|t| t.cameras().len() == 1)
    });
    let layout = h
        .state()
        .recorded()
        .timeline()
        .and_then(|t| t.layout())
        .expect("drawn")
        .clone();
    click(
        &mut h,
        Pos2::new(layout.axis.x(t0 + 3 * S), layout.rows[0].center().y),
        PointerButton::Primary,
    );
    // This time from the full-screen bar: select the tile, Enter, the bar's button.
    click(&mut h, Pos2::new(640.0, 250.0), PointerButton::Primary);
    h.key_press(egui::Key::Enter);
    h.run_steps(2);
    assert!(h.state().grid().is_fullscreen());
    h.get_by_label("Search motion here…").click();
    h.run_steps(3);
    draw_rect(&mut h, (0.0, 0.0), (1.0, 0.5));
    h.get_by_label("Last 7 days").click();
    h.run_steps(1);
    h.get_by_label("Search").click();
    h.run_steps(2);
    assert!(
        h.state().motion_search().is_some_and(|m| m.is_running()),
        "still searching a week"
    );
    h.get_by_label("Cancel").click();
    until(&mut h, 20, "the search to stop", |app| {
        app.motion_search().is_some_and(|m| !m.is_running())
    });
    h.get_by_label("The search was cancelled.");
    assert!(h.state().motion_search().and_then(|m| m.found()).is_none());
}
