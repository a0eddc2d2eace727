//! TLS for the HTTP stack: the rustls server configuration (the `ring` provider, chosen
//! explicitly so that no process-wide default is needed), and the handshake of one
//! connection under a deadline, so a client that never sends its ClientHello cannot hold a
//! connection slot for long.

use std::sync::Arc;
use std::time::Duration;

use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::sign::CertifiedKey;
use rustls::ServerConfig;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::watch;
use tokio_rustls::server::TlsStream;
use tokio_rustls::TlsAcceptor;

use super::conn;

#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("there is no certificate")]
    NoCertificate,
    #[error("the private key does not match the certificate")]
    KeyMismatch,
    #[error("the certificate or key cannot be used: {0}")]
    Unusable(String),
}

/// A server configuration serving `chain` (the server's certificate first) with `key`, over
/// TLS 1.2 and 1.3 with rustls' `ring` provider. Fails when the key does not match the
/// certificate or is of a kind rustls cannot sign with.
pub fn server_config(
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
) -> Result<Arc<ServerConfig>, TlsError> {
    if chain.is_empty() {
        return Err(TlsError::NoCertificate);
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    CertifiedKey::from_der(chain.clone(), key.clone_key(), &provider).map_err(reason)?;
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(reason)?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(reason)?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

fn reason(e: rustls::Error) -> TlsError {
    match e {
        rustls::Error::InconsistentKeys(rustls::InconsistentKeys::KeyMismatch) => {
            TlsError::KeyMismatch
        }
        other => TlsError::Unusable(other.to_string()),
    }
}

/// Runs the TLS handshake on `io`; `None` when it fails, takes longer than `deadline`, or the
/// server stops meanwhile.
pub(crate) async fn handshake<S>(
    acceptor: &TlsAcceptor,
    io: S,
    deadline: Duration,
    stop: &mut watch::Receiver<bool>,
) -> Option<TlsStream<S>>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    tokio::select! {
        res = tokio::time::timeout(deadline, acceptor.accept(io)) => match res {
            Ok(Ok(stream)) => Some(stream),
            Ok(Err(e)) => {
                tracing::debug!(error = %e, "TLS handshake failed");
                None
            }
            Err(_) => {
                tracing::debug!(deadline_s = deadline.as_secs_f64(), "TLS handshake timed out");
                None
            }
        },
        () = conn::stopped(stop) => None,
    }
}
