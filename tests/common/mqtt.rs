//! A real Mosquitto broker for the tests (Debian's `mosquitto`, on a free loopback port,
//! anonymous or with a password file made by `mosquitto_passwd`), and a recording
//! subscriber (`mosquitto_sub`) that keeps every message it saw, with its retain flag.

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::{free_port, wait_until};

fn need(program: &str) {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        found,
        "`{program}` is not installed: the MQTT tests need Debian's mosquitto and mosquitto-clients (`make test` installs them)"
    );
}

/// A running broker; stopped when dropped.
pub struct Mosquitto {
    pub port: u16,
    dir: tempfile::TempDir,
    login: Option<(String, String)>,
    /// Serves TLS with a certificate for 127.0.0.1 signed by the test CA in `ca.pem`.
    tls: bool,
    child: Option<Child>,
}

impl Mosquitto {
    /// A broker that lets anyone in.
    pub fn start() -> Self {
        Self::start_with(None)
    }

    /// A broker that only lets `user` in with `password`.
    pub fn with_login(user: &str, password: &str) -> Self {
        Self::start_with(Some((user.to_string(), password.to_string())))
    }

    /// A broker that speaks only TLS (`mqtts://`), with a certificate for 127.0.0.1 from a
    /// test CA made with `openssl` ([`Self::ca_file`]).
    pub fn with_tls() -> Self {
        Self::start_with_tls(None, true)
    }

    fn start_with(login: Option<(String, String)>) -> Self {
        Self::start_with_tls(login, false)
    }

    fn start_with_tls(login: Option<(String, String)>, tls: bool) -> Self {
        need("mosquitto");
        need("mosquitto_sub");
        let dir = tempfile::tempdir().expect("broker dir");
        let port = free_port();
        let mut conf = format!("listener {port} 127.0.0.1\npersistence false\nuser root\n");
        match &login {
            None => conf.push_str("allow_anonymous true\n"),
            Some((user, password)) => {
                let file = dir.path().join("passwd");
                let made = Command::new("mosquitto_passwd")
                    .args(["-c", "-b"])
                    .arg(&file)
                    .args([user, password])
                    .status()
                    .expect("run mosquitto_passwd");
                assert!(made.success(), "mosquitto_passwd made the password file");
                conf.push_str(&format!(
                    "allow_anonymous false\npassword_file {}\n",
                    file.display()
                ));
            }
        }
        if tls {
            make_certificates(dir.path());
            let file = |name: &str| dir.path().join(name).display().to_string();
            conf.push_str(&format!(
                "cafile {}\ncertfile {}\nkeyfile {}\n",
                file("ca.pem"),
                file("cert.pem"),
                file("key.pem")
            ));
        }
        std::fs::write(dir.path().join("mosquitto.conf"), conf).expect("write the config");
        let mut broker = Self {
            port,
            dir,
            login,
            tls,
            child: None,
        };
        broker.run();
        broker
    }

    fn run(&mut self) {
        let child = Command::new("mosquitto")
            .arg("-c")
            .arg(self.dir.path().join("mosquitto.conf"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start mosquitto");
        self.child = Some(child);
        let port = self.port;
        assert!(
            wait_until(Duration::from_secs(10), || TcpStream::connect((
                "127.0.0.1",
                port
            ))
            .is_ok()),
            "mosquitto accepts connections on port {port}"
        );
    }

    pub fn url(&self) -> String {
        let scheme = if self.tls { "mqtts" } else { "mqtt" };
        format!("{scheme}://127.0.0.1:{}", self.port)
    }

    /// The test CA's certificate (PEM), for clients of a TLS broker.
    pub fn ca_file(&self) -> std::path::PathBuf {
        self.dir.path().join("ca.pem")
    }

    /// Stops the broker (the port stays reserved for [`Self::restart`]).
    pub fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// Starts it again on the same port.
    pub fn restart(&mut self) {
        self.stop();
        self.run();
    }

    fn login_args(&self) -> Vec<String> {
        let mut args = match &self.login {
            Some((u, p)) => vec!["-u".into(), u.clone(), "-P".into(), p.clone()],
            None => Vec::new(),
        };
        if self.tls {
            args.extend(["--cafile".into(), self.ca_file().display().to_string()]);
        }
        args
    }

    /// Publishes one message (QoS 1) with `mosquitto_pub`.
    pub fn publish(&self, topic: &str, payload: &str) {
        let ok = Command::new("mosquitto_pub")
            .args(["-h", "127.0.0.1", "-p", &self.port.to_string(), "-q", "1"])
            .args(self.login_args())
            .args(["-t", topic, "-m", payload])
            .status()
            .expect("run mosquitto_pub");
        assert!(ok.success(), "mosquitto_pub {topic} {payload}");
    }

    /// A subscriber to `filters` that records what it receives.
    pub fn subscribe(&self, filters: &[&str]) -> Subscriber {
        let mut cmd = Command::new("mosquitto_sub");
        cmd.args(["-h", "127.0.0.1", "-p", &self.port.to_string(), "-q", "1"])
            .args(self.login_args())
            .args(["-F", "%r %t %x"]);
        for f in filters {
            cmd.args(["-t", f]);
        }
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start mosquitto_sub");
        let out = child.stdout.take().expect("stdout");
        let seen = Arc::new(Mutex::new(Vec::new()));
        let keep = Arc::clone(&seen);
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if let Some(m) = Message::parse(&line) {
                    keep.lock().expect("lock").push(m);
                }
            }
        });
        Subscriber { child, seen }
    }
}

/// A test CA (`ca.pem`) and a server certificate for 127.0.0.1 it signed (`cert.pem`,
/// `key.pem`), made with `openssl` in `dir`.
fn make_certificates(dir: &std::path::Path) {
    need("openssl");
    let run = |args: &[&str]| {
        let out = Command::new("openssl")
            .current_dir(dir)
            .args(args)
            .output()
            .expect("run openssl");
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca-key.pem",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=Vigil test CA",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
    ]);
    run(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "key.pem",
        "-out",
        "req.pem",
        "-subj",
        "/CN=127.0.0.1",
    ]);
    std::fs::write(
        dir.join("ext.cnf"),
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .expect("write ext.cnf");
    run(&[
        "x509",
        "-req",
        "-in",
        "req.pem",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca-key.pem",
        "-CAcreateserial",
        "-out",
        "cert.pem",
        "-days",
        "2",
        "-extfile",
        "ext.cnf",
    ]);
}

impl Drop for Mosquitto {
    fn drop(&mut self) {
        self.stop();
    }
}

/// One message a subscriber received.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub retained: bool,
    pub topic: String,
    pub payload: Vec<u8>,
}

impl Message {
    fn parse(line: &str) -> Option<Self> {
        let mut parts = line.splitn(3, ' ');
        let retained = parts.next()? == "1";
        let topic = parts.next()?.to_string();
        let hex = parts.next().unwrap_or("");
        let payload = (0..hex.len() / 2)
            .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16))
            .collect::<Result<Vec<u8>, _>>()
            .ok()?;
        Some(Self {
            retained,
            topic,
            payload,
        })
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.payload).into_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.payload).unwrap_or(serde_json::Value::Null)
    }
}

/// A running `mosquitto_sub`; killed when dropped.
pub struct Subscriber {
    child: Child,
    seen: Arc<Mutex<Vec<Message>>>,
}

impl Subscriber {
    /// Every message so far.
    pub fn all(&self) -> Vec<Message> {
        self.seen.lock().expect("lock").clone()
    }

    /// Messages on `topic` so far.
    pub fn on(&self, topic: &str) -> Vec<Message> {
        self.all()
            .into_iter()
            .filter(|m| m.topic == topic)
            .collect()
    }

    /// Waits until a message on `topic` satisfies `want`; returns it.
    pub fn wait_for(
        &self,
        topic: &str,
        timeout: Duration,
        want: impl Fn(&Message) -> bool,
    ) -> Option<Message> {
        let mut found = None;
        wait_until(timeout, || {
            found = self.on(topic).into_iter().find(|m| want(m));
            found.is_some()
        });
        found
    }

    /// The latest payload on `topic`, as text.
    pub fn last_text(&self, topic: &str) -> Option<String> {
        self.on(topic).last().map(Message::text)
    }
}

impl Drop for Subscriber {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
