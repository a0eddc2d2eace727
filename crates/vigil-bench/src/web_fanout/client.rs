//! The bench's WebSocket viewers: each a thread of this process connected over TLS (trusting
//! the server's own certificate only) to a camera's live route with an API token, reading
//! every message and counting what it got, or a slow viewer that connects and never reads.

use std::net::TcpStream;
use std::os::fd::AsRawFd;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{ClientConfig, ClientConnection, RootCertStore, StreamOwned};
use tungstenite::client::IntoClientRequest;
use tungstenite::http::HeaderValue;
use tungstenite::{Message, WebSocket};

use crate::BenchError;

type Tls = StreamOwned<ClientConnection, TcpStream>;

/// Bytes before the fMP4 data in a binary message (the live wire format).
const HEADER_LEN: usize = 17;
/// A reading viewer that gets nothing for this long gives up (the server went away).
const READ_TIMEOUT: Duration = Duration::from_secs(30);

/// Where and how viewers connect.
#[derive(Clone)]
pub struct Target {
    /// `127.0.0.1:port`.
    pub addr: String,
    pub token: String,
    pub tls: Arc<ClientConfig>,
}

impl Target {
    /// A target trusting only the certificate in `cert_pem` (the server's self-signed one).
    pub fn new(addr: String, token: String, cert_pem: &[u8]) -> Result<Self, BenchError> {
        let mut roots = RootCertStore::empty();
        for cert in CertificateDer::pem_slice_iter(cert_pem) {
            let cert = cert.map_err(|e| bad(format!("the server's certificate: {e}")))?;
            roots
                .add(cert)
                .map_err(|e| bad(format!("the server's certificate: {e}")))?;
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let tls = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| bad(format!("TLS: {e}")))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        Ok(Self {
            addr,
            token,
            tls: Arc::new(tls),
        })
    }

    /// Opens `camera`'s live socket; `small_buffer` shrinks the receive buffer (a viewer that
    /// never reads then stops the server's sends soon).
    fn open(&self, camera: &str, small_buffer: bool) -> Result<WebSocket<Tls>, BenchError> {
        let tcp = TcpStream::connect(&self.addr)
            .map_err(|e| BenchError::io(format!("connect to {}", self.addr), e))?;
        if small_buffer {
            shrink_receive_buffer(&tcp);
        }
        tcp.set_read_timeout(Some(READ_TIMEOUT))
            .map_err(|e| BenchError::io("socket timeout", e))?;
        let name = ServerName::try_from("localhost").map_err(|e| bad(e.to_string()))?;
        let conn = ClientConnection::new(Arc::clone(&self.tls), name)
            .map_err(|e| bad(format!("TLS: {e}")))?;
        let url = format!("wss://{}/api/cameras/{camera}/live", self.addr);
        let mut req = url.into_client_request().map_err(|e| bad(e.to_string()))?;
        let auth = HeaderValue::from_str(&format!("Bearer {}", self.token))
            .map_err(|e| bad(e.to_string()))?;
        req.headers_mut().insert("authorization", auth);
        let (ws, _) = tungstenite::client(req, StreamOwned::new(conn, tcp))
            .map_err(|e| bad(format!("the live socket of {camera}: {e}")))?;
        Ok(ws)
    }
}

fn bad(why: String) -> BenchError {
    BenchError::Failed(why)
}

/// What one reading viewer got (updated as it reads).
#[derive(Debug, Default)]
pub struct Counts {
    pub messages: AtomicU64,
    pub bytes: AtomicU64,
    pub largest: AtomicU64,
    pub fragments: AtomicU64,
    /// Frames missing between consecutive fragments (decode-time gaps).
    pub skipped: AtomicU64,
    pub ended: AtomicBool,
}

/// A reading viewer's thread.
pub struct Reader {
    pub camera: String,
    pub counts: Arc<Counts>,
    /// The socket, to end the reading by shutting it.
    tcp: TcpStream,
    thread: Option<JoinHandle<()>>,
}

impl Reader {
    /// Connects and starts reading every message; `frame_ticks` is the camera's frame
    /// interval in 90 kHz ticks (to count skipped frames).
    pub fn start(target: &Target, camera: &str, frame_ticks: u64) -> Result<Self, BenchError> {
        let ws = target.open(camera, false)?;
        let tcp = ws
            .get_ref()
            .sock
            .try_clone()
            .map_err(|e| BenchError::io("clone a socket", e))?;
        let counts = Arc::new(Counts::default());
        let ours = Arc::clone(&counts);
        let thread = std::thread::Builder::new()
            .name("bench-viewer".into())
            .spawn(move || read_all(ws, &ours, frame_ticks))
            .map_err(|e| BenchError::io("start a viewer thread", e))?;
        Ok(Self {
            camera: camera.to_string(),
            counts,
            tcp,
            thread: Some(thread),
        })
    }

    /// Closes the socket (without a closing handshake) and waits for the thread.
    pub fn stop(mut self) {
        let _ = self.tcp.shutdown(std::net::Shutdown::Both);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn read_all(mut ws: WebSocket<Tls>, counts: &Counts, frame_ticks: u64) {
    let mut last_decode: Option<u64> = None;
    while let Ok(msg) = ws.read() {
        let len = match &msg {
            Message::Binary(b) => {
                if b.len() > HEADER_LEN && b[0] == 1 {
                    let mut dt = [0u8; 8];
                    dt.copy_from_slice(&b[9..17]);
                    let dt = u64::from_be_bytes(dt);
                    if let Some(prev) = last_decode {
                        let gap = dt.saturating_sub(prev);
                        let missing = (gap + frame_ticks / 2) / frame_ticks.max(1);
                        counts
                            .skipped
                            .fetch_add(missing.saturating_sub(1), Ordering::Relaxed);
                    }
                    last_decode = Some(dt);
                    counts.fragments.fetch_add(1, Ordering::Relaxed);
                }
                b.len()
            }
            Message::Text(t) => t.len(),
            Message::Close(_) => break,
            _ => continue,
        };
        counts.messages.fetch_add(1, Ordering::Relaxed);
        counts.bytes.fetch_add(len as u64, Ordering::Relaxed);
        counts.largest.fetch_max(len as u64, Ordering::Relaxed);
    }
    counts.ended.store(true, Ordering::Relaxed);
}

/// A viewer that connects and never reads (kept open until dropped).
pub struct Stalled {
    _ws: WebSocket<Tls>,
}

impl Stalled {
    pub fn start(target: &Target, camera: &str) -> Result<Self, BenchError> {
        Ok(Self {
            _ws: target.open(camera, true)?,
        })
    }
}

/// A 4 KiB receive buffer.
fn shrink_receive_buffer(stream: &TcpStream) {
    let size: libc::c_int = 4096;
    // SAFETY: a valid socket descriptor and a c_int option value of the stated size.
    unsafe {
        libc::setsockopt(
            stream.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_RCVBUF,
            std::ptr::addr_of!(size).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        );
    }
}
