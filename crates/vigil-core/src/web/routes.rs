//! The web viewer's routes and the headers on every answer. Until accounts exist nothing but
//! the login page and a health check is served: every other path answers 401, so no camera,
//! picture or recording can be reached without signing in.

use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};

use crate::net::http::json_error;

const LOGIN_HTML: &str = include_str!("assets/login.html");
const LOGIN_CSS: &str = include_str!("assets/login.css");

/// The routes: `GET /` and `GET /login` the login page (`GET /login.css` its style sheet),
/// `POST /login` (503 until accounts exist), `GET /healthz` "ok"; anything else 401.
pub fn router() -> Router {
    Router::new()
        .route("/", get(login_page))
        .route("/login", get(login_page).post(sign_in))
        .route("/login.css", get(login_css))
        .route("/healthz", get(healthz))
        .fallback(|| async { json_error(StatusCode::UNAUTHORIZED, "sign in first: /login") })
}

async fn login_page() -> Html<&'static str> {
    Html(LOGIN_HTML)
}

async fn login_css() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        LOGIN_CSS,
    )
        .into_response()
}

async fn sign_in() -> Response {
    json_error(
        StatusCode::SERVICE_UNAVAILABLE,
        "signing in from a browser is not built yet: the web viewer's accounts exist (`vigil user add`), its pages come next",
    )
}

async fn healthz() -> &'static str {
    "ok"
}

/// Headers for every answer: a content security policy allowing only this origin's own
/// resources and no framing, no MIME sniffing, no referrer, no caching, and (with TLS) HSTS.
pub fn security_headers(tls: bool) -> HeaderMap {
    let mut h = HeaderMap::new();
    let mut set = |name: HeaderName, value: &'static str| {
        h.insert(name, HeaderValue::from_static(value));
    };
    set(
        header::CONTENT_SECURITY_POLICY,
        "default-src 'self'; base-uri 'none'; object-src 'none'; form-action 'self'; \
         frame-ancestors 'none'",
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

    #[test]
    fn the_login_page_fits_a_phone_and_loads_nothing_foreign() {
        assert!(LOGIN_HTML.contains("width=device-width"));
        assert!(LOGIN_HTML.contains(r#"<form method="post" action="/login""#));
        assert!(!LOGIN_HTML.contains("<script"), "no script yet");
        assert!(
            !LOGIN_HTML.contains("style="),
            "inline styles break the CSP"
        );
        assert!(!LOGIN_HTML.contains("http"), "nothing from another origin");
    }
}
