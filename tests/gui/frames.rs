//! Running the app's frames until its background work has answered: configuration edits and
//! reads are jobs, so a test runs frames until they are done (with a deadline), never a
//! fixed number of frames and hope.

use std::time::{Duration, Instant};

use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use vigil_app::VigilApp;

/// Runs `steps` frames, then more until the app's configuration jobs have answered (20 s
/// at most), then one more so what they answered is drawn.
pub fn settle(h: &mut Harness<'_, VigilApp>, steps: usize) {
    h.run_steps(steps);
    let deadline = Instant::now() + Duration::from_secs(20);
    while h.state().is_configuring() {
        assert!(
            Instant::now() < deadline,
            "configuration jobs done within 20 s"
        );
        std::thread::sleep(Duration::from_millis(5));
        h.run_steps(1);
    }
    h.run_steps(1);
}

/// Runs frames until `label`'s widget stands still (two frames at the same place), for at
/// most 12 frames: a click aims where the last frame drew the widget, so it must not be on
/// the move (a dialog that just read its data can still be laying itself out).
pub fn steady(h: &mut Harness<'_, VigilApp>, label: &str) {
    for _ in 0..12 {
        let before = h.get_by_label(label).rect();
        h.run_steps(1);
        if h.get_by_label(label).rect() == before {
            return;
        }
    }
    panic!("'{label}' kept moving for 12 frames");
}
