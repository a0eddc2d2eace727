//! The document's checks and a library-to-library round trip.

use super::*;
use crate::detect::{Polygon, ZoneKind, ZoneSpec};
use crate::library::Library;
use crate::model::{CameraName, DisplayName, NewCamera, Policy, Transport};

fn library() -> (tempfile::TempDir, Library) {
    let dir = tempfile::tempdir().unwrap();
    let lib = Library::open(dir.path()).unwrap();
    (dir, lib)
}

/// A library with camera 정문 (a login in its URL and a zone) and a web user.
fn site() -> (tempfile::TempDir, Library) {
    let (dir, mut lib) = library();
    let cam = lib
        .add_camera_named(
            &NewCamera {
                name: CameraName::parse("gate").unwrap(),
                url: "rtsp://admin:s3cr%21t@10.0.0.5/main".into(),
                detect_url: None,
                transport: Transport::Tcp,
                enabled: true,
                audio: false,
            },
            &DisplayName::parse("정문").unwrap(),
            &Policy::default(),
        )
        .unwrap();
    let poly = Polygon::new(vec![(0.1, 0.1), (0.9, 0.1), (0.5, 0.9)]).unwrap();
    lib.add_zone(cam.id, &ZoneSpec::new(0, "door", ZoneKind::Detect, poly))
        .unwrap();
    let hash = crate::web::password::hash("old password 1").unwrap();
    lib.insert_user("alice", "admin", &hash, 0).unwrap();
    (dir, lib)
}

fn exported(lib: &Library, passphrase: Option<&str>) -> serde_json::Value {
    let doc = export(lib, passphrase).unwrap();
    serde_json::from_str(&doc.to_json().unwrap()).unwrap()
}

fn refusal(value: &serde_json::Value) -> String {
    let parsed = SiteConfig::parse(&value.to_string());
    match parsed {
        Err(e) => e.to_string(),
        Ok(doc) => check(&doc, None).unwrap_err().to_string(),
    }
}

#[test]
fn a_document_without_passwords_holds_no_secret() {
    let (_dir, lib) = site();
    let text = export(&lib, None).unwrap().to_json().unwrap();
    for secret in ["s3cr", "admin:", "argon2", "secrets"] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
    assert!(text.contains("\"url\": \"rtsp://10.0.0.5/main\""), "{text}");
}

#[test]
fn documents_are_refused_with_a_sentence_naming_the_problem() {
    let (_dir, lib) = site();
    let good = exported(&lib, None);
    let mut v = good.clone();
    v["version"] = 2.into();
    assert_eq!(
        refusal(&v),
        "the file is version 2 of the site configuration; this Vigil reads version 1 (a newer \
         Vigil wrote it: upgrade this one)"
    );
    let mut v = good.clone();
    v["format"] = "something-else".into();
    assert!(refusal(&v).contains("not a Vigil site configuration"));
    let mut v = good.clone();
    v["cameras"][0]["zones"][0]["polygon"] =
        serde_json::json!([[0.1, 0.1], [1.5, 0.1], [0.5, 0.9]]);
    assert_eq!(
        refusal(&v),
        "camera 'gate': zone 'door': point 2 (1.5,0.1) is outside the frame; coordinates are \
         fractions of the width and height, from 0 to 1"
    );
    let mut v = good.clone();
    v["cameras"][0]["zones"][0]["polygon"] =
        serde_json::json!([[0.0, 0.0], [1.0, 1.0], [1.0, 0.0], [0.0, 1.0]]);
    assert!(
        refusal(&v).starts_with("camera 'gate': zone 'door': "),
        "{}",
        refusal(&v)
    );
    let mut v = good.clone();
    let twin = v["cameras"][0].clone();
    v["cameras"].as_array_mut().unwrap().push(twin);
    assert_eq!(refusal(&v), "camera 'gate' is in the file twice");
    let mut v = good.clone();
    v["cameras"][0]["policy"]["segment_s"] = 1.into();
    assert!(refusal(&v).starts_with("camera 'gate': segment length 1 s is out of range"));
    let mut v = good.clone();
    v["cameras"][0]["id"] = "../x".into();
    assert!(refusal(&v).starts_with("camera '../x': camera name '../x' may only use"));
    let mut v = good.clone();
    v["cameras"][0]["colour"] = "red".into();
    assert!(
        refusal(&v).contains("unknown field `colour`"),
        "{}",
        refusal(&v)
    );
    let mut v = good;
    v["users"][0]["role"] = "owner".into();
    assert!(refusal(&v).starts_with("user 'alice': "), "{}", refusal(&v));
    assert!(SiteConfig::parse("not json")
        .unwrap_err()
        .to_string()
        .starts_with("the file is not JSON"));
}

#[test]
fn a_site_moves_with_its_passwords_and_a_conflict_changes_nothing() {
    let (_dir, from) = site();
    let doc = export(&from, Some("a long passphrase")).unwrap();
    let sealed = doc.secrets.as_ref().unwrap();
    let secrets = sealed::open(sealed, "a long passphrase").unwrap();
    let checked = check(&doc, Some(&secrets)).unwrap();
    let (_dir2, mut to) = library();
    let opts = ImportOptions {
        replace: false,
        dry_run: true,
        passwords: Passwords::Imported,
    };
    let dry = import(&mut to, &checked, opts).unwrap();
    assert_eq!(dry.added_cameras, ["gate"]);
    assert!(to.cameras().unwrap().is_empty(), "a dry run keeps nothing");
    assert!(to.users().unwrap().is_empty());
    let opts = ImportOptions {
        dry_run: false,
        ..opts
    };
    let report = import(&mut to, &checked, opts).unwrap();
    assert_eq!(
        report.summary(opts),
        "imported 1 camera, 1 zone, 0 trigger sources, 1 user; passwords: imported"
    );
    let gate = to.camera_by_name("gate").unwrap();
    assert_eq!(gate.url, "rtsp://admin:s3cr%21t@10.0.0.5/main");
    assert_eq!(gate.display_name.as_str(), "정문");
    let zones = to.zones(gate.id).unwrap();
    assert_eq!((zones[0].name.as_str(), zones.len()), ("door", 1));
    let alice = to.user_by_name("alice").unwrap().unwrap();
    assert!(crate::web::password::verify(
        "old password 1",
        &alice.password_hash
    ));
    // Again: everything is a conflict, named in one sentence, and nothing changes.
    let before = export(&to, None).unwrap().cameras;
    let err = import(&mut to, &checked, opts).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the library already has camera 'gate' and user 'alice'; nothing was imported (pass \
         --replace to replace them: recordings are kept)"
    );
    assert_eq!(export(&to, None).unwrap().cameras, before);
}

#[test]
fn an_import_failing_part_way_leaves_the_library_as_it_was() {
    let (_dir, from) = site();
    let mut doc = export(&from, None).unwrap();
    // A second camera whose name an existing camera of the target already has.
    let mut other = doc.cameras[0].clone();
    other.id = "yard".into();
    other.name = "마당".into();
    doc.cameras.push(other);
    let checked = check(&doc, None).unwrap();
    let (_dir2, mut to) = library();
    to.add_camera_named(
        &NewCamera {
            name: CameraName::parse("backyard").unwrap(),
            url: "demo://".into(),
            detect_url: None,
            transport: Transport::Tcp,
            enabled: true,
            audio: false,
        },
        &DisplayName::parse("마당").unwrap(),
        &Policy::default(),
    )
    .unwrap();
    let opts = ImportOptions {
        replace: false,
        dry_run: false,
        passwords: Passwords::NoneInFile,
    };
    let err = import(&mut to, &checked, opts).unwrap_err();
    assert!(err.to_string().contains("마당"), "{err}");
    let names: Vec<String> = to
        .cameras()
        .unwrap()
        .iter()
        .map(|c| c.name.to_string())
        .collect();
    assert_eq!(
        names,
        ["backyard"],
        "the first camera was rolled back with the rest"
    );
    assert!(to.users().unwrap().is_empty());
}
