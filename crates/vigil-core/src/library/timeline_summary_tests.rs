//! The hourly summary behind wide timeline windows: it stays exact through the recorder's
//! inserts, replaced rows, retention's deletes and camera removal, answers like the segments
//! themselves, and the v3 migration builds it for a library written by schema v2.

use crate::library::timeline::tests::{continuous, library, query, r, segment, S, T0};
use crate::library::timeline::{Merger, TimeRange, HOUR_US};
use crate::library::{Library, SegmentQuery};
use crate::model::SegmentKind;

/// Ranges merged by hand from every segment row, the slow way.
fn naive(
    lib: &Library,
    cam: i64,
    kind: SegmentKind,
    from: i64,
    to: i64,
    gap: i64,
) -> Vec<TimeRange> {
    let rows = lib
        .segments(&SegmentQuery {
            camera_id: Some(cam),
            from_us: Some(from),
            to_us: Some(to),
            kind: Some(kind),
        })
        .expect("segments");
    let mut m = Merger::new(gap);
    for s in rows {
        m.push(s.start_us.max(from), s.end_us.min(to));
    }
    m.out
}

/// The summary table equals the recorded time per hour computed from the segments now.
fn assert_summary_is_exact(lib: &Library) {
    let read = |sql: &str| -> Vec<(i64, String, i64, i64)> {
        let mut stmt = lib.conn().prepare(sql).expect("prepare");
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .expect("query");
        rows.collect::<Result<_, _>>().expect("rows")
    };
    let kept = read(
        "SELECT camera_id, kind, hour, covered_us FROM segment_hours
         ORDER BY camera_id, kind, hour",
    );
    let fresh = read(
        "SELECT camera_id, kind, h, SUM(MIN(end_us, (h + 1) * 3600000000)
                - MAX(start_us, h * 3600000000))
         FROM (SELECT camera_id, kind, start_us, end_us, start_us / 3600000000 + column1 AS h
               FROM segments, (VALUES (0), (1), (2)))
         WHERE h * 3600000000 < end_us GROUP BY camera_id, kind, h ORDER BY camera_id, kind, h",
    );
    assert_eq!(kept, fresh);
}

#[test]
fn the_hourly_summary_agrees_with_the_segments_through_inserts_replaces_and_deletes() {
    let (_dir, mut lib, cam) = library();
    // Two days of 60 s segments with outages of various lengths, some event clips.
    let mut ids = Vec::new();
    let mut t = T0 - 7 * 60 * S;
    let mut n = 0u64;
    while t < T0 + 48 * 3600 * S {
        n += 1;
        let len = if n.is_multiple_of(97) {
            2400 * S
        } else {
            60 * S
        };
        ids.push(continuous(&mut lib, cam, t, t + len));
        t += len;
        if n.is_multiple_of(41) {
            t += (n as i64 % 7) * 13 * S; // an outage of 0 to 78 s
        }
        if n.is_multiple_of(60) {
            segment(&mut lib, cam, SegmentKind::Event, t - 30 * S, t + 45 * S);
        }
    }
    assert_summary_is_exact(&lib);
    // Retention-like deletes of a run and scattered rows; a row replaced by a shorter one.
    lib.forget_segments(&ids[100..400]).expect("forget");
    lib.forget_segments(&ids.iter().step_by(53).copied().collect::<Vec<_>>())
        .expect("forget");
    let replaced = lib
        .segments(&SegmentQuery {
            camera_id: Some(cam),
            from_us: Some(T0 + 30 * 3600 * S),
            to_us: Some(T0 + 30 * 3600 * S + 1),
            kind: Some(SegmentKind::Continuous),
        })
        .expect("segments");
    let s = &replaced[0];
    continuous(&mut lib, cam, s.start_us, s.start_us + 20 * S);

    assert_summary_is_exact(&lib);
    for (from, to) in [
        (T0 - 3600 * S, T0 + 49 * 3600 * S),
        (T0 + 1234 * S, T0 + 40_000 * S),
        (T0 + 5 * 3600 * S + 17 * S, T0 + 9 * 3600 * S - 5 * S),
    ] {
        for gap in [0, 10 * S, 100 * S] {
            let row = query(&lib, cam, from, to, gap);
            for (kind, got) in [
                (SegmentKind::Continuous, &row.continuous),
                (SegmentKind::Event, &row.event_clips),
            ] {
                let want = naive(&lib, cam, kind, from, to, gap);
                assert_eq!(got, &want, "{kind:?} from {from} to {to} gap {gap}");
            }
        }
    }
    // Removing the camera's recordings empties the summary.
    lib.remove_camera("yard", true).expect("remove");
    let left: i64 = lib
        .conn()
        .query_row("SELECT COUNT(*) FROM segment_hours", [], |r| r.get(0))
        .expect("count");
    assert_eq!(left, 0);
}

#[test]
fn migration_v3_summarizes_a_library_written_by_schema_v2() {
    let dir = tempfile::tempdir().expect("temp dir");
    {
        let conn = rusqlite::Connection::open(dir.path().join("vigil.db")).expect("db");
        for sql in &super::super::schema::MIGRATIONS[..2] {
            conn.execute_batch(sql).expect("v1, v2");
        }
        conn.pragma_update(None, "user_version", 2)
            .expect("version");
        conn.execute(
            "INSERT INTO cameras (id, name, url, created_us) VALUES (1, 'yard', 'rtsp://x/', 0)",
            [],
        )
        .expect("camera");
        for i in 0..130 {
            let (a, b) = (T0 + i * 60 * S, T0 + (i + 1) * 60 * S);
            conn.execute(
                "INSERT INTO segments (camera_id, kind, start_us, end_us, path, bytes, codec,
                     width, height, frames)
                 VALUES (1, 'continuous', ?1, ?2, ?3, 1, 'h264', 1, 1, 1)",
                rusqlite::params![a, b, format!("recordings/yard/{i}.mp4")],
            )
            .expect("segment");
        }
        conn.execute(
            "INSERT INTO events (camera_id, source, label, start_us, end_us)
             VALUES (1, 'motion', 'motion', ?1, ?2)",
            rusqlite::params![T0 - 7200 * S, T0 + 60 * S],
        )
        .expect("event");
    }
    let lib = Library::open(dir.path()).expect("migrate");
    let version: i64 = lib
        .conn()
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .expect("version");
    assert!(version >= 3, "migrated to at least v3: {version}");
    let hours: Vec<(i64, i64)> = {
        let mut stmt = lib
            .conn()
            .prepare("SELECT hour, covered_us FROM segment_hours ORDER BY hour")
            .expect("prepare");
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("query");
        rows.collect::<Result<_, _>>().expect("rows")
    };
    let h0 = T0 / HOUR_US;
    assert_eq!(
        hours,
        vec![(h0, HOUR_US), (h0 + 1, HOUR_US), (h0 + 2, 10 * 60 * S)]
    );
    // The summary path (a 6 h window) and the event that began two hours before it.
    let row = query(&lib, 1, T0 - 3600 * S, T0 + 5 * 3600 * S, 0);
    assert_eq!(row.continuous, vec![r(T0, T0 + 130 * 60 * S)]);
    assert_eq!(row.events.len(), 1);
}

#[test]
fn overlapping_recordings_that_add_up_to_an_hour_keep_their_hole() {
    let (_dir, mut lib, cam) = library();
    // Hour-aligned start; two event clips overlap (pre-event video) and leave the last
    // 15 minutes of the hour unrecorded, though their lengths add up to 80 minutes.
    let h = (T0 / HOUR_US + 1) * HOUR_US;
    segment(&mut lib, cam, SegmentKind::Event, h, h + 40 * 60 * S);
    segment(
        &mut lib,
        cam,
        SegmentKind::Event,
        h + 5 * 60 * S,
        h + 45 * 60 * S,
    );
    // A wide window, so the hourly summary is used.
    let (from, to) = (h - 4 * HOUR_US, h + 4 * HOUR_US);
    let row = query(&lib, cam, from, to, 0);
    let want = naive(&lib, cam, SegmentKind::Event, from, to, 0);
    assert_eq!(row.event_clips, want);
    assert_eq!(want, vec![r(h, h + 45 * 60 * S)]);
}
