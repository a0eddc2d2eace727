//! What ingest does between connection attempts: a network camera that does not answer is
//! watched with a cheap TCP connect twice a second and opened as soon as it accepts; one that
//! answers with errors retrying soon will not fix (401, 404, not video) gets the long capped
//! back-off; local sources (files, webcams, the demo) keep the plain back-off.

use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::backoff::Backoff;
use super::status::{ConnState, IngestPublisher};
use crate::media::MediaError;
use crate::model::time::now_us;
use crate::source::{classify, SourceKind};

/// How often a camera that does not answer is checked (a TCP connect, closed at once: a
/// SYN to a camera that is off, nothing it has to serve), so recording resumes within about
/// a second of it answering.
pub const CHECK_EVERY: Duration = Duration::from_millis(500);
/// How long one check may wait for the TCP handshake.
const CHECK_TIMEOUT: Duration = Duration::from_millis(450);
/// The least time between two attempts to open the stream: a camera whose port is open but
/// whose RTSP server still answers 503 or hangs up while booting is asked at most once a
/// second.
pub const MIN_GAP: Duration = Duration::from_secs(1);

/// The wait policy of one camera.
pub struct Retry {
    backoff: Backoff,
    /// Host and port of a network camera (RTSP 554, HTTP 80, HTTPS 443 by default).
    endpoint: Option<(String, u16)>,
    /// The camera, for the log.
    camera: String,
}

impl Retry {
    pub fn new(url: &str, camera: &str) -> Self {
        Self {
            camera: camera.to_string(),
            backoff: Backoff::new(Duration::from_secs(1), Duration::from_secs(30)),
            endpoint: endpoint(url),
        }
    }

    /// After a connection that worked for a while, start the back-off again from 1 s.
    pub fn reset(&mut self) {
        self.backoff.reset();
    }

    /// Waits after `err` until the next attempt is due, keeping `status` truthful about
    /// what it waits for. `attempt` is when the failed attempt started. Returns false if
    /// stopped meanwhile.
    pub fn wait(
        &mut self,
        err: &MediaError,
        attempt: Instant,
        status: &IngestPublisher,
        stop: &AtomicBool,
    ) -> bool {
        let camera = &self.camera;
        if let (Some((host, port)), true) = (&self.endpoint, watchable(err)) {
            tracing::warn!(camera = %camera, error = %err, "camera unavailable; watching for it to answer");
            return watch((host, *port), camera, attempt, status, stop);
        }
        let delay = if err.is_transient() {
            self.backoff.next_delay()
        } else {
            self.backoff.at_cap()
        };
        tracing::warn!(camera = %camera, error = %err, retry_in_s = delay.as_secs(), "camera unavailable");
        status.update(|s| {
            s.conn = ConnState::Retrying {
                retry_at_us: now_us() + delay.as_micros() as i64,
            }
        });
        sleep_unless_stopped(Instant::now() + delay, stop)
    }
}

/// Failures a camera may recover from by itself at any moment: nothing answered, or it
/// answered but was not ready (5xx, closed the connection, stopped sending).
fn watchable(err: &MediaError) -> bool {
    !matches!(
        err,
        MediaError::Rejected(_) | MediaError::Unsupported(_) | MediaError::Stopped
    )
}

/// Host and port of a network URL; `None` for files, webcams and the demo camera.
fn endpoint(url: &str) -> Option<(String, u16)> {
    let default = match classify(url) {
        SourceKind::Rtsp if url.to_ascii_lowercase().starts_with("rtsps") => 322,
        SourceKind::Rtsp => 554,
        SourceKind::Http if url.to_ascii_lowercase().starts_with("https") => 443,
        SourceKind::Http => 80,
        _ => return None,
    };
    let parsed = url::Url::parse(url).ok()?;
    let host = match parsed.host()? {
        url::Host::Domain(d) => d.to_string(),
        url::Host::Ipv4(a) => a.to_string(),
        url::Host::Ipv6(a) => a.to_string(),
    };
    Some((host, parsed.port().unwrap_or(default)))
}

/// Checks the camera's port every [`CHECK_EVERY`] until it accepts a connection and at
/// least [`MIN_GAP`] has passed since `attempt`. Returns false if stopped.
fn watch(
    (host, port): (&str, u16),
    camera: &str,
    attempt: Instant,
    status: &IngestPublisher,
    stop: &AtomicBool,
) -> bool {
    // Resolved once per outage, so a slow name service is not asked every second; an
    // unresolvable name falls through to the open, which says why.
    let addrs: Vec<SocketAddr> = match (host, port).to_socket_addrs() {
        Ok(a) => a.collect(),
        Err(_) => Vec::new(),
    };
    let mut waiting = false;
    while !stop.load(Ordering::Relaxed) {
        let check = Instant::now();
        if addrs.is_empty() || accepts(&addrs) {
            if waiting {
                tracing::debug!(camera, "camera accepts connections again");
            }
            let due = attempt + MIN_GAP;
            if Instant::now() < due {
                status.update(|s| {
                    s.conn = ConnState::Retrying {
                        retry_at_us: now_us() + (due - Instant::now()).as_micros() as i64,
                    }
                });
            }
            return sleep_unless_stopped(due, stop);
        }
        if !waiting {
            waiting = true;
            status.update(|s| s.conn = ConnState::Waiting);
        }
        if !sleep_unless_stopped(check + CHECK_EVERY, stop) {
            return false;
        }
    }
    false
}

/// True when one of the addresses accepts a TCP connection (closed again at once).
fn accepts(addrs: &[SocketAddr]) -> bool {
    addrs
        .iter()
        .any(|a| TcpStream::connect_timeout(a, CHECK_TIMEOUT).is_ok())
}

/// Sleeps until `end` in short steps; returns false if a stop was requested.
pub fn sleep_unless_stopped(end: Instant, stop: &AtomicBool) -> bool {
    while !stop.load(Ordering::Relaxed) {
        let now = Instant::now();
        if now >= end {
            return true;
        }
        std::thread::sleep((end - now).min(Duration::from_millis(100)));
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::status::IngestStatus;
    use std::net::TcpListener;

    #[test]
    fn network_urls_have_an_endpoint_with_default_ports() {
        let ep = |u: &str| endpoint(u);
        assert_eq!(ep("rtsp://u:p@10.0.0.5/s"), Some(("10.0.0.5".into(), 554)));
        assert_eq!(ep("rtsp://cam:8554/s"), Some(("cam".into(), 8554)));
        assert_eq!(ep("https://cam/x"), Some(("cam".into(), 443)));
        assert_eq!(ep("http://cam/x"), Some(("cam".into(), 80)));
        assert_eq!(ep("/clips/a.mp4"), None);
        assert_eq!(ep("demo://"), None);
        assert_eq!(ep("/dev/video0"), None);
    }

    #[test]
    fn answers_get_the_back_off_silence_gets_watched() {
        assert!(watchable(&MediaError::Unreachable("x".into())));
        assert!(watchable(&MediaError::Source("503".into())));
        assert!(watchable(&MediaError::Ended("x".into())));
        assert!(!watchable(&MediaError::Rejected("401".into())));
        assert!(!watchable(&MediaError::Unsupported("mjpeg".into())));
    }

    #[test]
    fn watching_ends_when_the_port_accepts_and_says_so_meanwhile() {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        drop(listener);
        let status = IngestPublisher::new(IngestStatus::default());
        let reader = status.reader();
        let stop = AtomicBool::new(false);
        let opened = std::thread::scope(|s| {
            let stop = &stop;
            let h = s.spawn(move || {
                let t = Instant::now();
                let ok = watch(("127.0.0.1", port), "cam", t, &status, stop);
                (ok, t.elapsed())
            });
            std::thread::sleep(Duration::from_millis(1500));
            assert_eq!(reader.snapshot().conn, ConnState::Waiting);
            let _l = TcpListener::bind(("127.0.0.1", port)).expect("rebind");
            h.join().expect("watch thread")
        });
        assert!(opened.0);
        // Noticed at the next check: within half a second of the port opening (+ slack).
        assert!(opened.1 < Duration::from_millis(2700), "{:?}", opened.1);
    }
}
