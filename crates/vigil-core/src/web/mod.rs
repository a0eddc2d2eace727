//! The web viewer: the HTTPS server in the recorder's process that browsers and phones use
//! to watch cameras and recordings, its certificate, and (next) its accounts.

pub mod cert;
pub mod options;
pub mod routes;
pub mod server;
