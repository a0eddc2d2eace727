//! The chain through the library's own writes (indexing, deletion), on a real SQLite file.

use super::*;
use crate::library::layout::segment_rel_path;
use crate::library::signing_key::verify;
use crate::library::timeline::tests::{continuous, library};
use crate::library::Library;
use crate::model::SegmentKind;

const MIN: i64 = 60_000_000;
const T0: i64 = 1_790_000_000_000_000;

fn count(lib: &Library, table: &str) -> i64 {
    lib.conn()
        .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

#[test]
fn every_indexed_and_deleted_recording_is_a_signed_link() {
    let (dir, mut lib, cam) = library();
    let ids: Vec<i64> = (0..3)
        .map(|i| continuous(&mut lib, cam, T0 + i * MIN, T0 + (i + 1) * MIN))
        .collect();
    lib.forget_segments(&ids[..1]).unwrap();
    let snap = lib.chain_snapshot(None).unwrap();
    assert!(snap.tracked);
    let chain = &snap.chains[&cam];
    let kinds: Vec<_> = chain.iter().map(|e| (e.seq, e.entry)).collect();
    use EntryKind::{Deletion, Segment};
    assert_eq!(
        kinds,
        [
            (1, Some(Segment)),
            (2, Some(Segment)),
            (3, Some(Segment)),
            (4, Some(Deletion))
        ]
    );
    let key = InstallationKey::load(dir.path()).expect("the key was made by the first entry");
    let mut prev = GENESIS.to_vec();
    for e in chain {
        assert_eq!(e.prev, prev, "entry {} follows the previous", e.seq);
        assert_eq!(link_of(&prev, cam, e.seq, &e.body)[..], e.link[..]);
        assert!(verify(&key.public_key(), &e.link, &e.signature));
        prev = e.link.clone();
    }
    assert_eq!(chain[3].body.path, chain[0].body.path);
    assert_eq!(chain[3].body.reason.as_deref(), Some("file-missing"));
    assert_eq!(chain[3].body.start_us, T0);
    // These rows have no files: indexed without a hash.
    assert!(chain[0].body.sha256.is_none());
    assert_eq!(snap.rows.len(), 2);
}

#[test]
fn a_file_is_hashed_when_indexed_and_the_row_keeps_it() {
    let (_dir, mut lib, cam) = library();
    let rel = segment_rel_path("yard", SegmentKind::Continuous, T0);
    let abs = lib.absolute(&rel);
    std::fs::create_dir_all(abs.parent().unwrap()).unwrap();
    std::fs::write(&abs, b"abc").unwrap();
    lib.finish_segment(&crate::library::FinishedSegment {
        camera_id: cam,
        kind: SegmentKind::Continuous,
        start_us: T0,
        end_us: T0 + MIN,
        rel_path: rel,
        bytes: 3,
        codec: "h264".into(),
        width: 640,
        height: 360,
        frames: 1,
        event_id: None,
        audio_codec: None,
    })
    .unwrap();
    let abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    let snap = lib.chain_snapshot(Some(cam)).unwrap();
    assert_eq!(snap.rows[0].sha256.as_deref(), Some(abc));
    assert_eq!(snap.chains[&cam][0].body.sha256.as_deref(), Some(abc));
}

#[test]
fn fields_are_length_prefixed_so_they_cannot_slide() {
    let body = |path: &str, kind: &str| EntryBody {
        entry: EntryKind::Segment,
        path: path.into(),
        kind: kind.into(),
        start_us: 1,
        end_us: 2,
        bytes: 3,
        sha256: None,
        reason: None,
        by_user: None,
        at_us: 4,
    };
    assert_ne!(
        encode(1, 1, &body("ab", "c")),
        encode(1, 1, &body("a", "bc"))
    );
    assert_ne!(
        link_of(&GENESIS, 1, 1, &body("a", "b")),
        link_of(&GENESIS, 2, 1, &body("a", "b"))
    );
    assert_ne!(
        link_of(&GENESIS, 1, 1, &body("a", "b")),
        link_of(&GENESIS, 1, 2, &body("a", "b"))
    );
}

#[test]
fn hash_file_reads_files_and_refuses_folders() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.mp4");
    std::fs::write(&file, b"abc").unwrap();
    let (hex, len) = hash_file(&file).unwrap();
    assert_eq!(len, 3);
    assert_eq!(
        hex,
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    assert!(hash_file(dir.path()).is_err());
    assert!(hash_file(&dir.path().join("missing.mp4")).is_err());
}

/// A kill -9 after the chain entry is written but before the commit is a transaction that
/// never commits: SQLite rolls back the row and the entry together. Here the transaction
/// fails at its last statement (after the append) instead.
#[test]
fn a_transaction_that_dies_after_the_append_leaves_neither_row_nor_entry() {
    let (_dir, mut lib, cam) = library();
    lib.conn()
        .execute_batch(
            "CREATE TRIGGER die BEFORE DELETE ON open_segments
             BEGIN SELECT RAISE(ABORT, 'killed'); END;",
        )
        .unwrap();
    let rel = segment_rel_path("yard", SegmentKind::Continuous, T0);
    lib.begin_segment(cam, SegmentKind::Continuous, T0, &rel)
        .unwrap();
    let seg = crate::library::FinishedSegment {
        camera_id: cam,
        kind: SegmentKind::Continuous,
        start_us: T0,
        end_us: T0 + MIN,
        rel_path: rel,
        bytes: 1,
        codec: "h264".into(),
        width: 640,
        height: 360,
        frames: 1,
        event_id: None,
        audio_codec: None,
    };
    assert!(lib.finish_hashed_segment(&seg, Some("00")).is_err());
    assert_eq!(
        (count(&lib, "segments"), count(&lib, "integrity_chain")),
        (0, 0)
    );
    lib.conn().execute_batch("DROP TRIGGER die").unwrap();
    let id = lib.finish_hashed_segment(&seg, Some("00")).unwrap();
    assert_eq!(
        (count(&lib, "segments"), count(&lib, "integrity_chain")),
        (1, 1)
    );
    // The same for a deletion: its log row and chain entry go with the failed DELETE.
    lib.conn()
        .execute_batch(
            "CREATE TRIGGER die BEFORE DELETE ON segments
             BEGIN SELECT RAISE(ABORT, 'killed'); END;",
        )
        .unwrap();
    assert!(lib.forget_segments(&[id]).is_err());
    assert_eq!(count(&lib, "deletions"), 0);
    assert_eq!(
        (count(&lib, "segments"), count(&lib, "integrity_chain")),
        (1, 1)
    );
}
