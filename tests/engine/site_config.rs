//! `vigil config export|import` through the real binary on real libraries: a site (two
//! cameras, one named 정문 with a password in its URL, zones, a trigger source, MQTT with a
//! password, a web user) moves to fresh data directories without and with its passwords;
//! a wrong passphrase, a changed byte, a conflict and an invalid document each import
//! nothing and say why; `--replace` keeps recordings; a running recorder starts an imported
//! camera.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Output;
use std::time::Duration;

use serde_json::Value;
use vigil_core::library::Library;

use crate::common::{terminate, wait_until, Vigil};

const CAM_PASSWORD: &str = "pa55-w0rd";
const MQTT_PASSWORD: &str = "broker-secret-9";
const USER_PASSWORD: &str = "correct horse battery";
const PASSPHRASE: &str = "moving day 2026";

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn with_env(v: &Vigil, args: &[&str]) -> Output {
    v.cmd()
        .args(args)
        .env("VIGIL_TEST_PW", USER_PASSWORD)
        .env("VIGIL_TEST_MQTT", MQTT_PASSWORD)
        .env("VIGIL_TEST_PASSPHRASE", PASSPHRASE)
        .env("VIGIL_TEST_WRONG", "not the passphrase")
        .output()
        .expect("run vigil")
}

fn ok_env(v: &Vigil, args: &[&str]) -> String {
    let out = with_env(v, args);
    assert!(
        out.status.success(),
        "vigil {args:?} failed: {}{}",
        text(&out.stderr),
        text(&out.stdout)
    );
    text(&out.stdout)
}

/// The command failed with one `error:` line holding `said`.
fn refused(out: &Output, said: &str) {
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}{}", text(&out.stdout));
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(
        stderr.starts_with("error: ") && stderr.contains(said),
        "{said:?} in {stderr}"
    );
}

/// A site: 정문 (identifier jeongmun) with a login, a detect zone with its own objects and a
/// mask; yard with a trigger source; MQTT with a password; web user alice.
fn site(v: &Vigil) {
    let url = format!("rtsp://admin:{CAM_PASSWORD}@127.0.0.1:1/h264");
    let sub = format!("rtsp://admin:{CAM_PASSWORD}@127.0.0.1:1/sub");
    v.ok(&[
        "camera",
        "add",
        "--name",
        "정문",
        "--url",
        &url,
        "--detect-url",
        &sub,
        "--record",
        "both",
        "--retain-days",
        "3",
        "--max-gb",
        "2",
    ]);
    v.ok(&[
        "camera",
        "add",
        "--name",
        "yard",
        "--url",
        "demo://",
        "--disabled",
    ]);
    v.ok(&[
        "zone",
        "add",
        "--camera",
        "정문",
        "--name",
        "출입구",
        "--polygon",
        "0.1,0.1 0.9,0.1 0.5,0.9",
        "--sensitivity",
        "70",
        "--objects",
        "person,car",
    ]);
    v.ok(&[
        "zone",
        "add",
        "--camera",
        "정문",
        "--name",
        "tree",
        "--mask",
        "--polygon",
        "0,0 0.2,0 0.2,0.2",
    ]);
    v.ok(&[
        "trigger-source",
        "add",
        "--camera",
        "yard",
        "--name",
        "door",
        "--mqtt-topic",
        "z2m/door",
        "--when",
        "contact == false",
        "--hold",
        "30s",
    ]);
    ok_env(
        v,
        &[
            "mqtt",
            "set",
            "--broker",
            "mqtt://127.0.0.1:1",
            "--user",
            "vigil",
            "--password-env",
            "VIGIL_TEST_MQTT",
        ],
    );
    ok_env(
        v,
        &[
            "user",
            "add",
            "--name",
            "alice",
            "--role",
            "admin",
            "--password-env",
            "VIGIL_TEST_PW",
        ],
    );
}

/// A JSON listing without what differs between libraries by nature: creation times and
/// numeric row ids.
fn settled(mut value: Value) -> Value {
    match &mut value {
        Value::Object(map) => {
            map.remove("created_us");
            if map.get("id").is_some_and(Value::is_number) {
                map.remove("id");
            }
            for v in map.values_mut() {
                *v = settled(v.take());
            }
        }
        Value::Array(items) => {
            for v in items.iter_mut() {
                *v = settled(v.take());
            }
        }
        _ => {}
    }
    value
}

/// Everything the operator set up, as the CLI lists it.
fn listings(v: &Vigil) -> Value {
    let json =
        |args: &[&str]| -> Value { serde_json::from_str(&v.ok(args)).expect("a JSON listing") };
    settled(serde_json::json!({
        "cameras": json(&["camera", "list", "--json"]),
        "gate_zones": json(&["zone", "list", "--camera", "jeongmun", "--json"]),
        "mqtt": json(&["mqtt", "show", "--json"]),
        "users": json(&["user", "list", "--json"])
            .as_array().expect("users").iter()
            .map(|u| serde_json::json!([u["name"], u["role"]])).collect::<Vec<_>>(),
    }))
}

fn camera_count(dir: &Path) -> usize {
    Library::open(dir)
        .expect("library")
        .cameras()
        .expect("cameras")
        .len()
}

#[test]
fn a_site_moves_to_new_machines_without_and_with_its_passwords() {
    let dir = tempfile::tempdir().expect("temp dir");
    let a = Vigil::new(&dir.path().join("a"));
    site(&a);
    let original = listings(&a);

    // Without passwords: not one secret in the bytes, the file private.
    let plain = dir.path().join("site.json");
    let said = with_env(
        &a,
        &["config", "export", "-o", plain.to_str().expect("path")],
    );
    assert!(said.status.success(), "{}", text(&said.stderr));
    assert_eq!(
        std::fs::metadata(&plain)
            .expect("written")
            .permissions()
            .mode()
            & 0o777,
        0o600
    );
    let bytes = std::fs::read_to_string(&plain).expect("read");
    for secret in [
        CAM_PASSWORD,
        MQTT_PASSWORD,
        "admin:",
        "admin@",
        "argon2",
        "secrets",
        "$",
    ] {
        assert!(
            !bytes.contains(secret),
            "{secret:?} in the export:\n{bytes}"
        );
    }
    let b = Vigil::new(&dir.path().join("b"));
    let said = b.ok(&["config", "import", plain.to_str().expect("path")]);
    assert!(
        said.contains("imported 2 cameras, 2 zones, 1 trigger source, 1 user, MQTT settings added; passwords: none in the file"),
        "{said}"
    );
    let moved = listings(&b);
    assert_eq!(moved["gate_zones"], original["gate_zones"]);
    assert_eq!(moved["users"], original["users"]);
    let gate = Library::open(&b.data_dir)
        .expect("b")
        .camera_by_name("jeongmun")
        .expect("gate");
    assert_eq!(
        gate.url, "rtsp://127.0.0.1:1/h264",
        "no login without passwords"
    );
    assert_eq!(gate.display_name.as_str(), "정문");
    let mut without_logins = original.clone();
    for (field, clean) in [
        ("url", "rtsp://127.0.0.1:1/h264"),
        ("detect_url", "rtsp://127.0.0.1:1/sub"),
    ] {
        without_logins["cameras"][0][field] = clean.into();
    }
    without_logins["mqtt"]["password"] = Value::Null;
    assert_eq!(moved["cameras"], without_logins["cameras"]);
    assert_eq!(moved["mqtt"], without_logins["mqtt"]);

    // With passwords: the same listings, logins and the user's password back.
    let sealed = dir.path().join("sealed.json");
    let sealed_path = sealed.to_str().expect("path");
    ok_env(
        &a,
        &[
            "config",
            "export",
            "-o",
            sealed_path,
            "--with-passwords",
            "--passphrase-env",
            "VIGIL_TEST_PASSPHRASE",
        ],
    );
    let sealed_text = std::fs::read_to_string(&sealed).expect("read");
    for secret in [CAM_PASSWORD, MQTT_PASSWORD, "admin:", "$argon2id$"] {
        assert!(
            !sealed_text.contains(secret),
            "{secret:?} readable in the sealed export"
        );
    }
    let c = Vigil::new(&dir.path().join("c"));
    let said = ok_env(
        &c,
        &[
            "config",
            "import",
            sealed_path,
            "--passphrase-env",
            "VIGIL_TEST_PASSPHRASE",
        ],
    );
    assert!(said.contains("; passwords: imported"), "{said}");
    assert_eq!(listings(&c), original);
    let lib = Library::open(&c.data_dir).expect("c");
    assert_eq!(
        lib.camera_by_name("jeongmun").expect("gate").url,
        format!("rtsp://admin:{CAM_PASSWORD}@127.0.0.1:1/h264")
    );
    assert_eq!(
        lib.mqtt_settings()
            .expect("mqtt")
            .and_then(|m| m.password)
            .as_deref(),
        Some(MQTT_PASSWORD)
    );
    let alice = lib.user_by_name("alice").expect("read").expect("alice");
    assert!(vigil_core::web::password::verify(
        USER_PASSWORD,
        &alice.password_hash
    ));

    // A wrong passphrase, or one changed byte of the ciphertext: nothing imported.
    let d = Vigil::new(&dir.path().join("d"));
    let out = with_env(
        &d,
        &[
            "config",
            "import",
            sealed_path,
            "--passphrase-env",
            "VIGIL_TEST_WRONG",
        ],
    );
    refused(&out, "the passphrase does not open this file's passwords");
    assert_eq!(camera_count(&d.data_dir), 0);
    let mut doc: Value = serde_json::from_str(&sealed_text).expect("json");
    let ct = doc["secrets"]["ciphertext"]
        .as_str()
        .expect("ciphertext")
        .to_string();
    let flipped = if ct.starts_with('A') { "B" } else { "A" };
    doc["secrets"]["ciphertext"] = format!("{flipped}{}", &ct[1..]).into();
    let tampered = dir.path().join("tampered.json");
    std::fs::write(&tampered, doc.to_string()).expect("write");
    let out = with_env(
        &d,
        &[
            "config",
            "import",
            tampered.to_str().expect("path"),
            "--passphrase-env",
            "VIGIL_TEST_PASSPHRASE",
        ],
    );
    refused(&out, "the passphrase does not open this file's passwords");
    assert_eq!(camera_count(&d.data_dir), 0);
    // --skip-passwords imports the rest.
    let said = d.ok(&["config", "import", sealed_path, "--skip-passwords"]);
    assert!(said.contains("; passwords: skipped"), "{said}");
    assert!(said.contains("vigil user passwd"), "{said}");
}

/// A change that makes a document invalid.
type Spoil = Box<dyn Fn(&mut Value)>;

#[test]
fn invalid_documents_are_refused_with_a_sentence_and_import_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let a = Vigil::new(&dir.path().join("a"));
    site(&a);
    let doc: Value = serde_json::from_str(&a.ok(&["config", "export", "-o", "-"])).expect("json");
    let b = Vigil::new(&dir.path().join("b"));
    let cases: Vec<(Spoil, &str)> = vec![
        (
            Box::new(|d| d["version"] = 7.into()),
            "the file is version 7 of the site configuration; this Vigil reads version 1",
        ),
        (
            Box::new(|d| {
                d["cameras"][0]["zones"][0]["polygon"] = serde_json::json!([[0.1, 0.1], [0.2, 0.2]])
            }),
            "camera 'jeongmun': zone 'chulipgu': a zone polygon needs at least 3 points, got 2",
        ),
        (
            Box::new(|d| d["cameras"][1]["name"] = "정문".into()),
            "two cameras in the file are named '정문'",
        ),
        (
            Box::new(|d| d["cameras"][1]["url"] = "ftp://x".into()),
            "camera 'yard': ",
        ),
    ];
    for (i, (spoil, said)) in cases.iter().enumerate() {
        let mut bad = doc.clone();
        spoil(&mut bad);
        let path = dir.path().join(format!("bad-{i}.json"));
        std::fs::write(&path, bad.to_string()).expect("write");
        refused(
            &b.run(&["config", "import", path.to_str().expect("path")]),
            said,
        );
        assert_eq!(camera_count(&b.data_dir), 0, "{said}");
    }
}

#[test]
fn a_conflict_changes_nothing_and_replace_keeps_the_recordings() {
    let dir = tempfile::tempdir().expect("temp dir");
    let v = Vigil::new(dir.path());
    v.add_demo_camera("cam", &["--segment-seconds", "2"]);
    v.ok(&["run", "--for", "5s"]);
    let recorded = v.recordings();
    assert!(!recorded.is_empty(), "the demo camera recorded");
    let file = dir.path().join("site.json");
    v.ok(&["config", "export", "-o", file.to_str().expect("path")]);
    let file = file.to_str().expect("path");
    v.mask_everything("cam");
    let out = v.run(&["config", "import", file]);
    refused(
        &out,
        "the library already has camera 'cam'; nothing was imported (pass --replace",
    );
    let zones = |v: &Vigil| v.ok(&["zone", "list", "--camera", "cam", "--json"]);
    assert!(
        zones(&v).contains("\"all\""),
        "the conflict changed nothing"
    );
    let said = v.ok(&["config", "import", file, "--replace", "--dry-run"]);
    assert!(said.starts_with("would replace camera 'cam'"), "{said}");
    assert!(zones(&v).contains("\"all\""), "a dry run changes nothing");
    let said = v.ok(&["config", "import", file, "--replace"]);
    assert!(said.contains("replaced camera 'cam'"), "{said}");
    assert!(
        !zones(&v).contains("\"all\""),
        "the file's zones (none) replaced the mask"
    );
    assert_eq!(
        v.recordings(),
        recorded,
        "the recordings stayed, rows and files"
    );
    for r in &recorded {
        assert!(Path::new(r["path"].as_str().expect("path")).exists());
    }
}

#[test]
fn a_running_recorder_starts_an_imported_camera() {
    let dir = tempfile::tempdir().expect("temp dir");
    let source = Vigil::new(&dir.path().join("source"));
    source.add_demo_camera("imported", &["--segment-seconds", "2"]);
    let file = dir.path().join("site.json");
    source.ok(&["config", "export", "-o", file.to_str().expect("path")]);
    let v = Vigil::new(&dir.path().join("live"));
    v.add_demo_camera("first", &[]);
    let recorder = v.spawn(&["run"]);
    v.ok(&["config", "import", file.to_str().expect("path")]);
    let imported = Library::open(&v.data_dir)
        .expect("lib")
        .camera_by_name("imported")
        .expect("camera")
        .id;
    let running = || -> bool {
        let db = rusqlite::Connection::open(v.data_dir.join("vigil.db")).expect("db");
        db.query_row(
            "SELECT EXISTS(SELECT 1 FROM running_cameras WHERE camera_id = ?1)",
            [imported],
            |r| r.get(0),
        )
        .unwrap_or(false)
    };
    let started = wait_until(Duration::from_secs(30), running);
    let out = terminate(recorder);
    assert!(
        started,
        "the recorder started the imported camera: {}",
        text(&out.stderr)
    );
}
