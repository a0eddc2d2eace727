//! Who is asking: the session cookie (browsers) or a bearer token (scripts) turned into a
//! signed-in user, the cookie itself, the CSRF token that every state-changing browser
//! request must carry, the same-origin check, and role checks with a sentence for refusals.

use std::net::IpAddr;

use axum::extract::FromRequestParts;
use base64ct::{Base64UrlUnpadded, Encoding};
use http::request::Parts;
use http::{header, HeaderMap, Method, StatusCode};
use sha2::{Digest, Sha256};

use super::accounts::{Actor, User};
use super::refusal::Refusal;
use super::state::{blocking, Shared};
use crate::net::http::PeerAddr;

/// The session cookie's name.
pub const COOKIE: &str = "vigil_session";
/// The header carrying the CSRF token on state-changing browser requests.
pub const CSRF_HEADER: &str = "x-vigil-csrf";

/// How the request proved who it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    /// The browser's session cookie (the token inside).
    Cookie(String),
    /// `Authorization: Bearer …` (scripts; no cookie, so no CSRF risk).
    Bearer(String),
}

impl Credential {
    pub fn token(&self) -> &str {
        match self {
            Credential::Cookie(t) | Credential::Bearer(t) => t,
        }
    }
}

/// A signed-in request: its user and where it comes from. As an extractor it refuses with
/// 401 (no or ended session), or 403 (another origin, or a state-changing browser request
/// without the CSRF token).
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub user: User,
    /// The client's IP address, for logs and the audit trail.
    pub address: String,
    pub credential: Credential,
}

impl SignedIn {
    /// The user and address for the audit trail.
    pub fn actor(&self) -> Actor<'_> {
        Actor {
            user: Some(&self.user.name),
            address: Some(&self.address),
        }
    }

    /// Refuses with 403 and a sentence unless the user's role allows it, e.g.
    /// `me.may(me.user.role.can_export(), "download exports")?`.
    pub fn may(&self, allowed: bool, what: &str) -> Result<(), Refusal> {
        if allowed {
            return Ok(());
        }
        let msg = format!(
            "your account ({}) is a {}, which may not {what}",
            self.user.name,
            self.user.role.as_str()
        );
        Err(Refusal::new(StatusCode::FORBIDDEN, msg))
    }

    /// The CSRF token of this request's session (what `/api/me` hands the page).
    pub fn csrf(&self) -> String {
        csrf_token(self.credential.token())
    }
}

impl FromRequestParts<Shared> for SignedIn {
    type Rejection = Refusal;

    async fn from_request_parts(parts: &mut Parts, state: &Shared) -> Result<Self, Refusal> {
        check_origin(&parts.headers)?;
        let Some(credential) = credential(&parts.headers) else {
            return Err(Refusal::new(
                StatusCode::UNAUTHORIZED,
                "sign in first: /login",
            ));
        };
        let cred = credential.clone();
        let found = blocking(state, move |s| match &cred {
            // A script's bearer token: an API token (no idle expiry) or a session's token.
            Credential::Bearer(t) => s.accounts().bearer(t),
            Credential::Cookie(t) => s.accounts().session(t),
        })
        .await?;
        let user = match found {
            Ok(Some(user)) => user,
            Ok(None) => {
                return Err(Refusal::new(
                    StatusCode::UNAUTHORIZED,
                    "your session has ended: sign in again at /login",
                ))
            }
            Err(e) => return Err(Refusal::unavailable("checking the session", &e)),
        };
        if let Credential::Cookie(token) = &credential {
            if changes_state(&parts.method) && !csrf_matches(&parts.headers, token) {
                return Err(Refusal::new(
                    StatusCode::FORBIDDEN,
                    "this request lacks the page's CSRF token: reload the page",
                ));
            }
        }
        Ok(SignedIn {
            user,
            address: client_ip(parts).to_string(),
            credential,
        })
    }
}

/// The client's IP address (unknown only when a test calls the router directly).
pub fn client_ip(parts: &Parts) -> IpAddr {
    parts
        .extensions
        .get::<PeerAddr>()
        .map_or(IpAddr::from([0, 0, 0, 0]), |p| p.0.ip())
}

/// The bearer token, else the session cookie.
pub fn credential(headers: &HeaderMap) -> Option<Credential> {
    if let Some(auth) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        if let Some(t) = auth.strip_prefix("Bearer ") {
            return Some(Credential::Bearer(t.trim().to_string()));
        }
    }
    cookie(headers, COOKIE).map(Credential::Cookie)
}

/// The value of cookie `name`, if the request carries it.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// The `Set-Cookie` value starting a session: HttpOnly, SameSite=Strict, for the whole
/// site, `Secure` over HTTPS (plain HTTP is served on loopback only).
pub fn session_cookie(token: &str, max_age_s: u64, tls: bool) -> String {
    let secure = if tls { "; Secure" } else { "" };
    format!("{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_s}{secure}")
}

/// The `Set-Cookie` value ending the session in the browser.
pub fn cleared_cookie(tls: bool) -> String {
    session_cookie("", 0, tls)
}

/// The CSRF token of a session: derived from the session token, which only that browser
/// holds (a page of another site can neither read it nor our answers).
pub fn csrf_token(session: &str) -> String {
    let digest = Sha256::digest(format!("vigil csrf {session}").as_bytes());
    Base64UrlUnpadded::encode_string(&digest)
}

fn csrf_matches(headers: &HeaderMap, session: &str) -> bool {
    let Some(sent) = headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let want = csrf_token(session);
    // Constant-time comparison: the token must not leak by timing.
    sent.len() == want.len()
        && sent
            .bytes()
            .zip(want.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

/// Whether a request of this method changes something (and so needs the CSRF token).
pub fn changes_state(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Refuses a request whose `Origin` is another site's (a browser always sends it with
/// WebSocket upgrades and state-changing requests; cookies travel with WebSockets whatever
/// SameSite says). No `Origin` (scripts, plain navigation) passes.
pub fn check_origin(headers: &HeaderMap) -> Result<(), Refusal> {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return Ok(());
    };
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let origin_host = origin
        .to_str()
        .ok()
        .and_then(|o| o.split_once("://"))
        .map(|(_, rest)| rest);
    match (origin_host, host) {
        (Some(o), Some(h)) if o.eq_ignore_ascii_case(h) => Ok(()),
        _ => Err(Refusal::new(
            StatusCode::FORBIDDEN,
            "requests from another site's pages are refused",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(
                http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                HeaderValue::from_str(v).unwrap(),
            );
        }
        h
    }

    #[test]
    fn the_bearer_token_wins_over_the_cookie_and_cookies_are_found_among_others() {
        let h = headers(&[("cookie", "a=1; vigil_session=abc; b=2")]);
        assert_eq!(credential(&h), Some(Credential::Cookie("abc".into())));
        let h = headers(&[
            ("cookie", "vigil_session=abc"),
            ("authorization", "Bearer xyz"),
        ]);
        assert_eq!(credential(&h), Some(Credential::Bearer("xyz".into())));
        assert_eq!(
            credential(&headers(&[("cookie", "vigil_sessionx=1")])),
            None
        );
    }

    #[test]
    fn the_cookie_is_http_only_strict_and_secure_over_https() {
        let c = session_cookie("tok", 60, true);
        assert_eq!(
            c,
            "vigil_session=tok; Path=/; HttpOnly; SameSite=Strict; Max-Age=60; Secure"
        );
        assert!(!session_cookie("tok", 60, false).contains("Secure"));
        assert!(cleared_cookie(true).contains("Max-Age=0"));
    }

    #[test]
    fn another_sites_origin_is_refused_and_ours_passes() {
        let ours = headers(&[
            ("host", "cam.local:8443"),
            ("origin", "https://cam.local:8443"),
        ]);
        assert!(check_origin(&ours).is_ok());
        let theirs = headers(&[
            ("host", "cam.local:8443"),
            ("origin", "https://evil.example"),
        ]);
        assert_eq!(
            check_origin(&theirs).unwrap_err().status,
            StatusCode::FORBIDDEN
        );
        let null = headers(&[("host", "cam.local:8443"), ("origin", "null")]);
        assert!(check_origin(&null).is_err());
        assert!(check_origin(&headers(&[("host", "x")])).is_ok());
    }

    #[test]
    fn the_csrf_token_is_the_sessions_own() {
        let t = csrf_token("session-a");
        assert_ne!(t, csrf_token("session-b"));
        assert!(csrf_matches(&headers(&[(CSRF_HEADER, &t)]), "session-a"));
        assert!(!csrf_matches(&headers(&[(CSRF_HEADER, &t)]), "session-b"));
        assert!(!csrf_matches(&headers(&[]), "session-a"));
        assert!(changes_state(&Method::POST) && changes_state(&Method::DELETE));
        assert!(!changes_state(&Method::GET));
    }
}
