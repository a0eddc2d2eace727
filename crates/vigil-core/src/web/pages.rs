//! The pages and files the browser loads: the app shell at `/` (signed-in users; others are
//! sent to the login page) and the static files under `/static/` served from the binary
//! (signed-in users only, except what a browser fetches without cookies: the login page's
//! style sheet, the web-app manifest and its icons).

use axum::extract::{FromRequestParts, Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use http::request::Parts;
use http::{header, StatusCode};

use super::session::SignedIn;
use super::state::Shared;
use crate::net::http::json_error;

const APP_HTML: &str = include_str!("assets/app.html");

/// A file served from the binary.
pub struct Asset {
    pub name: &'static str,
    pub mime: &'static str,
    pub body: &'static [u8],
    /// Served without a session.
    pub public: bool,
}

macro_rules! asset {
    ($name:literal, $mime:expr, $public:expr) => {
        Asset {
            name: $name,
            mime: $mime,
            body: include_bytes!(concat!("assets/", $name)),
            public: $public,
        }
    };
}

const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";
const PNG: &str = "image/png";
const MANIFEST: &str = "manifest.webmanifest";

/// Every static file (one line per file; each front-end area adds its own).
pub const ASSETS: &[Asset] = &[
    asset!("login.css", CSS, true),
    // The viewer's words and the login page's script: the login page needs them.
    asset!("i18n.js", JS, true),
    asset!("login.js", JS, true),
    asset!("app.css", CSS, false),
    asset!("app.js", JS, false),
    asset!("live.js", JS, false),
    asset!("live-stream.js", JS, false),
    asset!("live.css", CSS, false),
    asset!("camera.js", JS, false),
    asset!("camera-play.js", JS, false),
    asset!("camera.css", CSS, false),
    asset!("events.js", JS, false),
    asset!("audit.js", JS, false),
    asset!("audit.css", CSS, false),
    asset!("settings.js", JS, false),
    asset!("zones.js", JS, false),
    asset!("settings.css", CSS, false),
    asset!("admin.js", JS, false),
    asset!("admin-cameras.js", JS, false),
    asset!("admin.css", CSS, false),
    // The installable web app: a browser fetches the manifest and icons without cookies.
    // The PNGs are rendered from icon.svg (tests/engine/web_browser.rs, `render_icons`).
    asset!("manifest.webmanifest", "application/manifest+json", true),
    asset!("icon.svg", "image/svg+xml", true),
    asset!("icon-192.png", PNG, true),
    asset!("icon-512.png", PNG, true),
    asset!("apple-touch-icon.png", PNG, true),
    asset!("events.css", CSS, false),
];

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/", get(app_page))
        .route("/login.css", get(login_css))
        .route("/manifest.webmanifest", get(manifest))
        .route("/static/{file}", get(static_file))
}

async fn app_page(State(state): State<Shared>, mut parts: Parts) -> Response {
    match SignedIn::from_request_parts(&mut parts, &state).await {
        Ok(_) => Html(APP_HTML).into_response(),
        Err(_) => Redirect::to("/login").into_response(),
    }
}

async fn login_css() -> Response {
    serve(find("login.css"))
}

async fn manifest() -> Response {
    serve(find(MANIFEST))
}

async fn static_file(
    State(state): State<Shared>,
    Path(file): Path<String>,
    mut parts: Parts,
) -> Response {
    let asset = find(&file);
    // Without a session, an unknown name is refused like a private one: nothing is
    // revealed about which files exist.
    if !asset.is_some_and(|a| a.public) {
        if let Err(refused) = SignedIn::from_request_parts(&mut parts, &state).await {
            return refused.into_response();
        }
    }
    serve(asset)
}

fn find(name: &str) -> Option<&'static Asset> {
    ASSETS.iter().find(|a| a.name == name)
}

fn serve(asset: Option<&'static Asset>) -> Response {
    match asset {
        Some(a) => ([(header::CONTENT_TYPE, a.mime)], a.body).into_response(),
        None => json_error(StatusCode::NOT_FOUND, "no such file"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_and_styles_have_their_types_and_names_are_unique() {
        for a in ASSETS {
            let want = match a.name.rsplit('.').next() {
                Some("js") => JS,
                Some("css") => CSS,
                _ => a.mime,
            };
            assert_eq!(a.mime, want, "{}", a.name);
            assert_eq!(ASSETS.iter().filter(|b| b.name == a.name).count(), 1);
            if a.mime == PNG {
                continue;
            }
            // An SVG names its XML namespace with a URL; nothing is fetched from it.
            let text = String::from_utf8_lossy(a.body).replace("http://www.w3.org/2000/svg", "");
            assert!(
                !text.contains("http://") && !text.contains("https://"),
                "{}",
                a.name
            );
        }
        assert!(APP_HTML.contains("width=device-width"));
        assert!(!APP_HTML.contains("style="), "inline styles break the CSP");
    }
}
