//! One headless Firefox (Debian's `firefox-esr`) driven over WebDriver BiDi: started with a
//! temporary profile of its own (a `user.js` turning off first-run pages, updates, telemetry
//! and background traffic, allowing autoplay), the BiDi address read from the profile, a
//! session with `acceptInsecureCerts` when asked; tabs, cookies; killed and cleaned up on
//! drop.

mod bidi;
mod page;
mod value;

use std::fs::File;
use std::io;
use std::net::SocketAddr;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

pub use page::FirefoxPage;

use self::bidi::Bidi;
use super::process::{end_group, has_exited};
use super::tab::Tab;
use super::{BrowserError, LaunchOptions, COMMAND_TIMEOUT};

/// The program started when neither `LaunchOptions::program` nor `VIGIL_FIREFOX` names one:
/// Debian's `firefox-esr` package (packaging/install-deps.sh installs it).
pub const FIREFOX_PROGRAM: &str = "/usr/bin/firefox-esr";

/// How long Firefox may take to start its BiDi server.
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// Preferences for a test profile: nothing shown or fetched that the test did not ask for,
/// and video plays without a click.
const USER_JS: &str = r#"
user_pref("browser.shell.checkDefaultBrowser", false);
user_pref("browser.startup.homepage_override.mstone", "ignore");
user_pref("browser.startup.page", 0);
user_pref("startup.homepage_welcome_url", "about:blank");
user_pref("startup.homepage_welcome_url.additional", "");
user_pref("browser.aboutwelcome.enabled", false);
user_pref("trailhead.firstrun.didSeeAboutWelcome", true);
user_pref("datareporting.policy.dataSubmissionEnabled", false);
user_pref("datareporting.healthreport.uploadEnabled", false);
user_pref("toolkit.telemetry.enabled", false);
user_pref("toolkit.telemetry.unified", false);
user_pref("toolkit.telemetry.server", "");
user_pref("app.update.auto", false);
user_pref("app.update.enabled", false);
user_pref("app.update.disabledForTesting", true);
user_pref("app.normandy.enabled", false);
user_pref("extensions.update.enabled", false);
user_pref("browser.safebrowsing.malware.enabled", false);
user_pref("browser.safebrowsing.phishing.enabled", false);
user_pref("browser.safebrowsing.downloads.enabled", false);
user_pref("network.captive-portal-service.enabled", false);
user_pref("network.connectivity-service.enabled", false);
user_pref("services.settings.server", "data:,");
user_pref("browser.newtabpage.enabled", false);
user_pref("media.autoplay.default", 0);
user_pref("media.autoplay.blocking_policy", 0);
user_pref("media.autoplay.block-webaudio", false);
user_pref("dom.min_background_timeout_value", 4);
user_pref("remote.prefs.recommended", true);
"#;

/// A running headless Firefox. Tabs from [`Firefox::open`] share its one profile (cookies,
/// storage). Dropping it closes the browser (killing it if it does not exit within seconds)
/// and removes the profile.
pub struct Firefox {
    bidi: Arc<Bidi>,
    child: Child,
    options: LaunchOptions,
    // Last: removed after the browser is gone.
    profile: tempfile::TempDir,
}

impl Firefox {
    /// Starts Firefox headless with a fresh temporary profile and opens a BiDi session
    /// (accepting any certificate when `options.ignore_certificate_errors`).
    pub fn launch(options: &LaunchOptions) -> Result<Self, BrowserError> {
        let program = options
            .program
            .clone()
            .or_else(|| std::env::var_os("VIGIL_FIREFOX").map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from(FIREFOX_PROGRAM));
        let profile = tempfile::Builder::new()
            .prefix("vigil-firefox-")
            .tempdir()
            .map_err(|e| BrowserError::io("make a temporary Firefox profile", e))?;
        std::fs::write(profile.path().join("user.js"), USER_JS)
            .map_err(|e| BrowserError::io("write the profile's user.js", e))?;
        let mut child = spawn(&program, options, profile.path())?;
        let connected = wait_for_bidi(&child, profile.path()).and_then(|addr| {
            Bidi::connect(addr).map_err(|e| BrowserError::Start {
                reason: e.to_string(),
                log: log_tail(profile.path()),
            })
        });
        let bidi = match connected {
            Ok(bidi) => Arc::new(bidi),
            Err(e) => {
                end_group(&mut child, Duration::ZERO);
                return Err(e);
            }
        };
        let browser = Self {
            bidi,
            child,
            options: options.clone(),
            profile,
        };
        let caps =
            json!({"alwaysMatch": {"acceptInsecureCerts": options.ignore_certificate_errors}});
        browser
            .call("session.new", json!({"capabilities": caps}))
            .and_then(|_| browser.call("session.subscribe", json!({"events": ["log.entryAdded"]})))
            .map_err(|e| BrowserError::Start {
                reason: e.to_string(),
                log: browser.log_tail(),
            })?;
        Ok(browser)
    }

    /// Opens a new tab at `url` with the launch options' viewport and waits for it to load.
    pub fn open(&self, url: &str) -> Result<FirefoxPage, BrowserError> {
        let o = &self.options;
        let created = self.call("browsingContext.create", json!({"type": "tab"}))?;
        let context = created
            .get("context")
            .and_then(Value::as_str)
            .ok_or_else(|| BrowserError::Protocol {
                method: "browsingContext.create".into(),
                message: format!("no context in {created}"),
            })?;
        let page = FirefoxPage::new(Arc::clone(&self.bidi), context.to_string());
        page.set_viewport(o.width, o.height, o.mobile, o.scale)?;
        page.goto(url)?;
        Ok(page)
    }

    /// Sets a cookie in the profile's jar (`storage.setCookie`), for `domain` and path `/`.
    pub fn set_cookie(&self, name: &str, value: &str, domain: &str) -> Result<(), BrowserError> {
        self.call(
            "storage.setCookie",
            json!({"cookie": {
                "name": name,
                "value": {"type": "string", "value": value},
                "domain": domain,
                "path": "/",
            }}),
        )
        .map(drop)
    }

    /// The last lines Firefox wrote to stdout and stderr (for error messages).
    pub fn log_tail(&self) -> String {
        log_tail(self.profile.path())
    }

    /// The process id (e.g. to measure its CPU).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends any BiDi command that is not about one tab (e.g. `browser.getUserContexts`).
    pub fn call(&self, method: &str, params: Value) -> Result<Value, BrowserError> {
        self.bidi.call(method, params, COMMAND_TIMEOUT)
    }
}

impl Drop for Firefox {
    fn drop(&mut self) {
        if !self.bidi.is_closed() {
            let _ = self
                .bidi
                .call("browser.close", json!({}), Duration::from_secs(2));
        }
        end_group(&mut self.child, Duration::from_secs(5));
    }
}

/// Starts `program` headless on `profile` with BiDi on a free port, stdout and stderr to the
/// profile's `firefox.log`, leading a process group of its own (so drop ends the content
/// processes too).
fn spawn(program: &Path, options: &LaunchOptions, profile: &Path) -> Result<Child, BrowserError> {
    let log = File::create(profile.join("firefox.log"))
        .map_err(|e| BrowserError::io("make Firefox's log file", e))?;
    let log_err = log
        .try_clone()
        .map_err(|e| BrowserError::io("share Firefox's log file", e))?;
    let mut cmd = Command::new(program);
    cmd.args(["--headless", "--no-remote", "--profile"])
        .arg(profile)
        .args(["--remote-debugging-port", "0"])
        .args(&options.extra_args)
        .arg("about:blank")
        .env("MOZ_CRASHREPORTER_DISABLE", "1")
        .env("MOZ_HEADLESS_WIDTH", options.width.to_string())
        .env("MOZ_HEADLESS_HEIGHT", options.height.to_string())
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(log_err)
        .process_group(0);
    cmd.spawn().map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => BrowserError::FirefoxMissing {
            program: program.display().to_string(),
        },
        _ => BrowserError::io(format!("start {}", program.display()), e),
    })
}

/// Waits for the address Firefox's BiDi server writes to `WebDriverBiDiServer.json` in the
/// profile (it prints it too), or for Firefox to exit.
fn wait_for_bidi(child: &Child, profile: &Path) -> Result<SocketAddr, BrowserError> {
    let file = profile.join("WebDriverBiDiServer.json");
    let deadline = Instant::now() + START_TIMEOUT;
    loop {
        if let Some(addr) = std::fs::read(&file).ok().and_then(|b| server_addr(&b)) {
            return Ok(addr);
        }
        let reason = if has_exited(child) {
            "it exited before its BiDi server started".to_string()
        } else if Instant::now() >= deadline {
            format!(
                "no WebDriver BiDi server after {:.0} s",
                START_TIMEOUT.as_secs_f64()
            )
        } else {
            std::thread::sleep(Duration::from_millis(50));
            continue;
        };
        return Err(BrowserError::Start {
            reason,
            log: log_tail(profile),
        });
    }
}

/// `{"ws_host": "127.0.0.1", "ws_port": 43567}` as an address.
fn server_addr(bytes: &[u8]) -> Option<SocketAddr> {
    let v: Value = serde_json::from_slice(bytes).ok()?;
    let host = v.get("ws_host")?.as_str()?;
    let port = v.get("ws_port")?.as_u64()?;
    format!("{host}:{port}").parse().ok()
}

fn log_tail(profile: &Path) -> String {
    let text = std::fs::read_to_string(profile.join("firefox.log")).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(15)..].join("\n")
}
