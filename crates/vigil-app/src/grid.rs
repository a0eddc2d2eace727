//! The live grid's state and geometry: the layout (auto, a square grid up to 8×8, or an
//! uneven one with large cells), which camera is selected, full-screen single view, paging
//! when there are more cameras than cells, cameras placed in cells by the operator
//! (`placement`), and keyboard movement. Pure logic on camera names; no drawing.

mod placement;

use egui::{Pos2, Rect, Vec2};

pub use vigil_core::model::LayoutKind;
pub use vigil_core::service::LayoutCell;

/// How the page's cells are chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    /// The smallest square grid that holds every camera (8×8 at most, then pages).
    #[default]
    Auto,
    Fixed(LayoutKind),
}

impl Layout {
    /// Auto, then every fixed layout.
    pub fn all() -> impl Iterator<Item = Layout> {
        std::iter::once(Layout::Auto).chain(LayoutKind::ALL.into_iter().map(Layout::Fixed))
    }

    pub fn label(self) -> String {
        match self {
            Layout::Auto => crate::tr!("live-layout-auto"),
            Layout::Fixed(kind) => kind.label(),
        }
    }

    /// The shape used for `cameras` cameras.
    pub fn kind(self, cameras: usize) -> LayoutKind {
        match self {
            Layout::Auto => LayoutKind::fitting(cameras),
            Layout::Fixed(kind) => kind,
        }
    }

    /// Columns of the square grid used for `cameras` cameras (the small cells' columns of
    /// an uneven layout).
    pub fn columns(self, cameras: usize) -> usize {
        match self.kind(cameras) {
            LayoutKind::Grid(n) => usize::from(n),
            LayoutKind::OnePlusFive => 3,
            LayoutKind::OnePlusSeven | LayoutKind::TwoPlusEight => 4,
        }
    }
}

/// An arrow key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    Left,
    Right,
    Up,
    Down,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GridState {
    pub layout: Layout,
    selected: Option<String>,
    fullscreen: bool,
    /// The cameras the operator placed, one per cell of the fixed layout; `None`: cameras
    /// in order, in pages. Ignored when it does not fit `layout` (see `placed`).
    placed: Option<Vec<LayoutCell>>,
}

impl GridState {
    pub fn columns(&self, cameras: usize) -> usize {
        self.layout.columns(cameras)
    }

    /// Tiles a page holds.
    pub fn cells(&self, cameras: usize) -> usize {
        self.layout.kind(cameras).cell_count()
    }

    /// The selected camera's position (the first camera when none or a vanished one).
    /// With placed cells, a selection off the page counts as the page's first camera.
    pub fn selected_index(&self, names: &[String]) -> usize {
        let pos = |s: &str| names.iter().position(|n| n == s);
        let chosen = self.selected.as_deref().and_then(pos);
        if let (Some(cells), false) = (self.placed(), self.fullscreen) {
            let on_page = |i: &usize| cells.iter().any(|c| c.camera() == Some(&names[*i]));
            let first = || cells.iter().find_map(|c| c.camera().and_then(pos));
            if let Some(i) = chosen.filter(on_page).or_else(first) {
                return i;
            }
        }
        chosen.unwrap_or(0)
    }

    /// The selected camera, if there is any camera.
    pub fn selected<'a>(&self, names: &'a [String]) -> Option<&'a str> {
        names.get(self.selected_index(names)).map(String::as_str)
    }

    pub fn select(&mut self, name: &str) {
        self.selected = Some(name.to_string());
    }

    pub fn is_fullscreen(&self) -> bool {
        self.fullscreen
    }

    /// Shows the selected camera alone.
    pub fn open_fullscreen(&mut self, names: &[String]) {
        if let Some(name) = self.selected(names) {
            self.selected = Some(name.to_string());
            self.fullscreen = true;
        }
    }

    pub fn close_fullscreen(&mut self) {
        self.fullscreen = false;
    }

    /// Positions of the cameras shown now: the selected one in full screen, else the page
    /// holding the selection (empty when the operator placed the cameras: see `page`).
    pub fn visible(&self, names: &[String]) -> std::ops::Range<usize> {
        if names.is_empty() || (self.placed().is_some() && !self.fullscreen) {
            return 0..0;
        }
        let sel = self.selected_index(names);
        if self.fullscreen {
            return sel..sel + 1;
        }
        let cells = self.cells(names.len());
        let start = sel / cells * cells;
        start..(start + cells).min(names.len())
    }

    /// "page 1 of 3" when the cameras do not fit on one page.
    pub fn page_label(&self, names: &[String]) -> Option<String> {
        let cells = self.cells(names.len());
        let pages = names.len().div_ceil(cells);
        (pages > 1 && !self.fullscreen && self.placed().is_none()).then(|| {
            let page = self.selected_index(names) / cells + 1;
            crate::tr!("live-grid-page", page = page, pages = pages)
        })
    }

    /// Moves the selection with an arrow key: across the grid (and on to the next page), or
    /// to the previous/next camera in full screen.
    pub fn move_selection(&mut self, mv: Move, names: &[String]) {
        let n = names.len();
        if n == 0 {
            return;
        }
        if !self.fullscreen && self.move_in_placed(mv, names) {
            return;
        }
        let i = self.selected_index(names);
        let kind = self.layout.kind(n);
        if !self.fullscreen && !kind.is_square_grid() {
            let j = move_in_uneven(kind, i, mv, n);
            self.selected = Some(names[j].clone());
            return;
        }
        let step = if self.fullscreen { 1 } else { self.columns(n) };
        let j = match mv {
            Move::Left => i.saturating_sub(1),
            Move::Right => (i + 1).min(n - 1),
            Move::Up if self.fullscreen => i.saturating_sub(1),
            Move::Down if self.fullscreen => (i + 1).min(n - 1),
            Move::Up => i.checked_sub(step).unwrap_or(i),
            Move::Down if i + step < n => i + step,
            Move::Down => i,
        };
        self.selected = Some(names[j].clone());
    }

    /// Arrow keys move the selection, Enter opens it full screen, Esc returns to the grid
    /// (the keys are taken from `ui`'s input).
    pub fn keys(&mut self, ui: &egui::Ui, names: &[String]) {
        use egui::{Key, Modifiers};
        ui.input_mut(|i| {
            for (key, mv) in [
                (Key::ArrowLeft, Move::Left),
                (Key::ArrowRight, Move::Right),
                (Key::ArrowUp, Move::Up),
                (Key::ArrowDown, Move::Down),
            ] {
                if i.consume_key(Modifiers::NONE, key) {
                    self.move_selection(mv, names);
                }
            }
            if i.consume_key(Modifiers::NONE, Key::Enter) {
                self.open_fullscreen(names);
            }
            if i.consume_key(Modifiers::NONE, Key::Escape) {
                self.close_fullscreen();
            }
        });
    }

    /// Rows used for `shown` tiles: a fixed layout keeps its square; auto uses only the rows
    /// it needs, so two cameras get two large tiles side by side.
    pub fn rows(&self, cameras: usize, shown: usize) -> usize {
        let cols = self.columns(cameras);
        match self.layout {
            Layout::Auto => shown.div_ceil(cols).max(1),
            _ => cols,
        }
    }

    /// Where the page's tiles go in `area`, one rect per cell in order (the first `shown`
    /// hold cameras): the whole area in full screen, the rows auto needs, or the fixed
    /// layout's cells with `gap` between them.
    pub fn rects(&self, area: Rect, cameras: usize, shown: usize, gap: f32) -> Vec<Rect> {
        if self.fullscreen {
            return vec![area];
        }
        match self.layout {
            Layout::Auto => cell_rects(area, self.columns(cameras), self.rows(cameras, shown), gap),
            Layout::Fixed(kind) => layout_rects(area, kind, gap),
        }
    }
}

/// The arrow keys on an uneven layout: to the nearest cell in that direction on the page;
/// past the page's edge, on to the next (or previous) page.
fn move_in_uneven(kind: LayoutKind, i: usize, mv: Move, n: usize) -> usize {
    let per_page = kind.cell_count();
    let (page, k) = (i / per_page, i % per_page);
    let best = nearest_cell(kind, k, mv, |j| page * per_page + j < n);
    best.map(|j| page * per_page + j).unwrap_or(match mv {
        Move::Right | Move::Down if (page + 1) * per_page < n => (page + 1) * per_page,
        Move::Left | Move::Up if page > 0 => page * per_page - 1,
        _ => i,
    })
}

/// The nearest cell to cell `k` in direction `mv` among those `usable`, if any.
fn nearest_cell(
    kind: LayoutKind,
    k: usize,
    mv: Move,
    usable: impl Fn(usize) -> bool,
) -> Option<usize> {
    let cells = kind.cells();
    let here = *cells.get(k)?;
    let centre = |c: &vigil_core::model::layout::CellRect| (c.x + c.w / 2.0, c.y + c.h / 2.0);
    let (hx, hy) = centre(&here);
    cells
        .iter()
        .enumerate()
        .filter(|(j, c)| {
            let (x, y) = centre(c);
            *j != k
                && usable(*j)
                && match mv {
                    Move::Left => c.x + c.w <= here.x + 1e-4 && (y - hy).abs() < here.h,
                    Move::Right => c.x >= here.x + here.w - 1e-4 && (y - hy).abs() < here.h,
                    Move::Up => c.y + c.h <= here.y + 1e-4 && (x - hx).abs() < here.w,
                    Move::Down => c.y >= here.y + here.h - 1e-4 && (x - hx).abs() < here.w,
                }
        })
        .min_by(|(i, a), (j, b)| {
            // Equally near (within rounding): the earlier cell.
            let d = |c: &vigil_core::model::layout::CellRect| {
                let (x, y) = centre(c);
                (((x - hx).powi(2) + (y - hy).powi(2)) * 1e4).round()
            };
            d(a).total_cmp(&d(b)).then(i.cmp(j))
        })
        .map(|(j, _)| j)
}

/// A layout's cells in `area`, with `gap` between neighbours (none at the area's edges).
pub fn layout_rects(area: Rect, kind: LayoutKind, gap: f32) -> Vec<Rect> {
    let size = area.size();
    let half = gap / 2.0;
    let edge = |f: f32| f <= 1e-4 || f >= 1.0 - 1e-4;
    kind.cells()
        .into_iter()
        .map(|c| {
            let (x0, x1) = (c.x, c.x + c.w);
            let (y0, y1) = (c.y, c.y + c.h);
            let inset = |f: f32, sign: f32| if edge(f) { 0.0 } else { half * sign };
            let min = Pos2::new(
                area.min.x + x0 * size.x + inset(x0, 1.0),
                area.min.y + y0 * size.y + inset(y0, 1.0),
            );
            let max = Pos2::new(
                area.min.x + x1 * size.x - inset(x1, 1.0),
                area.min.y + y1 * size.y - inset(y1, 1.0),
            );
            Rect::from_min_max(min, max.max(min + Vec2::splat(1.0)))
        })
        .collect()
}

/// Splits `area` into `cols`×`rows` cells with `gap` between them, row by row.
pub fn cell_rects(area: Rect, cols: usize, rows: usize, gap: f32) -> Vec<Rect> {
    let (cols, rows) = (cols.max(1), rows.max(1));
    let size = Vec2::new(
        ((area.width() - gap * (cols - 1) as f32) / cols as f32).max(1.0),
        ((area.height() - gap * (rows - 1) as f32) / rows as f32).max(1.0),
    );
    (0..rows * cols)
        .map(|k| {
            let (r, c) = ((k / cols) as f32, (k % cols) as f32);
            let min = Pos2::new(
                area.min.x + c * (size.x + gap),
                area.min.y + r * (size.y + gap),
            );
            Rect::from_min_size(min, size)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("cam{i:02}")).collect()
    }

    #[test]
    fn auto_layout_follows_the_camera_count() {
        let cols: Vec<_> = [1, 2, 4, 5, 9, 10, 16, 30, 36, 37, 64, 100]
            .iter()
            .map(|&n| Layout::Auto.columns(n))
            .collect();
        assert_eq!(cols, vec![1, 2, 2, 3, 3, 4, 4, 6, 6, 8, 8, 8]);
    }

    #[test]
    fn arrows_move_across_the_grid_and_pages() {
        let all = names(6);
        let mut g = GridState {
            layout: Layout::Fixed(LayoutKind::Grid(2)),
            ..GridState::default()
        };
        assert_eq!(g.visible(&all), 0..4);
        g.move_selection(Move::Right, &all);
        g.move_selection(Move::Down, &all);
        assert_eq!(g.selected(&all), Some("cam03"));
        g.move_selection(Move::Down, &all);
        assert_eq!(g.selected(&all), Some("cam05"));
        assert_eq!(g.visible(&all), 4..6);
        assert_eq!(g.page_label(&all).as_deref(), Some("page 2 of 2"));
        g.move_selection(Move::Down, &all);
        assert_eq!(g.selected(&all), Some("cam05"), "stays at the bottom");
        g.move_selection(Move::Up, &all);
        assert_eq!(g.selected(&all), Some("cam03"));
    }

    #[test]
    fn fullscreen_shows_the_selection_and_steps_through_cameras() {
        let all = names(3);
        let mut g = GridState::default();
        g.select("cam01");
        g.open_fullscreen(&all);
        assert!(g.is_fullscreen());
        assert_eq!(g.visible(&all), 1..2);
        g.move_selection(Move::Right, &all);
        assert_eq!(g.visible(&all), 2..3);
        g.close_fullscreen();
        assert_eq!(g.visible(&all), 0..3);
        assert_eq!(GridState::default().visible(&[]), 0..0);
    }

    #[test]
    fn cells_tile_the_area() {
        let area = Rect::from_min_size(Pos2::ZERO, Vec2::new(210.0, 100.0));
        let r = cell_rects(area, 2, 2, 10.0);
        assert_eq!(r.len(), 4);
        assert_eq!(
            r[0],
            Rect::from_min_size(Pos2::ZERO, Vec2::new(100.0, 45.0))
        );
        assert_eq!(r[3].max, Pos2::new(210.0, 100.0));
    }

    #[test]
    fn an_uneven_layout_places_its_large_cell_and_arrows_follow_the_picture() {
        let all = names(10);
        let mut g = GridState {
            layout: Layout::Fixed(LayoutKind::OnePlusFive),
            ..GridState::default()
        };
        let area = Rect::from_min_size(Pos2::ZERO, Vec2::new(300.0, 300.0));
        let r = g.rects(area, all.len(), 6, 0.0);
        assert_eq!(r.len(), 6);
        assert_eq!(
            r[0],
            Rect::from_min_size(Pos2::ZERO, Vec2::new(200.0, 200.0))
        );
        assert_eq!(g.visible(&all), 0..6);
        g.move_selection(Move::Right, &all);
        assert_eq!(
            g.selected(&all),
            Some("cam01"),
            "the small cell right of the large"
        );
        g.move_selection(Move::Down, &all);
        g.move_selection(Move::Down, &all);
        assert_eq!(g.selected(&all), Some("cam05"), "bottom right");
        g.move_selection(Move::Left, &all);
        assert_eq!(g.selected(&all), Some("cam04"));
        g.move_selection(Move::Down, &all);
        assert_eq!(g.selected(&all), Some("cam06"), "on to the next page");
        assert_eq!(g.visible(&all), 6..10);
    }
}
