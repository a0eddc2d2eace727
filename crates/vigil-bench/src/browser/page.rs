//! One tab of a [`super::Chromium`]: navigation waited for `load`, JavaScript evaluation,
//! polling for a condition, screenshots, viewport emulation and its console messages.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64ct::{Base64, Encoding};
use crossbeam_channel::RecvTimeoutError;
use serde_json::{json, Value};

use super::pipe::{exception_text, ConsoleMessage, Pipe};
use super::tab::Tab;
use super::{BrowserError, COMMAND_TIMEOUT};

/// How long [`Page::goto`] waits for the `load` event.
pub const LOAD_TIMEOUT: Duration = Duration::from_secs(30);

/// A tab. Closed when dropped.
pub struct Page {
    pipe: Arc<Pipe>,
    target: String,
    session: String,
}

impl Page {
    /// Enables the domains the page's methods use on a freshly attached session.
    pub(crate) fn attach(
        pipe: Arc<Pipe>,
        target: String,
        session: String,
    ) -> Result<Self, BrowserError> {
        let page = Self {
            pipe,
            target,
            session,
        };
        for method in ["Page.enable", "Runtime.enable", "Log.enable"] {
            page.call(method, json!({}))?;
        }
        page.call("Page.setLifecycleEventsEnabled", json!({"enabled": true}))?;
        Ok(page)
    }

    /// Navigates to `url` and waits for the new document's `load` event (at most
    /// [`LOAD_TIMEOUT`]). A change of the URL's fragment alone returns at once. Redirects by
    /// the page's own script after `load` are not waited for: use [`Page::wait_for`].
    pub fn goto(&self, url: &str) -> Result<(), BrowserError> {
        let events = self
            .pipe
            .subscribe(&["Page.lifecycleEvent"], Some(&self.session));
        let nav = self.call("Page.navigate", json!({"url": url}))?;
        if let Some(reason) = nav.get("errorText").and_then(Value::as_str) {
            return Err(BrowserError::Navigation {
                url: url.into(),
                reason: reason.into(),
            });
        }
        let Some(loader) = nav.get("loaderId").and_then(Value::as_str) else {
            return Ok(()); // same-document navigation
        };
        let deadline = Instant::now() + LOAD_TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match events.recv_timeout(left) {
                Ok((_, p)) => {
                    let is = |k: &str, v: &str| p.get(k).and_then(Value::as_str) == Some(v);
                    if is("loaderId", loader) && is("name", "load") {
                        return Ok(());
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    return Err(BrowserError::Timeout {
                        what: format!("{url} to load"),
                        secs: LOAD_TIMEOUT.as_secs_f64(),
                    })
                }
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(BrowserError::Closed {
                        method: "Page.navigate".into(),
                    })
                }
            }
        }
    }

    /// Evaluates a JavaScript expression in the page, awaiting it when it is a promise, and
    /// returns its value as JSON (`undefined` and values JSON cannot hold, like DOM nodes,
    /// come back as `null` or `{}`). A thrown exception is an `Err` with its message.
    pub fn eval(&self, expression: &str) -> Result<Value, BrowserError> {
        let r = self.call(
            "Runtime.evaluate",
            json!({
                "expression": expression,
                "awaitPromise": true,
                "returnByValue": true,
                "userGesture": true,
            }),
        )?;
        if let Some(details) = r.get("exceptionDetails") {
            return Err(BrowserError::Script(exception_text(details)));
        }
        Ok(r.get("result")
            .and_then(|o| o.get("value"))
            .cloned()
            .unwrap_or(Value::Null))
    }

    /// Evaluates `expression` every 50 ms until its value is truthy (by JavaScript's rules)
    /// and returns that value. Errors while evaluating (e.g. during a navigation) count as
    /// "not yet". On timeout the error names the expression and its last value or error.
    pub fn wait_for(&self, expression: &str, timeout: Duration) -> Result<Value, BrowserError> {
        Tab::wait_for(self, expression, timeout)
    }

    /// A PNG of the viewport (its size times the device scale factor).
    pub fn screenshot(&self) -> Result<Vec<u8>, BrowserError> {
        let r = self.call("Page.captureScreenshot", json!({"format": "png"}))?;
        let data = r.get("data").and_then(Value::as_str).unwrap_or("");
        Base64::decode_vec(data).map_err(|e| BrowserError::Protocol {
            method: "Page.captureScreenshot".into(),
            message: format!("the picture is not base64: {e}"),
        })
    }

    /// Saves [`Page::screenshot`] to `path` (its directory is made if missing).
    pub fn screenshot_png(&self, path: &Path) -> Result<(), BrowserError> {
        Tab::screenshot_png(self, path)
    }

    /// Emulates a screen of `width`×`height` CSS pixels at `scale` device pixels each; `mobile`
    /// also turns on the mobile viewport (meta viewport honoured, overlay scrollbars) and
    /// touch input.
    pub fn set_viewport(
        &self,
        width: u32,
        height: u32,
        mobile: bool,
        scale: f64,
    ) -> Result<(), BrowserError> {
        self.call(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": height, "deviceScaleFactor": scale, "mobile": mobile}),
        )?;
        self.call(
            "Emulation.setTouchEmulationEnabled",
            json!({"enabled": mobile, "maxTouchPoints": if mobile { 5 } else { 1 }}),
        )?;
        Ok(())
    }

    /// Everything the page wrote to its console, and the errors the browser logged for it
    /// (failed requests, CSP refusals, uncaught exceptions), oldest first.
    pub fn console(&self) -> Vec<ConsoleMessage> {
        self.pipe.console(&self.session)
    }

    /// The console's errors, one line each (for a test's failure message).
    pub fn console_errors(&self) -> Vec<String> {
        Tab::console_errors(self)
    }

    /// Sends any DevTools command to this page's session (e.g. `Network.enable`).
    pub fn call(&self, method: &str, params: Value) -> Result<Value, BrowserError> {
        self.pipe
            .call(method, params, Some(&self.session), COMMAND_TIMEOUT)
    }
}

impl Drop for Page {
    fn drop(&mut self) {
        if !self.pipe.is_closed() {
            let _ = self.pipe.call(
                "Target.closeTarget",
                json!({"targetId": self.target}),
                None,
                Duration::from_secs(2),
            );
        }
    }
}

impl Tab for Page {
    fn browser(&self) -> &'static str {
        "Chromium"
    }
    fn goto(&self, url: &str) -> Result<(), BrowserError> {
        Page::goto(self, url)
    }
    fn eval(&self, expression: &str) -> Result<Value, BrowserError> {
        Page::eval(self, expression)
    }
    fn set_viewport(
        &self,
        width: u32,
        height: u32,
        mobile: bool,
        scale: f64,
    ) -> Result<(), BrowserError> {
        Page::set_viewport(self, width, height, mobile, scale)
    }
    fn screenshot(&self) -> Result<Vec<u8>, BrowserError> {
        Page::screenshot(self)
    }
    fn console(&self) -> Vec<ConsoleMessage> {
        Page::console(self)
    }
}
