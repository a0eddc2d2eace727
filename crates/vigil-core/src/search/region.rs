//! A motion search's region: a rectangle or a polygon in picture fractions, validated with a
//! sentence, and the cells of the motion index's grid it covers.

use serde::Serialize;

use crate::detect::cells::{CellMask, GRID_H, GRID_W};
use crate::detect::Polygon;
use crate::model::InvalidInput;

/// Where to look, in fractions of the picture (x to the right, y down, 0..1).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SearchRegion {
    Rect { x: f32, y: f32, w: f32, h: f32 },
    Polygon { points: Vec<(f32, f32)> },
}

/// Slack for a rectangle that ends at the picture's edge after float rounding.
const EDGE: f32 = 1e-4;
/// Points tried across and down a cell when the region is smaller than one.
const SAMPLES: usize = 8;

impl SearchRegion {
    /// Parses `x,y,w,h`.
    pub fn parse_rect(text: &str) -> Result<Self, InvalidInput> {
        let parts: Vec<f32> = text
            .split(',')
            .map(|p| p.trim().parse::<f32>())
            .collect::<Result<_, _>>()
            .map_err(|_| bad_rect(text))?;
        match parts[..] {
            [x, y, w, h] => Ok(Self::Rect { x, y, w, h }),
            _ => Err(bad_rect(text)),
        }
    }

    /// Parses `"x,y x,y x,y …"` (validated later, by [`SearchRegion::cells`]).
    pub fn parse_polygon(text: &str) -> Result<Self, InvalidInput> {
        let polygon = Polygon::parse(text).map_err(region_error)?;
        Ok(Self::Polygon {
            points: polygon.points().to_vec(),
        })
    }

    /// The region as a validated polygon.
    pub fn polygon(&self) -> Result<Polygon, InvalidInput> {
        match self {
            Self::Rect { x, y, w, h } => {
                let (x, y, w, h) = (*x, *y, *w, *h);
                let finite = [x, y, w, h].iter().all(|v| v.is_finite());
                if !finite || w <= 0.0 || h <= 0.0 {
                    return Err(InvalidInput(format!(
                        "the search rectangle {x},{y},{w},{h} is empty; give x,y,width,height \
                         with a width and height above 0"
                    )));
                }
                if x < 0.0 || y < 0.0 || x + w > 1.0 + EDGE || y + h > 1.0 + EDGE {
                    return Err(InvalidInput(format!(
                        "the search rectangle {x},{y},{w},{h} reaches outside the picture; \
                         x, y, width and height are fractions of the picture, from 0 to 1"
                    )));
                }
                let (x1, y1) = ((x + w).min(1.0), (y + h).min(1.0));
                Polygon::new(vec![(x, y), (x1, y), (x1, y1), (x, y1)]).map_err(region_error)
            }
            Self::Polygon { points } => Polygon::new(points.clone()).map_err(region_error),
        }
    }

    /// The grid cells the region covers: those whose centre is inside it, or, when that is
    /// none (a region smaller than a cell), those it covers any of.
    pub fn cells(&self) -> Result<CellMask, InvalidInput> {
        let polygon = self.polygon()?;
        let mut mask = CellMask::EMPTY;
        for_each_cell(|i, (x0, y0, x1, y1)| {
            if polygon.contains((x0 + x1) / 2.0, (y0 + y1) / 2.0) {
                mask.set(i);
            }
        });
        if mask.is_empty() {
            for_each_cell(|i, cell| {
                if touches(&polygon, cell) {
                    mask.set(i);
                }
            });
        }
        Ok(mask)
    }
}

/// Calls `each(index, (x0, y0, x1, y1))` for every cell, in picture fractions.
fn for_each_cell(mut each: impl FnMut(usize, (f32, f32, f32, f32))) {
    for cy in 0..GRID_H {
        for cx in 0..GRID_W {
            let (w, h) = (GRID_W as f32, GRID_H as f32);
            let cell = (
                cx as f32 / w,
                cy as f32 / h,
                (cx + 1) as f32 / w,
                (cy + 1) as f32 / h,
            );
            each(cy * GRID_W + cx, cell);
        }
    }
}

/// Whether a (small) polygon covers any of a cell: one of its points is in the cell, or one
/// of the cell's sample points is in it.
fn touches(polygon: &Polygon, (x0, y0, x1, y1): (f32, f32, f32, f32)) -> bool {
    let inside = |&(x, y): &(f32, f32)| x >= x0 && x <= x1 && y >= y0 && y <= y1;
    if polygon.points().iter().any(inside) {
        return true;
    }
    (0..=SAMPLES).any(|i| {
        (0..=SAMPLES).any(|j| {
            let x = x0 + (x1 - x0) * i as f32 / SAMPLES as f32;
            let y = y0 + (y1 - y0) * j as f32 / SAMPLES as f32;
            polygon.contains(x, y)
        })
    })
}

fn bad_rect(text: &str) -> InvalidInput {
    InvalidInput(format!(
        "'{text}' is not a rectangle; write x,y,width,height as fractions of the picture, \
         like 0.4,0.4,0.2,0.2"
    ))
}

fn region_error(e: InvalidInput) -> InvalidInput {
    InvalidInput(format!(
        "the search region is not usable: {}",
        e.0.replace("a zone polygon", "a polygon")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rect(x: f32, y: f32, w: f32, h: f32) -> SearchRegion {
        SearchRegion::Rect { x, y, w, h }
    }

    #[test]
    fn a_rectangle_takes_the_cells_whose_centre_is_inside() {
        // Cells are 1/32 wide and 1/18 high; centres at (i + 0.5) / 32.
        let m = rect(0.0, 0.0, 0.5, 1.0).cells().expect("valid");
        assert_eq!(m.count(), 16 * 18, "the left half");
        let m = rect(0.4, 0.4, 0.2, 0.2).cells().expect("valid");
        let cols: Vec<usize> = m.indices().map(|i| i % 32).collect();
        let rows: Vec<usize> = m.indices().map(|i| i / 32).collect();
        assert_eq!(
            (cols.iter().min(), cols.iter().max()),
            (Some(&13), Some(&18))
        );
        assert_eq!(
            (rows.iter().min(), rows.iter().max()),
            (Some(&7), Some(&10))
        );
        assert_eq!(m.count(), 6 * 4);
        assert_eq!(rect(0.0, 0.0, 1.0, 1.0).cells().expect("all").count(), 576);
    }

    #[test]
    fn a_region_smaller_than_a_cell_takes_the_cells_it_covers() {
        // Inside cell (0, 0) only, away from its centre.
        let m = rect(0.001, 0.001, 0.005, 0.005).cells().expect("valid");
        assert_eq!(m.indices().collect::<Vec<_>>(), vec![0]);
        // Across the corner of four cells.
        let (cx, cy) = (1.0 / 32.0, 1.0 / 18.0);
        let m = rect(cx - 0.002, cy - 0.002, 0.004, 0.004)
            .cells()
            .expect("valid");
        assert_eq!(m.indices().collect::<Vec<_>>(), vec![0, 1, 32, 33]);
    }

    #[test]
    fn a_polygon_takes_the_cells_inside_it() {
        let tri = SearchRegion::parse_polygon("0,0 1,0 0,1").expect("parses");
        let m = tri.cells().expect("valid");
        assert!(m.get(0) && !m.get(575), "top left in, bottom right out");
        assert!(
            m.count() > 250 && m.count() < 330,
            "about half: {}",
            m.count()
        );
    }

    #[test]
    fn bad_regions_are_refused_in_words() {
        let said = |r: Result<CellMask, InvalidInput>| r.expect_err("refused").0;
        assert!(said(rect(0.5, 0.5, 0.6, 0.1).cells()).contains("outside the picture"));
        assert!(said(rect(0.5, 0.5, 0.0, 0.1).cells()).contains("is empty"));
        assert!(said(rect(-0.1, 0.5, 0.2, 0.1).cells()).contains("outside"));
        let bow = SearchRegion::Polygon {
            points: vec![(0.1, 0.1), (0.9, 0.9), (0.9, 0.1), (0.1, 0.9)],
        };
        assert!(said(bow.cells()).contains("search region"), "self-crossing");
        let two = SearchRegion::Polygon {
            points: vec![(0.1, 0.1), (0.9, 0.9)],
        };
        assert!(said(two.cells()).contains("at least 3 points"));
        let outside = SearchRegion::Polygon {
            points: vec![(0.1, 0.1), (1.5, 0.1), (0.1, 0.9)],
        };
        assert!(said(outside.cells()).contains("outside the frame"));
        assert!(SearchRegion::parse_rect("0.1,0.2,0.3").is_err());
        assert!(SearchRegion::parse_rect("a,b,c,d").is_err());
        assert_eq!(
            SearchRegion::parse_rect("0.1, 0.2,0.3,0.4").expect("parses"),
            rect(0.1, 0.2, 0.3, 0.4)
        );
    }
}
