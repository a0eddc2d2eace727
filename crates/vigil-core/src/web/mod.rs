//! The web viewer: watch live and recorded video from a browser, behind accounts. It will
//! hold the HTTP routes and pages; for now it holds the accounts they stand on (users and
//! roles, password hashing, browser sessions, login throttling and the audit trail).
//!
//! Layering: `web` may use `library`, `model`, `jobs` and `service`; nothing but the host
//! uses `web`.

pub mod accounts;
pub mod password;
pub mod role;
pub mod throttle;
pub mod token;

pub use accounts::{AccountError, Accounts, Actor, NewSession, User};
pub use role::Role;
pub use throttle::{Throttle, Throttled};
