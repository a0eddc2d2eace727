//! Labelled gaps: the labelling and its priority on hand-made intervals, then
//! `Library::gaps` on a real SQLite library (segments, the gap log, recorder runs, a
//! retention sweep).

use super::*;
use crate::library::gap_log::GapCondition;
use crate::library::timeline::tests::{continuous, library, r, S, T0};
use crate::model::Policy;

const MIN: i64 = 60 * S;

fn ex(start_us: i64, end_us: i64, cause: GapCause, detail: &str) -> Explained {
    Explained {
        start_us,
        end_us,
        cause,
        detail: detail.into(),
    }
}

fn offline() -> GapCause {
    GapCause::Condition(GapCondition::Offline)
}

fn keys(gaps: &[Gap]) -> Vec<(i64, i64, &'static str)> {
    gaps.iter()
        .map(|g| (g.start_us, g.end_us, g.cause.key()))
        .collect()
}

#[test]
fn the_complement_keeps_only_holes_longer_than_the_minimum() {
    let rec = [r(10, 20), r(21, 30), r(50, 60)];
    assert_eq!(
        complement(&rec, 0, 100, 1),
        vec![r(0, 10), r(30, 50), r(60, 100)]
    );
    assert_eq!(complement(&rec, 15, 55, 0), vec![r(20, 21), r(30, 50)]);
    assert_eq!(complement(&[], 0, 5, 0), vec![r(0, 5)]);
    assert!(complement(&[r(0, 100)], 10, 90, 0).is_empty());
}

#[test]
fn the_highest_priority_explanation_wins_each_piece() {
    let hole = [r(0, 100 * S)];
    let deleted = GapCause::Deleted {
        reason: DeletionReason::RetentionAge,
        by_user: None,
        at_us: 5,
    };
    let explained = vec![
        // Events only over everything: the lowest of these.
        ex(
            0,
            100 * S,
            GapCause::Condition(GapCondition::EventsOnly),
            "",
        ),
        // Offline from 20 s to 60 s, a deletion from 40 s to 50 s above it.
        ex(20 * S, 60 * S, offline(), "connection refused"),
        ex(40 * S, 50 * S, deleted.clone(), ""),
        // Paused from 50 s to 80 s: under offline, above events only.
        ex(
            50 * S,
            80 * S,
            GapCause::Condition(GapCondition::Paused),
            "",
        ),
    ];
    let gaps = label(&hole, explained);
    assert_eq!(
        keys(&gaps),
        vec![
            (0, 20 * S, "events-only"),
            (20 * S, 40 * S, "offline"),
            (40 * S, 50 * S, "deleted"),
            (50 * S, 60 * S, "offline"),
            (60 * S, 80 * S, "paused"),
            (80 * S, 100 * S, "events-only"),
        ]
    );
    assert_eq!(gaps[1].detail, "connection refused");
    assert_eq!(
        gaps[1].reason(|t| t.to_string()),
        "camera offline: connection refused"
    );
    assert_eq!(
        gaps[2].reason(|t| format!("t{t}")),
        "deleted by retention (older than the camera keeps) at t5"
    );
}

#[test]
fn the_order_is_deleted_offline_disk_overloaded_paused_events_not_running() {
    let order = [
        GapCause::Deleted {
            reason: DeletionReason::Person,
            by_user: Some("ana".into()),
            at_us: 1,
        },
        GapCause::Condition(GapCondition::Offline),
        GapCause::Condition(GapCondition::DiskFull),
        GapCause::Condition(GapCondition::Overloaded),
        GapCause::Condition(GapCondition::Paused),
        GapCause::Condition(GapCondition::EventsOnly),
        GapCause::NotRunning {
            stopped_us: Some(1),
            last_seen_us: 1,
        },
    ];
    // Each cause over the whole hole with everything below it: it wins.
    for (i, winner) in order.iter().enumerate() {
        let explained = order[i..]
            .iter()
            .rev()
            .map(|c| ex(0, 10 * S, c.clone(), ""))
            .collect();
        let gaps = label(&[r(0, 10 * S)], explained);
        assert_eq!(gaps.len(), 1);
        assert_eq!(&gaps[0].cause, winner, "with causes from {i} on");
    }
}

#[test]
fn short_unexplained_pieces_join_their_neighbour_and_long_ones_stay() {
    // Offline until 100 s, then 4 s unexplained (the first keyframe): one offline gap.
    let gaps = label(&[r(0, 104 * S)], vec![ex(0, 100 * S, offline(), "gone")]);
    assert_eq!(keys(&gaps), vec![(0, 104 * S, "offline")]);
    // 4 s unexplained before a pause: the pause's.
    let gaps = label(
        &[r(0, 50 * S)],
        vec![ex(
            4 * S,
            50 * S,
            GapCause::Condition(GapCondition::Paused),
            "",
        )],
    );
    assert_eq!(keys(&gaps), vec![(0, 50 * S, "paused")]);
    // A minute unexplained stays unexplained.
    let gaps = label(&[r(0, 160 * S)], vec![ex(0, 100 * S, offline(), "gone")]);
    assert_eq!(
        keys(&gaps),
        vec![(0, 100 * S, "offline"), (100 * S, 160 * S, "unknown")]
    );
    // Nothing at all: no record of why.
    let gaps = label(&[r(0, 5 * S)], Vec::new());
    assert_eq!(keys(&gaps), vec![(0, 5 * S, "unknown")]);
    assert_eq!(gaps[0].reason(|t| t.to_string()), "no record of why");
}

#[test]
fn the_library_labels_offline_not_running_and_retention() {
    let (_dir, mut lib, cam) = library();
    // Run 1 from T0: recorded 0–10 min, offline 10–15 min, recorded 15–20, stopped at 20.
    let run = lib.begin_run(T0).expect("run");
    continuous(&mut lib, cam, T0, T0 + 10 * MIN);
    let id = lib
        .open_gap(
            cam,
            T0 + 10 * MIN,
            GapCondition::Offline,
            "the camera refused the connection",
        )
        .expect("open");
    lib.close_gap(id, T0 + 15 * MIN).expect("close");
    continuous(&mut lib, cam, T0 + 15 * MIN, T0 + 20 * MIN);
    lib.end_run(run, T0 + 20 * MIN).expect("end");
    // Run 2 from 30 min, crashes: last seen at 40 min, with the camera offline since 35.
    let run = lib.begin_run(T0 + 30 * MIN).expect("run 2");
    continuous(&mut lib, cam, T0 + 30 * MIN, T0 + 35 * MIN);
    lib.open_gap(
        cam,
        T0 + 35 * MIN,
        GapCondition::Offline,
        "no route to host",
    )
    .expect("open");
    lib.run_alive(run, T0 + 40 * MIN).expect("alive");
    // Run 3 from 50 min: run 2's open interval ends when it was last seen.
    lib.begin_run(T0 + 50 * MIN).expect("run 3");
    continuous(&mut lib, cam, T0 + 50 * MIN, T0 + 60 * MIN);
    let now = T0 + 60 * MIN;
    let gaps = lib.gaps(cam, T0, now, S, now).expect("gaps");
    assert_eq!(
        keys(&gaps),
        vec![
            (T0 + 10 * MIN, T0 + 15 * MIN, "offline"),
            (T0 + 20 * MIN, T0 + 30 * MIN, "not-running"),
            (T0 + 35 * MIN, T0 + 40 * MIN, "offline"),
            (T0 + 40 * MIN, T0 + 50 * MIN, "not-running"),
        ]
    );
    let time = |t: i64| format!("+{}min", (t - T0) / MIN);
    assert_eq!(
        gaps[1].reason(time),
        "Vigil was not running (stopped at +20min)"
    );
    assert_eq!(
        gaps[3].reason(time),
        "Vigil was not running (ended without stopping: crash or power loss; last seen at +40min)"
    );
    assert_eq!(gaps[2].detail, "no route to host");

    // Retention by age deletes the first 10 minutes: labelled deleted, above everything.
    let policy = Policy {
        retain_days: 1.0,
        ..Policy::default()
    };
    lib.set_policy(cam, &policy).expect("policy");
    let day = 86_400 * S;
    lib.sweep(T0 + day + 12 * MIN, None).expect("sweep");
    let gaps = lib.gaps(cam, T0, now, S, now).expect("gaps");
    assert_eq!(gaps[0].start_us, T0);
    assert_eq!(gaps[0].end_us, T0 + 10 * MIN);
    assert!(matches!(
        gaps[0].cause,
        GapCause::Deleted {
            reason: DeletionReason::RetentionAge,
            ..
        }
    ));
    assert_eq!(gaps[1].cause.key(), "offline");
}

#[test]
fn after_the_last_run_stopped_vigil_is_not_running_until_now() {
    let (_dir, mut lib, cam) = library();
    let run = lib.begin_run(T0).expect("run");
    continuous(&mut lib, cam, T0, T0 + 10 * MIN);
    lib.end_run(run, T0 + 10 * MIN).expect("end");
    let now = T0 + 30 * MIN;
    let gaps = lib.gaps(cam, T0, now + 10 * MIN, S, now).expect("gaps");
    assert_eq!(keys(&gaps), vec![(T0 + 10 * MIN, now, "not-running")]);
    // A library with no runs at all: no record of why.
    let (_dir2, lib2, cam2) = library();
    let gaps = lib2.gaps(cam2, T0, now, S, now).expect("gaps");
    assert_eq!(keys(&gaps), vec![(T0, now, "unknown")]);
}

#[test]
fn an_event_deleted_by_a_person_says_who_and_when() {
    use crate::library::layout::segment_rel_path;
    use crate::library::FinishedSegment;
    use crate::model::{EventSource, NewEvent, SegmentKind};
    let (_dir, mut lib, cam) = library();
    let run = lib.begin_run(T0).expect("run");
    let event = lib
        .insert_event(&NewEvent {
            camera_id: cam,
            source: EventSource::Motion,
            label: "person".into(),
            zone_id: None,
            start_us: T0 + MIN,
            end_us: Some(T0 + 2 * MIN),
            score: 0.5,
            thumbnail: None,
            object_box: None,
        })
        .expect("event");
    let rel = segment_rel_path("yard", SegmentKind::Event, T0 + MIN);
    lib.begin_segment(cam, SegmentKind::Event, T0 + MIN, &rel)
        .expect("journal");
    lib.finish_segment(&FinishedSegment {
        camera_id: cam,
        kind: SegmentKind::Event,
        start_us: T0 + MIN,
        end_us: T0 + 2 * MIN,
        rel_path: rel,
        bytes: 1000,
        codec: "h264".into(),
        width: 640,
        height: 360,
        frames: 100,
        event_id: Some(event),
        audio_codec: None,
    })
    .expect("clip");
    lib.open_gap(cam, T0, GapCondition::EventsOnly, "")
        .expect("events only");
    lib.delete_event(event, "ana (desktop)").expect("delete");
    let now = T0 + 3 * MIN;
    // Running still (seen alive now), so the open "events only" lasts until now.
    lib.run_alive(run, now).expect("alive");
    let gaps = lib.gaps(cam, T0, now, S, now).expect("gaps");
    assert_eq!(
        keys(&gaps),
        vec![
            (T0, T0 + MIN, "events-only"),
            (T0 + MIN, T0 + 2 * MIN, "deleted"),
            (T0 + 2 * MIN, now, "events-only"),
        ]
    );
    let said = gaps[1].reason(|_| "then".to_string());
    assert_eq!(said, "deleted by ana (desktop) at then");
}
