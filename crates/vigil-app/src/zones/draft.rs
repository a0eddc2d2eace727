//! The zone being drawn or edited, as a pure state machine on normalized points: add a
//! point, select, drag, remove, close the outline, and the checks before it is saved (the
//! polygon's own validation, with the library's message).

use crate::tr;
use vigil_core::detect::{Polygon, ZoneKind, ZoneSpec, DEFAULT_MIN_AREA, DEFAULT_SENSITIVITY};

/// A zone outline with its settings, not yet saved.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// The stored zone this edits, or 0 for a new one.
    pub id: i64,
    pub name: String,
    pub kind: ZoneKind,
    /// 0..=100.
    pub sensitivity: u8,
    /// Minimum changed area, percent of the zone.
    pub min_area_pct: f32,
    points: Vec<(f32, f32)>,
    closed: bool,
    selected: Option<usize>,
    drag: Option<Drag>,
}

/// A point being dragged, and where it sat relative to the pointer when grabbed.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Drag {
    index: usize,
    offset: (f32, f32),
}

impl Default for Draft {
    fn default() -> Self {
        Self {
            id: 0,
            name: String::new(),
            kind: ZoneKind::Detect,
            sensitivity: DEFAULT_SENSITIVITY,
            min_area_pct: DEFAULT_MIN_AREA * 100.0,
            points: Vec::new(),
            closed: false,
            selected: None,
            drag: None,
        }
    }
}

/// Why an outline of `n` points cannot be closed.
fn too_few(n: usize) -> String {
    tr!("zones-too-few-points", count = n)
}

impl Draft {
    /// A stored zone, ready to edit: its outline is closed.
    pub fn from_spec(zone: &ZoneSpec) -> Self {
        Self {
            id: zone.id,
            name: zone.display_name.clone(),
            kind: zone.kind,
            sensitivity: zone.sensitivity.min(100),
            min_area_pct: zone.min_area * 100.0,
            points: zone.polygon.points().to_vec(),
            closed: true,
            ..Self::default()
        }
    }

    pub fn is_new(&self) -> bool {
        self.id <= 0
    }

    pub fn points(&self) -> &[(f32, f32)] {
        &self.points
    }

    pub fn is_closed(&self) -> bool {
        self.closed
    }

    pub fn selected(&self) -> Option<usize> {
        self.selected
    }

    pub fn dragging(&self) -> Option<usize> {
        self.drag.map(|d| d.index)
    }

    /// A click on the picture at `at`, on point `hit` if any: the first point closes an open
    /// outline, another point is selected, and the empty picture adds a point to an open
    /// outline.
    pub fn click(&mut self, hit: Option<usize>, at: (f32, f32)) -> Result<(), String> {
        match hit {
            Some(0) if !self.closed && self.points.len() >= 2 => self.close(),
            Some(i) => {
                self.selected = Some(i);
                Ok(())
            }
            None => self.add_point(at),
        }
    }

    /// Adds a point at the end of an open outline and selects it.
    pub fn add_point(&mut self, at: (f32, f32)) -> Result<(), String> {
        if self.closed {
            return Err(tr!("zones-outline-closed"));
        }
        self.points
            .push((at.0.clamp(0.0, 1.0), at.1.clamp(0.0, 1.0)));
        self.selected = Some(self.points.len() - 1);
        Ok(())
    }

    /// Joins the last point to the first; needs at least 3 points.
    pub fn close(&mut self) -> Result<(), String> {
        if self.points.len() < 3 {
            return Err(too_few(self.points.len()));
        }
        self.closed = true;
        Ok(())
    }

    /// Removes a point; an outline left with fewer than 3 points opens again.
    pub fn remove_point(&mut self, index: usize) {
        if index >= self.points.len() {
            return;
        }
        self.points.remove(index);
        self.drag = None;
        self.selected = match self.selected {
            Some(s) if s == index => None,
            Some(s) if s > index => Some(s - 1),
            other => other,
        };
        if self.points.len() < 3 {
            self.closed = false;
        }
    }

    /// Removes the selected point; false when none is selected.
    pub fn remove_selected(&mut self) -> bool {
        match self.selected {
            Some(i) => {
                self.remove_point(i);
                true
            }
            None => false,
        }
    }

    /// Starts dragging point `index`, grabbed with the pointer at `grab`.
    pub fn start_drag(&mut self, index: usize, grab: (f32, f32)) {
        if let Some(&(x, y)) = self.points.get(index) {
            let offset = (x - grab.0, y - grab.1);
            self.drag = Some(Drag { index, offset });
            self.selected = Some(index);
        }
    }

    /// Moves the dragged point with the pointer, kept on the picture.
    pub fn drag_to(&mut self, pointer: (f32, f32)) {
        let Some(Drag { index, offset }) = self.drag else {
            return;
        };
        if let Some(p) = self.points.get_mut(index) {
            *p = (
                (pointer.0 + offset.0).clamp(0.0, 1.0),
                (pointer.1 + offset.1).clamp(0.0, 1.0),
            );
        }
    }

    pub fn end_drag(&mut self) {
        self.drag = None;
    }

    /// The outline as a valid polygon, or the library's reason why it is not one.
    pub fn polygon(&self) -> Result<Polygon, String> {
        Polygon::new(self.points.clone()).map_err(|e| e.0)
    }

    /// The zone to store: closes the outline if it can be and checks everything.
    pub fn to_spec(&mut self) -> Result<ZoneSpec, String> {
        self.close()?;
        let polygon = self.polygon()?;
        let name = self.name.trim();
        if name.is_empty() {
            return Err(tr!("zones-name-missing"));
        }
        let mut zone = ZoneSpec::new(self.id, name, self.kind, polygon);
        zone.sensitivity = self.sensitivity.min(100);
        zone.min_area = (self.min_area_pct / 100.0).clamp(0.0, 1.0);
        Ok(zone)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drawn(points: &[(f32, f32)]) -> Draft {
        let mut d = Draft::default();
        for &p in points {
            d.click(None, p).unwrap();
        }
        d
    }

    const SQUARE: [(f32, f32); 4] = [(0.1, 0.1), (0.5, 0.1), (0.5, 0.5), (0.1, 0.5)];

    #[test]
    fn clicks_add_points_and_the_first_point_closes() {
        let mut d = drawn(&SQUARE);
        assert_eq!(d.points(), SQUARE);
        assert_eq!(d.selected(), Some(3));
        assert!(!d.is_closed());
        d.click(Some(0), (0.1, 0.1)).unwrap();
        assert!(d.is_closed());
        let e = d.click(None, (0.9, 0.9)).unwrap_err();
        assert!(e.starts_with("the outline is closed"), "{e}");
        assert_eq!(d.points().len(), 4);
        d.click(Some(2), (0.5, 0.5)).unwrap();
        assert_eq!(d.selected(), Some(2));
    }

    #[test]
    fn fewer_than_three_points_cannot_close_or_save() {
        let mut d = drawn(&SQUARE[..2]);
        d.name = "gate".into();
        let e = d.click(Some(0), (0.1, 0.1)).unwrap_err();
        assert_eq!(
            e,
            "a zone needs at least 3 points; it has 2 — click on the picture to add more"
        );
        assert!(!d.is_closed());
        assert_eq!(d.to_spec().unwrap_err(), e);
        // One point: clicking it again only selects it.
        let mut one = drawn(&SQUARE[..1]);
        one.click(Some(0), (0.1, 0.1)).unwrap();
        assert_eq!(one.points().len(), 1);
    }

    #[test]
    fn dragging_moves_a_point_by_the_pointer_and_stays_on_the_picture() {
        let mut d = drawn(&SQUARE);
        // Grabbed 0.01 to the right of its centre.
        d.start_drag(2, (0.51, 0.5));
        assert_eq!(d.dragging(), Some(2));
        d.drag_to((0.71, 0.6));
        assert!((d.points()[2].0 - 0.7).abs() < 1e-6 && (d.points()[2].1 - 0.6).abs() < 1e-6);
        d.drag_to((1.5, -0.2));
        assert_eq!(d.points()[2], (1.0, 0.0));
        d.end_drag();
        d.drag_to((0.3, 0.3));
        assert_eq!(d.points()[2], (1.0, 0.0), "no longer dragged");
    }

    #[test]
    fn removing_points_keeps_the_selection_right_and_reopens_small_outlines() {
        let mut d = drawn(&SQUARE);
        d.close().unwrap();
        d.click(Some(3), SQUARE[3]).unwrap();
        d.remove_point(1);
        assert_eq!(d.points(), [SQUARE[0], SQUARE[2], SQUARE[3]]);
        assert_eq!(d.selected(), Some(2), "follows its point");
        assert!(d.is_closed());
        assert!(d.remove_selected());
        assert_eq!(d.points(), [SQUARE[0], SQUARE[2]]);
        assert!(!d.is_closed(), "two points are no outline");
        assert!(!d.remove_selected(), "nothing selected");
        d.remove_point(7);
        assert_eq!(d.points().len(), 2);
    }

    #[test]
    fn saving_checks_the_polygon_and_the_name() {
        let mut bow_tie = drawn(&[(0.1, 0.1), (0.9, 0.9), (0.9, 0.1), (0.1, 0.9)]);
        bow_tie.name = "x".into();
        let e = bow_tie.to_spec().unwrap_err();
        assert!(
            e.starts_with("the polygon crosses itself: edge 1-2 meets edge 3-4"),
            "{e}"
        );

        let mut d = drawn(&SQUARE);
        assert_eq!(d.to_spec().unwrap_err(), "give the zone a name");
        assert!(d.is_closed(), "saving closes the outline");
        d.name = "  gate ".into();
        d.kind = ZoneKind::Mask;
        d.sensitivity = 80;
        d.min_area_pct = 2.0;
        let z = d.to_spec().unwrap();
        assert_eq!((z.id, z.name.as_str(), z.kind), (0, "gate", ZoneKind::Mask));
        assert_eq!(z.polygon.points(), SQUARE);
        assert_eq!(z.sensitivity, 80);
        assert!((z.min_area - 0.02).abs() < 1e-6);
        let again = Draft::from_spec(&ZoneSpec { id: 7, ..z.clone() });
        assert!(again.is_closed() && !again.is_new());
        assert_eq!(again.points(), SQUARE);
        assert!((again.min_area_pct - 2.0).abs() < 1e-4);
    }
}
