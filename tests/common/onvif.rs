//! The ONVIF camera simulator (`tests/support/onvif_sim.py`) for the tests: started on a
//! free port, its test controls (`/control/...`) and counters, stopped when dropped.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// The ONVIF camera simulator, stopped when dropped.
pub struct OnvifSim {
    pub port: u16,
    child: Child,
}

impl OnvifSim {
    pub fn start(args: &[&str]) -> Self {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/onvif_sim.py");
        let mut child = Command::new("/usr/bin/python3")
            .arg(script)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the ONVIF simulator (needs /usr/bin/python3)");
        let stdout = child.stdout.take().expect("simulator stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("read the simulator's READY line");
        let port = line
            .strip_prefix("READY ")
            .and_then(|p| p.trim().parse().ok())
            .unwrap_or_else(|| panic!("the ONVIF simulator printed {line:?}, not READY <port>"));
        Self { port, child }
    }

    pub fn device_url(&self) -> String {
        format!("http://127.0.0.1:{}/onvif/device_service", self.port)
    }

    /// POSTs `/control/<what>`; panics unless it answered 200.
    pub fn control(&self, what: &str) {
        let (status, body) = self.http("POST", &format!("/control/{what}"));
        assert_eq!(status, 200, "control {what}: {body}");
    }

    /// The simulator's counters (subscriptions, renews, renew_failures, unsubscribes, ...).
    pub fn stats(&self) -> serde_json::Value {
        let (status, body) = self.http("GET", "/control/stats");
        assert_eq!(status, 200, "{body}");
        serde_json::from_str(&body).expect("stats JSON")
    }

    pub fn stat(&self, name: &str) -> i64 {
        self.stats()[name].as_i64().unwrap_or(-1)
    }

    fn http(&self, method: &str, path: &str) -> (u16, String) {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).expect("connect to the simulator");
        let req = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        );
        s.write_all(req.as_bytes()).expect("send");
        let mut resp = String::new();
        s.read_to_string(&mut resp).expect("read");
        let status = resp
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        let body = resp.split_once("\r\n\r\n").map(|(_, b)| b.to_string());
        (status, body.unwrap_or_default())
    }
}

impl Drop for OnvifSim {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
