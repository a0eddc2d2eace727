//! Issue 9: data safety of the library, with the real `vigil` binary, the demo camera and the
//! real SQLite file. Removing a camera deletes only its own indexed files (never a folder by
//! name: a renamed camera keeps its old one); a removal while `vigil run` records the camera
//! stops it there first; the data directory, database and recordings are private to their
//! owner; camera passwords stay out of the `cameras.url` column.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use rusqlite::Connection;

use super::common::{self, Vigil};

/// A small demo camera, cheap on a shared 2-core machine.
const DEMO: &str = "demo://?width=320&height=180&fps=10";

fn add_demo(v: &Vigil, name: &str) {
    v.ok(&[
        "camera",
        "add",
        "--name",
        name,
        "--url",
        DEMO,
        "--segment-seconds",
        "2",
    ]);
}

fn db(v: &Vigil) -> Connection {
    Connection::open(v.data_dir.join("vigil.db")).expect("open vigil.db")
}

fn camera_id(v: &Vigil, name: &str) -> i64 {
    db(v)
        .query_row("SELECT id FROM cameras WHERE name = ?1", [name], |r| {
            r.get(0)
        })
        .expect("camera row")
}

fn count(v: &Vigil, sql: &str, id: i64) -> i64 {
    db(v).query_row(sql, [id], |r| r.get(0)).expect("count")
}

/// Indexed files of a camera, by name.
fn files_of(v: &Vigil, camera: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = v
        .recordings()
        .iter()
        .filter(|r| r["camera"] == camera)
        .map(|r| PathBuf::from(r["path"].as_str().expect("path")))
        .collect();
    out.sort();
    out
}

fn run_for(v: &Vigil, secs: u32) -> Output {
    let out = v.run(&["run", "--for", &format!("{secs}s")]);
    assert!(
        out.status.success(),
        "vigil run failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p)
        .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
        .permissions()
        .mode()
        & 0o777
}

/// Moves a camera's recordings into a folder named after it, rows and files, as an older
/// Vigil (before `cam-<id>` folders) would have left them.
fn as_if_recorded_by_an_older_vigil(v: &Vigil, camera: &str) {
    let id = camera_id(v, camera);
    let root = v.data_dir.canonicalize().expect("data dir");
    for file in files_of(v, camera) {
        let rel = file.strip_prefix(&root).expect("inside the data dir");
        let old = PathBuf::from(rel.to_string_lossy().replacen(
            &format!("recordings/cam-{id}/"),
            &format!("recordings/{camera}/"),
            1,
        ));
        std::fs::create_dir_all(root.join(&old).parent().expect("day")).expect("folder");
        std::fs::rename(&file, root.join(&old)).expect("move");
        db(v)
            .execute(
                "UPDATE segments SET path = ?2 WHERE path = ?1",
                [
                    rel.to_string_lossy().as_ref(),
                    old.to_string_lossy().as_ref(),
                ],
            )
            .expect("row");
    }
}

#[test]
fn removing_a_new_namesake_keeps_the_renamed_cameras_recordings() {
    let dir = tempfile::tempdir().expect("temp dir");
    let v = Vigil::new(dir.path());
    add_demo(&v, "front");
    run_for(&v, 7);
    as_if_recorded_by_an_older_vigil(&v, "front");
    let legacy = files_of(&v, "front");
    assert!(legacy.len() >= 2, "front recorded: {legacy:?}");
    assert!(legacy
        .iter()
        .all(|f| f.to_string_lossy().contains("/recordings/front/")));

    // The scenario: rename, add a camera with the old name, remove it.
    v.ok(&["camera", "rename", "--name", "front", "--to", "front-old"]);
    add_demo(&v, "front");
    v.ok(&["camera", "remove", "--name", "front"]);
    assert_eq!(files_of(&v, "front-old"), legacy, "rows kept");
    assert!(legacy.iter().all(|f| f.exists()), "files kept");
    common::assert_files_match_rows(&v);

    // Both record (front-old into its own cam-<id> folder), then the new one goes with its
    // recordings: exactly its files, and its emptied folders.
    add_demo(&v, "front");
    let new_id = camera_id(&v, "front");
    run_for(&v, 7);
    let new_files = files_of(&v, "front");
    let old_files = files_of(&v, "front-old");
    assert!(!new_files.is_empty() && old_files.len() > legacy.len());
    let out = v.ok(&["camera", "remove", "--name", "front", "--delete-recordings"]);
    eprintln!("{}", out.trim());
    assert!(new_files.iter().all(|f| !f.exists()), "its files are gone");
    let folder = dir.path().join(format!("recordings/cam-{new_id}"));
    assert!(!folder.exists(), "its emptied folder is pruned");
    assert_eq!(files_of(&v, "front-old"), old_files);
    assert!(old_files.iter().all(|f| f.exists()));
    common::assert_files_match_rows(&v);
    eprintln!(
        "front-old kept {} recordings ({} from the older layout); the removed front had {}",
        old_files.len(),
        legacy.len(),
        new_files.len()
    );
}

#[test]
fn cli_remove_while_vigil_run_records_the_camera_stops_it_first() {
    let dir = tempfile::tempdir().expect("temp dir");
    let v = Vigil::new(dir.path());
    add_demo(&v, "keep");
    add_demo(&v, "gone");
    let (keep, gone) = (camera_id(&v, "keep"), camera_id(&v, "gone"));
    let run = v.spawn(&["run"]);
    let recorded = common::wait_until(Duration::from_secs(40), || {
        count(
            &v,
            "SELECT COUNT(*) FROM segments WHERE camera_id = ?1",
            gone,
        ) >= 1
    });
    assert!(recorded, "gone recorded a segment under vigil run");

    let t = Instant::now();
    let out = v.run(&["camera", "remove", "--name", "gone", "--delete-recordings"]);
    let took = t.elapsed();
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "remove failed: {}\n{said}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(said.contains("waiting for the running recorder"), "{said}");
    eprintln!(
        "camera remove under a running recorder took {took:?}: {}",
        said.trim()
    );
    for table in ["segments", "open_segments", "running_cameras"] {
        let sql = format!("SELECT COUNT(*) FROM {table} WHERE camera_id = ?1");
        assert_eq!(count(&v, &sql, gone), 0, "no {table} row left");
    }
    assert!(!dir.path().join(format!("recordings/cam-{gone}")).exists());
    // The recorder goes on with the other camera, without a word about the removed one.
    let before = count(
        &v,
        "SELECT COUNT(*) FROM segments WHERE camera_id = ?1",
        keep,
    );
    let more = common::wait_until(Duration::from_secs(20), || {
        count(
            &v,
            "SELECT COUNT(*) FROM segments WHERE camera_id = ?1",
            keep,
        ) > before
    });
    assert!(more, "keep goes on recording");
    let out = common::terminate(run);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(stdout.contains("gone: stopped"), "{stdout}");
    assert!(
        !stderr.contains("ERROR"),
        "the recorder logged an error: {stderr}"
    );
    assert!(!dir.path().join(format!("recordings/cam-{gone}")).exists());
    assert!(files_of(&v, "gone").is_empty());
    common::assert_files_match_rows(&v);
}

#[test]
fn data_dir_database_and_recordings_are_private_whatever_the_umask() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let data = tmp.path().join("data");
    let v = Vigil::new(&data);
    let mut run = Command::new("sh")
        .arg("-c")
        .arg("umask 022; exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_vigil"))
        .arg("--data-dir")
        .arg(&data)
        .args(["run", "--for", "60s"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn vigil run");
    let root = || data.canonicalize().expect("data dir");
    let ready = common::wait_until(Duration::from_secs(40), || {
        data.join("vigil.db-wal").exists() && !common::mp4_files(&root()).is_empty()
    });
    assert!(ready, "vigil run wrote its database and a recording");
    let file = common::mp4_files(&root())[0].clone();
    let checked = [
        (data.clone(), 0o700),
        (data.join("vigil.db"), 0o600),
        (data.join("vigil.db-wal"), 0o600),
        (data.join("vigil.db-shm"), 0o600),
        (data.join("recordings"), 0o700),
        (file.parent().expect("day").to_path_buf(), 0o700),
        (file.clone(), 0o600),
    ];
    for (path, want) in &checked {
        eprintln!("{:o} {}", mode(path), path.display());
        assert_eq!(mode(path), *want, "{}", path.display());
    }
    let _ = run.kill();
    let _ = run.wait();

    // A data directory opened up by hand is tightened at start-up, and `vigil run` says so.
    for (path, open) in [(&data, 0o755), (&data.join("vigil.db"), 0o644)] {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(open)).expect("chmod");
    }
    // (Its exit status is not the point: one second may be too short to record.)
    let out = v.run(&["run", "--for", "1s"]);
    let said = String::from_utf8_lossy(&out.stdout);
    eprintln!("{}", said.lines().take(2).collect::<Vec<_>>().join("\n"));
    assert!(
        said.contains("was open to other local users (mode 755); Vigil made it 700"),
        "{said}"
    );
    assert!(said.contains("(mode 644); Vigil made it 600"), "{said}");
    assert_eq!((mode(&data), mode(&data.join("vigil.db"))), (0o700, 0o600));
}

#[test]
fn camera_passwords_stay_out_of_the_url_column() {
    let dir = tempfile::tempdir().expect("temp dir");
    let v = Vigil::new(dir.path());
    v.ok(&[
        "camera",
        "add",
        "--name",
        "gate",
        "--url",
        "rtsp://admin:p4ssw0rd@127.0.0.1:1/main",
        "--detect-url",
        "rtsp://admin:p4ssw0rd@127.0.0.1:1/sub",
        "--disabled",
    ]);
    let urls = |v: &Vigil| -> String {
        db(v)
            .query_row(
                "SELECT url || ' ' || detect_url FROM cameras WHERE name = 'gate'",
                [],
                |r| r.get(0),
            )
            .expect("row")
    };
    assert_eq!(urls(&v), "rtsp://127.0.0.1:1/main rtsp://127.0.0.1:1/sub");
    let listed = v.ok(&["camera", "list", "--json"]);
    assert!(
        listed.contains("rtsp://admin:***@127.0.0.1:1/main"),
        "{listed}"
    );
    assert!(!listed.contains("p4ssw0rd"));

    // A library as schema 3 left it (credentials in the URL, no v4 tables) is migrated.
    db(&v)
        .execute_batch(
            "UPDATE cameras SET url = 'rtsp://admin:p4ssw0rd@127.0.0.1:1/main',
                 detect_url = 'rtsp://admin:p4ssw0rd@127.0.0.1:1/sub';
             DROP TABLE camera_secrets; DROP TABLE running_cameras;
             PRAGMA user_version = 3;",
        )
        .expect("make a schema 3 library");
    let listed = v.ok(&["camera", "list", "--json"]);
    assert!(
        listed.contains("rtsp://admin:***@127.0.0.1:1/main"),
        "{listed}"
    );
    assert_eq!(urls(&v), "rtsp://127.0.0.1:1/main rtsp://127.0.0.1:1/sub");
    let version: i64 = db(&v)
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("version");
    assert!(version >= 4);
    let secret: String = db(&v)
        .query_row("SELECT url_userinfo FROM camera_secrets", [], |r| r.get(0))
        .expect("secret row");
    assert_eq!(secret, "admin:p4ssw0rd");
}

#[test]
fn a_rename_under_vigil_run_restarts_the_camera_under_its_new_name() {
    let dir = tempfile::tempdir().expect("temp dir");
    let v = Vigil::new(dir.path());
    add_demo(&v, "porch");
    let id = camera_id(&v, "porch");
    let segments = || count(&v, "SELECT COUNT(*) FROM segments WHERE camera_id = ?1", id);
    let run = v.spawn(&["run"]);
    assert!(
        common::wait_until(Duration::from_secs(40), || segments() >= 1),
        "porch recorded under vigil run"
    );
    v.ok(&["camera", "rename", "--name", "porch", "--to", "door"]);
    let before = segments();
    assert!(
        common::wait_until(Duration::from_secs(20), || segments() >= before + 2),
        "door goes on recording after the rename"
    );
    let out = common::terminate(run);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(
        stdout.contains("porch: stopped") && stdout.contains("door: started"),
        "{stdout}"
    );
    assert!(!stderr.contains("ERROR"), "{stderr}");
    let files = files_of(&v, "door");
    assert!(files.iter().all(|f| f
        .to_string_lossy()
        .contains(&format!("/recordings/cam-{id}/"))));
    assert!(
        files_of(&v, "porch").is_empty(),
        "every row is the renamed camera's"
    );
    common::assert_files_match_rows(&v);
    eprintln!(
        "{} recordings of the renamed camera, all in cam-{id}",
        files.len()
    );
}
