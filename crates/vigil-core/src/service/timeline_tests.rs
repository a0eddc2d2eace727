//! [`TimelineFeed`] against a real SQLite library in a temporary folder, rows written through
//! the library's own API from another connection (as the recorder does): the feed answers
//! the query it was given, answers again when rows are added, and wakes its caller.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::*;
use crate::library::timeline::tests::{continuous, library, S, T0};

/// Polls `cond` every 5 ms; panics saying `what` after 20 s.
fn poll(what: &str, mut cond: impl FnMut() -> bool) {
    let end = Instant::now() + Duration::from_secs(20);
    while !cond() {
        assert!(Instant::now() < end, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn counter() -> (Arc<AtomicUsize>, Repaint) {
    let n = Arc::new(AtomicUsize::new(0));
    let w = Arc::clone(&n);
    (
        n,
        Arc::new(move || {
            w.fetch_add(1, Ordering::SeqCst);
        }),
    )
}

fn window(cam: i64, from_us: i64, to_us: i64) -> TimelineQuery {
    TimelineQuery {
        camera_ids: vec![cam],
        from_us,
        to_us,
        min_gap_us: S,
    }
}

#[test]
fn answers_the_query_then_again_when_rows_are_added_and_wakes_the_caller() {
    let (dir, mut lib, cam) = library();
    continuous(&mut lib, cam, T0, T0 + 60 * S);
    let (woken, wake) = counter();
    let feed = TimelineFeed::open(dir.path(), Some(wake)).expect("feed");
    assert!(feed.latest().is_none(), "nothing asked yet");
    let q = window(cam, T0, T0 + 3600 * S);
    feed.set_query(q.clone());
    poll("the first answer", || feed.latest().is_some());
    let first = feed.latest().expect("answer");
    assert_eq!(first.query, q);
    let row = first.timeline.camera(cam).expect("the camera's row");
    assert_eq!(row.continuous.len(), 1);
    assert_eq!(row.continuous[0].end_us, T0 + 60 * S);
    assert!(woken.load(Ordering::SeqCst) >= 1, "the caller was woken");
    let woken_before = woken.load(Ordering::SeqCst);

    // The recorder indexes another segment after a gap: the feed reads the query again.
    continuous(&mut lib, cam, T0 + 120 * S, T0 + 180 * S);
    poll("an answer with the new segment", || {
        feed.latest().is_some_and(|a| {
            a.generation > first.generation
                && a.timeline
                    .camera(cam)
                    .is_some_and(|r| r.continuous.len() == 2)
        })
    });
    assert!(woken.load(Ordering::SeqCst) > woken_before);
    assert!(feed.error().is_none());
}

#[test]
fn a_newer_query_is_answered_and_the_library_alone_does_not_change_an_answer() {
    let (dir, mut lib, cam) = library();
    continuous(&mut lib, cam, T0, T0 + 60 * S);
    let feed = TimelineFeed::open(dir.path(), None).expect("feed");
    let (woken, wake) = counter();
    feed.set_repaint(wake);
    feed.set_query(window(cam, T0, T0 + 3600 * S));
    let narrow = window(cam, T0 + 30 * S, T0 + 40 * S);
    feed.set_query(narrow.clone());
    poll("the answer to the newer query", || {
        feed.latest().is_some_and(|a| a.query == narrow)
    });
    let row = feed.latest().expect("answer").timeline.camera(cam).cloned();
    let row = row.expect("the camera's row");
    assert_eq!(row.continuous.len(), 1);
    assert_eq!(
        row.continuous[0].start_us,
        T0 + 30 * S,
        "clipped to the window"
    );
    assert!(woken.load(Ordering::SeqCst) >= 1);
    // Nothing changed: two idle re-checks later the answer is the same one.
    let generation = feed.latest().expect("answer").generation;
    std::thread::sleep(RECHECK * 2 + Duration::from_millis(200));
    assert_eq!(feed.latest().expect("answer").generation, generation);
}

#[test]
fn a_library_that_cannot_be_opened_is_an_error_in_words() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("not-a-folder");
    std::fs::write(&file, b"x").expect("file");
    let (woken, wake) = counter();
    let feed = TimelineFeed::open(&file, Some(wake)).expect("feed");
    poll("the error", || feed.error().is_some());
    assert!(feed.latest().is_none());
    assert_eq!(woken.load(Ordering::SeqCst), 1, "woken to show the error");
}
