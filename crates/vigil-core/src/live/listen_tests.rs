//! Live listening through a camera's tap with real AAC packets (read from a file the `ffmpeg`
//! CLI makes): the listener decodes them to the format asked, stamped from the packets' wall
//! times; video packets and a listener that never reads change nothing for the other
//! subscribers (the recorder's side); dropping the handle leaves the tap.

use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::live::test_stream;
use crate::live::LiveHub;
use crate::media::audio_decode::AudioBlock;
use crate::packet::{AudioCodec, AudioInfo, Packet, SharedParams, StreamEvent, StreamInfo};

const T0: i64 = 1_800_000_000_000_000;

/// Waits for `ok` (checked every 5 ms) for at most 20 s.
fn wait_until(mut ok: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if ok() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    ok()
}

/// A real AAC stream: its `Started` (video fields from the test stream) and audio packets.
fn aac_stream(dir: &Path) -> (StreamEvent, Vec<Packet>) {
    let path = dir.join("tone.m4a");
    let status = Command::new("ffmpeg")
        .args(["-v", "error", "-y", "-f", "lavfi", "-i"])
        .arg("sine=f=440:r=16000:duration=2")
        .args(["-c:a", "aac"])
        .arg(&path)
        .status()
        .expect("ffmpeg runs");
    assert!(status.success());
    let mut input = ffmpeg_next::format::input(&path).expect("opens");
    let st = input
        .streams()
        .best(ffmpeg_next::media::Type::Audio)
        .expect("audio");
    let (index, tb) = (st.index(), st.time_base());
    let audio = AudioInfo {
        codec: AudioCodec::Aac,
        sample_rate: 16_000,
        channels: 1,
        time_base: (tb.numerator(), tb.denominator()),
        params: SharedParams::new(st.parameters()),
    };
    let mut packets = Vec::new();
    for (s, p) in input.packets() {
        if s.index() != index {
            continue;
        }
        let pts = p.pts().unwrap_or(0);
        packets.push(Packet {
            data: Arc::from(p.data().unwrap_or_default()),
            pts,
            dts: p.dts().unwrap_or(pts),
            duration: p.duration(),
            keyframe: true,
            wall_us: T0 + audio.ticks_to_us(pts),
        });
    }
    let StreamEvent::Started(video) = test_stream::started() else {
        unreachable!("the test stream starts with Started")
    };
    let info = StreamInfo {
        audio: Some(Arc::new(audio)),
        ..(*video).clone()
    };
    (StreamEvent::Started(Arc::new(info)), packets)
}

#[test]
fn a_listener_decodes_real_aac_from_the_tap() {
    let dir = tempfile::tempdir().expect("dir");
    let (started, packets) = aac_stream(dir.path());
    let hub = LiveHub::new();
    let tap = hub.tap("lsn-aac");
    tap.offer(&started);
    let listener = hub.listen("lsn-aac", 48_000, 2, None).expect("listens");
    for (i, p) in packets.iter().enumerate() {
        tap.offer(&StreamEvent::Audio(p.clone()));
        // Pictures go by too; a listener takes none.
        tap.offer(&test_stream::packet(i as i64, i % 25 == 0));
    }
    let mut blocks: Vec<AudioBlock> = Vec::new();
    let all = wait_until(|| {
        blocks.extend(listener.take_blocks());
        let frames: usize = blocks.iter().map(AudioBlock::frames).sum();
        frames as f64 / 48_000.0 > 1.9
    });
    assert!(all, "2 s of sound decoded ({} blocks)", blocks.len());
    assert!(blocks.iter().all(|b| b.rate == 48_000 && b.channels == 2));
    let state = listener.state();
    assert_eq!(state.codec.as_deref(), Some("aac"));
    assert_eq!(state.problem, None);
    assert_eq!(state.dropped, 0);
    assert!(
        (blocks[0].wall_us - T0).abs() < 100_000,
        "{}",
        blocks[0].wall_us - T0
    );
    assert!(blocks.windows(2).all(|w| w[1].wall_us > w[0].wall_us));
    let peak = blocks.iter().map(AudioBlock::peak).fold(0.0, f32::max);
    assert!((0.09..0.2).contains(&peak), "the tone's level: {peak}");
    assert_eq!(tap.subscribers(), 1);
    listener.stop();
    assert_eq!(tap.subscribers(), 0, "the handle's end leaves the tap");
}

#[test]
fn a_listener_that_never_reads_never_holds_up_the_others() {
    let dir = tempfile::tempdir().expect("dir");
    let (started, packets) = aac_stream(dir.path());
    let hub = LiveHub::new();
    let tap = hub.tap("lsn-slow");
    let listener = hub.listen("lsn-slow", 48_000, 2, None).expect("listens");
    // Another consumer that keeps up, as the recorder's feed does.
    let (tx, rx) = crossbeam_channel::bounded(100_000);
    tap.subscribe(tx);
    tap.offer(&started);
    let began = Instant::now();
    let rounds = 40;
    for round in 0..rounds {
        for p in &packets {
            tap.offer(&StreamEvent::Audio(p.clone()));
        }
        tap.offer(&test_stream::packet(round, true));
    }
    assert!(
        began.elapsed() < Duration::from_secs(5),
        "offering never waits for the listener ({:?})",
        began.elapsed()
    );
    let pictures = rx
        .try_iter()
        .filter(|e| matches!(e, StreamEvent::Packet(_)))
        .count();
    assert_eq!(
        pictures, rounds as usize,
        "every picture reached the other consumer"
    );
    assert!(
        wait_until(|| listener.state().dropped > 0),
        "the listener's full queue drops blocks: {:?}",
        listener.state()
    );
    drop(listener);
    assert_eq!(tap.subscribers(), 1, "a dropped handle leaves the tap");
}

#[test]
fn a_camera_without_sound_says_so() {
    let hub = LiveHub::new();
    let tap = hub.tap("lsn-mute");
    let listener = hub.listen("lsn-mute", 48_000, 2, None).expect("listens");
    tap.offer(&test_stream::started());
    assert!(wait_until(|| listener.state().problem.is_some()));
    assert_eq!(
        listener.state().problem.as_deref(),
        Some("the camera sends no sound")
    );
    assert!(hub.listen("lsn-nobody", 48_000, 2, None).is_err());
}
