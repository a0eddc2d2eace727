//! A camera that drops and comes back, kill -9 mid-recording, and a full disk: recording
//! resumes, the gap is a real gap, and files and rows agree afterwards.

use crate::common;

use std::time::{Duration, Instant};

use common::{assert_files_match_rows, ffprobe, terminate, wait_until, RtspServer, Vigil};

fn now_us() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_micros() as i64)
        .unwrap_or(0)
}

fn starts(vigil: &Vigil) -> Vec<(i64, i64)> {
    vigil
        .recordings()
        .iter()
        .map(|r| {
            (
                r["start_us"].as_i64().unwrap_or(0),
                r["end_us"].as_i64().unwrap_or(0),
            )
        })
        .collect()
}

#[test]
fn camera_reboot_shows_as_a_gap_and_recording_resumes() {
    let mut server = RtspServer::start(&[]);
    let dir = tempfile::tempdir().expect("temp dir");
    let vigil = Vigil::new(dir.path());
    vigil.ok(&[
        "camera",
        "add",
        "--name",
        "cam",
        "--url",
        &server.url("h264"),
        "--segment-seconds",
        "2",
    ]);
    let child = vigil.spawn(&["run", "--for", "60s"]);

    assert!(
        wait_until(Duration::from_secs(20), || starts(&vigil).len() >= 2),
        "two segments before the outage"
    );
    server.stop();
    let down_us = now_us();
    // The camera stays off for a deliberate 4 s outage.
    std::thread::sleep(Duration::from_secs(4));
    server.restart();
    let up_us = now_us();
    assert!(
        wait_until(Duration::from_secs(30), || starts(&vigil)
            .iter()
            .any(|(s, _)| *s > up_us)),
        "recording resumed after the camera came back"
    );
    // Let the first segment after the restart finish.
    let resumed = starts(&vigil).iter().filter(|(s, _)| *s > up_us).count();
    assert!(wait_until(Duration::from_secs(20), || starts(&vigil)
        .iter()
        .filter(|(s, _)| *s > up_us)
        .count()
        > resumed));
    let out = terminate(child);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("waiting for the camera to answer"),
        "the outage was reported: {stdout}"
    );

    let segs = starts(&vigil);
    let before: Vec<_> = segs
        .iter()
        .filter(|(_, e)| *e <= down_us + 500_000)
        .collect();
    let after: Vec<_> = segs.iter().filter(|(s, _)| *s >= up_us).collect();
    assert!(!before.is_empty() && !after.is_empty(), "{segs:?}");
    let gap = after[0].0 - before[before.len() - 1].1;
    // The gap covers the outage (4 s) and ends within the reconnect backoff (≤ 8 s more).
    assert!(
        (3_500_000..=14_000_000).contains(&gap),
        "gap of {:.2} s between {:?} and {:?}",
        gap as f64 / 1e6,
        before.last(),
        after.first()
    );
    for w in segs.windows(2) {
        assert!(w[1].0 >= w[0].1, "segments never overlap: {w:?}");
    }
    assert_files_match_rows(&vigil);
}

#[test]
fn kill_9_loses_at_most_two_seconds_and_restart_is_consistent() {
    let server = RtspServer::start(&[]);
    let dir = tempfile::tempdir().expect("temp dir");
    let vigil = Vigil::new(dir.path());
    // Long segments, so the kill lands in the middle of one.
    vigil.ok(&[
        "camera",
        "add",
        "--name",
        "cam",
        "--url",
        &server.url("h264"),
        "--segment-seconds",
        "60",
    ]);
    let mut child = vigil.spawn(&["run"]);
    let started = Instant::now();
    let open_file = || {
        common::mp4_files(&dir.path().canonicalize().expect("dir"))
            .into_iter()
            .next()
    };
    assert!(
        wait_until(Duration::from_secs(20), || open_file().is_some()),
        "a segment is open"
    );
    // Record for about 6 s of video before the crash.
    assert!(wait_until(Duration::from_secs(20), || started.elapsed()
        >= Duration::from_secs(8)));
    let killed_us = now_us();
    child.kill().expect("kill -9");
    let _ = child.wait();
    assert!(
        vigil.recordings().is_empty(),
        "nothing was indexed before the crash"
    );

    // The next start recovers the open segment from the journal.
    let out = vigil.run(&["run", "--for", "3s"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows = vigil.recordings();
    let first = rows.first().expect("the crashed segment was indexed");
    let end = first["end_us"].as_i64().unwrap_or(0);
    let lost = killed_us - end;
    assert!(
        (0..=2_500_000).contains(&lost),
        "lost {:.2} s of video at the crash",
        lost as f64 / 1e6
    );
    let p = ffprobe(first["path"].as_str().unwrap_or(""));
    assert_eq!(p.codec, "h264");
    assert!(
        p.frames >= 100,
        "the crashed segment holds {} frames",
        p.frames
    );
    assert_eq!(Some(p.frames), first["frames"].as_u64());
    assert!(rows.len() >= 2, "recording continued after the restart");
    assert_files_match_rows(&vigil);
}

#[test]
fn full_disk_frees_space_and_keeps_recording() {
    if unsafe_is_not_root() {
        eprintln!("skipped: mounting a small tmpfs needs root (CI runs as root)");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let mnt = dir.path().join("small-disk");
    std::fs::create_dir(&mnt).expect("mount point");
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=1500k", "tmpfs"])
        .arg(&mnt)
        .status()
        .expect("run mount");
    assert!(mounted.success(), "mount a 1.5 MB tmpfs");
    let _unmount = Unmount(mnt.clone());
    let vigil = Vigil::new(&mnt);
    vigil.ok(&[
        "camera",
        "add",
        "--name",
        "hd",
        "--url",
        "demo://?width=1280&height=720&fps=30",
        "--segment-seconds",
        "2",
    ]);
    let out = vigil.run(&["run", "--for", "30s", "--min-free-gb", "0"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("the disk is full"),
        "the full disk was reported: {stderr}"
    );
    assert!(
        stderr.contains("deleted the oldest recordings"),
        "space was freed: {stderr}"
    );
    let rows = vigil.recordings();
    assert!(!rows.is_empty(), "recordings survive");
    let newest = rows
        .iter()
        .filter_map(|r| r["end_us"].as_i64())
        .max()
        .unwrap_or(0);
    assert!(
        now_us() - newest < 8_000_000,
        "still recording near the end of the run"
    );
    for r in &rows {
        let p = ffprobe(r["path"].as_str().unwrap_or(""));
        assert_eq!(
            Some(p.frames),
            r["frames"].as_u64(),
            "every kept file is complete"
        );
    }
    assert_files_match_rows(&vigil);
}

fn unsafe_is_not_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() != 0 }
}

struct Unmount(std::path::PathBuf);

impl Drop for Unmount {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
    }
}
