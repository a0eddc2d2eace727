//! Detection quality against hand-made boxes: each detection is matched to the person it
//! overlaps most (IoU ≥ 0.5, best score first, one detection per person), so per frame a
//! person is found or missed and a detection is right or a false alarm. Detections on people
//! marked difficult count neither way.

use vigil_core::objects::{Found, ObjectBox};

use super::clips::{AnnotatedFrame, PixelBox};

/// Overlap a detection needs with a person's box to count as finding them.
pub const MATCH_IOU: f32 = 0.5;

/// People by height in the annotated frame, pixels: (label, lowest, highest).
pub const SIZES: [(&str, u32, u32); 3] = [
    ("< 60 px", 0, 59),
    ("60–99 px", 60, 99),
    ("≥ 100 px", 100, u32::MAX),
];

/// One frame's outcome.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrameScore {
    pub frame: u32,
    pub people: usize,
    pub found: usize,
    pub false_alarms: usize,
    /// Of the false alarms, those on no person at all (IoU < 0.1 with every person, difficult
    /// ones included); the others are boxes over a group or too loose or tight.
    pub on_background: usize,
    /// Detections on difficult people (not counted).
    pub on_difficult: usize,
    /// Found people by size class (`SIZES`): (people, found).
    pub by_size: [(usize, usize); 3],
    /// The best person score in the frame (0 when none), to see how far below the threshold
    /// a clip stays.
    pub best_score: f32,
}

/// Scores `detections` (normalized boxes) against `truth` in a `w`×`h` frame, keeping
/// `person` detections scoring at least `min_score`.
pub fn score_frame(
    detections: &[Found],
    truth: &AnnotatedFrame,
    (w, h): (u32, u32),
    min_score: f32,
) -> FrameScore {
    let to_norm = |b: &PixelBox| ObjectBox {
        x: b[0] as f32 / w as f32,
        y: b[1] as f32 / h as f32,
        w: b[2] as f32 / w as f32,
        h: b[3] as f32 / h as f32,
    };
    let people: Vec<ObjectBox> = truth.people.iter().map(to_norm).collect();
    let difficult: Vec<ObjectBox> = truth.difficult.iter().map(to_norm).collect();
    let mut dets: Vec<&Found> = detections
        .iter()
        .filter(|d| d.label == "person" && d.score >= min_score)
        .collect();
    dets.sort_by(|a, b| b.score.total_cmp(&a.score));
    let mut taken = vec![false; people.len()];
    let mut s = FrameScore {
        frame: truth.frame,
        people: people.len(),
        best_score: detections
            .iter()
            .filter(|d| d.label == "person")
            .map(|d| d.score)
            .fold(0.0, f32::max),
        ..FrameScore::default()
    };
    for d in dets {
        let best = people
            .iter()
            .enumerate()
            .filter(|(i, _)| !taken[*i])
            .map(|(i, p)| (i, p.iou(&d.bbox)))
            .max_by(|a, b| a.1.total_cmp(&b.1));
        match best {
            Some((i, iou)) if iou >= MATCH_IOU => {
                taken[i] = true;
                s.found += 1;
            }
            _ if difficult.iter().any(|p| p.iou(&d.bbox) >= MATCH_IOU) => s.on_difficult += 1,
            _ => {
                s.false_alarms += 1;
                let near = people
                    .iter()
                    .chain(&difficult)
                    .any(|p| p.iou(&d.bbox) >= 0.1);
                s.on_background += usize::from(!near);
            }
        }
    }
    for (i, b) in truth.people.iter().enumerate() {
        if let Some(k) = SIZES
            .iter()
            .position(|(_, lo, hi)| (*lo..=*hi).contains(&b[3]))
        {
            s.by_size[k].0 += 1;
            s.by_size[k].1 += usize::from(taken[i]);
        }
    }
    s
}

/// Totals over frames.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Totals {
    pub frames: usize,
    pub people: usize,
    pub found: usize,
    pub false_alarms: usize,
    pub on_background: usize,
    pub on_difficult: usize,
    pub by_size: [(usize, usize); 3],
    /// Frames with people where at least one was found (what an event needs).
    pub frames_someone_found: usize,
    /// Frames with at least one false alarm.
    pub frames_with_false_alarm: usize,
    /// Frames where every person was found.
    pub frames_all_found: usize,
}

impl Totals {
    pub fn of(frames: &[FrameScore]) -> Self {
        let mut t = Totals {
            frames: frames.len(),
            ..Totals::default()
        };
        for f in frames {
            t.people += f.people;
            t.found += f.found;
            t.false_alarms += f.false_alarms;
            t.on_background += f.on_background;
            t.on_difficult += f.on_difficult;
            t.frames_someone_found += usize::from(f.people > 0 && f.found > 0);
            t.frames_with_false_alarm += usize::from(f.false_alarms > 0);
            t.frames_all_found += usize::from(f.found == f.people);
            for k in 0..3 {
                t.by_size[k].0 += f.by_size[k].0;
                t.by_size[k].1 += f.by_size[k].1;
            }
        }
        t
    }

    /// Share of the people found (NaN without people).
    pub fn recall(&self) -> f64 {
        self.found as f64 / self.people as f64
    }

    /// Share of the counted detections that are people (NaN without detections).
    pub fn precision(&self) -> f64 {
        self.found as f64 / (self.found + self.false_alarms) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn det(score: f32, x: f32, y: f32, w: f32, h: f32) -> Found {
        Found {
            label: "person".into(),
            score,
            bbox: ObjectBox { x, y, w, h },
        }
    }

    fn frame(people: Vec<PixelBox>, difficult: Vec<PixelBox>) -> AnnotatedFrame {
        AnnotatedFrame {
            frame: 7,
            time_s: 0.7,
            people,
            difficult,
            hand: false,
        }
    }

    #[test]
    fn a_person_is_found_once_and_a_second_box_on_them_is_a_false_alarm() {
        // 100×100 frame; person at 10,10 20×50.
        let truth = frame(vec![[10, 10, 20, 50]], vec![]);
        let dets = [
            det(0.9, 0.10, 0.10, 0.20, 0.50),
            det(0.8, 0.11, 0.10, 0.20, 0.50),
            det(0.3, 0.60, 0.60, 0.10, 0.10), // below min score: ignored
        ];
        let s = score_frame(&dets, &truth, (100, 100), 0.5);
        assert_eq!((s.people, s.found, s.false_alarms), (1, 1, 1));
        assert_eq!(
            s.by_size,
            [(1, 1), (0, 0), (0, 0)],
            "one person under 60 px, found"
        );
        assert!((s.best_score - 0.9).abs() < 1e-6);
    }

    #[test]
    fn a_loose_box_misses_and_a_difficult_person_counts_neither_way() {
        let truth = frame(vec![[0, 0, 10, 100]], vec![[50, 0, 10, 100]]);
        // IoU with the person: 10×100 vs 30×100 → 1/3 < 0.5: a miss and a false alarm.
        let loose = det(0.9, 0.0, 0.0, 0.30, 1.0);
        let on_hidden = det(0.9, 0.50, 0.0, 0.10, 1.0);
        let far = det(0.9, 0.80, 0.0, 0.10, 0.5);
        let s = score_frame(&[loose, on_hidden, far], &truth, (100, 100), 0.5);
        assert_eq!((s.found, s.false_alarms, s.on_difficult), (0, 2, 1));
        assert_eq!(s.on_background, 1, "only the far box is on no person");
        assert_eq!(s.by_size, [(0, 0), (0, 0), (1, 0)]);
        let t = Totals::of(&[s.clone(), s]);
        assert_eq!((t.people, t.found, t.frames_with_false_alarm), (2, 0, 2));
        assert_eq!((t.on_background, t.frames_someone_found), (2, 0));
        assert_eq!(t.recall(), 0.0);
    }
}
