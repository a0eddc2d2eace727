//! Signing in to the web viewer with a real headless Chromium (driven over the DevTools
//! protocol by `vigil_bench::browser`) against the real `vigil run --web`, recording the demo
//! camera over HTTPS with its self-signed certificate: strangers are sent to the login page, a
//! wrong password shows the page's sentence, the right one lands on the app shell naming the
//! user; the signed-in app and the login page fit a 375-px phone without sideways scrolling,
//! and a phone-size screenshot is saved (copied to `VIGIL_SCREENSHOT_DIR` by
//! `make screenshot`). The installable web app: the manifest and every icon it names are
//! served without a session with their types and sizes, and Chromium finds the app
//! installable (`render_icons`, ignored, renders the PNG icons from icon.svg).

use std::path::PathBuf;
use std::time::Duration;

use vigil_bench::browser::{Chromium, LaunchOptions, Page};

use crate::common::browser::{seen, submit_login};
use crate::common::web::{header, WebRun};

const WAIT: Duration = Duration::from_secs(20);
/// The phone: an iPhone-X-sized viewport, 2 device pixels per CSS pixel.
const PHONE: (u32, u32, f64) = (375, 812, 2.0);

/// GET without any cookie or token: (status, content type, body).
fn get(run: &WebRun, path: &str) -> (u16, String, Vec<u8>) {
    let (status, head, body) = run.curl_bytes(path, &[]);
    (
        status,
        header(&head, "content-type").unwrap_or_default(),
        body,
    )
}

/// The page's width in CSS pixels when laid out on the phone (more than 375: it scrolls
/// sideways).
fn phone_width(page: &Page) -> i64 {
    page.set_viewport(PHONE.0, PHONE.1, true, PHONE.2)
        .expect("phone viewport");
    page.wait_for("innerWidth === 375", WAIT)
        .expect("the phone's width applies");
    page.eval("document.documentElement.scrollWidth")
        .expect("width")
        .as_i64()
        .unwrap_or(i64::MAX)
}

#[test]
fn signing_in_with_chromium_and_the_app_on_a_phone() {
    let run = WebRun::start(&["--web", "127.0.0.1:0"]);
    run.add_user("ana", "operator", "correct horse 42");
    let chromium = Chromium::launch(&LaunchOptions {
        ignore_certificate_errors: true,
        ..LaunchOptions::default()
    })
    .expect("chromium starts (installed by make test)");

    let page = chromium.open(&format!("{}/", run.url)).expect("opens");
    page.wait_for(
        "location.pathname === '/login' && !!document.querySelector('form')",
        WAIT,
    )
    .expect("a stranger is sent to the login page");

    submit_login(&page, "ana", "not the password");
    let said = page
        .wait_for("document.querySelector('p.error')?.textContent", WAIT)
        .unwrap_or_else(|e| panic!("a wrong password shows a sentence: {e}{}", seen(&page)));
    assert!(
        said.as_str()
            .is_some_and(|s| s.contains("wrong user name or password")),
        "{said}"
    );
    assert_eq!(page.eval("location.pathname").expect("path"), "/login");

    submit_login(&page, "ana", "correct horse 42");
    let who = page
        .wait_for(
            "location.pathname === '/' && document.getElementById('who')?.textContent",
            WAIT,
        )
        .unwrap_or_else(|e| panic!("signed in: {e}{}", seen(&page)));
    assert_eq!(who, "ana (operator)");
    let errors = page.console_errors();
    assert!(
        !errors.iter().any(|e| e.contains("Content Security Policy")),
        "the shell breaks no CSP rule: {errors:?}"
    );

    let width = phone_width(&page);
    assert!(
        width <= 375,
        "the app scrolls sideways on a phone: {width} px"
    );
    // A playing tile when the live view shows one (the grid may hold none yet).
    let _ = page.wait_for(
        "!document.querySelector('video') || document.querySelector('video').currentTime > 0",
        Duration::from_secs(10),
    );
    save_screenshot(&page, "web-phone");

    let login = chromium
        .open(&format!("{}/login", run.url))
        .expect("login page");
    let width = phone_width(&login);
    assert!(width <= 375, "the login page scrolls sideways: {width} px");
    drop((login, page, chromium));
    run.finish();
}

/// Saves a PNG of the page, checks it is the phone's size in device pixels, and copies it to
/// `VIGIL_SCREENSHOT_DIR` when that is set (`make screenshot`: docs/screenshots).
fn save_screenshot(page: &Page, name: &str) {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    let path = dir.join(format!("{name}.png"));
    page.screenshot_png(&path).expect("screenshot");
    let png = image::open(&path).expect("a PNG");
    let scale = |css: u32| (css as f64 * PHONE.2) as u32;
    assert_eq!(
        (png.width(), png.height()),
        (scale(PHONE.0), scale(PHONE.1))
    );
    if let Ok(docs) = std::env::var("VIGIL_SCREENSHOT_DIR") {
        std::fs::create_dir_all(&docs).expect("screenshot dir");
        std::fs::copy(&path, PathBuf::from(docs).join(format!("{name}.png"))).expect("copy");
    }
}

/// The web viewer's static files (the icons are rendered into it).
const ASSETS_DIR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/crates/vigil-core/src/web/assets"
);
/// The PNG icons rendered from icon.svg: name, size in pixels.
const PNG_ICONS: [(&str, u32); 3] = [
    ("icon-512.png", 512),
    ("icon-192.png", 192),
    ("apple-touch-icon.png", 180),
];

/// Renders the PNG icons from icon.svg with headless Chromium (the SVG at 512 CSS pixels,
/// device scale size/512). The PNGs are committed; run this after changing the SVG:
/// `cargo test --test engine web_browser::render_icons -- --ignored`.
#[test]
#[ignore = "writes the committed icons; run by hand after changing icon.svg"]
fn render_icons() {
    let dir = std::path::Path::new(ASSETS_DIR);
    let chromium = Chromium::launch(&LaunchOptions {
        width: 512,
        height: 512,
        extra_args: vec!["--hide-scrollbars".into()],
        ..LaunchOptions::default()
    })
    .expect("chromium starts");
    let svg = format!("file://{}", dir.join("icon.svg").display());
    let page = chromium.open(&svg).expect("the SVG loads");
    for (name, size) in PNG_ICONS {
        page.set_viewport(512, 512, false, f64::from(size) / 512.0)
            .expect("scale");
        let path = dir.join(name);
        page.screenshot_png(&path).expect("rendered");
        let png = image::open(&path).expect("a PNG");
        assert_eq!((png.width(), png.height()), (size, size), "{name}");
    }
}

#[test]
fn the_web_app_manifest_and_its_icons_are_served_without_a_session() {
    let run = WebRun::start(&["--web", "127.0.0.1:0"]);
    let (status, ctype, body) = get(&run, "/manifest.webmanifest");
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    assert_eq!(ctype, "application/manifest+json");
    let m: serde_json::Value = serde_json::from_slice(&body).expect("the manifest is JSON");
    assert_eq!(m["name"], "Vigil");
    assert_eq!(m["start_url"], "/");
    assert_eq!(m["display"], "standalone");
    assert_eq!(m["theme_color"], "#15181c", "app.css's background");
    assert_eq!(m["background_color"], "#15181c");
    let icons = m["icons"].as_array().expect("icons");
    let mut sizes = Vec::new();
    for icon in icons {
        let src = icon["src"].as_str().expect("src");
        let (status, ctype, body) = get(&run, src);
        assert_eq!(status, 200, "{src} without a session");
        assert_eq!(ctype, icon["type"].as_str().unwrap_or(""), "{src}");
        assert!(icon["purpose"]
            .as_str()
            .is_some_and(|p| p.contains("any") && p.contains("maskable")));
        let stated = icon["sizes"].as_str().unwrap_or("").to_string();
        if ctype == "image/png" {
            let png = image::load_from_memory(&body).expect("a PNG");
            assert_eq!(format!("{}x{}", png.width(), png.height()), stated, "{src}");
        } else {
            let text = String::from_utf8_lossy(&body);
            assert!(
                text.starts_with("<svg") && text.contains("viewBox"),
                "{src}"
            );
            assert_eq!(stated, "any");
        }
        sizes.push(stated);
    }
    for wanted in ["192x192", "512x512", "any"] {
        assert!(sizes.iter().any(|s| s == wanted), "{wanted} in {sizes:?}");
    }
    let (status, ctype, body) = get(&run, "/static/apple-touch-icon.png");
    assert_eq!((status, ctype.as_str()), (200, "image/png"));
    let png = image::load_from_memory(&body).expect("a PNG");
    assert_eq!((png.width(), png.height()), (180, 180));

    // Chromium finds the manifest from the login page and can install the app (no service
    // worker is needed since Chromium 108/112).
    let chromium = Chromium::launch(&LaunchOptions {
        ignore_certificate_errors: true,
        ..LaunchOptions::default()
    })
    .expect("chromium starts");
    let page = chromium.open(&format!("{}/login", run.url)).expect("login");
    let found = page
        .call("Page.getAppManifest", serde_json::json!({}))
        .expect("manifest");
    assert!(
        found["url"]
            .as_str()
            .is_some_and(|u| u.ends_with("/manifest.webmanifest")),
        "{found}"
    );
    assert_eq!(found["errors"], serde_json::json!([]), "{found}");
    let install = page
        .call("Page.getInstallabilityErrors", serde_json::json!({}))
        .expect("installability");
    eprintln!("installability: {install}");
    assert_eq!(
        install["installabilityErrors"],
        serde_json::json!([]),
        "{install}"
    );
    drop((page, chromium));
    run.finish();
}
