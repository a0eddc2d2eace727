//! Non-maximum suppression: of overlapping boxes with the same label, keep the best.

use super::Found;

/// Greedy per-label suppression: boxes sorted by score, each kept unless it overlaps a kept
/// box of the same label by more than `iou` (intersection over union). At most `max` kept.
pub fn suppress(mut found: Vec<Found>, iou: f32, max: usize) -> Vec<Found> {
    found.sort_by(|a, b| b.score.total_cmp(&a.score));
    let mut kept: Vec<Found> = Vec::new();
    for f in found {
        if kept.len() >= max {
            break;
        }
        let overlaps = kept
            .iter()
            .any(|k| k.label == f.label && k.bbox.iou(&f.bbox) > iou);
        if !overlaps {
            kept.push(f);
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::objects::ObjectBox;

    fn f(label: &str, score: f32, x: f32) -> Found {
        Found {
            label: label.into(),
            score,
            bbox: ObjectBox::from_corners(x, 0.1, x + 0.3, 0.9),
        }
    }

    #[test]
    fn overlapping_boxes_of_one_label_become_the_best_one() {
        let kept = suppress(
            vec![
                f("person", 0.7, 0.02),
                f("person", 0.9, 0.0),
                f("car", 0.8, 0.0),
            ],
            0.6,
            10,
        );
        let got: Vec<(&str, f32)> = kept.iter().map(|k| (k.label.as_str(), k.score)).collect();
        assert_eq!(got, [("person", 0.9), ("car", 0.8)]);
    }

    #[test]
    fn separate_boxes_are_all_kept_up_to_the_limit() {
        let all = vec![f("person", 0.5, 0.0), f("person", 0.6, 0.5)];
        assert_eq!(suppress(all.clone(), 0.6, 10).len(), 2);
        assert_eq!(suppress(all, 0.6, 1)[0].score, 0.6);
    }
}
