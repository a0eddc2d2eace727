//! Recording the camera's sound: media files made with the ffmpeg CLI (video + AAC, Opus or
//! G.711 µ-law) are read as a camera connection delivers them (one wall-clock anchor, audio
//! arriving once each packet is complete) and fed to the real recorder thread, which writes
//! real fMP4 files indexed in a real SQLite library; ffprobe and ffmpeg check the files.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::thread::JoinHandle;
use std::time::Duration;

use crossbeam_channel::Sender;
use vigil_core::events::feed::EventFeed;
use vigil_core::events::Activity;
use vigil_core::library::{Library, SegmentQuery};
use vigil_core::media::file_events::{read_connection, FileConnection};
use vigil_core::model::published::Published;
use vigil_core::model::{EventSource, Policy, RecordMode, Segment};
use vigil_core::packet::{Packet, StreamEvent};
use vigil_core::record::queue::{self, RecorderTx};
use vigil_core::record::status::{RecordPublisher, RecordStatus};
use vigil_core::record::{self, RecorderConfig};

use crate::common::demo_camera;

const S: i64 = 1_000_000;
/// One AAC frame at 16 kHz (1024 samples), s: the tolerance at a cut.
const AAC_FRAME_S: f64 = 0.064;

/// Makes `seconds` of 25 fps H.264 (a keyframe each second) with a 440 Hz tone encoded by
/// `audio` (ffmpeg arguments), in `dir/name`.
pub(crate) fn media(dir: &Path, name: &str, seconds: u32, rate: u32, audio: &[&str]) -> PathBuf {
    let out = dir.join(name);
    let status = Command::new("ffmpeg")
        .args(["-v", "error", "-y", "-f", "lavfi", "-i"])
        .arg("testsrc2=size=320x180:rate=25")
        .args(["-f", "lavfi", "-i"])
        .arg(format!("sine=f=440:r={rate}"))
        .args(["-t", &seconds.to_string()])
        .args(["-c:v", "libx264", "-preset", "ultrafast", "-g", "25"])
        .args(["-pix_fmt", "yuv420p"])
        .args(audio)
        .arg(&out)
        .status()
        .expect("run ffmpeg");
    assert!(status.success(), "ffmpeg could not make {name}");
    out
}

/// A recorder thread on a fresh library, and its inputs.
struct Rig {
    dir: tempfile::TempDir,
    tx: Option<RecorderTx>,
    activity: Sender<Activity>,
    thread: Option<JoinHandle<()>>,
    status: Published<RecordStatus>,
}

fn rig(camera: &str, policy: Policy) -> Rig {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut lib = Library::open(dir.path()).expect("library");
    let cam = lib
        .add_camera(&demo_camera(camera), &policy)
        .expect("camera");
    drop(lib);
    let (tx, activity, thread, status) = recorder(dir.path(), cam.id, camera, policy);
    Rig {
        dir,
        tx: Some(tx),
        activity,
        thread: Some(thread),
        status,
    }
}

type Recorder = (
    RecorderTx,
    Sender<Activity>,
    JoinHandle<()>,
    Published<RecordStatus>,
);

/// Starts the real recorder thread of camera `camera_id` on the library in `data_dir`.
pub(crate) fn recorder(data_dir: &Path, camera_id: i64, camera: &str, policy: Policy) -> Recorder {
    let (sweep_now, _sweeps) = crossbeam_channel::bounded(4);
    let cfg = RecorderConfig {
        camera_id,
        camera_name: camera.to_string(),
        policy,
        data_dir: data_dir.to_path_buf(),
        sweep_now,
        feed: EventFeed::new(),
        late_reports_us: 0,
    };
    let publisher = RecordPublisher::new(RecordStatus::default());
    let status = publisher.reader();
    let (tx, rx) = queue::bounded(512, queue::DEFAULT_MAX_BYTES);
    let (activity, activity_rx) = crossbeam_channel::bounded(16);
    let thread = record::spawn(cfg, rx, activity_rx, publisher).expect("recorder thread");
    (tx, activity, thread, status)
}

impl Rig {
    fn send(&self, ev: StreamEvent) {
        let tx = self.tx.as_ref().expect("recorder running");
        assert!(
            tx.send_timeout(ev, Duration::from_secs(10)).is_ok(),
            "the recorder took no packet for 10 s"
        );
    }

    /// Sends a connection's packets with wall times from `from_us` up to (not including)
    /// `to_us`, each through `mangle` first.
    fn feed(
        &self,
        conn: &FileConnection,
        range: std::ops::Range<i64>,
        mut mangle: impl FnMut(usize, &mut Packet),
    ) {
        for (i, (audio, p)) in conn.packets.iter().enumerate() {
            if !range.contains(&p.wall_us) {
                continue;
            }
            let mut p = p.clone();
            mangle(i, &mut p);
            self.send(if *audio {
                StreamEvent::Audio(p)
            } else {
                StreamEvent::Packet(p)
            });
        }
    }

    /// Ends the connection, stops the recorder and returns what it indexed.
    fn finish(mut self) -> (tempfile::TempDir, Vec<Segment>, RecordStatus) {
        self.send(StreamEvent::Ended);
        drop(self.tx.take());
        if let Some(t) = self.thread.take() {
            t.join().expect("recorder thread");
        }
        let lib = Library::open(self.dir.path()).expect("library");
        let segments = lib.segments(&SegmentQuery::default()).expect("segments");
        (self.dir, segments, self.status.snapshot())
    }
}

/// One stream of a file as ffprobe reads it.
#[derive(Debug)]
pub struct Track {
    pub kind: String,
    pub codec: String,
    /// Presentation span of its packets, s.
    pub start_s: f64,
    pub end_s: f64,
    pub packets: usize,
}

impl Track {
    pub fn duration_s(&self) -> f64 {
        self.end_s - self.start_s
    }
}

pub fn tracks(path: &str) -> Vec<Track> {
    let out = Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-show_entries",
            "stream=index,codec_type,codec_name",
        ])
        .args([
            "-show_entries",
            "packet=stream_index,pts_time,duration_time",
        ])
        .args(["-of", "json", path])
        .output()
        .expect("run ffprobe");
    assert!(out.status.success(), "ffprobe rejected {path}");
    assert!(
        out.stderr.is_empty(),
        "ffprobe complained about {path}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("ffprobe JSON");
    let num = |x: &serde_json::Value| x.as_str().and_then(|t| t.parse::<f64>().ok());
    let packets = v["packets"].as_array().cloned().unwrap_or_default();
    let streams = v["streams"].as_array().cloned().unwrap_or_default();
    streams
        .iter()
        .map(|s| {
            let index = s["index"].as_u64();
            // FFmpeg's MP4 reader gives no duration for a track's first sample (also in files
            // the ffmpeg CLI makes): it lasts until the next one.
            let timed: Vec<(f64, Option<f64>)> = packets
                .iter()
                .filter(|p| p["stream_index"].as_u64() == index)
                .filter_map(|p| Some((num(&p["pts_time"])?, num(&p["duration_time"]))))
                .collect();
            let mine: Vec<(f64, f64)> = timed
                .iter()
                .enumerate()
                .map(|(i, &(pts, d))| {
                    let next = timed.get(i + 1).map(|n| n.0 - pts);
                    (pts, d.or(next).unwrap_or(0.0))
                })
                .collect();
            Track {
                kind: s["codec_type"].as_str().unwrap_or("").to_string(),
                codec: s["codec_name"].as_str().unwrap_or("").to_string(),
                start_s: mine.iter().map(|m| m.0).fold(f64::INFINITY, f64::min),
                end_s: mine
                    .iter()
                    .map(|m| m.0 + m.1)
                    .fold(f64::NEG_INFINITY, f64::max),
                packets: mine.len(),
            }
        })
        .collect()
}

/// Decodes the whole file; FFmpeg's complaints (corrupt packets, bad timestamps) fail.
pub fn assert_plays(path: &str) {
    let out = Command::new("ffmpeg")
        .args(["-v", "error", "-i", path, "-f", "null", "-"])
        .output()
        .expect("run ffmpeg");
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "{path} does not play cleanly: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

pub(crate) fn policy(mode: RecordMode, segment_s: u32) -> Policy {
    Policy {
        mode,
        segment_s,
        pre_event_s: 2,
        post_event_s: 1,
        ..Policy::default()
    }
}

pub(crate) fn start_wall() -> i64 {
    vigil_core::model::time::now_us() - 3600 * S
}

/// Checks a file with video and `audio`: both tracks, spans within 0.1 s of each other.
fn assert_two_tracks(seg: &Segment, audio: &str) -> (Track, Track) {
    assert_eq!(seg.audio_codec.as_deref(), Some(audio), "{seg:?}");
    let mut t = tracks(&seg.path);
    assert_eq!(t.len(), 2, "{}: {t:?}", seg.path);
    let a = t.pop().expect("audio");
    let v = t.pop().expect("video");
    assert_eq!((v.kind.as_str(), v.codec.as_str()), ("video", "h264"));
    assert_eq!((a.kind.as_str(), a.codec.as_str()), ("audio", audio));
    assert!(
        (a.duration_s() - v.duration_s()).abs() <= 0.1,
        "{}: audio {a:?} and video {v:?} differ",
        seg.path
    );
    assert!(a.start_s >= 0.0 && a.start_s <= 0.1, "{a:?}");
    assert_plays(&seg.path);
    (v, a)
}

#[test]
fn aac_sound_goes_into_every_segment_without_gaps_at_the_cuts() {
    let work = tempfile::tempdir().expect("work dir");
    let file = media(work.path(), "aac.mp4", 10, 16_000, &["-c:a", "aac"]);
    let t0 = start_wall();
    let conn = read_connection(&file, t0, true).expect("read");
    let rig = rig("arec-aac", policy(RecordMode::Continuous, 4));
    rig.send(StreamEvent::Started(conn.info.clone()));
    rig.feed(&conn, i64::MIN..i64::MAX, |_, _| {});
    let (_dir, segs, _) = rig.finish();
    assert_eq!(segs.len(), 3, "4 s segments of 10 s: {segs:?}");
    let mut total = 0.0;
    let mut audio_abs = Vec::new();
    for seg in &segs {
        let (v, a) = assert_two_tracks(seg, "aac");
        eprintln!("{}: {v:?} {a:?}", seg.path);
        total += v.duration_s();
        let start_s = (seg.start_us - t0) as f64 / 1e6;
        audio_abs.push((start_s + a.start_s, start_s + a.end_s));
    }
    assert!((total - 10.0).abs() <= 0.1, "{total} s of video");
    let sound: f64 = audio_abs.iter().map(|(s, e)| e - s).sum();
    assert!((sound - 10.0).abs() <= 0.1, "{sound} s of sound");
    for w in audio_abs.windows(2) {
        let gap = w[1].0 - w[0].1;
        assert!(
            gap.abs() <= AAC_FRAME_S + 0.001,
            "the sound jumps by {gap:.3} s at a cut: {audio_abs:?}"
        );
    }
}

#[test]
fn opus_sound_is_recorded_as_it_comes() {
    let work = tempfile::tempdir().expect("work dir");
    let file = media(work.path(), "opus.mkv", 4, 48_000, &["-c:a", "libopus"]);
    let conn = read_connection(&file, start_wall(), true).expect("read");
    let rig = rig("arec-opus", policy(RecordMode::Continuous, 60));
    rig.send(StreamEvent::Started(conn.info.clone()));
    rig.feed(&conn, i64::MIN..i64::MAX, |_, _| {});
    let (_dir, segs, _) = rig.finish();
    assert_eq!(segs.len(), 1, "{segs:?}");
    let (v, _) = assert_two_tracks(&segs[0], "opus");
    assert!((v.duration_s() - 4.0).abs() <= 0.1, "{v:?}");
}

#[test]
fn g711_sound_is_converted_to_aac() {
    let work = tempfile::tempdir().expect("work dir");
    let file = media(work.path(), "pcmu.mkv", 6, 8_000, &["-c:a", "pcm_mulaw"]);
    let conn = read_connection(&file, start_wall(), true).expect("read");
    assert_eq!(
        conn.info.audio.as_ref().map(|a| a.codec.as_str()),
        Some("pcm_mulaw")
    );
    let rig = rig("arec-pcmu", policy(RecordMode::Continuous, 60));
    rig.send(StreamEvent::Started(conn.info.clone()));
    rig.feed(&conn, i64::MIN..i64::MAX, |_, _| {});
    let (_dir, segs, _) = rig.finish();
    assert_eq!(segs.len(), 1, "{segs:?}");
    let (v, a) = assert_two_tracks(&segs[0], "aac");
    assert!((v.duration_s() - 6.0).abs() <= 0.1, "{v:?}");
    assert!(a.packets > 40, "{a:?}");
}

#[test]
fn audio_off_records_video_only() {
    let work = tempfile::tempdir().expect("work dir");
    let file = media(work.path(), "off.mp4", 3, 16_000, &["-c:a", "aac"]);
    let conn = read_connection(&file, start_wall(), false).expect("read");
    assert!(conn.info.audio.is_none());
    let rig = rig("arec-off", policy(RecordMode::Continuous, 60));
    rig.send(StreamEvent::Started(conn.info.clone()));
    rig.feed(&conn, i64::MIN..i64::MAX, |_, _| {});
    let (_dir, segs, _) = rig.finish();
    assert_eq!(segs.len(), 1, "{segs:?}");
    assert_eq!(segs[0].audio_codec, None);
    let t = tracks(&segs[0].path);
    assert_eq!(t.len(), 1, "{t:?}");
    assert_eq!(t[0].kind, "video");
}

/// A camera reconfigured mid-stream: ingest starts the stream anew (a `Started` at a
/// keyframe) whenever the sound appears, changes or goes away. AAC, then Opus, then no
/// sound: each file holds one kind of sound only, and every file plays.
#[test]
fn sound_that_changes_or_goes_away_never_mixes_in_one_file() {
    let work = tempfile::tempdir().expect("work dir");
    let aac = media(work.path(), "change-aac.mp4", 4, 16_000, &["-c:a", "aac"]);
    let opus = media(
        work.path(),
        "change-opus.mkv",
        4,
        48_000,
        &["-c:a", "libopus"],
    );
    let t0 = start_wall();
    let rig = rig("arec-change", policy(RecordMode::Continuous, 60));
    let connections = [(&aac, true), (&opus, true), (&aac, false)];
    for (i, (file, with_sound)) in connections.into_iter().enumerate() {
        let conn = read_connection(file, t0 + i as i64 * 5 * S, with_sound).expect("read");
        rig.send(StreamEvent::Started(conn.info.clone()));
        rig.feed(&conn, i64::MIN..i64::MAX, |_, _| {});
    }
    let (_dir, mut segs, _) = rig.finish();
    segs.sort_by_key(|s| s.start_us);
    assert_eq!(segs.len(), 3, "one file per connection: {segs:?}");
    assert_two_tracks(&segs[0], "aac");
    assert_two_tracks(&segs[1], "opus");
    assert_eq!(segs[2].audio_codec, None, "{:?}", segs[2]);
    let t = tracks(&segs[2].path);
    assert_eq!(t.len(), 1, "the sound went away: video only: {t:?}");
    assert_plays(&segs[2].path);
}

#[test]
fn audio_with_broken_timestamps_is_left_out_and_counted() {
    let work = tempfile::tempdir().expect("work dir");
    let file = media(work.path(), "broken.mp4", 6, 16_000, &["-c:a", "aac"]);
    let t0 = start_wall();
    let conn = read_connection(&file, t0, true).expect("read");
    let rig = rig("arec-broken", policy(RecordMode::Continuous, 60));
    rig.send(StreamEvent::Started(conn.info.clone()));
    let mut audio_seen = 0;
    let mut broken = 0;
    rig.feed(&conn, i64::MIN..i64::MAX, |i, p| {
        // Only well inside the file: a packet sent back before its start is not "broken",
        // just early (the previous file's).
        if !conn.packets[i].0 || p.wall_us < t0 + 3 * S {
            return;
        }
        audio_seen += 1;
        match audio_seen % 15 {
            // A repeat of a packet already sent, two seconds back, and an hour ahead.
            5 => p.wall_us -= 64_000,
            9 => p.wall_us -= 2 * S,
            13 => p.wall_us += 3600 * S,
            _ => return,
        }
        broken += 1;
    });
    let (_dir, segs, status) = rig.finish();
    assert_eq!(segs.len(), 1, "{segs:?}");
    assert!(broken >= 5, "{broken}");
    assert_eq!(status.audio_broken, broken, "every bad packet is counted");
    assert!(
        status
            .stream_notice
            .as_deref()
            .is_some_and(|n| n.contains("broken timestamps")),
        "{status:?}"
    );
    let t = tracks(&segs[0].path);
    assert_eq!(t.len(), 2, "{t:?}");
    assert_plays(&segs[0].path);
}

#[test]
fn an_event_clip_has_sound_from_its_pre_event_start() {
    let work = tempfile::tempdir().expect("work dir");
    let file = media(work.path(), "event.mp4", 10, 16_000, &["-c:a", "aac"]);
    let t0 = start_wall();
    let conn = read_connection(&file, t0, true).expect("read");
    let rig = rig("arec-event", policy(RecordMode::Events, 60));
    rig.send(StreamEvent::Started(conn.info.clone()));
    rig.feed(&conn, i64::MIN..t0 + 6 * S, |_, _| {});
    // The recorder has taken the first 6 s (the activity comes after them, as it would
    // live): the pre-event buffer holds them.
    let tx = rig.tx.as_ref().expect("running");
    assert!(crate::common::wait_until(Duration::from_secs(10), || {
        tx.queued_bytes() == 0
    }));
    // Activity from 5 s to 6 s; the clip reaches back 2 s into the pre-event buffer.
    rig.activity
        .send(Activity::Begin {
            key: "trigger:arec".into(),
            source: EventSource::External,
            label: "door".into(),
            zone_id: None,
            start_us: t0 + 5 * S,
            end_us: Some(t0 + 6 * S),
            score: 1.0,
            thumbnail: None,
            object_box: None,
            observed: std::time::Instant::now(),
        })
        .expect("activity");
    let tx = rig.tx.as_ref().expect("running");
    assert!(crate::common::wait_until(Duration::from_secs(10), || {
        tx.queued_bytes() == 0
    }));
    rig.feed(&conn, t0 + 6 * S..i64::MAX, |_, _| {});
    let (_dir, segs, _) = rig.finish();
    assert_eq!(segs.len(), 1, "one clip: {segs:?}");
    assert_eq!(
        segs[0].start_us,
        t0 + 3 * S,
        "the keyframe 2 s before the event"
    );
    let (v, a) = assert_two_tracks(&segs[0], "aac");
    assert!(
        a.start_s <= AAC_FRAME_S,
        "sound from the clip's start: {a:?}"
    );
    assert!(v.duration_s() >= 3.9, "{v:?}");
}
