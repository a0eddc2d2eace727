//! Exports carry the camera's sound: recordings made by the `ffmpeg` CLI as the recorder
//! writes them (fragmented MP4, video stream 0, AAC or Opus stream 1) and indexed in a real
//! library, exported through the engine API, `vigil export` and the web viewer, and every
//! exported file checked with ffprobe: two streams of matching length, the sound continuous
//! across files, trimmed to the picture, left out on request, and a change of sound format
//! reported instead of failing.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::common::web::WebRun;
use crate::common::Vigil;
use vigil_core::export::{self, ExportReport, Progress};
use vigil_core::library::layout::segment_rel_path;
use vigil_core::library::{FinishedSegment, Library};
use vigil_core::model::{CameraName, NewCamera, Policy, SegmentKind, Transport};

/// 2026-12-04T10:00:00Z.
const T0: i64 = 1_796_378_400_000_000;
const S: i64 = 1_000_000;
/// One AAC frame at 16 kHz, seconds.
const AAC_FRAME_S: f64 = 1024.0 / 16000.0;

#[derive(Clone, Copy)]
enum Sound {
    Aac,
    Opus,
    Silent,
}

/// A library in a temporary folder with one camera (not enabled: nothing records).
struct Archive {
    dir: tempfile::TempDir,
    lib: Library,
    camera: String,
    camera_id: i64,
}

impl Archive {
    fn new(camera: &str) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut lib = Library::open(dir.path()).expect("library");
        let cam = NewCamera {
            name: CameraName::parse(camera).expect("name"),
            url: "rtsp://127.0.0.1:9/none".into(),
            detect_url: None,
            transport: Transport::Tcp,
            enabled: false,
            audio: false,
        };
        let camera_id = lib.add_camera(&cam, &Policy::default()).expect("camera").id;
        Self {
            dir,
            lib,
            camera: camera.to_string(),
            camera_id,
        }
    }

    /// A `secs`-second recording starting at `start_us` (25 fps, a keyframe every second,
    /// a 440 Hz tone as its sound), written by ffmpeg where the recorder would and indexed.
    fn record(&mut self, start_us: i64, secs: u32, sound: Sound) -> PathBuf {
        let rel = segment_rel_path(&self.camera, SegmentKind::Continuous, start_us);
        let abs = self.lib.absolute(&rel);
        std::fs::create_dir_all(abs.parent().expect("parent")).expect("folders");
        let mut cmd = Command::new("ffmpeg");
        cmd.args(["-v", "error", "-y", "-f", "lavfi", "-i"])
            .arg("testsrc2=size=320x180:rate=25");
        match sound {
            Sound::Aac => cmd.args(["-f", "lavfi", "-i", "sine=f=440:r=16000"]),
            Sound::Opus => cmd.args(["-f", "lavfi", "-i", "sine=f=440:r=48000"]),
            Sound::Silent => &mut cmd,
        };
        cmd.args(["-t", &secs.to_string(), "-map", "0:v"]);
        match sound {
            Sound::Aac => cmd.args(["-map", "1:a", "-c:a", "aac"]),
            Sound::Opus => cmd.args(["-map", "1:a", "-c:a", "libopus"]),
            Sound::Silent => &mut cmd,
        };
        let status = cmd
            .args(["-c:v", "libx264", "-g", "25", "-pix_fmt", "yuv420p"])
            .args(["-movflags", "+frag_keyframe+empty_moov+default_base_moof"])
            .args(["-f", "mp4"])
            .arg(&abs)
            .status()
            .expect("ffmpeg is installed (make test installs it)");
        assert!(status.success(), "ffmpeg made {}", abs.display());
        self.lib
            .begin_segment(self.camera_id, SegmentKind::Continuous, start_us, &rel)
            .expect("journal");
        let bytes = std::fs::metadata(&abs).expect("stat").len();
        self.lib
            .finish_segment(&FinishedSegment {
                camera_id: self.camera_id,
                kind: SegmentKind::Continuous,
                start_us,
                end_us: start_us + i64::from(secs) * S,
                rel_path: rel,
                bytes,
                codec: "h264".into(),
                width: 320,
                height: 180,
                frames: u64::from(secs) * 25,
                event_id: None,
                audio_codec: match sound {
                    Sound::Aac => Some("aac".into()),
                    Sound::Opus => Some("opus".into()),
                    Sound::Silent => None,
                },
            })
            .expect("index");
        abs
    }

    fn export(&self, from_us: i64, to_us: i64, name: &str) -> (PathBuf, ExportReport) {
        let out = self.dir.path().join(name);
        let plan = export::plan(&self.lib, &self.camera, from_us, to_us).expect("plan");
        let report = export::write(&plan, &out, false, &Progress::new()).expect("export");
        (out, report)
    }
}

/// One stream as ffprobe sees it.
#[derive(Debug)]
struct Stream {
    kind: String,
    codec: String,
    duration_s: f64,
}

fn number(v: &Value) -> f64 {
    v.as_str()
        .and_then(|t| t.parse().ok())
        .or_else(|| v.as_f64())
        .unwrap_or(f64::NAN)
}

fn ffprobe_json(path: &Path, args: &[&str]) -> Value {
    let out = Command::new("ffprobe")
        .args(["-v", "error", "-of", "json"])
        .args(args)
        .arg(path)
        .output()
        .expect("ffprobe is installed");
    assert!(
        out.status.success(),
        "ffprobe rejected {}: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("ffprobe JSON")
}

fn streams(path: &Path) -> Vec<Stream> {
    let v = ffprobe_json(
        path,
        &["-show_entries", "stream=codec_type,codec_name,duration"],
    );
    v["streams"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|s| Stream {
            kind: s["codec_type"].as_str().unwrap_or("").to_string(),
            codec: s["codec_name"].as_str().unwrap_or("").to_string(),
            duration_s: number(&s["duration"]),
        })
        .collect()
}

/// (pts, duration) of every packet of the first stream of `kind` (`a` or `v`), seconds.
fn packets(path: &Path, kind: &str) -> Vec<(f64, f64)> {
    let v = ffprobe_json(
        path,
        &[
            "-select_streams",
            &format!("{kind}:0"),
            "-show_entries",
            "packet=pts_time,duration_time",
        ],
    );
    v["packets"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|p| (number(&p["pts_time"]), number(&p["duration_time"])))
        .collect()
}

/// Video then AAC, of about the same length.
fn assert_picture_and_sound(path: &Path) -> (f64, f64) {
    let s = streams(path);
    let kinds: Vec<(&str, &str)> = s
        .iter()
        .map(|s| (s.kind.as_str(), s.codec.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [("video", "h264"), ("audio", "aac")],
        "{}",
        path.display()
    );
    let (v, a) = (s[0].duration_s, s[1].duration_s);
    assert!(
        (v - a).abs() <= 0.15,
        "picture {v:.3} s and sound {a:.3} s of about the same length"
    );
    (v, a)
}

#[test]
fn audio_export_carries_the_sound_trimmed_and_continuous_across_segments() {
    let mut ar = Archive::new("aexp-yard");
    ar.record(T0, 4, Sound::Aac);
    ar.record(T0 + 4 * S, 4, Sound::Aac);
    // From the keyframe at 1 s in the first file to 7 s: across the boundary.
    let (out, report) = ar.export(T0 + S, T0 + 7 * S, "two.mp4");
    eprintln!("{}", report.summary());
    assert_eq!(report.audio.as_deref(), Some("AAC 16000 Hz mono"));
    assert!(report.silent.is_empty());
    assert!(report.summary().contains("with sound (AAC 16000 Hz mono)"));
    let (video_s, _) = assert_picture_and_sound(&out);
    assert!((video_s - 6.0).abs() <= 0.1, "6 s of picture: {video_s}");

    let sound = packets(&out, "a");
    let picture = packets(&out, "v");
    let first_picture = picture.iter().map(|p| p.0).fold(f64::INFINITY, f64::min);
    assert!(
        (sound[0].0 - first_picture).abs() <= AAC_FRAME_S,
        "the sound starts with the picture: {} vs {first_picture}",
        sound[0].0
    );
    // One run of sound: each packet starts where the one before ended, within half a frame
    // where the files meet (no restart at the second file, 3 s into the export).
    for w in sound.windows(2) {
        let jump = w[1].0 - (w[0].0 + w[0].1);
        assert!(
            w[1].0 > w[0].0 && jump.abs() <= AAC_FRAME_S / 2.0 + 0.002,
            "the sound jumps by {jump:.4} s at {:.3} s",
            w[1].0
        );
    }
    let at_boundary = sound.iter().filter(|p| (p.0 - 3.0).abs() < 0.2).count();
    assert!(at_boundary >= 5, "sound goes on across the files' boundary");
    let heard: f64 = sound.iter().map(|p| p.1).sum();
    assert!((heard - 6.0).abs() <= 0.15, "6 s of sound: {heard}");
}

#[test]
fn audio_export_from_the_cli_keeps_the_sound_unless_told_not_to() {
    let mut ar = Archive::new("aexp-cli");
    ar.record(T0, 4, Sound::Aac);
    let vigil = Vigil::new(ar.dir.path());
    let (from, to) = ("2026-12-04T10:00:00Z", "2026-12-04T10:00:03Z");
    let with = ar.dir.path().join("with.mp4");
    let said = vigil.ok(&[
        "export",
        "--camera",
        "aexp-cli",
        "--from",
        from,
        "--to",
        to,
        "-o",
        with.to_str().expect("utf-8"),
    ]);
    assert!(said.contains("with sound (AAC"), "{said}");
    assert_picture_and_sound(&with);

    let without = ar.dir.path().join("without.mp4");
    let said = vigil.ok(&[
        "export",
        "--camera",
        "aexp-cli",
        "--from",
        from,
        "--to",
        to,
        "--no-audio",
        "-o",
        without.to_str().expect("utf-8"),
    ]);
    assert!(!said.contains("sound"), "{said}");
    let s = streams(&without);
    assert_eq!(s.len(), 1, "picture only: {s:?}");
    assert_eq!(s[0].kind, "video");
}

#[test]
fn audio_export_keeps_the_first_sound_format_and_says_where_sound_is_missing() {
    let mut ar = Archive::new("aexp-mixed");
    ar.record(T0, 2, Sound::Aac);
    ar.record(T0 + 2 * S, 2, Sound::Silent);
    ar.record(T0 + 4 * S, 2, Sound::Opus);
    ar.record(T0 + 6 * S, 2, Sound::Aac);
    let (out, report) = ar.export(T0, T0 + 8 * S, "mixed.mp4");
    eprintln!("{}", report.summary());
    assert_eq!(report.audio.as_deref(), Some("AAC 16000 Hz mono"));
    assert_eq!(
        report.silent,
        [(T0 + 4 * S, T0 + 6 * S)],
        "the Opus file's span is said to have no sound"
    );
    assert!(report
        .summary()
        .contains("no sound from 2026-12-04T10:00:04Z to 2026-12-04T10:00:06Z"));
    let s = streams(&out);
    assert_eq!(s.len(), 2, "{s:?}");
    assert!((s[0].duration_s - 8.0).abs() <= 0.1, "{s:?}");
    // Sound in the first and last two seconds only: a silent gap between, no error.
    let sound = packets(&out, "a");
    assert!(
        sound.iter().all(|p| p.0 < 2.2 || p.0 > 5.8),
        "no sound from the silent and the Opus files"
    );
    // The packet before a gap lasts across it in MP4 (a sample lasts until the next one), so
    // the sound heard is counted in AAC frames of 1024 samples at 16 kHz.
    let heard = sound.len() as f64 * 1024.0 / 16_000.0;
    assert!((heard - 4.0).abs() <= 0.2, "4 s of sound: {heard}");
    assert!(sound.iter().any(|p| p.0 > 6.0 && p.0 < 6.2), "{sound:?}");
}

#[test]
fn audio_export_with_a_watermark_keeps_the_sound() {
    let mut ar = Archive::new("aexp-mark");
    ar.record(T0, 3, Sound::Aac);
    let plan = export::plan(&ar.lib, "aexp-mark", T0, T0 + 3 * S).expect("plan");
    let out = ar.dir.path().join("marked.mp4");
    let report =
        export::write_watermarked(&plan, &out, false, "Mark", &Progress::new()).expect("export");
    assert_eq!(report.audio.as_deref(), Some("AAC 16000 Hz mono"));
    assert_picture_and_sound(&out);
}

#[test]
fn audio_export_downloaded_from_the_web_has_the_sound() {
    let mut ar = Archive::new("aexp-web");
    ar.record(T0, 4, Sound::Aac);
    let Archive { dir, lib, .. } = ar;
    drop(lib);
    let run = WebRun::start_in(dir, &["--for", "120s", "--web", "127.0.0.1:0"]);
    run.add_user("aexp-olga", "operator", "a long pass phrase 7");
    let op = run.sign_in("aexp-olga", "a long pass phrase 7");
    let out = tempfile::tempdir().expect("out");
    let range = format!("/api/export?camera=aexp-web&from={T0}&to={}", T0 + 3 * S);

    // format=mp4: the bare video.
    let (status, head, body) = run.curl_bytes(&format!("{range}&format=mp4"), &op.get());
    assert_eq!(status, 200, "{head}\n{}", run.stderr());
    let bare = out.path().join("bare.mp4");
    std::fs::write(&bare, body).expect("write");
    assert_picture_and_sound(&bare);

    // The default: a ZIP of the video and its manifest.
    let (status, head, body) = run.curl_bytes(&range, &op.get());
    assert_eq!(status, 200, "{head}");
    let zip = out.path().join("sealed.zip");
    std::fs::write(&zip, body).expect("write");
    let unpacked = out.path().join("sealed");
    let py = Command::new("python3")
        .args(["-m", "zipfile", "-e"])
        .arg(&zip)
        .arg(&unpacked)
        .output()
        .expect("python3 is installed");
    assert!(
        py.status.success(),
        "{}",
        String::from_utf8_lossy(&py.stderr)
    );
    let video = std::fs::read_dir(&unpacked)
        .expect("unpacked")
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "mp4"))
        .expect("the ZIP holds the MP4");
    assert_picture_and_sound(&video);
    run.finish();
}
