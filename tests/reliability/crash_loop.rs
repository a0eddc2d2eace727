//! Crash loops and the soak (issue 9): `vigil run` killed with SIGKILL over and over while two
//! cameras record, then a clean run, and the library must be whole: SQLite's integrity check
//! passes, rows and files agree, every file plays, and no cycle lost more than 2 s before its
//! kill. The 30-cycle loop and the 16-camera soak (`soak`) are `#[ignore]`d: `make soak`.

mod sampler;
mod soak;

use std::collections::HashSet;
use std::path::PathBuf;
use std::time::Duration;

use crate::common::{assert_files_match_rows, ffprobe, mp4_files, wait_until, RtspServer, Vigil};

/// The most video a kill may cost, µs (the bound).
const MAX_LOSS_US: i64 = 2_000_000;
/// A row may end a little after the kill only through clock jitter: stamps come from the
/// arrival clock, so more than this would be invented video.
const MAX_OVERSHOOT_US: i64 = 250_000;

pub fn now_us() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_micros() as i64)
        .unwrap_or(0)
}

/// A number from the environment (e.g. `VIGIL_CRASH_CYCLES=5`), or `default`.
pub fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

/// SplitMix64: a tiny seeded PRNG, so a failing run can be replayed with its seed.
pub struct SplitMix(u64);

impl SplitMix {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next_u64() % (hi - lo + 1)
    }
}

/// The seed from `VIGIL_CRASH_SEED`, else the clock; printed so a run can be replayed.
fn seed() -> u64 {
    let seed = env_num("VIGIL_CRASH_SEED", now_us() as u64);
    eprintln!("crash loop seed: {seed} (replay with VIGIL_CRASH_SEED={seed})");
    seed
}

/// The camera folder a recording is in (`recordings/<folder>/<day>/<file>`).
fn folder_of(path: &std::path::Path) -> String {
    let parts: Vec<_> = path.components().collect();
    parts
        .len()
        .checked_sub(3)
        .and_then(|i| parts[i].as_os_str().to_str())
        .unwrap_or("")
        .to_string()
}

/// After a clean run: the database passes `PRAGMA integrity_check`, every row has its file
/// and every file a row, every file plays with as many frames as its row says, and no
/// camera's segments overlap. Returns the rows.
pub fn assert_library_whole(vigil: &Vigil) -> Vec<serde_json::Value> {
    let db = rusqlite::Connection::open(vigil.data_dir.join("vigil.db")).expect("open vigil.db");
    let verdict: String = db
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity_check");
    assert_eq!(verdict, "ok", "PRAGMA integrity_check");
    drop(db);
    assert_files_match_rows(vigil);
    let rows = vigil.recordings();
    for r in &rows {
        let path = r["path"].as_str().unwrap_or("");
        let p = ffprobe(path);
        assert!(p.frames > 0, "{path} holds no frame");
        assert_eq!(
            Some(p.frames),
            r["frames"].as_u64(),
            "{path}: frames vs row"
        );
        assert_eq!(Some(p.codec.as_str()), r["codec"].as_str(), "{path}: codec");
    }
    let mut by_cam: Vec<(&str, i64, i64)> = rows
        .iter()
        .map(|r| {
            let cam = r["camera"].as_str().unwrap_or("");
            (
                cam,
                r["start_us"].as_i64().unwrap_or(0),
                r["end_us"].as_i64().unwrap_or(0),
            )
        })
        .collect();
    by_cam.sort();
    for w in by_cam.windows(2) {
        if w[0].0 == w[1].0 {
            assert!(w[1].1 >= w[0].2, "segments of '{}' overlap: {w:?}", w[0].0);
        }
    }
    rows
}

/// One start → record → kill -9 cycle, as the test saw it.
struct Cycle {
    start_us: i64,
    recorded_ms: u64,
    kill_us: i64,
}

/// The cameras of the crash loop: H.264 with 60-s segments (every kill lands mid-segment) and
/// H.265 with 3-s segments (kills land anywhere, some right at a segment change).
const CAMERAS: [(&str, &str, &str); 2] = [("long", "h264", "60"), ("short", "h265", "3")];

fn run_crash_loop(cycles: usize) {
    let mut rng = SplitMix::new(seed());
    let server = RtspServer::start(&["--width", "320", "--height", "180"]);
    let dir = tempfile::tempdir().expect("temp dir");
    let vigil = Vigil::new(dir.path());
    for (name, mount, seg) in CAMERAS {
        let url = server.url(mount);
        vigil.ok(&[
            "camera",
            "add",
            "--name",
            name,
            "--url",
            &url,
            "--segment-seconds",
            seg,
        ]);
    }
    let mut done = Vec::with_capacity(cycles);
    for i in 0..cycles {
        done.push(crash_once(&vigil, &mut rng, i));
    }
    // The clean run settles the last cycle's open segments and records on.
    let out = vigil.run(&["run", "--for", "6s"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "clean run failed: {stderr}");
    let rows = assert_library_whole(&vigil);
    report_losses(&done, &rows);
}

/// Starts `vigil run`, waits until both cameras have opened a file of this cycle, lets them
/// record a random 3–8 s, and kills the process with SIGKILL.
fn crash_once(vigil: &Vigil, rng: &mut SplitMix, i: usize) -> Cycle {
    let root = vigil.data_dir.canonicalize().expect("data dir");
    let before: HashSet<PathBuf> = mp4_files(&root).into_iter().collect();
    let start_us = now_us();
    let mut child = vigil.spawn(&["run"]);
    let recording = || {
        let fresh: HashSet<String> = mp4_files(&root)
            .iter()
            .filter(|p| !before.contains(*p))
            .map(|p| folder_of(p))
            .collect();
        // One folder per camera (named by its id), so every camera has a fresh file when
        // as many folders have one.
        fresh.len() >= CAMERAS.len()
    };
    let opened = wait_until(Duration::from_secs(30), recording);
    if !opened {
        let _ = child.kill();
    }
    assert!(opened, "cycle {i}: both cameras opened a segment");
    let recorded_ms = rng.range(3000, 8000);
    // The deliberate recording time of this cycle, not a wait for something to happen.
    std::thread::sleep(Duration::from_millis(recorded_ms));
    let kill_us = now_us();
    child.kill().expect("kill -9");
    let out = child.wait_with_output().expect("wait for vigil");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "cycle {i}: {stderr}");
    Cycle {
        start_us,
        recorded_ms,
        kill_us,
    }
}

/// Per cycle and camera: the last recorded instant before the kill, against the kill time.
fn report_losses(cycles: &[Cycle], rows: &[serde_json::Value]) {
    let mut worst = 0i64;
    let mut losses = Vec::new();
    for (i, c) in cycles.iter().enumerate() {
        let mut line = format!(
            "cycle {i:>2}: recorded {:.1} s;",
            c.recorded_ms as f64 / 1e3
        );
        for (name, ..) in CAMERAS {
            let last_end = rows
                .iter()
                .filter(|r| r["camera"].as_str() == Some(name))
                .filter(|r| {
                    let s = r["start_us"].as_i64().unwrap_or(0);
                    s >= c.start_us && s < c.kill_us
                })
                .filter_map(|r| r["end_us"].as_i64())
                .max();
            let Some(last_end) = last_end else {
                panic!("cycle {i}: nothing of camera '{name}' survived the kill");
            };
            let lost = c.kill_us - last_end;
            line += &format!(" {name} lost {:.2} s", lost as f64 / 1e6);
            assert!(
                lost >= -MAX_OVERSHOOT_US,
                "cycle {i}: '{name}' has video {:.2} s after the kill",
                -lost as f64 / 1e6
            );
            worst = worst.max(lost);
            losses.push(lost);
        }
        eprintln!("{line}");
    }
    losses.sort();
    let median = losses.get(losses.len() / 2).copied().unwrap_or(0);
    eprintln!(
        "crash loop: {} cycles × {} cameras, {} rows after the clean run; lost before the kill: median {:.2} s, worst {:.2} s (bound {:.1} s)",
        cycles.len(),
        CAMERAS.len(),
        rows.len(),
        median as f64 / 1e6,
        worst as f64 / 1e6,
        MAX_LOSS_US as f64 / 1e6
    );
    assert!(
        worst <= MAX_LOSS_US,
        "a kill cost {:.2} s of video",
        worst as f64 / 1e6
    );
}

/// The short loop of `make test`: 4 cycles (`VIGIL_CRASH_CYCLES_SHORT` overrides).
#[test]
fn crash_loop_short_keeps_the_library_whole() {
    run_crash_loop(env_num("VIGIL_CRASH_CYCLES_SHORT", 4) as usize);
}

/// The 30 cycles (`VIGIL_CRASH_CYCLES` overrides); `make soak` runs it.
#[test]
#[ignore = "long: run with make soak"]
fn crash_loop_30_cycles_keeps_the_library_whole() {
    run_crash_loop(env_num("VIGIL_CRASH_CYCLES", 30) as usize);
}
