//! Motion search end to end: a continuous camera with no zones (so only the "every
//! recording camera keeps a motion index" path analyses it) records the RTSP simulator's
//! box, which crosses region A at known times and never enters region B; a second camera
//! sees the lights switch on and off. With a sub-stream (analysed at 5 fps),
//! `vigil search motion --json` finds A's crossing within half a second of the truth read
//! from the recorded pictures, nothing in B, and nothing for the lights (a camera without a
//! sub-stream: key frames only); a range before the recording says it has no index. Without
//! a sub-stream the index has one picture per key frame: the crossing is found within one
//! GOP and half a second, its start at or before the truth, and the text says so.

use crate::common;

use std::process::Command;

use common::{RtspServer, Vigil};

const REGION_A: &str = "0.4,0.4,0.2,0.2";
const POLYGON_A: &str = "0.4,0.4 0.6,0.4 0.6,0.6 0.4,0.6";
const REGION_B: &str = "0,0,1,0.25";

fn i(v: &serde_json::Value) -> i64 {
    v.as_i64().unwrap_or(i64::MIN)
}

/// Per-frame mean brightness of the `crop` part of a video file (an ffmpeg crop filter):
/// (seconds from the file's start, mean Y).
fn brightness_in(path: &str, crop: &str) -> Vec<(f64, f64)> {
    let out = Command::new("ffmpeg")
        .args(["-v", "error", "-i", path, "-vf"])
        .arg(format!(
            "{crop},signalstats,metadata=print:key=lavfi.signalstats.YAVG:file=-"
        ))
        .args(["-f", "null", "-"])
        .output()
        .expect("ffmpeg");
    assert!(
        out.status.success(),
        "ffmpeg: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let mut frames = Vec::new();
    let mut t = None;
    for line in text.lines() {
        if let Some(pos) = line.find("pts_time:") {
            t = line[pos + 9..]
                .split_whitespace()
                .next()
                .and_then(|v| v.parse::<f64>().ok());
        } else if let (Some(v), Some(time)) = (line.strip_prefix("lavfi.signalstats.YAVG="), t) {
            if let Ok(y) = v.trim().parse::<f64>() {
                frames.push((time, y));
            }
        }
    }
    frames
}

/// When the box is inside region A, from the camera's recorded pictures: the first and last
/// frames (UTC µs) where region A is brighter than the grey background.
fn truth_in_a(vigil: &Vigil, camera: &str) -> (i64, i64, i64, i64) {
    let rows = vigil.recordings();
    let mut segs: Vec<_> = rows.iter().filter(|r| r["camera"] == camera).collect();
    segs.sort_by_key(|r| i(&r["start_us"]));
    assert!(!segs.is_empty(), "{camera} recorded: {rows:?}");
    let (first_us, last_us) = (i(&segs[0]["start_us"]), i(&segs[segs.len() - 1]["end_us"]));
    let mut with_box = Vec::new();
    for s in &segs {
        let path = s["path"].as_str().unwrap_or("");
        let frames = brightness_in(path, "crop=iw*0.2:ih*0.2:iw*0.4:ih*0.4");
        let base = frames.first().map(|f| f.1).expect("decoded frames");
        with_box.extend(
            frames
                .iter()
                .filter(|f| f.1 > base + 0.5)
                .map(|f| i(&s["start_us"]) + (f.0 * 1e6) as i64),
        );
    }
    let (Some(&a), Some(&b)) = (with_box.first(), with_box.last()) else {
        panic!("the recording shows the box in region A")
    };
    (first_us, last_us, a, b)
}

fn search(vigil: &Vigil, camera: &str, region: &[&str], from: i64, to: i64) -> serde_json::Value {
    let (from, to) = (rfc3339(from), rfc3339(to));
    let mut args = vec![
        "search", "motion", "--camera", camera, "--from", &from, "--to", &to,
    ];
    args.extend_from_slice(region);
    args.push("--json");
    serde_json::from_str(&vigil.ok(&args)).expect("search --json")
}

fn rfc3339(us: i64) -> String {
    vigil_core::model::time::format_rfc3339(us)
}

/// The one hit of region A on `camera`, found within `slack_us` of the truth; answers it.
fn crossing_of_a(vigil: &Vigil, camera: &str, region: &[&str], slack_us: i64) -> (i64, i64) {
    let (from, to, truth_start, truth_end) = truth_in_a(vigil, camera);
    let found = search(vigil, camera, region, from, to);
    let hits = found["hits"].as_array().expect("hits");
    assert_eq!(hits.len(), 1, "one crossing of region A: {found}");
    let (s, e) = (i(&hits[0]["start_us"]), i(&hits[0]["end_us"]));
    assert!(
        (s - truth_start).abs() <= slack_us && (e - truth_end).abs() <= slack_us,
        "found {:.2}..{:.2} s, the box was in A {:.2}..{:.2} s (from the recording's start)",
        (s - from) as f64 / 1e6,
        (e - from) as f64 / 1e6,
        (truth_start - from) as f64 / 1e6,
        (truth_end - from) as f64 / 1e6
    );
    assert!(
        hits[0]["peak_fraction"].as_f64().unwrap_or(0.0) > 0.5,
        "{found}"
    );
    assert_eq!(found["region_cells"], 24, "{found}");
    assert_eq!(
        found["unindexed"],
        serde_json::json!([]),
        "indexed throughout"
    );
    (s - truth_start, e - s)
}

#[test]
fn a_region_crossed_by_the_box_is_found_and_one_never_touched_is_not() {
    let server = RtspServer::start(&["--motion-start", "6", "--motion-end", "12"]);
    let dir = tempfile::tempdir().expect("dir");
    let vigil = Vigil::new(dir.path());
    // The yard's sub-stream is the same scene on a session of its own: analysed at 5 fps.
    let (motion, lights) = (server.url("motion"), server.url("lights"));
    let yard = ["--name", "yard", "--url", &motion, "--detect-url", &motion];
    for args in [&yard[..], &["--name", "hall", "--url", &lights][..]] {
        let mut all = vec!["camera", "add"];
        all.extend_from_slice(args);
        vigil.ok(&all);
    }
    vigil.ok(&["run", "--for", "17s"]);

    let (from, to, _, _) = truth_in_a(&vigil, "yard");
    for region in [["--region", REGION_A], ["--polygon", POLYGON_A]] {
        crossing_of_a(&vigil, "yard", &region, 500_000);
    }

    let found = search(&vigil, "yard", &["--region", REGION_B], from, to);
    assert_eq!(
        found["hits"],
        serde_json::json!([]),
        "nothing in region B: {found}"
    );

    let hall = vigil.recordings();
    let hall: Vec<_> = hall.iter().filter(|r| r["camera"] == "hall").collect();
    assert!(!hall.is_empty(), "hall recorded");
    let (h0, h1) = (i(&hall[0]["start_us"]), i(&hall[hall.len() - 1]["end_us"]));
    let found = search(&vigil, "hall", &["--region", "0,0,1,1"], h0, h1);
    assert_eq!(
        found["hits"],
        serde_json::json!([]),
        "lights are not motion: {found}"
    );

    // Before the recording there is no index, and the text says so.
    let (b0, b1) = (rfc3339(from - 600_000_000), rfc3339(from - 300_000_000));
    let text = vigil.ok(&[
        "search", "motion", "--camera", "yard", "--region", REGION_A, "--from", &b0, "--to", &b1,
    ]);
    assert!(text.starts_with("0 moments with motion"), "{text}");
    assert!(text.contains("no motion index from"), "{text}");
}

#[test]
fn a_camera_without_a_sub_stream_is_indexed_from_key_frames() {
    // Key frames every 2 s (50 frames at 25 fps); the box takes 12 s to cross the frame, so
    // it is in A for over three seconds: more than one key frame sees it there.
    const GOP_US: i64 = 2_000_000;
    let server = RtspServer::start(&["--motion-start", "4", "--motion-end", "16", "--gop", "50"]);
    let dir = tempfile::tempdir().expect("dir");
    let vigil = Vigil::new(dir.path());
    vigil.ok(&[
        "camera",
        "add",
        "--name",
        "gate",
        "--url",
        &server.url("motion"),
    ]);
    vigil.ok(&["run", "--for", "21s"]);

    let (early_us, length_us) =
        crossing_of_a(&vigil, "gate", &["--region", REGION_A], GOP_US + 500_000);
    eprintln!("key-frame hit: starts {early_us} µs after the truth, lasts {length_us} µs");
    // The hit starts at the key frame before the box was seen there: it covers the moment.
    assert!(
        early_us <= 200_000,
        "the hit starts {early_us} µs after the box entered A"
    );
    assert!(
        length_us >= GOP_US - 200_000,
        "a key-frame hit lasts a GOP at least: {length_us} µs"
    );

    let (from, to, _, _) = truth_in_a(&vigil, "gate");
    let (from, to) = (rfc3339(from), rfc3339(to));
    let text = vigil.ok(&[
        "search", "motion", "--camera", "gate", "--region", REGION_A, "--from", &from, "--to", &to,
    ]);
    assert!(text.starts_with("1 moment with motion"), "{text}");
    assert!(
        text.contains("no sub-stream: its motion index has one picture per key frame"),
        "{text}"
    );
}

#[test]
fn bad_regions_and_unknown_cameras_are_refused_in_words() {
    let dir = tempfile::tempdir().expect("dir");
    let vigil = Vigil::new(dir.path());
    vigil.add_demo_camera("yard", &[]);
    let range = [
        "--from",
        "2026-12-01T00:00:00Z",
        "--to",
        "2026-12-02T00:00:00Z",
    ];
    let refused = |args: &[&str], says: &str, code: i32| {
        let mut all = vec!["search", "motion"];
        all.extend_from_slice(args);
        all.extend_from_slice(&range);
        let out = vigil.run(&all);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{all:?}: {err}");
        assert!(err.contains(says), "{all:?}: {err}");
    };
    refused(
        &["--camera", "gate", "--region", REGION_A],
        "no camera named 'gate'",
        1,
    );
    refused(
        &["--camera", "yard", "--region", "0.9,0.9,0.5,0.5"],
        "outside the picture",
        1,
    );
    refused(
        &["--camera", "yard", "--region", "0.1,0.1"],
        "is not a rectangle",
        1,
    );
    refused(
        &[
            "--camera",
            "yard",
            "--polygon",
            "0.1,0.1 0.9,0.9 0.9,0.1 0.1,0.9",
        ],
        "search region is not usable",
        1,
    );
    refused(
        &["--camera", "yard", "--polygon", "0.1,0.1 0.5,0.5"],
        "at least 3 points",
        1,
    );
    refused(&["--camera", "yard"], "--region", 2);
}
