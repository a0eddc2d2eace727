//! A value one thread writes and any thread reads as a snapshot: how each pipeline stage
//! (ingest, record, analyze) publishes its own part of a camera's status. The writer
//! ([`Publisher`]) is not `Clone`, so each part has exactly one writing thread; readers
//! ([`Published`]) are cheap to clone.

use std::sync::{Arc, Mutex, MutexGuard};

/// The writing side: owned by the one thread that keeps the value up to date.
#[derive(Debug)]
pub struct Publisher<T>(Arc<Mutex<T>>);

/// The reading side: snapshots of what the publisher last wrote.
#[derive(Debug)]
pub struct Published<T>(Arc<Mutex<T>>);

impl<T> Clone for Published<T> {
    fn clone(&self) -> Self {
        Self(Arc::clone(&self.0))
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while updating leaves plain data behind: still worth showing.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl<T: Clone> Publisher<T> {
    pub fn new(value: T) -> Self {
        Self(Arc::new(Mutex::new(value)))
    }

    /// A reader of this value.
    pub fn reader(&self) -> Published<T> {
        Published(Arc::clone(&self.0))
    }

    /// Changes the value under a short lock; returns what `f` returns.
    pub fn update<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        f(&mut lock(&self.0))
    }

    /// The value as it is now.
    pub fn snapshot(&self) -> T {
        lock(&self.0).clone()
    }
}

impl<T: Clone> Published<T> {
    /// The value as its publisher last wrote it.
    pub fn snapshot(&self) -> T {
        lock(&self.0).clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readers_see_what_the_publisher_wrote() {
        let publisher = Publisher::new(1_u32);
        let reader = publisher.reader();
        let again = reader.clone();
        publisher.update(|v| *v += 1);
        assert_eq!(reader.snapshot(), 2);
        assert_eq!(again.snapshot(), 2);
        assert_eq!(publisher.snapshot(), 2);
    }
}
