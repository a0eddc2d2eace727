//! The headless Chromium driver against a real Chromium and a tiny page served over HTTP:
//! evaluation (values, promises, exceptions), polling, console errors, screenshots of the
//! viewport's size, phone emulation, cookies shared by tabs, and downloads; the same through
//! the [`Tab`] trait in a real headless Firefox over WebDriver BiDi.

use std::time::Duration;

use vigil_bench::browser::{BrowserError, Chromium, Firefox, LaunchOptions, Tab};

const PAGE: &str = r#"<!doctype html><meta charset="utf-8"><title>tiny</title>
<meta name="viewport" content="width=device-width">
<body><h1 id="h">hello</h1><a id="dl" href="/file.bin" download>get</a>
<script>
document.cookie = "seen=yes; path=/";
setTimeout(() => { window.ready = 'after a while'; }, 300);
console.error('deliberate console error');
</script></body>"#;

/// Serves the page, `/file.bin` (a download) and 404 for anything else, from a thread.
fn serve() -> String {
    let server = tiny_http::Server::http("127.0.0.1:0").expect("bind");
    let port = server.server_addr().to_ip().expect("ip").port();
    std::thread::spawn(move || {
        for req in server.incoming_requests() {
            let header = |k: &str, v: &str| {
                tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes()).expect("header")
            };
            let resp = match req.url() {
                "/" => tiny_http::Response::from_data(PAGE.as_bytes().to_vec())
                    .with_header(header("Content-Type", "text/html")),
                "/file.bin" => tiny_http::Response::from_data(vec![7u8; 100_000])
                    .with_header(header("Content-Type", "application/octet-stream"))
                    .with_header(header(
                        "Content-Disposition",
                        "attachment; filename=\"clip.bin\"",
                    )),
                _ => tiny_http::Response::from_data(b"no".to_vec()).with_status_code(404),
            };
            let _ = req.respond(resp);
        }
    });
    format!("http://127.0.0.1:{port}")
}

fn png_size(png: &[u8]) -> (u32, u32) {
    let img = image::load_from_memory_with_format(png, image::ImageFormat::Png).expect("a PNG");
    (img.width(), img.height())
}

#[test]
fn the_driver_evaluates_waits_screenshots_and_downloads() {
    let url = serve();
    let chromium = Chromium::launch(&LaunchOptions {
        width: 800,
        height: 600,
        ..LaunchOptions::default()
    })
    .expect("chromium starts (installed by make test)");
    let page = chromium.open(&format!("{url}/")).expect("page loads");

    evaluates_waits_and_logs(&page);

    // Raw commands reach the page's session (a page without a manifest is not installable).
    let install = page
        .call("Page.getInstallabilityErrors", serde_json::json!({}))
        .expect("a raw command");
    assert!(
        install["installabilityErrors"]
            .as_array()
            .is_some_and(|e| !e.is_empty()),
        "{install}"
    );

    let shot = page.screenshot().expect("screenshot");
    assert_eq!(png_size(&shot), (800, 600), "the viewport's size");
    page.set_viewport(375, 812, true, 2.0).expect("phone");
    assert_eq!(page.eval("innerWidth").expect("width"), 375);
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("phone.png");
    page.screenshot_png(&path).expect("saved");
    let saved = std::fs::read(&path).expect("read");
    assert_eq!(png_size(&saved), (750, 1624), "CSS pixels × scale");

    // A page that cannot load is an error naming why.
    match other_tab_error(&chromium) {
        BrowserError::Navigation { reason, .. } => assert!(reason.contains("REFUSED"), "{reason}"),
        e => panic!("a refused connection is a navigation error: {e}"),
    }

    // A second tab shares the cookie jar.
    let other = chromium.open(&format!("{url}/nothing")).expect("404 loads");
    assert!(other
        .eval("document.cookie")
        .expect("cookie")
        .as_str()
        .is_some_and(|c| c.contains("seen=yes")));

    let downloads = dir.path().join("downloads");
    chromium.allow_downloads(&downloads).expect("downloads");
    page.eval("document.getElementById('dl').click()")
        .expect("click");
    let file = chromium
        .wait_download(Duration::from_secs(20))
        .expect("download finishes");
    assert_eq!(file.suggested_filename, "clip.bin");
    assert_eq!(
        file.path,
        downloads.canonicalize().expect("dir").join("clip.bin")
    );
    assert_eq!(std::fs::read(&file.path).expect("file").len(), 100_000);
}

#[test]
fn a_missing_browser_is_a_clear_error() {
    let err = Chromium::launch(&LaunchOptions {
        program: Some("/nonexistent/chromium".into()),
        ..LaunchOptions::default()
    })
    .err()
    .expect("no browser there");
    assert!(matches!(err, BrowserError::Missing { .. }), "{err}");
    assert!(err.to_string().contains("install"), "{err}");
}

/// Opens a tab at a closed port.
fn other_tab_error(chromium: &Chromium) -> BrowserError {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    chromium
        .open(&format!("http://127.0.0.1:{port}/"))
        .err()
        .expect("nothing listens there")
}

/// What both drivers do alike, through [`Tab`].
fn evaluates_waits_and_logs(page: &impl Tab) {
    assert_eq!(page.eval("document.title").expect("eval"), "tiny");
    assert_eq!(page.eval("1 + 2").expect("eval"), 3);
    assert_eq!(
        page.eval("undefined").expect("eval"),
        serde_json::Value::Null
    );
    assert_eq!(
        page.eval("new Promise(r => setTimeout(() => r({a: [1, 'x']}), 50))")
            .expect("a promise is awaited"),
        serde_json::json!({"a": [1, "x"]})
    );
    match page.eval("(() => { throw new Error('boom here'); })()") {
        Err(BrowserError::Script(text)) => assert!(text.contains("boom here"), "{text}"),
        other => panic!("an exception is an error: {other:?}"),
    }
    assert_eq!(
        page.wait_for("window.ready", Duration::from_secs(5))
            .expect("ready comes"),
        "after a while"
    );
    match page.wait_for("window.never", Duration::from_millis(300)) {
        Err(e @ BrowserError::WaitTimeout { .. }) => {
            assert!(e.to_string().contains("window.never"), "{e}")
        }
        other => panic!("wait_for times out: {other:?}"),
    }
    assert!(
        page.console_errors()
            .iter()
            .any(|l| l.contains("deliberate console error")),
        "{} console: {:?}",
        page.browser(),
        page.console()
    );
}

#[test]
fn the_firefox_driver_evaluates_waits_screenshots_and_sets_cookies() {
    let url = serve();
    let firefox = Firefox::launch(&LaunchOptions {
        width: 800,
        height: 600,
        ..LaunchOptions::default()
    })
    .expect("firefox-esr starts (installed by packaging/install-deps.sh)");
    let page = firefox.open(&format!("{url}/")).expect("page loads");
    evaluates_waits_and_logs(&page);
    assert_eq!(
        page.call_function(
            "(a, b) => a.n + b.length",
            &[serde_json::json!({"n": 2}), serde_json::json!([1, 2, 3])]
        )
        .expect("call"),
        5
    );

    let shot = page.screenshot().expect("screenshot");
    assert_eq!(png_size(&shot), (800, 600), "the viewport's size");
    page.set_viewport(375, 812, true, 2.0).expect("phone");
    assert_eq!(page.eval("innerWidth").expect("width"), 375);
    // (Firefox 153 ESR's BiDi has no touch emulation yet: `mobile` only sizes the page.)
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("phone.png");
    page.screenshot_png(&path).expect("saved");
    let saved = std::fs::read(&path).expect("read");
    assert_eq!(png_size(&saved), (750, 1624), "CSS pixels × scale");

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    match page.goto(&format!("http://127.0.0.1:{port}/")) {
        Err(BrowserError::Navigation { reason, .. }) => {
            assert!(reason.contains("REFUSED"), "{reason}")
        }
        other => panic!("a refused connection is a navigation error: {other:?}"),
    }

    // A cookie set in the jar is sent by a second tab; the page's own cookie is there too.
    firefox
        .set_cookie("given", "by-bidi", "127.0.0.1")
        .expect("set cookie");
    let other = firefox.open(&format!("{url}/nothing")).expect("404 loads");
    let cookies = other.eval("document.cookie").expect("cookie");
    let cookies = cookies.as_str().unwrap_or("");
    assert!(
        cookies.contains("seen=yes") && cookies.contains("given=by-bidi"),
        "{cookies}"
    );

    // Dropped, the browser is gone and reaped (its process group killed).
    let pid = firefox.pid();
    drop((page, other, firefox));
    assert!(
        !std::path::Path::new(&format!("/proc/{pid}")).exists(),
        "Firefox {pid} ended"
    );
}

#[test]
fn a_missing_firefox_is_a_clear_error() {
    let err = Firefox::launch(&LaunchOptions {
        program: Some("/nonexistent/firefox-esr".into()),
        ..LaunchOptions::default()
    })
    .err()
    .expect("no browser there");
    assert!(matches!(err, BrowserError::FirefoxMissing { .. }), "{err}");
    assert!(err.to_string().contains("firefox-esr"), "{err}");
}
