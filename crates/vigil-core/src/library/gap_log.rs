//! The gap log: why a camera was not recording, written as it happens (an interval per cause,
//! open while it lasts), and the recorder's runs (started, last seen alive, stopped), so the
//! time between two runs can say "Vigil was not running". Written by the engine's gap
//! watcher on state changes only, never on the packet path; read by [`super::gaps`].

use rusqlite::{params, OptionalExtension};

use super::{Library, LibraryError};

/// Why a camera was not recording, as the engine saw it (stored as text in
/// `recording_gaps.cause`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GapCondition {
    /// The camera could not be reached or its stream broke (detail: the error sentence,
    /// passwords masked).
    Offline,
    /// Writes were refused because the disk was full.
    DiskFull,
    /// Writes failed for another reason (detail: the error).
    WriteFailed,
    /// The recorder fell behind: ingest waited for it (nothing is dropped in Vigil, but the
    /// camera's stream was not read meanwhile).
    Overloaded,
    /// Recording paused (MQTT or HTTP `recording/set OFF`).
    Paused,
    /// The camera's recording mode is Off.
    Off,
    /// The camera is disabled.
    Disabled,
    /// The camera records events only: between clips nothing is recorded, by design.
    EventsOnly,
}

impl GapCondition {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Offline => "offline",
            Self::DiskFull => "disk-full",
            Self::WriteFailed => "write-failed",
            Self::Overloaded => "overloaded",
            Self::Paused => "paused",
            Self::Off => "off",
            Self::Disabled => "disabled",
            Self::EventsOnly => "events-only",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "offline" => Self::Offline,
            "disk-full" => Self::DiskFull,
            "write-failed" => Self::WriteFailed,
            "overloaded" => Self::Overloaded,
            "paused" => Self::Paused,
            "off" => Self::Off,
            "disabled" => Self::Disabled,
            "events-only" => Self::EventsOnly,
            _ => return None,
        })
    }
}

/// One stored interval of [`GapCondition`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GapInterval {
    pub camera_id: i64,
    pub start_us: i64,
    /// `None` while it lasts.
    pub end_us: Option<i64>,
    pub condition: GapCondition,
    pub detail: String,
}

/// One run of the recorder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecorderRun {
    pub id: i64,
    pub started_us: i64,
    /// Last seen running (refreshed every 30 s).
    pub alive_us: i64,
    /// Set by a clean stop; `None` for the run going on, or one that ended by a crash or a
    /// power loss.
    pub stopped_us: Option<i64>,
}

impl Library {
    /// Notes a recorder run starting at `now_us`: intervals the previous run left open (it
    /// crashed) are closed when it was last seen alive. Answers the new run's id.
    pub fn begin_run(&self, now_us: i64) -> Result<i64, LibraryError> {
        let tx = self.conn().unchecked_transaction()?;
        let last: Option<(i64, Option<i64>)> = tx
            .query_row(
                "SELECT alive_us, stopped_us FROM recorder_runs ORDER BY id DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if let Some((alive, stopped)) = last {
            let ended = stopped.unwrap_or(alive).min(now_us);
            tx.execute(
                "UPDATE recording_gaps SET end_us = MAX(start_us, ?1) WHERE end_us IS NULL",
                params![ended],
            )?;
        }
        tx.execute(
            "INSERT INTO recorder_runs (started_us, alive_us) VALUES (?1, ?1)",
            params![now_us],
        )?;
        let id = tx.last_insert_rowid();
        tx.commit()?;
        Ok(id)
    }

    /// The run `run_id` is still going at `now_us`.
    pub fn run_alive(&self, run_id: i64, now_us: i64) -> Result<(), LibraryError> {
        self.conn().execute(
            "UPDATE recorder_runs SET alive_us = ?2 WHERE id = ?1",
            params![run_id, now_us],
        )?;
        Ok(())
    }

    /// A clean stop of `run_id` at `now_us`: every open interval ends now.
    pub fn end_run(&self, run_id: i64, now_us: i64) -> Result<(), LibraryError> {
        let tx = self.conn().unchecked_transaction()?;
        tx.execute(
            "UPDATE recording_gaps SET end_us = MAX(start_us, ?1) WHERE end_us IS NULL",
            params![now_us],
        )?;
        tx.execute(
            "UPDATE recorder_runs SET alive_us = ?2, stopped_us = ?2 WHERE id = ?1",
            params![run_id, now_us],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Opens an interval of `condition` on `camera_id` from `start_us`; answers its id.
    pub fn open_gap(
        &self,
        camera_id: i64,
        start_us: i64,
        condition: GapCondition,
        detail: &str,
    ) -> Result<i64, LibraryError> {
        self.conn().execute(
            "INSERT INTO recording_gaps (camera_id, start_us, cause, detail)
             VALUES (?1, ?2, ?3, ?4)",
            params![camera_id, start_us, condition.as_str(), detail],
        )?;
        Ok(self.conn().last_insert_rowid())
    }

    /// Ends the interval `id` at `end_us`.
    pub fn close_gap(&self, id: i64, end_us: i64) -> Result<(), LibraryError> {
        self.conn().execute(
            "UPDATE recording_gaps SET end_us = MAX(start_us, ?2) WHERE id = ?1",
            params![id, end_us],
        )?;
        Ok(())
    }

    /// Intervals of `camera_id` overlapping `[from_us, to_us)`, oldest first (open ones
    /// included).
    pub fn gap_intervals(
        &self,
        camera_id: i64,
        from_us: i64,
        to_us: i64,
    ) -> Result<Vec<GapInterval>, LibraryError> {
        // Served by (camera_id, end_us): the rows ending after the window's start.
        let mut stmt = self.conn().prepare_cached(
            "SELECT start_us, end_us, cause, detail FROM recording_gaps
             WHERE camera_id = ?1 AND (end_us IS NULL OR end_us > ?2) AND start_us < ?3
             ORDER BY start_us, id",
        )?;
        let rows = stmt.query_map(params![camera_id, from_us, to_us], |r| {
            let cause: String = r.get(2)?;
            Ok((r.get(0)?, r.get(1)?, cause, r.get(3)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (start_us, end_us, cause, detail) = row?;
            // A cause a newer Vigil wrote and this one does not know is left out.
            if let Some(condition) = GapCondition::parse(&cause) {
                out.push(GapInterval {
                    camera_id,
                    start_us,
                    end_us,
                    condition,
                    detail,
                });
            }
        }
        Ok(out)
    }

    /// Recorder runs that overlap `[from_us, to_us)` or neighbour it (the last one before,
    /// the first one after), oldest first: enough to know when Vigil was not running.
    pub fn recorder_runs(
        &self,
        from_us: i64,
        to_us: i64,
    ) -> Result<Vec<RecorderRun>, LibraryError> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, started_us, alive_us, stopped_us FROM recorder_runs
             WHERE id >= COALESCE((SELECT MAX(id) FROM recorder_runs WHERE started_us <= ?1), 0)
               AND id <= COALESCE((SELECT MIN(id) FROM recorder_runs WHERE started_us >= ?2),
                                  (SELECT MAX(id) FROM recorder_runs))
             ORDER BY id",
        )?;
        let rows = stmt.query_map(params![from_us, to_us], |r| {
            Ok(RecorderRun {
                id: r.get(0)?,
                started_us: r.get(1)?,
                alive_us: r.get(2)?,
                stopped_us: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
