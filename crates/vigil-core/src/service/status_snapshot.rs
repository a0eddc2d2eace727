//! The recorder's camera states for viewers in other processes: `<data-dir>/status.json`, a
//! small snapshot of what a tile shows (connection state in a word, the last error as the
//! status already words it (passwords masked), recording, motion and events in progress, the
//! stream's summary), stamped with when and by which pid it was written. The recorder's host
//! writes it atomically (a temporary file in the same folder, then a rename; the database's
//! mode, so its group may read it with group read on); a viewer reads it and trusts it only
//! while it is fresh and written by the process holding the data directory's lock.

use std::fs::{OpenOptions, Permissions};
use std::io::{ErrorKind, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::detect::ZoneActivity;
use crate::engine::status::{ActiveEvent, AudioStatus, CameraStatus, ConnState};
use crate::engine::EngineStatus;
use crate::library::{io_reason, perms};

/// The snapshot's name in the data directory.
pub const STATUS_FILE: &str = "status.json";
/// Where it is written before the rename puts it in place.
const TEMP_FILE: &str = ".status.json.tmp";
/// A snapshot older than this is stale: its recorder is hung or gone (it writes one at
/// least every 10 s).
pub const STALE_AFTER_US: i64 = 30_000_000;
/// The layout written today; a viewer refuses another.
pub const FORMAT: u32 = 1;

/// What the recorder publishes for viewers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusSnapshot {
    pub format: u32,
    /// When it was written, UTC µs.
    pub written_us: i64,
    /// The recorder's process id.
    pub pid: u32,
    pub cameras: Vec<CameraSnapshot>,
}

/// One camera as a tile shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CameraSnapshot {
    /// The camera's identifier.
    pub name: String,
    pub display_name: String,
    pub state: StateWord,
    /// While retrying: when the next attempt is, UTC µs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_at_us: Option<i64>,
    /// The last connection error, as the status words it (passwords masked).
    pub last_error: Option<String>,
    pub last_error_us: Option<i64>,
    /// The last recording error (disk full, cannot write).
    pub record_error: Option<String>,
    /// A segment file is being written.
    pub recording: bool,
    /// A motion zone is inside an event.
    pub motion: bool,
    /// Events in progress (motion, triggers, objects).
    pub events: Vec<EventSnapshot>,
    /// The main stream, once seen.
    pub stream: Option<StreamSnapshot>,
    /// The sound the camera sends, when it sends any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio: Option<AudioStatus>,
}

/// A camera connection's state in a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StateWord {
    Connecting,
    Connected,
    Retrying,
    Waiting,
    Stopped,
    Disabled,
}

impl StateWord {
    /// The word for `conn`.
    pub fn of(conn: &ConnState) -> Self {
        match conn {
            ConnState::Connecting => Self::Connecting,
            ConnState::Connected => Self::Connected,
            ConnState::Retrying { .. } => Self::Retrying,
            ConnState::Waiting => Self::Waiting,
            ConnState::Stopped => Self::Stopped,
            ConnState::Disabled => Self::Disabled,
        }
    }

    /// The word as written in the file (`connected`, `retrying`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Connecting => "connecting",
            Self::Connected => "connected",
            Self::Retrying => "retrying",
            Self::Waiting => "waiting",
            Self::Stopped => "stopped",
            Self::Disabled => "disabled",
        }
    }
}

/// An event in progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventSnapshot {
    /// `motion`, `trigger`, `object`, …
    pub source: String,
    pub label: String,
    pub start_us: i64,
}

/// A stream's summary, rounded as a tile shows it (so jitter is no change).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StreamSnapshot {
    pub codec: String,
    pub width: u32,
    pub height: u32,
    /// Frames per second, to 0.1.
    pub fps: f64,
    /// Bits per second, to 10 kbit/s.
    pub bitrate_bps: f64,
}

/// Why a viewer cannot use the snapshot (it then shows the cameras as stopped).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SnapshotError {
    #[error("the recorder has not written {0}")]
    Missing(PathBuf),
    #[error("cannot read {path}: {reason}")]
    Unreadable { path: PathBuf, reason: String },
    #[error("{path} is not a status snapshot Vigil can read: {reason}")]
    Corrupt { path: PathBuf, reason: String },
    #[error("the recorder's status was written {secs} s ago")]
    Stale { secs: i64 },
    /// Written by a process that does not hold the lock now (a recorder that was killed).
    #[error("the status was written by pid {written_by}, which no longer records here")]
    OtherPid { written_by: u32 },
}

impl StatusSnapshot {
    /// The snapshot of `status`, written now (`now_us`) by process `pid`.
    pub fn of(status: &EngineStatus, pid: u32, now_us: i64) -> Self {
        Self {
            format: FORMAT,
            written_us: now_us,
            pid,
            cameras: status
                .cameras
                .iter()
                .map(|c| CameraSnapshot::of(c, now_us))
                .collect(),
        }
    }

    /// Whether `other` shows the same as this (when it was written aside).
    pub fn shows_same(&self, other: &Self) -> bool {
        self.pid == other.pid && self.cameras == other.cameras
    }

    /// The camera named `name`.
    pub fn camera(&self, name: &str) -> Option<&CameraSnapshot> {
        self.cameras.iter().find(|c| c.name == name)
    }

    /// Writes it to `<data_dir>/status.json` atomically: a reader sees the old snapshot or
    /// this one whole. Mode as the database's ([`perms::file_mode`]).
    pub fn write(&self, data_dir: &Path) -> std::io::Result<()> {
        self.write_with_mode(data_dir, perms::file_mode())
    }

    fn write_with_mode(&self, data_dir: &Path, mode: u32) -> std::io::Result<()> {
        let text = serde_json::to_vec(self).map_err(std::io::Error::other)?;
        let temp = data_dir.join(TEMP_FILE);
        let mut file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(mode)
            .open(&temp)?;
        // Whatever the umask, and whatever mode a temporary file left behind had.
        file.set_permissions(Permissions::from_mode(mode))?;
        file.write_all(&text)?;
        drop(file);
        std::fs::rename(&temp, data_dir.join(STATUS_FILE))
    }

    /// Reads `<data_dir>/status.json`, whatever its age.
    pub fn read(data_dir: &Path) -> Result<Self, SnapshotError> {
        let path = data_dir.join(STATUS_FILE);
        let text = match std::fs::read(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == ErrorKind::NotFound => return Err(SnapshotError::Missing(path)),
            Err(e) => {
                let reason = io_reason(&e);
                return Err(SnapshotError::Unreadable { path, reason });
            }
        };
        let snapshot: Self = serde_json::from_slice(&text).map_err(|e| SnapshotError::Corrupt {
            path: path.clone(),
            reason: e.to_string(),
        })?;
        if snapshot.format != FORMAT {
            let reason = format!("format {} (this Vigil reads {FORMAT})", snapshot.format);
            return Err(SnapshotError::Corrupt { path, reason });
        }
        Ok(snapshot)
    }

    /// Reads it and checks it describes the recorder now: written by `recorder` (the pid
    /// holding the lock, when known) less than [`STALE_AFTER_US`] before `now_us`.
    pub fn read_current(
        data_dir: &Path,
        recorder: Option<u32>,
        now_us: i64,
    ) -> Result<Self, SnapshotError> {
        let snapshot = Self::read(data_dir)?;
        if recorder.is_some_and(|pid| pid != snapshot.pid) {
            return Err(SnapshotError::OtherPid {
                written_by: snapshot.pid,
            });
        }
        let age = now_us - snapshot.written_us;
        if age.abs() > STALE_AFTER_US {
            return Err(SnapshotError::Stale {
                secs: age / 1_000_000,
            });
        }
        Ok(snapshot)
    }

    /// Removes `<data_dir>/status.json` (the recorder stopped cleanly); gone already is fine.
    pub fn remove(data_dir: &Path) -> std::io::Result<()> {
        match std::fs::remove_file(data_dir.join(STATUS_FILE)) {
            Err(e) if e.kind() != ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}

impl CameraSnapshot {
    fn of(c: &CameraStatus, now_us: i64) -> Self {
        let retry_at_us = match c.conn {
            ConnState::Retrying { retry_at_us } => Some(retry_at_us),
            _ => None,
        };
        let stream = c.codec.as_ref().map(|codec| StreamSnapshot {
            codec: codec.clone(),
            width: c.width,
            height: c.height,
            fps: (c.fps * 10.0).round() / 10.0,
            bitrate_bps: (c.bitrate_bps / 1e4).round() * 1e4,
        });
        Self {
            name: c.name.clone(),
            display_name: c.display_name.clone(),
            state: StateWord::of(&c.conn),
            retry_at_us,
            last_error: c.last_error.clone(),
            last_error_us: c.last_error_us,
            record_error: c.record_error.clone(),
            recording: c.recording,
            motion: c.motion.iter().any(|z| z.active),
            events: c
                .events
                .iter()
                .filter(|e| e.is_active(now_us))
                .map(|e| EventSnapshot {
                    source: e.source.clone(),
                    label: e.label.clone(),
                    start_us: e.start_us,
                })
                .collect(),
            stream,
            audio: c.audio.clone(),
        }
    }

    /// The connection state it names.
    pub fn conn(&self) -> ConnState {
        match self.state {
            StateWord::Connecting => ConnState::Connecting,
            StateWord::Connected => ConnState::Connected,
            StateWord::Retrying => ConnState::Retrying {
                retry_at_us: self.retry_at_us.unwrap_or(0),
            },
            StateWord::Waiting => ConnState::Waiting,
            StateWord::Stopped => ConnState::Stopped,
            StateWord::Disabled => ConnState::Disabled,
        }
    }

    /// Fills what it says into `status` (a camera's status as the viewer built it from the
    /// library: name and masked URL), so a tile shows it as a recorder's own would.
    pub fn apply(&self, status: &mut CameraStatus) {
        status.conn = self.conn();
        status.last_error = self.last_error.clone();
        status.last_error_us = self.last_error_us;
        status.record_error = self.record_error.clone();
        status.recording = self.recording;
        status.motion = if self.motion {
            vec![ZoneActivity {
                zone_id: 0,
                name: String::new(),
                changed: 0.0,
                active: true,
            }]
        } else {
            Vec::new()
        };
        status.events = self
            .events
            .iter()
            .map(|e| ActiveEvent {
                key: format!("{}:{}", e.source, e.label),
                source: e.source.clone(),
                label: e.label.clone(),
                start_us: e.start_us,
                until_us: None,
            })
            .collect();
        status.audio = self.audio.clone();
        if let Some(s) = &self.stream {
            status.codec = Some(s.codec.clone());
            (status.width, status.height) = (s.width, s.height);
            (status.fps, status.bitrate_bps) = (s.fps, s.bitrate_bps);
        }
    }
}

#[cfg(test)]
#[path = "status_snapshot_tests.rs"]
mod tests;
