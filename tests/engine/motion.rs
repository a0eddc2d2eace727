//! Motion detection end to end, against scenes with known ground truth served over a real
//! RTSP server: a box that enters at second 20 and leaves at 26 makes exactly one event and
//! one clip; motion inside a mask and a whole-frame brightness jump make none.

use crate::common;

use std::process::Command;

use common::{assert_files_match_rows, ffprobe, RtspServer, Vigil};

fn events(vigil: &Vigil) -> Vec<serde_json::Value> {
    serde_json::from_str(&vigil.ok(&["events", "--json"])).expect("events JSON")
}

/// Per-frame mean brightness of a video file: (seconds from the file's start, mean Y).
pub(crate) fn brightness(path: &str) -> Vec<(f64, f64)> {
    let out = Command::new("ffmpeg")
        .args(["-v", "error", "-i", path, "-vf"])
        .arg("signalstats,metadata=print:key=lavfi.signalstats.YAVG:file=-")
        .args(["-f", "null", "-"])
        .output()
        .expect("ffmpeg");
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

fn i(v: &serde_json::Value) -> i64 {
    v.as_i64().unwrap_or(i64::MIN)
}

#[test]
fn a_box_entering_a_zone_makes_one_event_and_one_clip_around_it() {
    let server = RtspServer::start(&["--motion-start", "20", "--motion-end", "26"]);
    let dir = tempfile::tempdir().expect("dir");
    let vigil = Vigil::new(dir.path());
    vigil.ok(&[
        "camera",
        "add",
        "--name",
        "yard",
        "--url",
        &server.url("motion"),
        "--record",
        "events",
        "--pre-event",
        "5s",
        "--post-event",
        "3s",
    ]);
    vigil.ok(&[
        "zone",
        "add",
        "--camera",
        "yard",
        "--name",
        "path",
        "--polygon",
        "0,0.3 1,0.3 1,0.7 0,0.7",
    ]);
    vigil.ok(&["run", "--for", "33s"]);

    let rows = vigil.recordings();
    let clips: Vec<_> = rows.iter().filter(|r| r["kind"] == "event").collect();
    assert_eq!(clips.len(), 1, "one clip: {rows:?}");
    let clip = clips[0];
    let (c0, c1) = (i(&clip["start_us"]), i(&clip["end_us"]));
    // Ground truth from the recorded pictures themselves: the scene is flat grey except for
    // the box, so the frames where mean brightness rises are the frames showing the box.
    let frames = brightness(clip["path"].as_str().unwrap_or(""));
    let base = frames.first().map(|f| f.1).expect("decoded frames");
    let with_box: Vec<f64> = frames
        .iter()
        .filter(|f| f.1 > base + 0.1)
        .map(|f| f.0)
        .collect();
    let (first, last) = (with_box.first().copied(), with_box.last().copied());
    let (Some(first), Some(last)) = (first, last) else {
        panic!("the clip shows the box")
    };
    assert!(
        (5.5..=6.5).contains(&(last - first)),
        "the box is seen for {:.2} s",
        last - first
    );
    let truth_start = c0 + (first * 1e6) as i64;
    let truth_end = c0 + (last * 1e6) as i64;

    let evs = events(&vigil);
    assert_eq!(evs.len(), 1, "exactly one event: {evs:?}");
    let e = &evs[0];
    assert_eq!(e["source"], "motion");
    assert_eq!(e["zone"], "path");
    assert_eq!(e["has_thumbnail"], true);
    let start_err = i(&e["start_us"]) - truth_start;
    // Within one analyzed frame (5 fps: 200 ms), plus the clock's start-up settling.
    assert!(
        start_err.abs() <= 250_000,
        "event starts {:.3} s from the truth",
        start_err as f64 / 1e6
    );
    let end_err = i(&e["end_us"]) - truth_end;
    assert!(
        end_err.abs() <= 300_000,
        "event ends {:.3} s from the truth",
        end_err as f64 / 1e6
    );

    assert_eq!(clip["event_id"], e["id"]);
    // Covers [20 - pre, 26 + post] within one GOP (1 s).
    assert!(
        c0 <= truth_start - 5_000_000 + 250_000 && c0 >= truth_start - 6_250_000,
        "clip starts {:.3} s before the truth",
        (truth_start - c0) as f64 / 1e6
    );
    assert!(
        c1 >= truth_end + 3_000_000 - 300_000 && c1 <= truth_end + 4_300_000,
        "clip ends {:.3} s after the truth",
        (c1 - truth_end) as f64 / 1e6
    );
    let p = ffprobe(clip["path"].as_str().unwrap_or(""));
    assert_eq!(
        (p.codec.as_str(), p.width, p.height),
        ("h264", 640, 360),
        "no transcoding"
    );
    assert!(p.dts.windows(2).all(|w| w[1] > w[0]));

    // The thumbnail is a real JPEG of the scene.
    let lib = vigil_core::library::Library::open(dir.path()).expect("library");
    let jpeg = lib
        .event_thumbnail(i(&e["id"]))
        .expect("query")
        .expect("thumbnail");
    let img = image::load_from_memory(&jpeg).expect("a JPEG");
    assert_eq!((img.width(), img.height()), (320, 180));
    assert_files_match_rows(&vigil);
}

#[test]
fn motion_only_inside_a_mask_makes_no_event() {
    let server = RtspServer::start(&["--motion-start", "4", "--motion-end", "8"]);
    let dir = tempfile::tempdir().expect("dir");
    let vigil = Vigil::new(dir.path());
    vigil.ok(&[
        "camera",
        "add",
        "--name",
        "yard",
        "--url",
        &server.url("motion"),
        "--record",
        "events",
    ]);
    vigil.ok(&[
        "zone",
        "add",
        "--camera",
        "yard",
        "--name",
        "road",
        "--mask",
        "--polygon",
        "0,0.3 1,0.3 1,0.7 0,0.7",
    ]);
    vigil.ok(&["run", "--for", "12s"]);
    assert!(events(&vigil).is_empty(), "{:?}", events(&vigil));
    assert!(
        vigil.recordings().is_empty(),
        "nothing written while nothing happens"
    );
}

#[test]
fn lights_switching_on_and_off_makes_no_event() {
    let server = RtspServer::start(&["--motion-start", "4", "--motion-end", "8"]);
    let dir = tempfile::tempdir().expect("dir");
    let vigil = Vigil::new(dir.path());
    vigil.ok(&[
        "camera",
        "add",
        "--name",
        "porch",
        "--url",
        &server.url("lights"),
        "--record",
        "events",
    ]);
    vigil.ok(&["run", "--for", "12s"]);
    assert!(events(&vigil).is_empty(), "{:?}", events(&vigil));
}

#[test]
fn invalid_zones_are_refused_in_words_and_nothing_changes() {
    let dir = tempfile::tempdir().expect("dir");
    let vigil = Vigil::new(dir.path());
    vigil.add_demo_camera("yard", &["--record", "events"]);
    vigil.ok(&[
        "zone",
        "add",
        "--camera",
        "yard",
        "--name",
        "gate",
        "--polygon",
        "0.1,0.5 0.4,0.5 0.4,0.9 0.1,0.9",
    ]);
    let before = vigil.ok(&["zone", "list", "--camera", "yard", "--json"]);
    let cases: [(&[&str], &str); 7] = [
        (
            &["--name", "a", "--polygon", "0.1,0.1 0.5,0.5"],
            "at least 3 points",
        ),
        (
            &["--name", "a", "--polygon", "0,0 1.5,1 0,1"],
            "outside the frame",
        ),
        (
            &["--name", "a", "--polygon", "0,0 1,1 1,0 0,1"],
            "crosses itself",
        ),
        (
            &["--name", "a", "--polygon", "0,0 1,x 0,1"],
            "is not two numbers",
        ),
        (
            &["--name", "gate", "--polygon", "0,0 1,0 0,1"],
            "already has a zone named 'gate'",
        ),
        (
            &[
                "--name",
                "a",
                "--polygon",
                "0,0 1,0 0,1",
                "--sensitivity",
                "101",
            ],
            "from 0 (least) to 100",
        ),
        (
            &[
                "--name",
                "a",
                "--polygon",
                "0,0 1,0 0,1",
                "--min-area",
                "150%",
            ],
            "percentage of the zone",
        ),
    ];
    for (args, expected) in cases {
        let mut full = vec!["zone", "add", "--camera", "yard"];
        full.extend_from_slice(args);
        let out = vigil.run(&full);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} was accepted");
        assert!(
            stderr.starts_with("error: ") && stderr.contains(expected),
            "{args:?}: {stderr}"
        );
        assert_eq!(stderr.trim().lines().count(), 1, "one sentence: {stderr}");
    }
    let out = vigil.run(&[
        "zone",
        "add",
        "--camera",
        "nope",
        "--name",
        "a",
        "--polygon",
        "0,0 1,0 0,1",
    ]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("no camera named 'nope'"));
    assert_eq!(
        vigil.ok(&["zone", "list", "--camera", "yard", "--json"]),
        before,
        "nothing changed"
    );
}

#[test]
fn motion_is_looked_for_in_the_detect_sub_stream() {
    // Main stream: a still picture. Sub-stream: the moving box. Events can only come from
    // the sub-stream; their clips are cut from the main stream.
    let server = RtspServer::start(&["--motion-start", "4", "--motion-end", "7"]);
    let dir = tempfile::tempdir().expect("dir");
    let vigil = Vigil::new(dir.path());
    vigil.ok(&[
        "camera",
        "add",
        "--name",
        "door",
        "--url",
        &server.url("static"),
        "--detect-url",
        &server.url("motion"),
        "--record",
        "events",
        "--pre-event",
        "2s",
        "--post-event",
        "2s",
    ]);
    vigil.ok(&["run", "--for", "14s"]);
    let evs = events(&vigil);
    assert_eq!(evs.len(), 1, "{evs:?}");
    let clips = vigil.recordings();
    assert_eq!(clips.len(), 1, "{clips:?}");
    assert_eq!(clips[0]["event_id"], evs[0]["id"]);
    // The clip is the main stream: the colour bars, 640x360, still.
    let frames = brightness(clips[0]["path"].as_str().unwrap_or(""));
    let (lo, hi) = frames.iter().fold((f64::MAX, f64::MIN), |(lo, hi), f| {
        (lo.min(f.1), hi.max(f.1))
    });
    assert!(
        hi - lo < 0.5,
        "the recorded main stream does not show the box"
    );
}
