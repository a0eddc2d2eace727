//! Object detection in words: an object event's title ("person in driveway"), the object
//! detection line of a tile's hover details, and its problem for the problems panel.

use crate::tr;
use vigil_core::model::EventSource;
use vigil_core::service::CameraStatus;

/// An event's title as the clip library and the timeline show it: an object event reads
/// "person in driveway" (its zone named once, whether or not the label already has it);
/// others keep their label.
pub fn event_title(source: EventSource, label: &str, zone: Option<&str>) -> String {
    match (source, zone) {
        (EventSource::Object, Some(z)) if !label.contains(z) => {
            tr!("objects-event-title", label = label, zone = z)
        }
        _ => label.to_string(),
    }
}

/// Whether an event's details should still name its zone (an object event's title does).
pub fn zone_in_details(source: EventSource) -> bool {
    source != EventSource::Object
}

/// The object detection line of a tile's hover details: what it looks for and with which
/// detector, or why it is off.
pub fn status_line(cam: &CameraStatus) -> Option<String> {
    let o = cam.objects.as_ref()?;
    if let Some(e) = &o.error {
        return Some(tr!("objects-problem", error = e));
    }
    let wanted = o.wanted.join(", ");
    Some(match &o.detector {
        Some(d) => tr!(
            "objects-detecting",
            wanted = wanted.as_str(),
            detector = d,
            runs = o.runs.to_string(),
            dropped = o.dropped.to_string()
        ),
        None => tr!("objects-loading", wanted = wanted),
    })
}

/// The camera's object detection problem, for the problems panel.
pub fn problem(cam: &CameraStatus) -> Option<String> {
    let e = cam.objects.as_ref()?.error.as_ref()?;
    Some(tr!("objects-problem", error = e))
}

/// The event badge's word for an object event: its object, "PERSON".
pub fn badge_word(label: &str) -> String {
    label
        .split(" in ") // i18n-ignore: the engine's label, not our words
        .next()
        .unwrap_or(label)
        .trim()
        .to_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use vigil_core::service::ObjectsStatus;

    #[test]
    fn object_events_read_naturally() {
        let o = EventSource::Object;
        assert_eq!(
            event_title(o, "person", Some("driveway")),
            "person in driveway"
        );
        assert_eq!(
            event_title(o, "person in driveway", Some("driveway")),
            "person in driveway"
        );
        assert_eq!(event_title(o, "person", None), "person");
        assert_eq!(
            event_title(EventSource::Motion, "motion", Some("gate")),
            "motion"
        );
        assert_eq!(badge_word("person in driveway"), "PERSON");
        assert_eq!(badge_word("car"), "CAR");
    }

    #[test]
    fn the_status_says_what_is_detected_or_why_not() {
        let mut cam = CameraStatus::new("yard", "demo://");
        assert_eq!(status_line(&cam), None);
        cam.objects = Some(ObjectsStatus {
            wanted: vec!["person".into()],
            detector: Some("built-in person detector".into()),
            runs: 12,
            ..ObjectsStatus::default()
        });
        assert_eq!(
            status_line(&cam).unwrap(),
            "detecting person (built-in person detector): 12 pictures, 0 skipped while busy"
        );
        assert_eq!(problem(&cam), None);
        let sentence = "the model file /m.onnx does not exist";
        cam.objects.as_mut().unwrap().error = Some(sentence.into());
        assert_eq!(
            problem(&cam).unwrap(),
            format!("object detection: {sentence}")
        );
        assert!(status_line(&cam).unwrap().contains(sentence));
    }
}
