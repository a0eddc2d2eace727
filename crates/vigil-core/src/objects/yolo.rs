//! YOLOv8-style output decoding (Ultralytics exports): one tensor of `4 + classes` values
//! for each of N candidate boxes — centre x, centre y, width, height in network-input
//! pixels, then one score per class (already sigmoided, no separate objectness).
//!
//! Ultralytics writes it as 1×(4+C)×N (channels first); some exports transpose it to
//! 1×N×(4+C). The smaller dimension is taken as the attributes (N is 2100 for 320×320 and
//! 8400 for 640×640, far more than 4 + C for any detector with a sensible class count).

use super::frame::Letterbox;
use super::Found;

/// Overlap above which two boxes of one label are one object (Ultralytics' default).
pub const NMS_IOU: f32 = 0.45;

/// How a YOLO output tensor is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// Values per candidate: 4 box values + one score per class.
    pub attrs: usize,
    /// Candidate boxes.
    pub count: usize,
    /// `true` for (4+C)×N (value `a` of candidate `n` at `a * N + n`), `false` for N×(4+C).
    pub channels_first: bool,
}

impl Layout {
    /// The layout of an output of shape `shape` (leading 1s ignored), or why it is not one.
    pub fn of_shape(shape: &[usize]) -> Result<Self, String> {
        let dims: Vec<usize> = shape.iter().copied().skip_while(|&d| d == 1).collect();
        let [a, b] = dims[..] else {
            return Err(format!(
                "its output has shape {shape:?}; the YOLO format needs 1×(4+classes)×boxes"
            ));
        };
        let (attrs, count, channels_first) = if a <= b { (a, b, true) } else { (b, a, false) };
        if attrs < 5 {
            return Err(format!(
                "its output has shape {shape:?}, too few values per box for the YOLO format \
                 (4 box values and at least one class score)"
            ));
        }
        Ok(Self {
            attrs,
            count,
            channels_first,
        })
    }

    /// Number of classes the model scores.
    pub fn classes(&self) -> usize {
        self.attrs - 4
    }

    fn at(&self, data: &[f32], candidate: usize, attr: usize) -> f32 {
        let i = if self.channels_first {
            attr * self.count + candidate
        } else {
            candidate * self.attrs + attr
        };
        data.get(i).copied().unwrap_or(0.0)
    }
}

/// Every candidate whose best class scores at least `min_score`, labelled with `labels`
/// (index = class) and mapped back to the picture through the letterbox; the caller
/// suppresses overlaps.
pub fn decode(
    data: &[f32],
    layout: Layout,
    labels: &[String],
    min_score: f32,
    letterbox: &Letterbox,
) -> Vec<Found> {
    let mut out = Vec::new();
    if data.len() < layout.attrs * layout.count {
        return out;
    }
    for n in 0..layout.count {
        let (mut best, mut score) = (0usize, f32::NEG_INFINITY);
        for c in 0..layout.classes() {
            let s = layout.at(data, n, 4 + c);
            if s > score {
                (best, score) = (c, s);
            }
        }
        if score < min_score || !score.is_finite() {
            continue;
        }
        let [cx, cy, w, h] = [0, 1, 2, 3].map(|a| layout.at(data, n, a));
        let bbox = letterbox.to_picture(cx - w / 2.0, cy - h / 2.0, cx + w / 2.0, cy + h / 2.0);
        let label = labels
            .get(best)
            .cloned()
            .unwrap_or_else(|| format!("class {best}"));
        out.push(Found { label, score, bbox });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels() -> Vec<String> {
        vec!["person".into(), "car".into()]
    }

    /// The layout of [`tensor`].
    const FIRST: Layout = Layout {
        attrs: 6,
        count: 3,
        channels_first: true,
    };

    /// Three candidates, 4 + 2 classes, written channels first.
    fn tensor() -> Vec<f32> {
        let candidates = [
            // cx, cy, w, h, person, car
            [100.0, 50.0, 40.0, 60.0, 0.9, 0.1],
            [200.0, 100.0, 20.0, 20.0, 0.2, 0.7],
            [10.0, 10.0, 5.0, 5.0, 0.3, 0.1],
        ];
        (0..6)
            .flat_map(|a| candidates.iter().map(move |c| c[a]))
            .collect()
    }

    #[test]
    fn shapes_give_the_layout_either_way_round() {
        let l = Layout::of_shape(&[1, 22, 2100]).unwrap();
        assert_eq!((l.attrs, l.count, l.channels_first), (22, 2100, true));
        assert_eq!(l.classes(), 18);
        let t = Layout::of_shape(&[1, 8400, 84]).unwrap();
        assert_eq!((t.attrs, t.count, t.channels_first), (84, 8400, false));
        assert!(Layout::of_shape(&[1, 3, 2100]).is_err());
        let err = Layout::of_shape(&[1, 1917, 4, 2]).unwrap_err();
        assert!(err.contains("1×(4+classes)×boxes"), "{err}");
    }

    #[test]
    fn candidates_decode_to_picture_boxes_with_their_best_class() {
        // A 640×320 picture letterboxed into 320: scale 0.5, picture 320×160 in the input.
        let lb = Letterbox {
            side: 320,
            width: 640,
            height: 320,
        };
        let found = decode(&tensor(), FIRST, &labels(), 0.5, &lb);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!((found[0].label.as_str(), found[0].score), ("person", 0.9));
        let b = found[0].bbox;
        // x 80..120 of 320, y 20..80 of 160.
        assert!(
            (b.x - 0.25).abs() < 1e-6 && (b.w - 0.125).abs() < 1e-6,
            "{b:?}"
        );
        assert!(
            (b.y - 0.125).abs() < 1e-6 && (b.h - 0.375).abs() < 1e-6,
            "{b:?}"
        );
        assert_eq!((found[1].label.as_str(), found[1].score), ("car", 0.7));
    }

    #[test]
    fn the_transposed_layout_decodes_the_same() {
        let lb = Letterbox {
            side: 320,
            width: 320,
            height: 320,
        };
        let first = tensor();
        let transposed: Vec<f32> = (0..3)
            .flat_map(|n| (0..6).map(move |a| (n, a)))
            .map(|(n, a)| first[a * 3 + n])
            .collect();
        let flipped = Layout {
            channels_first: false,
            ..FIRST
        };
        let a = decode(&first, FIRST, &labels(), 0.25, &lb);
        let b = decode(&transposed, flipped, &labels(), 0.25, &lb);
        assert_eq!(a.len(), 3);
        assert_eq!(a, b);
    }

    #[test]
    fn a_short_tensor_gives_nothing_instead_of_a_panic() {
        let lb = Letterbox {
            side: 320,
            width: 320,
            height: 320,
        };
        assert!(decode(&[0.9; 5], FIRST, &labels(), 0.1, &lb).is_empty());
    }
}
