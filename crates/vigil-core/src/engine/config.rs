//! The configuration handle lives in the service API now ([`crate::service::config`]); this
//! path is kept only for the engine host until it names the service's.

pub(crate) use crate::service::config::ConfigStore;
