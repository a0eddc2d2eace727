//! A process's resources read from /proc (resident memory, open file descriptors, threads,
//! CPU time), and the figures a soak prints about them: window averages and a least-squares
//! slope.

use std::path::PathBuf;

/// One reading of a process, `t_s` seconds after the soak started.
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    pub t_s: f64,
    pub rss_mib: f64,
    pub fds: f64,
    pub threads: f64,
    /// User + system CPU time so far, seconds.
    pub cpu_s: f64,
}

/// Reads `/proc/<pid>/status` (VmRSS), counts `/proc/<pid>/fd` and `/proc/<pid>/task`, and
/// reads the CPU time from `/proc/<pid>/stat`. `None` once the process is gone.
pub fn sample(pid: u32, t_s: f64) -> Option<Sample> {
    let proc_dir = PathBuf::from(format!("/proc/{pid}"));
    let status = std::fs::read_to_string(proc_dir.join("status")).ok()?;
    let rss_kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    let count = |sub: &str| std::fs::read_dir(proc_dir.join(sub)).map(|d| d.count() as f64);
    Some(Sample {
        t_s,
        rss_mib: rss_kib / 1024.0,
        fds: count("fd").ok()?,
        threads: count("task").ok()?,
        cpu_s: cpu_seconds(&proc_dir)?,
    })
}

/// utime + stime from `/proc/<pid>/stat` (fields 14 and 15, after the parenthesised name).
fn cpu_seconds(proc_dir: &std::path::Path) -> Option<f64> {
    let stat = std::fs::read_to_string(proc_dir.join("stat")).ok()?;
    let after_name = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // After the name: state is field 3, so utime (14) and stime (15) are at 11 and 12.
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    // SAFETY: sysconf has no preconditions.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
    Some(ticks / hz.max(1.0))
}

/// Mean of `value` over the samples whose time lies in `from_s..to_s`.
pub fn mean(samples: &[Sample], from_s: f64, to_s: f64, value: fn(&Sample) -> f64) -> f64 {
    let v: Vec<f64> = samples
        .iter()
        .filter(|s| s.t_s >= from_s && s.t_s < to_s)
        .map(value)
        .collect();
    v.iter().sum::<f64>() / (v.len().max(1) as f64)
}

/// Least-squares slope of `value` against time, per hour.
pub fn slope_per_hour(samples: &[Sample], value: fn(&Sample) -> f64) -> f64 {
    let n = samples.len() as f64;
    if n < 2.0 {
        return 0.0;
    }
    let mt = samples.iter().map(|s| s.t_s).sum::<f64>() / n;
    let mv = samples.iter().map(value).sum::<f64>() / n;
    let (mut cov, mut var) = (0.0, 0.0);
    for s in samples {
        cov += (s.t_s - mt) * (value(s) - mv);
        var += (s.t_s - mt) * (s.t_s - mt);
    }
    if var == 0.0 {
        0.0
    } else {
        cov / var * 3600.0
    }
}

/// One resource's figures over a soak: the first and last windows' averages and the slope.
#[derive(Debug, Clone, Copy)]
pub struct Trend {
    pub first: f64,
    pub last: f64,
    pub slope_per_hour: f64,
}

/// The trend of `value` with windows of `window_s` at each end of a run of `total_s`.
pub fn trend(samples: &[Sample], window_s: f64, total_s: f64, value: fn(&Sample) -> f64) -> Trend {
    Trend {
        first: mean(samples, 0.0, window_s, value),
        last: mean(samples, total_s - window_s, f64::INFINITY, value),
        slope_per_hour: slope_per_hour(samples, value),
    }
}

#[test]
fn slope_of_a_line_is_its_gradient() {
    let samples: Vec<Sample> = (0..10)
        .map(|i| Sample {
            t_s: i as f64 * 10.0,
            rss_mib: 50.0 + i as f64,
            fds: 20.0,
            threads: 30.0,
            cpu_s: 0.0,
        })
        .collect();
    // 1 MiB per 10 s is 360 MiB per hour; a constant has no slope.
    assert!((slope_per_hour(&samples, |s| s.rss_mib) - 360.0).abs() < 1e-9);
    assert_eq!(slope_per_hour(&samples, |s| s.fds), 0.0);
    let t = trend(&samples, 30.0, 100.0, |s| s.rss_mib);
    assert!(
        (t.first - 51.0).abs() < 1e-9 && (t.last - 58.0).abs() < 1e-9,
        "{t:?}"
    );
}
