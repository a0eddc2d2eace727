//! A camera's recording policy over the web: `GET /api/cameras/{camera}/policy` (signed in)
//! answers the model's fields and their limits; `PUT` (admins, audited as `policy.set`)
//! changes any of them, checked by the model's own validation, and the running engine
//! applies it at once (the camera's open recording is finished and a new one starts).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Map, Value};

use super::events::audit;
use super::refusal::Refusal;
use super::session::SignedIn;
use super::settings::{config, object, shown, shown_value};
use super::state::Shared;
use crate::model::policy::{
    MAX_CLIP_S, MAX_POST_EVENT_S, MAX_PRE_EVENT_S, MAX_SEGMENT_S, MIN_SEGMENT_S,
};
use crate::model::text::printable;
use crate::model::{Policy, RecordMode};

pub fn routes() -> Router<Shared> {
    Router::new().route("/api/cameras/{camera}/policy", get(read).put(change))
}

/// The fields of a policy, as the API names them (the model's).
const FIELDS: &[&str] = &[
    "mode",
    "segment_s",
    "retain_days",
    "max_bytes",
    "pre_event_s",
    "post_event_s",
    "max_clip_s",
    "event_retain_days",
];

/// The most days a retention may be (the model's bound).
const MAX_DAYS: f64 = 36_500.0;

/// `{camera, policy, limits}`.
fn answer(camera: &str, policy: &Policy) -> Value {
    json!({
        "camera": camera,
        "policy": policy,
        "limits": {
            "min_segment_s": MIN_SEGMENT_S,
            "max_segment_s": MAX_SEGMENT_S,
            "max_pre_event_s": MAX_PRE_EVENT_S,
            "max_post_event_s": MAX_POST_EVENT_S,
            "max_clip_s": MAX_CLIP_S,
            "max_days": MAX_DAYS,
        },
    })
}

async fn read(
    _me: SignedIn,
    State(state): State<Shared>,
    Path(camera): Path<String>,
) -> Result<Json<Value>, Refusal> {
    let name = camera.clone();
    let found = config("reading the camera", |wake| {
        state.engine.config.camera(&name, Some(wake))
    })
    .await?;
    Ok(Json(answer(&camera, &found.policy)))
}

async fn change(
    me: SignedIn,
    State(state): State<Shared>,
    Path(camera): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, Refusal> {
    me.may(
        me.user.role.can_change_config(),
        "change recording policies",
    )?;
    let fields = object(&body, FIELDS, r#"{"mode": "events", "pre_event_s": 10}"#)?;
    let name = camera.clone();
    let found = config("reading the camera", |wake| {
        state.engine.config.camera(&name, Some(wake))
    })
    .await?;
    let before = found.policy;
    let policy = merged(&before, &fields)?;
    let (id, stored) = (found.camera.id, policy.clone());
    config("saving the policy", |wake| {
        state.engine.config.set_policy(id, stored, Some(wake))
    })
    .await?;
    let detail = format!(
        "camera {}: {}",
        printable(&camera),
        differences(&before, &policy)
    );
    audit(&state, &me, "policy.set", detail).await?;
    Ok(Json(answer(&camera, &policy)))
}

/// `base` with the fields the request gives (the model validates the whole when stored).
pub fn merged(base: &Policy, fields: &Map<String, Value>) -> Result<Policy, Refusal> {
    let mut p = base.clone();
    for (key, value) in fields {
        match key.as_str() {
            "mode" => {
                let raw = value.as_str().ok_or_else(|| {
                    Refusal::bad_request("mode must be one of off, continuous, events or both")
                })?;
                p.mode = RecordMode::parse(raw).map_err(|e| Refusal::bad_request(e.0))?;
            }
            "segment_s" => p.segment_s = seconds(key, value)?,
            "pre_event_s" => p.pre_event_s = seconds(key, value)?,
            "post_event_s" => p.post_event_s = seconds(key, value)?,
            "max_clip_s" => p.max_clip_s = seconds(key, value)?,
            "retain_days" => p.retain_days = days(key, value)?,
            "event_retain_days" => p.event_retain_days = days(key, value)?,
            "max_bytes" if value.is_null() => p.max_bytes = None,
            "max_bytes" => {
                p.max_bytes = Some(value.as_u64().ok_or_else(|| {
                    Refusal::bad_request(format!(
                        "max_bytes must be a whole number of bytes, or null for no cap, not {}",
                        shown_value(value)
                    ))
                })?)
            }
            other => {
                return Err(Refusal::bad_request(format!(
                    "'{}' is not a policy field",
                    shown(other)
                )))
            }
        }
    }
    Ok(p)
}

fn seconds(key: &str, value: &Value) -> Result<u32, Refusal> {
    value
        .as_u64()
        .and_then(|v| u32::try_from(v).ok())
        .ok_or_else(|| {
            Refusal::bad_request(format!(
                "{key} must be a whole number of seconds, not {}",
                shown_value(value)
            ))
        })
}

fn days(key: &str, value: &Value) -> Result<f64, Refusal> {
    value.as_f64().ok_or_else(|| {
        Refusal::bad_request(format!(
            "{key} must be a number of days, not {}",
            shown_value(value)
        ))
    })
}

/// What changed, field by field (`mode continuous → events; pre_event_s 10 → 5`), for the
/// audit trail.
pub fn differences(before: &Policy, after: &Policy) -> String {
    let (a, b) = (json!(before), json!(after));
    let changed: Vec<String> = FIELDS
        .iter()
        .filter(|f| a[**f] != b[**f])
        .map(|f| format!("{f} {} → {}", a[*f], b[*f]).replace('"', ""))
        .collect();
    if changed.is_empty() {
        "saved unchanged".to_string()
    } else {
        changed.join("; ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(json: &str) -> Map<String, Value> {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn given_fields_change_the_rest_stay() {
        let base = Policy::default();
        let p = merged(
            &base,
            &fields(r#"{"mode": "both", "pre_event_s": 5, "max_bytes": 1000, "retain_days": 1.5}"#),
        )
        .unwrap();
        assert_eq!(p.mode, RecordMode::Both);
        assert_eq!((p.pre_event_s, p.max_bytes), (5, Some(1000)));
        assert_eq!(p.retain_days, 1.5);
        assert_eq!(p.post_event_s, base.post_event_s);
        let none = merged(&p, &fields(r#"{"max_bytes": null}"#)).unwrap();
        assert_eq!(none.max_bytes, None);
        assert_eq!(
            differences(&base, &p),
            "mode continuous → both; retain_days 7.0 → 1.5; max_bytes null → 1000; \
             pre_event_s 10 → 5"
        );
        assert_eq!(differences(&p, &p), "saved unchanged");
    }

    #[test]
    fn malformed_values_are_refused_in_words() {
        let base = Policy::default();
        let e = |json: &str| merged(&base, &fields(json)).unwrap_err().message;
        assert_eq!(
            e(r#"{"mode": "sometimes"}"#),
            "recording mode 'sometimes' is unknown; use off, continuous, events or both"
        );
        assert_eq!(
            e(r#"{"pre_event_s": -1}"#),
            "pre_event_s must be a whole number of seconds, not -1"
        );
        assert!(e(r#"{"retain_days": "week"}"#).contains("number of days"));
        assert!(e(r#"{"max_bytes": 1.5}"#).contains("null for no cap"));
    }
}
