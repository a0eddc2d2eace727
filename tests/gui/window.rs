//! The whole desktop app in a real window: `vigil gui` under Xvfb (software rendering) with
//! the demo camera, an RTSP camera simulator and a camera that refuses connections. Waits
//! until the picture on screen moves (live video), saves a PNG screenshot, then stops the
//! app with SIGTERM and checks the recordings were finished and indexed. The app serves the
//! trigger API (`--api`): one trigger makes an event.
//!
//! `VIGIL_SCREENSHOT=docs/screenshots/live-grid.png` also copies the screenshot there
//! (`make screenshot`).

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{free_port, wait_until, RtspServer, Vigil};

/// The screen is larger than the window (1280×800 at the top left) so that the pointer, which
/// X puts in the middle of the screen, does not hover a tile and show its tooltip.
const SCREEN: (usize, usize) = (2600, 1700);
const WINDOW: (usize, usize) = (1280, 800);

/// An Xvfb server on a free display number, killed on drop.
pub(crate) struct Xvfb {
    pub(crate) display: String,
    child: Child,
}

impl Xvfb {
    pub(crate) fn start() -> Self {
        let n = (90..400)
            .find(|n| {
                !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
                    && !Path::new(&format!("/tmp/.X{n}-lock")).exists()
            })
            .expect("a free X display number");
        let child = Command::new("Xvfb")
            .arg(format!(":{n}"))
            .args(["-screen", "0", &format!("{}x{}x24", SCREEN.0, SCREEN.1)])
            .args(["-nolisten", "tcp"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start Xvfb (packaging/install-deps.sh installs xvfb)");
        let socket = PathBuf::from(format!("/tmp/.X11-unix/X{n}"));
        assert!(
            wait_until(Duration::from_secs(10), || socket.exists()),
            "Xvfb :{n} did not start"
        );
        Self {
            display: format!(":{n}"),
            child,
        }
    }

    /// The window's area as RGB bytes, or `None` if the grab failed.
    fn grab(&self) -> Option<Vec<u8>> {
        let out = Command::new("ffmpeg")
            .args(["-v", "error", "-f", "x11grab", "-video_size"])
            .arg(format!("{}x{}", WINDOW.0, WINDOW.1))
            .args(["-i", &self.display, "-frames:v", "1"])
            .args(["-f", "rawvideo", "-pix_fmt", "rgb24", "-"])
            .output()
            .ok()?;
        (out.status.success() && out.stdout.len() == WINDOW.0 * WINDOW.1 * 3).then_some(out.stdout)
    }

    fn save_png(&self, path: &Path) {
        let ok = Command::new("ffmpeg")
            .args(["-v", "error", "-y", "-f", "x11grab", "-video_size"])
            .arg(format!("{}x{}", WINDOW.0, WINDOW.1))
            .args(["-i", &self.display, "-frames:v", "1"])
            .arg(path)
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "cannot save a screenshot to {}", path.display());
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Pixels that differ between two grabs.
fn changed_pixels(a: &[u8], b: &[u8]) -> usize {
    a.chunks(3).zip(b.chunks(3)).filter(|(x, y)| x != y).count()
}

/// Distinct colours on screen (a blank screen has one).
fn colours(a: &[u8]) -> usize {
    let set: std::collections::HashSet<&[u8]> = a.chunks(3).step_by(7).collect();
    set.len()
}

#[test]
fn the_app_shows_live_tiles_in_a_real_window() {
    let x = Xvfb::start();
    let sim = RtspServer::start(&[]);
    let dir = tempfile::tempdir().expect("temp dir");
    let vigil = Vigil::new(dir.path());
    let refused = format!("rtsp://127.0.0.1:{}/stream", free_port());
    for (name, url) in [
        ("demo", "demo://"),
        ("driveway", sim.url("h264").as_str()),
        ("garage", refused.as_str()),
    ] {
        vigil.ok(&["camera", "add", "--name", name, "--url", url]);
    }
    let mut app = vigil.cmd();
    app.args(["gui", "--api", "127.0.0.1:0"])
        .env("DISPLAY", &x.display)
        .env_remove("WAYLAND_DISPLAY")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let child = app.spawn().expect("start vigil gui");

    // Live video: the screen shows a window and keeps changing.
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut prev: Option<Vec<u8>> = None;
    let mut moving = 0;
    while moving < 3 {
        assert!(
            Instant::now() < deadline,
            "no moving picture on screen within 60 s"
        );
        std::thread::sleep(Duration::from_millis(700));
        let Some(now) = x.grab() else { continue };
        let live =
            colours(&now) > 50 && prev.as_ref().is_some_and(|p| changed_pixels(p, &now) > 500);
        moving = if live { moving + 1 } else { 0 };
        prev = Some(now);
    }
    // The offline tile has had time to show its retry countdown.
    std::thread::sleep(Duration::from_secs(2));
    let png = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("vigil-live-grid.png");
    x.save_png(&png);
    if let Ok(dest) = std::env::var("VIGIL_SCREENSHOT") {
        let dest = Path::new(env!("CARGO_MANIFEST_DIR")).join(dest);
        std::fs::copy(&png, &dest).expect("copy the screenshot");
    }

    // The app serves the trigger API too: the same host as `vigil run` runs it.
    let addr_file = dir.path().join("api.addr");
    assert!(
        wait_until(Duration::from_secs(10), || addr_file.exists()),
        "the app's trigger API is up"
    );
    vigil.ok(&[
        "trigger", "--camera", "demo", "--label", "door", "--hold", "1s",
    ]);
    let triggered = || {
        let events: Vec<serde_json::Value> =
            serde_json::from_str(&vigil.ok(&["events", "--json"])).unwrap_or_default();
        events
            .iter()
            .any(|e| e["source"] == "external" && e["label"] == "door")
    };
    assert!(
        wait_until(Duration::from_secs(10), triggered),
        "the trigger made an event"
    );

    // SIGTERM closes the window and stops the engine cleanly.
    let _ = Command::new("kill").arg(child.id().to_string()).status();
    let out = child.wait_with_output().expect("wait for vigil gui");
    assert!(
        out.status.success(),
        "vigil gui failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!addr_file.exists(), "the API's address file was removed");
    let recorded: Vec<String> = vigil
        .recordings()
        .iter()
        .filter_map(|r| r["camera"].as_str().map(str::to_string))
        .collect();
    for cam in ["demo", "driveway"] {
        assert!(
            recorded.iter().any(|c| c == cam),
            "{cam} recorded: {recorded:?}"
        );
    }
}
