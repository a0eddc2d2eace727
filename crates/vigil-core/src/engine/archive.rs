//! The archive lives in the service API now ([`crate::service::archive`]); this path is
//! kept only for the engine host until it names the service's.

pub(crate) use crate::service::archive::Archive;
