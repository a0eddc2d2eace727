//! What the benchmarks measure with: CPU time of this process, of one thread and of
//! waited-for children (`getrusage`, `clock_gettime`, `wait4`), and peak resident memory
//! (`VmHWM`, reset through `clear_refs`).

use std::time::Duration;

use super::BenchError;

/// CPU time (user + system) this process has used so far, all threads included.
pub fn cpu_self() -> Result<Duration, BenchError> {
    // SAFETY: an all-zero rusage is valid; getrusage fills it and only reads the pointer.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: ru is a valid, writable rusage.
    let rc = unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut ru) };
    if rc != 0 {
        return Err(BenchError::io(
            "cannot read this process's CPU time",
            std::io::Error::last_os_error(),
        ));
    }
    Ok(timeval(ru.ru_utime) + timeval(ru.ru_stime))
}

/// CPU time (user + system) the calling thread has used so far, to the nanosecond:
/// `CLOCK_THREAD_CPUTIME_ID` counts the running slice too, where `RUSAGE_THREAD` only moves
/// at scheduler updates (a tick or a switch), too coarse to time single calls.
pub fn cpu_thread() -> Result<Duration, BenchError> {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: ts is a valid, writable timespec.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    if rc != 0 {
        return Err(BenchError::io(
            "cannot read this thread's CPU time",
            std::io::Error::last_os_error(),
        ));
    }
    Ok(Duration::new(
        ts.tv_sec.max(0) as u64,
        ts.tv_nsec.clamp(0, 999_999_999) as u32,
    ))
}

fn timeval(tv: libc::timeval) -> Duration {
    Duration::from_secs(tv.tv_sec.max(0) as u64) + Duration::from_micros(tv.tv_usec.max(0) as u64)
}

/// A `/proc/self/status` field in bytes (the kernel reports kB), e.g. `VmHWM` or `VmRSS`.
fn proc_status_bytes(field: &str) -> Option<u64> {
    let text = std::fs::read_to_string("/proc/self/status").ok()?;
    status_field(&text, field)
}

fn status_field(text: &str, field: &str) -> Option<u64> {
    text.lines().find_map(|line| {
        let rest = line.strip_prefix(field)?.strip_prefix(':')?;
        let kb: u64 = rest.trim().trim_end_matches("kB").trim().parse().ok()?;
        Some(kb * 1024)
    })
}

/// Peak resident memory of this process since start or since the last [`reset_peak_rss`].
pub fn peak_rss() -> Option<u64> {
    proc_status_bytes("VmHWM")
}

/// Hands freed heap back to the kernel and resets the peak to the current resident size, so
/// the next [`peak_rss`] shows only what came after. Returns the resident size it starts
/// from, or `None` if the kernel refuses the reset (then peaks include earlier work).
pub fn reset_peak_rss() -> Option<u64> {
    #[cfg(target_env = "gnu")]
    // SAFETY: malloc_trim only releases free memory; it has no preconditions.
    unsafe {
        libc::malloc_trim(0);
    }
    std::fs::write("/proc/self/clear_refs", "5").ok()?;
    proc_status_bytes("VmRSS")
}

/// How one child process ended and what CPU it used. (Not its `ru_maxrss`: Linux carries
/// the parent's peak into a child spawned from it, so that figure says nothing about ffmpeg.)
#[derive(Debug, Clone, Copy)]
pub struct ChildUsage {
    pub cpu: Duration,
    /// Exited with status 0.
    pub success: bool,
}

/// Reaps the child `pid` if it has exited (it must not be waited for elsewhere).
pub fn try_wait_child(pid: u32) -> Result<Option<ChildUsage>, BenchError> {
    let pid = pid_t(pid)?;
    loop {
        let mut status: libc::c_int = 0;
        // SAFETY: an all-zero rusage is valid; wait4 fills it.
        let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: status and ru are valid, writable locals.
        let rc = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut ru) };
        if rc == pid {
            return Ok(Some(ChildUsage {
                cpu: timeval(ru.ru_utime) + timeval(ru.ru_stime),
                success: libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
            }));
        }
        if rc == 0 {
            return Ok(None);
        }
        let err = std::io::Error::last_os_error();
        if err.kind() != std::io::ErrorKind::Interrupted {
            return Err(BenchError::io("cannot wait for ffmpeg", err));
        }
    }
}

/// Sends `signal` to a child spawned by this process and not reaped yet.
pub fn signal_child(pid: u32, signal: libc::c_int) {
    if let Ok(pid) = pid_t(pid) {
        // SAFETY: kill has no memory-safety preconditions.
        unsafe { libc::kill(pid, signal) };
    }
}

fn pid_t(pid: u32) -> Result<libc::pid_t, BenchError> {
    libc::pid_t::try_from(pid)
        .map_err(|_| BenchError::Failed(format!("process id {pid} is out of range")))
}

/// Memory of a running process, bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProcMemory {
    /// Peak resident memory, shared libraries included (`VmHWM`).
    pub peak_rss: u64,
    /// Private (anonymous) resident memory now (`RssAnon`).
    pub anon: u64,
}

/// Reads another process's memory from `/proc/PID/status`; `None` once it has exited.
pub fn proc_memory(pid: u32) -> Option<ProcMemory> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    Some(ProcMemory {
        peak_rss: status_field(&text, "VmHWM")?,
        anon: status_field(&text, "RssAnon")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_fields_are_read_in_bytes() {
        let text = "Name:\tvigil\nVmHWM:\t  206824 kB\nRssAnon:\t    1024 kB\n";
        assert_eq!(status_field(text, "VmHWM"), Some(206_824 * 1024));
        assert_eq!(status_field(text, "RssAnon"), Some(1024 * 1024));
        assert_eq!(status_field(text, "VmRSS"), None);
        assert!(cpu_self().is_ok());
        assert!(cpu_thread().is_ok_and(|t| t <= cpu_self().unwrap_or_default()));
    }
}
