//! The one library connection the archive and export handles share, behind a mutex (a
//! poisoned lock still hands out the connection: SQLite's own transactions keep it whole).

use std::sync::{Arc, Mutex, MutexGuard};

use crate::library::Library;

/// The library connection the archive and export handles share.
pub(crate) type SharedLibrary = Arc<Mutex<Library>>;

pub(crate) fn lock(lib: &Mutex<Library>) -> MutexGuard<'_, Library> {
    lib.lock().unwrap_or_else(|p| p.into_inner())
}
