//! The web viewer: the HTTPS server in the recorder's process that browsers and phones use
//! to watch cameras and recordings, its certificate, and the accounts it stands on (users and
//! roles, password hashing, browser sessions, login throttling and the audit trail).
//!
//! Layering: `web` may use `library`, `model`, `jobs`, `net` and `service`; nothing but the
//! host uses `web`.
//!
//! Each area of the viewer is one module with its routes (`routes() -> Router<Shared>`,
//! merged in [`routes::router`]), handlers that take [`SignedIn`] (401/403 for everyone
//! else), and its page script under `assets/` (listed in [`pages::ASSETS`]).

pub mod accounts;
pub mod admin_camera_remove;
pub mod admin_camera_test;
pub mod admin_cameras;
pub mod admin_users;
pub mod audit;
pub mod cameras;
pub mod cert;
pub mod events;
pub mod export;
pub mod export_framing;
pub mod i18n;
pub mod live;
pub mod login;
pub mod options;
pub mod pages;
pub mod params;
pub mod password;
pub mod policy;
pub mod recorded;
pub mod refusal;
pub mod role;
pub mod routes;
pub mod server;
pub mod session;
pub mod settings;
pub mod state;
pub mod throttle;
pub mod token;
pub mod trigger;
pub mod zip;
pub mod zones;

#[cfg(test)]
mod route_walk_tests;

pub use accounts::{AccountError, Accounts, Actor, NewSession, User};
pub use refusal::Refusal;
pub use role::Role;
pub use session::SignedIn;
pub use state::{Shared, WebEngine, WebState};
pub use throttle::{Throttle, Throttled};
