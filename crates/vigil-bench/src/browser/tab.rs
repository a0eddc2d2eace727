//! What a test does with a page in either browser the driver speaks to ([`super::Page`] in
//! Chromium, [`super::FirefoxPage`] in Firefox), so one scenario is written once and runs in
//! both: navigation, evaluation, polling, viewport, screenshots and the console.

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::{BrowserError, ConsoleMessage};

/// How often [`Tab::wait_for`] evaluates its expression.
const POLL: Duration = Duration::from_millis(50);

/// One page (tab) of a running browser.
pub trait Tab {
    /// The browser's name for messages: `Chromium` or `Firefox`.
    fn browser(&self) -> &'static str;

    /// Navigates to `url` and waits for the new document's `load` event; a change of the
    /// URL's fragment alone returns at once.
    fn goto(&self, url: &str) -> Result<(), BrowserError>;

    /// Evaluates a JavaScript expression (promises awaited) and returns its value as JSON
    /// (`undefined` is `null`, values JSON cannot hold like DOM nodes are `{}`); a thrown
    /// exception is [`BrowserError::Script`] with its message.
    fn eval(&self, expression: &str) -> Result<Value, BrowserError>;

    /// Emulates a screen of `width`×`height` CSS pixels at `scale` device pixels each;
    /// `mobile` also turns on touch input and the mobile viewport in Chromium, and touch
    /// input in a Firefox whose BiDi has `emulation.setTouchOverride` (153 ESR has not).
    fn set_viewport(
        &self,
        width: u32,
        height: u32,
        mobile: bool,
        scale: f64,
    ) -> Result<(), BrowserError>;

    /// A PNG of the viewport (its size times the device scale).
    fn screenshot(&self) -> Result<Vec<u8>, BrowserError>;

    /// What the page wrote to its console and the errors logged for it, oldest first.
    fn console(&self) -> Vec<ConsoleMessage>;

    /// The console's errors, one line each (for a test's failure message).
    fn console_errors(&self) -> Vec<String> {
        self.console()
            .into_iter()
            .filter(|m| m.level == "error")
            .map(|m| m.text)
            .collect()
    }

    /// Evaluates `expression` every 50 ms until its value is truthy (by JavaScript's rules)
    /// and returns that value. Errors while evaluating (e.g. during a navigation) count as
    /// "not yet". On timeout the error names the expression and its last value or error.
    fn wait_for(&self, expression: &str, timeout: Duration) -> Result<Value, BrowserError> {
        let deadline = Instant::now() + timeout;
        loop {
            let last = match self.eval(expression) {
                Ok(v) if truthy(&v) => return Ok(v),
                Ok(v) => format!("value {v}"),
                Err(e @ BrowserError::Closed { .. }) => return Err(e),
                Err(e) => format!("error {e}"),
            };
            if Instant::now() >= deadline {
                return Err(BrowserError::WaitTimeout {
                    expression: expression.into(),
                    secs: timeout.as_secs_f64(),
                    last,
                });
            }
            std::thread::sleep(POLL);
        }
    }

    /// Saves [`Tab::screenshot`] to `path` (its directory is made if missing).
    fn screenshot_png(&self, path: &Path) -> Result<(), BrowserError> {
        let png = self.screenshot()?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| BrowserError::io(format!("make {}", dir.display()), e))?;
        }
        std::fs::write(path, png)
            .map_err(|e| BrowserError::io(format!("write {}", path.display()), e))
    }
}

/// JavaScript truthiness of a JSON value.
fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(_) | Value::Object(_) => true,
    }
}
