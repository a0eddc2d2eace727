//! The decode budget of one [`super::LiveHub`]: every live decoder reports what each packet
//! cost it (thread CPU time of decoding and scaling) and whether it is behind (packets piling
//! up in its queue). When decoding falls behind, or the work every frame would take exceeds
//! the capacity, the budget is *limited*: decoders of watches that are not priority watches
//! decode key frames only. It lifts (hysteresis) once decoding has been calm — nobody behind
//! and the full-rate work estimated below [`RECOVER_FRACTION`] of the capacity — for
//! [`RECOVER_AFTER`]. Only live decoders report here: recording and analysis never do. The
//! key-frames-only decision per packet is `live/gate.rs`'s.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// How often the load is measured and the decision taken.
const INTERVAL: Duration = Duration::from_millis(500);
/// How long decoding must stay calm before every frame is decoded again.
pub const RECOVER_AFTER: Duration = Duration::from_secs(5);
/// Calm means the estimated full-rate work is below this share of the capacity.
pub const RECOVER_FRACTION: f32 = 0.8;
/// Weight of the newest cost in a decoder's running average cost per picture.
const EWMA: f64 = 0.2;

/// What the budget sees, for status lines and tests.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BudgetReport {
    /// Cores live decoding may use.
    pub capacity: f32,
    /// Cores live decoding used over the last interval (measured).
    pub load: f32,
    /// Cores it would use decoding every frame of every watch (estimated).
    pub full_load: f32,
    /// Non-priority watches decode key frames only.
    pub limited: bool,
}

/// One budget shared by every live decoder of a hub.
pub(crate) struct DecodeBudget {
    /// Capacity in thousandths of a core.
    capacity_milli: AtomicU32,
    limited: AtomicBool,
    next_id: AtomicU64,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    /// Running average costs per decoder: (key frame, other frame), seconds.
    costs: HashMap<u64, (Option<f64>, Option<f64>)>,
    interval_start: Option<Instant>,
    /// CPU seconds spent decoding in this interval.
    spent: f64,
    /// CPU seconds decoding every packet that arrived in this interval would have taken.
    full: f64,
    behind: bool,
    /// Since when decoding has been calm (while limited).
    calm_since: Option<Instant>,
    last: Option<(f32, f32)>,
}

/// What one packet cost a decoder.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PacketCost {
    pub key: bool,
    /// CPU time spent on it; `None` when it was skipped (key frames only).
    pub spent: Option<Duration>,
    /// The decoder's queue was beyond its threshold when the packet was taken.
    pub behind: bool,
}

impl Default for DecodeBudget {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Self::new(cores as f32 * 0.8)
    }
}

impl DecodeBudget {
    pub(crate) fn new(capacity: f32) -> Self {
        Self {
            capacity_milli: AtomicU32::new(milli(capacity)),
            limited: AtomicBool::new(false),
            next_id: AtomicU64::new(0),
            state: Mutex::new(State::default()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn capacity(&self) -> f32 {
        self.capacity_milli.load(Ordering::Relaxed) as f32 / 1000.0
    }

    /// A new capacity, in cores; judged from the next interval on.
    pub(crate) fn set_capacity(&self, cores: f32) {
        self.capacity_milli.store(milli(cores), Ordering::Relaxed);
    }

    /// Whether non-priority watches decode key frames only.
    pub(crate) fn limited(&self) -> bool {
        self.limited.load(Ordering::Relaxed)
    }

    pub(crate) fn report(&self) -> BudgetReport {
        let (load, full_load) = self.lock().last.unwrap_or((0.0, 0.0));
        BudgetReport {
            capacity: self.capacity(),
            load,
            full_load,
            limited: self.limited(),
        }
    }

    /// A decoder joins; it reports through the returned member until dropped.
    pub(crate) fn join(self: &Arc<Self>) -> BudgetMember {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        self.lock().costs.insert(id, (None, None));
        BudgetMember {
            id,
            budget: Arc::clone(self),
        }
    }

    fn leave(&self, id: u64) {
        let mut state = self.lock();
        state.costs.remove(&id);
        if state.costs.is_empty() {
            // Nobody decodes: the next watches start at full rate.
            *state = State::default();
            self.limited.store(false, Ordering::Relaxed);
        }
    }

    fn record(&self, id: u64, cost: PacketCost, now: Instant) {
        let mut state = self.lock();
        let start = *state.interval_start.get_or_insert(now);
        let averages = state.costs.entry(id).or_default();
        let full = match cost.spent {
            Some(spent) => {
                let secs = spent.as_secs_f64();
                let avg = if cost.key {
                    &mut averages.0
                } else {
                    &mut averages.1
                };
                *avg = Some(avg.map_or(secs, |a| a + EWMA * (secs - a)));
                state.spent += secs;
                secs
            }
            // A skipped picture would have cost what this decoder's pictures of that kind
            // cost (a key frame's cost when it has decoded no other yet).
            None => averages.1.or(averages.0).unwrap_or(0.0),
        };
        state.full += full;
        state.behind |= cost.behind;
        let elapsed = now.duration_since(start);
        if elapsed >= INTERVAL {
            self.decide(&mut state, elapsed, now);
        }
    }

    /// Ends an interval: limits when behind or over capacity, lifts after a calm stretch.
    fn decide(&self, state: &mut State, elapsed: Duration, now: Instant) {
        let secs = elapsed.as_secs_f64();
        let (load, full_load) = ((state.spent / secs) as f32, (state.full / secs) as f32);
        let capacity = self.capacity();
        let behind = state.behind;
        state.last = Some((load, full_load));
        state.interval_start = Some(now);
        state.spent = 0.0;
        state.full = 0.0;
        state.behind = false;
        if !self.limited() {
            if behind || full_load > capacity {
                tracing::info!(
                    behind,
                    full_load,
                    capacity,
                    "live view falls back to key frames only on tiles not selected"
                );
                self.limited.store(true, Ordering::Relaxed);
                state.calm_since = None;
            }
            return;
        }
        if behind || full_load >= capacity * RECOVER_FRACTION {
            state.calm_since = None;
            return;
        }
        let calm_since = *state.calm_since.get_or_insert(now);
        if now.duration_since(calm_since) >= RECOVER_AFTER {
            tracing::info!(full_load, capacity, "live view decodes every frame again");
            self.limited.store(false, Ordering::Relaxed);
            state.calm_since = None;
        }
    }
}

fn milli(cores: f32) -> u32 {
    (cores.max(0.0) * 1000.0).round().min(u32::MAX as f32) as u32
}

/// One decoder's membership in the budget; leaving when dropped.
pub(crate) struct BudgetMember {
    id: u64,
    budget: Arc<DecodeBudget>,
}

impl BudgetMember {
    pub(crate) fn record(&self, cost: PacketCost) {
        self.budget.record(self.id, cost, Instant::now());
    }

    pub(crate) fn limited(&self) -> bool {
        self.budget.limited()
    }
}

impl Drop for BudgetMember {
    fn drop(&mut self) {
        self.budget.leave(self.id);
    }
}

/// CPU time this thread has used so far (wall time where the OS has no thread clock).
pub(crate) fn thread_cpu_time() -> Duration {
    #[cfg(unix)]
    {
        let mut ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: clock_gettime only writes the timespec we own.
        let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
        if rc == 0 {
            return Duration::new(
                ts.tv_sec.max(0) as u64,
                ts.tv_nsec.clamp(0, 999_999_999) as u32,
            );
        }
    }
    static EPOCH: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    EPOCH.get_or_init(Instant::now).elapsed()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    /// Feeds `n` packets a second for `secs` seconds to one member, every 25th a key frame.
    fn feed(
        b: &DecodeBudget,
        id: u64,
        t: &mut Instant,
        secs: u32,
        cost: impl Fn(bool) -> PacketCost,
    ) {
        for i in 0..secs * 25 {
            *t += Duration::from_millis(40);
            b.record(id, cost(i % 25 == 0), *t);
        }
    }

    #[test]
    fn over_capacity_limits_and_a_calm_stretch_lifts_it() {
        let b = Arc::new(DecodeBudget::new(0.1));
        let m = b.join();
        let mut t = Instant::now();
        // 10 ms a picture at 25 pictures/s: a quarter of a core.
        let full = |key| PacketCost {
            key,
            spent: Some(10 * MS),
            behind: false,
        };
        feed(&b, m.id, &mut t, 1, full);
        assert!(b.limited(), "{:?}", b.report());
        assert!(
            (b.report().full_load - 0.25).abs() < 0.05,
            "{:?}",
            b.report()
        );
        // Key frames only: the measured load drops but the full-rate estimate does not, so
        // it stays limited while the capacity is short (no flapping).
        let kf = |key: bool| PacketCost {
            key,
            spent: key.then_some(10 * MS),
            behind: false,
        };
        feed(&b, m.id, &mut t, 10, kf);
        assert!(b.limited());
        let r = b.report();
        assert!(r.load < 0.05 && r.full_load > 0.2, "{r:?}");
        // More capacity: lifted only after RECOVER_AFTER of calm.
        b.set_capacity(1.0);
        feed(&b, m.id, &mut t, 3, kf);
        assert!(b.limited(), "not before {RECOVER_AFTER:?} of calm");
        feed(&b, m.id, &mut t, 4, kf);
        assert!(!b.limited(), "{:?}", b.report());
    }

    #[test]
    fn a_decoder_behind_limits_and_keeps_it_limited() {
        let b = Arc::new(DecodeBudget::new(8.0));
        let m = b.join();
        let mut t = Instant::now();
        let calm = |key| PacketCost {
            key,
            spent: Some(MS),
            behind: false,
        };
        feed(&b, m.id, &mut t, 2, calm);
        assert!(!b.limited());
        feed(&b, m.id, &mut t, 1, |key| PacketCost {
            key,
            spent: Some(MS),
            behind: true,
        });
        assert!(b.limited());
        feed(&b, m.id, &mut t, 4, |key| PacketCost {
            key,
            spent: Some(MS),
            behind: key,
        });
        assert!(b.limited(), "still behind now and then");
        feed(&b, m.id, &mut t, 6, calm);
        assert!(!b.limited());
    }

    #[test]
    fn when_the_last_decoder_leaves_the_next_ones_start_at_full_rate() {
        let b = Arc::new(DecodeBudget::new(0.0));
        let m = b.join();
        let mut t = Instant::now();
        feed(&b, m.id, &mut t, 1, |key| PacketCost {
            key,
            spent: Some(MS),
            behind: false,
        });
        assert!(b.limited());
        drop(m);
        assert!(!b.limited());
    }

    #[test]
    fn the_thread_clock_counts_work_not_sleep() {
        let before = thread_cpu_time();
        std::thread::sleep(Duration::from_millis(50));
        let slept = thread_cpu_time() - before;
        assert!(slept < Duration::from_millis(30), "{slept:?}");
        let start = Instant::now();
        let mut x = 0u64;
        while start.elapsed() < Duration::from_millis(50) {
            x = x.wrapping_add(std::hint::black_box(1));
        }
        assert!(
            thread_cpu_time() - before >= Duration::from_millis(20),
            "{x}"
        );
    }
}
