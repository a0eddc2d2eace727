//! Change notification from the host to its front ends: what happened ([`HostNotice`]) and a
//! per-subscriber inbox ([`Changes`]) that a front end waits on instead of polling.
//!
//! Why an inbox (a mutex-guarded list plus a condition variable) and not a bounded channel:
//! the host thread must never block on a slow reader, so a full channel would have to drop
//! notices, and a dropped [`HostNotice::ConfigApplied`] would lose a "NAME: started" line.
//! The inbox instead coalesces: any number of status changes become one
//! [`HostNotice::StatusChanged`] (the reader reads the latest snapshot anyway), while
//! configuration changes and problems are kept in order up to [`KEEP`] each (the oldest go
//! first beyond that; both come from rare events: a reload that changed something, a
//! failure). Delivering costs the host thread one short lock per subscriber.

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, Weak};
use std::time::{Duration, Instant};

use crate::engine::ConfigChanges;

/// Most configuration changes and most problems an inbox keeps for a reader that is behind.
pub const KEEP: usize = 64;

/// Something the host did or saw.
#[derive(Debug, Clone, PartialEq)]
pub enum HostNotice {
    /// The status snapshot changed: read it with `EngineHost::status`.
    StatusChanged,
    /// A configuration reload started, stopped or restarted cameras.
    ConfigApplied(ConfigChanges),
    /// An engine-level problem (e.g. a configuration that could not be applied yet).
    Problem(String),
}

#[derive(Default)]
struct Pending {
    status_changed: bool,
    configs: VecDeque<ConfigChanges>,
    problems: VecDeque<String>,
    woken: bool,
}

impl Pending {
    fn is_empty(&self) -> bool {
        !self.status_changed && self.configs.is_empty() && self.problems.is_empty()
    }

    /// Configuration changes first (in order), then problems, then one status change.
    fn take(&mut self) -> Vec<HostNotice> {
        let mut out: Vec<HostNotice> = self
            .configs
            .drain(..)
            .map(HostNotice::ConfigApplied)
            .collect();
        out.extend(self.problems.drain(..).map(HostNotice::Problem));
        if std::mem::take(&mut self.status_changed) {
            out.push(HostNotice::StatusChanged);
        }
        self.woken = false;
        out
    }
}

#[derive(Default)]
struct Inbox {
    pending: Mutex<Pending>,
    ready: Condvar,
}

impl Inbox {
    fn lock(&self) -> MutexGuard<'_, Pending> {
        self.pending.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn push_bounded<T>(queue: &mut VecDeque<T>, item: T) {
    if queue.len() == KEEP {
        queue.pop_front();
    }
    queue.push_back(item);
}

/// One front end's notices, from `EngineHost::changes`. Dropping it unsubscribes.
pub struct Changes {
    inbox: Arc<Inbox>,
}

impl Changes {
    /// Waits until there is something to tell, [`Waker::wake`] is called, or `timeout`
    /// passes; returns what happened since the last call (empty on a timeout or a wake).
    pub fn wait(&self, timeout: Duration) -> Vec<HostNotice> {
        let deadline = Instant::now() + timeout;
        let mut pending = self.inbox.lock();
        while pending.is_empty() && !pending.woken {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            pending = self
                .inbox
                .ready
                .wait_timeout(pending, left)
                .map(|(guard, _)| guard)
                .unwrap_or_else(|p| p.into_inner().0);
        }
        pending.take()
    }

    /// What happened since the last call, without waiting.
    pub fn take(&self) -> Vec<HostNotice> {
        self.inbox.lock().take()
    }

    /// A handle that ends a [`Changes::wait`] early from another thread (e.g. one that
    /// watches for SIGTERM).
    pub fn waker(&self) -> Waker {
        Waker {
            inbox: Arc::downgrade(&self.inbox),
        }
    }
}

/// Ends a [`Changes::wait`] early; cheap to clone, harmless once the inbox is gone.
#[derive(Clone)]
pub struct Waker {
    inbox: Weak<Inbox>,
}

impl Waker {
    pub fn wake(&self) {
        if let Some(inbox) = self.inbox.upgrade() {
            inbox.lock().woken = true;
            inbox.ready.notify_all();
        }
    }
}

/// The host's side: every live subscriber's inbox.
#[derive(Default)]
pub(crate) struct Subscribers {
    inboxes: Mutex<Vec<Weak<Inbox>>>,
}

impl Subscribers {
    pub(crate) fn subscribe(&self) -> Changes {
        let inbox = Arc::new(Inbox::default());
        let mut inboxes = self.inboxes.lock().unwrap_or_else(|p| p.into_inner());
        inboxes.retain(|i| i.strong_count() > 0);
        inboxes.push(Arc::downgrade(&inbox));
        Changes { inbox }
    }

    /// Hands `notice` to every subscriber; never waits on a reader.
    pub(crate) fn publish(&self, notice: &HostNotice) {
        let inboxes: Vec<Arc<Inbox>> = {
            let mut list = self.inboxes.lock().unwrap_or_else(|p| p.into_inner());
            list.retain(|i| i.strong_count() > 0);
            list.iter().filter_map(Weak::upgrade).collect()
        };
        for inbox in inboxes {
            let mut pending = inbox.lock();
            match notice {
                HostNotice::StatusChanged => pending.status_changed = true,
                HostNotice::ConfigApplied(c) => push_bounded(&mut pending.configs, c.clone()),
                HostNotice::Problem(p) => push_bounded(&mut pending.problems, p.clone()),
            }
            drop(pending);
            inbox.ready.notify_all();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn started(name: &str) -> ConfigChanges {
        ConfigChanges {
            started: vec![name.into()],
            ..ConfigChanges::default()
        }
    }

    #[test]
    fn a_slow_reader_gets_every_config_change_once_and_status_coalesced() {
        let subs = Subscribers::default();
        let changes = subs.subscribe();
        for _ in 0..1000 {
            subs.publish(&HostNotice::StatusChanged);
        }
        subs.publish(&HostNotice::ConfigApplied(started("a")));
        subs.publish(&HostNotice::ConfigApplied(started("b")));
        subs.publish(&HostNotice::Problem("disk".into()));
        let got = changes.wait(Duration::from_secs(5));
        assert_eq!(
            got,
            vec![
                HostNotice::ConfigApplied(started("a")),
                HostNotice::ConfigApplied(started("b")),
                HostNotice::Problem("disk".into()),
                HostNotice::StatusChanged,
            ]
        );
        assert!(changes.take().is_empty(), "each notice is told once");
    }

    #[test]
    fn a_reader_far_behind_keeps_the_newest_and_publishing_never_waits() {
        let subs = Subscribers::default();
        let changes = subs.subscribe();
        let t = Instant::now();
        for i in 0..KEEP + 10 {
            subs.publish(&HostNotice::ConfigApplied(started(&i.to_string())));
        }
        assert!(t.elapsed() < Duration::from_secs(1));
        let got = changes.take();
        assert_eq!(got.len(), KEEP);
        assert_eq!(got[0], HostNotice::ConfigApplied(started("10")));
    }

    #[test]
    fn wait_times_out_or_wakes_and_dropped_readers_are_forgotten() {
        let subs = Subscribers::default();
        let changes = subs.subscribe();
        let t = Instant::now();
        assert!(changes.wait(Duration::from_millis(50)).is_empty());
        assert!(t.elapsed() >= Duration::from_millis(50));
        let waker = changes.waker();
        let woke = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(50));
            waker.wake();
        });
        let t = Instant::now();
        assert!(changes.wait(Duration::from_secs(30)).is_empty());
        assert!(
            t.elapsed() < Duration::from_secs(10),
            "the waker ended the wait"
        );
        woke.join().unwrap();
        drop(changes);
        subs.publish(&HostNotice::StatusChanged);
        assert!(subs.inboxes.lock().unwrap().is_empty());
    }
}
