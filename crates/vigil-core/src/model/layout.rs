//! Live-view layouts: the shapes a video wall can take (square grids from 1 to 8×8 and the
//! uneven ones with large cells), each cell's place as a fraction of the area, and a named
//! layout as saved in the library (which camera in which cell).

use serde::{Deserialize, Serialize};

use super::InvalidInput;

/// A cell's place in the layout's area, in fractions of its width and height (0..=1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CellRect {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

/// The shape of a layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LayoutKind {
    /// `n`×`n` equal cells (n = 1, 2, 3, 4, 5, 6 or 8).
    Grid(u8),
    /// One large cell (2×2 of a 3×3 grid) and 5 small ones.
    OnePlusFive,
    /// One large cell (3×3 of a 4×4 grid) and 7 small ones.
    OnePlusSeven,
    /// Two large cells side by side (each 2×2 of a 4×4 grid) and 8 small ones below.
    TwoPlusEight,
}

impl LayoutKind {
    /// Every layout an operator can pick, smallest first.
    pub const ALL: [LayoutKind; 10] = [
        LayoutKind::Grid(1),
        LayoutKind::Grid(2),
        LayoutKind::Grid(3),
        LayoutKind::Grid(4),
        LayoutKind::Grid(5),
        LayoutKind::Grid(6),
        LayoutKind::Grid(8),
        LayoutKind::OnePlusFive,
        LayoutKind::OnePlusSeven,
        LayoutKind::TwoPlusEight,
    ];

    /// How the layout is written in the library and on the command line: `1`, `2x2` … `8x8`,
    /// `1+5`, `1+7`, `2+8`.
    pub fn as_text(self) -> String {
        match self {
            LayoutKind::Grid(1) => "1".into(),
            LayoutKind::Grid(n) => format!("{n}x{n}"),
            LayoutKind::OnePlusFive => "1+5".into(),
            LayoutKind::OnePlusSeven => "1+7".into(),
            LayoutKind::TwoPlusEight => "2+8".into(),
        }
    }

    /// The label in the app: `1`, `2×2` … `8×8`, `1+5`, `1+7`, `2+8`.
    pub fn label(self) -> String {
        self.as_text().replace('x', "×")
    }

    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        let s = raw.trim().replace('×', "x");
        let found = LayoutKind::ALL.into_iter().find(|k| k.as_text() == s);
        found.ok_or_else(|| {
            InvalidInput(format!(
                "layout '{raw}' is unknown; use one of {}",
                LayoutKind::ALL.map(LayoutKind::as_text).join(", ")
            ))
        })
    }

    /// The smallest square grid that shows `cameras` cameras on one page (8×8 at most).
    pub fn fitting(cameras: usize) -> Self {
        [1u8, 2, 3, 4, 5, 6, 8]
            .into_iter()
            .find(|&n| usize::from(n) * usize::from(n) >= cameras)
            .map_or(LayoutKind::Grid(8), LayoutKind::Grid)
    }

    /// Cameras one page of this layout shows.
    pub fn cell_count(self) -> usize {
        self.cells().len()
    }

    /// Whether every cell has the same size.
    pub fn is_square_grid(self) -> bool {
        matches!(self, LayoutKind::Grid(_))
    }

    /// The cells in reading order (large ones first), as fractions of the area.
    pub fn cells(self) -> Vec<CellRect> {
        match self {
            LayoutKind::Grid(n) => {
                let n = usize::from(n.max(1));
                (0..n * n).map(|k| unit(n, k % n, k / n, 1)).collect()
            }
            LayoutKind::OnePlusFive => big_and_border(3),
            LayoutKind::OnePlusSeven => big_and_border(4),
            LayoutKind::TwoPlusEight => {
                let mut cells = vec![unit(4, 0, 0, 2), unit(4, 2, 0, 2)];
                cells.extend((0..8).map(|k| unit(4, k % 4, 2 + k / 4, 1)));
                cells
            }
        }
    }
}

/// The cell at column `c`, row `r` of an `n`×`n` grid, `span` cells wide and high.
fn unit(n: usize, c: usize, r: usize, span: usize) -> CellRect {
    let f = 1.0 / n as f32;
    CellRect {
        x: c as f32 * f,
        y: r as f32 * f,
        w: span as f32 * f,
        h: span as f32 * f,
    }
}

/// One cell of (n-1)×(n-1) grid units at the top left, the rest of an n×n grid along the
/// right edge (top to bottom) and then the bottom row (left to right).
fn big_and_border(n: usize) -> Vec<CellRect> {
    let mut cells = vec![unit(n, 0, 0, n - 1)];
    cells.extend((0..n - 1).map(|r| unit(n, n - 1, r, 1)));
    cells.extend((0..n).map(|c| unit(n, c, n - 1, 1)));
    cells
}

/// A named layout as saved in the library: its shape and which camera (by id) each cell
/// shows, in the order of [`LayoutKind::cells`]; `None` is an empty cell. Cameras removed
/// since are skipped when the layout is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SavedLayout {
    pub id: i64,
    pub name: String,
    pub kind: LayoutKind,
    pub cells: Vec<Option<i64>>,
    pub updated_us: i64,
}

/// Checks a layout or tour name: 1–64 characters of any text, not blank.
pub fn check_layout_name(raw: &str) -> Result<String, InvalidInput> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(InvalidInput("a layout needs a name".into()));
    }
    if name.chars().count() > 64 || name.chars().any(char::is_control) {
        return Err(InvalidInput(format!(
            "layout name '{name}' is too long or has control characters (64 characters at most)"
        )));
    }
    Ok(name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn area(cells: &[CellRect]) -> f32 {
        cells.iter().map(|c| c.w * c.h).sum()
    }

    fn overlap(a: &CellRect, b: &CellRect) -> bool {
        let e = 1e-4;
        a.x + a.w > b.x + e && b.x + b.w > a.x + e && a.y + a.h > b.y + e && b.y + b.h > a.y + e
    }

    #[test]
    fn every_layout_tiles_the_area_without_overlap() {
        for kind in LayoutKind::ALL {
            let cells = kind.cells();
            assert!(
                (area(&cells) - 1.0).abs() < 1e-4,
                "{kind:?} covers the area"
            );
            for (i, a) in cells.iter().enumerate() {
                assert!(a.x >= 0.0 && a.y >= 0.0 && a.x + a.w <= 1.0001 && a.y + a.h <= 1.0001);
                for b in &cells[i + 1..] {
                    assert!(!overlap(a, b), "{kind:?}: {a:?} overlaps {b:?}");
                }
            }
        }
    }

    #[test]
    fn uneven_layouts_have_their_large_cells_first() {
        let counts: Vec<usize> = LayoutKind::ALL.map(LayoutKind::cell_count).to_vec();
        assert_eq!(counts, vec![1, 4, 9, 16, 25, 36, 64, 6, 8, 10]);
        let one_five = LayoutKind::OnePlusFive.cells();
        assert!((one_five[0].w - 2.0 / 3.0).abs() < 1e-6);
        let two_eight = LayoutKind::TwoPlusEight.cells();
        assert_eq!((two_eight[0].w, two_eight[1].x), (0.5, 0.5));
    }

    #[test]
    fn layouts_parse_from_their_text_and_refuse_others() {
        for kind in LayoutKind::ALL {
            assert_eq!(LayoutKind::parse(&kind.as_text()).ok(), Some(kind));
            assert_eq!(LayoutKind::parse(&kind.label()).ok(), Some(kind));
        }
        let err = LayoutKind::parse("7x7").expect_err("no 7×7");
        assert!(err.0.contains("8x8"), "{err:?}");
        assert_eq!(LayoutKind::fitting(0), LayoutKind::Grid(1));
        assert_eq!(LayoutKind::fitting(17), LayoutKind::Grid(5));
        assert_eq!(LayoutKind::fitting(37), LayoutKind::Grid(8));
        assert_eq!(LayoutKind::fitting(100), LayoutKind::Grid(8));
    }

    #[test]
    fn names_are_any_text_but_not_blank_or_endless() {
        assert_eq!(
            check_layout_name(" 로비 전체 ").ok().as_deref(),
            Some("로비 전체")
        );
        assert!(check_layout_name("  ").is_err());
        assert!(check_layout_name(&"x".repeat(65)).is_err());
    }
}
