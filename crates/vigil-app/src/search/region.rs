//! The region a motion search looks in, drawn on the camera's picture: a rectangle dragged
//! out, or a polygon clicked point by point (the zone editor's [`Draft`], closed by clicking
//! its first point), turned into the engine's [`SearchRegion`] and checked with its sentence.

use egui::{Color32, Painter, Pos2, Rect, Shape, Stroke};

use crate::picture_map::PictureMap;
use crate::zones::draft::Draft;
use vigil_core::service::SearchRegion;

const OUTLINE: Color32 = Color32::from_rgb(255, 200, 60);
const FILL: Color32 = Color32::from_rgba_premultiplied(60, 48, 12, 60);

/// What has been drawn so far.
#[derive(Debug, Clone, Default)]
pub enum RegionDraw {
    #[default]
    Nothing,
    /// A rectangle between two picture points (being dragged while `dragging`).
    Rect {
        a: (f32, f32),
        b: (f32, f32),
        dragging: bool,
    },
    /// A polygon being clicked, or closed.
    Polygon(Draft),
}

impl RegionDraw {
    /// A drag started at `at`: a new rectangle.
    pub fn drag_start(&mut self, at: (f32, f32)) {
        *self = Self::Rect {
            a: at,
            b: at,
            dragging: true,
        };
    }

    pub fn drag_to(&mut self, at: (f32, f32)) {
        if let Self::Rect { b, dragging, .. } = self {
            if *dragging {
                *b = at;
            }
        }
    }

    pub fn drag_end(&mut self) {
        if let Self::Rect { dragging, .. } = self {
            *dragging = false;
        }
    }

    /// A click at `at` (on point `hit` of the polygon, if any): adds a polygon point, or
    /// closes it on the first; a click after a rectangle or a closed polygon starts anew.
    pub fn click(&mut self, hit: Option<usize>, at: (f32, f32)) -> Result<(), String> {
        let open = matches!(self, Self::Polygon(d) if !d.is_closed());
        if !open {
            *self = Self::Polygon(Draft::default());
        }
        match self {
            Self::Polygon(d) => d.click(hit, at),
            _ => Ok(()),
        }
    }

    /// The polygon's points (for hit tests).
    pub fn points(&self) -> &[(f32, f32)] {
        match self {
            Self::Polygon(d) => d.points(),
            _ => &[],
        }
    }

    /// The region to search, once one is finished; `None` while there is none.
    pub fn region(&self) -> Option<SearchRegion> {
        match self {
            Self::Nothing => None,
            Self::Rect { a, b, dragging } => (!dragging).then(|| SearchRegion::Rect {
                x: a.0.min(b.0),
                y: a.1.min(b.1),
                w: (a.0 - b.0).abs(),
                h: (a.1 - b.1).abs(),
            }),
            Self::Polygon(d) => d.is_closed().then(|| SearchRegion::Polygon {
                points: d.points().to_vec(),
            }),
        }
    }

    /// Draws the region over the picture.
    pub fn paint(&self, painter: &Painter, map: &PictureMap, pointer: Option<Pos2>) {
        match self {
            Self::Nothing => {}
            Self::Rect { a, b, .. } => {
                let r = Rect::from_two_pos(map.to_screen(*a), map.to_screen(*b));
                painter.rect_filled(r, 0.0, FILL);
                painter.rect_stroke(r, 0.0, Stroke::new(2.0, OUTLINE), egui::StrokeKind::Middle);
            }
            Self::Polygon(d) if d.is_closed() => {
                let points = map.all_to_screen(d.points());
                painter.add(Shape::closed_line(points, Stroke::new(2.0, OUTLINE)));
            }
            Self::Polygon(d) => crate::zones::paint::draft(painter, map, d, pointer),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dragged_rectangle_and_a_closed_polygon_become_regions() {
        let mut r = RegionDraw::default();
        assert_eq!(r.region(), None);
        r.drag_start((0.6, 0.5));
        r.drag_to((0.1, 0.2));
        assert_eq!(r.region(), None, "still dragging");
        r.drag_end();
        let Some(SearchRegion::Rect { x, y, w, h }) = r.region() else {
            panic!("a rectangle");
        };
        assert!((x - 0.1).abs() < 1e-6 && (y - 0.2).abs() < 1e-6);
        assert!((w - 0.5).abs() < 1e-6 && (h - 0.3).abs() < 1e-6);
        for p in [(0.1, 0.1), (0.5, 0.1), (0.3, 0.4)] {
            r.click(None, p).unwrap();
        }
        assert_eq!(r.region(), None, "open outline");
        r.click(Some(0), (0.1, 0.1)).unwrap();
        assert!(matches!(r.region(), Some(SearchRegion::Polygon { points }) if points.len() == 3));
    }

    #[test]
    fn a_flat_rectangle_is_refused_with_the_engines_sentence() {
        let mut r = RegionDraw::default();
        r.drag_start((0.2, 0.2));
        r.drag_to((0.6, 0.2));
        r.drag_end();
        let err = r.region().unwrap().cells().unwrap_err();
        assert!(err.to_string().contains("is empty"), "{err}");
    }
}
