//! Start-up latency: from spawning `vigil run` to the wall-clock time of the first recorded
//! frame, against the wait for the camera's next keyframe, with Vigil's own phase log
//! (`RUST_LOG=vigil=debug`) printed as a breakdown.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::{now_us, starts};
use crate::common::{wait_until, RtspServer, Vigil};

/// A client that keeps the simulator's shared mount encoding, so Vigil joins mid-GOP as it
/// would join a real camera that has been running for hours.
struct Viewer(Child);

impl Viewer {
    fn start(url: &str) -> Self {
        let mut child = Command::new("ffmpeg")
            .args(["-v", "error", "-rtsp_transport", "tcp", "-i", url])
            .args(["-c", "copy", "-f", "null", "-", "-progress", "pipe:1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("run ffmpeg");
        let stdout = child.stdout.take().expect("ffmpeg stdout");
        let frames = Arc::new(Mutex::new(0u64));
        let seen = Arc::clone(&frames);
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(n) = line.strip_prefix("frame=").and_then(|n| n.parse().ok()) {
                    *seen.lock().unwrap_or_else(|p| p.into_inner()) = n;
                }
            }
        });
        let running = wait_until(Duration::from_secs(20), || {
            *frames.lock().unwrap_or_else(|p| p.into_inner()) > 0
        });
        assert!(running, "the background viewer receives frames");
        Self(child)
    }
}

impl Drop for Viewer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Seconds a `vigil --help` takes (process start alone, no work), the least of 3.
fn bare_process_start_s(vigil: &Vigil) -> f64 {
    (0..3)
        .map(|_| {
            let t = std::time::Instant::now();
            let out = vigil.run(&["--help"]);
            assert!(out.status.success());
            t.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

/// The value of `key=` in a log line (tracing's `key=value` fields).
fn field(line: &str, key: &str) -> Option<f64> {
    let at = line.find(&format!(" {key}="))? + key.len() + 2;
    line[at..].split_whitespace().next()?.parse().ok()
}

#[test]
fn the_first_frame_is_recorded_within_half_a_second_of_the_first_keyframe() {
    // 1280x720, 25 fps, a keyframe every 2 s: the stream of the measurement.
    let server = RtspServer::start(&["--width", "1280", "--height", "720", "--gop", "50"]);
    let url = server.url("h264");
    let _viewer = Viewer::start(&url);
    let dir = tempfile::tempdir().expect("temp dir");
    let vigil = Vigil::new(dir.path());
    vigil.ok(&["camera", "add", "--name", "cam", "--url", &url]);

    let bare_s = bare_process_start_s(&vigil);
    let spawned_us = now_us();
    let mut child = vigil
        .cmd()
        .env("RUST_LOG", "vigil=debug")
        .args(["run", "--for", "6s"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn vigil");
    let stderr = child.stderr.take().expect("vigil stderr");
    let log: Vec<String> = BufReader::new(stderr)
        .lines()
        .map_while(Result::ok)
        .collect();
    let status = child.wait().expect("wait for vigil");
    assert!(status.success(), "{}", log.join("\n"));

    let first = starts(&vigil).first().copied().expect("a recording");
    let startup_s = (first - spawned_us) as f64 / 1e6;
    let line = |msg: &str| {
        log.iter()
            .find(|l| l.contains(msg))
            .cloned()
            .unwrap_or_default()
    };
    let (lib, engine, opened, key) = (
        line("library opened"),
        line("engine started"),
        line("source opened"),
        line("first keyframe"),
    );
    let ms = |l: &str, k: &str| field(l, k).unwrap_or(f64::NAN);
    let wait_s = ms(&key, "keyframe_wait_ms") / 1e3;
    eprintln!(
        "startup: first frame recorded {startup_s:.2} s after spawning vigil run \
         (a bare `vigil --help` took {bare_s:.2} s); \
         db open {:.0} ms, recovery {:.0} ms, engine start {:.0} ms, RTSP handshake {:.0} ms, \
         stream probe {:.0} ms, connect to first packet {:.0} ms, keyframe wait {:.0} ms",
        ms(&lib, "db_open_ms"),
        ms(&lib, "recovery_ms"),
        ms(&engine, "engine_start_ms"),
        ms(&opened, "handshake_ms"),
        ms(&opened, "probe_ms"),
        ms(&key, "first_packet_ms"),
        wait_s * 1e3,
    );
    assert!(
        wait_s.is_finite(),
        "the phases were logged:\n{}",
        log.join("\n")
    );
    // Joining mid-GOP waits at most one GOP (2 s) for the keyframe (+ slack).
    assert!(wait_s <= 2.5, "keyframe wait {wait_s:.2} s");
    // The goal is keyframe wait + 0.5 s. Allowed on top: what merely starting this (debug)
    // binary costs on this machine right now, measured just before (0.1 s idle, over 1 s on
    // a 2-core machine shared with builds), and 0.3 s for the RTSP round trips and threads
    // slowing down under the same load.
    let limit = wait_s + 0.5 + bare_s + 0.3;
    assert!(
        startup_s <= limit,
        "first frame {startup_s:.2} s after start; keyframe wait {wait_s:.2} s"
    );
}
