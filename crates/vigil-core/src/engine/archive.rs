//! The archive lives in the service API now ([`crate::service::archive`],
//! [`crate::service::export`]); this path is kept only for code not yet moved to it (the
//! engine host, the app's recorded view).

pub use crate::service::archive::Archive;
pub use crate::service::export::ExportRequest;
