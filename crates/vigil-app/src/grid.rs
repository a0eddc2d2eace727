//! The live grid's state and geometry: the layout (auto, 1, 2×2, 3×3, 4×4), which camera is
//! selected, full-screen single view, paging when there are more cameras than cells, and
//! keyboard movement. Pure logic on camera names; no drawing.

use egui::{Pos2, Rect, Vec2};

/// How many tiles a page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    /// Chosen from the number of cameras.
    #[default]
    Auto,
    One,
    Two,
    Three,
    Four,
}

impl Layout {
    pub const ALL: [Layout; 5] = [
        Layout::Auto,
        Layout::One,
        Layout::Two,
        Layout::Three,
        Layout::Four,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Layout::Auto => "Auto",
            Layout::One => "1",
            Layout::Two => "2×2",
            Layout::Three => "3×3",
            Layout::Four => "4×4",
        }
    }

    /// Columns (and at most as many rows) for `cameras` cameras.
    pub fn columns(self, cameras: usize) -> usize {
        match self {
            Layout::Auto => match cameras {
                0 | 1 => 1,
                2..=4 => 2,
                5..=9 => 3,
                _ => 4,
            },
            Layout::One => 1,
            Layout::Two => 2,
            Layout::Three => 3,
            Layout::Four => 4,
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
}

impl GridState {
    pub fn columns(&self, cameras: usize) -> usize {
        self.layout.columns(cameras)
    }

    /// Tiles a page holds.
    pub fn cells(&self, cameras: usize) -> usize {
        let c = self.columns(cameras);
        c * c
    }

    /// The selected camera's position (the first camera when none or a vanished one).
    pub fn selected_index(&self, names: &[String]) -> usize {
        self.selected
            .as_ref()
            .and_then(|s| names.iter().position(|n| n == s))
            .unwrap_or(0)
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
    /// holding the selection.
    pub fn visible(&self, names: &[String]) -> std::ops::Range<usize> {
        if names.is_empty() {
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
        (pages > 1 && !self.fullscreen).then(|| {
            let page = self.selected_index(names) / cells + 1;
            format!("page {page} of {pages}")
        })
    }

    /// Moves the selection with an arrow key: across the grid (and on to the next page), or
    /// to the previous/next camera in full screen.
    pub fn move_selection(&mut self, mv: Move, names: &[String]) {
        let n = names.len();
        if n == 0 {
            return;
        }
        let i = self.selected_index(names);
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

    /// Rows used for `shown` tiles: a fixed layout keeps its square; auto uses only the rows
    /// it needs, so two cameras get two large tiles side by side.
    pub fn rows(&self, cameras: usize, shown: usize) -> usize {
        let cols = self.columns(cameras);
        match self.layout {
            Layout::Auto => shown.div_ceil(cols).max(1),
            _ => cols,
        }
    }
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
        let cols: Vec<_> = [1, 2, 4, 5, 9, 10, 16, 30]
            .iter()
            .map(|&n| Layout::Auto.columns(n))
            .collect();
        assert_eq!(cols, vec![1, 2, 2, 3, 3, 4, 4, 4]);
    }

    #[test]
    fn arrows_move_across_the_grid_and_pages() {
        let all = names(6);
        let mut g = GridState {
            layout: Layout::Two,
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
}
