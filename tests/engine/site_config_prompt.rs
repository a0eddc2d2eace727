//! `vigil config export --with-passwords` and `config import` asking for the passphrase on a
//! real terminal (a pseudo-terminal as the command's controlling terminal): twice, without
//! echo, on export; once on import, which then restores the camera's login.

use std::io::Write;
use std::os::fd::OwnedFd;
use std::process::Child;
use std::time::{Duration, Instant};

use vigil_core::library::Library;

use crate::common::Vigil;
use crate::users_prompt::{echoes, on_the_terminal, openpty, wait_for_text};

/// Starts `vigil args` with the slave end of a new pseudo-terminal as its controlling
/// terminal and standard streams.
fn on_a_terminal(v: &Vigil, args: &[&str]) -> (Child, std::fs::File, OwnedFd) {
    let (master, slave) = openpty();
    let mut cmd = v.cmd();
    cmd.args(args);
    on_the_terminal(&mut cmd, &slave);
    let child = cmd.spawn().expect("start vigil");
    (child, master, slave)
}

fn exits_cleanly(mut child: Child) {
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for vigil") {
            break status;
        }
        assert!(Instant::now() < deadline, "vigil did not finish");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status:?}");
}

#[test]
fn the_passphrase_is_asked_twice_on_export_and_once_on_import_without_echo() {
    let dir = tempfile::tempdir().expect("temp dir");
    let a = Vigil::new(&dir.path().join("a"));
    a.ok(&[
        "camera",
        "add",
        "--name",
        "gate",
        "--url",
        "rtsp://admin:pw-123@127.0.0.1:1/h264",
    ]);
    let file = dir.path().join("site.json");
    let file = file.to_str().expect("path");

    let (child, mut master, slave) =
        on_a_terminal(&a, &["config", "export", "-o", file, "--with-passwords"]);
    wait_for_text(&mut master, "Passphrase: ", Duration::from_secs(30));
    assert!(
        !echoes(&slave),
        "echo is off while the passphrase is asked for"
    );
    master.write_all(b"moving day 2026\n").expect("type");
    wait_for_text(&mut master, "Type it again: ", Duration::from_secs(30));
    master.write_all(b"moving day 2026\n").expect("type again");
    let shown = wait_for_text(&mut master, "passwords: included", Duration::from_secs(30));
    assert!(
        !shown.contains("moving day"),
        "the passphrase was shown: {shown:?}"
    );
    exits_cleanly(child);

    let b = Vigil::new(&dir.path().join("b"));
    let (child, mut master, slave) = on_a_terminal(&b, &["config", "import", file]);
    wait_for_text(&mut master, "Passphrase: ", Duration::from_secs(30));
    assert!(
        !echoes(&slave),
        "echo is off while the passphrase is asked for"
    );
    master.write_all(b"moving day 2026\n").expect("type");
    wait_for_text(&mut master, "passwords: imported", Duration::from_secs(30));
    exits_cleanly(child);
    let gate = Library::open(&b.data_dir)
        .expect("b")
        .camera_by_name("gate")
        .expect("gate");
    assert_eq!(gate.url, "rtsp://admin:pw-123@127.0.0.1:1/h264");
}
