//! Plane geometry for drawing zones on screen: triangles that fill a (possibly concave)
//! outline, the hatching of a mask, and whether a position lies inside an outline.

use egui::{Pos2, Vec2};

fn cross(o: Pos2, a: Pos2, b: Pos2) -> f32 {
    (a - o).x * (b - o).y - (a - o).y * (b - o).x
}

fn twice_area(points: &[Pos2]) -> f32 {
    let n = points.len();
    (0..n)
        .map(|i| {
            let (a, b) = (points[i], points[(i + 1) % n]);
            a.x * b.y - b.x * a.y
        })
        .sum()
}

/// Whether `p` lies inside the outline (even-odd rule).
pub fn contains(points: &[Pos2], p: Pos2) -> bool {
    let n = points.len();
    let mut inside = false;
    for i in 0..n {
        let (a, b) = (points[i], points[(i + 1) % n]);
        if (a.y > p.y) != (b.y > p.y) {
            let x = a.x + (p.y - a.y) / (b.y - a.y) * (b.x - a.x);
            if p.x < x {
                inside = !inside;
            }
        }
    }
    inside
}

fn in_triangle(p: Pos2, a: Pos2, b: Pos2, c: Pos2) -> bool {
    cross(a, b, p) >= 0.0 && cross(b, c, p) >= 0.0 && cross(c, a, p) >= 0.0
}

/// Triangles (indices into `points`) that fill a simple outline, by ear clipping; empty
/// when the outline has fewer than 3 points or is not simple (it is then drawn unfilled).
pub fn triangulate(points: &[Pos2]) -> Vec<[usize; 3]> {
    if points.len() < 3 {
        return Vec::new();
    }
    // Work counter-clockwise in the maths sense (positive area).
    let mut left: Vec<usize> = (0..points.len()).collect();
    if twice_area(points) < 0.0 {
        left.reverse();
    }
    let mut triangles = Vec::with_capacity(points.len() - 2);
    while left.len() > 3 {
        let n = left.len();
        let ear = (0..n).find(|&i| {
            let (a, b, c) = (left[(i + n - 1) % n], left[i], left[(i + 1) % n]);
            let (pa, pb, pc) = (points[a], points[b], points[c]);
            cross(pa, pb, pc) > 0.0
                && !left
                    .iter()
                    .filter(|&&k| k != a && k != b && k != c)
                    .any(|&k| in_triangle(points[k], pa, pb, pc))
        });
        let Some(i) = ear else {
            return Vec::new();
        };
        triangles.push([left[(i + n - 1) % n], left[i], left[(i + 1) % n]]);
        left.remove(i);
    }
    triangles.push([left[0], left[1], left[2]]);
    // A crossing outline can still yield ears; its triangles then cover more than its area.
    let covered: f32 = triangles
        .iter()
        .map(|t| twice_area(&[points[t[0]], points[t[1]], points[t[2]]]).abs())
        .sum();
    let area = twice_area(points).abs();
    if (covered - area).abs() > 1e-3 * area.max(1.0) {
        return Vec::new();
    }
    triangles
}

/// Diagonal hatch lines `spacing` apart, clipped to the outline (even-odd), as segments.
pub fn hatch(points: &[Pos2], spacing: f32) -> Vec<[Pos2; 2]> {
    let n = points.len();
    if n < 3 || spacing <= 0.0 {
        return Vec::new();
    }
    // Lines x + y = c, rising to the right on screen.
    let key = |p: Pos2| p.x + p.y;
    let lo = points.iter().map(|&p| key(p)).fold(f32::INFINITY, f32::min);
    let hi = points
        .iter()
        .map(|&p| key(p))
        .fold(f32::NEG_INFINITY, f32::max);
    let mut segments = Vec::new();
    let mut c = lo + spacing / 2.0;
    while c < hi {
        let mut hits: Vec<Pos2> = (0..n)
            .filter_map(|i| {
                let (a, b) = (points[i], points[(i + 1) % n]);
                let (fa, fb) = (key(a) - c, key(b) - c);
                ((fa > 0.0) != (fb > 0.0)).then(|| a + (b - a) * (fa / (fa - fb)))
            })
            .collect();
        hits.sort_by(|p, q| p.x.total_cmp(&q.x));
        segments.extend(hits.chunks_exact(2).map(|s| [s[0], s[1]]));
        c += spacing;
    }
    segments
}

/// Where to write a zone's name: the middle of its points.
pub fn label_pos(points: &[Pos2]) -> Option<Pos2> {
    if points.is_empty() {
        return None;
    }
    let sum = points.iter().fold(Vec2::ZERO, |s, p| s + p.to_vec2());
    Some((sum / points.len() as f32).to_pos2())
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::pos2;

    fn area_of(points: &[Pos2], tris: &[[usize; 3]]) -> f32 {
        tris.iter()
            .map(|t| twice_area(&[points[t[0]], points[t[1]], points[t[2]]]).abs() / 2.0)
            .sum()
    }

    #[test]
    fn a_concave_outline_is_filled_exactly() {
        // An L shape, clockwise on screen, area 40·10 + 10·30 = 700.
        let l = [
            pos2(0.0, 0.0),
            pos2(10.0, 0.0),
            pos2(10.0, 30.0),
            pos2(40.0, 30.0),
            pos2(40.0, 40.0),
            pos2(0.0, 40.0),
        ];
        let tris = triangulate(&l);
        assert_eq!(tris.len(), 4);
        assert!((area_of(&l, &tris) - 700.0).abs() < 1e-3);
        let mut reversed = l;
        reversed.reverse();
        assert!((area_of(&reversed, &triangulate(&reversed)) - 700.0).abs() < 1e-3);
    }

    #[test]
    fn outlines_that_cannot_be_filled_give_no_triangles() {
        let bow_tie = [
            pos2(0.0, 0.0),
            pos2(10.0, 10.0),
            pos2(10.0, 0.0),
            pos2(0.0, 10.0),
        ];
        assert!(triangulate(&bow_tie).is_empty());
        assert!(triangulate(&bow_tie[..2]).is_empty());
    }

    #[test]
    fn inside_follows_the_outline() {
        let l = [
            pos2(0.0, 0.0),
            pos2(10.0, 0.0),
            pos2(10.0, 30.0),
            pos2(40.0, 30.0),
            pos2(40.0, 40.0),
            pos2(0.0, 40.0),
        ];
        assert!(contains(&l, pos2(5.0, 5.0)));
        assert!(contains(&l, pos2(35.0, 35.0)));
        assert!(!contains(&l, pos2(35.0, 5.0)), "the notch");
        assert!(!contains(&l, pos2(50.0, 5.0)));
    }

    #[test]
    fn hatching_stays_inside_the_outline() {
        let square = [
            pos2(0.0, 0.0),
            pos2(100.0, 0.0),
            pos2(100.0, 100.0),
            pos2(0.0, 100.0),
        ];
        let lines = hatch(&square, 10.0);
        assert_eq!(lines.len(), 20);
        for [a, b] in &lines {
            for p in [a, b] {
                assert!((-1e-3..=100.001).contains(&p.x) && (-1e-3..=100.001).contains(&p.y));
            }
            assert!(contains(
                &square,
                pos2((a.x + b.x) / 2.0, (a.y + b.y) / 2.0)
            ));
        }
        assert_eq!(label_pos(&square), Some(pos2(50.0, 50.0)));
        assert_eq!(label_pos(&[]), None);
    }
}
