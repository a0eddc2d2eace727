//! The events API: recorded events listed newest first with filters and paging, each
//! event's stored thumbnail (the JPEG as recorded), protect/unprotect and delete (operators
//! and admins; protecting and deleting audited). The audit trail itself is web/audit.rs's
//! (the `security` area).

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use http::{header, StatusCode};
use serde_json::{json, Value};

use super::accounts::Actor;
use super::params::{parse_id, Params};
use super::refusal::Refusal;
use super::session::SignedIn;
use super::state::{blocking, job_answer, Shared};
use crate::library::LibraryError;
use crate::model::{Event, EventSource};
use crate::service::{EventListRequest, EventQuery, ServiceError};

/// Events per page unless `limit` says otherwise, and the most a page may hold.
pub const PAGE: u32 = 50;
pub const MAX_PAGE: u32 = 500;

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/api/events", get(list))
        .route("/api/events/{id}", axum::routing::delete(remove))
        .route("/api/events/{id}/thumbnail.jpg", get(thumbnail))
        .route("/api/events/{id}/protect", post(protect))
}

/// The list request a query string asks for (400 with a sentence when malformed).
fn list_request(p: &Params) -> Result<EventListRequest, Refusal> {
    let source = p
        .text("source")
        .map(|s| EventSource::parse(s).map_err(|e| Refusal::bad_request(e.0)))
        .transpose()?;
    let (from_us, to_us) = (p.time_us("from")?, p.time_us("to")?);
    if let (Some(f), Some(t)) = (from_us, to_us) {
        if f >= t {
            return Err(Refusal::bad_request("from must be before to"));
        }
    }
    Ok(EventListRequest {
        camera: p.text("camera").map(str::to_string),
        query: EventQuery {
            from_us,
            to_us,
            source,
            label: p.text("label").map(str::to_string),
            zone: p.text("zone").map(str::to_string),
            before: p.text("before").map(cursor).transpose()?,
            limit: Some(p.count("limit", MAX_PAGE)?.unwrap_or(PAGE)),
            newest_first: true,
            ..EventQuery::default()
        },
    })
}

/// A paging cursor: `START_US.ID` (as `next` gives), or a plain time.
fn cursor(raw: &str) -> Result<(i64, i64), Refusal> {
    let bad = || {
        Refusal::bad_request(format!(
            "before must be the list's `next` value (START_US.ID) or a time in microseconds, \
             not '{}'",
            raw.chars()
                .filter(|c| !c.is_control())
                .take(40)
                .collect::<String>()
        ))
    };
    let (start, id) = match raw.trim().split_once('.') {
        Some((s, i)) => (s, i.parse::<i64>().map_err(|_| bad())?),
        None => (raw.trim(), i64::MIN),
    };
    Ok((start.parse::<i64>().map_err(|_| bad())?, id))
}

/// `GET /api/events?camera=&from=&to=&source=&label=&zone=&limit=&before=`:
/// `{"events": [...], "cameras": [names], "next": cursor or null}`, newest first.
async fn list(
    State(state): State<Shared>,
    _me: SignedIn,
    RawQuery(raw): RawQuery,
) -> Result<Response, Refusal> {
    let params = Params::parse(raw.as_deref());
    let request = list_request(&params)?;
    let limit = request.query.limit.unwrap_or(PAGE) as usize;
    let camera = request.camera.clone();
    let answer = job_answer(|wake| state.archive.events(request, Some(wake)))
        .await
        .ok_or_else(lost)?
        .map_err(|e| refusal("listing the events", e))?;
    let Some(events) = answer.events else {
        let name = camera.unwrap_or_default();
        return Err(Refusal::not_found(format!(
            "there is no camera named '{name}'"
        )));
    };
    let next = (events.len() == limit)
        .then(|| events.last().map(|e| format!("{}.{}", e.start_us, e.id)))
        .flatten();
    let events: Vec<Value> = events.iter().map(event_json).collect();
    Ok(Json(json!({ "events": events, "cameras": answer.cameras, "next": next })).into_response())
}

/// One event as the API answers it.
pub fn event_json(e: &Event) -> Value {
    json!({
        "id": e.id,
        "camera": e.camera,
        "start_us": e.start_us,
        "end_us": e.end_us,
        "source": e.source.as_str(),
        "label": e.label,
        "zone": e.zone,
        "score": e.score,
        "object_box": e.object_box,
        "protected": e.protected,
        "has_thumbnail": e.has_thumbnail,
    })
}

/// `GET /api/events/{id}/thumbnail.jpg`: the JPEG stored with the event, as it is.
async fn thumbnail(
    State(state): State<Shared>,
    _me: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, Refusal> {
    let id = parse_id("the event id", &id)?;
    let jpeg = job_answer(|wake| state.archive.thumbnail_jpeg(id, Some(wake)))
        .await
        .ok_or_else(lost)?
        .map_err(|e| refusal("reading the thumbnail", e))?
        .ok_or_else(|| Refusal::not_found(format!("event {id} has no thumbnail")))?;
    Ok(([(header::CONTENT_TYPE, "image/jpeg")], Bytes::from(jpeg)).into_response())
}

/// The event `id`, or 404.
async fn existing(state: &Shared, id: i64) -> Result<Event, Refusal> {
    job_answer(|wake| state.archive.event(id, Some(wake)))
        .await
        .ok_or_else(lost)?
        .map_err(|e| refusal("reading the event", e))?
        .ok_or_else(|| Refusal::not_found(format!("there is no event {id}")))
}

/// `POST /api/events/{id}/protect` with `{"protected": true|false}`: keeps the event (and
/// its clips) from retention, or lifts that. Operators and admins; audited.
async fn protect(
    State(state): State<Shared>,
    me: SignedIn,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, Refusal> {
    me.may(me.user.role.can_manage_events(), "protect or delete events")?;
    let id = parse_id("the event id", &id)?;
    let want: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let Some(protected) = want.get("protected").and_then(Value::as_bool) else {
        return Err(Refusal::bad_request(
            "send {\"protected\": true} or {\"protected\": false}",
        ));
    };
    let event = existing(&state, id).await?;
    let found = job_answer(|wake| state.archive.set_protected(id, protected, Some(wake)))
        .await
        .ok_or_else(lost)?
        .map_err(|e| refusal("protecting the event", e))?;
    if !found {
        return Err(Refusal::not_found(format!("there is no event {id}")));
    }
    let action = if protected {
        "event protected"
    } else {
        "event unprotected"
    };
    audit(&state, &me, action, describe(&event)).await?;
    let event = Event { protected, ..event };
    Ok(Json(event_json(&event)).into_response())
}

/// `DELETE /api/events/{id}`: deletes the event and its clips (refused with 409 while it
/// is protected or still going on). Operators and admins; audited.
async fn remove(
    State(state): State<Shared>,
    me: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, Refusal> {
    me.may(me.user.role.can_manage_events(), "protect or delete events")?;
    let id = parse_id("the event id", &id)?;
    let event = existing(&state, id).await?;
    let who = format!("{} (web)", me.user.name);
    let gone = job_answer(|wake| state.archive.delete_event(id, who.clone(), Some(wake)))
        .await
        .ok_or_else(lost)?
        .map_err(|e| refusal("deleting the event", e))?;
    let detail = format!(
        "{}; {} clip(s), {} bytes",
        describe(&event),
        gone.clips,
        gone.bytes
    );
    audit(&state, &me, "event deleted", detail).await?;
    let answer = json!({ "deleted": id, "clips": gone.clips, "bytes": gone.bytes });
    Ok(Json(answer).into_response())
}

/// An event in the audit trail's words.
fn describe(e: &Event) -> String {
    format!(
        "event {} on camera {} ({} {}) from {}",
        e.id,
        e.camera,
        e.source.as_str(),
        crate::model::text::printable(&e.label),
        crate::model::time::format_rfc3339(e.start_us)
    )
}

/// Writes a line to the audit trail as `me`; a trail that cannot be written is a 503.
pub async fn audit(
    state: &Shared,
    me: &SignedIn,
    action: &'static str,
    detail: String,
) -> Result<(), Refusal> {
    let (user, address) = (me.user.name.clone(), me.address.clone());
    blocking(state, move |s| {
        let by = Actor {
            user: Some(&user),
            address: Some(&address),
        };
        s.accounts().audit(by, action, &detail)
    })
    .await?
    .map_err(|e| Refusal::unavailable("writing the audit trail", &e))
}

/// A job that ended without an answer.
pub fn lost() -> Refusal {
    Refusal::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "the server could not finish this request",
    )
}

/// An archive error as an answer: what the library refused (a protected event, one still
/// going on) is a 409 with its sentence; anything else a 503.
fn refusal(what: &str, e: ServiceError) -> Refusal {
    match e {
        ServiceError::Archive(LibraryError::Invalid(why)) => {
            Refusal::new(StatusCode::CONFLICT, why.0)
        }
        other => Refusal::unavailable(what, &other),
    }
}
