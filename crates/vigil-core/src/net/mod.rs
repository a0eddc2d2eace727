//! Network servers of the engine: the HTTP stack shared by the trigger API (and, later, the
//! web viewer).

pub mod http;
