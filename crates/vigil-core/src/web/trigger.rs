//! Triggers from the web server: `POST /api/v1/cameras/{name}/trigger` with the same JSON body
//! (`{"label": "door", "hold_s": 10}`, both optional) and answers as the local API server's
//! endpoint, for operators and admins — scripts with an API token (`Authorization: Bearer`),
//! pages with their session and CSRF token. Delivered on the engine's event bus like motion.
//! Triggers are frequent: each is logged, not audited.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::post;
use axum::Router;

use super::refusal::Refusal;
use super::session::SignedIn;
use super::state::Shared;
use crate::model::text::printable;
use crate::service::fire_trigger;

pub fn routes() -> Router<Shared> {
    Router::new().route("/api/v1/cameras/{name}/trigger", post(trigger))
}

async fn trigger(
    me: SignedIn,
    State(state): State<Shared>,
    Path(camera): Path<String>,
    body: Body,
) -> Result<Response, Refusal> {
    me.may(me.user.role.can_trigger(), "fire triggers")?;
    let answer = fire_trigger(&state.engine.bus, &camera, body).await;
    tracing::info!(
        user = %printable(&me.user.name),
        address = %me.address,
        camera = %printable(&camera),
        status = answer.status().as_u16(),
        "trigger from the web server"
    );
    Ok(answer)
}
