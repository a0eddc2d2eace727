//! The live feed with a real hub, tap and muxer: the wire header, dropping to the next
//! keyframe for a socket that does not keep up, and the thread ending with its socket or
//! its camera.

use std::time::{Duration, Instant};

use super::*;
use crate::packet::{Packet, SharedParams, StreamEvent, StreamInfo, VideoCodec};

fn started() -> StreamEvent {
    StreamEvent::Started(Arc::new(StreamInfo {
        codec: VideoCodec::H264,
        width: 64,
        height: 48,
        time_base: (1, 25),
        fps: Some(25.0),
        params: SharedParams::new(ffmpeg_next::codec::Parameters::new()),
    }))
}

/// A keyframe with its SPS/PPS in-band, or a P slice.
fn packet(n: i64, key: bool) -> StreamEvent {
    let mut data = Vec::new();
    if key {
        data.extend_from_slice(&[0, 0, 0, 1, 0x67, 0x42, 0xc0, 0x1e, 0xd9]);
        data.extend_from_slice(&[0, 0, 0, 1, 0x68, 0xce, 0x3c, 0x80]);
    }
    data.extend_from_slice(&[0, 0, 0, 1, if key { 0x65 } else { 0x41 }, 1, 2]);
    StreamEvent::Packet(Packet {
        data: Arc::from(data),
        pts: n,
        dts: n,
        duration: 1,
        keyframe: key,
        wall_us: n,
    })
}

/// What a message is, for comparisons: `init`, `f<decode time in frames>`, or the JSON.
fn kind(out: &Outgoing) -> String {
    match out {
        Outgoing::Init { json, segment } => {
            assert!(json.contains(r#""type":"init""#), "{json}");
            assert_eq!(segment[0], KIND_INIT);
            "init".into()
        }
        Outgoing::Fragment(b) => {
            assert_eq!(b[0], KIND_FRAGMENT);
            let dt = u64::from_be_bytes(b[9..17].try_into().unwrap());
            format!("f{}", dt / 3600)
        }
        Outgoing::Note(j) | Outgoing::Last(j) => j.clone(),
    }
}

#[test]
fn the_binary_header_is_kind_send_time_and_decode_time_big_endian() {
    let b = binary(KIND_FRAGMENT, -2, 0x0102_0304_0506_0708, b"moof");
    assert_eq!(b.len(), HEADER_LEN + 4);
    assert_eq!(b[0], 1);
    assert_eq!(&b[1..9], &(-2i64).to_be_bytes());
    assert_eq!(&b[9..17], &[1, 2, 3, 4, 5, 6, 7, 8]);
    assert_eq!(&b[17..], b"moof");
    let n: serde_json::Value = serde_json::from_str(&note("ended", "a \"b\"")).unwrap();
    assert_eq!(n["type"], "ended");
    assert_eq!(n["reason"], "a \"b\"");
}

#[test]
fn a_socket_that_falls_behind_skips_to_the_next_keyframe_with_what_was_held_back() {
    let hub = LiveHub::new();
    let tap = hub.tap("cam");
    let mut watch = hub.watch_packets("cam").unwrap();
    let (tx, mut rx) = mpsc::channel(4);
    let mut sender = Sender::new(tx);
    let mut feed = |events: &[StreamEvent]| {
        for ev in events {
            tap.offer(ev);
        }
        while let Some(chunk) = watch.try_next() {
            let key = matches!(&chunk, LiveChunk::Fragment(f) if f.keyframe);
            sender.offer(encode(chunk, 7), key).unwrap();
        }
    };
    // init, f0..f2 fill the channel of 4; f3..f5 are dropped; the stream restarts (its
    // ended note is superseded by the new init, which is held back).
    feed(&[
        started(),
        packet(0, true),
        packet(1, false),
        packet(2, false),
    ]);
    feed(&[packet(3, false), packet(4, true), StreamEvent::Ended]);
    feed(&[started(), packet(5, true)]);
    let first: Vec<String> = std::iter::from_fn(|| rx.try_recv().ok())
        .map(|o| kind(&o))
        .collect();
    assert_eq!(first, ["init", "f0", "f1", "f2"]);
    feed(&[packet(6, false)]);
    assert!(rx.try_recv().is_err(), "no keyframe yet: nothing is sent");
    // The next keyframe is sent after the init held back, and then everything again.
    feed(&[packet(7, true), packet(8, false)]);
    let then: Vec<String> = std::iter::from_fn(|| rx.try_recv().ok())
        .map(|o| kind(&o))
        .collect();
    assert_eq!(then, ["init", "f7", "f8"]);
    assert_eq!(sender.dropped, 4);
}

fn wait(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting: {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn the_thread_ends_with_its_socket_and_says_when_its_camera_is_removed() {
    let hub = LiveHub::new();
    let tap = hub.tap("cam");
    let (tx, rx) = mpsc::channel(QUEUE);
    let feed = start(hub.clone(), hub.watch_packets("cam").unwrap(), tx).unwrap();
    assert_eq!(tap.subscribers(), 1);
    drop(rx);
    wait("the feed left when its socket did", || {
        tap.subscribers() == 0
    });
    drop(feed);

    let (tx, mut rx) = mpsc::channel(QUEUE);
    let _feed = start(hub.clone(), hub.watch_packets("cam").unwrap(), tx).unwrap();
    tap.offer(&started());
    tap.offer(&packet(0, true));
    hub.forget("cam");
    let mut got = Vec::new();
    wait("the feed said the camera is gone", || {
        while let Ok(out) = rx.try_recv() {
            got.push(out);
        }
        matches!(got.last(), Some(Outgoing::Last(_)))
    });
    assert_eq!(kind(&got[0]), "init");
    assert_eq!(kind(&got[1]), "f0");
    assert!(kind(&got[2]).contains("was removed"), "{got:?}");
    wait("the feed left", || tap.subscribers() == 0);
}
