//! One headless Chromium process: started with its own temporary profile and the DevTools pipe
//! on fds 3 and 4, opening tabs, allowing downloads; closed, killed and cleaned up on drop.

use std::fs::File;
use std::io;
use std::os::fd::{FromRawFd, RawFd};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, RecvTimeoutError};
use serde_json::{json, Value};

use super::page::Page;
use super::pipe::{Event, Pipe};
use super::process::end_group;
use super::{BrowserError, LaunchOptions, COMMAND_TIMEOUT};

/// The program started when neither `LaunchOptions::program` nor `VIGIL_CHROMIUM` names one:
/// Debian's `chromium` package (packaging/install-deps.sh installs it).
pub const DEFAULT_PROGRAM: &str = "/usr/bin/chromium";

/// A running headless Chromium. Tabs from [`Chromium::open`] share its one profile (cookies,
/// storage). Dropping it closes the browser (killing it if it does not exit within seconds)
/// and removes the profile.
pub struct Chromium {
    pipe: Arc<Pipe>,
    child: Child,
    options: LaunchOptions,
    downloads: Mutex<Option<Downloads>>,
    /// Dropped after the process is gone.
    profile: tempfile::TempDir,
}

/// A file the browser finished downloading.
#[derive(Debug, Clone, PartialEq)]
pub struct Download {
    /// Where it is: the download directory and the name the server suggested (or the
    /// download's id when that name is empty or already taken).
    pub path: PathBuf,
    /// The name the server suggested (Content-Disposition, or the URL's last part).
    pub suggested_filename: String,
    pub url: String,
    pub bytes: u64,
}

struct Downloads {
    dir: PathBuf,
    events: Receiver<Event>,
    /// guid → (suggested name, url) from `Browser.downloadWillBegin`.
    begun: Vec<(String, String, String)>,
}

impl Chromium {
    /// Starts Chromium headless with a fresh temporary profile.
    pub fn launch(options: &LaunchOptions) -> Result<Self, BrowserError> {
        let program = options
            .program
            .clone()
            .or_else(|| std::env::var_os("VIGIL_CHROMIUM").map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from(DEFAULT_PROGRAM));
        let profile = tempfile::Builder::new()
            .prefix("vigil-chromium-")
            .tempdir()
            .map_err(|e| BrowserError::io("make a temporary Chromium profile", e))?;
        let log = File::create(profile.path().join("chromium.log"))
            .map_err(|e| BrowserError::io("make Chromium's log file", e))?;
        let (to_read, to_write) = pipe().map_err(|e| BrowserError::io("make a pipe", e))?;
        let (from_read, from_write) = pipe().map_err(|e| BrowserError::io("make a pipe", e))?;
        let mut cmd = Command::new(&program);
        cmd.args(flags(options, profile.path()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log);
        let (child_in, child_out) = (to_read.fd, from_write.fd);
        // SAFETY: between fork and exec only async-signal-safe calls (fcntl, dup2, setpgid) on
        // fds this process owns.
        unsafe {
            cmd.pre_exec(move || pipe_fds_to_3_and_4(child_in, child_out));
        }
        let child = cmd.spawn().map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => BrowserError::Missing {
                program: program.display().to_string(),
            },
            _ => BrowserError::io(format!("start {}", program.display()), e),
        })?;
        // The child's ends close here; the parent keeps the other two.
        drop((to_read, from_write));
        let pipe = Arc::new(Pipe::new(to_write.into_file(), from_read.into_file())?);
        let browser = Self {
            pipe,
            child,
            options: options.clone(),
            downloads: Mutex::new(None),
            profile,
        };
        browser
            .pipe
            .call("Browser.getVersion", json!({}), None, COMMAND_TIMEOUT)
            .map_err(|e| BrowserError::Start {
                reason: e.to_string(),
                log: browser.log_tail(),
            })?;
        Ok(browser)
    }

    /// Opens a new tab at `url` with the launch options' viewport and waits for it to load.
    pub fn open(&self, url: &str) -> Result<Page, BrowserError> {
        let o = &self.options;
        let created = self.call("Target.createTarget", json!({"url": "about:blank"}))?;
        let target = str_field(&created, "targetId")?;
        let attached = self.call(
            "Target.attachToTarget",
            json!({"targetId": target, "flatten": true}),
        )?;
        let session = str_field(&attached, "sessionId")?;
        let page = Page::attach(Arc::clone(&self.pipe), target, session)?;
        page.set_viewport(o.width, o.height, o.mobile, o.scale)?;
        page.goto(url)?;
        Ok(page)
    }

    /// Lets pages download files into `dir` (made if missing); see [`Chromium::wait_download`].
    pub fn allow_downloads(&self, dir: &Path) -> Result<(), BrowserError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| BrowserError::io(format!("make {}", dir.display()), e))?;
        let dir = std::fs::canonicalize(dir)
            .map_err(|e| BrowserError::io(format!("find {}", dir.display()), e))?;
        let events = self.pipe.subscribe(
            &["Browser.downloadWillBegin", "Browser.downloadProgress"],
            None,
        );
        self.call(
            "Browser.setDownloadBehavior",
            json!({"behavior": "allowAndName", "downloadPath": dir, "eventsEnabled": true}),
        )?;
        *self.downloads.lock().unwrap_or_else(|p| p.into_inner()) = Some(Downloads {
            dir,
            events,
            begun: Vec::new(),
        });
        Ok(())
    }

    /// Waits for the next download to finish (after [`Chromium::allow_downloads`]).
    pub fn wait_download(&self, timeout: Duration) -> Result<Download, BrowserError> {
        let mut guard = self.downloads.lock().unwrap_or_else(|p| p.into_inner());
        let d = guard.as_mut().ok_or(BrowserError::DownloadsNotAllowed)?;
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let (method, p) = match d.events.recv_timeout(left) {
                Ok(ev) => ev,
                Err(RecvTimeoutError::Timeout) => {
                    return Err(BrowserError::Timeout {
                        what: "a download to finish".into(),
                        secs: timeout.as_secs_f64(),
                    })
                }
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(BrowserError::Closed {
                        method: "a download".into(),
                    })
                }
            };
            let guid = p.get("guid").and_then(Value::as_str).unwrap_or("");
            let text = |k: &str| p.get(k).and_then(Value::as_str).unwrap_or("").to_string();
            if method == "Browser.downloadWillBegin" {
                d.begun
                    .push((guid.to_string(), text("suggestedFilename"), text("url")));
                continue;
            }
            match p.get("state").and_then(Value::as_str) {
                Some("completed") => return Ok(d.finish(guid, &p)),
                Some("canceled") => {
                    return Err(BrowserError::DownloadCanceled {
                        url: d.begun_with(guid).map(|b| b.2.clone()).unwrap_or_default(),
                    })
                }
                _ => {}
            }
        }
    }

    /// The last lines Chromium wrote to stderr (for error messages).
    pub fn log_tail(&self) -> String {
        let text =
            std::fs::read_to_string(self.profile.path().join("chromium.log")).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(15)..].join("\n")
    }

    /// The process id (e.g. to measure its CPU).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    fn call(&self, method: &str, params: Value) -> Result<Value, BrowserError> {
        self.pipe.call(method, params, None, COMMAND_TIMEOUT)
    }
}

impl Downloads {
    fn begun_with(&self, guid: &str) -> Option<&(String, String, String)> {
        self.begun.iter().find(|b| b.0 == guid)
    }

    /// Renames the finished file (saved under its guid) to the suggested name when that is
    /// free.
    fn finish(&mut self, guid: &str, p: &Value) -> Download {
        let (suggested, url) = self
            .begun_with(guid)
            .map(|b| (b.1.clone(), b.2.clone()))
            .unwrap_or_default();
        let saved = self.dir.join(guid);
        let mut path = saved.clone();
        if let Some(name) = Path::new(&suggested).file_name() {
            let wanted = self.dir.join(name);
            if !wanted.exists() && std::fs::rename(&saved, &wanted).is_ok() {
                path = wanted;
            }
        }
        let bytes = p.get("receivedBytes").and_then(Value::as_u64).unwrap_or(0);
        self.begun.retain(|b| b.0 != guid);
        Download {
            path,
            suggested_filename: suggested,
            url,
            bytes,
        }
    }
}

impl Drop for Chromium {
    fn drop(&mut self) {
        if !self.pipe.is_closed() {
            let _ = self
                .pipe
                .call("Browser.close", json!({}), None, Duration::from_secs(2));
        }
        end_group(&mut self.child, Duration::from_secs(5));
    }
}

/// The command line: headless, no first-run or background work, the DevTools pipe.
fn flags(o: &LaunchOptions, profile: &Path) -> Vec<String> {
    let mut f: Vec<String> = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--disable-default-apps",
        "--mute-audio",
        "--password-store=basic",
        "--autoplay-policy=no-user-gesture-required",
        // Keep timers and frames running at full rate in a tab nobody looks at.
        "--disable-background-timer-throttling",
        "--disable-renderer-backgrounding",
        "--disable-backgrounding-occluded-windows",
        "--remote-debugging-pipe",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    f.push(format!("--window-size={},{}", o.width, o.height));
    f.push(format!("--user-data-dir={}", profile.display()));
    if o.ignore_certificate_errors {
        f.push("--ignore-certificate-errors".into());
    }
    f.extend(o.extra_args.iter().cloned());
    f.push("about:blank".into());
    f
}

fn str_field(v: &Value, key: &str) -> Result<String, BrowserError> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| BrowserError::Protocol {
            method: key.into(),
            message: format!("no {key} in {v}"),
        })
}

/// A file descriptor this process owns, closed on drop unless turned into a `File`.
struct Fd {
    fd: RawFd,
}

impl Fd {
    fn into_file(self) -> File {
        let fd = self.fd;
        std::mem::forget(self);
        // SAFETY: `fd` is an open descriptor this value owned; ownership moves to the File.
        unsafe { File::from_raw_fd(fd) }
    }
}

impl Drop for Fd {
    fn drop(&mut self) {
        // SAFETY: closes a descriptor this value owns, once.
        unsafe {
            libc::close(self.fd);
        }
    }
}

/// A pipe, both ends close-on-exec: (read end, write end).
fn pipe() -> io::Result<(Fd, Fd)> {
    let mut fds = [0 as libc::c_int; 2];
    // SAFETY: `fds` has room for the two descriptors pipe2 writes.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok((Fd { fd: fds[0] }, Fd { fd: fds[1] }))
}

/// In the child before exec: `to_chromium`'s read end becomes fd 3 and `from_chromium`'s write
/// end fd 4 (both inherited), and the child leads a new process group (so drop can kill its
/// helpers too). Copies above 10 first, so neither dup2 clobbers the other's source.
fn pipe_fds_to_3_and_4(read_end: RawFd, write_end: RawFd) -> io::Result<()> {
    let check = |rc: libc::c_int| {
        if rc < 0 {
            Err(io::Error::last_os_error())
        } else {
            Ok(rc)
        }
    };
    // SAFETY: fcntl/dup2/setpgid on descriptors owned by this (forked) process.
    unsafe {
        let r = check(libc::fcntl(read_end, libc::F_DUPFD_CLOEXEC, 10))?;
        let w = check(libc::fcntl(write_end, libc::F_DUPFD_CLOEXEC, 10))?;
        check(libc::dup2(r, 3))?;
        check(libc::dup2(w, 4))?;
        check(libc::setpgid(0, 0))?;
    }
    Ok(())
}
