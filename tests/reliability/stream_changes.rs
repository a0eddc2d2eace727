//! Issue 9: streams that change under the recorder — a camera reconfigured mid-stream (new
//! picture size in-band), one that comes back with another codec, timestamps that jump back
//! an hour and forward by hours, a 20-s stretch without a keyframe, and an RTSP session that
//! goes silent without closing. Real parts: ffmpeg-made MPEG-TS served live over HTTP by
//! `tests/support/ts_server.py`, the RTSP simulator behind `tests/support/stall_proxy.py`,
//! the real `vigil` binary, ffprobe and ffmpeg to check every file.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

use crate::common::{self, assert_files_match_rows, ffprobe, Vigil};

/// A helper script from tests/support, killed on drop.
struct Script {
    child: Child,
    port: u16,
}

impl Script {
    fn start(name: &str, args: &[String]) -> Self {
        let script = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/support")
            .join(name);
        let mut child = Command::new("/usr/bin/python3")
            .arg(script)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start a test support script");
        let stdout = child.stdout.take().expect("script stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(port) = line.strip_prefix("READY ") {
                    let _ = tx.send(port.trim().parse::<u16>().unwrap_or(0));
                }
            }
        });
        let port = rx
            .recv_timeout(Duration::from_secs(20))
            .expect("script printed READY");
        Self { child, port }
    }
}

impl Drop for Script {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Encodes `seconds` of test video into an MPEG-TS piece; returns "path:seconds".
fn piece(dir: &Path, name: &str, codec: &str, size: &str, seconds: u32, extra: &[&str]) -> String {
    let path = dir.join(name);
    let out = Command::new("ffmpeg")
        .args(["-v", "error", "-y", "-f", "lavfi", "-i"])
        .arg(format!("testsrc2=size={size}:rate=25"))
        .args([
            "-t",
            &seconds.to_string(),
            "-c:v",
            codec,
            "-preset",
            "ultrafast",
        ])
        .args(["-pix_fmt", "yuv420p"])
        .args(extra)
        .args(["-f", "mpegts"])
        .arg(&path)
        .output()
        .expect("run ffmpeg");
    assert!(
        out.status.success(),
        "ffmpeg: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    format!("{}:{seconds}", path.display())
}

/// Adds camera `cam` (2-s continuous segments) and runs vigil for `secs`; returns stdout.
fn record(vigil: &Vigil, url: &str, secs: u32) -> String {
    vigil.ok(&[
        "camera",
        "add",
        "--name",
        "cam",
        "--url",
        url,
        "--segment-seconds",
        "2",
    ]);
    let out = vigil.run(&["run", "--for", &format!("{secs}s"), "--status-every", "1s"]);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{}\n{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// One recorded file as checked: its row and what ffprobe says.
struct Checked {
    start_us: i64,
    end_us: i64,
    codec: String,
    width: u64,
    height: u64,
    duration_s: f64,
}

/// Every row's file decodes without an error, its DTS only go forward, and it holds what the
/// row says (codec, size, frames); files and rows name the same set. Rows in start order.
fn check_all(vigil: &Vigil) -> Vec<Checked> {
    assert_files_match_rows(vigil);
    let mut rows = vigil.recordings();
    rows.sort_by_key(|r| r["start_us"].as_i64());
    let mut checked = Vec::new();
    for r in &rows {
        let path = r["path"].as_str().expect("path");
        let p = ffprobe(path);
        let decode = Command::new("ffmpeg")
            .args(["-v", "error", "-i", path, "-f", "null", "-"])
            .output()
            .expect("ffmpeg");
        assert!(
            decode.status.success() && decode.stderr.is_empty(),
            "{path} does not decode cleanly: {}",
            String::from_utf8_lossy(&decode.stderr)
        );
        assert!(
            p.dts.windows(2).all(|w| w[1] > w[0]),
            "{path}: DTS not strictly increasing: {:?}",
            p.dts
        );
        assert_eq!(p.codec, r["codec"].as_str().unwrap_or(""), "{path}");
        assert_eq!(
            (p.width, p.height),
            (
                r["width"].as_u64().unwrap_or(0),
                r["height"].as_u64().unwrap_or(0)
            ),
            "{path}: the row's size"
        );
        assert_eq!(Some(p.frames), r["frames"].as_u64(), "{path}: frames");
        checked.push(Checked {
            start_us: r["start_us"].as_i64().unwrap_or(0),
            end_us: r["end_us"].as_i64().unwrap_or(0),
            codec: p.codec,
            width: p.width,
            height: p.height,
            duration_s: p.duration_s,
        });
    }
    for c in &checked {
        eprintln!(
            "segment {} {}x{} {:.2} s (row {:.2} s)",
            c.codec,
            c.width,
            c.height,
            c.duration_s,
            (c.end_us - c.start_us) as f64 / 1e6
        );
    }
    checked
}

/// The sizes of consecutive segments, runs collapsed: e.g. [(640,360), (320,180)].
fn runs(segs: &[Checked]) -> Vec<(String, u64, u64)> {
    let mut out: Vec<(String, u64, u64)> = Vec::new();
    for s in segs {
        let key = (s.codec.clone(), s.width, s.height);
        if out.last() != Some(&key) {
            out.push(key);
        }
    }
    out
}

#[test]
fn a_resolution_change_mid_stream_starts_a_new_segment() {
    let dir = tempfile::tempdir().expect("dir");
    let a = piece(dir.path(), "a.ts", "libx264", "640x360", 6, &["-g", "25"]);
    let b = piece(
        dir.path(),
        "b.ts",
        "libx264",
        "320x180",
        6,
        &["-g", "25", "-output_ts_offset", "6"],
    );
    let server = Script::start("ts_server.py", &["--mode".into(), "concat".into(), a, b]);
    let vigil = Vigil::new(&dir.path().join("data"));
    let url = format!("http://127.0.0.1:{}/live.ts", server.port);
    let stdout = record(&vigil, &url, 14);
    let segs = check_all(&vigil);
    let r = runs(&segs);
    assert!(r.len() >= 2, "{r:?}");
    assert_eq!(r[0], ("h264".into(), 640, 360), "{r:?}");
    assert_eq!(r[1], ("h264".into(), 320, 180), "{r:?}");
    // The camera kept recording after the change: more than one segment at the new size.
    let after = segs
        .iter()
        .skip_while(|s| s.width == 640)
        .take_while(|s| s.width == 320);
    assert!(after.count() >= 2, "{r:?}");
    assert!(
        stdout.contains("changed its picture from 640x360 to 320x180"),
        "{stdout}"
    );
}

#[test]
fn a_camera_that_comes_back_with_another_codec_gets_new_segments() {
    let dir = tempfile::tempdir().expect("dir");
    let a = piece(dir.path(), "a.ts", "libx264", "640x360", 5, &["-g", "25"]);
    let b = piece(
        dir.path(),
        "b.ts",
        "libx265",
        "320x180",
        5,
        &["-g", "25", "-x265-params", "log-level=error"],
    );
    let server = Script::start(
        "ts_server.py",
        &["--mode".into(), "per-connection".into(), a, b],
    );
    let vigil = Vigil::new(&dir.path().join("data"));
    let url = format!("http://127.0.0.1:{}/live.ts", server.port);
    let stdout = record(&vigil, &url, 16);
    let segs = check_all(&vigil);
    let r = runs(&segs);
    assert!(r.len() >= 2, "{r:?}");
    assert_eq!(r[0], ("h264".into(), 640, 360), "{r:?}");
    assert_eq!(r[1], ("hevc".into(), 320, 180), "{r:?}");
    assert!(
        segs.iter().filter(|s| s.codec == "hevc").count() >= 2,
        "{r:?}"
    );
    assert!(
        stdout.contains("came back with hevc 320x180 (was h264 640x360)"),
        "{stdout}"
    );
}

#[test]
fn timestamps_jumping_back_an_hour_and_forward_hours_keep_files_and_clock_sane() {
    let dir = tempfile::tempdir().expect("dir");
    let g = ["-g", "25", "-output_ts_offset"];
    let piece_at = |name: &str, offset: &str| {
        let extra = [g[0], g[1], g[2], offset];
        piece(dir.path(), name, "libx264", "480x270", 5, &extra)
    };
    // Camera time 1 h, then 0 (an hour back), then 3 h (hours forward).
    let parts = vec![
        "--mode".to_string(),
        "concat".into(),
        piece_at("a.ts", "3600"),
        piece_at("b.ts", "0"),
        piece_at("c.ts", "10800"),
    ];
    let server = Script::start("ts_server.py", &parts);
    let vigil = Vigil::new(&dir.path().join("data"));
    let url = format!("http://127.0.0.1:{}/live.ts", server.port);
    let before = vigil_core::model::time::now_us();
    let stdout = record(&vigil, &url, 17);
    let after = vigil_core::model::time::now_us();
    let segs = check_all(&vigil);
    assert!(segs.len() >= 5, "{} segments", segs.len());
    for (i, s) in segs.iter().enumerate() {
        // Wall time stays real time: no segment an hour away, none spanning a jump.
        assert!(
            s.start_us >= before - 2_000_000 && s.end_us <= after + 2_000_000,
            "segment {i} at {}..{} outside the run {before}..{after}",
            s.start_us,
            s.end_us
        );
        assert!(s.duration_s < 8.0, "segment {i} is {} s long", s.duration_s);
        if i > 0 {
            assert!(
                s.start_us >= segs[i - 1].end_us - 1_000,
                "segment {i} overlaps"
            );
        }
    }
    // Recording went on after the second jump: the last 5 s of camera time are there.
    let last_end = segs.last().map_or(0, |s| s.end_us);
    assert!(last_end - segs[0].start_us >= 12_000_000, "{stdout}");
    // Both jumps were said. (FFmpeg's MPEG-TS reader unwraps the hour back as a jump ahead
    // of almost 2^33 ticks, so the directions are its, not the camera's.)
    let mut jumps: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.split("[stream: ").nth(1))
        .filter(|n| n.contains("timestamps jumped"))
        .collect();
    jumps.dedup();
    assert!(jumps.len() >= 2, "{stdout}");
}

#[test]
fn twenty_seconds_without_a_keyframe_keep_one_playable_segment_open() {
    let dir = tempfile::tempdir().expect("dir");
    // Keyframes at 0 s and 20 s, then every second.
    let keys = "expr:eq(n,0)+gte(n,500)*not(mod(n,25))";
    let a = piece(
        dir.path(),
        "a.ts",
        "libx264",
        "480x270",
        26,
        &[
            "-g",
            "100000",
            "-sc_threshold",
            "0",
            "-force_key_frames",
            keys,
        ],
    );
    let server = Script::start("ts_server.py", &["--mode".into(), "concat".into(), a]);
    let vigil = Vigil::new(&dir.path().join("data"));
    let url = format!("http://127.0.0.1:{}/live.ts", server.port);
    let stdout = record(&vigil, &url, 28);
    let segs = check_all(&vigil);
    assert!(segs.len() >= 3, "{} segments", segs.len());
    // The first segment holds the whole 20-s GOP (it could not be cut earlier) and plays.
    assert!(
        (19.0..=21.5).contains(&segs[0].duration_s),
        "first segment {} s",
        segs[0].duration_s
    );
    // Recording went on at the keyframes after it.
    assert!(segs[1].duration_s <= 3.5, "{} s", segs[1].duration_s);
    assert!(stdout.contains("no keyframe for 10 s"), "{stdout}");
}

#[test]
fn an_rtsp_session_that_goes_silent_is_dropped_finished_and_reconnected() {
    let camera = common::RtspServer::start(&[]);
    let dir = tempfile::tempdir().expect("dir");
    let stall_file = dir.path().join("stall");
    let proxy = Script::start(
        "stall_proxy.py",
        &[
            "--target".into(),
            format!("127.0.0.1:{}", camera.port),
            "--stall-file".into(),
            stall_file.display().to_string(),
        ],
    );
    let vigil = Vigil::new(&dir.path().join("data"));
    let url = format!("rtsp://127.0.0.1:{}/h264", proxy.port);
    vigil.ok(&[
        "camera",
        "add",
        "--name",
        "cam",
        "--url",
        &url,
        "--segment-seconds",
        "2",
    ]);
    let child = vigil.spawn(&["run", "--status-every", "1s"]);
    let (child, lines) = collect_stdout(child);
    let rows = || vigil.recordings().len();
    assert!(
        common::wait_until(Duration::from_secs(30), || rows() >= 2),
        "no segment before the stall"
    );
    std::fs::write(&stall_file, b"").expect("stall");
    let stalled_at = vigil_core::model::time::now_us();
    let said = || lines.lock().map(|l| l.join("\n")).unwrap_or_default();
    let silent = common::wait_until(Duration::from_secs(30), || {
        said().contains("stopped sending video (nothing for 10 s)")
    });
    let detected_after = (vigil_core::model::time::now_us() - stalled_at) as f64 / 1e6;
    assert!(silent, "{}", said());
    eprintln!("silence reported after {detected_after:.1} s");
    let resumed = common::wait_until(Duration::from_secs(40), || {
        vigil
            .recordings()
            .iter()
            .any(|r| r["start_us"].as_i64().unwrap_or(0) > stalled_at + 5_000_000)
    });
    let out = common::terminate(child);
    assert!(resumed, "no segment after reconnecting\n{}", said());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let segs = check_all(&vigil);
    // The segment open when the session went silent was finished and indexed.
    assert!(
        segs.iter()
            .any(|s| s.start_us <= stalled_at && s.end_us > stalled_at - 3_000_000),
        "the stalled segment is missing"
    );
}

/// Collects a running vigil's stdout lines (shared) while it runs.
fn collect_stdout(mut child: Child) -> (Child, Arc<Mutex<Vec<String>>>) {
    let lines = Arc::new(Mutex::new(Vec::new()));
    let stdout = child.stdout.take().expect("stdout");
    let sink = Arc::clone(&lines);
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Ok(mut l) = sink.lock() {
                l.push(line);
            }
        }
    });
    (child, lines)
}
