use std::os::unix::fs::PermissionsExt;

use super::*;

const NOW: i64 = 1_800_000_000_000_000;

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

/// A connected camera recording with motion and a trigger, a retrying one whose URL had a
/// password, and a disabled one.
fn status() -> EngineStatus {
    let mut yard = CameraStatus::new("yard", "rtsp://admin:***@10.0.0.5/s");
    yard.display_name = "앞마당".into();
    yard.conn = ConnState::Connected;
    yard.codec = Some("h264".into());
    (yard.width, yard.height, yard.fps, yard.bitrate_bps) = (1920, 1080, 24.96, 4_203_456.0);
    yard.recording = true;
    yard.motion = vec![ZoneActivity {
        zone_id: 3,
        name: "gate".into(),
        changed: 0.2,
        active: true,
    }];
    yard.events = vec![
        ActiveEvent {
            key: "trigger:door".into(),
            source: "trigger".into(),
            label: "door".into(),
            start_us: NOW - 5_000_000,
            until_us: Some(NOW + 60_000_000),
        },
        ActiveEvent {
            key: "trigger:old".into(),
            source: "trigger".into(),
            label: "old".into(),
            start_us: NOW - 90_000_000,
            until_us: Some(NOW - 30_000_000),
        },
    ];
    let mut door = CameraStatus::new("door", "rtsp://admin:***@10.0.0.6/s");
    door.conn = ConnState::Retrying {
        retry_at_us: NOW + 4_000_000,
    };
    door.last_error = Some("rtsp://admin:***@10.0.0.6/s: 401 Unauthorized".into());
    door.last_error_us = Some(NOW - 1_000_000);
    let mut off = CameraStatus::new("off", "rtsp://10.0.0.7/s");
    off.conn = ConnState::Disabled;
    EngineStatus {
        cameras: vec![yard, door, off],
        ..EngineStatus::default()
    }
}

#[test]
fn a_snapshot_round_trips_through_its_file_and_maps_back_to_what_a_tile_shows() {
    let snapshot = StatusSnapshot::of(&status(), 4321, NOW);
    let yard = snapshot.camera("yard").unwrap();
    assert_eq!(
        (yard.state, yard.recording, yard.motion),
        (StateWord::Connected, true, true)
    );
    assert_eq!(
        yard.events.len(),
        1,
        "only events in progress: {:?}",
        yard.events
    );
    let stream = yard.stream.as_ref().unwrap();
    assert_eq!((stream.fps, stream.bitrate_bps), (25.0, 4_200_000.0));

    let text = serde_json::to_string(&snapshot).unwrap();
    for c in &snapshot.cameras {
        let word = format!(r#""state":"{}""#, c.state.as_str());
        assert!(text.contains(&word), "{word} in {text}");
    }
    assert!(text.contains(r#""state":"retrying""#), "{text}");
    assert_eq!(
        serde_json::from_str::<StatusSnapshot>(&text).unwrap(),
        snapshot
    );

    let dir = tempfile::tempdir().unwrap();
    snapshot.write(dir.path()).unwrap();
    let read = StatusSnapshot::read_current(dir.path(), Some(4321), NOW + 1_000_000).unwrap();
    assert_eq!(read, snapshot);
    assert!(!dir.path().join(TEMP_FILE).exists(), "renamed into place");

    // Mapped back: what a recorder's own tile reads.
    let mut door = CameraStatus::new("door", "rtsp://admin:***@10.0.0.6/s");
    read.camera("door").unwrap().apply(&mut door);
    assert_eq!(door, status().cameras[1]);
    let mut yard = CameraStatus::new("yard", "rtsp://admin:***@10.0.0.5/s");
    read.camera("yard").unwrap().apply(&mut yard);
    assert!(yard.recording && yard.motion.iter().any(|z| z.active));
    assert_eq!(yard.conn, ConnState::Connected);
    assert_eq!(
        (yard.codec.as_deref(), yard.width, yard.fps),
        (Some("h264"), 1920, 25.0)
    );
    assert!(yard.events.iter().all(|e| e.is_active(NOW + 3_600_000_000)));
    assert_eq!(yard.events[0].label, "door");

    // The same state written later shows the same; a change does not.
    let later = StatusSnapshot::of(&status(), 4321, NOW + 9_000_000);
    assert!(later.shows_same(&snapshot));
    let mut changed = status();
    changed.cameras[0].recording = false;
    assert!(!StatusSnapshot::of(&changed, 4321, NOW).shows_same(&snapshot));
}

#[test]
fn the_file_has_the_databases_mode_and_replaces_the_old_one_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(STATUS_FILE);
    let first = StatusSnapshot::of(&status(), 1, NOW);
    first.write(dir.path()).unwrap();
    assert_eq!(mode(&path), 0o600, "private without group read");
    // A temporary file left open to others by a crash is not reused as it was.
    std::fs::write(dir.path().join(TEMP_FILE), b"{").unwrap();
    std::fs::set_permissions(
        dir.path().join(TEMP_FILE),
        std::fs::Permissions::from_mode(0o666),
    )
    .unwrap();
    let second = StatusSnapshot::of(&EngineStatus::default(), 1, NOW + 1);
    second.write(dir.path()).unwrap();
    assert_eq!(mode(&path), 0o600);
    assert_eq!(StatusSnapshot::read(dir.path()).unwrap(), second);

    // With group read on (a process-wide switch: not flipped here, other tests run
    // meanwhile), the database's mode is the group's.
    second
        .write_with_mode(dir.path(), perms::GROUP_FILE_MODE)
        .unwrap();
    assert_eq!(mode(&path), 0o640, "group read: the database's mode");

    StatusSnapshot::remove(dir.path()).unwrap();
    assert!(!path.exists());
    StatusSnapshot::remove(dir.path()).unwrap();
}

#[test]
fn a_missing_corrupt_stale_or_foreign_snapshot_is_refused_saying_why() {
    let dir = tempfile::tempdir().unwrap();
    let read = |pid, now| StatusSnapshot::read_current(dir.path(), pid, now);
    assert!(matches!(read(None, NOW), Err(SnapshotError::Missing(_))));
    std::fs::write(dir.path().join(STATUS_FILE), b"{\"format\":1,").unwrap();
    assert!(matches!(
        read(None, NOW),
        Err(SnapshotError::Corrupt { .. })
    ));

    let mut snapshot = StatusSnapshot::of(&status(), 77, NOW);
    snapshot.format = FORMAT + 1;
    snapshot.write(dir.path()).unwrap();
    assert!(matches!(
        read(None, NOW),
        Err(SnapshotError::Corrupt { .. })
    ));

    snapshot.format = FORMAT;
    snapshot.write(dir.path()).unwrap();
    assert!(read(Some(77), NOW + STALE_AFTER_US).is_ok());
    assert_eq!(
        read(Some(77), NOW + 45_000_000),
        Err(SnapshotError::Stale { secs: 45 })
    );
    assert_eq!(
        read(Some(78), NOW),
        Err(SnapshotError::OtherPid { written_by: 77 })
    );
    assert!(read(None, NOW).is_ok(), "no pid in the lock: age decides");
}
