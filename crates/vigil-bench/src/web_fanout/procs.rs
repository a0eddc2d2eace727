//! The bench's child processes: the RTSP camera simulator (`tests/support/rtsp_server.py`,
//! run from the repository root) and `vigil run --web` on a loopback port, both ended when
//! the bench is done (or dropped on an error).

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::measure::signal_child;
use crate::BenchError;

const SCRIPT: &str = "tests/support/rtsp_server.py";
/// How long a child may take to say it is ready, or to stop after SIGTERM.
const WAIT: Duration = Duration::from_secs(30);

/// The camera simulator.
pub struct Simulator {
    port: u16,
    child: Child,
}

impl Simulator {
    pub fn start(scene: &str, width: u32, height: u32, fps: u32) -> Result<Self, BenchError> {
        if !Path::new(SCRIPT).is_file() {
            return Err(BenchError::Failed(format!(
                "the camera simulator {SCRIPT} was not found: run the bench from the repository root"
            )));
        }
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| BenchError::io("find a free port", e))?
            .port();
        let mut child = Command::new("/usr/bin/python3")
            .arg(SCRIPT)
            .args(["--port", &port.to_string()])
            .args([
                "--width",
                &width.to_string(),
                "--height",
                &height.to_string(),
            ])
            .args(["--fps", &fps.to_string(), "--gop", &fps.to_string()])
            .args(["--scene", scene])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| BenchError::io("start the RTSP simulator (python3-gi installed?)", e))?;
        let ready = first_line(&mut child, "READY");
        let sim = Self { port, child };
        ready.map(|_| sim)
    }

    pub fn url(&self, mount: &str) -> String {
        format!("rtsp://127.0.0.1:{}/{mount}", self.port)
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        stop(&mut self.child);
    }
}

/// `vigil run --web 127.0.0.1:0` (HTTPS) in a data directory, its log in `<data dir>.log`
/// (kept after the run).
pub struct VigilRun {
    pub pid: u32,
    /// `127.0.0.1:port`.
    pub addr: String,
    pub data_dir: PathBuf,
    child: Child,
}

impl VigilRun {
    pub fn start(data_dir: &Path) -> Result<Self, BenchError> {
        let exe = std::env::current_exe().map_err(|e| BenchError::io("find vigil", e))?;
        let log = std::fs::File::create(data_dir.with_extension("log"))
            .map_err(|e| BenchError::io("make the server's log", e))?;
        let mut child = Command::new(exe)
            .arg("--data-dir")
            .arg(data_dir)
            .args(["run", "--web", "127.0.0.1:0"])
            .env_remove("RUST_LOG")
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .map_err(|e| BenchError::io("start `vigil run`", e))?;
        let pid = child.id();
        let line = first_line(&mut child, "web viewer on ");
        let mut run = Self {
            pid,
            addr: String::new(),
            data_dir: data_dir.to_path_buf(),
            child,
        };
        let line = line?;
        run.addr = line
            .trim_start_matches("web viewer on https://")
            .split([' ', '/'])
            .next()
            .unwrap_or_default()
            .to_string();
        Ok(run)
    }

    /// SIGTERM, then waits (killed if it does not stop in time).
    pub fn stop(mut self) {
        stop(&mut self.child);
    }
}

impl Drop for VigilRun {
    fn drop(&mut self) {
        stop(&mut self.child);
    }
}

/// The first stdout line of `child` starting with `prefix` (its other lines read and
/// dropped by a thread until it exits).
fn first_line(child: &mut Child, prefix: &'static str) -> Result<String, BenchError> {
    let Some(stdout) = child.stdout.take() else {
        return Err(BenchError::Failed("a child has no stdout".into()));
    };
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if line.starts_with(prefix) {
                let _ = tx.send(line);
            }
        }
    });
    rx.recv_timeout(WAIT).map_err(|_| {
        BenchError::Failed(format!(
            "a child process did not print `{prefix}…` within {WAIT:?}"
        ))
    })
}

fn stop(child: &mut Child) {
    if matches!(child.try_wait(), Ok(Some(_))) {
        return;
    }
    signal_child(child.id(), libc::SIGTERM);
    let deadline = Instant::now() + WAIT;
    while Instant::now() < deadline {
        if !matches!(child.try_wait(), Ok(None)) {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
}
