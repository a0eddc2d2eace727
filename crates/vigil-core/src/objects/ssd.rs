//! SSD box decoding: the network's box encodings against its anchors, and sigmoid scores.
//!
//! The anchors of the built-in SSDLite-MobileNetV2 (TensorFlow Object Detection API,
//! 300×300) are computed by the graph from constants only, in a part tract cannot run; they
//! are generated here from the same recipe (checked against TensorFlow to 1e-7): feature maps
//! 19, 10, 5, 3, 2, 1; scales from 0.2 to 0.95; the lowest layer has 3 anchors per cell,
//! the others 6; order: layer, row, column, anchor.

use super::Found;
use crate::model::objects::ObjectBox;

/// Box coder scale factors (y, x, h, w) of the TF Object Detection API's SSD configs.
const SCALE: [f32; 4] = [10.0, 10.0, 5.0, 5.0];

/// One anchor: centre (y, x) and size (h, w), normalized.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Anchor {
    pub cy: f32,
    pub cx: f32,
    pub h: f32,
    pub w: f32,
}

/// The 1917 anchors of the built-in 300×300 SSDLite person detector, in the network's order.
pub fn ssdlite_300_anchors() -> Vec<Anchor> {
    let maps = [19u32, 10, 5, 3, 2, 1];
    let (min, max, layers) = (0.2f32, 0.95f32, maps.len());
    let mut scales: Vec<f32> = (0..layers)
        .map(|i| min + (max - min) * i as f32 / (layers - 1) as f32)
        .collect();
    scales.push(1.0);
    let mut out = Vec::with_capacity(1917);
    for (l, &fm) in maps.iter().enumerate() {
        let shapes: Vec<(f32, f32)> = if l == 0 {
            vec![(0.1, 1.0), (0.2, 2.0), (0.2, 0.5)]
        } else {
            let s = scales[l];
            let mut v: Vec<(f32, f32)> = [1.0, 2.0, 0.5, 3.0, 0.3333]
                .iter()
                .map(|&ar| (s, ar))
                .collect();
            v.push(((s * scales[l + 1]).sqrt(), 1.0));
            v
        };
        for row in 0..fm {
            for col in 0..fm {
                for &(scale, ar) in &shapes {
                    let r = f32::sqrt(ar);
                    out.push(Anchor {
                        cy: (row as f32 + 0.5) / fm as f32,
                        cx: (col as f32 + 0.5) / fm as f32,
                        h: scale / r,
                        w: scale * r,
                    });
                }
            }
        }
    }
    out
}

/// Decodes the network's outputs: `boxes` holds 4 encodings (ty, tx, th, tw) per anchor,
/// `logits` holds `classes` logits per anchor (class 0 is the background). Returns every
/// anchor/class with sigmoid score ≥ `min_score`, boxes clipped to the picture; the caller
/// suppresses overlaps.
pub fn decode(
    anchors: &[Anchor],
    boxes: &[f32],
    logits: &[f32],
    classes: usize,
    labels: &[String],
    min_score: f32,
) -> Vec<Found> {
    let mut out = Vec::new();
    for (i, a) in anchors.iter().enumerate() {
        let (Some(enc), Some(cls)) = (
            boxes.get(i * 4..i * 4 + 4),
            logits.get(i * classes..(i + 1) * classes),
        ) else {
            break;
        };
        for (c, &logit) in cls.iter().enumerate().skip(1) {
            let score = 1.0 / (1.0 + (-logit).exp());
            if score < min_score {
                continue;
            }
            let cy = enc[0] / SCALE[0] * a.h + a.cy;
            let cx = enc[1] / SCALE[1] * a.w + a.cx;
            let h = (enc[2] / SCALE[2]).exp() * a.h;
            let w = (enc[3] / SCALE[3]).exp() * a.w;
            let label = labels
                .get(c - 1)
                .cloned()
                .unwrap_or_else(|| format!("class {c}"));
            out.push(Found {
                label,
                score,
                bbox: ObjectBox::from_corners(
                    cx - w / 2.0,
                    cy - h / 2.0,
                    cx + w / 2.0,
                    cy + h / 2.0,
                ),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_anchor_grid_matches_the_graph() {
        let a = ssdlite_300_anchors();
        assert_eq!(a.len(), 1917);
        // Values TensorFlow's graph computes (`Concatenate/concat:0`, as corners).
        let first = a[0];
        assert!(
            (first.cy - first.h / 2.0 - -0.0237).abs() < 1e-3,
            "{first:?}"
        );
        let last = a[1916];
        assert!((last.cy - last.h / 2.0 - 0.0127).abs() < 1e-3, "{last:?}");
        assert!((last.cy + last.h / 2.0 - 0.9873).abs() < 1e-3, "{last:?}");
    }

    #[test]
    fn a_zero_encoding_gives_the_anchor_box() {
        let anchors = [Anchor {
            cy: 0.5,
            cx: 0.5,
            h: 0.4,
            w: 0.2,
        }];
        let found = decode(&anchors, &[0.0; 4], &[0.0, 3.0], 2, &["person".into()], 0.5);
        assert_eq!(found.len(), 1);
        let b = found[0].bbox;
        assert!((b.x - 0.4).abs() < 1e-6 && (b.y - 0.3).abs() < 1e-6);
        assert!((b.w - 0.2).abs() < 1e-6 && (b.h - 0.4).abs() < 1e-6);
        assert!((found[0].score - 0.952_574).abs() < 1e-5);
        assert!(decode(&anchors, &[0.0; 4], &[0.0, -3.0], 2, &[], 0.5).is_empty());
    }
}
