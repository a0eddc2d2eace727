//! `POST /api/admin/cameras/test`: the camera form's "Test connection". Opens the URL (with
//! the user and password fields put in, or an edited camera's stored password when the field
//! is left empty) with short deadlines and answers the stream's codec, size and frame rate,
//! or why it cannot be used, in words and without the password. Admins only; nothing stored,
//! so nothing audited.

use axum::extract::rejection::JsonRejection;
use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use super::admin_cameras::{config_job, CameraFields, WHAT};
use super::refusal::Refusal;
use super::session::SignedIn;
use super::state::{job_answer, Shared};
use crate::model::camera_form::CameraForm;
use crate::service::probe::test_connection;

pub fn routes() -> Router<Shared> {
    Router::new().route("/api/admin/cameras/test", post(test))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestRequest {
    /// The camera being edited, whose stored password fills an empty password field.
    camera: Option<String>,
    url: Option<String>,
    user: Option<String>,
    password: Option<String>,
    transport: Option<String>,
}

/// What the test found: `ok` with the stream's summary, or `error` in words.
#[derive(Debug, Serialize)]
pub struct TestAnswer {
    pub ok: bool,
    pub codec: Option<String>,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub fps: Option<f64>,
    /// e.g. `h264 1280x720 at 25.00 fps`, or why the stream cannot be used.
    pub summary: String,
}

async fn test(
    me: SignedIn,
    State(state): State<Shared>,
    body: Result<Json<TestRequest>, JsonRejection>,
) -> Result<Json<TestAnswer>, Refusal> {
    me.may(me.user.role.can_change_config(), WHAT)?;
    let Json(req) = body?;
    let mut form = match &req.camera {
        Some(name) => {
            let config = state.engine.config.clone();
            let stored = config_job(|w| config.camera(name, Some(w))).await?;
            CameraForm::from_camera(&stored.camera)
        }
        None => CameraForm::default(),
    };
    let fields = CameraFields {
        url: req.url,
        user: req.user,
        password: req.password,
        transport: req.transport,
        ..CameraFields::default()
    };
    fields.apply(&mut form)?;
    let url = form.full_url().map_err(Refusal::bad_request)?;
    let transport = form.transport;
    let found = job_answer(|w| test_connection(&url, transport, Some(w)))
        .await
        .unwrap_or_else(|| Err("the connection test stopped unexpectedly".to_string()));
    Ok(Json(match found {
        Ok(s) => TestAnswer {
            ok: true,
            summary: s.to_string(),
            codec: Some(s.codec),
            width: Some(s.width),
            height: Some(s.height),
            fps: s.fps,
        },
        Err(why) => TestAnswer {
            ok: false,
            codec: None,
            width: None,
            height: None,
            fps: None,
            summary: why,
        },
    }))
}
