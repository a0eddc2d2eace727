//! Shared test harness: a real RTSP camera simulator (gst-rtsp-server), the real `vigil`
//! binary, real `ffprobe`, and polling with deadlines instead of fixed sleeps.

#![allow(dead_code)]

pub mod browser;
pub mod fixtures;
pub mod mqtt;
pub mod onvif;
pub mod web;

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Polls `cond` every 100 ms until it holds or `timeout` passes; returns whether it held.
pub fn wait_until(timeout: Duration, mut cond: impl FnMut() -> bool) -> bool {
    let end = Instant::now() + timeout;
    loop {
        if cond() {
            return true;
        }
        if Instant::now() >= end {
            return false;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free local port")
}

/// A camera simulator process serving /h264, /h265, /static and /motion.
pub struct RtspServer {
    pub port: u16,
    args: Vec<String>,
    child: Option<Child>,
}

impl RtspServer {
    pub fn start(extra: &[&str]) -> Self {
        let mut s = Self {
            port: free_port(),
            args: extra.iter().map(|a| a.to_string()).collect(),
            child: None,
        };
        s.spawn();
        s
    }

    fn spawn(&mut self) {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/rtsp_server.py");
        let mut child = Command::new("/usr/bin/python3")
            .arg(script)
            .arg("--port")
            .arg(self.port.to_string())
            .args(&self.args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the RTSP simulator (is python3-gi installed? run make test)");
        let stdout = child.stdout.take().expect("simulator stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if line.starts_with("READY") {
                    let _ = tx.send(());
                }
            }
        });
        rx.recv_timeout(Duration::from_secs(20))
            .expect("RTSP simulator did not print READY within 20 s");
        self.child = Some(child);
    }

    pub fn url(&self, mount: &str) -> String {
        format!("rtsp://127.0.0.1:{}/{mount}", self.port)
    }

    pub fn url_with_auth(&self, user: &str, pass: &str, mount: &str) -> String {
        format!("rtsp://{user}:{pass}@127.0.0.1:{}/{mount}", self.port)
    }

    /// Stops the server (a camera going offline).
    pub fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            // SAFETY-free: send SIGTERM through the kill command, then wait.
            let _ = Command::new("kill").arg(c.id().to_string()).status();
            let _ = c.wait();
        }
    }

    /// Starts it again on the same port (the camera rebooted).
    pub fn restart(&mut self) {
        self.stop();
        self.spawn();
    }
}

impl Drop for RtspServer {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// The `vigil` binary with a data directory.
pub struct Vigil {
    pub data_dir: PathBuf,
}

impl Vigil {
    pub fn new(data_dir: &Path) -> Self {
        Self {
            data_dir: data_dir.to_path_buf(),
        }
    }

    pub fn cmd(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_vigil"));
        c.arg("--data-dir").arg(&self.data_dir);
        c.env_remove("RUST_LOG");
        // FFmpeg's own log stays off, so stderr holds only what Vigil says.
        c.env_remove("VIGIL_FFMPEG_LOG");
        c
    }

    /// Runs a command to completion.
    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().expect("run vigil")
    }

    /// `vigil camera add --name name --url demo://` and `extra` arguments; what it printed.
    pub fn add_demo_camera(&self, name: &str, extra: &[&str]) -> String {
        let mut args = vec!["camera", "add", "--name", name, "--url", "demo://"];
        args.extend_from_slice(extra);
        self.ok(&args)
    }

    /// Runs a command that must succeed; returns its stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "vigil {args:?} failed: {}\n{}",
            String::from_utf8_lossy(&out.stderr),
            String::from_utf8_lossy(&out.stdout)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Masks the whole picture, so the demo camera's moving objects make no motion events
    /// and only triggers count.
    pub fn mask_everything(&self, camera: &str) {
        self.ok(&[
            "zone",
            "add",
            "--camera",
            camera,
            "--name",
            "all",
            "--mask",
            "--polygon",
            "0,0 1,0 1,1 0,1",
        ]);
    }

    pub fn recordings(&self) -> Vec<serde_json::Value> {
        let text = self.ok(&["recordings", "--json"]);
        serde_json::from_str(&text).expect("recordings --json is a JSON array")
    }

    pub fn spawn(&self, args: &[&str]) -> Child {
        self.cmd()
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn vigil")
    }
}

/// ffprobe's view of a file's video stream.
#[derive(Debug)]
pub struct Probe {
    pub codec: String,
    pub width: u64,
    pub height: u64,
    pub frames: u64,
    pub duration_s: f64,
    /// Packet timestamps in decode order, seconds.
    pub dts: Vec<f64>,
    pub pts: Vec<f64>,
}

pub fn ffprobe(path: &str) -> Probe {
    let out = Command::new("ffprobe")
        .args(["-v", "error", "-select_streams", "v:0", "-count_frames"])
        .args([
            "-show_entries",
            "stream=codec_name,width,height,nb_read_frames",
        ])
        .args(["-show_entries", "format=duration"])
        .args(["-show_entries", "packet=pts_time,dts_time"])
        .args(["-of", "json", path])
        .output()
        .expect("run ffprobe");
    assert!(
        out.status.success(),
        "ffprobe rejected {path}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("ffprobe JSON");
    let s = &v["streams"][0];
    let num = |x: &serde_json::Value| -> f64 {
        x.as_str()
            .and_then(|t| t.parse().ok())
            .or_else(|| x.as_f64())
            .unwrap_or(f64::NAN)
    };
    let packets = v["packets"].as_array().cloned().unwrap_or_default();
    Probe {
        codec: s["codec_name"].as_str().unwrap_or("").to_string(),
        width: s["width"].as_u64().unwrap_or(0),
        height: s["height"].as_u64().unwrap_or(0),
        frames: num(&s["nb_read_frames"]) as u64,
        duration_s: num(&v["format"]["duration"]),
        dts: packets.iter().map(|p| num(&p["dts_time"])).collect(),
        pts: packets.iter().map(|p| num(&p["pts_time"])).collect(),
    }
}

/// Every `.mp4` under the data directory's recordings folder.
pub fn mp4_files(data_dir: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "mp4") {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(&data_dir.join("recordings"), &mut out);
    out.sort();
    out
}

/// Asserts that the rows and the files on disk name exactly the same set of files.
pub fn assert_files_match_rows(vigil: &Vigil) {
    let mut rows: Vec<PathBuf> = vigil
        .recordings()
        .iter()
        .map(|r| PathBuf::from(r["path"].as_str().expect("path")))
        .collect();
    rows.sort();
    let canon = vigil.data_dir.canonicalize().expect("data dir");
    let files = mp4_files(&canon);
    assert_eq!(rows, files, "library rows and files on disk disagree");
}

/// Sends SIGTERM and waits for the process, returning its output.
pub fn terminate(child: Child) -> Output {
    let _ = Command::new("kill").arg(child.id().to_string()).status();
    child.wait_with_output().expect("wait for vigil")
}

/// A data directory whose only camera is the built-in demo (`demo://`) recording 2-s
/// continuous segments, and the real engine running it: for tests of recorded footage.
pub fn demo_engine() -> (
    tempfile::TempDir,
    vigil_core::library::Library,
    vigil_core::host::EngineHost,
) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut lib = vigil_core::library::Library::open(dir.path()).expect("library");
    let demo = vigil_core::model::NewCamera {
        name: vigil_core::model::CameraName::parse("demo").expect("name"),
        url: "demo://".into(),
        detect_url: None,
        transport: vigil_core::model::Transport::Tcp,
        enabled: true,
        audio: false,
    };
    let policy = vigil_core::model::Policy {
        segment_s: 2,
        ..vigil_core::model::Policy::default()
    };
    lib.add_camera(&demo, &policy).expect("camera");
    let opts = vigil_core::engine::EngineOptions::new(dir.path().to_path_buf());
    let host = vigil_core::host::EngineHost::start(opts).expect("engine");
    (dir, lib, host)
}

/// A camera row for the built-in demo source.
pub fn demo_camera(name: &str) -> vigil_core::model::NewCamera {
    vigil_core::model::NewCamera {
        name: vigil_core::model::CameraName::parse(name).expect("name"),
        url: "demo://".into(),
        detect_url: None,
        transport: vigil_core::model::Transport::Tcp,
        enabled: true,
        audio: false,
    }
}
