//! Labelled gaps: the stretches of a camera's timeline with no recording (neither
//! continuous nor event clips) in a window, each split by and labelled with what explains it,
//! in a fixed priority: deleted (the deletion log) > camera offline > disk full or writes
//! failing > recorder overloaded > paused or off > events only > Vigil not running > no record
//! of why. One indexed query per source, like the timeline's.

use super::deletions::DeletionReason;
use super::gap_log::{GapCondition, RecorderRun};
use super::timeline::{CameraTimeline, TimeRange, TimelineQuery};
use super::{Library, LibraryError};

/// A run last seen alive longer ago than this (the watcher refreshes it every 30 s) has ended
/// without stopping.
pub const RUN_STALE_US: i64 = 90_000_000;
/// An unexplained piece of a gap this short beside an explained one takes its neighbour's
/// label: the seconds a reconnected camera needs to send its first keyframe, a restart.
pub const ABSORB_US: i64 = 10_000_000;

/// What explains a gap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GapCause {
    /// Its recordings were deleted (by retention, a person…), at `at_us`.
    Deleted {
        reason: DeletionReason,
        by_user: Option<String>,
        at_us: i64,
    },
    /// A condition the engine logged (offline, disk full, paused…).
    Condition(GapCondition),
    /// Vigil was not running: it stopped cleanly at `stopped_us`, or (when `None`) ended
    /// without stopping (a crash, a power loss) after it was last seen at `last_seen_us`.
    NotRunning {
        stopped_us: Option<i64>,
        last_seen_us: i64,
    },
    /// Nothing says why (libraries older than the gap log, or before the first run).
    Unknown,
}

impl GapCause {
    /// A short stable key: `deleted`, `offline`, `disk-full`, …, `not-running`, `unknown`.
    pub fn key(&self) -> &'static str {
        match self {
            Self::Deleted { .. } => "deleted",
            Self::Condition(c) => c.as_str(),
            Self::NotRunning { .. } => "not-running",
            Self::Unknown => "unknown",
        }
    }

    /// Lower explains first.
    fn priority(&self) -> u8 {
        match self {
            Self::Deleted { .. } => 0,
            Self::Condition(GapCondition::Offline) => 1,
            Self::Condition(GapCondition::DiskFull | GapCondition::WriteFailed) => 2,
            Self::Condition(GapCondition::Overloaded) => 3,
            Self::Condition(GapCondition::Paused | GapCondition::Off | GapCondition::Disabled) => 4,
            Self::Condition(GapCondition::EventsOnly) => 5,
            Self::NotRunning { .. } => 6,
            Self::Unknown => 7,
        }
    }
}

/// One labelled stretch without recording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    pub start_us: i64,
    pub end_us: i64,
    pub cause: GapCause,
    /// The error sentence (offline, write failures), or what was off; empty otherwise.
    pub detail: String,
}

impl Gap {
    pub fn duration_us(&self) -> i64 {
        self.end_us - self.start_us
    }

    /// The reason as an English sentence, times written by `time` (the CLI's local time).
    pub fn reason(&self, time: impl Fn(i64) -> String) -> String {
        let with_detail = |s: &str| match self.detail.is_empty() {
            true => s.to_string(),
            false => format!("{s}: {}", self.detail),
        };
        match &self.cause {
            GapCause::Deleted {
                reason: DeletionReason::Person,
                by_user,
                at_us,
            } => format!(
                "deleted by {} at {}",
                by_user.as_deref().unwrap_or("a person"),
                time(*at_us)
            ),
            GapCause::Deleted { reason, at_us, .. } => {
                format!("{} at {}", reason.describe(), time(*at_us))
            }
            GapCause::Condition(c) => with_detail(match c {
                GapCondition::Offline => "camera offline",
                GapCondition::DiskFull => "disk full: recordings could not be written",
                GapCondition::WriteFailed => "recordings could not be written",
                GapCondition::Overloaded => {
                    "the recorder fell behind (disk too slow?); the camera's stream waited"
                }
                GapCondition::Paused => "recording paused",
                GapCondition::Off => "recording off (the camera's recording mode)",
                GapCondition::Disabled => "recording off (the camera is disabled)",
                GapCondition::EventsOnly => "records events only: nothing between events",
            }),
            GapCause::NotRunning {
                stopped_us: Some(at),
                ..
            } => format!("Vigil was not running (stopped at {})", time(*at)),
            GapCause::NotRunning {
                stopped_us: None,
                last_seen_us,
            } => format!(
                "Vigil was not running (ended without stopping: crash or power loss; last seen at {})",
                time(*last_seen_us)
            ),
            GapCause::Unknown => "no record of why".to_string(),
        }
    }
}

/// An interval some source explains.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explained {
    pub start_us: i64,
    pub end_us: i64,
    pub cause: GapCause,
    pub detail: String,
}

impl Library {
    /// The gaps of `camera_id` in `[from_us, to_us)` (clipped at `now_us`: the future is no
    /// gap) longer than `min_gap_us`, labelled (see the module).
    pub fn gaps(
        &self,
        camera_id: i64,
        from_us: i64,
        to_us: i64,
        min_gap_us: i64,
        now_us: i64,
    ) -> Result<Vec<Gap>, LibraryError> {
        let timeline = self.timeline(&TimelineQuery {
            camera_ids: vec![camera_id],
            from_us,
            to_us,
            min_gap_us: 0,
        })?;
        match timeline.camera(camera_id) {
            Some(row) => self.gaps_of(row, from_us, to_us, min_gap_us, now_us),
            None => Ok(Vec::new()),
        }
    }

    /// [`Library::gaps`] for a camera whose timeline row (over the same window) is at hand.
    pub fn gaps_of(
        &self,
        row: &CameraTimeline,
        from_us: i64,
        to_us: i64,
        min_gap_us: i64,
        now_us: i64,
    ) -> Result<Vec<Gap>, LibraryError> {
        let to_us = to_us.min(now_us);
        if to_us <= from_us {
            return Ok(Vec::new());
        }
        let recorded = recorded_ranges(row, from_us, to_us, min_gap_us, now_us);
        let holes = complement(&recorded, from_us, to_us, min_gap_us);
        if holes.is_empty() {
            return Ok(Vec::new());
        }
        let camera_id = row.camera_id;
        let runs = self.recorder_runs(from_us, to_us)?;
        let live_until = live_until(&runs, now_us);
        let mut explained = not_running(&runs, now_us);
        for d in self.deletions(Some(camera_id), from_us, to_us)? {
            explained.push(Explained {
                start_us: d.start_us,
                end_us: d.end_us,
                cause: GapCause::Deleted {
                    reason: d.reason,
                    by_user: d.by_user,
                    at_us: d.at_us,
                },
                detail: String::new(),
            });
        }
        for g in self.gap_intervals(camera_id, from_us, to_us)? {
            explained.push(Explained {
                start_us: g.start_us,
                end_us: g.end_us.unwrap_or(live_until).max(g.start_us),
                cause: GapCause::Condition(g.condition),
                detail: g.detail,
            });
        }
        Ok(label(&holes, explained))
    }
}

/// A timeline row's recorded ranges of both kinds and the files being written (to
/// `now_us`), merged.
fn recorded_ranges(
    row: &CameraTimeline,
    from_us: i64,
    to_us: i64,
    min_gap_us: i64,
    now_us: i64,
) -> Vec<TimeRange> {
    let mut ranges: Vec<TimeRange> = row
        .continuous
        .iter()
        .chain(&row.event_clips)
        .copied()
        .collect();
    ranges.extend(row.in_progress.iter().map(|p| TimeRange {
        start_us: p.start_us.max(from_us),
        end_us: now_us.min(to_us),
    }));
    ranges.sort_by_key(|r| r.start_us);
    let mut merged = super::timeline::Merger::new(min_gap_us);
    for r in ranges {
        merged.push(r.start_us, r.end_us);
    }
    merged.out
}

/// The stretches of `[from_us, to_us)` no range covers, longer than `min_gap_us`.
pub fn complement(
    recorded: &[TimeRange],
    from_us: i64,
    to_us: i64,
    min_gap_us: i64,
) -> Vec<TimeRange> {
    let mut out = Vec::new();
    let mut at = from_us;
    let mut push = |a: i64, b: i64| {
        if b - a > min_gap_us.max(0) {
            out.push(TimeRange {
                start_us: a,
                end_us: b,
            });
        }
    };
    for r in recorded {
        if r.start_us > at {
            push(at, r.start_us.min(to_us));
        }
        at = at.max(r.end_us);
        if at >= to_us {
            return out;
        }
    }
    push(at, to_us);
    out
}

/// Until when the engine's open intervals last: now while the latest run is alive, else
/// when that run stopped or was last seen.
fn live_until(runs: &[RecorderRun], now_us: i64) -> i64 {
    match runs.last() {
        Some(RecorderRun {
            stopped_us: Some(at),
            ..
        }) => (*at).min(now_us),
        Some(run) if run.alive_us < now_us - RUN_STALE_US => run.alive_us,
        _ => now_us,
    }
}

/// The time between runs (and after the last one, when it has ended).
fn not_running(runs: &[RecorderRun], now_us: i64) -> Vec<Explained> {
    let ended = |run: &RecorderRun, until: i64| Explained {
        start_us: run.stopped_us.unwrap_or(run.alive_us),
        end_us: until,
        cause: GapCause::NotRunning {
            stopped_us: run.stopped_us,
            last_seen_us: run.alive_us,
        },
        detail: String::new(),
    };
    let mut out: Vec<Explained> = runs
        .windows(2)
        .map(|pair| ended(&pair[0], pair[1].started_us))
        .collect();
    if let Some(last) = runs.last() {
        let end = live_until(runs, now_us);
        if end < now_us {
            out.push(ended(last, now_us));
        }
    }
    out.retain(|e| e.end_us > e.start_us);
    out
}

/// Splits each hole by the explanations overlapping it, the highest priority winning each
/// piece; equal neighbours merge; short unexplained pieces take an explained neighbour's label
/// ([`ABSORB_US`]). `holes` in order, not overlapping.
pub fn label(holes: &[TimeRange], mut explained: Vec<Explained>) -> Vec<Gap> {
    explained.retain(|e| e.end_us > e.start_us);
    explained.sort_by_key(|e| e.start_us);
    let mut out = Vec::new();
    for hole in holes {
        let over: Vec<&Explained> = explained
            .iter()
            .take_while(|e| e.start_us < hole.end_us)
            .filter(|e| e.end_us > hole.start_us)
            .collect();
        let mut cuts: Vec<i64> = vec![hole.start_us, hole.end_us];
        for e in &over {
            cuts.extend([e.start_us, e.end_us]);
        }
        cuts.retain(|&t| t >= hole.start_us && t <= hole.end_us);
        cuts.sort_unstable();
        cuts.dedup();
        let mut pieces: Vec<Gap> = Vec::new();
        for w in cuts.windows(2) {
            let (a, b) = (w[0], w[1]);
            let best = over
                .iter()
                .filter(|e| e.start_us <= a && e.end_us >= b)
                .min_by_key(|e| e.cause.priority());
            let (cause, detail) = match best {
                Some(e) => (e.cause.clone(), e.detail.clone()),
                None => (GapCause::Unknown, String::new()),
            };
            match pieces.last_mut() {
                Some(last) if last.cause == cause && last.detail == detail => last.end_us = b,
                _ => pieces.push(Gap {
                    start_us: a,
                    end_us: b,
                    cause,
                    detail,
                }),
            }
        }
        out.extend(absorb_short_unknowns(pieces));
    }
    out
}

/// Unexplained pieces up to [`ABSORB_US`] join the explained piece before them (or after).
fn absorb_short_unknowns(pieces: Vec<Gap>) -> Vec<Gap> {
    let short_unknown = |g: &Gap| g.cause == GapCause::Unknown && g.duration_us() <= ABSORB_US;
    let mut out: Vec<Gap> = Vec::with_capacity(pieces.len());
    let mut pending: Option<Gap> = None;
    for g in pieces {
        if short_unknown(&g) {
            match out.last_mut() {
                Some(prev) if prev.end_us == g.start_us => prev.end_us = g.end_us,
                _ => pending = Some(g),
            }
            continue;
        }
        let mut g = g;
        if let Some(p) = pending.take() {
            if g.cause != GapCause::Unknown && p.end_us == g.start_us {
                g.start_us = p.start_us;
            } else {
                out.push(p);
            }
        }
        out.push(g);
    }
    out.extend(pending);
    out
}

#[cfg(test)]
#[path = "gaps_tests.rs"]
mod tests;
