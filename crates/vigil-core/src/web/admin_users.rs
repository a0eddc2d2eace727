//! Admins manage users from the web viewer: `GET/POST /api/users`, `PATCH/DELETE
//! /api/users/{name}` (role, removal) and `PUT /api/users/{name}/password`. The rules are
//! [`Accounts`](super::Accounts)' (the same as `vigil user`'s): names and passwords checked
//! there, the last admin never removed nor demoted, a new password or a removal ending the
//! user's sessions (a removal their API tokens too), every change audited. Never a password
//! or its hash in an answer or a log line.

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::routing::{get, patch, put};
use axum::{Json, Router};
use http::StatusCode;
use serde::{Deserialize, Serialize};

use super::accounts::AccountError;
use super::refusal::Refusal;
use super::role::Role;
use super::session::SignedIn;
use super::state::{blocking, Shared};
use crate::model::text::printable;

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/api/users", get(list).post(add))
        .route("/api/users/{name}", patch(change_role).delete(remove))
        .route("/api/users/{name}/password", put(set_password))
}

/// A user as the administration page lists them.
#[derive(Debug, Serialize)]
pub struct UserView {
    pub name: String,
    pub role: Role,
    pub created_us: i64,
    /// When they last signed in (UTC µs); none if never.
    pub last_login_us: Option<i64>,
}

#[derive(Debug, Serialize)]
pub struct UserList {
    pub users: Vec<UserView>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    name: String,
    role: String,
    password: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleBody {
    role: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordBody {
    password: String,
}

const WHAT: &str = "manage users";

/// An account error as a refusal: the sentence is the rule's own.
fn refusal(e: AccountError) -> Refusal {
    let status = match &e {
        AccountError::Invalid(_) | AccountError::Password(_) => StatusCode::BAD_REQUEST,
        AccountError::UnknownUser(_) => StatusCode::NOT_FOUND,
        AccountError::DuplicateUser(_)
        | AccountError::LastAdmin(_)
        | AccountError::LastAdminRole(_) => StatusCode::CONFLICT,
        AccountError::Library(_) => return Refusal::unavailable("changing the users", &e),
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    Refusal::new(status, e.to_string())
}

async fn list(me: SignedIn, State(state): State<Shared>) -> Result<Json<UserList>, Refusal> {
    me.may(me.user.role.can_manage_users(), WHAT)?;
    let found = blocking(&state, |s| s.accounts().list_users_with_last_login()).await?;
    let users = found
        .map_err(refusal)?
        .into_iter()
        .map(|(u, last_login_us)| UserView {
            name: u.name,
            role: u.role,
            created_us: u.created_us,
            last_login_us,
        })
        .collect();
    Ok(Json(UserList { users }))
}

async fn add(
    me: SignedIn,
    State(state): State<Shared>,
    body: Result<Json<NewUser>, JsonRejection>,
) -> Result<(StatusCode, Json<UserView>), Refusal> {
    me.may(me.user.role.can_manage_users(), WHAT)?;
    let Json(new) = body?;
    let role = Role::parse(&new.role).map_err(|e| Refusal::bad_request(e.0))?;
    let by = me.clone();
    let added = blocking(&state, move |s| {
        s.accounts()
            .add_user(&new.name, role, &new.password, by.actor())
    })
    .await?
    .map_err(refusal)?;
    tracing::info!(user = %printable(&me.user.name), address = %me.address,
        added = %printable(&added.name), role = %added.role, "user added from the web viewer");
    let view = UserView {
        name: added.name,
        role: added.role,
        created_us: added.created_us,
        last_login_us: None,
    };
    Ok((StatusCode::CREATED, Json(view)))
}

async fn change_role(
    me: SignedIn,
    State(state): State<Shared>,
    Path(name): Path<String>,
    body: Result<Json<RoleBody>, JsonRejection>,
) -> Result<StatusCode, Refusal> {
    me.may(me.user.role.can_manage_users(), WHAT)?;
    let Json(body) = body?;
    let role = Role::parse(&body.role).map_err(|e| Refusal::bad_request(e.0))?;
    let by = me.clone();
    let target = name.clone();
    blocking(&state, move |s| {
        s.accounts().set_role(&target, role, by.actor())
    })
    .await?
    .map_err(refusal)?;
    tracing::info!(user = %printable(&me.user.name), address = %me.address,
        changed = %printable(&name), role = %role, "role changed from the web viewer");
    Ok(StatusCode::NO_CONTENT)
}

async fn set_password(
    me: SignedIn,
    State(state): State<Shared>,
    Path(name): Path<String>,
    body: Result<Json<PasswordBody>, JsonRejection>,
) -> Result<StatusCode, Refusal> {
    me.may(me.user.role.can_manage_users(), WHAT)?;
    let Json(body) = body?;
    let by = me.clone();
    let target = name.clone();
    blocking(&state, move |s| {
        let mut accounts = s.accounts();
        // An unknown name is said before the password's rules are.
        accounts.user(&target)?;
        accounts.set_password(&target, &body.password, by.actor())
    })
    .await?
    .map_err(refusal)?;
    tracing::info!(user = %printable(&me.user.name), address = %me.address,
        changed = %printable(&name), "password changed from the web viewer; their sessions ended");
    Ok(StatusCode::NO_CONTENT)
}

async fn remove(
    me: SignedIn,
    State(state): State<Shared>,
    Path(name): Path<String>,
) -> Result<StatusCode, Refusal> {
    me.may(me.user.role.can_manage_users(), WHAT)?;
    let by = me.clone();
    let target = name.clone();
    blocking(&state, move |s| {
        s.accounts().remove_user(&target, by.actor())
    })
    .await?
    .map_err(refusal)?;
    tracing::info!(user = %printable(&me.user.name), address = %me.address,
        removed = %printable(&name), "user removed from the web viewer with their sessions and tokens");
    Ok(StatusCode::NO_CONTENT)
}
