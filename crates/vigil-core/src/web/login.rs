//! Signing in and out: the login page (with the reason a sign-in failed), `POST /login`
//! (throttled per account and address, audited), the session cookie, `POST /logout`, and
//! `GET /api/me` (who is signed in, their role and the page's CSRF token).

use std::time::Instant;

use axum::extract::{Form, State};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use http::request::Parts;
use http::{header, StatusCode};
use serde::Deserialize;

use super::accounts::{AccountError, NewSession, User};
use super::session::{
    check_origin, cleared_cookie, client_ip, credential, session_cookie, SignedIn,
};
use super::state::{blocking, Shared, WebState};

const LOGIN_HTML: &str = include_str!("assets/login.html");
/// Where the page says why the last sign-in failed.
const MESSAGE_SLOT: &str = "<!--message-->";

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/login", get(login_page).post(sign_in))
        .route("/logout", post(sign_out))
        .route("/api/me", get(me))
}

#[derive(Deserialize)]
pub struct LoginForm {
    name: String,
    password: String,
}

async fn login_page() -> Html<String> {
    Html(login_html(None))
}

/// The login page, with a message when there is one (escaped: it may quote nothing the
/// user typed, but stays safe if it ever does).
pub fn login_html(message: Option<&str>) -> String {
    keyed_login_html(message, None)
}

/// The login page with a message whose words the page may show in its language: `key`, a
/// message of the web catalogue (`data-i18n`; the English sentence stays without script).
fn keyed_login_html(message: Option<&str>, key: Option<&str>) -> String {
    let key = key
        .map(|k| format!(r#" data-i18n="{k}""#))
        .unwrap_or_default();
    match message {
        None => LOGIN_HTML.replace(MESSAGE_SLOT, ""),
        Some(m) => LOGIN_HTML.replace(
            MESSAGE_SLOT,
            &format!(r#"<p class="error" role="alert"{key}>{}</p>"#, escape(m)),
        ),
    }
}

async fn sign_in(
    State(state): State<Shared>,
    parts: Parts,
    Form(form): Form<LoginForm>,
) -> Response {
    if let Err(refused) = check_origin(&parts.headers) {
        return refused.into_response();
    }
    let address = client_ip(&parts).to_string();
    let outcome = blocking(&state, move |s| login(s, &form, &address)).await;
    match outcome {
        Ok(Ok((_, session))) => signed_in(&state, &session),
        Ok(Err(e)) => failed(&e),
        Err(refused) => refused.into_response(),
    }
}

fn login(
    s: &WebState,
    form: &LoginForm,
    address: &str,
) -> Result<(User, NewSession), AccountError> {
    let mut accounts = s.accounts();
    let user = {
        let mut throttle = s.throttle();
        accounts.login(
            &mut throttle,
            &form.name,
            &form.password,
            address,
            Instant::now(),
        )?
    };
    let session = accounts.create_session(&user, Some(address), s.session_idle)?;
    Ok((user, session))
}

fn signed_in(state: &WebState, session: &NewSession) -> Response {
    let cookie = session_cookie(
        session.token.as_str(),
        state.session_idle.as_secs(),
        state.tls,
    );
    (
        StatusCode::SEE_OTHER,
        [
            (header::LOCATION, "/".to_string()),
            (header::SET_COOKIE, cookie),
        ],
    )
        .into_response()
}

fn failed(e: &AccountError) -> Response {
    let status = match e {
        AccountError::LoginFailed => StatusCode::UNAUTHORIZED,
        AccountError::Throttled(_) => StatusCode::TOO_MANY_REQUESTS,
        _ => {
            tracing::error!(error = %e, "web sign-in failed");
            StatusCode::SERVICE_UNAVAILABLE
        }
    };
    // The usual refusal in the viewer's words; the others as the server says them.
    let key = matches!(e, AccountError::LoginFailed).then_some("web-login-failed");
    (status, Html(keyed_login_html(Some(&e.to_string()), key))).into_response()
}

/// Ends the session (audited) and clears the cookie. Needs the CSRF token like any change.
async fn sign_out(State(state): State<Shared>, me: SignedIn) -> Response {
    let token = me.credential.token().to_string();
    let address = me.address.clone();
    let ended = blocking(&state, move |s| {
        s.accounts().end_session(&token, Some(&address))
    })
    .await;
    if let Ok(Err(e)) = &ended {
        tracing::error!(error = %e, "cannot end a web session");
    }
    let cleared = cleared_cookie(state.tls);
    (StatusCode::NO_CONTENT, [(header::SET_COOKIE, cleared)]).into_response()
}

/// Who is signed in: `{"name", "role", "csrf", "may": {...}}`.
async fn me(me: SignedIn) -> Json<serde_json::Value> {
    let role = me.user.role;
    Json(serde_json::json!({
        "name": me.user.name,
        "role": role.as_str(),
        "csrf": me.csrf(),
        "may": {
            "export": role.can_export(),
            "manage_events": role.can_manage_events(),
            "trigger": role.can_trigger(),
            "change_config": role.can_change_config(),
            "manage_users": role.can_manage_users(),
        },
    }))
}

/// Whether the request carries a session cookie or token at all (pages redirect to the
/// login page when it does not; the session itself is checked by [`SignedIn`]).
pub fn has_credential(parts: &Parts) -> bool {
    credential(&parts.headers).is_some()
}

/// Escapes text for HTML.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_login_page_fits_a_phone_loads_nothing_foreign_and_escapes_its_message() {
        let page = login_html(Some("<b>wrong</b> & \"x\""));
        assert!(page.contains("width=device-width"));
        assert!(page.contains(r#"<form method="post" action="/login""#));
        assert!(
            page.contains("&lt;b&gt;wrong&lt;/b&gt; &amp; &quot;x&quot;"),
            "{page}"
        );
        assert!(!login_html(None).contains(MESSAGE_SLOT));
        // Only its own script files (the words in the viewer's language): nothing inline.
        for script in LOGIN_HTML.split("<script").skip(1) {
            assert!(
                script.starts_with(r#" type="module" src="/static/"#),
                "no inline script: {script}"
            );
        }
        assert!(
            !LOGIN_HTML.contains("style="),
            "inline styles break the CSP"
        );
        assert!(!LOGIN_HTML.contains("http"), "nothing from another origin");
    }
}
