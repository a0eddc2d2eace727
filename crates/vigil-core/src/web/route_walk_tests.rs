//! Walks every route of the web viewer without a session: the routes are read from the web
//! module's source (every `.route("…"` in `src/web/`), so a new route cannot be forgotten;
//! each is requested with every method, its parameters filled with sample values, against a
//! real server on loopback. Only the login page and its style sheet, the health check, the
//! app shell's redirect to the login page, the public static files and the web viewer's
//! words (`/i18n/<lang>.json`) answer anything but 401; a forged bearer token or session cookie changes nothing. And a viewer (who only
//! watches) is refused every state-changing request but signing in and out.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};

use super::options::WebOptions;
use super::pages::ASSETS;
use super::server::WebServer;

const METHODS: &[&str] = &["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

/// Every path given to `.route(` in the web module's source files (this file left out).
fn routes_in_source() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/web");
    let mut files = Vec::new();
    rust_files(&dir, &mut files);
    let mut routes = Vec::new();
    for file in files {
        if file.ends_with("route_walk_tests.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(
            !text.contains(".nest(") && !text.contains(".route_service("),
            "{}: nested routers and services escape this walk; use .route",
            file.display()
        );
        for (at, _) in text.match_indices(".route(") {
            let rest = text[at + ".route(".len()..].trim_start();
            let path = rest
                .strip_prefix('"')
                .and_then(|r| r.split_once('"'))
                .map(|(p, _)| p.to_string())
                .unwrap_or_else(|| panic!("{}: a .route( without a literal path", file.display()));
            routes.push(path);
        }
    }
    routes.sort();
    routes.dedup();
    routes
}

/// The route with each `{param}` filled in: every static file's name (and an unknown one)
/// for `{file}`, a sample value for anything else.
fn samples(route: &str) -> Vec<String> {
    if route.contains("{file}") {
        let mut names: Vec<&str> = ASSETS.iter().map(|a| a.name).collect();
        names.push("nothing-here.js");
        return names.iter().map(|n| route.replace("{file}", n)).collect();
    }
    let mut out = String::new();
    let mut rest = route;
    while let Some((before, after)) = rest.split_once('{') {
        out.push_str(before);
        let (param, after) = after.split_once('}').expect("a closed {param}");
        out.push_str(match param.trim_start_matches('*') {
            "name" | "camera" => "cam",
            p if p.ends_with("id") => "1",
            _ => "sample",
        });
        rest = after;
    }
    out.push_str(rest);
    vec![out]
}

/// Whether `method path` may answer without a session.
fn open(method: &str, path: &str) -> bool {
    let public_file = path
        .strip_prefix("/static/")
        .is_some_and(|f| ASSETS.iter().any(|a| a.public && a.name == f));
    match method {
        "GET" | "HEAD" => {
            matches!(
                path,
                "/" | "/login" | "/login.css" | "/healthz" | "/manifest.webmanifest"
            ) || public_file
                // The web viewer's words (public: the login page needs them).
                || path.starts_with("/i18n/")
        }
        "POST" => path == "/login",
        _ => false,
    }
}

/// Routes where a viewer may change something: signing in and out.
const VIEWER_MAY_CHANGE: &[&str] = &["/login", "/logout"];

/// One request over plain HTTP; the status code.
fn status(addr: SocketAddr, method: &str, path: &str, extra: &str) -> u16 {
    request(addr, method, path, extra).0
}

/// One request over plain HTTP; the status code and the whole answer.
fn request(addr: SocketAddr, method: &str, path: &str, extra: &str) -> (u16, String) {
    // A login form (what a page of another site would post), harmless everywhere else.
    let body = "name=someone&password=some+pass+1";
    let mut s = TcpStream::connect(addr).unwrap();
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\n{extra}\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).unwrap();
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out).into_owned();
    let code = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("{method} {path}: no status in {text:?}"));
    (code, text)
}

/// A data directory with user `name` of `role`, and an API token of theirs.
fn with_user(role: super::Role) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let lib = crate::library::Library::open(dir.path()).unwrap();
    let mut acc = super::Accounts::new(lib);
    let cli = super::Actor::COMMAND_LINE;
    acc.add_user("someone", role, "some pass 1", cli).unwrap();
    let token = acc.add_api_token("someone", None, cli).unwrap().1;
    (dir, token.as_str().to_string())
}

#[test]
fn every_route_answers_401_without_a_session_but_the_login_page_and_public_files() {
    let routes = routes_in_source();
    for known in ["/api/me", "/api/v1/cameras/{name}/trigger", "/logout", "/"] {
        assert!(routes.iter().any(|r| r == known), "{known} in {routes:?}");
    }
    let dir = tempfile::tempdir().unwrap();
    let opts = WebOptions::new("127.0.0.1:0", None, true).unwrap();
    let web = WebServer::start(&opts, super::state::test_engine(dir.path())).unwrap();
    let forged = [
        "",
        "Authorization: Bearer vigil_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\n",
        "Cookie: vigil_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\n",
    ];
    let mut walked = 0;
    for route in &routes {
        for path in samples(route) {
            for method in METHODS {
                for extra in forged {
                    let (got, text) = request(web.addr(), method, &path, extra);
                    walked += 1;
                    // The JSON refusal (HEAD: its head only), not the login page's 401.
                    let json = text
                        .to_ascii_lowercase()
                        .contains("content-type: application/json");
                    let refused = got == 401 && json;
                    if open(method, &path) {
                        // (POST /login answers 401 too, with the login page: a wrong password.)
                        assert!(!refused, "{method} {path} is open ({extra:?}): {text}");
                        if path == "/" {
                            assert_eq!(got, 303, "{method} / sends strangers to /login");
                        }
                    } else {
                        assert!(refused, "{method} {path} ({extra:?}): {text}");
                    }
                }
            }
        }
    }
    eprintln!("{} routes, {walked} requests", routes.len());
    web.stop();
}

#[test]
fn a_viewer_is_refused_every_change_but_signing_in_and_out() {
    let routes = routes_in_source();
    let (dir, token) = with_user(super::Role::Viewer);
    let opts = WebOptions::new("127.0.0.1:0", None, true).unwrap();
    let web = WebServer::start(&opts, super::state::test_engine(dir.path())).unwrap();
    let bearer = format!("Authorization: Bearer {token}\r\n");
    assert_eq!(
        status(web.addr(), "GET", "/api/me", &bearer),
        200,
        "signed in"
    );
    let mut refused = 0;
    for route in routes
        .iter()
        .filter(|r| !VIEWER_MAY_CHANGE.contains(&r.as_str()))
    {
        for path in samples(route) {
            for method in ["POST", "PUT", "DELETE", "PATCH"] {
                let got = status(web.addr(), method, &path, &bearer);
                // 405: the route does not take this method at all.
                assert!(
                    got == 403 || got == 405,
                    "a viewer's {method} {path} answered {got}"
                );
                refused += usize::from(got == 403);
            }
        }
    }
    assert!(refused >= 1, "the trigger at least refuses a viewer");
    web.stop();
}

#[test]
fn another_sites_pages_are_refused_on_every_route_even_for_an_admin() {
    let routes = routes_in_source();
    let (dir, token) = with_user(super::Role::Admin);
    let opts = WebOptions::new("127.0.0.1:0", None, true).unwrap();
    let web = WebServer::start(&opts, super::state::test_engine(dir.path())).unwrap();
    // As a browser sends it from another site's page: the credential travels along (cookies
    // do with WebSocket upgrades whatever SameSite says), with that site's Origin.
    let foreign = format!(
        "Authorization: Bearer {token}\r\nOrigin: https://evil.example\r\n\
         Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n\
         Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
    );
    for route in &routes {
        for path in samples(route) {
            for method in ["GET", "POST"] {
                if method == "GET" && open(method, &path) {
                    continue;
                }
                let (got, text) = request(web.addr(), method, &path, &foreign);
                if path == "/" && method == "GET" {
                    assert_eq!(got, 303, "the app shell sends it to /login: {text}");
                    continue;
                }
                assert_eq!(got, 403, "{method} {path}: {text}");
                assert!(text.contains("another site"), "{method} {path}: {text}");
            }
        }
    }
    web.stop();
}
