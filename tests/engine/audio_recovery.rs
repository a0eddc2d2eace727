//! Sound through a crash: a recorder killed with SIGKILL mid-recording and a file left
//! without its trailer are indexed at the next start with their sound (`audio_codec`), and
//! what the crash left plays with both tracks.

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use vigil_core::library::{Library, SegmentQuery};
use vigil_core::media::file_events::read_connection;
use vigil_core::model::{Policy, RecordMode};
use vigil_core::packet::StreamEvent;

use crate::audio_record::{media, policy, recorder, start_wall};
use crate::common::demo_camera;

const CRASH_DIR: &str = "VIGIL_AREC_CRASH_DIR";
const CRASH_MEDIA: &str = "VIGIL_AREC_CRASH_MEDIA";

/// The child process of [`a_recording_with_sound_survives_kill_9`]: records the file at
/// its own pace into the library named by the environment until it is killed.
#[test]
#[ignore = "the child process of a_recording_with_sound_survives_kill_9"]
fn kill_9_child() {
    let dir = PathBuf::from(std::env::var(CRASH_DIR).expect("run by the kill -9 test"));
    let media = PathBuf::from(std::env::var(CRASH_MEDIA).expect("run by the kill -9 test"));
    let lib = Library::open(&dir).expect("library");
    let cam = lib.cameras().expect("cameras").remove(0);
    drop(lib);
    let t0 = vigil_core::model::time::now_us();
    let conn = read_connection(&media, t0, true).expect("read");
    let (tx, _activity, _thread, _status) = recorder(
        &dir,
        cam.id,
        "arec-kill9",
        policy(RecordMode::Continuous, 600),
    );
    let send = |ev| assert!(tx.send_timeout(ev, Duration::from_secs(10)).is_ok());
    send(StreamEvent::Started(conn.info.clone()));
    for (audio, p) in &conn.packets {
        // Live pace: each packet when the camera would have sent it.
        let due = p.wall_us - vigil_core::model::time::now_us();
        if due > 0 {
            std::thread::sleep(Duration::from_micros(due as u64));
        }
        send(if *audio {
            StreamEvent::Audio(p.clone())
        } else {
            StreamEvent::Packet(p.clone())
        });
    }
    // The camera is still connected; the parent kills this process.
    std::thread::sleep(Duration::from_secs(600));
}

#[test]
fn a_recording_with_sound_survives_kill_9() {
    let work = tempfile::tempdir().expect("work dir");
    let file = media(work.path(), "kill9.mp4", 30, 16_000, &["-c:a", "aac"]);
    let dir = tempfile::tempdir().expect("temp dir");
    let mut lib = Library::open(dir.path()).expect("library");
    lib.add_camera(&demo_camera("arec-kill9"), &Policy::default())
        .expect("camera");
    drop(lib);
    let mut child = Command::new(std::env::current_exe().expect("test binary"))
        .args(["audio_recovery::kill_9_child", "--exact", "--ignored"])
        .env(CRASH_DIR, dir.path())
        .env(CRASH_MEDIA, &file)
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("child");
    // Recording for a while: a few fragments (one a second) with both tracks on disk.
    let recording = crate::common::wait_until(Duration::from_secs(30), || {
        crate::common::mp4_files(dir.path())
            .iter()
            .any(|f| std::fs::metadata(f).is_ok_and(|m| m.len() > 100_000))
    });
    child.kill().expect("kill -9");
    let _ = child.wait();
    assert!(recording, "the child recorded nothing");
    let mut lib = Library::open(dir.path()).expect("library");
    assert!(lib
        .segments(&SegmentQuery::default())
        .expect("rows")
        .is_empty());
    let report = lib.recover_journal().expect("recovery");
    assert_eq!(report.indexed, 1, "{report:?}");
    let segs = lib.segments(&SegmentQuery::default()).expect("segments");
    assert_eq!(segs[0].audio_codec.as_deref(), Some("aac"), "{segs:?}");
    // What the crash left plays, both tracks (the last fragment may be cut short).
    let out = Command::new("ffprobe")
        .args(["-v", "quiet", "-show_entries", "stream=codec_type"])
        .args(["-of", "csv=p=0", &segs[0].path])
        .output()
        .expect("run ffprobe");
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "video\naudio");
}

#[test]
fn a_file_left_without_its_trailer_is_indexed_with_its_sound() {
    use vigil_core::media::fmp4::SegmentWriter;
    use vigil_core::model::SegmentKind;
    let work = tempfile::tempdir().expect("work dir");
    let file = media(work.path(), "crash.mp4", 4, 16_000, &["-c:a", "aac"]);
    let t0 = start_wall();
    let conn = read_connection(&file, t0, true).expect("read");
    let dir = tempfile::tempdir().expect("temp dir");
    let mut lib = Library::open(dir.path()).expect("library");
    let cam = lib
        .add_camera(&demo_camera("arec-crash"), &Policy::default())
        .expect("camera");
    let rel = format!("recordings/cam-{}/crash.mp4", cam.id);
    lib.begin_segment(cam.id, SegmentKind::Continuous, t0, &rel)
        .expect("journal");
    let mut w = SegmentWriter::create(&lib.absolute(&rel), &conn.info).expect("writer");
    for (audio, p) in &conn.packets {
        if *audio {
            w.write_audio(p).expect("audio");
        } else {
            w.write(p).expect("video");
        }
    }
    // The process dies here: no trailer, no row; the fragments written are on disk.
    drop(w);
    let report = lib.recover_journal().expect("recovery");
    assert_eq!(report.indexed, 1, "{report:?}");
    let segs = lib.segments(&SegmentQuery::default()).expect("segments");
    assert_eq!(segs.len(), 1);
    assert_eq!(segs[0].audio_codec.as_deref(), Some("aac"));
}
