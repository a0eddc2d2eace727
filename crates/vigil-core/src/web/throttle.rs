//! Login throttling, in memory: after [`Throttle::MAX_FAILURES`] failed logins for one
//! account, or from one address, within the window, further attempts for it are refused
//! until the back-off has passed. Pure: the caller passes the time in, so tests set the
//! clock. Failures older than the window are forgotten, and memory has a hard bound: under
//! a flood from many addresses or account names the table never holds more than
//! [`Throttle::MAX_ENTRIES`] entries (failures that merely count go first, then the blocks
//! that end soonest), and sweeps are amortised so a flood cannot make each attempt scan it.

use std::collections::HashMap;
use std::fmt;
use std::time::{Duration, Instant};

/// What is being throttled.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Account(String),
    Address(String),
}

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    /// When the first failure still counted happened.
    since: Instant,
    /// Refused until then, once the count reached the limit.
    blocked_until: Option<Instant>,
}

/// A refused attempt: how long to wait, in words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throttled {
    pub wait: Duration,
}

impl fmt::Display for Throttled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "too many failed logins for this account or from this address; try again in {}",
            Wait(self.wait)
        )
    }
}

impl std::error::Error for Throttled {}

/// A wait as people say it: "5 min", "4 min 10 s", "12 s" (rounded up to the second).
struct Wait(Duration);

impl fmt::Display for Wait {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.0.as_secs() + u64::from(self.0.subsec_nanos() > 0);
        match (secs / 60, secs % 60) {
            (0, s) => write!(f, "{s} s"),
            (m, 0) => write!(f, "{m} min"),
            (m, s) => write!(f, "{m} min {s} s"),
        }
    }
}

/// Failed logins per account and per address.
#[derive(Debug)]
pub struct Throttle {
    max_failures: u32,
    window: Duration,
    backoff: Duration,
    failures: HashMap<Key, Failures>,
    /// The table's size that triggers the next sweep.
    sweep_at: usize,
}

impl Default for Throttle {
    fn default() -> Self {
        Self::new(Self::MAX_FAILURES, Self::BACKOFF, Self::BACKOFF)
    }
}

impl Throttle {
    /// Failures that start a back-off.
    pub const MAX_FAILURES: u32 = 5;
    /// How long the back-off lasts (and how long failures are remembered).
    pub const BACKOFF: Duration = Duration::from_secs(5 * 60);
    /// Entries kept before forgotten ones are swept.
    const SWEEP_AT: usize = 10_000;
    /// Entries never exceeded (about 10 MB), however many addresses and names a flood uses.
    pub const MAX_ENTRIES: usize = 100_000;

    /// `max_failures` within `window` block for `backoff`.
    pub fn new(max_failures: u32, window: Duration, backoff: Duration) -> Self {
        Self {
            max_failures: max_failures.max(1),
            window,
            backoff,
            failures: HashMap::new(),
            sweep_at: Self::SWEEP_AT,
        }
    }

    /// Whether an attempt for `account` from `address` may go ahead at `now`.
    pub fn check(&self, account: &str, address: &str, now: Instant) -> Result<(), Throttled> {
        let wait = [account_key(account), Key::Address(address.to_string())]
            .iter()
            .filter_map(|k| self.failures.get(k)?.blocked_until)
            .filter_map(|until| until.checked_duration_since(now))
            .filter(|d| !d.is_zero())
            .max();
        match wait {
            Some(wait) => Err(Throttled { wait }),
            None => Ok(()),
        }
    }

    /// Counts a failed attempt against the account and the address.
    pub fn failed(&mut self, account: &str, address: &str, now: Instant) {
        if self.failures.len() + 2 > self.sweep_at {
            self.forget_old(now);
            if self.failures.len() + 2 > Self::MAX_ENTRIES {
                self.shed(Self::MAX_ENTRIES * 9 / 10);
            }
            // The next sweep once the table has grown by half again: amortised O(1).
            self.sweep_at = (self.failures.len() * 3 / 2).clamp(Self::SWEEP_AT, Self::MAX_ENTRIES);
        }
        for key in [account_key(account), Key::Address(address.to_string())] {
            let (window, backoff, max) = (self.window, self.backoff, self.max_failures);
            let f = self.failures.entry(key).or_insert(Failures {
                count: 0,
                since: now,
                blocked_until: None,
            });
            if f.blocked_until.is_some_and(|u| u <= now)
                || (f.blocked_until.is_none() && now.duration_since(f.since) > window)
            {
                *f = Failures {
                    count: 0,
                    since: now,
                    blocked_until: None,
                };
            }
            f.count += 1;
            if f.count >= max && f.blocked_until.is_none() {
                f.blocked_until = Some(now + backoff);
            }
        }
    }

    /// A successful login clears the account's failures (the address keeps its own: one
    /// good account must not unlock guessing at others).
    pub fn succeeded(&mut self, account: &str) {
        self.failures.remove(&account_key(account));
    }

    /// Drops entries that no longer block or count.
    pub fn forget_old(&mut self, now: Instant) {
        let window = self.window;
        self.failures.retain(|_, f| match f.blocked_until {
            Some(until) => until > now,
            None => now.duration_since(f.since) <= window,
        });
    }

    /// Brings the table down to `keep` entries: failures that do not block go first (the
    /// oldest first), then the blocks that end soonest.
    fn shed(&mut self, keep: usize) {
        let excess = self.failures.len().saturating_sub(keep);
        let mut order: Vec<(bool, Instant, Key)> = self
            .failures
            .iter()
            .map(|(k, f)| {
                (
                    f.blocked_until.is_some(),
                    f.blocked_until.unwrap_or(f.since),
                    k.clone(),
                )
            })
            .collect();
        order.sort_unstable_by_key(|a| (a.0, a.1));
        for (_, _, key) in order.into_iter().take(excess) {
            self.failures.remove(&key);
        }
        tracing::warn!(
            dropped = excess,
            "login throttle full: a flood of failed logins from many addresses; the oldest failures were forgotten"
        );
    }

    /// Entries held (for tests and status).
    pub fn len(&self) -> usize {
        self.failures.len()
    }

    pub fn is_empty(&self) -> bool {
        self.failures.is_empty()
    }
}

fn account_key(account: &str) -> Key {
    Key::Account(account.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: Duration = Duration::from_secs(60);

    fn fail_n(t: &mut Throttle, n: u32, account: &str, address: &str, now: Instant) {
        for _ in 0..n {
            t.failed(account, address, now);
        }
    }

    #[test]
    fn five_failures_for_an_account_block_it_for_five_minutes_from_any_address() {
        let mut t = Throttle::default();
        let t0 = Instant::now();
        fail_n(&mut t, 4, "alice", "10.0.0.1", t0);
        assert_eq!(t.check("alice", "10.0.0.9", t0), Ok(()));
        t.failed("alice", "10.0.0.2", t0);
        let err = t.check("alice", "10.0.0.9", t0 + MIN).unwrap_err();
        assert_eq!(err.wait, 4 * MIN);
        assert_eq!(
            err.to_string(),
            "too many failed logins for this account or from this address; try again in 4 min"
        );
        // Another account from a fresh address is not affected.
        assert_eq!(t.check("bob", "10.0.0.9", t0), Ok(()));
        // After the back-off, attempts go ahead again.
        assert_eq!(t.check("alice", "10.0.0.9", t0 + 5 * MIN), Ok(()));
    }

    #[test]
    fn five_failures_from_an_address_block_it_for_every_account() {
        let mut t = Throttle::default();
        let t0 = Instant::now();
        for name in ["a", "b", "c", "d", "e"] {
            t.failed(name, "192.0.2.7", t0);
        }
        let err = t
            .check("zed", "192.0.2.7", t0 + Duration::from_millis(250_500))
            .unwrap_err();
        assert_eq!(err.to_string().rsplit("in ").next(), Some("50 s"));
        assert_eq!(t.check("zed", "192.0.2.8", t0), Ok(()));
    }

    #[test]
    fn failures_older_than_the_window_are_forgotten() {
        let mut t = Throttle::default();
        let t0 = Instant::now();
        fail_n(&mut t, 4, "alice", "10.0.0.1", t0);
        // The fifth failure comes after the window: the count starts again at one.
        t.failed("alice", "10.0.0.1", t0 + 6 * MIN);
        assert_eq!(t.check("alice", "10.0.0.1", t0 + 6 * MIN), Ok(()));
        fail_n(&mut t, 4, "alice", "10.0.0.1", t0 + 7 * MIN);
        assert!(t.check("alice", "10.0.0.1", t0 + 7 * MIN).is_err());
        // Swept once nothing blocks or counts.
        t.forget_old(t0 + 13 * MIN);
        assert!(t.is_empty());
    }

    #[test]
    fn a_success_clears_the_account_but_not_the_address() {
        let mut t = Throttle::default();
        let t0 = Instant::now();
        fail_n(&mut t, 4, "alice", "10.0.0.1", t0);
        t.succeeded("alice");
        t.failed("alice", "10.0.0.2", t0);
        assert_eq!(t.check("alice", "10.0.0.2", t0), Ok(()));
        t.failed("mallory", "10.0.0.1", t0);
        assert!(t.check("anyone", "10.0.0.1", t0).is_err());
    }

    #[test]
    fn a_flood_from_many_addresses_stays_bounded_and_keeps_the_blocks() {
        let mut t = Throttle::default();
        let t0 = Instant::now();
        fail_n(&mut t, 5, "alice", "10.0.0.1", t0);
        for i in 0..Throttle::MAX_ENTRIES as u32 {
            let later = t0 + Duration::from_millis(u64::from(i) / 100);
            t.failed(&format!("user{i}"), &format!("fd00::{i:x}"), later);
            assert!(t.len() <= Throttle::MAX_ENTRIES);
        }
        assert!(t.len() >= Throttle::MAX_ENTRIES * 8 / 10, "{}", t.len());
        // The blocked account and address are still blocked; the flood's own entries count.
        assert!(t.check("alice", "10.9.9.9", t0 + MIN).is_err());
        assert!(t.check("anyone", "10.0.0.1", t0 + MIN).is_err());
    }

    #[test]
    fn waits_read_as_minutes_and_seconds_rounded_up() {
        let say = |ms: u64| Wait(Duration::from_millis(ms)).to_string();
        assert_eq!(say(300_000), "5 min");
        assert_eq!(say(250_000), "4 min 10 s");
        assert_eq!(say(11_001), "12 s");
        assert_eq!(say(1), "1 s");
    }
}
