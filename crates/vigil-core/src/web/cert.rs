//! The web viewer's certificate: the self-signed one made on first start and kept in the data
//! directory (`web-cert.pem`, and `web-key.pem` readable by its owner only) — made anew when
//! it no longer names the address served (a new IP address, a specific `--web` address) — or
//! the user's own PEM files; and its SHA-256 fingerprint, printed so that a user can check it
//! on a phone.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
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
    /// The names the data directory's certificate lacked, for which a new one was made
    /// (empty: the certificate was reused, made for the first time, or the user's own).
    pub renewed_for: Vec<String>,
}

/// The data directory's self-signed certificate, made first (for `names`) if there is none.
/// A certificate is kept and reused while it names every one of `names`; otherwise a new one
/// is made (and the fingerprint changes): say so with [`ServerCert::renewed_for`].
pub fn load_or_create(data_dir: &Path, names: &[String]) -> Result<ServerCert, CertError> {
    let (cert, key) = (data_dir.join(CERT_FILE), data_dir.join(KEY_FILE));
    if !cert.exists() {
        create(&cert, &key, names)?;
        tracing::info!(path = %cert.display(), "made the web viewer's self-signed certificate");
        return load_files(&cert, &key);
    }
    let missing = match read_chain(&cert) {
        Ok(chain) => chain
            .first()
            .map_or_else(|| names.to_vec(), |c| unnamed(c, names)),
        // Unreadable: load_files says why in words.
        Err(_) => Vec::new(),
    };
    if missing.is_empty() {
        return load_files(&cert, &key);
    }
    create(&cert, &key, names)?;
    tracing::warn!(
        path = %cert.display(),
        missing = %missing.join(", "),
        "made a new self-signed certificate for the web viewer: the old one did not name \
         the address served"
    );
    let mut made = load_files(&cert, &key)?;
    made.renewed_for = missing;
    Ok(made)
}

/// Those of `names` that `cert` is not valid for (all of them if it cannot be parsed).
pub fn unnamed(cert: &CertificateDer<'_>, names: &[String]) -> Vec<String> {
    let Ok(parsed) = rustls::server::ParsedCertificate::try_from(cert) else {
        return names.to_vec();
    };
    names
        .iter()
        .filter(|n| {
            let Ok(name) = rustls::pki_types::ServerName::try_from(n.as_str()) else {
                return false;
            };
            rustls::client::verify_server_name(&parsed, &name).is_err()
        })
        .cloned()
        .collect()
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
        renewed_for: Vec::new(),
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
/// `bound` when it is a specific address, or this machine's addresses (but loopback and
/// link-local ones) when it is 0.0.0.0 or ::, and no address when it is a host name.
pub fn names_for(bound: Option<IpAddr>) -> Vec<String> {
    let mut names = vec!["localhost".to_string()];
    if let Some(host) = host_name().filter(|h| h != "localhost") {
        names.push(host);
    }
    match bound {
        Some(ip) if !ip.is_unspecified() => names.push(ip.to_string()),
        None => {}
        Some(_) => {
            let mut ips: Vec<IpAddr> = interface_addresses()
                .into_iter()
                .filter(|ip| !ip.is_loopback() && !ip.is_unspecified() && !link_local(ip))
                .collect();
            ips.sort();
            ips.dedup();
            names.extend(ips.iter().map(IpAddr::to_string));
        }
    }
    names
}

fn link_local(ip: &IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_link_local(),
        IpAddr::V6(v6) => (v6.segments()[0] & 0xffc0) == 0xfe80,
    }
}

/// The addresses of this machine's network interfaces (none if they cannot be listed).
fn interface_addresses() -> Vec<IpAddr> {
    let mut out = Vec::new();
    let mut list: *mut libc::ifaddrs = std::ptr::null_mut();
    // SAFETY: getifaddrs makes a list that we walk read-only and free below.
    if unsafe { libc::getifaddrs(&mut list) } != 0 {
        return out;
    }
    let mut cur = list;
    while !cur.is_null() {
        // SAFETY: `cur` is a node of the list, alive until freeifaddrs; an address is read
        // as the type its family says.
        unsafe {
            let ifa = &*cur;
            if !ifa.ifa_addr.is_null() {
                match i32::from((*ifa.ifa_addr).sa_family) {
                    libc::AF_INET => {
                        let sin = &*ifa.ifa_addr.cast::<libc::sockaddr_in>();
                        let v4 = Ipv4Addr::from(u32::from_be(sin.sin_addr.s_addr));
                        out.push(IpAddr::V4(v4));
                    }
                    libc::AF_INET6 => {
                        let sin6 = &*ifa.ifa_addr.cast::<libc::sockaddr_in6>();
                        out.push(IpAddr::V6(Ipv6Addr::from(sin6.sin6_addr.s6_addr)));
                    }
                    _ => {}
                }
            }
            cur = ifa.ifa_next;
        }
    }
    // SAFETY: the list getifaddrs made, freed once.
    unsafe { libc::freeifaddrs(list) };
    out
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
