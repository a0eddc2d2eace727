//! Which detections count in which zone: the zone's wanted labels (its own list, else the
//! camera's), a big enough box, and the box's bottom centre (where the object stands, as
//! Frigate places objects in zones) inside the zone's outline.

use crate::analyze::ObjectsPlan;
use crate::detect::{Polygon, ZoneKind, ZoneSpec, FRAME_ZONE_ID};
use crate::model::objects::ObjectBox;
use crate::objects::Found;

/// The detect zones (masks are the motion detector's business).
pub fn detect_zones(zones: &[ZoneSpec]) -> Vec<ZoneSpec> {
    zones
        .iter()
        .filter(|z| z.kind == ZoneKind::Detect)
        .cloned()
        .collect()
}

/// Every label the camera or one of its zones wants, in order, once.
pub fn wanted_labels(plan: &ObjectsPlan) -> Vec<String> {
    let mut out = plan.settings.objects.clone();
    for (_, labels) in &plan.zone_objects {
        for l in labels {
            if !out.contains(l) {
                out.push(l.clone());
            }
        }
    }
    out
}

/// The best detection of `label` that counts in a zone: big enough (`min_area` of the
/// picture) and standing in it (the box's bottom centre inside the outline, as Frigate
/// places objects in zones). Scores were filtered by the detector.
pub fn best_in<'a>(
    found: &'a [Found],
    label: &str,
    zone: &Polygon,
    min_area: f32,
) -> Option<&'a Found> {
    found
        .iter()
        .filter(|f| f.label == label && f.bbox.area() >= min_area)
        .filter(|f| {
            let (x, y) = bottom_centre(&f.bbox);
            zone.contains(x, y)
        })
        .max_by(|a, b| a.score.total_cmp(&b.score))
}

/// Where an object stands: the middle of its box's bottom edge.
pub fn bottom_centre(b: &ObjectBox) -> (f32, f32) {
    (b.x + b.w / 2.0, (b.y + b.h).min(1.0))
}

/// A zone's outline among the detect `zones`; the whole frame for the implicit zone of a
/// camera without detect zones.
pub fn outline(zones: &[ZoneSpec], zone_id: i64) -> Option<Polygon> {
    if zone_id == FRAME_ZONE_ID && zones.is_empty() {
        return Some(Polygon::full_frame());
    }
    zones
        .iter()
        .find(|z| z.id == zone_id)
        .map(|z| z.polygon.clone())
}

/// The labels that make events in a zone: its own list, else the camera's.
pub fn labels_for(plan: &ObjectsPlan, zone_id: i64) -> Vec<String> {
    plan.zone_objects
        .iter()
        .find(|(id, _)| *id == zone_id)
        .map_or_else(|| plan.settings.objects.clone(), |(_, l)| l.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(label: &str, score: f32, x: f32, y: f32, w: f32, h: f32) -> Found {
        Found {
            label: label.into(),
            score,
            bbox: ObjectBox { x, y, w, h },
        }
    }

    #[test]
    fn a_detection_counts_in_a_zone_where_it_stands() {
        // A driveway across the bottom half of the picture.
        let drive = Polygon::parse("0,0.5 1,0.5 1,1 0,1").unwrap();
        let all = [
            // Standing in it (feet at y 0.9), the best.
            found("person", 0.8, 0.1, 0.3, 0.1, 0.6),
            // Its head is in the zone's height, but it stands above it (feet at 0.45).
            found("person", 0.95, 0.5, 0.05, 0.1, 0.4),
            // Wrong label.
            found("car", 0.99, 0.3, 0.6, 0.3, 0.3),
            // Too small.
            found("person", 0.9, 0.8, 0.8, 0.01, 0.01),
        ];
        let best = best_in(&all, "person", &drive, 0.001).expect("one counts");
        assert_eq!(best.score, 0.8);
        assert!(best_in(&all, "dog", &drive, 0.001).is_none());
        assert_eq!(
            best_in(&all, "car", &Polygon::full_frame(), 0.001).map(|f| f.score),
            Some(0.99)
        );
    }

    #[test]
    fn zones_use_their_own_labels_else_the_cameras() {
        let plan = ObjectsPlan {
            settings: crate::model::ObjectSettings::default(),
            zone_objects: vec![(4, vec!["car".into(), "person".into()])],
        };
        assert_eq!(labels_for(&plan, 4), ["car", "person"]);
        assert_eq!(labels_for(&plan, 5), ["person"]);
        assert_eq!(wanted_labels(&plan), ["person", "car"]);
        let porch = ZoneSpec::new(5, "porch", ZoneKind::Detect, Polygon::full_frame());
        let mask = ZoneSpec::new(6, "road", ZoneKind::Mask, Polygon::full_frame());
        let detect = detect_zones(&[porch, mask]);
        assert_eq!(detect.len(), 1);
        assert!(outline(&detect, 5).is_some() && outline(&detect, 6).is_none());
        assert!(outline(&[], FRAME_ZONE_ID).is_some(), "the whole frame");
    }

    #[test]
    fn the_bottom_centre_of_a_box_at_the_picture_edge_is_in_the_whole_frame() {
        let b = ObjectBox::from_corners(0.2, 0.1, 0.6, 1.0);
        let (x, y) = bottom_centre(&b);
        assert!((x - 0.4).abs() < 1e-6 && y == 1.0, "({x}, {y})");
        assert!(Polygon::full_frame().contains(x, y));
    }
}
