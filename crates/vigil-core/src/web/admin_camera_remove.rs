//! `DELETE /api/cameras/{camera}?delete_recordings=true`: removes a camera the way
//! `vigil camera remove` does. A camera with recordings is refused (before anything changes)
//! unless `delete_recordings` is set; otherwise the camera is disabled first and removed only
//! once the engine says it has stopped it (its open segment finished and indexed), so nothing
//! is written into what is being deleted. Audited as `camera.remove`.

use std::time::{Duration, Instant};

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::routing::delete;
use axum::Router;
use http::StatusCode;
use serde::Deserialize;

use super::admin_cameras::{action, audit, config_job, has_recordings, WHAT};
use super::refusal::Refusal;
use super::session::SignedIn;
use super::state::{blocking, Shared};
use crate::model::text::printable;

/// How long the engine gets to stop the camera (it finishes the open segment first).
const STOP_DEADLINE: Duration = Duration::from_secs(30);

pub fn routes() -> Router<Shared> {
    Router::new().route("/api/cameras/{camera}", delete(remove))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RemoveQuery {
    #[serde(default)]
    delete_recordings: bool,
}

pub async fn remove(
    me: SignedIn,
    State(state): State<Shared>,
    Path(name): Path<String>,
    query: Result<Query<RemoveQuery>, QueryRejection>,
) -> Result<StatusCode, Refusal> {
    me.may(me.user.role.can_change_config(), WHAT)?;
    let Query(q) = query.map_err(|e| Refusal::bad_request(e.body_text()))?;
    let config = state.engine.config.clone();
    let stored = config_job(|w| config.camera(&name, Some(w))).await?;
    let (count, bytes) = stored.usage;
    if count > 0 && !q.delete_recordings {
        // Said before anything changes (the camera is not even disabled).
        return Err(has_recordings(&name, count, bytes));
    }
    if stored.camera.enabled {
        config_job(|w| config.set_enabled(&name, false, Some(w))).await?;
    }
    wait_stopped(&state, stored.camera.id, &name).await?;
    let delete = q.delete_recordings;
    let removed = config_job(|w| config.remove_camera(&name, delete, Some(w))).await;
    if let Err(refused) = removed {
        let left = if stored.camera.enabled {
            " (it is left disabled)"
        } else {
            ""
        };
        return Err(Refusal::new(
            refused.status,
            format!("{}{left}", refused.message),
        ));
    }
    let detail = match (delete, count) {
        (true, n) if n > 0 => format!("{name} and its {n} recordings"),
        _ => name.clone(),
    };
    tracing::info!(user = %printable(&me.user.name), address = %me.address,
        detail = %detail, "camera removed from the web viewer");
    audit(&state, &me, action::REMOVE, detail).await;
    Ok(StatusCode::NO_CONTENT)
}

/// Waits until the engine no longer runs camera `id` (it notes the cameras it runs after
/// applying each change), or refuses after [`STOP_DEADLINE`].
async fn wait_stopped(state: &Shared, id: i64, name: &str) -> Result<(), Refusal> {
    let deadline = Instant::now() + STOP_DEADLINE;
    loop {
        let running = blocking(state, move |s| s.accounts().library().camera_is_running(id))
            .await?
            .map_err(|e| Refusal::unavailable("checking whether the camera stopped", &e))?;
        if !running {
            return Ok(());
        }
        if Instant::now() >= deadline {
            return Err(Refusal::unavailable(
                "removing the camera",
                &format!(
                    "the recorder has not stopped camera '{name}' within {} s; it is left \
                     disabled and nothing was removed; try again in a moment",
                    STOP_DEADLINE.as_secs()
                ),
            ));
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
