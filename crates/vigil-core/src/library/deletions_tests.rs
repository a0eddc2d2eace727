//! The deletion log through every path that deletes rows: retention by age and by size, a
//! file missing at start-up, and a camera removed with its recordings.

use crate::library::deletions::DeletionReason;
use crate::library::timeline::tests::{continuous, library};
use crate::model::Policy;

const MIN: i64 = 60_000_000;
const DAY: i64 = 86_400_000_000;
const T0: i64 = 1_790_000_000_000_000;

fn reasons(lib: &crate::library::Library) -> Vec<(i64, DeletionReason)> {
    lib.deletions(None, i64::MIN, i64::MAX)
        .expect("log")
        .iter()
        .map(|d| (d.start_us, d.reason))
        .collect()
}

#[test]
fn each_deleting_path_logs_what_went_and_why() {
    let (_dir, mut lib, cam) = library();
    let ids: Vec<i64> = (0..6)
        .map(|i| continuous(&mut lib, cam, T0 + i * MIN, T0 + (i + 1) * MIN))
        .collect();
    // Age: keep 1 day; the sweep runs 1 day and 2.5 minutes after T0: two segments are old.
    let policy = Policy {
        retain_days: 1.0,
        ..Policy::default()
    };
    lib.set_policy(cam, &policy).expect("policy");
    let report = lib
        .sweep(T0 + DAY + 2 * MIN + MIN / 2, None)
        .expect("sweep");
    assert_eq!(report.by_age, 2);
    // Size: each segment is 4 MB; a 12 MB cap leaves three of the four left.
    let policy = Policy {
        max_bytes: Some(12_000_000),
        ..policy
    };
    lib.set_policy(cam, &policy).expect("policy");
    let report = lib.sweep(T0 + DAY, None).expect("sweep");
    assert_eq!(report.by_size, 1);
    // A file missing at start-up.
    lib.forget_segments(&ids[3..4]).expect("forget");
    assert_eq!(
        reasons(&lib),
        vec![
            (T0, DeletionReason::RetentionAge),
            (T0 + MIN, DeletionReason::RetentionAge),
            (T0 + 2 * MIN, DeletionReason::RetentionSize),
            (T0 + 3 * MIN, DeletionReason::FileMissing),
        ]
    );
    let log = lib.deletions(Some(cam), T0, T0 + MIN).expect("log");
    assert_eq!(log.len(), 1, "only what overlaps the window: {log:?}");
    assert_eq!(log[0].camera, "yard");
    assert_eq!(log[0].bytes, 4_000_000);
    assert!(log[0].by_user.is_none());
    assert!(log[0].path.ends_with(".mp4"), "{}", log[0].path);

    // The camera removed with its two remaining recordings: logged, and kept after it.
    lib.remove_camera("yard", true).expect("remove");
    let gone: Vec<_> = reasons(&lib)
        .into_iter()
        .filter(|(_, r)| *r == DeletionReason::CameraRemoved)
        .map(|(s, _)| s)
        .collect();
    assert_eq!(gone, vec![T0 + 4 * MIN, T0 + 5 * MIN]);
    assert!(lib
        .deletions(Some(cam + 1), i64::MIN, i64::MAX)
        .unwrap()
        .is_empty());
}

#[test]
fn reasons_read_back_and_say_themselves() {
    for r in [
        DeletionReason::RetentionAge,
        DeletionReason::RetentionSize,
        DeletionReason::DiskFloor,
        DeletionReason::Person,
        DeletionReason::CameraRemoved,
        DeletionReason::FileMissing,
    ] {
        assert_eq!(DeletionReason::parse(r.as_str()), Some(r));
        assert!(r.describe().contains("deleted") || r.describe().contains("missing"));
    }
    assert_eq!(DeletionReason::parse("tampering"), None);
}
