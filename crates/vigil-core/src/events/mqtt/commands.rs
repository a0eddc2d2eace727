//! The commands Vigil accepts over MQTT, read from their payloads: `<prefix>/<camera>/trigger`
//! (empty, or JSON `{"label": .., "hold_s": ..}` with the HTTP trigger's defaults and limits)
//! and `<prefix>/<camera>/recording/set` (`ON` or `OFF`).

use crate::events::http::{checked, trigger as send_trigger, TriggerBody};
use crate::events::EventBus;

/// Sends the trigger a `trigger` command asks for; a bad payload is logged and ignored.
pub fn trigger(bus: &EventBus, camera: &str, payload: &[u8]) {
    let body = match parse(payload) {
        Ok(b) => b,
        Err(e) => {
            tracing::warn!(camera, error = %e, "MQTT trigger command ignored");
            return;
        }
    };
    match send_trigger(bus, camera, &body.0, body.1) {
        Ok(_) => tracing::info!(camera, label = %body.0, "triggered over MQTT"),
        Err(e) => tracing::warn!(camera, error = %e, "MQTT trigger command not delivered"),
    }
}

/// The label and hold time of a trigger command's payload.
fn parse(payload: &[u8]) -> Result<(String, f64), String> {
    let text = std::str::from_utf8(payload).map_err(|_| "the payload is not UTF-8 text")?;
    let body = if text.trim().is_empty() {
        TriggerBody::default()
    } else {
        serde_json::from_str(text).map_err(|e| format!("malformed JSON: {e}"))?
    };
    checked(body)
}

/// `ON` → `Some(true)`, `OFF` → `Some(false)` (any case, trimmed), else `None`.
pub fn on_off(payload: &[u8]) -> Option<bool> {
    let text = std::str::from_utf8(payload).ok()?.trim();
    if text.eq_ignore_ascii_case("on") {
        Some(true)
    } else if text.eq_ignore_ascii_case("off") {
        Some(false)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trigger_payloads_get_the_http_triggers_defaults_and_limits() {
        assert_eq!(parse(b""), Ok(("trigger".into(), 10.0)));
        assert_eq!(
            parse(br#"{"label":"door","hold_s":2}"#),
            Ok(("door".into(), 2.0))
        );
        assert!(parse(br#"{"hold_s":99999}"#).is_err());
        assert!(parse(br#"{"label":""}"#).is_err());
        assert!(parse(br#"{"what":1}"#).is_err());
        assert!(parse(b"{").is_err());
    }

    #[test]
    fn switches_read_on_and_off() {
        assert_eq!(on_off(b" on\n"), Some(true));
        assert_eq!(on_off(b"OFF"), Some(false));
        assert_eq!(on_off(b"1"), None);
    }
}
