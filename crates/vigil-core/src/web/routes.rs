//! The web viewer's routes, put together from each area's router, and the headers on every
//! answer. Without a session only the login page, its style sheet and a health check are
//! served: everything else answers 401 (or sends a browser to the login page).

use axum::Router;
use http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};

use super::refusal::Refusal;
use super::session::SignedIn;
use super::state::Shared;
use super::{
    admin_camera_remove, admin_camera_test, admin_cameras, admin_users, audit, cameras, events,
    export, i18n, live, login, pages, policy, recorded, trigger, zones,
};
use crate::net::http::json_error;

/// Every route: each area of the viewer adds its own router here. Anything else answers
/// 401 (nothing is revealed about what exists without a session).
pub fn router(state: Shared) -> Router {
    Router::new()
        .merge(login::routes())
        .merge(pages::routes())
        .merge(i18n::routes())
        .merge(trigger::routes())
        .merge(audit::routes())
        .merge(cameras::routes())
        .merge(admin_cameras::routes())
        .merge(admin_camera_remove::routes())
        .merge(admin_camera_test::routes())
        .merge(admin_users::routes())
        .merge(live::routes())
        .merge(events::routes())
        .merge(export::routes())
        .merge(recorded::routes())
        .merge(policy::routes())
        .merge(zones::routes())
        .route("/healthz", axum::routing::get(healthz))
        // After every route: a method a route does not serve answers 401 too without a
        // session (nothing is revealed about what exists), 405 with one.
        .method_not_allowed_fallback(method_not_allowed)
        .fallback(|| async { json_error(StatusCode::UNAUTHORIZED, "sign in first: /login") })
        .with_state(state)
}

async fn method_not_allowed(me: Result<SignedIn, Refusal>) -> Refusal {
    match me {
        Ok(_) => Refusal::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "this address does not take that method",
        ),
        Err(refused) => refused,
    }
}

async fn healthz() -> &'static str {
    "ok"
}

/// Headers for every answer: a content security policy allowing only this origin's own
/// resources (and media from `blob:` URLs the page makes itself: Media Source Extensions)
/// and no framing, no MIME sniffing, no referrer, no caching, and (with TLS) HSTS.
pub fn security_headers(tls: bool) -> HeaderMap {
    let mut h = HeaderMap::new();
    let mut set = |name: HeaderName, value: &'static str| {
        h.insert(name, HeaderValue::from_static(value));
    };
    set(
        header::CONTENT_SECURITY_POLICY,
        "default-src 'self'; media-src 'self' blob:; base-uri 'none'; object-src 'none'; \
         form-action 'self'; frame-ancestors 'none'",
    );
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::REFERRER_POLICY, "no-referrer");
    set(header::X_FRAME_OPTIONS, "DENY");
    set(header::CACHE_CONTROL, "no-store");
    if tls {
        set(header::STRICT_TRANSPORT_SECURITY, "max-age=31536000");
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hsts_only_with_tls_and_framing_refused_always() {
        for tls in [false, true] {
            let h = security_headers(tls);
            assert_eq!(h.contains_key(header::STRICT_TRANSPORT_SECURITY), tls);
            let csp = h[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
            assert!(csp.starts_with("default-src 'self'"), "{csp}");
            assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
            assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
            assert_eq!(h[header::REFERRER_POLICY], "no-referrer");
        }
    }
}
