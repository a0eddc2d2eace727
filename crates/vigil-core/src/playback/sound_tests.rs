//! A player's sound over a real recording with AAC (stream 1, made by the `ffmpeg` CLI and
//! indexed in a library): at 1× the listened camera's sound comes out in time order, a
//! little ahead of the playhead; paused, at 2×, or listening to nobody there is none, and
//! every cut is counted so the viewer empties its output.

use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::SOUND_LEAD_US;
use crate::library::{FinishedSegment, Library};
use crate::media::audio_decode::AudioBlock;
use crate::model::{CameraName, NewCamera, Policy, SegmentKind, Transport};
use crate::playback::{ManualClock, Player, PlayerOptions};

const T0: i64 = 1_750_000_000_000_000;

fn poll(what: &str, mut cond: impl FnMut() -> bool) {
    let end = Instant::now() + Duration::from_secs(20);
    while !cond() {
        assert!(Instant::now() < end, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// A library with one camera and one 4-s segment with video and a 440 Hz AAC tone.
fn library() -> (tempfile::TempDir, i64) {
    let dir = tempfile::tempdir().expect("dir");
    let mut lib = Library::open(dir.path()).expect("library");
    let cam = NewCamera {
        name: CameraName::parse("snd-play").expect("name"),
        url: "rtsp://127.0.0.1:1/x".into(),
        detect_url: None,
        transport: Transport::Tcp,
        enabled: true,
        audio: true,
    };
    let id = lib.add_camera(&cam, &Policy::default()).expect("camera").id;
    let rel = "recordings/snd-play/seg.mp4".to_string();
    let path = lib.absolute(&rel);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    let status = Command::new("ffmpeg")
        .args(["-v", "error", "-y", "-f", "lavfi", "-i"])
        .arg("testsrc2=size=160x120:rate=25:duration=4")
        .args(["-f", "lavfi", "-i", "sine=f=440:r=16000:duration=4"])
        .args(["-c:v", "libx264", "-g", "25", "-c:a", "aac"])
        .args(["-movflags", "+frag_keyframe+empty_moov+default_base_moof"])
        .arg(&path)
        .status()
        .expect("ffmpeg runs");
    assert!(status.success());
    let bytes = std::fs::metadata(&path).expect("file").len();
    lib.finish_segment(&FinishedSegment {
        camera_id: id,
        kind: SegmentKind::Continuous,
        start_us: T0,
        end_us: T0 + 4_000_000,
        rel_path: rel,
        bytes,
        codec: "h264".into(),
        width: 160,
        height: 120,
        frames: 100,
        event_id: None,
        audio_codec: Some("aac".into()),
    })
    .expect("segment row");
    (dir, id)
}

/// Moves the clock `us` in 20 ms steps, letting the player catch up at each; returns the
/// sound it handed out meanwhile.
fn run(player: &Player, clock: &ManualClock, us: i64) -> Vec<AudioBlock> {
    let mut got = Vec::new();
    for _ in 0..us / 20_000 {
        let before = player.state();
        clock.advance(20_000);
        if before.playing {
            poll("the player to follow the clock", || {
                player.state().position_us > before.position_us
            });
        }
        got.extend(player.take_sound());
    }
    got.extend(player.take_sound());
    got
}

#[test]
fn sound_plays_at_normal_speed_only_and_every_cut_is_counted() {
    let (dir, id) = library();
    let clock = Arc::new(ManualClock::new());
    let mut opts = PlayerOptions::new(160, 120);
    opts.clock = clock.clone();
    opts.sound_format = (48_000, 2);
    let player = Player::open(dir.path(), &[id], T0, opts).expect("player");
    poll("the picture", || player.latest(id).is_some());
    assert_eq!(player.state().tracks[0].sound.as_deref(), Some("aac"));

    // Nobody listened to: no sound while playing. (Each command is waited for in the
    // published state: `run` moves the clock only as fast as the player follows it.)
    player.play().expect("play");
    poll("playing", || player.state().playing);
    assert!(run(&player, &clock, 200_000).is_empty(), "nobody listens");

    // The camera listened to, at 1×: its sound, in order, from the playhead on.
    let cuts = player.sound_flushes();
    player.set_sound(Some(id)).expect("listen");
    poll("the cut", || player.sound_flushes() > cuts);
    let from = player.state().position_us;
    let heard = run(&player, &clock, 1_000_000);
    assert!(!heard.is_empty(), "sound at 1×");
    assert!(heard.iter().all(|b| b.rate == 48_000 && b.channels == 2));
    assert!(heard.windows(2).all(|w| w[1].wall_us > w[0].wall_us));
    assert!(
        (heard[0].wall_us - from).abs() < 100_000,
        "the first block plays where the playhead was: {} µs off",
        heard[0].wall_us - from
    );
    let now = player.state().position_us;
    let last = heard.last().expect("blocks");
    assert!(
        last.wall_us < now + SOUND_LEAD_US,
        "never more than the lead ahead"
    );
    let secs: f64 = heard.iter().map(|b| b.frames() as f64 / 48_000.0).sum();
    assert!(
        (0.9..1.5).contains(&secs),
        "{secs} s of sound for 1 s played"
    );
    let peak = heard.iter().map(AudioBlock::peak).fold(0.0, f32::max);
    assert!(peak > 0.09, "the tone is heard: {peak}");

    // 2×: a cut, then silence.
    let cuts = player.sound_flushes();
    player.set_speed(2.0).expect("2×");
    poll("the cut at 2×", || player.sound_flushes() > cuts);
    let _ = player.take_sound();
    assert!(run(&player, &clock, 300_000).is_empty(), "muted at 2×");

    // Back to 1×, then paused: a cut, then silence.
    player.set_speed(1.0).expect("1×");
    poll("1×", || (player.state().speed - 1.0).abs() < 1e-9);
    assert!(
        !run(&player, &clock, 200_000).is_empty(),
        "sound again at 1×"
    );
    let cuts = player.sound_flushes();
    player.pause().expect("pause");
    poll("the cut on pause", || player.sound_flushes() > cuts);
    let _ = player.take_sound();
    assert!(run(&player, &clock, 200_000).is_empty(), "paused: no sound");

    // A seek cuts too.
    let cuts = player.sound_flushes();
    player.seek(T0 + 500_000).expect("seek");
    poll("the cut on seek", || player.sound_flushes() > cuts);
}
