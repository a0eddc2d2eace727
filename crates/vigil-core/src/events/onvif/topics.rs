//! What the camera's event topics mean to Vigil: motion (`RuleEngine/CellMotionDetector/
//! Motion` IsMotion, `VideoSource/MotionAlarm` State), digital inputs (`Device/Trigger/
//! DigitalInput` LogicalState, "input <token>") and tampering (`VideoSource/
//! GlobalSceneChange/ImagingService` State, `RuleEngine/TamperDetector/Tamper` IsTamper),
//! each a begin or an end of activity. Other topics are logged once and ignored.

use std::collections::HashSet;

/// One notification as the camera sent it (a `tt:Message` under its topic).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Notification {
    /// As written, e.g. `tns1:RuleEngine/CellMotionDetector/Motion`.
    pub topic: String,
    /// `Initialized`, `Changed` or `Deleted`, when given.
    pub operation: Option<String>,
    /// The Source SimpleItems (name, value): which video source, rule or input.
    pub source: Vec<(String, String)>,
    /// The Data SimpleItems (name, value): the state.
    pub data: Vec<(String, String)>,
}

/// What kind of activity a topic reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Motion,
    Input,
    Tamper,
}

/// A begin (`active`) or end of activity, ready for the event bus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub kind: Kind,
    /// `onvif:<topic>:<source token>`: ties the end to its begin.
    pub key: String,
    pub label: String,
    pub active: bool,
}

/// `RuleEngine/CellMotionDetector/Motion` from `tns1:RuleEngine/CellMotionDetector/Motion`
/// (namespace prefixes dropped from every part, a trailing `//.` too).
pub fn topic_path(raw: &str) -> String {
    raw.trim()
        .trim_end_matches("//.")
        .split('/')
        .filter(|p| !p.is_empty())
        .map(|p| p.rsplit(':').next().unwrap_or(p))
        .collect::<Vec<_>>()
        .join("/")
}

/// The known topics: path, the data item holding the state, the kind.
const TOPICS: &[(&str, &str, Kind)] = &[
    (
        "RuleEngine/CellMotionDetector/Motion",
        "IsMotion",
        Kind::Motion,
    ),
    ("VideoSource/MotionAlarm", "State", Kind::Motion),
    ("Device/Trigger/DigitalInput", "LogicalState", Kind::Input),
    (
        "VideoSource/GlobalSceneChange/ImagingService",
        "State",
        Kind::Tamper,
    ),
    ("RuleEngine/TamperDetector/Tamper", "IsTamper", Kind::Tamper),
];

fn truthy(v: &str) -> Option<bool> {
    match v.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "on" | "active" => Some(true),
        "false" | "0" | "off" | "inactive" => Some(false),
        _ => None,
    }
}

/// Maps notifications to changes; remembers which unknown topics it already logged.
#[derive(Debug, Default)]
pub struct TopicMap {
    logged: HashSet<String>,
}

impl TopicMap {
    /// The change `n` reports, or `None` for a topic Vigil does not map (logged once).
    pub fn interpret(&mut self, n: &Notification) -> Option<Change> {
        let path = topic_path(&n.topic);
        let Some(&(_, item, kind)) = TOPICS.iter().find(|(p, _, _)| *p == path) else {
            if self.logged.insert(path.clone()) {
                tracing::debug!(topic = %n.topic, "ONVIF topic ignored");
            }
            return None;
        };
        if n.operation.as_deref() == Some("Deleted") {
            return None;
        }
        let value = n
            .data
            .iter()
            .find(|(k, _)| k == item)
            .or_else(|| n.data.first())?;
        let active = truthy(&value.1)?;
        let token = match kind {
            Kind::Input => n
                .source
                .iter()
                .find(|(k, _)| k == "InputToken")
                .or_else(|| n.source.first()),
            _ => n.source.first(),
        }
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
        let label = match kind {
            Kind::Motion => "camera motion".to_string(),
            Kind::Input => format!("input {token}").trim().to_string(),
            Kind::Tamper => "tampering".to_string(),
        };
        Some(Change {
            kind,
            key: format!("onvif:{path}:{token}"),
            label,
            active,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(topic: &str, source: (&str, &str), data: (&str, &str)) -> Notification {
        Notification {
            topic: topic.into(),
            operation: Some("Changed".into()),
            source: vec![(source.0.into(), source.1.into())],
            data: vec![(data.0.into(), data.1.into())],
        }
    }

    #[test]
    fn the_standard_topics_map_to_labelled_begins_and_ends() {
        let mut m = TopicMap::default();
        let c = m
            .interpret(&note(
                "tns1:RuleEngine/CellMotionDetector/Motion",
                ("VideoSourceConfigurationToken", "vsc1"),
                ("IsMotion", "true"),
            ))
            .expect("motion");
        assert_eq!(c.kind, Kind::Motion);
        assert_eq!(c.label, "camera motion");
        assert_eq!(c.key, "onvif:RuleEngine/CellMotionDetector/Motion:vsc1");
        assert!(c.active);
        let c = m
            .interpret(&note(
                "tns1:VideoSource/MotionAlarm",
                ("Source", "vs1"),
                ("State", "false"),
            ))
            .expect("alarm");
        assert_eq!((c.kind, c.active), (Kind::Motion, false));
        let c = m
            .interpret(&note(
                "tns1:Device/Trigger/DigitalInput",
                ("InputToken", "1"),
                ("LogicalState", "true"),
            ))
            .expect("input");
        assert_eq!((c.label.as_str(), c.kind), ("input 1", Kind::Input));
        for (topic, item) in [
            ("tns1:VideoSource/GlobalSceneChange/ImagingService", "State"),
            ("tns1:RuleEngine/TamperDetector/Tamper", "IsTamper"),
        ] {
            let c = m
                .interpret(&note(topic, ("Source", "vs1"), (item, "true")))
                .expect("tamper");
            assert_eq!((c.label.as_str(), c.kind), ("tampering", Kind::Tamper));
        }
        assert_eq!(
            m.interpret(&note(
                "tns1:RuleEngine/LineDetector/Crossed",
                ("Rule", "r"),
                ("ObjectId", "3")
            )),
            None
        );
        assert_eq!(m.logged.len(), 1);
    }

    #[test]
    fn prefixes_and_dialect_suffixes_do_not_matter() {
        assert_eq!(
            topic_path("tns1:VideoSource/tns1:MotionAlarm//."),
            "VideoSource/MotionAlarm"
        );
    }
}
