//! `vigil run --group-read` (the system service's flag, issue 16): the data directory, its
//! folders, the database (with its -wal and -shm), finished recordings, the lock file and the
//! status viewers read (`status.json`) are 0750 / 0640, never open to others, while a plain
//! `vigil` keeps them 0700 / 0600; `lock::holder` names the running recorder; and another
//! user in the directory's group (a real uid dropped to with `setpriv`) views the library
//! read-only through `vigil gui`, told who records, while a user outside the group cannot
//! read it.

use crate::common::{self, Vigil};

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use vigil_core::library::lock;

/// An unprivileged uid (nobody's) the viewer runs as.
const OTHER_UID: &str = "65534";

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).expect("metadata").permissions().mode() & 0o777
}

/// `vigil gui` as uid 65534 with `groups` (`--groups=…` or `--clear-groups`), no display,
/// the environment cleared but for `env`.
fn gui_as_other(bin: &Path, groups: &str, args: &[&str], env: &[(&str, &Path)]) -> Output {
    let mut cmd = Command::new("setpriv");
    cmd.args([
        &format!("--reuid={OTHER_UID}"),
        &format!("--regid={OTHER_UID}"),
        groups,
    ])
    .arg(bin)
    .args(args)
    .env_clear()
    .env("HOME", "/nonexistent")
    .env("PATH", "/usr/bin:/bin");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output()
        .expect("setpriv is missing: install util-linux (make test does)")
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn group_read_shares_the_library_with_its_group_only_and_the_viewer_names_the_recorder() {
    let tmp = tempfile::tempdir().expect("temp dir");
    // The other user must reach the data directory and run the binary.
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    // The build folder may sit where the other user cannot go (a clone under /root): the
    // binary is linked (or copied) into the temp dir, which that user can reach.
    let bin = tmp.path().join("vigil");
    if std::fs::hard_link(env!("CARGO_BIN_EXE_vigil"), &bin).is_err() {
        std::fs::copy(env!("CARGO_BIN_EXE_vigil"), &bin).expect("copy the vigil binary");
    }
    let probe = gui_as_other(&bin, "--clear-groups", &["--version"], &[]);
    assert!(
        probe.status.success(),
        "uid {OTHER_UID} cannot run {}: {}",
        bin.display(),
        text(&probe)
    );
    let data = tmp.path().join("data");
    let vigil = Vigil::new(&data);
    vigil.add_demo_camera("demo", &["--segment-seconds", "2"]);
    // Without the flag: private.
    assert_eq!((mode(&data), mode(&data.join("vigil.db"))), (0o700, 0o600));

    let recorder = Command::new("sh")
        .arg("-c")
        .arg("umask 022; exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_vigil"))
        .arg("--data-dir")
        .arg(&data)
        .args(["run", "--group-read", "--for", "60s"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn vigil run");
    let pid = recorder.id();
    let finished = || -> Vec<String> {
        let rows = vigil.recordings();
        rows.iter()
            .filter_map(|r| r["path"].as_str().map(str::to_string))
            .collect()
    };
    assert!(
        common::wait_until(Duration::from_secs(40), || {
            data.join("vigil.db-wal").exists()
                && data.join("status.json").exists()
                && !finished().is_empty()
        }),
        "vigil run --group-read wrote its database and finished a recording"
    );
    let file = std::path::PathBuf::from(&finished()[0]);
    let checked = [
        (data.clone(), 0o750),
        (data.join("vigil.db"), 0o640),
        (data.join("vigil.db-wal"), 0o640),
        (data.join("vigil.db-shm"), 0o640),
        (data.join("vigil.lock"), 0o640),
        (data.join("status.json"), 0o640),
        (data.join("recordings"), 0o750),
        (file.parent().expect("day").to_path_buf(), 0o750),
        (file.clone(), 0o640),
    ];
    for (path, want) in &checked {
        assert_eq!(mode(path), *want, "{:o} {}", mode(path), path.display());
    }

    let holder = lock::holder(&data).expect("the recorder holds the lock");
    assert_eq!(holder.pid, Some(pid), "{holder:?}");
    assert_eq!(holder.user.as_deref(), Some("root"), "{holder:?}");
    assert!(!holder.service);

    // A member of the directory's group views it read-only and is told who records.
    let gid = std::fs::metadata(&data).expect("data dir").gid();
    let groups = format!("--groups={gid}");
    let dir = data.to_str().expect("utf-8 path");
    let member = gui_as_other(&bin, &groups, &["--data-dir", dir, "gui"], &[]);
    let said = text(&member);
    assert!(
        said.contains(&format!("is done by another Vigil (pid {pid}, user root)")),
        "{said}"
    );
    // With its state, from the recorder's status.json, readable by the group.
    assert!(
        said.contains("read-only (cameras: demo (connected"),
        "{said}"
    );
    // Found by itself as the system recorder when no data directory is named.
    let system = gui_as_other(&bin, &groups, &["gui"], &[("VIGIL_SYSTEM_DATA_DIR", &data)]);
    let said = text(&system);
    assert!(
        said.contains(&format!(
            "is done by the Vigil service (pid {pid}, user root)"
        )),
        "{said}"
    );
    // With its state, from the recorder's status.json, readable by the group.
    assert!(
        said.contains("read-only (cameras: demo (connected"),
        "{said}"
    );
    // Anyone else cannot read it.
    let outsider = gui_as_other(&bin, "--clear-groups", &["--data-dir", dir, "gui"], &[]);
    let said = text(&outsider);
    assert!(
        !outsider.status.success() && !said.contains("cameras: demo"),
        "{said}"
    );
    assert!(said.contains("permission denied"), "{said}");

    let out = common::terminate(recorder);
    let said = text(&out);
    assert!(out.status.success(), "{said}");
    assert!(
        said.contains("was 700; with group read Vigil made it 750"),
        "{said}"
    );
    assert_eq!(lock::holder(&data), None, "released");

    // Group read stays with the directory (0750) until it is made 0700 again; then a plain
    // run makes the library private again and says so.
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o700)).expect("chmod");
    let out = vigil.run(&["run", "--for", "1s"]);
    let said = text(&out);
    assert!(said.contains("(mode 640); Vigil made it 600"), "{said}");
    assert_eq!((mode(&data), mode(&data.join("vigil.db"))), (0o700, 0o600));
}
