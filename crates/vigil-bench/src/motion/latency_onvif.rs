//! Event latency through ONVIF: the real engine with one camera (the RTSP simulator's still
//! picture) whose motion comes from the ONVIF camera simulator (`tests/support/
//! onvif_sim.py`, WS-Security digest on); motion is switched on and off at intervals through
//! the simulator's control endpoint. Two figures: the recorder's `event_latency_us`
//! (PullMessages answer arrived → event row written and clip open), and the simulator told
//! of motion → the event row visible in the library (polled every 10 ms).

use std::fmt::{self, Formatter};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::{camera, events_policy, start_engine};
use crate::web_fanout::procs::Simulator;
use crate::BenchError;
use vigil_core::engine::status::OnvifState;
use vigil_core::engine::Engine;
use vigil_core::library::{EventQuery, Library};
use vigil_core::model::{CameraName, MotionFrom, NewCamera, OnvifSettings, Transport};

const SCRIPT: &str = "tests/support/onvif_sim.py";
const POLL: Duration = Duration::from_millis(10);
const WAIT: Duration = Duration::from_secs(30);

/// ONVIF event latency samples, ms.
#[derive(Debug, Clone, Default)]
pub struct OnvifLatency {
    /// The recorder's figure: PullMessages answer arrived → row written and clip open.
    pub recorder_ms: Vec<f64>,
    /// Motion switched on at the simulator → event row visible (polled).
    pub end_to_end_ms: Vec<f64>,
    pub sent: usize,
    /// Why it was not measured, if it was not.
    pub error: Option<String>,
}

/// Times `wanted` ONVIF motion events; a failure is kept in the figures, not fatal.
pub fn onvif_latency(runs: &Path, wanted: usize, progress: &mut dyn FnMut(&str)) -> OnvifLatency {
    progress(&format!(
        "ONVIF event latency: real engine, RTSP + ONVIF simulators, {wanted} motion events"
    ));
    measure(runs, wanted).unwrap_or_else(|e| OnvifLatency {
        error: Some(e.to_string()),
        ..OnvifLatency::default()
    })
}

fn measure(runs: &Path, wanted: usize) -> Result<OnvifLatency, BenchError> {
    let rtsp = Simulator::start("smpte", 640, 360, 25)?;
    let sim = OnvifSim::start()?;
    // A fresh data directory of its own, removed when the run ends.
    std::fs::create_dir_all(runs).map_err(|e| BenchError::io("ONVIF latency work dir", e))?;
    let work = tempfile::Builder::new()
        .prefix("latency-onvif-")
        .tempdir_in(runs)
        .map_err(|e| BenchError::io("ONVIF latency work dir", e))?;
    let dir = work.path().join("data");
    let mut lib = Library::open(&dir)?;
    let cam = NewCamera {
        name: CameraName::parse("onvif").map_err(vigil_core::library::LibraryError::from)?,
        url: rtsp.url("static"),
        detect_url: None,
        transport: Transport::Tcp,
        enabled: true,
        audio: false,
    };
    let id = lib.add_camera(&cam, &events_policy(2))?.id;
    let settings = OnvifSettings {
        port: sim.port,
        user: Some("bench".into()),
        password: Some("bench".into()),
        motion_from: MotionFrom::Camera,
    };
    lib.set_onvif(id, Some(&settings))?;
    let engine = start_engine(&dir)?;
    let result = run(&engine, &lib, &sim, id, wanted);
    engine.shutdown();
    result
}

fn run(
    engine: &Engine,
    lib: &Library,
    sim: &OnvifSim,
    camera_id: i64,
    wanted: usize,
) -> Result<OnvifLatency, BenchError> {
    let ready = wait(|| {
        let c = camera(engine, "onvif")?;
        let subscribed = c
            .onvif
            .as_ref()
            .is_some_and(|o| o.state == OnvifState::Subscribed);
        Ok(subscribed
            && c.connected_since_us
                .is_some_and(|s| vigil_core::model::time::now_us() - s > 3_000_000))
    })?;
    if !ready {
        return Err(BenchError::Failed(
            "the ONVIF camera did not connect and subscribe within 30 s".into(),
        ));
    }
    let q = EventQuery {
        camera_id: Some(camera_id),
        ..EventQuery::default()
    };
    let mut out = OnvifLatency::default();
    let mut last = camera(engine, "onvif")?.event_latency_us;
    for _ in 0..wanted {
        let before = lib.events(&q)?.len();
        let t0 = Instant::now();
        sim.control("motion?state=true")?;
        out.sent += 1;
        if wait(|| Ok(lib.events(&q)?.len() > before))? {
            out.end_to_end_ms.push(t0.elapsed().as_secs_f64() * 1000.0);
        }
        if wait(|| Ok(camera(engine, "onvif")?.event_latency_us != last))? {
            last = camera(engine, "onvif")?.event_latency_us;
            out.recorder_ms.extend(last.map(|us| us as f64 / 1000.0));
        }
        std::thread::sleep(Duration::from_millis(300));
        sim.control("motion?state=false")?;
        // The clip closes (1 s post-event) before the next one.
        wait(|| Ok(!camera(engine, "onvif")?.recording))?;
        std::thread::sleep(Duration::from_millis(500));
    }
    Ok(out)
}

/// Polls `cond` every 10 ms for up to 30 s; whether it came true.
fn wait(mut cond: impl FnMut() -> Result<bool, BenchError>) -> Result<bool, BenchError> {
    let until = Instant::now() + WAIT;
    while Instant::now() < until {
        if cond()? {
            return Ok(true);
        }
        std::thread::sleep(POLL);
    }
    Ok(false)
}

fn summary(v: &[f64]) -> (f64, f64) {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let at = |p: f64| {
        if s.is_empty() {
            f64::NAN
        } else {
            s[((s.len() - 1) as f64 * p).round() as usize]
        }
    };
    (at(0.5), at(0.95))
}

impl OnvifLatency {
    /// The ONVIF lines under the latency table.
    pub fn report(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if let Some(e) = &self.error {
            return writeln!(f, "  ONVIF: not measured: {e}");
        }
        for (label, v) in [
            (
                "ONVIF: PullMessages answer -> row + clip open",
                &self.recorder_ms,
            ),
            (
                "ONVIF: motion at the camera -> row seen (polled)",
                &self.end_to_end_ms,
            ),
        ] {
            let (p50, p95) = summary(v);
            writeln!(
                f,
                "  {label:<48} {} of {} events: p50 {p50:.1} ms, p95 {p95:.1} ms (target p95 < 250 ms: {})",
                v.len(),
                self.sent,
                if p95 < 250.0 { "met" } else { "NOT met" }
            )?;
        }
        Ok(())
    }
}

/// The ONVIF camera simulator, stopped when dropped.
struct OnvifSim {
    port: u16,
    child: Child,
}

impl OnvifSim {
    fn start() -> Result<Self, BenchError> {
        if !Path::new(SCRIPT).is_file() {
            return Err(BenchError::Failed(format!(
                "the ONVIF simulator {SCRIPT} was not found: run the bench from the repository root"
            )));
        }
        let mut child = Command::new("/usr/bin/python3")
            .arg(SCRIPT)
            .args(["--port", "0", "--user", "bench", "--password", "bench"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| BenchError::io("start the ONVIF simulator", e))?;
        let mut line = String::new();
        if let Some(out) = child.stdout.take() {
            let _ = BufReader::new(out).read_line(&mut line);
        }
        let port = line
            .strip_prefix("READY ")
            .and_then(|p| p.trim().parse().ok());
        let mut sim = Self { port: 0, child };
        match port {
            Some(p) => {
                sim.port = p;
                Ok(sim)
            }
            None => Err(BenchError::Failed(format!(
                "the ONVIF simulator printed {line:?}, not READY <port>"
            ))),
        }
    }

    fn control(&self, what: &str) -> Result<(), BenchError> {
        let io = |e| BenchError::io("talk to the ONVIF simulator", e);
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).map_err(io)?;
        let req = format!(
            "POST /control/{what} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        );
        s.write_all(req.as_bytes()).map_err(io)?;
        let mut resp = String::new();
        s.read_to_string(&mut resp).map_err(io)?;
        if resp.starts_with("HTTP/1.1 200") {
            Ok(())
        } else {
            Err(BenchError::Failed(format!(
                "the ONVIF simulator refused {what}"
            )))
        }
    }
}

impl Drop for OnvifSim {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
