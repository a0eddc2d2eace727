//! How the web viewer is served: its address, and HTTPS with the generated certificate or the
//! user's own, or plain HTTP — allowed only on a loopback address, where nothing crosses the
//! network.

use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::path::PathBuf;

/// What `--web` given without an address serves on: every interface, HTTPS.
pub const DEFAULT_WEB_ADDR: &str = "0.0.0.0:8443";

/// The web viewer's settings (`vigil run --web [ADDR]` and `vigil gui --web [ADDR]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebOptions {
    pub addr: String,
    pub tls: WebTls,
}

/// How connections are encrypted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WebTls {
    /// The self-signed certificate made on first start and kept in the data directory.
    SelfSigned,
    /// The user's certificate chain and private key (PEM files).
    Files { cert: PathBuf, key: PathBuf },
    /// Plain HTTP, on a loopback address only.
    InsecureHttp,
}

#[derive(Debug, thiserror::Error)]
pub enum OptionsError {
    #[error(
        "--web-insecure-http is allowed only on a loopback address (127.0.0.1, ::1 or \
         localhost), because passwords and video would cross the network unencrypted; {0} is \
         not one: drop --web-insecure-http to serve HTTPS, or serve on 127.0.0.1"
    )]
    InsecureNotLoopback(String),
    #[error("--web-insecure-http serves plain HTTP and cannot be used with --tls-cert/--tls-key")]
    InsecureWithCertificate,
}

impl WebOptions {
    /// Checks the combination: plain HTTP only on loopback and without certificate files.
    pub fn new(
        addr: &str,
        files: Option<(PathBuf, PathBuf)>,
        insecure_http: bool,
    ) -> Result<Self, OptionsError> {
        let tls = match (files, insecure_http) {
            (Some(_), true) => return Err(OptionsError::InsecureWithCertificate),
            (None, true) if !is_loopback(addr) => {
                return Err(OptionsError::InsecureNotLoopback(addr.to_string()))
            }
            (None, true) => WebTls::InsecureHttp,
            (Some((cert, key)), false) => WebTls::Files { cert, key },
            (None, false) => WebTls::SelfSigned,
        };
        Ok(Self {
            addr: addr.to_string(),
            tls,
        })
    }

    /// The address's IP when it is written as one (not a host name).
    pub fn ip(&self) -> Option<IpAddr> {
        self.addr.parse::<SocketAddr>().ok().map(|a| a.ip())
    }
}

/// Whether every address `addr` names is a loopback one (false when it names none).
pub fn is_loopback(addr: &str) -> bool {
    match addr.to_socket_addrs() {
        Ok(addrs) => {
            let addrs: Vec<SocketAddr> = addrs.collect();
            !addrs.is_empty() && addrs.iter().all(|a| a.ip().is_loopback())
        }
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_only_on_loopback() {
        for ok in ["127.0.0.1:8080", "[::1]:0", "localhost:8443", "127.0.0.2:1"] {
            let o = WebOptions::new(ok, None, true).unwrap_or_else(|e| panic!("{ok}: {e}"));
            assert_eq!(o.tls, WebTls::InsecureHttp);
        }
        for refused in ["0.0.0.0:8443", "[::]:8443", "192.0.2.1:80", "nonsense"] {
            let err = WebOptions::new(refused, None, true)
                .err()
                .unwrap()
                .to_string();
            assert!(
                err.contains("only on a loopback address") && err.contains(refused),
                "{err}"
            );
        }
        let files = Some(("c.pem".into(), "k.pem".into()));
        let err = WebOptions::new("127.0.0.1:1", files.clone(), true).err();
        assert!(matches!(err, Some(OptionsError::InsecureWithCertificate)));
    }

    #[test]
    fn https_by_default_on_any_address() {
        let o = WebOptions::new(DEFAULT_WEB_ADDR, None, false).unwrap();
        assert_eq!(o.tls, WebTls::SelfSigned);
        assert_eq!(o.ip(), Some("0.0.0.0".parse().unwrap()));
        let files = Some(("c.pem".into(), "k.pem".into()));
        let o = WebOptions::new("0.0.0.0:1", files, false).unwrap();
        assert!(matches!(o.tls, WebTls::Files { .. }));
        assert_eq!(
            WebOptions::new("localhost:1", None, false).unwrap().ip(),
            None
        );
    }
}
