//! The accept loop: a cap on connections served at once (the excess is answered 503 and
//! closed at once), and accept errors (out of file descriptors, say) waited out and logged
//! instead of ending the loop. With TLS, each connection first runs its handshake (under
//! [`super::Limits::tls_handshake_timeout`]) in a pool of its own, capped by
//! [`super::Limits::max_tls_handshakes`]: when it is full, the oldest pending handshake of the
//! address with the most pending is closed for the newcomer, so clients that connect and
//! never say hello can neither take the established clients' slots nor keep a real client
//! (whose handshake takes milliseconds) out — least of all one from another address. A
//! connection takes its slot once its handshake is done.

use std::collections::VecDeque;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{oneshot, watch, Semaphore};
use tokio_rustls::TlsAcceptor;

use super::conn::{self, ConnContext};
use super::tls;

/// Pause after a failed accept: the error (EMFILE, ENFILE, ENOMEM) usually lasts a moment.
const ACCEPT_PAUSE: Duration = Duration::from_millis(100);
/// At most one log line per kind of trouble this often.
const LOG_EVERY: Duration = Duration::from_secs(5);

const BUSY: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n\
Content-Length: 32\r\nConnection: close\r\n\r\n{\"error\":\"too many connections\"}";

/// Accepts until `stop` turns true. Each served connection holds one permit of `slots`, from
/// the end of its TLS handshake (if `tls`; at once otherwise) to its close.
pub(crate) async fn accept_loop(
    listener: TcpListener,
    shared: Arc<ConnContext>,
    slots: Arc<Semaphore>,
    tls: Option<TlsAcceptor>,
    mut stop: watch::Receiver<bool>,
) {
    let mut refused = Throttled::new("HTTP connections refused: too many open");
    let mut failed = Throttled::new("cannot accept HTTP connections; retrying");
    let mut evicted = Throttled::new("TLS handshakes pending over the cap: the oldest closed");
    let pending = Arc::new(Handshakes::new(shared.limits.max_tls_handshakes));
    loop {
        let accepted = tokio::select! {
            r = listener.accept() => r,
            () = conn::stopped(&mut stop) => return,
        };
        let (stream, peer) = match accepted {
            Ok(a) => a,
            Err(e) => {
                failed.note(Some(&e));
                tokio::time::sleep(ACCEPT_PAUSE).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let (shared, stop) = (Arc::clone(&shared), stop.clone());
        if let Some(acceptor) = tls.clone() {
            let (ticket, closed_one) = pending.admit(peer.ip());
            if closed_one {
                evicted.note(None);
            }
            let (slots, pending) = (Arc::clone(&slots), Arc::clone(&pending));
            tokio::spawn(serve_tls(
                stream,
                peer,
                shared,
                (acceptor, pending, ticket),
                slots,
                stop,
            ));
            continue;
        }
        match Arc::clone(&slots).try_acquire_owned() {
            Ok(permit) => {
                tokio::spawn(async move {
                    conn::serve(stream, peer, shared, stop).await;
                    drop(permit);
                });
            }
            Err(_) => {
                refuse(&stream);
                refused.note(None);
            }
        }
    }
}

/// Shakes hands (unless the handshake is closed for a newer one), then serves the connection
/// if a slot is free; a TLS client could not read a plain 503, so it is just closed otherwise.
async fn serve_tls(
    stream: TcpStream,
    peer: SocketAddr,
    shared: Arc<ConnContext>,
    (acceptor, pending, ticket): (TlsAcceptor, Arc<Handshakes>, Ticket),
    slots: Arc<Semaphore>,
    mut stop: watch::Receiver<bool>,
) {
    let deadline = shared.limits.tls_handshake_timeout;
    let shaken = tokio::select! {
        s = tls::handshake(&acceptor, stream, deadline, &mut stop) => s,
        _ = ticket.evicted => None,
    };
    pending.done(ticket.id);
    let Some(stream) = shaken else { return };
    let Ok(permit) = slots.try_acquire_owned() else {
        tracing::debug!(%peer, "HTTP connection closed after its handshake: too many open");
        return;
    };
    conn::serve(stream, peer, shared, stop).await;
    drop(permit);
}

/// A pending handshake's place in [`Handshakes`]: it is closed when `evicted` fires.
struct Ticket {
    id: u64,
    evicted: oneshot::Receiver<()>,
}

/// The pending TLS handshakes, oldest first, at most `cap`.
struct Handshakes {
    cap: usize,
    queue: Mutex<Queue>,
}

#[derive(Default)]
struct Queue {
    next_id: u64,
    /// Each pending handshake's id, client address and the sender whose drop closes it.
    waiting: VecDeque<(u64, IpAddr, oneshot::Sender<()>)>,
}

impl Handshakes {
    fn new(cap: usize) -> Self {
        Self {
            cap: cap.max(1),
            queue: Mutex::new(Queue::default()),
        }
    }

    /// A place for a new handshake from `ip`; true if another pending one was closed for it
    /// (the oldest of the address with the most pending).
    fn admit(&self, ip: IpAddr) -> (Ticket, bool) {
        let (tx, evicted) = oneshot::channel();
        let mut q = self.queue.lock().unwrap_or_else(|p| p.into_inner());
        let id = q.next_id;
        q.next_id += 1;
        let mut closed_one = false;
        while q.waiting.len() >= self.cap {
            // Dropping its sender wakes the handshake, which then closes.
            let busiest = busiest(&q.waiting);
            if let Some(at) = q.waiting.iter().position(|w| Some(w.1) == busiest) {
                q.waiting.remove(at);
            }
            closed_one = true;
        }
        q.waiting.push_back((id, ip, tx));
        (Ticket { id, evicted }, closed_one)
    }

    /// The handshake `id` is over (done, failed or closed).
    fn done(&self, id: u64) {
        let mut q = self.queue.lock().unwrap_or_else(|p| p.into_inner());
        q.waiting.retain(|(i, _, _)| *i != id);
    }

    #[cfg(test)]
    fn pending(&self) -> usize {
        self.queue.lock().map(|q| q.waiting.len()).unwrap_or(0)
    }
}

/// The address with the most pending handshakes (the first seen among equals).
fn busiest(waiting: &VecDeque<(u64, IpAddr, oneshot::Sender<()>)>) -> Option<IpAddr> {
    let mut counts: Vec<(IpAddr, usize)> = Vec::new();
    for (_, ip, _) in waiting {
        match counts.iter_mut().find(|(c, _)| c == ip) {
            Some((_, n)) => *n += 1,
            None => counts.push((*ip, 1)),
        }
    }
    // max_by_key keeps the last of equals: walk backwards to keep the first.
    counts
        .into_iter()
        .rev()
        .max_by_key(|(_, n)| *n)
        .map(|(ip, _)| ip)
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
    use std::net::IpAddr;

    use super::Handshakes;

    #[test]
    fn a_full_handshake_pool_closes_the_oldest_of_the_busiest_address_for_a_newcomer() {
        use tokio::sync::oneshot::error::TryRecvError::{Closed, Empty};
        let (a, b): (IpAddr, IpAddr) = ("192.0.2.1".parse().unwrap(), "192.0.2.2".parse().unwrap());
        let pool = Handshakes::new(3);
        let (mut a1, closed) = pool.admit(a);
        assert!(!closed);
        let (mut b1, _) = pool.admit(b);
        let (mut a2, _) = pool.admit(a);
        assert!(a1.evicted.try_recv() == Err(Empty) && pool.pending() == 3);
        // Full: a has the most pending, so its oldest goes, even though b1 is older than a2.
        let (mut a3, closed) = pool.admit(a);
        assert!(closed, "the pool was full");
        assert_eq!(
            a1.evicted.try_recv(),
            Err(Closed),
            "a's oldest is told to close"
        );
        assert_eq!(b1.evicted.try_recv(), Err(Empty));
        // A flood from a never reaches b's handshake.
        let flood: Vec<_> = (0..50).map(|_| pool.admit(a).0).collect();
        assert_eq!(b1.evicted.try_recv(), Err(Empty), "b survives a's flood");
        assert_eq!(a2.evicted.try_recv(), Err(Closed));
        assert_eq!(a3.evicted.try_recv(), Err(Closed));
        pool.done(b1.id);
        for t in &flood {
            pool.done(t.id);
        }
        assert_eq!(pool.pending(), 0);
    }

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
