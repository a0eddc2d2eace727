//! One tab (top-level browsing context) of a [`super::Firefox`] over WebDriver BiDi:
//! navigation waited for `load`, evaluation, the viewport, screenshots and its console.

use std::sync::Arc;
use std::time::Duration;

use base64ct::{Base64, Encoding};
use serde_json::{json, Value};

use super::super::tab::Tab;
use super::super::{BrowserError, ConsoleMessage, COMMAND_TIMEOUT, LOAD_TIMEOUT};
use super::bidi::Bidi;
use super::value::to_json;

/// A tab in Firefox. Closed when dropped.
pub struct FirefoxPage {
    bidi: Arc<Bidi>,
    context: String,
}

impl FirefoxPage {
    pub(crate) fn new(bidi: Arc<Bidi>, context: String) -> Self {
        Self { bidi, context }
    }

    /// The BiDi id of this tab's browsing context (for raw commands).
    pub fn context(&self) -> &str {
        &self.context
    }

    /// Calls `fn_source` (a JavaScript function's source) with JSON `args`, awaiting a
    /// returned promise (`script.callFunction`), and returns its value as JSON.
    pub fn call_function(&self, fn_source: &str, args: &[Value]) -> Result<Value, BrowserError> {
        let arguments: Vec<Value> = args.iter().map(local_value).collect();
        let r = self.call(
            "script.callFunction",
            json!({
                "functionDeclaration": fn_source,
                "arguments": arguments,
                "target": {"context": self.context},
                "awaitPromise": true,
                "resultOwnership": "none",
                "userActivation": true,
            }),
        )?;
        script_result(&r)
    }

    /// Sends any BiDi command (e.g. `browsingContext.reload`) and returns its result.
    pub fn call(&self, method: &str, params: Value) -> Result<Value, BrowserError> {
        self.bidi.call(method, params, COMMAND_TIMEOUT)
    }
}

impl Tab for FirefoxPage {
    fn browser(&self) -> &'static str {
        "Firefox"
    }

    fn goto(&self, url: &str) -> Result<(), BrowserError> {
        let params = json!({"context": self.context, "url": url, "wait": "complete"});
        match self
            .bidi
            .call("browsingContext.navigate", params, LOAD_TIMEOUT)
        {
            Ok(_) => Ok(()),
            Err(BrowserError::Protocol { message, .. }) => Err(BrowserError::Navigation {
                url: url.into(),
                reason: message,
            }),
            Err(BrowserError::Timeout { secs, .. }) => Err(BrowserError::Timeout {
                what: format!("{url} to load"),
                secs,
            }),
            Err(e) => Err(e),
        }
    }

    fn eval(&self, expression: &str) -> Result<Value, BrowserError> {
        let r = self.call(
            "script.evaluate",
            json!({
                "expression": expression,
                "target": {"context": self.context},
                "awaitPromise": true,
                "resultOwnership": "none",
                "userActivation": true,
            }),
        )?;
        script_result(&r)
    }

    fn set_viewport(
        &self,
        width: u32,
        height: u32,
        mobile: bool,
        scale: f64,
    ) -> Result<(), BrowserError> {
        self.call(
            "browsingContext.setViewport",
            json!({
                "context": self.context,
                "viewport": {"width": width, "height": height},
                "devicePixelRatio": scale,
            }),
        )?;
        let touch = if mobile { json!(5) } else { Value::Null };
        match self.call(
            "emulation.setTouchOverride",
            json!({"maxTouchPoints": touch, "contexts": [self.context]}),
        ) {
            // An older Firefox without touch emulation still gets the phone's size.
            Err(BrowserError::Protocol { message, .. })
                if message.starts_with("unknown command") => {}
            other => {
                other?;
            }
        }
        Ok(())
    }

    fn screenshot(&self) -> Result<Vec<u8>, BrowserError> {
        let r = self.call(
            "browsingContext.captureScreenshot",
            json!({"context": self.context, "origin": "viewport"}),
        )?;
        let data = r.get("data").and_then(Value::as_str).unwrap_or("");
        Base64::decode_vec(data).map_err(|e| BrowserError::Protocol {
            method: "browsingContext.captureScreenshot".into(),
            message: format!("the picture is not base64: {e}"),
        })
    }

    fn console(&self) -> Vec<ConsoleMessage> {
        self.bidi.console(&self.context)
    }
}

impl Drop for FirefoxPage {
    fn drop(&mut self) {
        if !self.bidi.is_closed() {
            let _ = self.bidi.call(
                "browsingContext.close",
                json!({"context": self.context}),
                Duration::from_secs(2),
            );
        }
    }
}

/// The value of a `script.evaluate` / `script.callFunction` result, or its exception.
fn script_result(r: &Value) -> Result<Value, BrowserError> {
    if r.get("type").and_then(Value::as_str) == Some("exception") {
        let d = r.get("exceptionDetails").cloned().unwrap_or(Value::Null);
        let text = d
            .get("text")
            .and_then(Value::as_str)
            .unwrap_or("unknown exception");
        return Err(BrowserError::Script(text.to_string()));
    }
    Ok(r.get("result").map(to_json).unwrap_or(Value::Null))
}

/// A JSON value as a BiDi `script.LocalValue` argument.
fn local_value(v: &Value) -> Value {
    match v {
        Value::Null => json!({"type": "null"}),
        Value::Bool(b) => json!({"type": "boolean", "value": b}),
        Value::Number(n) => json!({"type": "number", "value": n}),
        Value::String(s) => json!({"type": "string", "value": s}),
        Value::Array(a) => {
            json!({"type": "array", "value": a.iter().map(local_value).collect::<Vec<_>>()})
        }
        Value::Object(o) => json!({
            "type": "object",
            "value": o.iter().map(|(k, v)| json!([k, local_value(v)])).collect::<Vec<_>>(),
        }),
    }
}
