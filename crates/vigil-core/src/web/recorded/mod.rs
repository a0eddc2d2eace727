//! The one-camera page's server side: a camera's day timeline (recordings, gaps, event
//! markers) and playback of its recordings from an instant as a streamed fragmented MP4.
//! Library reads use a few connections of this area's own, kept between requests.

mod play;
mod timeline;

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use axum::routing::get;
use axum::{Extension, Router};

use super::refusal::Refusal;
use super::state::Shared;
use crate::library::{Library, LibraryError};

/// Idle library connections kept for the next request.
const IDLE_READERS: usize = 4;

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/api/cameras/{camera}/timeline", get(timeline::timeline))
        .route("/api/cameras/{camera}/play", get(play::play))
        .layer(Extension(Readers::default()))
}

/// Library connections for this area's reads (opening one checks the data directory and the
/// schema: too slow for every request).
#[derive(Clone, Default)]
pub(crate) struct Readers(Arc<Mutex<Vec<Library>>>);

impl Readers {
    /// Runs `read` on an idle connection (or a new one). Blocking: call off the async workers.
    pub(crate) fn with<T>(
        &self,
        data_dir: &Path,
        read: impl FnOnce(&Library) -> T,
    ) -> Result<T, LibraryError> {
        let idle = self.0.lock().unwrap_or_else(|p| p.into_inner()).pop();
        let lib = match idle {
            Some(lib) => lib,
            None => Library::open(data_dir)?,
        };
        let out = read(&lib);
        let mut idle = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if idle.len() < IDLE_READERS {
            idle.push(lib);
        }
        Ok(out)
    }
}

/// A time parameter of the query: UTC µs since the Unix epoch, as an integer.
pub(crate) fn time_param(query: &HashMap<String, String>, name: &str) -> Result<i64, Refusal> {
    let raw = query.get(name).map(|v| v.trim()).unwrap_or_default();
    if raw.is_empty() {
        return Err(Refusal::bad_request(format!(
            "the address needs '{name}': a time in microseconds since 1970 (UTC)"
        )));
    }
    raw.parse::<i64>()
        .ok()
        .filter(|us| (0..=4_102_444_800_000_000).contains(us))
        .ok_or_else(|| {
            Refusal::bad_request(format!(
                "'{name}' must be a time in microseconds since 1970 (UTC) before 2100, not '{}'",
                raw.chars().take(40).collect::<String>()
            ))
        })
}

/// A library failure as an answer: an unknown camera is 404, anything else 503.
pub(crate) fn library_refusal(camera: &str, e: &LibraryError) -> Refusal {
    match e {
        LibraryError::UnknownCamera(_) => {
            Refusal::not_found(format!("there is no camera named '{camera}'"))
        }
        other => Refusal::unavailable("reading the recordings", other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn times_are_integers_in_range_or_a_sentence() {
        assert_eq!(
            time_param(&q(&[("at", "1700000000000000")]), "at"),
            Ok(1_700_000_000_000_000)
        );
        for bad in ["", "yesterday", "-5", "1.5", "99999999999999999999"] {
            let e = time_param(&q(&[("at", bad)]), "at").unwrap_err();
            assert_eq!(e.status, http::StatusCode::BAD_REQUEST);
            assert!(e.message.contains("'at'"), "{}", e.message);
        }
        let e = time_param(&q(&[]), "from").unwrap_err();
        assert!(e.message.contains("needs 'from'"), "{}", e.message);
    }
}
