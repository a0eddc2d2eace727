//! The thread that keeps `<data-dir>/status.json` (`service::status_snapshot`) in step with
//! the host's status for viewers in other processes: it looks at the published snapshot once
//! a second and writes the file when what a viewer shows changed, and at least every
//! [`HEARTBEAT`] so a viewer can tell a live recorder from a hung one. It owns the file: off
//! the host thread and the packet path, a slow or failing disk costs it alone (a failed write
//! is warned about once, until one succeeds again). On stop it removes the file.

use std::path::PathBuf;
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
}

impl StatusFile {
    /// Starts the writer of `data_dir`'s status file, fed by `feed`.
    pub fn start(data_dir: PathBuf, feed: StatusFeed) -> std::io::Result<Self> {
        let (stop, stopped) = crossbeam_channel::bounded(1);
        let thread = std::thread::Builder::new()
            .name("status-file".into())
            .spawn(move || run(&data_dir, &feed, &stopped))?;
        Ok(Self {
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// Stops the writer and waits for it (it removes the file).
    pub fn stop(&mut self) {
        self.stop = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for StatusFile {
    fn drop(&mut self) {
        self.stop();
    }
}

fn run(data_dir: &std::path::Path, feed: &StatusFeed, stopped: &Receiver<()>) {
    let pid = std::process::id();
    let mut last: Option<(StatusSnapshot, Instant)> = None;
    let mut warned = false;
    loop {
        let snapshot = StatusSnapshot::of(&feed.latest(), pid, now_us());
        let due = last.as_ref().is_none_or(|(written, at)| {
            !written.shows_same(&snapshot) || at.elapsed() >= HEARTBEAT
        });
        if due {
            match snapshot.write(data_dir) {
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
