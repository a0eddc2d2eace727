//! Admins manage cameras from the web viewer: `GET /api/admin/cameras` (every camera with its
//! URLs masked, transport, enabled and recording state), `POST /api/cameras` (add, with the
//! command line's policy defaults) and `PATCH /api/cameras/{camera}` (edit, rename, enable,
//! disable). The fields follow the desktop dialog's rules ([`CameraForm`]): the user name and
//! password are fields of their own put into the stored URL, and a password is never sent to
//! the page; an edit without one keeps the stored one. Each change goes through the engine's
//! configuration store (the running engine applies it at once) and is audited
//! (`camera.add`, `camera.edit`, `camera.rename`, `camera.enable`, `camera.disable`) without
//! a password. Removal and the connection test: [`super::admin_camera_remove`],
//! [`super::admin_camera_test`].

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::routing::{get, patch, post};
use axum::{Json, Router};
use http::StatusCode;
use serde::{Deserialize, Serialize};

use super::refusal::Refusal;
use super::session::SignedIn;
use super::state::{blocking, job_answer, Shared};
use crate::jobs::{Job, Wake};
use crate::library::LibraryError;
use crate::model::camera_form::CameraForm;
use crate::model::secret::{mask_url, split_credentials};
use crate::model::text::printable;
use crate::model::time::now_us;
use crate::model::{Camera, CameraName, NewCamera, Policy, Transport};
use crate::service::{CameraConfig, ServiceError};

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/api/admin/cameras", get(list))
        .route("/api/cameras", post(add))
        .route("/api/cameras/{camera}", patch(edit))
}

/// What every camera route may refuse: changing the configuration is for admins.
pub const WHAT: &str = "change cameras";

/// Audit actions of camera changes.
pub mod action {
    pub const ADD: &str = "camera.add";
    pub const EDIT: &str = "camera.edit";
    pub const RENAME: &str = "camera.rename";
    pub const ENABLE: &str = "camera.enable";
    pub const DISABLE: &str = "camera.disable";
    pub const REMOVE: &str = "camera.remove";
}

/// A camera as the administration page shows and edits it: never its password.
#[derive(Debug, Serialize)]
pub struct AdminCamera {
    /// The camera's identifier (in URLs and topics).
    pub name: String,
    /// The name people see (any text, NFC).
    pub display_name: String,
    /// The URL with its password masked (`rtsp://admin:***@…`).
    pub url: String,
    /// The URL without user and password (the edit form's URL field).
    pub form_url: String,
    /// The user name in the URL (the edit form's user field); empty for none.
    pub user: String,
    /// Whether a password is stored (never the password).
    pub has_password: bool,
    pub detect_url: Option<String>,
    pub form_detect_url: String,
    pub transport: Transport,
    pub enabled: bool,
    /// The camera's sound is taken in (recorded, listened to).
    pub audio: bool,
    /// `connecting`, `connected`, `retrying`, `waiting`, `stopped`, `disabled`, or
    /// `unknown` until the engine has reported it.
    pub state: &'static str,
    pub recording: bool,
    pub offline_reason: Option<String>,
    /// Recordings on disk: how many and their bytes.
    pub recordings: u64,
    pub bytes: u64,
}

#[derive(Debug, Serialize)]
pub struct AdminCameraList {
    pub cameras: Vec<AdminCamera>,
}

/// A camera's fields as the page sends them; on an edit, what is left out stays as stored
/// and an empty password keeps the stored one.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct CameraFields {
    /// An identifier (renames the camera's identifier, and its display name when that was
    /// the identifier), or any other text (the display name alone).
    pub name: Option<String>,
    /// The name people see (any text).
    pub display_name: Option<String>,
    pub url: Option<String>,
    pub detect_url: Option<String>,
    pub user: Option<String>,
    pub password: Option<String>,
    pub transport: Option<String>,
    pub enabled: Option<bool>,
    /// Take in the camera's sound.
    pub audio: Option<bool>,
}

impl CameraFields {
    /// Puts these fields into `form` (a stored camera's, or an empty one).
    pub fn apply(self, form: &mut CameraForm) -> Result<(), Refusal> {
        if let Some(name) = self.name {
            if CameraName::parse(&name).is_ok() {
                if form.name.is_empty() || form.name == form.ident {
                    form.name.clone_from(&name);
                }
                form.ident = name;
            } else {
                form.name = name;
            }
        }
        if let Some(display) = self.display_name {
            form.name = display;
        }
        if let Some(url) = self.url {
            form.url = url;
        }
        if let Some(url) = self.detect_url {
            form.detect_url = url;
        }
        if let Some(t) = self.transport {
            form.transport = Transport::parse(&t).map_err(|e| Refusal::bad_request(e.0))?;
        }
        if let Some(user) = self.user {
            if user.is_empty() && self.password.as_deref().unwrap_or("").is_empty() {
                // No user: no credentials at all.
                form.password.clear();
            }
            form.user = user;
        }
        if let Some(password) = self.password.filter(|p| !p.is_empty()) {
            form.password = password;
        }
        if let Some(enabled) = self.enabled {
            form.enabled = enabled;
        }
        if let Some(audio) = self.audio {
            form.audio = audio;
        }
        Ok(())
    }
}

impl std::fmt::Debug for CameraFields {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CameraFields")
            .field("name", &self.name)
            .field("display_name", &self.display_name)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .finish_non_exhaustive()
    }
}

/// A configuration job's answer, or the refusal saying what went wrong.
pub async fn config_job<T: Send + 'static>(
    start: impl FnOnce(Wake) -> Job<Result<T, ServiceError>>,
) -> Result<T, Refusal> {
    match job_answer(start).await {
        Some(Ok(v)) => Ok(v),
        Some(Err(e)) => Err(service_refusal(e)),
        None => Err(Refusal::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the configuration change stopped unexpectedly; nothing may have been saved",
        )),
    }
}

fn service_refusal(e: ServiceError) -> Refusal {
    let ServiceError::Config(lib) = e else {
        return Refusal::unavailable("the configuration change", &e);
    };
    match lib {
        LibraryError::Invalid(i) => Refusal::bad_request(i.0),
        LibraryError::UnknownCamera(_) => Refusal::not_found(lib.to_string()),
        LibraryError::DuplicateCamera(_) => Refusal::new(StatusCode::CONFLICT, lib.to_string()),
        LibraryError::CameraHasRecordings { name, count, bytes } => {
            has_recordings(&name, count, bytes)
        }
        other => Refusal::unavailable("the configuration change", &other),
    }
}

/// 409: removing a camera with recordings needs "also delete its recordings".
pub fn has_recordings(name: &str, count: u64, bytes: u64) -> Refusal {
    Refusal::new(
        StatusCode::CONFLICT,
        format!(
            "camera '{name}' has {count} recordings ({:.1} MB); tick \"also delete its \
             recordings\" to remove them with it, or disable the camera instead",
            bytes as f64 / 1e6
        ),
    )
}

/// Writes an audit line as the signed-in admin.
pub async fn audit(state: &Shared, me: &SignedIn, action: &'static str, detail: String) {
    let by = me.clone();
    let written = blocking(state, move |s| {
        s.accounts().audit(by.actor(), action, &detail)
    })
    .await;
    if let Ok(Err(e)) = written {
        tracing::error!(error = %e, action, "the audit trail could not be written");
    }
}

async fn list(me: SignedIn, State(state): State<Shared>) -> Result<Json<AdminCameraList>, Refusal> {
    me.may(me.user.role.can_change_config(), WHAT)?;
    let config = state.engine.config.clone();
    let cameras = config_job(|w| config.cameras(Some(w))).await?;
    let cameras = cameras
        .iter()
        .map(|c| admin_view(c, seen(&state, c.camera.name.as_str())))
        .collect();
    Ok(Json(AdminCameraList { cameras }))
}

/// The camera's status as the live grid shows it, if the engine has reported it.
fn seen(state: &Shared, name: &str) -> Option<super::cameras::CameraView> {
    let status = state.engine.status.latest();
    let now = now_us();
    status
        .cameras
        .iter()
        .find(|s| s.name == name)
        .map(|s| super::cameras::view(s, now))
}

fn admin_view(c: &CameraConfig, seen: Option<super::cameras::CameraView>) -> AdminCamera {
    let cam = &c.camera;
    let (form_url, user, password) = split_credentials(&cam.url);
    let form_detect_url = cam
        .detect_url
        .as_deref()
        .map(|u| split_credentials(u).0)
        .unwrap_or_default();
    AdminCamera {
        name: cam.name.to_string(),
        display_name: cam.display_name.to_string(),
        url: cam.masked_url(),
        form_url,
        user,
        has_password: !password.is_empty(),
        detect_url: cam.detect_url.as_deref().map(mask_url),
        form_detect_url,
        transport: cam.transport,
        enabled: cam.enabled,
        audio: cam.audio,
        state: seen.as_ref().map_or("unknown", |v| v.state),
        recording: seen.as_ref().is_some_and(|v| v.recording),
        offline_reason: seen.and_then(|v| v.offline_reason),
        recordings: c.usage.0,
        bytes: c.usage.1,
    }
}

async fn add(
    me: SignedIn,
    State(state): State<Shared>,
    body: Result<Json<CameraFields>, JsonRejection>,
) -> Result<(StatusCode, Json<AdminCamera>), Refusal> {
    me.may(me.user.role.can_change_config(), WHAT)?;
    let Json(fields) = body?;
    let mut form = CameraForm::default();
    fields.apply(&mut form)?;
    let cam = form.to_new_camera().map_err(Refusal::bad_request)?;
    let display = form.display_name().map_err(Refusal::bad_request)?;
    let config = state.engine.config.clone();
    // The command line's defaults: continuous recording in 60-s segments, kept 7 days.
    let added =
        config_job(|w| config.add_named_camera(cam, display, Policy::default(), Some(w))).await?;
    let detail = format!("{}: {}", added.name, added.masked_url());
    tracing::info!(user = %printable(&me.user.name), address = %me.address, camera = %added.name,
        url = %added.masked_url(), "camera added from the web viewer");
    audit(&state, &me, action::ADD, detail).await;
    let stored = CameraConfig {
        camera: added,
        policy: Policy::default(),
        zones: Vec::new(),
        usage: (0, 0),
        objects: None,
        zone_objects: Vec::new(),
    };
    let seen = seen(&state, stored.camera.name.as_str());
    Ok((StatusCode::CREATED, Json(admin_view(&stored, seen))))
}

async fn edit(
    me: SignedIn,
    State(state): State<Shared>,
    Path(name): Path<String>,
    body: Result<Json<CameraFields>, JsonRejection>,
) -> Result<Json<AdminCamera>, Refusal> {
    me.may(me.user.role.can_change_config(), WHAT)?;
    let Json(fields) = body?;
    let config = state.engine.config.clone();
    let stored = config_job(|w| config.camera(&name, Some(w))).await?;
    let mut form = CameraForm::from_camera(&stored.camera);
    fields.apply(&mut form)?;
    let new = form.to_new_camera().map_err(Refusal::bad_request)?;
    let display = form.display_name().map_err(Refusal::bad_request)?;
    let mut changes = changes(&stored.camera, &new);
    let old_display = &stored.camera.display_name;
    // (A camera named by its identifier, renamed by it, is already in the list.)
    let followed = old_display.as_str() == stored.camera.name.as_str()
        && display.as_str() == new.name.as_str();
    if *old_display != display && !followed {
        changes.push((action::RENAME, format!("{old_display} → {display}")));
    }
    if changes.is_empty() {
        let seen = seen(&state, &name);
        return Ok(Json(admin_view(&stored, seen)));
    }
    let id = stored.camera.id;
    let saved = config_job(|w| config.update_named_camera(id, new, display, Some(w))).await?;
    for (action, detail) in changes {
        tracing::info!(user = %printable(&me.user.name), address = %me.address, action,
            detail = %detail, "camera changed from the web viewer");
        audit(&state, &me, action, detail).await;
    }
    let after = CameraConfig {
        camera: saved,
        ..stored
    };
    let seen = seen(&state, after.camera.name.as_str());
    Ok(Json(admin_view(&after, seen)))
}

/// The audit lines an edit makes: a rename, a switch on or off, and other settings (URLs
/// masked, never a password).
fn changes(old: &Camera, new: &NewCamera) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let (old_name, new_name) = (old.name.as_str(), new.name.as_str());
    if old_name != new_name {
        out.push((action::RENAME, format!("{old_name} → {new_name}")));
    }
    let mut what = Vec::new();
    if old.url != new.url {
        what.push(format!("URL {}", mask_url(&new.url)));
    }
    if old.detect_url != new.detect_url {
        let shown = new.detect_url.as_deref().map_or("none".into(), mask_url);
        what.push(format!("sub-stream URL {shown}"));
    }
    if old.transport != new.transport {
        what.push(format!("transport {}", new.transport.as_str()));
    }
    if old.audio != new.audio {
        what.push(format!("sound {}", if new.audio { "on" } else { "off" }));
    }
    if !what.is_empty() {
        out.push((action::EDIT, format!("{new_name}: {}", what.join(", "))));
    }
    if old.enabled != new.enabled {
        let action = if new.enabled {
            action::ENABLE
        } else {
            action::DISABLE
        };
        out.push((action, new_name.to_string()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DisplayName;

    fn camera(url: &str) -> Camera {
        Camera {
            id: 1,
            name: CameraName::parse("door").unwrap(),
            display_name: DisplayName::parse("door").unwrap(),
            url: url.into(),
            detect_url: None,
            transport: Transport::Tcp,
            enabled: true,
            created_us: 0,
            audio: false,
        }
    }

    #[test]
    fn an_edit_without_a_password_keeps_the_stored_one_and_says_no_password() {
        let stored = camera("rtsp://admin:hunter2@10.0.0.5/main");
        let mut form = CameraForm::from_camera(&stored);
        let fields = CameraFields {
            url: Some("rtsp://10.0.0.6/main".into()),
            password: Some(String::new()),
            name: Some("front".into()),
            enabled: Some(false),
            ..CameraFields::default()
        };
        fields.apply(&mut form).unwrap();
        let new = form.to_new_camera().unwrap();
        assert_eq!(new.url, "rtsp://admin:hunter2@10.0.0.6/main");
        let lines = changes(&stored, &new);
        let actions: Vec<_> = lines.iter().map(|(a, _)| *a).collect();
        assert_eq!(actions, [action::RENAME, action::EDIT, action::DISABLE]);
        let text = format!("{lines:?}");
        assert!(
            !text.contains("hunter2") && text.contains("admin:***@10.0.0.6"),
            "{text}"
        );
    }

    #[test]
    fn clearing_the_user_drops_the_credentials_and_a_new_password_replaces_the_old() {
        let stored = camera("rtsp://admin:hunter2@10.0.0.5/main");
        let mut form = CameraForm::from_camera(&stored);
        let clear = CameraFields {
            user: Some(String::new()),
            ..CameraFields::default()
        };
        clear.apply(&mut form).unwrap();
        assert_eq!(form.to_new_camera().unwrap().url, "rtsp://10.0.0.5/main");
        let mut form = CameraForm::from_camera(&stored);
        let new_pw = CameraFields {
            password: Some("n3w".into()),
            ..CameraFields::default()
        };
        assert!(!format!("{new_pw:?}").contains("n3w"));
        new_pw.apply(&mut form).unwrap();
        assert_eq!(
            form.to_new_camera().unwrap().url,
            "rtsp://admin:n3w@10.0.0.5/main"
        );
        let view = admin_view(
            &CameraConfig {
                camera: stored,
                policy: Policy::default(),
                zones: Vec::new(),
                usage: (3, 10),
                objects: None,
                zone_objects: Vec::new(),
            },
            None,
        );
        let json = serde_json::to_string(&view).unwrap();
        assert!(
            !json.contains("hunter2") && json.contains("\"has_password\":true"),
            "{json}"
        );
        assert!(
            json.contains("\"form_url\":\"rtsp://10.0.0.5/main\""),
            "{json}"
        );
    }
}
