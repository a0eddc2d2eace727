//! WebDriver BiDi's serialized JavaScript values (`script.RemoteValue`: `{type, value}`, nested)
//! as plain JSON, the way Chromium's `returnByValue` gives them: `undefined` is `null`, numbers
//! JSON cannot hold are `null` (NaN, ±Infinity) or 0 (−0), maps are objects, sets arrays, and
//! values JSON has no form for (nodes, functions, windows, promises, errors) are `{}`.

use serde_json::{Map, Value};

/// The JSON form of one `script.RemoteValue`.
pub(crate) fn to_json(remote: &Value) -> Value {
    let value = remote.get("value");
    match remote.get("type").and_then(Value::as_str).unwrap_or("") {
        "undefined" | "null" => Value::Null,
        "string" | "boolean" | "date" => value.cloned().unwrap_or(Value::Null),
        "number" => match value {
            Some(Value::String(s)) if s == "-0" => Value::from(0),
            Some(Value::Number(n)) => Value::Number(n.clone()),
            _ => Value::Null,
        },
        "bigint" => value
            .and_then(Value::as_str)
            .and_then(|s| s.parse::<i64>().ok())
            .map(Value::from)
            .unwrap_or(Value::Null),
        "array" | "set" => Value::Array(
            value
                .and_then(Value::as_array)
                .map(|items| items.iter().map(to_json).collect())
                .unwrap_or_default(),
        ),
        "object" | "map" => {
            let mut map = Map::new();
            for pair in value.and_then(Value::as_array).into_iter().flatten() {
                let (Some(key), Some(v)) = (pair.get(0), pair.get(1)) else {
                    continue;
                };
                let key = match key {
                    Value::String(s) => s.clone(),
                    other => match to_json(other) {
                        Value::String(s) => s,
                        v => v.to_string(),
                    },
                };
                map.insert(key, to_json(v));
            }
            Value::Object(map)
        }
        "regexp" => {
            let part = |k: &str| value.and_then(|v| v.get(k)).and_then(Value::as_str);
            Value::from(format!(
                "/{}/{}",
                part("pattern").unwrap_or(""),
                part("flags").unwrap_or("")
            ))
        }
        _ => Value::Object(Map::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn remote_values_become_plain_json() {
        let remote = json!({"type": "object", "value": [
            ["a", {"type": "array", "value": [{"type": "number", "value": 1},
                                              {"type": "string", "value": "x"}]}],
            ["n", {"type": "number", "value": "NaN"}],
            ["z", {"type": "number", "value": "-0"}],
            ["u", {"type": "undefined"}],
            ["el", {"type": "node", "sharedId": "s1"}],
            ["b", {"type": "boolean", "value": true}],
        ]});
        assert_eq!(
            to_json(&remote),
            json!({"a": [1, "x"], "n": null, "z": 0, "u": null, "el": {}, "b": true})
        );
        assert_eq!(to_json(&json!({"type": "number", "value": 2.5})), 2.5);
        assert_eq!(to_json(&json!({"type": "bigint", "value": "12"})), 12);
    }
}
