//! ONVIF: the camera's own events (motion, digital inputs, tampering) over a PullPoint
//! subscription, its device and media services (stream URLs), and WS-Discovery of the
//! cameras on the local network. SOAP over HTTP with WS-Security UsernameToken digests.

pub mod client;
pub mod device;
pub mod discovery;
pub mod discovery_parse;
pub mod http_digest;
pub mod pullpoint;
pub mod soap;
pub mod topics;
pub mod watch;
pub mod xml;

/// How to log in to a camera's ONVIF services. `password` is a secret: never log it.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub user: String,
    pub password: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("user", &self.user)
            .field("password", &"********")
            .finish()
    }
}

/// What went wrong talking ONVIF to a camera, in words an operator can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OnvifError {
    #[error("cannot reach the camera's ONVIF service at {addr}: {reason}")]
    Unreachable { addr: String, reason: String },
    #[error("the camera refused the ONVIF user name or password")]
    NotAuthorized,
    #[error("the camera has no ONVIF {0} service")]
    NoService(&'static str),
    #[error("the camera answered with an ONVIF fault: {0}")]
    Fault(String),
    #[error("the camera's ONVIF answer could not be read: {0}")]
    BadAnswer(String),
    #[error("the camera did not answer within {0} s")]
    Timeout(u64),
}
