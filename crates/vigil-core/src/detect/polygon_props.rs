//! Property tests for zone polygons: validation of arbitrary point lists, parsing of
//! arbitrary text, and rasterization of accepted polygons.

use proptest::prelude::*;

use super::*;
use crate::detect::raster::Raster;

/// Grid steps per unit for the exact checks: coordinates k/GRID are exact in f32 and f64,
/// and every cross product of their differences is exact in f64 (and in i64 below).
const GRID: i64 = 1 << 12;

/// Any float, weighted toward the interesting ones.
fn coordinate() -> impl Strategy<Value = f32> {
    prop_oneof![
        4 => 0.0f32..=1.0,
        1 => prop_oneof![
            Just(f32::NAN),
            Just(f32::INFINITY),
            Just(f32::NEG_INFINITY),
            Just(-0.0f32),
            Just(1.0 + f32::EPSILON),
            Just(f32::MIN_POSITIVE),
            Just(1e-45f32),
            any::<f32>(),
        ],
    ]
}

fn grid_point() -> impl Strategy<Value = (i64, i64)> {
    (0..=GRID, 0..=GRID)
}

/// Exact orientation of c relative to a→b on integer grid points.
fn orient(a: (i64, i64), b: (i64, i64), c: (i64, i64)) -> i64 {
    ((b.0 - a.0) * (c.1 - a.1) - (b.1 - a.1) * (c.0 - a.0)).signum()
}

fn within(a: (i64, i64), b: (i64, i64), p: (i64, i64)) -> bool {
    p.0 >= a.0.min(b.0) && p.0 <= a.0.max(b.0) && p.1 >= a.1.min(b.1) && p.1 <= a.1.max(b.1)
}

/// Whether closed segments a-b and c-d share a point (exact).
fn meet(a: (i64, i64), b: (i64, i64), c: (i64, i64), d: (i64, i64)) -> bool {
    let (o1, o2, o3, o4) = (
        orient(a, b, c),
        orient(a, b, d),
        orient(c, d, a),
        orient(c, d, b),
    );
    (o1 * o2 < 0 && o3 * o4 < 0)
        || (o1 == 0 && within(a, b, c))
        || (o2 == 0 && within(a, b, d))
        || (o3 == 0 && within(c, d, a))
        || (o4 == 0 && within(c, d, b))
}

/// An independent, exact statement of "simple": edges meet only where consecutive edges
/// share their vertex, and nowhere else.
fn exactly_simple(p: &[(i64, i64)]) -> bool {
    let n = p.len();
    let edge = |i: usize| (p[i], p[(i + 1) % n]);
    for i in 0..n {
        for j in i + 1..n {
            let ((a, b), (c, d)) = (edge(i), edge(j));
            let adjacent = j == i + 1 || (i == 0 && j == n - 1);
            if !adjacent {
                if meet(a, b, c, d) {
                    return false;
                }
                continue;
            }
            // Adjacent: the shared vertex is their only common point, unless they overlap,
            // which (for collinear edges) means the far ends lie on the same side of it.
            let (shared, u, v) = if j == i + 1 { (b, a, d) } else { (a, b, c) };
            let collinear = orient(shared, u, v) == 0;
            let same_side =
                (u.0 - shared.0) * (v.0 - shared.0) + (u.1 - shared.1) * (v.1 - shared.1) > 0;
            if collinear && same_side {
                return false;
            }
        }
    }
    true
}

fn to_f32(p: &[(i64, i64)]) -> Vec<(f32, f32)> {
    p.iter()
        .map(|&(x, y)| (x as f32 / GRID as f32, y as f32 / GRID as f32))
        .collect()
}

fn check_raster(p: &Polygon, width: usize, height: usize) -> Result<(), TestCaseError> {
    let r = Raster::new(p, width, height);
    let mut last: Option<(usize, usize)> = None;
    for s in r.spans() {
        prop_assert!(
            s.y < height && s.x0 < s.x1 && s.x1 <= width,
            "{:?} in {}x{}",
            s,
            width,
            height
        );
        if let Some((y, x1)) = last {
            prop_assert!(
                s.y > y || (s.y == y && s.x0 >= x1),
                "spans overlap or are out of order"
            );
        }
        last = Some((s.y, s.x1));
    }
    prop_assert!(r.count() <= width * height);
    prop_assert_eq!(r.to_bitmap().iter().filter(|b| **b).count(), r.count());
    Ok(())
}

proptest! {
    /// Any list of points: no panic; an accepted one has 3 to MAX_POINTS finite points in
    /// the frame, an area, and rasterizes inside the frame.
    #[test]
    fn validation_never_panics_and_accepted_polygons_hold(
        points in prop::collection::vec((coordinate(), coordinate()), 0..24),
        width in 0usize..96,
        height in 0usize..96,
    ) {
        if let Ok(p) = Polygon::new(points.clone()) {
            prop_assert_eq!(p.points(), &points[..]);
            prop_assert!((3..=MAX_POINTS).contains(&p.points().len()));
            for &(x, y) in p.points() {
                prop_assert!(x.is_finite() && y.is_finite());
                prop_assert!((0.0..=1.0).contains(&x) && (0.0..=1.0).contains(&y));
            }
            prop_assert!(f64::from(p.area()) >= MIN_AREA * 0.999);
            check_raster(&p, width, height)?;
            prop_assert_eq!(Polygon::from_json(&p.to_json()), Ok(p));
        }
    }

    /// On grid points (where the arithmetic is exact), acceptance is exactly "enough
    /// distinct consecutive points, simple, with an area".
    #[test]
    fn grid_polygons_are_accepted_exactly_when_simple(
        grid in prop::collection::vec(grid_point(), 3..9),
        small in prop::collection::vec((0i64..6, 0i64..6), 3..9),
        use_small in any::<bool>(),
        width in 1usize..80,
        height in 1usize..80,
    ) {
        // Small coordinates make collinear and touching edges common.
        let pts: Vec<(i64, i64)> = if use_small {
            small.iter().map(|&(x, y)| (x * GRID / 5, y * GRID / 5)).collect()
        } else {
            grid
        };
        let n = pts.len();
        let distinct = (0..n).all(|i| pts[i] != pts[(i + 1) % n]);
        let twice_area: i64 = (0..n)
            .map(|i| pts[i].0 * pts[(i + 1) % n].1 - pts[(i + 1) % n].0 * pts[i].1)
            .sum();
        let area = twice_area.abs() as f64 / 2.0 / (GRID * GRID) as f64;
        let expected = distinct && exactly_simple(&pts) && area >= MIN_AREA;
        let result = Polygon::new(to_f32(&pts));
        prop_assert_eq!(result.is_ok(), expected, "{:?}: {:?}", pts, result);
        if let Ok(p) = result {
            check_raster(&p, width, height)?;
        }
    }

    /// Star-shaped outlines (points sorted by angle around a centre) are simple, so most are
    /// accepted: many points, odd frame sizes, and the raster stays in the frame.
    #[test]
    fn star_shaped_polygons_rasterize_inside_the_frame(
        centre in (0.2f32..0.8, 0.2f32..0.8),
        rays in prop::collection::vec((0.0f32..1.0, 0.01f32..1.0), 3..200),
        width in 1usize..400,
        height in 1usize..400,
    ) {
        let mut rays = rays;
        rays.sort_by(|a, b| a.0.total_cmp(&b.0));
        let points: Vec<(f32, f32)> = rays
            .iter()
            .map(|&(t, r)| {
                let a = t * std::f32::consts::TAU;
                let reach = 0.2 * r;
                ((centre.0 + reach * a.cos()).clamp(0.0, 1.0), (centre.1 + reach * a.sin()).clamp(0.0, 1.0))
            })
            .collect();
        if let Ok(p) = Polygon::new(points) {
            check_raster(&p, width, height)?;
        }
    }

    /// Any text: no panic; accepted text makes a polygon that prints and parses back.
    #[test]
    fn parsing_never_panics(
        text in prop_oneof![
            "\\PC{0,40}",
            "(( |;|, )?(0|1|0\\.[0-9]{1,5}|-?[0-9.e+-]{1,6}|nan|inf),[ ]?(0|1|0\\.[0-9]{1,5}|[0-9.e+-]{1,6}|NaN)){0,7}",
        ]
    ) {
        if let Ok(p) = Polygon::parse(&text) {
            prop_assert!(p.points().len() >= 3);
            // The printed form rounds to 4 decimals; reading it back gives a valid polygon
            // or a clear error, never a panic.
            let _ = Polygon::parse(&p.to_string());
        }
    }

    /// Polygons on a 1/10000 grid print exactly and parse back equal.
    #[test]
    fn display_round_trips_on_four_decimals(pts in prop::collection::vec((0u32..=10_000, 0u32..=10_000), 3..8)) {
        let points: Vec<(f32, f32)> = pts
            .iter()
            .map(|&(x, y)| (format!("{:.4}", f64::from(x) / 1e4).parse().unwrap(), format!("{:.4}", f64::from(y) / 1e4).parse().unwrap()))
            .collect();
        if let Ok(p) = Polygon::new(points) {
            prop_assert_eq!(Polygon::parse(&p.to_string()), Ok(p));
        }
    }
}
