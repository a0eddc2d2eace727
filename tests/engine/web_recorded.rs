//! The one-camera page's server side through the real `vigil run --web`, recording the demo
//! camera in 2-s segments: the timeline API against `vigil recordings --json` and its
//! refusals; the play endpoint's fragmented MP4 probed with ffprobe and its first frame read
//! back (the demo camera burns a frame counter into every picture). The page itself is in
//! `web_recorded_page.rs`, on the same [`WebRun`].

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use vigil_core::source::demo::DemoScene;

use crate::common::wait_until;
use crate::common::web::{header, json_body as json, WebRun};

pub(crate) const PASSWORD: &str = "correct horse 42";

/// A `vigil run --web 127.0.0.1:0` recording the demo camera `cam` in 2-s segments.
pub(crate) fn start() -> WebRun {
    start_with(&[])
}

/// With more arguments for `vigil run`.
fn start_with(more: &[&str]) -> WebRun {
    let mut args = vec!["--for", "180s", "--web", "127.0.0.1:0"];
    args.extend_from_slice(more);
    WebRun::start(&args)
}

/// Saves an answer's body to `to`; returns its status line and headers.
fn download(run: &WebRun, path: &str, cookie: &str, to: &Path) -> String {
    let head = to.with_extension("head");
    let out = Command::new("curl")
        .args(["-sS", "--max-time", "60", "--cacert"])
        .arg(run.cert())
        .args(["-H", cookie, "-D"])
        .arg(&head)
        .arg("-o")
        .arg(to)
        .arg(format!("{}{path}", run.url))
        .output()
        .expect("curl is installed");
    assert!(
        out.status.success(),
        "curl {path}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read_to_string(&head).expect("headers")
}

/// Makes the viewer account `ana` and signs her in; the `Cookie:` header to send.
fn sign_in(run: &WebRun) -> String {
    run.add_user("ana", "viewer", PASSWORD);
    run.sign_in("ana", PASSWORD).cookie_header
}

/// Waits until at least `n` segments are indexed; returns them, oldest first.
pub(crate) fn segments(run: &WebRun, n: usize) -> Vec<serde_json::Value> {
    let mut rows = Vec::new();
    assert!(
        wait_until(Duration::from_secs(60), || {
            rows = run.vigil.recordings();
            rows.len() >= n
        }),
        "the demo camera recorded {n} segments"
    );
    rows.sort_by_key(|r| r["start_us"].as_i64());
    rows
}

#[test]
fn the_timeline_lists_what_was_recorded_and_refuses_bad_requests() {
    let run = start_with(&["--api", "127.0.0.1:0"]);
    let cookie = sign_in(&run);
    segments(&run, 1);
    let out = run.vigil.run(&[
        "trigger", "--camera", "cam", "--label", "door", "--hold", "1s",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut rows = segments(&run, 3);
    assert!(
        wait_until(Duration::from_secs(30), || {
            rows = segments(&run, 3);
            let events: serde_json::Value =
                serde_json::from_str(&run.vigil.ok(&["events", "--json"])).expect("events json");
            events[0]["end_us"].is_i64() && rows.len() >= 4
        }),
        "the trigger's event ended"
    );
    let events: serde_json::Value =
        serde_json::from_str(&run.vigil.ok(&["events", "--json"])).expect("events json");
    let event = &events[0];
    let first = rows[0]["start_us"].as_i64().expect("start");
    let last = rows
        .iter()
        .filter_map(|r| r["end_us"].as_i64())
        .max()
        .expect("end");
    // Consecutive segments abut: one span from the first start to the last end.
    for pair in rows.windows(2) {
        assert_eq!(pair[0]["end_us"], pair[1]["start_us"], "segments abut");
    }
    let with = ["-H", cookie.as_str()];
    let path = format!(
        "/api/cameras/cam/timeline?from={}&to={last}",
        first - 10_000_000
    );
    let (status, text) = run.curl(&path, &with);
    assert_eq!(status, 200, "{text}");
    let t = json(&text);
    assert_eq!(
        t["recordings"],
        serde_json::json!([{"start_us": first, "end_us": last, "kind": "continuous"}]),
        "{text}"
    );
    assert_eq!(t["gaps"], serde_json::json!([]));
    let marker = &t["events"][0];
    assert_eq!(marker["id"], event["id"], "{text}");
    assert_eq!(marker["start_us"], event["start_us"], "{text}");
    assert_eq!(marker["end_us"], event["end_us"], "{text}");
    assert_eq!(marker["source"], "external", "{text}");
    assert_eq!(marker["label"], "door", "{text}");

    let nothing = "/api/cameras/cam/timeline?from=1000000000000000&to=1000086400000000";
    let (status, text) = run.curl(nothing, &with);
    assert_eq!(status, 200, "{text}");
    let t = json(&text);
    for list in ["recordings", "gaps", "events", "recording_now"] {
        assert_eq!(t[list], serde_json::json!([]), "{list}: {text}");
    }
    for (bad, says) in [
        ("from=yesterday&to=5", "'from'"),
        ("from=10&to=5", "before 'to'"),
        ("to=5", "needs 'from'"),
        ("from=1.5&to=7", "'from'"),
    ] {
        let (status, text) = run.curl(&format!("/api/cameras/cam/timeline?{bad}"), &with);
        assert_eq!(status, 400, "{bad}: {text}");
        assert!(
            json(&text)["error"]
                .as_str()
                .expect("a sentence")
                .contains(says),
            "{text}"
        );
    }
    let (status, text) = run.curl("/api/cameras/nope/timeline?from=1&to=5", &with);
    assert_eq!(status, 404, "{text}");
    assert!(text.contains("no camera named 'nope'"), "{text}");
    let (status, text) = run.curl(&path, &[]);
    assert_eq!(status, 401, "without a session: {text}");
    let (status, text) = run.curl("/api/cameras/cam/play?at=1", &[]);
    assert_eq!(status, 401, "without a session: {text}");
    run.finish();
}

/// One picture of a recording: its wall-clock time, whether it is a keyframe, its counter.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Frame {
    pub(crate) wall_us: i64,
    key: bool,
    pub(crate) counter: u64,
}

/// (width, height, pts_time and key flag of every frame) by ffprobe.
fn probe_frames(path: &Path) -> (u32, u32, Vec<(f64, bool)>) {
    let out = Command::new("ffprobe")
        .args(["-v", "error", "-select_streams", "v:0", "-show_entries"])
        .args([
            "stream=codec_name,width,height:frame=pts_time,key_frame",
            "-of",
            "json",
        ])
        .arg(path)
        .output()
        .expect("ffprobe is installed");
    assert!(out.status.success(), "ffprobe {}", path.display());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let s = &v["streams"][0];
    assert_eq!(s["codec_name"], "h264", "{}", path.display());
    let frames = v["frames"]
        .as_array()
        .expect("frames")
        .iter()
        .map(|f| {
            let t: f64 = f["pts_time"]
                .as_str()
                .and_then(|t| t.parse().ok())
                .expect("pts");
            (t, f["key_frame"] == 1)
        })
        .collect();
    let dim = |k: &str| s[k].as_u64().expect("size") as u32;
    (dim("width"), dim("height"), frames)
}

/// The counters of the first `n` pictures of a file (decoded by ffmpeg to gray).
fn counters(path: &Path, width: u32, height: u32, n: usize) -> Vec<Option<u64>> {
    let out = Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(path)
        .args([
            "-frames:v",
            &n.to_string(),
            "-f",
            "rawvideo",
            "-pix_fmt",
            "gray",
            "-",
        ])
        .output()
        .expect("ffmpeg is installed");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let scene = DemoScene::new(width, height);
    out.stdout
        .chunks_exact((width * height) as usize)
        .map(|y| scene.read_counter(y, width as usize))
        .collect()
}

/// Every picture of a recorded segment with its wall time (the segment starts at its first).
pub(crate) fn recorded_frames(row: &serde_json::Value) -> (u32, u32, Vec<Frame>) {
    let path = PathBuf::from(row["path"].as_str().expect("path"));
    let start = row["start_us"].as_i64().expect("start");
    let (w, h, frames) = probe_frames(&path);
    let counts = counters(&path, w, h, frames.len());
    let t0 = frames[0].0;
    let out = frames
        .iter()
        .zip(counts)
        .map(|(&(t, key), c)| Frame {
            wall_us: start + ((t - t0) * 1e6).round() as i64,
            key,
            counter: c.expect("a counter in every recorded picture"),
        })
        .collect();
    (w, h, out)
}

/// A recorded instant inside a segment's second half, 10 ms after a picture that is not a
/// keyframe: (the instant, that picture, the keyframe at or before it).
pub(crate) fn pick_instant(frames: &[Frame]) -> (i64, Frame, Frame) {
    let i = frames.len() * 2 / 3;
    let shown = (i..frames.len())
        .map(|j| frames[j])
        .find(|f| !f.key)
        .expect("a P frame");
    let key = *frames
        .iter()
        .rev()
        .find(|f| f.key && f.wall_us <= shown.wall_us)
        .expect("key");
    (shown.wall_us + 10_000, shown, key)
}

#[test]
fn play_streams_h264_from_the_keyframe_at_or_before_the_instant_across_segments() {
    let run = start();
    let cookie = sign_in(&run);
    let rows = segments(&run, 4);
    let (w, h, frames) = recorded_frames(&rows[1]);
    let (at, _, key) = pick_instant(&frames);
    let out = run.dir.path().join("played.mp4");
    let head = download(
        &run,
        &format!("/api/cameras/cam/play?at={at}"),
        &cookie,
        &out,
    );
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert_eq!(
        header(&head, "content-type").as_deref(),
        Some("video/mp4"),
        "{head}"
    );
    let start: i64 = header(&head, "x-vigil-start-us")
        .and_then(|v| v.parse().ok())
        .expect("start");
    assert!(
        (start - key.wall_us).abs() <= 1_000,
        "media time 0 is the keyframe's time: {head}"
    );
    assert!(
        header(&head, "x-vigil-codecs").is_some_and(|c| c.starts_with("avc")),
        "{head}"
    );

    let (pw, ph, played) = probe_frames(&out);
    assert_eq!((pw, ph), (w, h));
    assert!(played[0].1, "the stream starts with a keyframe");
    for pair in played.windows(2) {
        assert!(pair[1].0 > pair[0].0, "timestamps increase: {pair:?}");
    }
    let left_in_first = frames.iter().filter(|f| f.wall_us >= key.wall_us).count();
    assert!(
        played.len() > left_in_first + 5,
        "the stream runs on across the segment boundary ({} frames, {left_in_first} in the first file)",
        played.len()
    );
    let shown = counters(&out, w, h, played.len());
    assert_eq!(
        shown[0],
        Some(key.counter),
        "the first frame is the keyframe at or before {at}"
    );
    // Across the boundary the pictures follow one another: counters step by one.
    let got: Vec<u64> = shown.iter().map(|c| c.expect("a counter")).collect();
    for pair in got.windows(2) {
        assert_eq!(pair[1], pair[0] + 1, "no picture lost or repeated: {got:?}");
    }

    let with = ["-H", cookie.as_str()];
    let (status, text) = run.curl("/api/cameras/cam/play?at=1000000000000000", &with);
    assert_eq!(status, 404, "nothing recorded then: {text}");
    assert!(text.contains("nothing was recorded"), "{text}");
    let (status, text) = run.curl("/api/cameras/nope/play?at=1", &with);
    assert_eq!(status, 404, "{text}");
    let (status, text) = run.curl("/api/cameras/cam/play?at=noon", &with);
    assert_eq!(status, 400, "{text}");
    run.finish();
}
