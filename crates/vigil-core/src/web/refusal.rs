//! A refused web request: an HTTP status and a sentence for the person, answered as
//! `{"error": sentence}`. Handlers return `Result<_, Refusal>` and use `?`.

use axum::response::{IntoResponse, Response};
use http::StatusCode;

use crate::net::http::json_error;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub status: StatusCode,
    pub message: String,
}

impl Refusal {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }

    /// 400: the request itself is wrong (a malformed time, an unknown option).
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    /// 404: what was asked for does not exist (an unknown camera or event).
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message)
    }

    /// 503: the recorder cannot answer now (its library is busy or failing); logged.
    pub fn unavailable(what: &str, error: &dyn std::fmt::Display) -> Self {
        tracing::error!(error = %error, "web: {what} failed");
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!("the recorder could not finish {what}: {error}"),
        )
    }
}

/// A JSON body that cannot be read: 400 with serde's own words (which field, what is wrong).
impl From<axum::extract::rejection::JsonRejection> for Refusal {
    fn from(e: axum::extract::rejection::JsonRejection) -> Self {
        Self::bad_request(e.body_text())
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        json_error(self.status, &self.message)
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.status.as_u16(), self.message)
    }
}
