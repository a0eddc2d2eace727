//! Trigger sources: a named message source bound to a camera (today an MQTT topic), the
//! condition that makes a message mean "active" (a JSON field comparison such as
//! `contact == false`, or a plain payload such as `ON`), and an optional hold time.

use serde::Serialize;
use serde_json::Value;

use super::InvalidInput;

/// Longest hold a trigger source may have, seconds (as the HTTP trigger's).
pub const MAX_HOLD_S: f64 = 3600.0;

/// How a field is compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum CompareOp {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
}

impl CompareOp {
    fn as_str(self) -> &'static str {
        match self {
            CompareOp::Eq => "==",
            CompareOp::Ne => "!=",
            CompareOp::Gt => ">",
            CompareOp::Ge => ">=",
            CompareOp::Lt => "<",
            CompareOp::Le => "<=",
        }
    }
}

/// What makes a message mean "active".
#[derive(Debug, Clone, PartialEq)]
pub enum TriggerCondition {
    /// A field of a JSON payload (`a.b` for nested objects) compared with a JSON value.
    Field {
        path: String,
        op: CompareOp,
        value: Value,
    },
    /// The whole payload, trimmed, equals this text (e.g. `ON`).
    Payload(String),
}

impl TriggerCondition {
    /// Parses `FIELD OP VALUE` (OP one of `== != > >= < <=`; VALUE a JSON literal such as
    /// `false`, `12.5`, `"open"`, or a bare word taken as a string), or a plain payload.
    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        let text = raw.trim();
        if text.is_empty() || text.len() > 200 || text.chars().any(char::is_control) {
            return Err(InvalidInput(
                "a trigger condition must be 1 to 200 printable characters, e.g. 'contact == false' or 'ON'".into(),
            ));
        }
        let ops = [
            ("==", CompareOp::Eq),
            ("!=", CompareOp::Ne),
            (">=", CompareOp::Ge),
            ("<=", CompareOp::Le),
            (">", CompareOp::Gt),
            ("<", CompareOp::Lt),
        ];
        let found = ops
            .iter()
            .filter_map(|(s, op)| text.find(s).map(|i| (i, *s, *op)))
            .min_by_key(|(i, s, _)| (*i, usize::MAX - s.len()));
        let Some((at, sym, op)) = found else {
            return Ok(TriggerCondition::Payload(text.to_string()));
        };
        let path = text[..at].trim();
        let value = text[at + sym.len()..].trim();
        let valid_path = !path.is_empty()
            && path.split('.').all(|p| {
                !p.is_empty()
                    && p.chars()
                        .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
            });
        if !valid_path {
            return Err(InvalidInput(format!(
                "'{path}' is not a field name: use letters, digits, '_' or '-', and '.' between nested fields"
            )));
        }
        if value.is_empty() {
            return Err(InvalidInput(format!(
                "the condition '{text}' has nothing to compare '{path}' with"
            )));
        }
        let raw_value = value;
        let value = serde_json::from_str::<Value>(value)
            .unwrap_or_else(|_| Value::String(value.to_string()));
        if !matches!(op, CompareOp::Eq | CompareOp::Ne) && !value.is_number() {
            return Err(InvalidInput(format!(
                "'{sym}' compares numbers; '{raw_value}' is not a number"
            )));
        }
        Ok(TriggerCondition::Field {
            path: path.to_string(),
            op,
            value,
        })
    }

    /// The condition as the operator writes it (parses back to itself).
    pub fn as_text(&self) -> String {
        match self {
            TriggerCondition::Field { path, op, value } => {
                format!("{path} {} {value}", op.as_str())
            }
            TriggerCondition::Payload(p) => p.clone(),
        }
    }

    /// What a message says: `Some(true)` active, `Some(false)` the opposite (the event ends),
    /// `None` the message does not concern the condition (not JSON, or without the field).
    pub fn evaluate(&self, payload: &[u8]) -> Option<bool> {
        let text = std::str::from_utf8(payload).ok()?.trim();
        match self {
            TriggerCondition::Payload(p) => Some(text == p),
            TriggerCondition::Field { path, op, value } => {
                let doc: Value = serde_json::from_str(text).ok()?;
                let mut cur = &doc;
                for part in path.split('.') {
                    cur = cur.get(part)?;
                }
                compare(cur, *op, value)
            }
        }
    }
}

fn compare(found: &Value, op: CompareOp, want: &Value) -> Option<bool> {
    match op {
        CompareOp::Eq => Some(loose_eq(found, want)),
        CompareOp::Ne => Some(!loose_eq(found, want)),
        _ => {
            let (a, b) = (found.as_f64()?, want.as_f64()?);
            Some(match op {
                CompareOp::Gt => a > b,
                CompareOp::Ge => a >= b,
                CompareOp::Lt => a < b,
                _ => a <= b,
            })
        }
    }
}

/// Equal as JSON, numbers by value (`1` equals `1.0`).
fn loose_eq(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

/// A trigger source to add.
#[derive(Debug, Clone, PartialEq)]
pub struct NewTriggerSource {
    pub camera_id: i64,
    /// Also the label of its events (e.g. `door`).
    pub name: String,
    pub topic: String,
    pub when: TriggerCondition,
    /// The event ends this long after the last active message, seconds; `None`: only when
    /// the opposite message arrives.
    pub hold_s: Option<f64>,
}

/// A stored trigger source.
#[derive(Debug, Clone, PartialEq)]
pub struct TriggerSource {
    pub id: i64,
    pub camera_id: i64,
    pub camera: String,
    pub name: String,
    pub topic: String,
    pub when: TriggerCondition,
    pub hold_s: Option<f64>,
}

impl NewTriggerSource {
    pub fn validate(&self) -> Result<(), InvalidInput> {
        let n = self.name.trim();
        if n.is_empty() || n.len() > 64 || n.chars().any(char::is_control) {
            return Err(InvalidInput(format!(
                "trigger source name '{n}' must be 1 to 64 printable characters"
            )));
        }
        check_topic_filter(&self.topic)?;
        if let Some(h) = self.hold_s {
            if !h.is_finite() || !(0.0..=MAX_HOLD_S).contains(&h) {
                return Err(InvalidInput(format!(
                    "the hold must be between 0 and {MAX_HOLD_S} seconds"
                )));
            }
        }
        Ok(())
    }
}

/// An MQTT topic to subscribe to: 1–256 characters; `+` and `#` only as whole levels, `#`
/// only last.
pub fn check_topic_filter(topic: &str) -> Result<(), InvalidInput> {
    let bad = |why: &str| Err(InvalidInput(format!("topic '{topic}' {why}")));
    if topic.is_empty() || topic.len() > 256 || topic.chars().any(char::is_control) {
        return bad("must be 1 to 256 printable characters");
    }
    let levels: Vec<&str> = topic.split('/').collect();
    for (i, level) in levels.iter().enumerate() {
        if level.contains(['+', '#']) && level.len() > 1 {
            return bad("may use '+' and '#' only as a whole level");
        }
        if *level == "#" && i + 1 != levels.len() {
            return bad("may use '#' only as its last level");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn active(cond: &str, payload: &str) -> Option<bool> {
        TriggerCondition::parse(cond)
            .expect("parses")
            .evaluate(payload.as_bytes())
    }

    #[test]
    fn json_fields_compare_and_other_messages_are_ignored() {
        assert_eq!(
            active("contact == false", r#"{"contact":false,"battery":97}"#),
            Some(true)
        );
        assert_eq!(
            active("contact == false", r#"{"contact":true}"#),
            Some(false)
        );
        assert_eq!(active("contact == false", r#"{"battery":97}"#), None);
        assert_eq!(active("contact == false", "not json"), None);
        assert_eq!(active("state == open", r#"{"state":"open"}"#), Some(true));
        assert_eq!(
            active(r#"state == "open""#, r#"{"state":"closed"}"#),
            Some(false)
        );
        assert_eq!(
            active("a.b.c != 1", r#"{"a":{"b":{"c":1.0}}}"#),
            Some(false)
        );
        assert_eq!(active("lux >= 10.5", r#"{"lux":11}"#), Some(true));
        assert_eq!(active("lux < 3", r#"{"lux":"dark"}"#), None);
    }

    #[test]
    fn plain_payloads_match_whole_and_trimmed() {
        assert_eq!(active("ON", " ON\n"), Some(true));
        assert_eq!(active("ON", "OFF"), Some(false));
        assert_eq!(active("ON", "ONE"), Some(false));
    }

    #[test]
    fn conditions_print_back_to_themselves() {
        for text in [
            "contact == false",
            "state == \"open\"",
            "lux >= 10.5",
            "ON",
            "a.b != 3",
        ] {
            let c = TriggerCondition::parse(text).expect("parses");
            assert_eq!(
                TriggerCondition::parse(&c.as_text()).expect("reparses"),
                c,
                "{text}"
            );
        }
    }

    #[test]
    fn bad_conditions_and_topics_are_refused_in_words() {
        for bad in ["", "== true", "a..b == 1", "x == ", "x > open"] {
            assert!(TriggerCondition::parse(bad).is_err(), "{bad}");
        }
        assert!(check_topic_filter("zigbee2mqtt/+/contact").is_ok());
        assert!(check_topic_filter("site/#").is_ok());
        for bad in ["", "a/#/b", "a/b+", "a#"] {
            assert!(check_topic_filter(bad).is_err(), "{bad}");
        }
    }
}
