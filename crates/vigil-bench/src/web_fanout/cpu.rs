//! CPU time of another process and of each of its threads, from `/proc/PID/stat` and
//! `/proc/PID/task/TID/stat` (utime + stime, in clock ticks), and its open sockets.

use std::collections::BTreeMap;
use std::time::Duration;

/// A process's CPU time now and its threads' by name (threads of one name summed).
#[derive(Debug, Clone, Default)]
pub struct Sample {
    pub total: Duration,
    /// Of which in the kernel (stime).
    pub system: Duration,
    pub threads: BTreeMap<String, Duration>,
}

impl Sample {
    /// Reads `pid`'s counters; `None` once it has exited.
    pub fn of(pid: u32) -> Option<Self> {
        let (_, total, system) = stat(&format!("/proc/{pid}/stat"))?;
        let mut threads = BTreeMap::new();
        for task in std::fs::read_dir(format!("/proc/{pid}/task"))
            .ok()?
            .flatten()
        {
            if let Some((name, t, _)) = stat(&task.path().join("stat").to_string_lossy()) {
                *threads.entry(name).or_insert(Duration::ZERO) += t;
            }
        }
        Some(Self {
            total,
            system,
            threads,
        })
    }

    /// What was spent from `before` to this sample: the total and the threads by name, most
    /// first (threads that ended meanwhile are not counted there).
    pub fn since(&self, before: &Sample) -> (Duration, Vec<(String, Duration)>) {
        let mut threads: Vec<(String, Duration)> = self
            .threads
            .iter()
            .map(|(name, t)| {
                let was = before.threads.get(name).copied().unwrap_or_default();
                (name.clone(), t.saturating_sub(was))
            })
            .collect();
        threads.sort_by_key(|t| std::cmp::Reverse(t.1));
        (self.total.saturating_sub(before.total), threads)
    }
}

/// A stat file's command name, utime + stime, and stime.
fn stat(path: &str) -> Option<(String, Duration, Duration)> {
    let text = std::fs::read_to_string(path).ok()?;
    parse_stat(&text)
}

fn parse_stat(text: &str) -> Option<(String, Duration, Duration)> {
    let open = text.find('(')?;
    let close = text.rfind(')')?;
    let name = text.get(open + 1..close)?.to_string();
    // After the name: state (field 3), … utime is field 14, stime field 15.
    let fields: Vec<&str> = text.get(close + 2..)?.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some((name, ticks(utime + stime), ticks(stime)))
}

/// Open sockets of process `pid`.
pub fn sockets(pid: u32) -> usize {
    let Ok(fds) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
        return 0;
    };
    fds.flatten()
        .filter(|fd| {
            std::fs::read_link(fd.path()).is_ok_and(|l| l.to_string_lossy().starts_with("socket:"))
        })
        .count()
}

fn ticks(n: u64) -> Duration {
    // SAFETY: sysconf has no memory-safety preconditions.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    let hz = u64::try_from(hz).ok().filter(|h| *h > 0).unwrap_or(100);
    Duration::from_micros(n * 1_000_000 / hz)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stat_line_gives_its_name_and_user_plus_system_time() {
        let line = "42 (live-fan-a b) S 1 42 42 0 -1 4194560 10 0 0 0 250 50 0 0 20 0 3 0";
        let (name, t, sys) = parse_stat(line).unwrap();
        assert_eq!(name, "live-fan-a b");
        assert_eq!((t, sys), (ticks(300), ticks(50)));
        assert!(sockets(std::process::id()) < 1000);
        let me = Sample::of(std::process::id()).unwrap();
        assert!(!me.threads.is_empty());
        assert!(me.since(&me).0.is_zero());
    }
}
