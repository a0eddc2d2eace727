//! The web viewer's server: its certificate (made, loaded or none for loopback plain HTTP),
//! the shared HTTP stack with limits for browsers, and the line telling the user where it is.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use super::cert::{self, CertError};
use super::options::{OptionsError, WebOptions, WebTls};
use super::routes;
use super::state::{WebEngine, WebState};
use crate::library::LibraryError;
use crate::net::http::{HttpServer, Limits, ServerError, Serving};

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error(transparent)]
    Options(#[from] OptionsError),
    #[error(transparent)]
    Cert(#[from] CertError),
    /// e.g. "cannot listen on 0.0.0.0:8443: …".
    #[error(transparent)]
    Server(#[from] ServerError),
    /// The library could not be opened for the viewer's accounts and archive.
    #[error(transparent)]
    Library(#[from] LibraryError),
}

/// Threads for the viewer's blocking work: database queries, password hashing, live feeds.
const BLOCKING_THREADS: usize = 16;

/// A running web viewer; [`WebServer::stop`] or dropping it stops it.
pub struct WebServer {
    server: HttpServer,
    url: String,
    fingerprint: Option<String>,
    /// The names the old self-signed certificate lacked, when a new one was made for them.
    renewed_for: Vec<String>,
}

/// The web viewer's limits: browsers keep connections open and open several each, so there
/// are more slots than for the trigger API (a slot is taken once the TLS handshake is done;
/// pending handshakes have their own smaller pool); small bodies (a viewer posts little).
pub fn limits() -> Limits {
    Limits {
        max_connections: 256,
        max_tls_handshakes: 64,
        max_body_bytes: 16 * 1024,
        ..Limits::default()
    }
}

impl WebServer {
    /// Gets the certificate (making the self-signed one in `data_dir` on first start) and
    /// serves the viewer on `opts.addr`.
    pub fn start(opts: &WebOptions, engine: WebEngine) -> Result<Self, WebError> {
        let data_dir: &Path = &engine.data_dir.clone();
        let cert = match &opts.tls {
            WebTls::SelfSigned => {
                Some(cert::load_or_create(data_dir, &cert::names_for(opts.ip()))?)
            }
            WebTls::Files { cert, key } => Some(cert::load_files(cert, key)?),
            WebTls::InsecureHttp => None,
        };
        let tls = cert.is_some();
        let state = Arc::new(WebState::open(engine, tls)?);
        let serving = Serving {
            tls: cert.as_ref().map(|c| Arc::clone(&c.config)),
            headers: routes::security_headers(tls),
            blocking_threads: BLOCKING_THREADS,
        };
        let router = routes::router(state);
        let server = HttpServer::start_with(&opts.addr, router, limits(), "web", serving)?;
        let scheme = if tls { "https" } else { "http" };
        let renewed_for = cert
            .as_ref()
            .map(|c| c.renewed_for.clone())
            .unwrap_or_default();
        Ok(Self {
            url: format!("{scheme}://{}", server.addr()),
            fingerprint: cert.map(|c| c.fingerprint),
            renewed_for,
            server,
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.server.addr()
    }

    /// What to tell the user: where the viewer is, and the certificate's fingerprint to
    /// check in the browser; first, when the self-signed certificate was made anew, why.
    pub fn announcement(&self) -> String {
        let line = match &self.fingerprint {
            Some(f) => format!("web viewer on {} (certificate SHA-256 {f})", self.url),
            None => format!("web viewer on {} (plain HTTP: this machine only)", self.url),
        };
        if self.renewed_for.is_empty() {
            return line;
        }
        format!(
            "made a new certificate for the web viewer: the old one did not name {}; \
             browsers will ask again, so check the new fingerprint\n{line}",
            self.renewed_for.join(", ")
        )
    }

    /// Stops accepting, lets requests in flight finish for a moment, then drops them.
    pub fn stop(self) {
        self.server.stop();
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};
    use std::net::TcpStream;

    use super::*;

    fn get(addr: SocketAddr, path: &str) -> String {
        let mut s = TcpStream::connect(addr).unwrap();
        let req = format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        s.write_all(req.as_bytes()).unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        out
    }

    #[test]
    fn plain_http_on_loopback_serves_only_the_login_page_and_the_health_check() {
        let dir = tempfile::tempdir().unwrap();
        let opts = WebOptions::new("127.0.0.1:0", None, true).unwrap();
        let web = WebServer::start(&opts, crate::web::state::test_engine(dir.path())).unwrap();
        assert!(
            web.announcement()
                .starts_with("web viewer on http://127.0.0.1:"),
            "{}",
            web.announcement()
        );
        let ok = get(web.addr(), "/healthz");
        assert!(ok.starts_with("HTTP/1.1 200") && ok.ends_with("ok"), "{ok}");
        let lower = ok.to_ascii_lowercase();
        assert!(lower.contains("x-content-type-options: nosniff"), "{ok}");
        assert!(!lower.contains("strict-transport-security"), "{ok}");
        assert!(get(web.addr(), "/login").contains("<form"));
        for path in ["/api/anything", "/cameras", "/healthz/x"] {
            let refused = get(web.addr(), path);
            assert!(refused.starts_with("HTTP/1.1 401"), "{path}: {refused}");
        }
        assert!(!dir.path().join(cert::CERT_FILE).exists(), "no certificate");
        web.stop();
    }

    #[test]
    fn https_announces_the_fingerprint_of_the_certificate_it_made() {
        let dir = tempfile::tempdir().unwrap();
        let opts = WebOptions::new("127.0.0.1:0", None, false).unwrap();
        let web = WebServer::start(&opts, crate::web::state::test_engine(dir.path())).unwrap();
        let made = cert::load_or_create(dir.path(), &[]).unwrap();
        assert_eq!(
            web.announcement(),
            format!(
                "web viewer on https://{} (certificate SHA-256 {})",
                web.addr(),
                made.fingerprint
            )
        );
        web.stop();
    }
}
