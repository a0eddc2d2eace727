//! `GET /api/cameras/{camera}/timeline?from=US&to=US[&min_gap_us=US]`: a camera's recordings
//! in a window as spans (adjacent segments merged), the gaps between them, the files being
//! written now and the event markers, all in UTC µs.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde_json::{json, Value};

use super::{library_refusal, time_param, Readers};
use crate::library::{CameraTimeline, Library, LibraryError, TimeRange, TimelineQuery};
use crate::web::refusal::Refusal;
use crate::web::session::SignedIn;
use crate::web::state::{blocking, Shared};

/// The widest window one request may ask for.
const MAX_WINDOW_US: i64 = 31 * 24 * 3_600_000_000;
/// Ranges closer than this are one span unless the request says otherwise.
const DEFAULT_MIN_GAP_US: i64 = 1_000_000;

pub(super) async fn timeline(
    _me: SignedIn,
    State(state): State<Shared>,
    Extension(readers): Extension<Readers>,
    Path(camera): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, Refusal> {
    let (from_us, to_us) = (time_param(&query, "from")?, time_param(&query, "to")?);
    if from_us >= to_us {
        return Err(Refusal::bad_request(
            "'from' must be before 'to' (both in microseconds since 1970, UTC)",
        ));
    }
    if to_us - from_us > MAX_WINDOW_US {
        return Err(Refusal::bad_request(
            "a timeline covers at most 31 days: ask for a shorter window",
        ));
    }
    let min_gap_us = match query.get("min_gap_us") {
        None => DEFAULT_MIN_GAP_US,
        Some(raw) => raw
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|g| (0..=MAX_WINDOW_US).contains(g))
            .ok_or_else(|| {
                Refusal::bad_request("'min_gap_us' must be a duration in microseconds")
            })?,
    };
    let name = camera.clone();
    let answer = blocking(&state, move |s| {
        readers.with(&s.engine.data_dir, |lib| {
            read(lib, &name, from_us, to_us, min_gap_us)
        })
    })
    .await?;
    match answer.and_then(|inner| inner) {
        Ok(body) => Ok(Json(body).into_response()),
        Err(e) => Err(library_refusal(&camera, &e)),
    }
}

/// The answer's JSON for one camera and window.
fn read(
    lib: &Library,
    camera: &str,
    from_us: i64,
    to_us: i64,
    min_gap_us: i64,
) -> Result<Value, LibraryError> {
    let cam = lib.camera_by_name(camera)?;
    let timeline = lib.timeline(&TimelineQuery {
        camera_ids: vec![cam.id],
        from_us,
        to_us,
        min_gap_us,
    })?;
    let row = timeline.camera(cam.id).cloned().unwrap_or_default();
    Ok(describe(
        cam.name.as_str(),
        from_us,
        to_us,
        min_gap_us,
        &row,
    ))
}

fn describe(
    camera: &str,
    from_us: i64,
    to_us: i64,
    min_gap_us: i64,
    row: &CameraTimeline,
) -> Value {
    let mut spans: Vec<(TimeRange, &str)> = row
        .continuous
        .iter()
        .map(|r| (*r, "continuous"))
        .chain(row.event_clips.iter().map(|r| (*r, "event")))
        .collect();
    spans.sort_by_key(|(r, _)| (r.start_us, r.end_us));
    let recordings: Vec<Value> = spans
        .iter()
        .map(|(r, kind)| json!({"start_us": r.start_us, "end_us": r.end_us, "kind": kind}))
        .collect();
    let gaps: Vec<Value> = gaps(&spans, min_gap_us)
        .into_iter()
        .map(|(a, b)| json!({"start_us": a, "end_us": b}))
        .collect();
    let now: Vec<Value> = row
        .in_progress
        .iter()
        .map(|p| json!({"start_us": p.start_us, "kind": p.kind.as_str()}))
        .collect();
    let events: Vec<Value> = row
        .events
        .iter()
        .map(|e| {
            json!({
                "id": e.id,
                "start_us": e.start_us,
                "end_us": e.end_us,
                "source": e.source.as_str(),
                "label": e.label,
                "zone": e.zone,
                "count": e.count,
            })
        })
        .collect();
    json!({
        "camera": camera,
        "from_us": from_us,
        "to_us": to_us,
        "recordings": recordings,
        "gaps": gaps,
        "recording_now": now,
        "events": events,
    })
}

/// Holes between recorded spans (sorted by start, of any kind) longer than `min_gap_us`.
fn gaps(spans: &[(TimeRange, &str)], min_gap_us: i64) -> Vec<(i64, i64)> {
    let mut out = Vec::new();
    let mut covered: Option<i64> = None;
    for (r, _) in spans {
        if let Some(end) = covered {
            if r.start_us - end > min_gap_us.max(0) {
                out.push((end, r.start_us));
            }
        }
        covered = Some(covered.map_or(r.end_us, |c| c.max(r.end_us)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(a: i64, b: i64) -> (TimeRange, &'static str) {
        (
            TimeRange {
                start_us: a,
                end_us: b,
            },
            "continuous",
        )
    }

    #[test]
    fn gaps_are_the_holes_between_spans_of_any_kind() {
        let spans = [
            r(0, 10),
            r(5, 20),
            r(20, 30),
            r(40, 50),
            r(45, 46),
            r(52, 60),
        ];
        assert_eq!(gaps(&spans, 1), vec![(30, 40), (50, 52)]);
        assert_eq!(gaps(&spans, 5), vec![(30, 40)]);
        assert!(gaps(&[], 0).is_empty());
    }
}
