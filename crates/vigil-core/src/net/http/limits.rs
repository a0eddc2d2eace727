//! What one HTTP server allows a client: connections, pending TLS handshakes, header size
//! and count, body size and how long a TLS handshake and reading a request may take, and the grace given to requests
//! at shutdown.

use std::time::Duration;

/// The limits of one [`super::HttpServer`]. Every field has a safe default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Connections served at once; more are answered 503 and closed at once. Lowered at start
    /// so that the server can never take more than half the process's free file descriptors.
    pub max_connections: usize,
    /// Time to receive a request's whole header (also an idle keep-alive connection's limit).
    pub header_read_timeout: Duration,
    /// Largest request header, in bytes (the read buffer; hyper's minimum is 8 KiB).
    pub max_header_bytes: usize,
    /// Most header fields in one request.
    pub max_headers: usize,
    /// Largest request body: a larger `Content-Length` is answered 413 before any of the body
    /// is read, and a chunked body is cut off there.
    pub max_body_bytes: u64,
    /// Time from the end of the header to the response's head: reading the body and handling.
    pub request_timeout: Duration,
    /// Time in-flight requests get to finish when the server stops; then they are dropped.
    pub shutdown_grace: Duration,
    /// Whether a connection may carry more than one request.
    pub keep_alive: bool,
    /// Time a TLS client has for its handshake after connecting; then it is closed.
    pub tls_handshake_timeout: Duration,
    /// TLS handshakes pending at once, apart from `max_connections` (a connection takes its
    /// slot once its handshake is done); when full, the oldest pending one of the address
    /// with the most pending is closed for a newcomer, so idle sockets cannot starve real
    /// clients.
    pub max_tls_handshakes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_connections: 64,
            header_read_timeout: Duration::from_secs(10),
            max_header_bytes: 16 * 1024,
            max_headers: 64,
            max_body_bytes: 1024 * 1024,
            request_timeout: Duration::from_secs(10),
            shutdown_grace: Duration::from_secs(2),
            keep_alive: true,
            tls_handshake_timeout: Duration::from_secs(10),
            max_tls_handshakes: 32,
        }
    }
}

/// hyper refuses a read buffer under 8 KiB.
pub(crate) const MIN_HEADER_BYTES: usize = 8192;

impl Limits {
    /// The connection cap with `free_fds` file descriptors free: at most half of them, at
    /// least 1.
    pub fn connection_cap(&self, free_fds: Option<u64>) -> usize {
        let by_fds = free_fds.map_or(usize::MAX, |f| usize::try_from(f / 2).unwrap_or(usize::MAX));
        self.max_connections.min(by_fds).max(1)
    }
}

/// File descriptors this process may still open (soft limit minus those open now), if known.
pub fn free_file_descriptors() -> Option<u64> {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit only writes the struct we pass.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) } != 0 {
        return None;
    }
    if lim.rlim_cur == libc::RLIM_INFINITY {
        return None;
    }
    let open = std::fs::read_dir("/proc/self/fd").ok()?.count() as u64;
    Some(lim.rlim_cur.saturating_sub(open))
}

/// Whether a declared `Content-Length` is over `max` (an unparsable one is hyper's to refuse).
pub fn declared_too_large(headers: &http::HeaderMap, max: u64) -> bool {
    headers
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|s| s.trim().parse::<u64>().ok())
        .is_some_and(|n| n > max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_keeps_half_the_free_descriptors() {
        let l = Limits::default();
        assert_eq!(l.connection_cap(None), 64);
        assert_eq!(l.connection_cap(Some(1000)), 64);
        assert_eq!(l.connection_cap(Some(40)), 20);
        assert_eq!(l.connection_cap(Some(0)), 1);
    }

    #[test]
    fn a_declared_length_over_the_limit_is_too_large() {
        let mut h = http::HeaderMap::new();
        assert!(!declared_too_large(&h, 10), "no length: chunked or empty");
        h.insert(http::header::CONTENT_LENGTH, "10".parse().unwrap());
        assert!(!declared_too_large(&h, 10));
        h.insert(
            http::header::CONTENT_LENGTH,
            "1000000000000".parse().unwrap(),
        );
        assert!(declared_too_large(&h, 10));
    }

    #[test]
    fn this_process_has_free_descriptors() {
        assert!(free_file_descriptors().is_none_or(|f| f > 0));
    }
}
