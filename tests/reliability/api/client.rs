//! The attacker's side for the API tests: a `vigil run --api` to attack (optionally under a
//! low open-file limit), raw requests, and the server's memory.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::os::unix::process::CommandExt;
use std::process::{Child, Stdio};
use std::time::Duration;

use crate::common::{assert_files_match_rows, terminate, wait_until, Vigil};

pub fn add_demo_camera(vigil: &Vigil) {
    vigil.add_demo_camera("cam", &["--segment-seconds", "2"]);
}

/// A `vigil run --api` recording the demo camera.
pub struct Run {
    pub dir: tempfile::TempDir,
    pub vigil: Vigil,
    pub child: Child,
    pub addr: String,
    pub token: String,
}

impl Run {
    /// Starts it, with RLIMIT_NOFILE at `file_limit` if given, and waits for its API.
    pub fn start(file_limit: Option<u64>) -> Self {
        let dir = tempfile::tempdir().expect("dir");
        let vigil = Vigil::new(dir.path());
        add_demo_camera(&vigil);
        let mut cmd = vigil.cmd();
        cmd.args(["run", "--for", "120s", "--api", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(limit) = file_limit {
            // SAFETY: setrlimit is async-signal-safe; nothing else runs between fork and exec.
            unsafe {
                cmd.pre_exec(move || {
                    let lim = libc::rlimit {
                        rlim_cur: limit,
                        rlim_max: limit,
                    };
                    if libc::setrlimit(libc::RLIMIT_NOFILE, &lim) == 0 {
                        Ok(())
                    } else {
                        Err(std::io::Error::last_os_error())
                    }
                });
            }
        }
        let child = cmd.spawn().expect("spawn vigil run");
        let file = dir.path().join("api.addr");
        assert!(
            wait_until(Duration::from_secs(20), || file.exists()),
            "the API came up"
        );
        let addr = std::fs::read_to_string(&file)
            .expect("api.addr")
            .trim()
            .to_string();
        let token = std::fs::read_to_string(dir.path().join("api-token")).expect("token");
        Self {
            dir,
            vigil,
            child,
            addr,
            token,
        }
    }

    pub fn addr_sock(&self) -> SocketAddr {
        self.addr.parse().expect("api.addr is a socket address")
    }

    pub fn segments(&self) -> usize {
        self.vigil.recordings().len()
    }

    /// Waits for the first indexed segment; returns the count then.
    pub fn segments_after_first(&self) -> usize {
        let mut n = 0;
        assert!(
            wait_until(Duration::from_secs(30), || {
                n = self.segments();
                n > 0
            }),
            "the demo camera recorded a segment"
        );
        n
    }

    /// Recording went on: a segment finished after `before` were counted.
    pub fn wait_for_more_segments(&self, before: usize) {
        assert!(
            wait_until(Duration::from_secs(30), || self.segments() > before),
            "a new segment was indexed after the attack"
        );
    }

    /// A normal trigger; returns its status (0: no answer).
    pub fn trigger(&self) -> u16 {
        let req = format!(
            "POST /api/v1/cameras/cam/trigger HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\n\
             Content-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{{}}",
            self.token
        );
        raw(&self.addr, req.as_bytes()).map_or(0, |r| status_of(&r))
    }

    /// SIGTERM; `run` must stop successfully with files and rows agreeing.
    pub fn finish(self) {
        let out = terminate(self.child);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_files_match_rows(&self.vigil);
        drop(self.dir);
    }
}

/// Sends `bytes`, returns everything read until the server closes (5-s read timeout).
pub fn raw(addr: &str, bytes: &[u8]) -> std::io::Result<String> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(5)))?;
    s.write_all(bytes)?;
    let mut buf = Vec::new();
    match s.read_to_end(&mut buf) {
        Ok(_) => {}
        // A response followed by a reset (the server closed with our data unread) still counts.
        Err(e) if !buf.is_empty() && e.kind() == std::io::ErrorKind::ConnectionReset => {}
        Err(e) => return Err(e),
    }
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

pub fn status_of(response: &str) -> u16 {
    response
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}

pub fn alive(child: &mut Child) -> bool {
    matches!(child.try_wait(), Ok(None))
}

/// Resident memory of a process, KiB.
pub fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// Raises this test process's open-file soft limit towards `want`; returns the limit now.
pub fn raise_own_file_limit(want: u64) -> u64 {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit/setrlimit only read and write the struct passed.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) != 0 {
            return 1024;
        }
        if lim.rlim_cur < want {
            lim.rlim_cur = want.min(lim.rlim_max);
            libc::setrlimit(libc::RLIMIT_NOFILE, &lim);
        }
    }
    lim.rlim_cur
}
