//! Cameras and zones named in Korean (issue 15) through the CLI, against the real RTSP
//! simulator: 정문 records under its derived identifier `jeongmun`, shows its name in
//! `camera list`, answers to its name (composed or decomposed) and to its identifier in every
//! flag, refuses the same name typed in NFD; 東門 gets `camera-N`; and a library from before
//! display names (schema 9) migrates with display names = identifiers, its files untouched.

use crate::common;

use std::path::Path;

use common::{RtspServer, Vigil};

/// "정문" typed decomposed (NFD): initial, medial and final jamo for each syllable.
const JEONGMUN_NFD: &str = "\u{110C}\u{1165}\u{11BC}\u{1106}\u{116E}\u{11AB}";

fn cameras(vigil: &Vigil) -> Vec<serde_json::Value> {
    serde_json::from_str(&vigil.ok(&["camera", "list", "--json"])).expect("camera list --json")
}

fn recordings_of(vigil: &Vigil, camera: &str) -> Vec<serde_json::Value> {
    let text = vigil.ok(&["recordings", "--camera", camera, "--json"]);
    serde_json::from_str(&text).expect("recordings --json")
}

/// What a failing command said (stdout and stderr).
fn refused(vigil: &Vigil, args: &[&str]) -> String {
    let out = vigil.run(args);
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!out.status.success(), "vigil {args:?} should fail: {said}");
    said
}

#[test]
fn a_camera_and_a_zone_named_in_korean_go_through_cli_library_and_recordings() {
    assert_ne!(
        JEONGMUN_NFD, "정문",
        "the test's NFD spelling differs in bytes"
    );
    let server = RtspServer::start(&["--gop", "25"]);
    let dir = tempfile::tempdir().expect("temp dir");
    let vigil = Vigil::new(dir.path());
    let added = vigil.ok(&[
        "camera",
        "add",
        "--name",
        "정문",
        "--url",
        &server.url("h264"),
        "--segment-seconds",
        "2",
    ]);
    assert!(added.contains("'정문' (id jeongmun"), "{added}");

    // The library row: identifier and display name (NFC).
    let listed = cameras(&vigil);
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["id"], "jeongmun");
    assert_eq!(listed[0]["name"], "jeongmun", "`name` stays the identifier");
    assert_eq!(listed[0]["display_name"], "정문");
    let text = vigil.ok(&["camera", "list"]);
    assert!(
        text.contains("ID") && text.contains("NAME") && text.contains("jeongmun"),
        "{text}"
    );
    assert!(text.contains("정문"), "{text}");
    let conn = rusqlite::Connection::open(dir.path().join("vigil.db")).expect("db");
    let (id, display): (String, String) = conn
        .query_row("SELECT name, display_name FROM cameras", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .expect("camera row");
    assert_eq!((id.as_str(), display.as_str()), ("jeongmun", "정문"));
    assert_eq!(display.as_bytes(), "정문".as_bytes(), "stored in NFC");

    // It records; the files are in an ASCII folder, whatever the camera is called.
    let out = vigil.run(&["run", "--for", "7s"]);
    assert!(
        out.status.success(),
        "run failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let by_name = recordings_of(&vigil, "정문");
    assert!(!by_name.is_empty(), "정문 recorded nothing");
    for r in &by_name {
        assert_eq!(r["camera"], "jeongmun");
        let path = r["path"].as_str().expect("path");
        assert!(path.is_ascii() && path.contains("/cam-"), "{path}");
        assert!(Path::new(path).is_file(), "{path}");
    }
    assert_eq!(recordings_of(&vigil, "jeongmun").len(), by_name.len());
    assert_eq!(recordings_of(&vigil, JEONGMUN_NFD).len(), by_name.len());

    // A zone named in Korean, on the camera named in NFD.
    let zone = vigil.ok(&[
        "zone",
        "add",
        "--camera",
        JEONGMUN_NFD,
        "--name",
        "출입구",
        "--polygon",
        "0,0 0.5,0 0.5,0.5 0,0.5",
    ]);
    assert!(zone.contains("'출입구' (id chulipgu)"), "{zone}");
    let zones: serde_json::Value =
        serde_json::from_str(&vigil.ok(&["zone", "list", "--camera", "정문", "--json"]))
            .expect("zone list --json");
    assert_eq!(zones[0]["name"], "chulipgu");
    assert_eq!(zones[0]["display_name"], "출입구");
    vigil.ok(&[
        "zone",
        "edit",
        "--camera",
        "jeongmun",
        "--name",
        "출입구",
        "--sensitivity",
        "70",
    ]);
    vigil.ok(&[
        "zone",
        "edit",
        "--camera",
        "정문",
        "--name",
        "chulipgu",
        "--sensitivity",
        "60",
    ]);

    // The same name typed decomposed is the same camera: refused as a duplicate.
    let said = refused(
        &vigil,
        &["camera", "add", "--name", JEONGMUN_NFD, "--url", "demo://"],
    );
    assert!(said.contains("already exists"), "{said}");
    assert_eq!(cameras(&vigil).len(), 1);

    // A name that cannot be transliterated gets camera-N.
    let added = vigil.ok(&["camera", "add", "--name", "東門", "--url", "demo://"]);
    assert!(added.contains("(id camera-1"), "{added}");

    // A new display name keeps the identifier (and so the recordings' camera).
    vigil.ok(&["camera", "edit", "jeongmun", "--name", "정문 1"]);
    let listed = cameras(&vigil);
    let gate = listed
        .iter()
        .find(|c| c["id"] == "jeongmun")
        .expect("jeongmun");
    assert_eq!(gate["display_name"], "정문 1");
    assert_eq!(recordings_of(&vigil, "정문 1").len(), by_name.len());
    let said = refused(&vigil, &["recordings", "--camera", "정문"]);
    assert!(said.contains("no camera named '정문'"), "{said}");
}

#[test]
fn a_library_from_before_display_names_migrates_without_moving_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let vigil = Vigil::new(dir.path());
    vigil.ok(&["camera", "add", "--name", "front", "--url", "demo://"]);
    vigil.mask_everything("front");
    let out = vigil.run(&["run", "--for", "4s"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let before = vigil.recordings();
    assert!(!before.is_empty(), "the demo camera recorded nothing");

    // Back to schema 9: no display-name columns.
    {
        let conn = rusqlite::Connection::open(dir.path().join("vigil.db")).expect("db");
        conn.execute_batch(
            "ALTER TABLE cameras DROP COLUMN display_name;
             ALTER TABLE zones DROP COLUMN display_name;
             PRAGMA user_version = 9;",
        )
        .expect("downgrade to schema 9");
    }
    let listed = cameras(&vigil);
    assert_eq!(listed[0]["id"], "front");
    assert_eq!(listed[0]["display_name"], "front");
    let zones: serde_json::Value =
        serde_json::from_str(&vigil.ok(&["zone", "list", "--camera", "front", "--json"]))
            .expect("zone list --json");
    assert_eq!(zones[0]["display_name"], "all");
    let after = vigil.recordings();
    assert_eq!(after, before, "the same rows, the same paths");
    for r in &after {
        let path = r["path"].as_str().expect("path");
        assert!(Path::new(path).is_file(), "{path}");
    }
    let conn = rusqlite::Connection::open(dir.path().join("vigil.db")).expect("db");
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .expect("user_version");
    assert!(version >= 10, "migrated past display names (10): {version}");
}
