//! The web viewer's certificate: the self-signed one made on first start and kept in the data
//! directory (`web-cert.pem`, and `web-key.pem` readable by its owner only), or the user's own
//! PEM files; and its SHA-256 fingerprint, printed so that a user can check it on a phone.

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

use crate::library::perms::create_private_file;
use crate::model::reason::io_reason;
use crate::net::http::tls::{self, TlsError};

/// The generated certificate, in the data directory.
pub const CERT_FILE: &str = "web-cert.pem";
/// Its private key, mode 0600.
pub const KEY_FILE: &str = "web-key.pem";

#[derive(Debug, thiserror::Error)]
pub enum CertError {
    #[error("cannot read the TLS certificate {path}: {reason}")]
    ReadCert { path: String, reason: String },
    #[error("cannot read the TLS private key {path}: {reason}")]
    ReadKey { path: String, reason: String },
    #[error(
        "the TLS private key {key} does not match the certificate {cert}: give the key the \
         certificate was made for"
    )]
    Mismatch { cert: String, key: String },
    #[error("cannot use the TLS certificate {cert} with the key {key}: {reason}")]
    Unusable {
        cert: String,
        key: String,
        reason: String,
    },
    #[error("cannot make the web viewer's certificate: {0}")]
    Generate(String),
    #[error("cannot save the web viewer's certificate in {path}: {reason}")]
    Save { path: String, reason: String },
}

/// A certificate ready to serve.
pub struct ServerCert {
    pub config: Arc<rustls::ServerConfig>,
    /// SHA-256 of the server's certificate (DER), as colon-separated upper-case hex.
    pub fingerprint: String,
}

/// The data directory's self-signed certificate, made first (for `names`) if there is none.
/// A certificate made once is kept and reused, whatever the names asked for later.
pub fn load_or_create(data_dir: &Path, names: &[String]) -> Result<ServerCert, CertError> {
    let (cert, key) = (data_dir.join(CERT_FILE), data_dir.join(KEY_FILE));
    if !cert.exists() {
        create(&cert, &key, names)?;
        tracing::info!(path = %cert.display(), "made the web viewer's self-signed certificate");
    }
    load_files(&cert, &key)
}

/// The user's own certificate chain (PEM, the server's certificate first) and private key.
pub fn load_files(cert: &Path, key: &Path) -> Result<ServerCert, CertError> {
    let shown = |p: &Path| p.display().to_string();
    let read_cert = |reason: String| CertError::ReadCert {
        path: shown(cert),
        reason,
    };
    let chain = read_chain(cert).map_err(read_cert)?;
    let private = read_key(key).map_err(|reason| CertError::ReadKey {
        path: shown(key),
        reason,
    })?;
    let fingerprint = chain.first().map(|c| fingerprint(c)).unwrap_or_default();
    let config = tls::server_config(chain, private).map_err(|e| match e {
        TlsError::KeyMismatch => CertError::Mismatch {
            cert: shown(cert),
            key: shown(key),
        },
        other => CertError::Unusable {
            cert: shown(cert),
            key: shown(key),
            reason: other.to_string(),
        },
    })?;
    Ok(ServerCert {
        config,
        fingerprint,
    })
}

fn read_chain(path: &Path) -> Result<Vec<CertificateDer<'static>>, String> {
    let bytes = std::fs::read(path).map_err(|e| io_reason(&e))?;
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&bytes)
        .collect::<Result<_, _>>()
        .map_err(|e| format!("it is not a PEM certificate ({e})"))?;
    if chain.is_empty() {
        return Err("it holds no PEM certificate (-----BEGIN CERTIFICATE-----)".into());
    }
    Ok(chain)
}

fn read_key(path: &Path) -> Result<PrivateKeyDer<'static>, String> {
    let bytes = std::fs::read(path).map_err(|e| io_reason(&e))?;
    PrivateKeyDer::from_pem_slice(&bytes).map_err(|e| match e {
        rustls::pki_types::pem::Error::NoItemsFound => {
            "it holds no PEM private key (-----BEGIN PRIVATE KEY-----)".to_string()
        }
        other => format!("it is not a PEM private key ({other})"),
    })
}

/// Makes a self-signed certificate for `names` (DNS names or IP addresses) and saves it: the
/// key first, then the certificate, each written whole beside its place and then renamed, so
/// a certificate file never exists without its key.
fn create(cert: &Path, key: &Path, names: &[String]) -> Result<(), CertError> {
    let made = rcgen::generate_simple_self_signed(names.to_vec())
        .map_err(|e| CertError::Generate(e.to_string()))?;
    save(key, made.signing_key.serialize_pem().as_bytes())?;
    save(cert, made.cert.pem().as_bytes())
}

fn save(path: &Path, bytes: &[u8]) -> Result<(), CertError> {
    let fail = |e: std::io::Error| CertError::Save {
        path: path.display().to_string(),
        reason: io_reason(&e),
    };
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    create_private_file(&tmp).map_err(fail)?;
    std::fs::write(&tmp, bytes).map_err(fail)?;
    std::fs::rename(&tmp, path).map_err(fail)
}

/// SHA-256 of `cert`, as `AA:BB:…` (what `openssl x509 -fingerprint -sha256` prints).
pub fn fingerprint(cert: &CertificateDer<'_>) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, cert.as_ref());
    let hex: Vec<String> = digest.as_ref().iter().map(|b| format!("{b:02X}")).collect();
    hex.join(":")
}

/// The names a generated certificate is made for: `localhost`, this machine's host name, and
/// `bound` when it is a specific address (not 0.0.0.0 or ::).
pub fn names_for(bound: Option<IpAddr>) -> Vec<String> {
    let mut names = vec!["localhost".to_string()];
    if let Some(host) = host_name().filter(|h| h != "localhost") {
        names.push(host);
    }
    if let Some(ip) = bound.filter(|ip| !ip.is_unspecified()) {
        names.push(ip.to_string());
    }
    names
}

/// This machine's host name, when it is one a certificate can name.
fn host_name() -> Option<String> {
    let mut buf = [0u8; 256];
    // SAFETY: gethostname writes at most `buf.len()` bytes into the buffer we own.
    let rc = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
    if rc != 0 {
        return None;
    }
    let end = buf.iter().position(|&b| b == 0)?;
    let name = std::str::from_utf8(&buf[..end]).ok()?.to_ascii_lowercase();
    let usable = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
    usable.then_some(name)
}

#[cfg(test)]
#[path = "cert_tests.rs"]
mod tests;
