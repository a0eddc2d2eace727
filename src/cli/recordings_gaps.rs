//! `vigil recordings --gaps`: one camera's stretches without recording in a window, each
//! with its reason (local times, duration, the reason in a sentence), or as JSON.

use std::process::ExitCode;

use serde::Serialize;

use vigil_core::library::{Gap, GapCause, Library};
use vigil_core::model::time::{format_rfc3339, now_us};

/// Gaps shorter than this are not listed (the boundaries between files).
const MIN_GAP_US: i64 = 1_000_000;
/// The window when --from is not given: this long before --to.
const DEFAULT_SPAN_US: i64 = 24 * 3_600_000_000;

#[derive(Serialize)]
struct GapRow {
    camera: String,
    start: String,
    end: String,
    start_us: i64,
    end_us: i64,
    duration_s: f64,
    /// `deleted`, `offline`, `disk-full`, `write-failed`, `overloaded`, `paused`, `off`,
    /// `events-only`, `not-running`, `unknown`.
    cause: &'static str,
    reason: String,
    detail: String,
    /// Who deleted it, when a person did.
    #[serde(skip_serializing_if = "Option::is_none")]
    by_user: Option<String>,
}

pub fn list(
    lib: &Library,
    camera_id: i64,
    from_us: Option<i64>,
    to_us: Option<i64>,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let now = now_us();
    let to_us = to_us.unwrap_or(now);
    let from_us = from_us.unwrap_or(to_us - DEFAULT_SPAN_US);
    let camera = lib
        .cameras()?
        .into_iter()
        .find(|c| c.id == camera_id)
        .map(|c| c.name.to_string())
        .unwrap_or_default();
    let gaps = lib.gaps(camera_id, from_us, to_us, MIN_GAP_US, now)?;
    if json {
        let rows: Vec<GapRow> = gaps.iter().map(|g| row(&camera, g)).collect();
        super::print_json(&rows)?;
        return Ok(ExitCode::SUCCESS);
    }
    if gaps.is_empty() {
        println!(
            "{camera}: no gaps from {} to {}",
            local(from_us),
            local(to_us.min(now))
        );
    }
    for g in &gaps {
        println!(
            "{}  {}  {:>10}  {}",
            local(g.start_us),
            local(g.end_us),
            duration(g.duration_us()),
            g.reason(local)
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn row(camera: &str, g: &Gap) -> GapRow {
    GapRow {
        camera: camera.to_string(),
        start: format_rfc3339(g.start_us),
        end: format_rfc3339(g.end_us),
        start_us: g.start_us,
        end_us: g.end_us,
        duration_s: g.duration_us() as f64 / 1e6,
        cause: g.cause.key(),
        reason: g.reason(format_rfc3339),
        detail: g.detail.clone(),
        by_user: match &g.cause {
            GapCause::Deleted { by_user, .. } => by_user.clone(),
            _ => None,
        },
    }
}

/// A local date and time with its offset: `2026-12-05 20:05:07 +01:00`.
fn local(us: i64) -> String {
    let t = vigil_app::local_time::local(us);
    let off = t.offset();
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02} {}{:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        if off.is_negative() { '-' } else { '+' },
        off.whole_hours().unsigned_abs(),
        off.minutes_past_hour().unsigned_abs()
    )
}

/// `4 s`, `12 min 05 s`, `3 h 02 min`.
fn duration(us: i64) -> String {
    let s = us / 1_000_000;
    match s {
        0..=59 => format!("{s} s"),
        60..=3599 => format!("{} min {:02} s", s / 60, s % 60),
        _ => format!("{} h {:02} min", s / 3600, s % 3600 / 60),
    }
}
