//! The installation's signing key, where evidence code looks for it. It is kept with the
//! library (`library::signing_key`), whose integrity chain signs with it, so the library
//! never imports `evidence` (which builds on the library).

pub use crate::library::signing_key::*;
