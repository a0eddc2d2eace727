//! The fan-out with a real hub, tap, watch and muxer: one packaging shared (pointer-equal)
//! by all viewers, the wire header, a stalled viewer skipping to a keyframe while a fast one
//! gets every fragment, late joiners, and the packager ending with its last viewer or its
//! camera.

use std::time::{Duration, Instant};

use super::wire::{binary, note, HEADER_LEN, KIND_FRAGMENT, KIND_INIT};
use super::*;
use crate::live::test_stream::{packet, started};
use crate::packet::StreamEvent;

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
        Outgoing::Note(j) | Outgoing::Last(j) => j.to_string(),
    }
}

fn wait(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting: {what}");
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Reads `rx` until it holds `n` messages (or fails after 5 s).
fn take(rx: &mut mpsc::Receiver<Outgoing>, n: usize) -> Vec<Outgoing> {
    let mut got = Vec::new();
    wait(&format!("{n} messages"), || {
        while let Ok(out) = rx.try_recv() {
            got.push(out);
        }
        got.len() >= n
    });
    assert_eq!(
        got.len(),
        n,
        "{:?}",
        got.iter().map(kind).collect::<Vec<_>>()
    );
    got
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
fn two_viewers_of_a_tap_share_one_packaging_of_each_packet() {
    let hub = LiveHub::new();
    let tap = hub.tap("cam");
    assert!(matches!(
        hub.view("nope", LiveStream::Main),
        Err(LiveError::UnknownCamera(_))
    ));
    let (_a, mut rx_a) = hub.view("cam", LiveStream::Main).unwrap();
    let (_b, mut rx_b) = hub.view("cam", LiveStream::Main).unwrap();
    assert_eq!(tap.subscribers(), 1, "one packager subscribed for both");
    tap.offer(&started());
    for n in 0..5 {
        tap.offer(&packet(n, n == 0));
    }
    let (a, b) = (take(&mut rx_a, 6), take(&mut rx_b, 6));
    let kinds: Vec<String> = a.iter().map(kind).collect();
    assert_eq!(kinds, ["init", "f0", "f1", "f2", "f3", "f4"]);
    for (x, y) in a.iter().zip(&b) {
        let (x, y) = match (x, y) {
            (Outgoing::Fragment(x), Outgoing::Fragment(y)) => (x, y),
            (Outgoing::Init { segment: x, .. }, Outgoing::Init { segment: y, .. }) => (x, y),
            other => panic!("different messages: {other:?}"),
        };
        assert_eq!(x.as_ptr(), y.as_ptr(), "the same bytes, not a copy");
    }
    let stats = hub.fanout_stats("cam", LiveStream::Main).unwrap();
    assert_eq!(
        stats,
        FanoutStats {
            viewers: 2,
            packaged: 5
        }
    );
}

#[test]
fn a_stalled_viewer_skips_to_a_keyframe_while_a_fast_one_gets_every_fragment() {
    let hub = LiveHub::new();
    let tap = hub.tap("cam");
    let (_fast, mut fast) = hub.view("cam", LiveStream::Main).unwrap();
    let (_slow, mut slow) = hub.view("cam", LiveStream::Main).unwrap();
    tap.offer(&started());
    // 2 × QUEUE frames, a keyframe every 10, offered no faster than the fast viewer reads.
    let frames = 2 * QUEUE as i64;
    let mut got = Vec::new();
    for n in 0..frames {
        tap.offer(&packet(n, n % 10 == 0));
        got.extend(take(&mut fast, if n == 0 { 2 } else { 1 }));
    }
    let expected: Vec<String> = std::iter::once("init".to_string())
        .chain((0..frames).map(|n| format!("f{n}")))
        .collect();
    assert_eq!(got.iter().map(kind).collect::<Vec<_>>(), expected);
    // The stalled viewer's queue holds the init and the first QUEUE − 1 fragments only.
    let held = take(&mut slow, QUEUE);
    assert_eq!(kind(&held[QUEUE - 1]), format!("f{}", QUEUE - 2));
    assert!(slow.try_recv().is_err());
    // Reading again, it resumes at the next keyframe; the fast one never missed one.
    let next_key = (frames + 9) / 10 * 10;
    for n in frames..=next_key {
        tap.offer(&packet(n, n % 10 == 0));
        take(&mut fast, 1);
    }
    assert_eq!(kind(&take(&mut slow, 1)[0]), format!("f{next_key}"));
}

#[test]
fn a_late_joiner_gets_the_current_init_then_the_next_keyframe_and_times_go_on() {
    let hub = LiveHub::new();
    let tap = hub.tap("cam");
    let (_first, mut first) = hub.view("cam", LiveStream::Main).unwrap();
    tap.offer(&started());
    for n in 0..3 {
        tap.offer(&packet(n, n == 0));
    }
    take(&mut first, 4);
    let (_late, mut late) = hub.view("cam", LiveStream::Main).unwrap();
    tap.offer(&packet(3, false));
    tap.offer(&packet(4, true));
    take(&mut first, 2);
    let got: Vec<String> = take(&mut late, 2).iter().map(kind).collect();
    assert_eq!(got, ["init", "f4"]);
    // The camera reconnects with its timestamps from zero: the timeline goes on.
    tap.offer(&StreamEvent::Ended);
    tap.offer(&started());
    tap.offer(&packet(0, true));
    let got: Vec<String> = take(&mut late, 3).iter().map(kind).collect();
    assert!(got[0].contains(r#""type":"ended""#), "{got:?}");
    assert_eq!(got[1..], ["init", "f5"]);
}

#[test]
fn the_packager_stops_with_its_last_viewer_and_ends_its_viewers_when_the_camera_goes() {
    let hub = LiveHub::new();
    let tap = hub.tap("stopme");
    let (a, _rx_a) = hub.view("stopme", LiveStream::Main).unwrap();
    let (b, _rx_b) = hub.view("stopme", LiveStream::Main).unwrap();
    wait("one packager thread for both", || {
        threads_named("live-fan-stopme") == 1
    });
    drop(a);
    assert_eq!(tap.subscribers(), 1);
    drop(b);
    assert_eq!(tap.subscribers(), 0, "the last viewer left the tap");
    assert!(hub.fanout_stats("stopme", LiveStream::Main).is_none());
    wait("the packager thread ended", || {
        threads_named("live-fan-stopme") == 0
    });

    let (_viewer, mut rx) = hub.view("stopme", LiveStream::Main).unwrap();
    tap.offer(&started());
    tap.offer(&packet(0, true));
    hub.forget("stopme");
    let got = take(&mut rx, 3);
    assert_eq!(kind(&got[0]), "init");
    assert_eq!(kind(&got[1]), "f0");
    assert!(
        matches!(&got[2], Outgoing::Last(j) if j.contains("was removed")),
        "{got:?}"
    );
    wait("the queue closed", || rx.is_closed());
    assert_eq!(tap.subscribers(), 0);
    assert!(hub.view("stopme", LiveStream::Main).is_err());
}

/// Threads of this process named `name`.
fn threads_named(name: &str) -> usize {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return 0;
    };
    tasks
        .flatten()
        .filter(|t| std::fs::read_to_string(t.path().join("comm")).is_ok_and(|c| c.trim() == name))
        .count()
}
