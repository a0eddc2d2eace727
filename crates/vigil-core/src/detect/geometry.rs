//! Exact-enough planar predicates for polygon validation: orientation, segment contact, area.

/// A point in f64, where the predicates are computed.
pub(crate) type P = (f64, f64);

pub(crate) fn pt((x, y): (f32, f32)) -> P {
    (f64::from(x), f64::from(y))
}

/// Cross product of (a - o) and (b - o): its sign tells on which side of o→a the point b is.
pub(crate) fn cross(o: P, a: P, b: P) -> f64 {
    (a.0 - o.0) * (b.1 - o.1) - (a.1 - o.1) * (b.0 - o.0)
}

pub(crate) fn dot(o: P, a: P, b: P) -> f64 {
    (a.0 - o.0) * (b.0 - o.0) + (a.1 - o.1) * (b.1 - o.1)
}

/// Whether p, known to be collinear with a-b, lies within the segment's bounding box.
fn on_segment(a: P, b: P, p: P) -> bool {
    p.0 >= a.0.min(b.0) && p.0 <= a.0.max(b.0) && p.1 >= a.1.min(b.1) && p.1 <= a.1.max(b.1)
}

/// Whether segments a-b and c-d cross or touch (endpoints and collinear overlap included).
pub(crate) fn segments_meet(a: P, b: P, c: P, d: P) -> bool {
    let (d1, d2) = (cross(a, b, c), cross(a, b, d));
    let (d3, d4) = (cross(c, d, a), cross(c, d, b));
    if ((d1 > 0.0 && d2 < 0.0) || (d1 < 0.0 && d2 > 0.0))
        && ((d3 > 0.0 && d4 < 0.0) || (d3 < 0.0 && d4 > 0.0))
    {
        return true;
    }
    (d1 == 0.0 && on_segment(a, b, c))
        || (d2 == 0.0 && on_segment(a, b, d))
        || (d3 == 0.0 && on_segment(c, d, a))
        || (d4 == 0.0 && on_segment(c, d, b))
}

/// Twice the signed area of a closed polygon (shoelace formula); positive when clockwise in
/// image coordinates (y down).
pub(crate) fn twice_signed_area(points: &[(f32, f32)]) -> f64 {
    let n = points.len();
    (0..n)
        .map(|i| {
            let (a, b) = (pt(points[i]), pt(points[(i + 1) % n]));
            a.0 * b.1 - b.0 * a.1
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_cross_touch_or_miss() {
        let (a, b) = ((0.0, 0.0), (1.0, 1.0));
        assert!(segments_meet(a, b, (0.0, 1.0), (1.0, 0.0)), "crossing");
        assert!(
            segments_meet(a, b, (0.5, 0.5), (1.0, 0.0)),
            "endpoint on the other"
        );
        assert!(
            segments_meet(a, b, (0.5, 0.5), (2.0, 2.0)),
            "collinear overlap"
        );
        assert!(
            !segments_meet(a, b, (2.0, 2.0), (3.0, 3.0)),
            "collinear, apart"
        );
        assert!(!segments_meet(a, b, (0.0, 0.5), (0.4, 0.9)), "parallel");
        assert!(!segments_meet(a, b, (0.6, 0.5), (1.0, 0.0)), "stops short");
    }

    #[test]
    fn orientation_and_area() {
        assert!(cross((0.0, 0.0), (1.0, 0.0), (0.0, 1.0)) > 0.0);
        assert_eq!(cross((0.0, 0.0), (1.0, 1.0), (2.0, 2.0)), 0.0);
        assert!(dot((0.0, 0.0), (1.0, 0.0), (2.0, 0.0)) > 0.0);
        let square = [(0.0, 0.0), (0.5, 0.0), (0.5, 0.5), (0.0, 0.5)];
        assert_eq!(twice_signed_area(&square), 0.5);
    }
}
