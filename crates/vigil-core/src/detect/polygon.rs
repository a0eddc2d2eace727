//! A zone outline: a simple polygon in normalized frame coordinates, validated on the way in.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::geometry::{cross, dot, pt, segments_meet, twice_signed_area};
use crate::model::InvalidInput;

/// Smallest accepted area, as a fraction of the frame.
const MIN_AREA: f64 = 1e-6;

/// Most points an outline may have. Checking that edges do not cross is quadratic, and a
/// zone can come from a file or the API: far more than anyone draws, few enough to check
/// in a millisecond or two.
pub const MAX_POINTS: usize = 1000;

/// A simple (non-self-intersecting) polygon. Coordinates are fractions of the frame: `x` from
/// 0 (left) to 1 (right), `y` from 0 (top) to 1 (bottom), so a zone keeps its place whatever
/// the resolution. Serialized as `[[x,y],...]`; deserializing validates like [`Polygon::new`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(into = "Vec<(f32, f32)>", try_from = "Vec<(f32, f32)>")]
pub struct Polygon {
    points: Vec<(f32, f32)>,
}

impl Polygon {
    /// Validates the outline: at least 3 points, every coordinate within [0,1], no two
    /// consecutive points equal, no edge crossing or touching another, a non-zero area.
    pub fn new(points: Vec<(f32, f32)>) -> Result<Self, InvalidInput> {
        let n = points.len();
        if n < 3 {
            return Err(InvalidInput(format!(
                "a zone polygon needs at least 3 points, got {n}"
            )));
        }
        if n > MAX_POINTS {
            return Err(InvalidInput(format!(
                "a zone polygon may have at most {MAX_POINTS} points, got {n}"
            )));
        }
        for (i, &(x, y)) in points.iter().enumerate() {
            if !x.is_finite() || !y.is_finite() {
                return Err(InvalidInput(format!(
                    "point {} ({x},{y}) is not a pair of finite numbers",
                    i + 1
                )));
            }
            if !(0.0..=1.0).contains(&x) || !(0.0..=1.0).contains(&y) {
                return Err(InvalidInput(format!(
                    "point {} ({x},{y}) is outside the frame; coordinates are fractions of the \
                     width and height, from 0 to 1",
                    i + 1
                )));
            }
        }
        for i in 0..n {
            let j = (i + 1) % n;
            if points[i] == points[j] {
                let (x, y) = points[i];
                return Err(InvalidInput(format!(
                    "points {} and {} are both at ({x},{y}); remove one",
                    i + 1,
                    j + 1
                )));
            }
        }
        let polygon = Self { points };
        polygon.check_simple()?;
        if polygon.area_f64() < MIN_AREA {
            return Err(InvalidInput(
                "the polygon has no area (its points lie on one line or are too close together)"
                    .into(),
            ));
        }
        Ok(polygon)
    }

    /// The whole frame, for the implicit zone used when no detection zone is configured.
    pub fn full_frame() -> Self {
        Self {
            points: vec![(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)],
        }
    }

    /// Parses `"x,y x,y x,y ..."`; points may also be separated by `;`, and spaces around the
    /// commas are allowed. The result is validated like [`Polygon::new`].
    pub fn parse(text: &str) -> Result<Self, InvalidInput> {
        let compact = join_around_commas(text);
        let tokens: Vec<&str> = compact
            .split(|c: char| c.is_whitespace() || c == ';')
            .filter(|t| !t.is_empty())
            .collect();
        if tokens.is_empty() {
            return Err(InvalidInput(
                "the polygon is empty; give at least 3 points like \"0.1,0.5 0.4,0.5 0.4,0.9\""
                    .into(),
            ));
        }
        let mut points = Vec::with_capacity(tokens.len());
        for (i, token) in tokens.iter().enumerate() {
            let point = token
                .split_once(',')
                .and_then(|(x, y)| Some((x.parse::<f32>().ok()?, y.parse::<f32>().ok()?)));
            match point {
                Some(p) => points.push(p),
                None => {
                    return Err(InvalidInput(format!(
                        "point {} ('{token}') is not two numbers like 0.4,0.5",
                        i + 1
                    )))
                }
            }
        }
        Self::new(points)
    }

    pub fn points(&self) -> &[(f32, f32)] {
        &self.points
    }

    /// Area as a fraction of the frame (shoelace formula).
    pub fn area(&self) -> f32 {
        self.area_f64() as f32
    }

    /// Whether the point (x, y), in frame fractions, is inside the outline or on its edge
    /// (even-odd rule; a point on an edge counts as inside, so the whole-frame zone holds
    /// every point of the frame, corners and borders included).
    pub fn contains(&self, x: f32, y: f32) -> bool {
        let p = pt((x, y));
        let n = self.points.len();
        let mut inside = false;
        for i in 0..n {
            let (a, b) = (pt(self.points[i]), pt(self.points[(i + 1) % n]));
            if segments_meet(a, b, p, p) {
                return true;
            }
            if (a.1 > p.1) != (b.1 > p.1) {
                let x_cross = a.0 + (p.1 - a.1) / (b.1 - a.1) * (b.0 - a.0);
                if p.0 < x_cross {
                    inside = !inside;
                }
            }
        }
        inside
    }

    /// `[[x,y],...]`.
    pub fn to_json(&self) -> String {
        // Serializing a list of float pairs cannot fail; fall back to an empty list anyway.
        serde_json::to_string(self).unwrap_or_else(|_| "[]".into())
    }

    /// Reads `[[x,y],...]` and validates it.
    pub fn from_json(text: &str) -> Result<Self, InvalidInput> {
        serde_json::from_str(text)
            .map_err(|e| InvalidInput(format!("zone polygon '{text}' cannot be read: {e}")))
    }

    fn area_f64(&self) -> f64 {
        twice_signed_area(&self.points).abs() / 2.0
    }

    /// Non-adjacent edges must not cross or touch; adjacent edges must not fold back onto
    /// each other.
    fn check_simple(&self) -> Result<(), InvalidInput> {
        let n = self.points.len();
        let edge = |i: usize| (pt(self.points[i]), pt(self.points[(i + 1) % n]));
        let name = |i: usize| format!("{}-{}", i + 1, (i + 1) % n + 1);
        for i in 0..n {
            let (a, b) = edge(i);
            let c = edge((i + 1) % n).1;
            // Collinear with the next edge and pointing back: the outline folds on itself.
            if cross(b, a, c) == 0.0 && dot(b, a, c) > 0.0 {
                return Err(InvalidInput(format!(
                    "the polygon folds back on itself at point {}",
                    (i + 1) % n + 1
                )));
            }
            for j in i + 2..n {
                if i == 0 && j == n - 1 {
                    continue; // adjacent through the closing edge
                }
                let (c, d) = edge(j);
                if segments_meet(a, b, c, d) {
                    return Err(InvalidInput(format!(
                        "the polygon crosses itself: edge {} meets edge {}; list the points in \
                         order around the outline",
                        name(i),
                        name(j)
                    )));
                }
            }
        }
        Ok(())
    }
}

impl TryFrom<Vec<(f32, f32)>> for Polygon {
    type Error = InvalidInput;

    fn try_from(points: Vec<(f32, f32)>) -> Result<Self, InvalidInput> {
        Self::new(points)
    }
}

impl From<Polygon> for Vec<(f32, f32)> {
    fn from(polygon: Polygon) -> Self {
        polygon.points
    }
}

impl fmt::Display for Polygon {
    /// `"x,y x,y ..."` with up to 4 decimals, the form [`Polygon::parse`] reads.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, &(x, y)) in self.points.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            write!(f, "{},{}", short(x), short(y))?;
        }
        Ok(())
    }
}

/// Up to 4 decimals, without trailing zeros.
fn short(v: f32) -> String {
    let s = format!("{v:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.into()
    }
}

/// Removes whitespace next to commas so that `"0.1, 0.5"` reads as one point.
fn join_around_commas(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut after_comma = false;
    for c in text.chars() {
        if c == ',' {
            while out.ends_with(char::is_whitespace) {
                out.pop();
            }
            after_comma = true;
            out.push(c);
        } else if c.is_whitespace() && after_comma {
            continue;
        } else {
            after_comma = false;
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
#[path = "polygon_props.rs"]
mod props;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contains_inside_points_and_edges_but_not_outside() {
        let full = Polygon::full_frame();
        for (x, y) in [(0.5, 0.5), (0.0, 0.0), (1.0, 1.0), (0.3, 1.0), (1.0, 0.2)] {
            assert!(full.contains(x, y), "({x},{y})");
        }
        assert!(!full.contains(1.01, 0.5));
        // An L-shaped zone: its notch is outside.
        let l = Polygon::parse("0,0 0.5,0 0.5,0.5 1,0.5 1,1 0,1").unwrap();
        assert!(l.contains(0.25, 0.25) && l.contains(0.75, 0.75));
        assert!(!l.contains(0.75, 0.25));
        assert!(l.contains(0.75, 0.5), "on an edge");
    }

    #[test]
    fn rejects_too_many_points() {
        // Issue 9: any count used to be checked, in quadratic time.
        let ring: Vec<(f32, f32)> = (0..MAX_POINTS + 1)
            .map(|i| {
                let a = i as f32 / (MAX_POINTS + 1) as f32 * std::f32::consts::TAU;
                (0.5 + 0.4 * a.cos(), 0.5 + 0.4 * a.sin())
            })
            .collect();
        let e = err(&ring);
        assert_eq!(e, "a zone polygon may have at most 1000 points, got 1001");
        assert!(Polygon::new(ring[..MAX_POINTS].to_vec()).is_ok());
    }

    fn err(points: &[(f32, f32)]) -> String {
        Polygon::new(points.to_vec()).unwrap_err().0
    }

    #[test]
    fn rejects_too_few_points() {
        assert_eq!(
            err(&[(0.1, 0.1), (0.5, 0.5)]),
            "a zone polygon needs at least 3 points, got 2"
        );
    }

    #[test]
    fn rejects_out_of_range_and_non_finite() {
        let e = err(&[(0.1, 0.1), (1.2, 0.1), (0.5, 0.5)]);
        assert!(
            e.starts_with("point 2 (1.2,0.1) is outside the frame"),
            "{e}"
        );
        let e = err(&[(0.1, 0.1), (0.5, -0.1), (0.5, 0.5)]);
        assert!(
            e.starts_with("point 2 (0.5,-0.1) is outside the frame"),
            "{e}"
        );
        let e = err(&[(0.1, 0.1), (0.5, 0.1), (f32::NAN, 0.5)]);
        assert_eq!(e, "point 3 (NaN,0.5) is not a pair of finite numbers");
    }

    #[test]
    fn rejects_repeated_consecutive_points() {
        let e = err(&[(0.1, 0.1), (0.5, 0.1), (0.5, 0.1), (0.5, 0.5)]);
        assert_eq!(e, "points 2 and 3 are both at (0.5,0.1); remove one");
        // The closing edge counts too.
        let e = err(&[(0.1, 0.1), (0.5, 0.1), (0.5, 0.5), (0.1, 0.1)]);
        assert_eq!(e, "points 4 and 1 are both at (0.1,0.1); remove one");
    }

    #[test]
    fn rejects_bow_tie() {
        let e = err(&[(0.1, 0.1), (0.9, 0.9), (0.9, 0.1), (0.1, 0.9)]);
        assert_eq!(
            e,
            "the polygon crosses itself: edge 1-2 meets edge 3-4; list the points in order \
             around the outline"
        );
    }

    #[test]
    fn rejects_touching_edges_and_folds() {
        // Vertex 4 sits on edge 1-2.
        let e = err(&[(0.1, 0.1), (0.9, 0.1), (0.9, 0.9), (0.5, 0.1), (0.1, 0.9)]);
        assert!(e.starts_with("the polygon crosses itself"), "{e}");
        // Goes right, then comes back along the same line.
        let e = err(&[(0.1, 0.1), (0.9, 0.1), (0.5, 0.1), (0.5, 0.9)]);
        assert_eq!(e, "the polygon folds back on itself at point 2");
    }

    #[test]
    fn rejects_zero_area() {
        let e = err(&[(0.1, 0.1), (0.5, 0.5), (0.9, 0.9)]);
        assert_eq!(e, "the polygon folds back on itself at point 3");
        let e = err(&[(0.1, 0.1), (0.1005, 0.1), (0.1, 0.1005)]);
        assert!(e.starts_with("the polygon has no area"), "{e}");
    }

    #[test]
    fn accepts_concave_polygon() {
        // An L shape.
        let l = [
            (0.1, 0.1),
            (0.3, 0.1),
            (0.3, 0.7),
            (0.8, 0.7),
            (0.8, 0.9),
            (0.1, 0.9),
        ];
        let p = Polygon::new(l.to_vec()).unwrap();
        assert!(
            (p.area() - (0.2 * 0.8 + 0.5 * 0.2)).abs() < 1e-6,
            "{}",
            p.area()
        );
        assert_eq!(p.points().len(), 6);
        // Whole-frame square is fine, edges on the frame border included.
        assert!(Polygon::new(Polygon::full_frame().points().to_vec()).is_ok());
    }

    #[test]
    fn parse_and_display_round_trip() {
        let p = Polygon::parse("0.1,0.5 0.4,0.5 0.4,0.9 0.1,0.9").unwrap();
        assert_eq!(
            p.points(),
            &[(0.1, 0.5), (0.4, 0.5), (0.4, 0.9), (0.1, 0.9)]
        );
        assert_eq!(p.to_string(), "0.1,0.5 0.4,0.5 0.4,0.9 0.1,0.9");
        assert_eq!(Polygon::parse(&p.to_string()).unwrap(), p);
        let q = Polygon::parse(" 0.1, 0.5; 0.4 ,0.5;0.4,0.9 ;0.1,0.9 ").unwrap();
        assert_eq!(q, p);
        let r = Polygon::new(vec![(0.0, 0.0), (1.0, 0.0), (0.123456, 0.987654)]).unwrap();
        assert_eq!(r.to_string(), "0,0 1,0 0.1235,0.9877");
    }

    #[test]
    fn parse_errors_name_the_token() {
        let e = Polygon::parse("0.1,0.5 0.4,0.5 0.4x 0.1,0.9")
            .unwrap_err()
            .0;
        assert_eq!(e, "point 3 ('0.4x') is not two numbers like 0.4,0.5");
        let e = Polygon::parse("0.1,0.5 0.4,0.5 0.4,y").unwrap_err().0;
        assert_eq!(e, "point 3 ('0.4,y') is not two numbers like 0.4,0.5");
        let e = Polygon::parse("0.1,0.5,0.3 0.4,0.5 0.4,0.9").unwrap_err().0;
        assert_eq!(e, "point 1 ('0.1,0.5,0.3') is not two numbers like 0.4,0.5");
        assert!(Polygon::parse("  ").unwrap_err().0.contains("empty"));
        // Validation applies after parsing.
        let e = Polygon::parse("0.1,0.5 0.4,0.5").unwrap_err().0;
        assert!(e.contains("at least 3 points"), "{e}");
    }

    #[test]
    fn json_round_trip_validates() {
        let p = Polygon::parse("0.1,0.5 0.4,0.5 0.4,0.9").unwrap();
        let json = p.to_json();
        assert_eq!(json, "[[0.1,0.5],[0.4,0.5],[0.4,0.9]]");
        assert_eq!(Polygon::from_json(&json).unwrap(), p);
        let e = Polygon::from_json("[[0.1,0.1],[0.9,0.9],[0.9,0.1],[0.1,0.9]]")
            .unwrap_err()
            .0;
        assert!(e.contains("crosses itself"), "{e}");
        assert!(Polygon::from_json("[[0.1,0.1]").is_err());
    }
}
