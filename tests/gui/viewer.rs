//! The app over a library another Vigil records into (issue 16): a real `vigil run` child
//! records the demo camera into a temporary data directory; the app opened on that directory
//! finds the lock held, views the library read-only (banner naming the child's pid, its
//! camera, its recordings on the timeline, a recording played in the tile, camera changes
//! turned off) and writes nothing into the directory (compared byte for byte while the
//! recorder is paused with SIGSTOP, so only the viewer could have changed anything). The
//! tiles show the camera states the recorder published in `status.json` in the words of a
//! recorder's own tiles: the demo camera live and recording, a camera whose URL holds a
//! password offline with its error, the password nowhere (neither in the file nor on screen);
//! with the file damaged, the cameras show as stopped and the banner says why.
//! Once the recorder has stopped, `status.json` is gone, the banner says so, the lock is free
//! and a new `vigil run` records there again.

use crate::common::{self, Vigil};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use egui::{Event, Modifiers, PointerButton, Pos2};
use egui_kittest::kittest::{NodeT, Queryable};
use egui_kittest::Harness;

use vigil_app::viewer::ViewerBackend;
use vigil_app::VigilApp;
use vigil_core::library::lock;
use vigil_core::service::status_snapshot::{StateWord, StatusSnapshot, STATUS_FILE};

/// A camera nothing answers for, its URL holding a password.
const BAD_URL: &str = "rtsp://user:secret@127.0.0.1:1/x";

/// Every file under `dir` with its bytes (links and folders by name only).
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for e in std::fs::read_dir(dir).expect("read dir").flatten() {
            let p = e.path();
            let meta = std::fs::symlink_metadata(&p).expect("metadata");
            if meta.is_dir() {
                out.insert(p.clone(), Vec::new());
                walk(&p, out);
            } else if meta.is_file() {
                out.insert(p.clone(), std::fs::read(&p).expect("read"));
            } else {
                out.insert(p, Vec::new());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, &mut out);
    out
}

fn signal(pid: u32, sig: &str) {
    let ok = Command::new("kill")
        .args([sig, &pid.to_string()])
        .status()
        .expect("run kill")
        .success();
    assert!(ok, "kill {sig} {pid}");
}

/// Steps the app until `done` holds, or fails after `secs` seconds saying `what`.
fn until(h: &mut Harness<'_, VigilApp>, secs: u64, what: &str, done: impl Fn(&VigilApp) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !done(h.state()) {
        assert!(Instant::now() < deadline, "{what} within {secs} s");
        h.run_steps(1);
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn click(h: &mut Harness<'_, VigilApp>, at: Pos2) {
    h.hover_at(at);
    h.run_steps(1);
    for pressed in [true, false] {
        h.event(Event::PointerButton {
            pos: at,
            button: PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
    }
    h.run_steps(2);
}

#[test]
fn the_app_views_a_library_another_vigil_records_into_and_writes_nothing_there() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let data = tmp.path().join("data");
    let vigil = Vigil::new(&data);
    vigil.add_demo_camera("demo", &["--segment-seconds", "2"]);
    vigil.ok(&["camera", "add", "--name", "bad", "--url", BAD_URL]);
    let recorder = vigil.spawn(&["run", "--for", "120s"]);
    let pid = recorder.id();
    let finished = || {
        vigil
            .recordings()
            .iter()
            .filter(|r| r["end_us"].as_i64().is_some())
            .count()
    };
    assert!(
        common::wait_until(Duration::from_secs(60), || finished() >= 2),
        "the recorder finished two segments"
    );
    let holder = lock::holder(&data).expect("the recorder holds the lock");
    assert_eq!(holder.pid, Some(pid), "{holder:?}");
    assert!(
        !holder.service,
        "a temporary directory is not the service's"
    );
    // The recorder published its cameras' states: demo recording, bad failing.
    let published = || {
        let s = StatusSnapshot::read(&data).ok()?;
        let demo = s.camera("demo")?;
        let bad = s.camera("bad")?;
        let ok = demo.state == StateWord::Connected && demo.recording;
        (ok && bad.last_error.is_some()).then(|| bad.last_error.clone())?
    };
    assert!(
        common::wait_until(Duration::from_secs(20), || published().is_some()),
        "status.json: {:?}",
        StatusSnapshot::read(&data)
    );
    let bad_error = published().expect("bad's error");
    let file = std::fs::read_to_string(data.join(STATUS_FILE)).expect("status.json");
    assert!(!file.contains("secret"), "{file}");
    assert!(bad_error.contains("user:***@127.0.0.1:1"), "{bad_error}");

    // Paused (it keeps its lock): from here only the viewer could change a file.
    signal(pid, "-STOP");
    let mut before = snapshot(&data);
    assert!(
        common::wait_until(Duration::from_secs(10), || {
            std::thread::sleep(Duration::from_millis(300));
            let now = snapshot(&data);
            std::mem::replace(&mut before, now) == before
        }),
        "the paused recorder's files settle"
    );

    let backend = ViewerBackend::open(&data, holder).expect("viewer");
    let state = backend.state();
    let banner = state.banner();
    assert!(
        banner.contains(&format!("another Vigil (pid {pid}, user ")),
        "{banner}"
    );
    let app = VigilApp::new(Box::new(backend)).with_viewer(Some(state));
    let mut h = Harness::builder()
        .with_size([1280.0, 800.0])
        .with_step_dt(1.0 / 60.0)
        .with_max_steps(20)
        .build_ui_state(|ui, app: &mut VigilApp| app.show(ui), app);
    h.run_steps(2);
    h.get_by_label_contains(&format!("(pid {pid}, user "));
    assert!(!banner.contains("unknown"), "{banner}");
    let mut names = h.state().camera_names().to_vec();
    names.sort();
    assert_eq!(names, ["bad", "demo"]);
    // The recorder's states, in a recorder's own tiles' words.
    h.get_by_label_contains("2 cameras: 1 live, 1 offline");
    h.get_by_label_contains(&format!("{bad_error} — "));
    assert_eq!(h.query_all_by_label_contains("secret").count(), 0);
    h.get_by_label("tile demo").hover();
    h.run_steps(90); // tooltips wait for the pointer to rest
                     // (A label's text is its accesskit value.)
    let details = h.get_by_label_contains(" fps · ").accesskit_node().value();
    let details = details.unwrap_or_default();
    assert!(details.ends_with("\nrecording"), "{details}");
    // The tile has the last picture of the newest recording, and says how old it is.
    until(
        &mut h,
        20,
        "the newest recording's picture in the tile",
        |app| app.recent().picture("demo").is_some(),
    );
    h.run_steps(1);
    h.get_by_label_contains("s ago (the end of its newest recording)");
    let newest = h.state().recent().recorded_at("demo").expect("its time");
    let last = vigil_core::library::Library::open(&data)
        .expect("read-only library")
        .segments(&Default::default())
        .expect("segments")
        .iter()
        .map(|s| s.end_us)
        .max();
    assert_eq!(Some(newest), last, "the newest recording's");
    let add = h.get_by_label("+ Add camera");
    assert!(
        add.accesskit_node().is_disabled(),
        "cameras cannot be added here"
    );

    // Its recordings are on the timeline.
    until(&mut h, 20, "recordings on the timeline", |app| {
        app.recorded()
            .timeline()
            .and_then(|t| t.data())
            .is_some_and(|d| d.timeline.cameras.iter().any(|c| !c.continuous.is_empty()))
    });
    let (row, first) = {
        let data = h.state().recorded().timeline().and_then(|t| t.data());
        let data = data.expect("timeline data");
        let row = data
            .timeline
            .cameras
            .iter()
            .position(|c| !c.continuous.is_empty())
            .expect("a recorded row");
        (row, data.timeline.cameras[row].continuous[0])
    };
    // Clicking into the first recording plays it in the tile.
    let target = first.start_us + (first.end_us - first.start_us) / 2;
    let at = {
        let layout = h.state().recorded().timeline().and_then(|t| t.layout());
        let layout = layout.expect("timeline drawn");
        Pos2::new(layout.axis.x(target), layout.rows[row].center().y)
    };
    click(&mut h, at);
    until(&mut h, 20, "the recorded picture in the tile", |app| {
        app.recorded().picture("demo").is_some()
    });
    // Its refresh thread has read the library and the lock again meanwhile.
    std::thread::sleep(Duration::from_secs(4));
    h.run_steps(2);

    let after = snapshot(&data);
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>(),
        "the viewer made or removed no file"
    );
    for (path, bytes) in &before {
        assert!(after[path] == *bytes, "{} changed", path.display());
    }

    // A damaged status file (not the viewer's doing: the test's): the cameras show as
    // stopped and the banner says their states are unknown, and why.
    std::fs::write(data.join(STATUS_FILE), b"{").expect("damage status.json");
    let says = |what: &'static str| {
        move |app: &VigilApp| app.viewer_banner().is_some_and(|b| b.contains(what))
    };
    let unknown = "camera states are unknown (its status file is damaged)";
    until(
        &mut h,
        10,
        "the states unknown in the banner",
        says(unknown),
    );
    h.run_steps(1);
    h.get_by_label_contains("2 cameras: 2 stopped");
    // The recorder goes on and writes it again: its states are back.
    signal(pid, "-CONT");
    until(&mut h, 20, "the recorder's states back", |app| {
        !says("unknown")(app)
    });
    h.run_steps(1);
    h.get_by_label_contains("2 cameras: 1 live, 1 offline");

    // The recorder stops: the lock is free and recording here works again.
    let out = common::terminate(recorder);
    let said = String::from_utf8_lossy(&out.stderr);
    // Exit code 3: a camera (bad) recorded nothing; it stopped cleanly all the same.
    assert_eq!(out.status.code(), Some(3), "{said}");
    assert!(said.contains("all open segments finished"), "{said}");
    assert!(!said.contains("secret"), "{said}");
    assert_eq!(lock::holder(&data), None);
    assert!(!data.join(STATUS_FILE).exists(), "removed on a clean stop");
    // (A new app records itself in a new process: this one views the directory for good.)
    vigil.ok(&["camera", "disable", "--name", "bad"]);
    let before = finished();
    let again = vigil.run(&["run", "--for", "5s"]);
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert!(finished() > before, "a new recorder recorded here again");
}
