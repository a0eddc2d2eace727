//! CPU time of this process's threads whose names start with a prefix (e.g. the live
//! decoders, `live-…`), from `/proc/self/task/*/stat`; threads that ended are not counted, so
//! read it over a span in which the threads keep running.

use std::time::Duration;

/// Clock ticks per second of `/proc` times.
fn ticks_per_second() -> u64 {
    // SAFETY: sysconf only reads a configuration value.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    u64::try_from(hz).ok().filter(|&h| h > 0).unwrap_or(100)
}

/// User + system time of every live thread of this process whose name starts with `prefix`.
pub fn cpu_of_threads(prefix: &str) -> Duration {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return Duration::ZERO;
    };
    let hz = ticks_per_second();
    let ticks: u64 = tasks
        .flatten()
        .filter_map(|task| std::fs::read_to_string(task.path().join("stat")).ok())
        .filter_map(|stat| thread_ticks(&stat, prefix))
        .sum();
    Duration::from_millis(ticks * 1000 / hz)
}

/// utime + stime of one `stat` line when the thread's name starts with `prefix`. The name is
/// in parentheses and may hold spaces, so fields are counted after the last `)`.
fn thread_ticks(stat: &str, prefix: &str) -> Option<u64> {
    let open = stat.find('(')?;
    let close = stat.rfind(')')?;
    let name = stat.get(open + 1..close)?;
    if !name.starts_with(prefix) {
        return None;
    }
    // After ")": state(3) ppid … utime is field 14, stime 15 (1-based over the whole line).
    let fields: Vec<&str> = stat.get(close + 2..)?.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(utime + stime)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stat_line_gives_its_threads_ticks_by_name() {
        let line = "4242 (live-cam 01) S 1 2 3 4 5 6 7 8 9 10 120 30 0 0 20 0 1 0";
        assert_eq!(thread_ticks(line, "live-"), Some(150));
        assert_eq!(thread_ticks(line, "ingest-"), None);
    }

    #[test]
    fn this_threads_own_work_is_counted() {
        let name = "cpu-probe-bench";
        let handle = std::thread::Builder::new()
            .name(name.into())
            .spawn(move || {
                // Work until this thread's own clock says 200 ms, however loaded the machine.
                let mut x = 0u64;
                while crate::measure::cpu_thread().expect("clock") < Duration::from_millis(200) {
                    for _ in 0..10_000 {
                        x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(7));
                    }
                }
                cpu_of_threads("cpu-probe")
            })
            .expect("spawn");
        let seen = handle.join().expect("join");
        // /proc counts in clock ticks (10 ms here).
        assert!(seen >= Duration::from_millis(150), "{seen:?}");
    }
}
