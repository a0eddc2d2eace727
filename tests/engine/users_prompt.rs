//! `vigil user add` asking for the password on a real terminal (a pseudo-terminal whose
//! slave is the command's controlling terminal): echo is off while it asks, and Ctrl-C at the
//! prompt ends the command with the terminal echoing again and no account added.

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::Vigil;

/// Makes the slave end of a pseudo-terminal `cmd`'s standard streams and controlling
/// terminal (a new session), as when a person runs it in a terminal: Ctrl-C reaches it.
pub(crate) fn on_the_terminal(cmd: &mut Command, slave: &OwnedFd) {
    let terminal = || Stdio::from(slave.try_clone().expect("dup the terminal"));
    cmd.stdin(terminal()).stdout(terminal()).stderr(terminal());
    // SAFETY: between fork and exec only async-signal-safe calls: a new session whose
    // controlling terminal is the slave (standard input).
    unsafe {
        cmd.pre_exec(|| {
            if libc::setsid() < 0 || libc::ioctl(0, libc::TIOCSCTTY, 0) < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

/// A pseudo-terminal: the master end (the "keyboard and screen") and the slave end.
pub(crate) fn openpty() -> (File, OwnedFd) {
    let (mut master, mut slave) = (-1, -1);
    // SAFETY: openpty writes two new descriptors; the name, termios and winsize are optional.
    let rc = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            std::ptr::null(),
        )
    };
    assert_eq!(rc, 0, "openpty: {}", std::io::Error::last_os_error());
    // SAFETY: both descriptors were just opened and are owned here alone.
    unsafe { (File::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) }
}

/// Whether the terminal echoes what is typed.
pub(crate) fn echoes(slave: &OwnedFd) -> bool {
    // SAFETY: plain data filled by tcgetattr for a valid descriptor.
    let mut t: libc::termios = unsafe { std::mem::zeroed() };
    assert_eq!(unsafe { libc::tcgetattr(slave.as_raw_fd(), &mut t) }, 0);
    t.c_lflag & libc::ECHO != 0
}

/// Reads the master end until `text` was shown, within `within`; what was shown.
pub(crate) fn wait_for_text(master: &mut File, text: &str, within: Duration) -> String {
    let deadline = Instant::now() + within;
    let mut shown = String::new();
    while !shown.contains(text) {
        let left = deadline.saturating_duration_since(Instant::now());
        assert!(
            !left.is_zero(),
            "'{text}' never shown; the terminal shows: {shown:?}"
        );
        let mut poll = libc::pollfd {
            fd: master.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd.
        let ready = unsafe { libc::poll(&mut poll, 1, left.as_millis().min(1000) as i32) };
        if ready > 0 {
            let mut buf = [0u8; 256];
            let n = master.read(&mut buf).expect("read the terminal");
            shown.push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    }
    shown
}

#[test]
fn ctrl_c_at_the_password_prompt_leaves_the_terminal_echoing_and_adds_no_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let v = Vigil::new(dir.path());
    let (mut master, slave) = openpty();
    assert!(echoes(&slave), "a new terminal echoes");
    let mut cmd = v.cmd();
    cmd.args(["user", "add", "--name", "ann", "--role", "viewer"]);
    on_the_terminal(&mut cmd, &slave);
    let mut child = cmd.spawn().expect("start vigil user add");

    wait_for_text(&mut master, "New password: ", Duration::from_secs(30));
    assert!(
        !echoes(&slave),
        "echo is off while the password is asked for"
    );
    master.write_all(b"half a pass").expect("type");
    master.write_all(&[0x03]).expect("press Ctrl-C");

    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for vigil") {
            break status;
        }
        assert!(Instant::now() < deadline, "Ctrl-C did not end the prompt");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.signal(), Some(libc::SIGINT), "{status:?}");
    assert!(echoes(&slave), "the terminal echoes again after Ctrl-C");

    let out = v.run(&["user", "list", "--json"]);
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{listed}");
    assert!(!listed.contains("ann"), "no account was added: {listed}");
}
