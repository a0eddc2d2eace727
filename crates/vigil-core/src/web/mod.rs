//! The web viewer: the HTTPS server in the recorder's process that browsers and phones use
//! to watch cameras and recordings, its certificate, and the accounts it stands on (users and
//! roles, password hashing, browser sessions, login throttling and the audit trail).
//!
//! Layering: `web` may use `library`, `model`, `jobs`, `net` and `service`; nothing but the
//! host uses `web`.

pub mod accounts;
pub mod cert;
pub mod options;
pub mod password;
pub mod role;
pub mod routes;
pub mod server;
pub mod throttle;
pub mod token;

pub use accounts::{AccountError, Accounts, Actor, NewSession, User};
pub use role::Role;
pub use throttle::{Throttle, Throttled};
