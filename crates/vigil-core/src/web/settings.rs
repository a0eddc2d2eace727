//! What the camera settings routes (`policy`, `zones`) share: running a configuration job
//! and turning its refusals into answers (an unknown camera or zone 404, the model's
//! validation 400, a duplicate zone name 409, anything else 503), reading a JSON object body
//! whose every field is known, and writing the change to the audit trail.

use axum::body::Bytes;
use serde_json::{Map, Value};

use super::events::lost;
use super::refusal::Refusal;
use crate::library::LibraryError;
use crate::model::text::printable;
use crate::service::{ConfigJob, ServiceError, Wake};
use crate::web::state::job_answer;

/// Runs a configuration job (a read or a change of the engine's `ConfigStore`) and waits for
/// its answer without holding a worker.
pub async fn config<T: Send + 'static>(
    what: &str,
    start: impl FnOnce(Wake) -> ConfigJob<T>,
) -> Result<T, Refusal> {
    job_answer(start)
        .await
        .ok_or_else(lost)?
        .map_err(|e| refusal(what, e))
}

/// A configuration job's error as an answer.
fn refusal(what: &str, e: ServiceError) -> Refusal {
    match e {
        ServiceError::Config(LibraryError::UnknownCamera(name)) => {
            Refusal::not_found(format!("there is no camera named '{}'", printable(&name)))
        }
        ServiceError::Config(e @ LibraryError::UnknownZone(_)) => {
            Refusal::not_found(printable(&e.to_string()).into_owned())
        }
        ServiceError::Config(LibraryError::Invalid(why)) => Refusal::bad_request(why.0),
        ServiceError::Config(e @ LibraryError::DuplicateZone(_)) => Refusal::new(
            http::StatusCode::CONFLICT,
            printable(&e.to_string()).into_owned(),
        ),
        other => Refusal::unavailable(what, &other),
    }
}

/// The body as a JSON object whose fields are all among `known` (400 with a sentence
/// otherwise: a typo must not be silently ignored).
pub fn object(body: &Bytes, known: &[&str], example: &str) -> Result<Map<String, Value>, Refusal> {
    let map = match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => map,
        _ => {
            return Err(Refusal::bad_request(format!(
                "send a JSON object like {example}"
            )))
        }
    };
    if let Some(unknown) = map.keys().find(|k| !known.contains(&k.as_str())) {
        return Err(Refusal::bad_request(format!(
            "'{}' is not a field here; use {}",
            shown(unknown),
            known.join(", ")
        )));
    }
    Ok(map)
}

/// A JSON value as a message shows it: short and printable.
pub fn shown(value: &str) -> String {
    printable(&value.chars().take(40).collect::<String>()).into_owned()
}

/// A JSON value (not a string) as a message shows it.
pub fn shown_value(value: &Value) -> String {
    shown(&value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_must_be_objects_of_known_fields() {
        let ok = object(&Bytes::from_static(br#"{"a": 1}"#), &["a", "b"], "{}").unwrap();
        assert_eq!(ok["a"], 1);
        let e = object(&Bytes::from_static(br#"{"c": 1}"#), &["a", "b"], "{}").unwrap_err();
        assert_eq!(e.message, "'c' is not a field here; use a, b");
        let e = object(&Bytes::from_static(b"[1]"), &["a"], "{\"a\": 1}").unwrap_err();
        assert_eq!(e.message, "send a JSON object like {\"a\": 1}");
    }

    #[test]
    fn library_refusals_become_statuses() {
        let r = |e: LibraryError| refusal("x", ServiceError::Config(e)).status.as_u16();
        assert_eq!(r(LibraryError::UnknownCamera("c".into())), 404);
        assert_eq!(r(LibraryError::UnknownZone("z".into())), 404);
        assert_eq!(r(LibraryError::DuplicateZone("z".into())), 409);
        assert_eq!(
            r(LibraryError::Invalid(crate::model::InvalidInput(
                "no".into()
            ))),
            400
        );
    }
}
