//! The check against a real library in a temporary folder: files written, indexed through
//! the library's API, then tampered with the way someone with the files and the database
//! could.

use super::*;
use crate::library::chain::{link_of, EntryBody, EntryKind};
use crate::library::layout::segment_rel_path;
use crate::library::timeline::tests::library;
use crate::library::FinishedSegment;
use crate::model::{Policy, SegmentKind};

const MIN: i64 = 60_000_000;
const DAY: i64 = 86_400_000_000;
const T0: i64 = 1_790_000_000_000_000;

/// A library with `n` one-minute recordings of camera "yard", each a real file.
fn recorded(n: i64) -> (tempfile::TempDir, Library, i64, Vec<String>) {
    let (dir, mut lib, cam) = library();
    let mut rels = Vec::new();
    for i in 0..n {
        let start = T0 + i * MIN;
        let rel = segment_rel_path("yard", SegmentKind::Continuous, start);
        let abs = lib.absolute(&rel);
        std::fs::create_dir_all(abs.parent().unwrap()).unwrap();
        let body: Vec<u8> = (0..10_000u32).map(|b| (b * 7 + i as u32) as u8).collect();
        std::fs::write(&abs, &body).unwrap();
        lib.begin_segment(cam, SegmentKind::Continuous, start, &rel)
            .unwrap();
        lib.finish_segment(&FinishedSegment {
            camera_id: cam,
            kind: SegmentKind::Continuous,
            start_us: start,
            end_us: start + MIN,
            rel_path: rel.clone(),
            bytes: body.len() as u64,
            codec: "h264".into(),
            width: 640,
            height: 360,
            frames: 1500,
            event_id: None,
            audio_codec: None,
        })
        .unwrap();
        rels.push(rel);
    }
    (dir, lib, cam, rels)
}

fn run(lib: &Library) -> IntegrityReport {
    check(lib, CheckScope::default(), &mut |_| {}).unwrap()
}

fn kinds(r: &IntegrityReport) -> Vec<ProblemKind> {
    r.problems.iter().map(|p| p.kind).collect()
}

/// The one problem of `kind`, whose sentence names the camera and `rel`.
fn named(r: &IntegrityReport, kind: ProblemKind, rel: &str) -> String {
    let p: Vec<_> = r.problems.iter().filter(|p| p.kind == kind).collect();
    assert_eq!(p.len(), 1, "{:#?}", r.problems);
    assert!(p[0].sentence.starts_with("yard: "), "{}", p[0].sentence);
    assert!(p[0].sentence.contains(rel), "{}", p[0].sentence);
    p[0].sentence.clone()
}

#[test]
fn an_untouched_library_is_intact_and_says_its_heads() {
    let (_dir, lib, cam, _) = recorded(3);
    let r = run(&lib);
    assert!(r.problems.is_empty(), "{:#?}", r.problems);
    assert_eq!((r.checked, r.bytes), (3, 30_000));
    assert_eq!(r.cameras.len(), 1);
    let c = &r.cameras[0];
    assert_eq!(
        (c.camera_id, c.camera.as_str(), c.entries, c.head_seq),
        (cam, "yard", 3, 3)
    );
    assert_eq!(c.head_link.len(), 64);
    assert!(r.key_fingerprint.is_some());
}

#[test]
fn changed_missing_and_resized_files_are_named() {
    let (_dir, lib, _, rels) = recorded(3);
    let flip = lib.absolute(&rels[0]);
    let mut bytes = std::fs::read(&flip).unwrap();
    bytes[5000] ^= 1;
    std::fs::write(&flip, &bytes).unwrap();
    std::fs::remove_file(lib.absolute(&rels[1])).unwrap();
    std::fs::write(lib.absolute(&rels[2]), b"short").unwrap();
    let r = run(&lib);
    let s = named(&r, ProblemKind::ContentChanged, &rels[0]);
    assert!(s.contains("SHA-256"), "{s}");
    named(&r, ProblemKind::FileMissing, &rels[1]);
    let s = named(&r, ProblemKind::SizeDiffers, &rels[2]);
    assert!(s.contains("5 bytes, but 10000"), "{s}");
    assert_eq!(r.problems.len(), 3);
    assert_eq!(r.checked, 3, "every file was looked at");
}

#[test]
fn edited_removed_and_added_rows_are_named() {
    let (_dir, lib, cam, rels) = recorded(3);
    let db = lib.conn();
    db.execute(
        "UPDATE segments SET end_us = end_us + 5000000 WHERE path = ?1",
        [&rels[0]],
    )
    .unwrap();
    db.execute("DELETE FROM segments WHERE path = ?1", [&rels[1]])
        .unwrap();
    db.execute(
        "INSERT INTO segments (camera_id, kind, start_us, end_us, path, bytes, codec, width,
            height, frames, sha256)
         VALUES (?1, 'continuous', ?2, ?3, 'recordings/cam-1/x/forged.mp4', 1, 'h264', 1, 1, 1, 'ab')",
        rusqlite::params![cam, T0 + 10 * MIN, T0 + 11 * MIN],
    )
    .unwrap();
    let r = run(&lib);
    let s = named(&r, ProblemKind::RowEdited, &rels[0]);
    assert!(s.contains("its end is"), "{s}");
    named(&r, ProblemKind::RowRemoved, &rels[1]);
    named(&r, ProblemKind::RowNotInChain, "forged.mp4");
    assert_eq!(r.problems.len(), 3, "{:#?}", r.problems);
}

#[test]
fn an_edited_or_removed_entry_breaks_the_chain() {
    let (_dir, lib, cam, rels) = recorded(4);
    let db = lib.conn();
    db.execute(
        "UPDATE integrity_chain SET end_us = end_us - 1 WHERE camera_id = ?1 AND seq = 2",
        [cam],
    )
    .unwrap();
    db.execute(
        "DELETE FROM integrity_chain WHERE camera_id = ?1 AND seq = 3",
        [cam],
    )
    .unwrap();
    let r = run(&lib);
    let broken: Vec<_> = r
        .problems
        .iter()
        .filter(|p| p.kind == ProblemKind::ChainBroken)
        .collect();
    assert_eq!(broken.len(), 2, "{:#?}", r.problems);
    assert!(broken[0].sentence.contains("entry 2") && broken[0].sentence.contains(&rels[1]));
    assert!(
        broken[1].sentence.contains("entry 3 was removed"),
        "{}",
        broken[1].sentence
    );
    // The entry removed leaves its row unrecorded; the edited one is not trusted, so its
    // row is not blamed for differing from it.
    assert_eq!(r.problems.len(), 3, "{:#?}", r.problems);
    named(&r, ProblemKind::RowNotInChain, &rels[2]);
}

#[test]
fn a_chain_rewritten_without_this_installations_key_is_named() {
    let (_dir, lib, cam, rels) = recorded(2);
    // Someone with the database but not the key edits entry 2 and recomputes every link.
    let stranger = tempfile::tempdir().unwrap();
    let key = crate::evidence::InstallationKey::load_or_create(stranger.path()).unwrap();
    let snap = lib.chain_snapshot(Some(cam)).unwrap();
    let e = &snap.chains[&cam][1];
    let body = EntryBody {
        end_us: e.body.end_us - 1,
        ..e.body.clone()
    };
    let link = link_of(&e.prev, cam, 2, &body);
    lib.conn()
        .execute(
            "UPDATE integrity_chain SET end_us = ?1, link = ?2, signature = ?3
             WHERE camera_id = ?4 AND seq = 2",
            rusqlite::params![body.end_us, &link[..], key.sign(&link), cam],
        )
        .unwrap();
    lib.conn()
        .execute(
            "UPDATE segments SET end_us = ?1 WHERE path = ?2",
            rusqlite::params![body.end_us, rels[1]],
        )
        .unwrap();
    let r = run(&lib);
    assert_eq!(
        kinds(&r),
        [ProblemKind::SignatureInvalid],
        "{:#?}",
        r.problems
    );
    assert!(r.problems[0]
        .sentence
        .contains("not signed by this installation's key"));
    assert!(r.problems[0].sentence.contains(&rels[1]));
}

#[test]
fn retention_deletions_are_listed_not_problems() {
    let (_dir, mut lib, cam, rels) = recorded(3);
    let policy = Policy {
        retain_days: 1.0,
        ..Policy::default()
    };
    lib.set_policy(cam, &policy).unwrap();
    let swept = lib.sweep(T0 + DAY + MIN + MIN / 2, None).unwrap();
    assert_eq!(swept.by_age, 1);
    assert!(!lib.absolute(&rels[0]).exists());
    let r = run(&lib);
    assert!(r.problems.is_empty(), "{:#?}", r.problems);
    assert_eq!(r.deleted.len(), 1);
    let d = &r.deleted[0];
    assert_eq!(d.reason, "retention-age");
    assert!(
        d.sentence.contains("deleted by retention") && d.sentence.contains(&rels[0]),
        "{}",
        d.sentence
    );
    assert_eq!(r.checked, 2);
    assert_eq!(r.cameras[0].entries, 4);
}

#[test]
fn recordings_from_before_tracking_are_counted_apart() {
    let (_dir, lib, cam, _) = recorded(1);
    lib.conn()
        .execute(
            "INSERT INTO segments (camera_id, kind, start_us, end_us, path, bytes, codec, width,
                height, frames)
             VALUES (?1, 'continuous', ?2, ?3, 'recordings/yard/old.mp4', 1, 'h264', 1, 1, 1)",
            rusqlite::params![cam, T0 - DAY, T0 - DAY + MIN],
        )
        .unwrap();
    // Tracking began when the library was made (now): the old row is older.
    lib.conn()
        .execute(
            "UPDATE settings SET value = ?1 WHERE key = 'integrity_since_us'",
            [(T0 - 1).to_string()],
        )
        .unwrap();
    let r = run(&lib);
    assert!(r.problems.is_empty(), "{:#?}", r.problems);
    let u = &r.cameras[0].recorded_before_tracking;
    assert_eq!(
        (u.count, u.from_us, u.to_us),
        (1, Some(T0 - DAY), Some(T0 - DAY + MIN))
    );
}

#[test]
fn the_scope_limits_what_is_checked() {
    let (_dir, lib, _, rels) = recorded(3);
    std::fs::remove_file(lib.absolute(&rels[0])).unwrap();
    let scope = CheckScope {
        from_us: Some(T0 + MIN),
        ..Default::default()
    };
    let r = check(&lib, scope, &mut |_| {}).unwrap();
    assert!(r.problems.is_empty(), "{:#?}", r.problems);
    assert_eq!(r.checked, 2);
}

#[test]
fn entry_kinds_spell_as_stored() {
    assert_eq!(EntryKind::Segment.as_str(), "segment");
    assert_eq!(
        serde_json::to_string(&ProblemKind::RowNotInChain).unwrap(),
        "\"row-not-in-chain\""
    );
}

#[test]
fn a_file_removed_and_then_dropped_at_start_up_is_still_a_problem() {
    let (_dir, mut lib, _, rels) = recorded(2);
    std::fs::remove_file(lib.absolute(&rels[0])).unwrap();
    // What start-up's reconciliation does with a row whose file is gone.
    let report = lib.reconcile().unwrap();
    assert_eq!(report.dropped_rows, 1);
    let r = run(&lib);
    let s = named(&r, ProblemKind::FileMissing, &rels[0]);
    assert!(s.contains("removed outside Vigil"), "{s}");
    assert!(r.deleted.is_empty(), "not listed as a legitimate deletion");
}
