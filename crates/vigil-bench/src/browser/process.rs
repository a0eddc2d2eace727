//! The end of a browser's process group: wait a little for the browser to exit after it was
//! asked to close, then kill the whole group (its helper processes too) and reap the leader.

use std::process::Child;
use std::time::{Duration, Instant};

/// Waits up to `grace` for `child` (the leader of a process group of its own, set before
/// exec) to exit, kills what is left of the group and reaps the child.
pub(crate) fn end_group(child: &mut Child, grace: Duration) {
    let pid = child.id() as libc::pid_t;
    let deadline = Instant::now() + grace;
    while Instant::now() < deadline && !exited_unreaped(pid) {
        std::thread::sleep(Duration::from_millis(50));
    }
    // The leader is not reaped yet, so the group id cannot have been reused.
    // SAFETY: signals the process group this value started; no memory is touched.
    unsafe {
        libc::killpg(pid, libc::SIGKILL);
    }
    let _ = child.wait();
}

/// Whether `child` has exited; it stays unreaped (a zombie), so its pid and group id stay
/// reserved for [`end_group`].
pub(crate) fn has_exited(child: &Child) -> bool {
    exited_unreaped(child.id() as libc::pid_t)
}

/// Whether the child has exited, leaving it a zombie (not reaped) so its pid stays reserved.
fn exited_unreaped(pid: libc::pid_t) -> bool {
    // SAFETY: `info` is a plain struct waitid fills in; WNOWAIT leaves the child waitable.
    unsafe {
        let mut info: libc::siginfo_t = std::mem::zeroed();
        let rc = libc::waitid(
            libc::P_PID,
            pid as libc::id_t,
            &mut info,
            libc::WEXITED | libc::WNOHANG | libc::WNOWAIT,
        );
        rc != 0 || info.si_pid() != 0
    }
}
