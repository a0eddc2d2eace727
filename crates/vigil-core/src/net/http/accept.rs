//! The accept loop: a cap on connections served at once (the excess is answered 503 and
//! closed at once), and accept errors (out of file descriptors, say) waited out and logged
//! instead of ending the loop. With TLS, each admitted connection runs its handshake (under
//! [`super::Limits::tls_handshake_timeout`], holding its slot) before `conn::serve`.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Semaphore};
use tokio_rustls::TlsAcceptor;

use super::conn::{self, ConnContext};
use super::tls;

/// Pause after a failed accept: the error (EMFILE, ENFILE, ENOMEM) usually lasts a moment.
const ACCEPT_PAUSE: Duration = Duration::from_millis(100);
/// At most one log line per kind of trouble this often.
const LOG_EVERY: Duration = Duration::from_secs(5);

const BUSY: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n\
Content-Length: 32\r\nConnection: close\r\n\r\n{\"error\":\"too many connections\"}";

/// Accepts until `stop` turns true. Each admitted connection holds one permit of `slots`,
/// from its TLS handshake (if `tls`) to its close.
pub(crate) async fn accept_loop(
    listener: TcpListener,
    shared: Arc<ConnContext>,
    slots: Arc<Semaphore>,
    tls: Option<TlsAcceptor>,
    mut stop: watch::Receiver<bool>,
) {
    let mut refused = Throttled::new("HTTP connections refused: too many open");
    let mut failed = Throttled::new("cannot accept HTTP connections; retrying");
    loop {
        let accepted = tokio::select! {
            r = listener.accept() => r,
            () = conn::stopped(&mut stop) => return,
        };
        match accepted {
            Ok((stream, peer)) => match Arc::clone(&slots).try_acquire_owned() {
                Ok(permit) => {
                    let (shared, stop, tls) = (Arc::clone(&shared), stop.clone(), tls.clone());
                    tokio::spawn(async move {
                        let _ = stream.set_nodelay(true);
                        serve(stream, peer, shared, tls, stop).await;
                        drop(permit);
                    });
                }
                Err(_) => {
                    // A TLS client could not read a plain answer: it is just closed.
                    if tls.is_none() {
                        refuse(&stream);
                    }
                    refused.note(None);
                }
            },
            Err(e) => {
                failed.note(Some(&e));
                tokio::time::sleep(ACCEPT_PAUSE).await;
            }
        }
    }
}

/// Serves one admitted connection, after its TLS handshake when there is TLS.
async fn serve(
    stream: TcpStream,
    peer: SocketAddr,
    shared: Arc<ConnContext>,
    tls: Option<TlsAcceptor>,
    mut stop: watch::Receiver<bool>,
) {
    let Some(acceptor) = tls else {
        return conn::serve(stream, peer, shared, stop).await;
    };
    let deadline = shared.limits.tls_handshake_timeout;
    if let Some(stream) = tls::handshake(&acceptor, stream, deadline, &mut stop).await {
        conn::serve(stream, peer, shared, stop).await;
    }
}

/// Answers 503 if the socket takes it at once, then closes it.
fn refuse(stream: &TcpStream) {
    let _ = stream.try_write(BUSY);
}

/// Counts occurrences and logs at most once per [`LOG_EVERY`].
struct Throttled {
    what: &'static str,
    count: u64,
    last: Option<Instant>,
}

impl Throttled {
    fn new(what: &'static str) -> Self {
        Self {
            what,
            count: 0,
            last: None,
        }
    }

    fn note(&mut self, error: Option<&std::io::Error>) {
        self.count += 1;
        if self.last.is_some_and(|t| t.elapsed() < LOG_EVERY) {
            return;
        }
        self.last = Some(Instant::now());
        match error {
            Some(e) => tracing::warn!(error = %e, times = self.count, "{}", self.what),
            None => tracing::warn!(times = self.count, "{}", self.what),
        }
        self.count = 0;
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_busy_answer_declares_its_length() {
        let text = std::str::from_utf8(super::BUSY).unwrap_or("");
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or(("", ""));
        assert!(
            head.contains(&format!("Content-Length: {}", body.len())),
            "{text}"
        );
    }
}
