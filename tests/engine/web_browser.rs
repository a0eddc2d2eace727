//! Signing in to the web viewer with a real headless Chromium (driven over the DevTools
//! protocol by `vigil_bench::browser`) against the real `vigil run --web`, recording the demo
//! camera over HTTPS with its self-signed certificate: strangers are sent to the login page, a
//! wrong password shows the page's sentence, the right one lands on the app shell naming the
//! user; the signed-in app and the login page fit a 375-px phone without sideways scrolling,
//! and a phone-size screenshot is saved (copied to `VIGIL_SCREENSHOT_DIR` by
//! `make screenshot`).

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::Child;
use std::sync::mpsc;
use std::time::Duration;

use vigil_bench::browser::{Chromium, LaunchOptions, Page};

use crate::common::{assert_files_match_rows, terminate, Vigil};

const WAIT: Duration = Duration::from_secs(20);
/// The phone: an iPhone-X-sized viewport, 2 device pixels per CSS pixel.
const PHONE: (u32, u32, f64) = (375, 812, 2.0);

/// A `vigil run --web 127.0.0.1:0` recording the demo camera (as in web.rs).
struct WebRun {
    _dir: tempfile::TempDir,
    vigil: Vigil,
    child: Child,
    /// e.g. `https://127.0.0.1:40123`.
    url: String,
}

impl WebRun {
    fn start() -> Self {
        let dir = tempfile::tempdir().expect("dir");
        let vigil = Vigil::new(dir.path());
        vigil.ok(&["camera", "add", "--name", "cam", "--url", "demo://"]);
        let mut child = vigil.spawn(&["run", "--for", "120s", "--web", "127.0.0.1:0"]);
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(rest) = line.strip_prefix("web viewer on ") {
                    let url = rest.split_whitespace().next().unwrap_or("").to_string();
                    let _ = tx.send(url);
                }
            }
        });
        let url = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("vigil run printed where the web viewer is");
        Self {
            _dir: dir,
            vigil,
            child,
            url,
        }
    }

    fn add_user(&self, name: &str, role: &str, password: &str) {
        let out = self
            .vigil
            .cmd()
            .args(["user", "add", "--name", name, "--role", role])
            .args(["--password-env", "TEST_PW"])
            .env("TEST_PW", password)
            .output()
            .expect("vigil user add");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn finish(self) {
        let out = terminate(self.child);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_files_match_rows(&self.vigil);
    }
}

/// Fills the login form and submits it the way the button does.
fn submit_login(page: &Page, name: &str, password: &str) {
    let js = format!(
        "document.getElementById('name').value = {};
         document.getElementById('password').value = {};
         document.querySelector('form').requestSubmit(); true",
        serde_json::Value::from(name),
        serde_json::Value::from(password)
    );
    page.eval(&js).expect("the login form is there");
}

/// Where the page is and what it shows, for a failure message.
fn seen(page: &Page) -> String {
    let state = page
        .eval("location.href + '\\n' + document.body.innerText")
        .unwrap_or_default();
    format!(
        "\nthe page: {}\nconsole errors: {:?}",
        state.as_str().unwrap_or(""),
        page.console_errors()
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
    let run = WebRun::start();
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
