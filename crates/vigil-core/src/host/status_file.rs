//! The thread that keeps `<data-dir>/status.json` (`service::status_snapshot`) in step with
//! the host's status for viewers in other processes: it looks at the published snapshot once
//! a second and writes the file when what a viewer shows changed, and at least every
//! [`HEARTBEAT`] so a viewer can tell a live recorder from a hung one. It owns the file: off
//! the host thread and the packet path, a slow or failing disk costs it alone (a failed write
//! is warned about once, until one succeeds again). On stop it removes the file.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender};

use super::StatusFeed;
use crate::model::time::now_us;
use crate::service::status_snapshot::StatusSnapshot;

/// How often the host's status is looked at (and so the most often the file is written).
const CHECK_EVERY: Duration = Duration::from_secs(1);
/// The longest the file goes unwritten while the recorder runs.
const HEARTBEAT: Duration = Duration::from_secs(10);

/// The running writer; [`StatusFile::stop`] (or dropping it) stops it and removes the file.
pub struct StatusFile {
    /// Dropping the sender stops the thread.
    stop: Option<Sender<()>>,
    thread: Option<JoinHandle<()>>,
    /// Writes that failed so far.
    failed: Arc<AtomicU64>,
}

impl StatusFile {
    /// Starts the writer of `data_dir`'s status file, fed by `feed`.
    pub fn start(data_dir: PathBuf, feed: StatusFeed) -> std::io::Result<Self> {
        Self::start_with(data_dir, feed, HEARTBEAT)
    }

    fn start_with(
        data_dir: PathBuf,
        feed: StatusFeed,
        heartbeat: Duration,
    ) -> std::io::Result<Self> {
        let (stop, stopped) = crossbeam_channel::bounded(1);
        let failed = Arc::new(AtomicU64::new(0));
        let counted = Arc::clone(&failed);
        let thread = std::thread::Builder::new()
            .name("status-file".into())
            .spawn(move || run(&data_dir, &feed, &stopped, heartbeat, &counted))?;
        Ok(Self {
            stop: Some(stop),
            thread: Some(thread),
            failed,
        })
    }

    /// How many writes have failed so far (each is retried at the next change or heartbeat).
    pub fn failed_writes(&self) -> u64 {
        self.failed.load(Ordering::Relaxed)
    }

    /// Stops the writer and waits for it (it removes the file).
    pub fn stop(&mut self) {
        self.stop = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
            let failed = self.failed_writes();
            if failed > 0 {
                tracing::info!(
                    failed,
                    "writes of the status file failed while the recorder ran"
                );
            }
        }
    }
}

impl Drop for StatusFile {
    fn drop(&mut self) {
        self.stop();
    }
}

fn run(
    data_dir: &Path,
    feed: &StatusFeed,
    stopped: &Receiver<()>,
    heartbeat: Duration,
    failed: &AtomicU64,
) {
    let pid = std::process::id();
    let mut last: Option<(StatusSnapshot, Instant)> = None;
    let mut warned = false;
    loop {
        let snapshot = StatusSnapshot::of(&feed.latest(), pid, now_us());
        let due = last.as_ref().is_none_or(|(written, at)| {
            !written.shows_same(&snapshot) || at.elapsed() >= heartbeat
        });
        if due {
            let written = snapshot.write(data_dir);
            if written.is_err() {
                failed.fetch_add(1, Ordering::Relaxed);
            }
            match written {
                Ok(()) => warned = false,
                Err(e) if !warned => {
                    warned = true;
                    tracing::warn!(
                        error = %e,
                        dir = %data_dir.display(),
                        "cannot write the status file viewers read; retrying"
                    );
                }
                Err(_) => {}
            }
            // A failed write is tried again at the next change or heartbeat, not every
            // second.
            last = Some((snapshot, Instant::now()));
        }
        match stopped.recv_timeout(CHECK_EVERY) {
            Err(RecvTimeoutError::Timeout) => {}
            Ok(()) | Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    if let Err(e) = StatusSnapshot::remove(data_dir) {
        tracing::warn!(error = %e, "cannot remove the status file");
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::engine::status::{CameraStatus, ConnState};
    use crate::engine::EngineStatus;
    use crate::host::HostShared;
    use crate::service::status_snapshot::{StateWord, STATUS_FILE};

    fn publish(shared: &HostShared, recording: bool) {
        let mut cam = CameraStatus::new("yard", "demo://");
        cam.conn = ConnState::Connected;
        cam.recording = recording;
        shared.lock().status = Arc::new(EngineStatus {
            cameras: vec![cam],
            ..EngineStatus::default()
        });
    }

    /// Waits up to `secs` for the file to satisfy `done`.
    fn until(dir: &Path, secs: u64, done: impl Fn(&StatusSnapshot) -> bool) -> StatusSnapshot {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            if let Ok(s) = StatusSnapshot::read(dir) {
                if done(&s) {
                    return s;
                }
            }
            assert!(Instant::now() < deadline, "{:?}", StatusSnapshot::read(dir));
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    #[test]
    fn the_file_follows_changes_beats_while_nothing_changes_survives_a_failure_and_goes_at_stop() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("data");
        std::fs::create_dir(&dir).unwrap();
        let shared = Arc::new(HostShared::default());
        publish(&shared, false);
        let feed = StatusFeed(Arc::clone(&shared));
        let heartbeat = Duration::from_secs(2);
        let mut file = StatusFile::start_with(dir.clone(), feed, heartbeat).unwrap();

        let first = until(&dir, 5, |s| s.cameras.len() == 1);
        assert_eq!(first.pid, std::process::id());
        let yard = first.camera("yard").unwrap();
        assert_eq!((yard.state, yard.recording), (StateWord::Connected, false));
        // Nothing changes: written again within the heartbeat (and a check), not before a
        // second has passed.
        let beat = until(&dir, 8, |s| s.written_us != first.written_us);
        assert!(beat.shows_same(&first));
        let gap = beat.written_us - first.written_us;
        assert!((1_000_000..=6_000_000).contains(&gap), "{gap} µs");
        // A change is written within a second or so.
        publish(&shared, true);
        until(&dir, 5, |s| s.camera("yard").is_some_and(|c| c.recording));

        // The folder goes: a change is then a failing write (warned once, never fatal);
        // the folder comes back: the next heartbeat writes the file again.
        // (The writer may put its temporary file back meanwhile: try again.)
        let deadline = Instant::now() + Duration::from_secs(5);
        while let Err(e) = std::fs::remove_dir_all(&dir) {
            assert!(Instant::now() < deadline, "{e}");
        }
        assert_eq!(file.failed_writes(), 0);
        publish(&shared, false);
        let deadline = Instant::now() + Duration::from_secs(5);
        while file.failed_writes() == 0 {
            assert!(
                Instant::now() < deadline,
                "the write into a missing folder failed"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        std::fs::create_dir(&dir).unwrap();
        until(&dir, 5, |s| s.camera("yard").is_some_and(|c| !c.recording));

        file.stop();
        assert!(!dir.join(STATUS_FILE).exists(), "removed at stop");
    }
}
