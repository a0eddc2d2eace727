//! Small headless browser drivers for the integration tests and the benchmarks: Debian's
//! `chromium` over the DevTools protocol, started with `--remote-debugging-pipe` (JSON
//! messages separated by NUL bytes on its fds 3 and 4), and Debian's `firefox-esr` over
//! WebDriver BiDi (a WebSocket to the port it picks, see [`Firefox`]); no browser download is
//! needed. Both pages implement [`Tab`], so one scenario runs in both.
//!
//! ```no_run
//! use std::time::Duration;
//! use vigil_bench::browser::{Chromium, LaunchOptions};
//!
//! # fn main() -> Result<(), vigil_bench::browser::BrowserError> {
//! let chromium = Chromium::launch(&LaunchOptions {
//!     ignore_certificate_errors: true, // the viewer's self-signed certificate
//!     ..LaunchOptions::default()       // 1280×800, desktop, scale 1
//! })?;
//! let page = chromium.open("https://127.0.0.1:8443/")?; // waits for `load`
//! page.wait_for("location.pathname === '/login'", Duration::from_secs(10))?;
//! let title = page.eval("document.title")?; // serde_json::Value
//! page.eval("fetch('/api/me').then(r => r.status)")?; // promises are awaited
//! page.set_viewport(375, 812, true, 3.0)?; // a phone
//! page.screenshot_png(std::path::Path::new("shot.png"))?;
//! eprintln!("{:?}", page.console_errors()); // failed requests, exceptions, console.error
//! chromium.allow_downloads(std::path::Path::new("/tmp/dl"))?;
//! page.eval("document.querySelector('a.download').click()")?;
//! let file = chromium.wait_download(Duration::from_secs(30))?; // path, name, bytes
//! # let _ = (title, file); Ok(()) }
//! ```
//!
//! - [`Chromium::launch`] starts the browser with a temporary profile of its own (one cookie
//!   jar shared by all its tabs); dropping it closes the browser, kills what is left of its
//!   process group and removes the profile. A missing `chromium` is
//!   [`BrowserError::Missing`]. `VIGIL_CHROMIUM` or [`LaunchOptions::program`] choose
//!   another binary.
//! - [`Chromium::open`] makes a tab with the launch options' viewport and loads a URL;
//!   [`Page::goto`] loads another. Both wait for the document's `load` event; a redirect made
//!   later by the page's script is for [`Page::wait_for`].
//! - [`Page::eval`] returns a JavaScript expression's value (promises awaited) as JSON; a
//!   thrown exception is [`BrowserError::Script`] with its message.
//! - [`Page::wait_for`] polls an expression until it is truthy; on timeout the error names the
//!   expression and its last value.
//! - Every call has a timeout (commands 30 s, loads 30 s), so a hung browser fails a test
//!   rather than hanging it.
//! - [`Firefox::launch`] / [`Firefox::open`] give a [`FirefoxPage`] with the same [`Tab`]
//!   methods (plus [`FirefoxPage::call_function`] and [`Firefox::set_cookie`]); a missing
//!   `firefox-esr` is [`BrowserError::FirefoxMissing`]; `VIGIL_FIREFOX` chooses another
//!   binary. Downloads and Chromium's raw DevTools calls have no Firefox counterpart here.
//! - Headless Chromium does not throttle timers or frames here (background throttling is off),
//!   and no virtual time is used: latencies measured in the page are real.

mod chromium;
mod firefox;
mod page;
mod pipe;
mod process;
mod tab;

use std::path::PathBuf;
use std::time::Duration;

pub use chromium::{Chromium, Download, DEFAULT_PROGRAM};
pub use firefox::{Firefox, FirefoxPage, FIREFOX_PROGRAM};
pub use page::{Page, LOAD_TIMEOUT};
pub use pipe::ConsoleMessage;
pub use tab::Tab;

/// How long one DevTools command may take.
pub const COMMAND_TIMEOUT: Duration = Duration::from_secs(30);

/// How to start Chromium or Firefox.
#[derive(Debug, Clone, PartialEq)]
pub struct LaunchOptions {
    /// The viewport of the tabs [`Chromium::open`] makes, CSS pixels.
    pub width: u32,
    pub height: u32,
    /// Emulate a phone: mobile viewport and touch input.
    pub mobile: bool,
    /// Device pixels per CSS pixel (screenshots are `width × scale` pixels wide).
    pub scale: f64,
    /// Accept any certificate (the web viewer's self-signed one; in Firefox the session's
    /// `acceptInsecureCerts`).
    pub ignore_certificate_errors: bool,
    /// The browser binary; `None`: `VIGIL_CHROMIUM`, else [`DEFAULT_PROGRAM`] (Firefox:
    /// `VIGIL_FIREFOX`, else [`FIREFOX_PROGRAM`]).
    pub program: Option<PathBuf>,
    /// More command-line arguments (Firefox: before the first page's URL).
    pub extra_args: Vec<String>,
}

impl Default for LaunchOptions {
    fn default() -> Self {
        Self {
            width: 1280,
            height: 800,
            mobile: false,
            scale: 1.0,
            ignore_certificate_errors: false,
            program: None,
            extra_args: Vec::new(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BrowserError {
    #[error(
        "Chromium is not installed ({program} not found): install Debian's `chromium` package \
         (packaging/install-deps.sh does), or set VIGIL_CHROMIUM to the browser to use"
    )]
    Missing { program: String },
    #[error(
        "Firefox is not installed ({program} not found): install Debian's `firefox-esr` \
         package (packaging/install-deps.sh does), or set VIGIL_FIREFOX to the browser to use"
    )]
    FirefoxMissing { program: String },
    #[error("the browser did not start: {reason}\n{log}")]
    Start { reason: String, log: String },
    #[error("{what}: {source}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
    #[error("the browser closed its connection (during {method})")]
    Closed { method: String },
    #[error("timed out after {secs:.1} s waiting for {what}")]
    Timeout { what: String, secs: f64 },
    #[error("{method} failed: {message}")]
    Protocol { method: String, message: String },
    #[error("JavaScript error: {0}")]
    Script(String),
    #[error("timed out after {secs:.1} s waiting for `{expression}` to be true; last {last}")]
    WaitTimeout {
        expression: String,
        secs: f64,
        last: String,
    },
    #[error("cannot load {url}: {reason}")]
    Navigation { url: String, reason: String },
    #[error("waiting for a download before allow_downloads was called")]
    DownloadsNotAllowed,
    #[error("the download of {url} was canceled")]
    DownloadCanceled { url: String },
}

impl BrowserError {
    pub(crate) fn io(what: impl Into<String>, source: std::io::Error) -> Self {
        Self::Io {
            what: what.into(),
            source,
        }
    }
}
