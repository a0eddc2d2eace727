//! The "add a trigger source" fields of the policy editor as typed (name, MQTT topic,
//! condition, hold), each field's problem in words by the engine's rules
//! ([`NewTriggerSource::validate`], [`TriggerCondition::parse`]), the live "parses as …" line
//! for the condition, and the source they make. No drawing here.

use super::policy_form::duration;
use crate::tr;
use vigil_core::model::time::parse_duration_us;
use vigil_core::model::trigger_source::{check_topic_filter, CompareOp};
use vigil_core::model::{NewTriggerSource, TriggerCondition};

/// A field of the add-a-trigger-source form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TriggerField {
    Name,
    Topic,
    Condition,
    Hold,
}

/// What the operator has typed to add a trigger source.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TriggerForm {
    pub name: String,
    pub topic: String,
    pub condition: String,
    /// Blank: the event ends only when the opposite message arrives.
    pub hold: String,
}

impl TriggerForm {
    /// The problem of `field`, if it has one. A blank required field has none (the Add
    /// button waits for it instead); `taken` are the camera's source names.
    pub fn problem(&self, field: TriggerField, taken: &[String]) -> Option<String> {
        match field {
            TriggerField::Name => {
                let name = self.name.trim();
                if name.is_empty() {
                    return None;
                }
                if taken.iter().any(|t| t == name) {
                    return Some(tr!("setup-trigger-name-taken", name = name));
                }
                let probe = NewTriggerSource {
                    camera_id: 0,
                    name: name.to_string(),
                    topic: "t".into(),
                    when: TriggerCondition::Payload("ON".into()),
                    hold_s: None,
                };
                probe.validate().err().map(|e| e.0)
            }
            TriggerField::Topic => {
                let topic = self.topic.trim();
                (!topic.is_empty())
                    .then(|| check_topic_filter(topic).err().map(|e| e.0))
                    .flatten()
            }
            TriggerField::Condition => self.parsed_condition()?.err(),
            TriggerField::Hold => self.hold_s().err(),
        }
    }

    /// The condition as parsed, `None` while the field is blank.
    pub fn parsed_condition(&self) -> Option<Result<TriggerCondition, String>> {
        let text = self.condition.trim();
        (!text.is_empty()).then(|| TriggerCondition::parse(text).map_err(|e| e.0))
    }

    /// The hold in seconds (`None` when blank), or its problem.
    fn hold_s(&self) -> Result<Option<f64>, String> {
        let text = self.hold.trim();
        if text.is_empty() {
            return Ok(None);
        }
        let secs = parse_duration_us(text).map_err(|e| e.0)? as f64 / 1e6;
        let probe = NewTriggerSource {
            camera_id: 0,
            name: "n".into(),
            topic: "t".into(),
            when: TriggerCondition::Payload("ON".into()),
            hold_s: Some(secs),
        };
        probe.validate().map_err(|e| e.0)?;
        Ok(Some(secs))
    }

    /// The source to add to camera `camera_id`, or why it cannot be added yet.
    pub fn to_source(&self, camera_id: i64, taken: &[String]) -> Result<NewTriggerSource, String> {
        let fields = [
            (
                TriggerField::Name,
                &self.name,
                tr!("setup-trigger-need-name"),
            ),
            (
                TriggerField::Topic,
                &self.topic,
                tr!("setup-trigger-need-topic"),
            ),
            (
                TriggerField::Condition,
                &self.condition,
                tr!("setup-trigger-need-condition"),
            ),
        ];
        for (field, text, missing) in fields {
            if text.trim().is_empty() {
                return Err(missing);
            }
            if let Some(e) = self.problem(field, taken) {
                return Err(e);
            }
        }
        let when = match self.parsed_condition() {
            Some(Ok(c)) => c,
            Some(Err(e)) => return Err(e),
            None => return Err(tr!("setup-trigger-need-condition")),
        };
        let source = NewTriggerSource {
            camera_id,
            name: self.name.trim().to_string(),
            topic: self.topic.trim().to_string(),
            when,
            hold_s: self.hold_s()?,
        };
        source.validate().map_err(|e| e.0)?;
        Ok(source)
    }
}

/// What a condition means, in words: the live line under the condition field.
pub fn meaning(c: &TriggerCondition) -> String {
    match c {
        TriggerCondition::Payload(p) => tr!("setup-trigger-means-payload", payload = p),
        TriggerCondition::Field { path, op, value } => {
            // Selectors in the catalogue: each language words the comparison its own way.
            let op = match op {
                CompareOp::Eq => "eq",
                CompareOp::Ne => "ne",
                CompareOp::Gt => "gt",
                CompareOp::Ge => "ge",
                CompareOp::Lt => "lt",
                CompareOp::Le => "le",
            };
            let (kind, value) = match value.as_str() {
                Some(s) => ("text", s.to_string()),
                None => ("other", value.to_string()),
            };
            tr!(
                "setup-trigger-means-field",
                path = path,
                op = op,
                kind = kind,
                value = value
            )
        }
    }
}

/// When a source's events end, short: "on the opposite message" or "… or 30s after".
pub fn ends(hold_s: Option<f64>) -> String {
    match hold_s {
        None => tr!("setup-trigger-ends-never"),
        Some(s) if s.fract() == 0.0 && s >= 0.0 => {
            tr!("setup-trigger-ends-after", hold = duration(s as u32))
        }
        Some(s) => tr!("setup-trigger-ends-after-s", seconds = s.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(name: &str, topic: &str, condition: &str, hold: &str) -> TriggerForm {
        TriggerForm {
            name: name.into(),
            topic: topic.into(),
            condition: condition.into(),
            hold: hold.into(),
        }
    }

    #[test]
    fn a_full_form_makes_the_source() {
        let f = form(
            " door ",
            "zigbee2mqtt/front_door",
            "contact == false",
            "1m30s",
        );
        let s = f.to_source(7, &[]).unwrap();
        assert_eq!((s.camera_id, s.name.as_str()), (7, "door"));
        assert_eq!(s.when.as_text(), "contact == false");
        assert_eq!(s.hold_s, Some(90.0));
        let f = form("bell", "doorbell/press", "ON", "");
        assert_eq!(f.to_source(7, &[]).unwrap().hold_s, None);
    }

    #[test]
    fn blank_fields_wait_quietly_and_bad_ones_say_why() {
        let blank = TriggerForm::default();
        for field in [
            TriggerField::Name,
            TriggerField::Topic,
            TriggerField::Condition,
            TriggerField::Hold,
        ] {
            assert_eq!(blank.problem(field, &[]), None, "{field:?}");
        }
        assert_eq!(blank.to_source(1, &[]).unwrap_err(), "give it a name");
        let f = form("door", "a/#/b", "lux > dark", "2h");
        assert!(f
            .problem(TriggerField::Topic, &[])
            .unwrap()
            .contains("'#' only as its last level"));
        assert!(f
            .problem(TriggerField::Condition, &[])
            .unwrap()
            .contains("compares numbers"));
        assert!(f
            .problem(TriggerField::Hold, &[])
            .unwrap()
            .contains("between 0 and 3600 seconds"));
        let taken = ["door".to_string()];
        assert_eq!(
            f.problem(TriggerField::Name, &taken).unwrap(),
            "this camera already has a trigger source named 'door'"
        );
        assert!(f.to_source(1, &[]).is_err());
    }

    #[test]
    fn conditions_are_explained_as_they_are_typed() {
        let c = TriggerCondition::parse("contact == false").unwrap();
        assert_eq!(
            meaning(&c),
            "parses as: active when the JSON field 'contact' is false; the opposite ends the \
             event, and messages without the field are ignored"
        );
        let c = TriggerCondition::parse("state != open").unwrap();
        assert!(meaning(&c).contains("'state' is not the text \"open\""));
        let c = TriggerCondition::parse("ON").unwrap();
        assert!(meaning(&c).starts_with("parses as: active when the whole message is 'ON'"));
        assert_eq!(ends(None), "on the opposite message");
        assert_eq!(ends(Some(90.0)), "on the opposite message or 1m30s after");
    }
}
