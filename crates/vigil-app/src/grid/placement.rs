//! Cameras placed in cells by the operator: a fixed layout either shows the cameras in order
//! (in pages) or, once the operator drops a camera on a cell, swaps two tiles or clears a
//! cell, exactly the cells placed (one page, empty cells allowed). The first change fixes
//! the page on screen as it is, then applies the change, so nothing else moves.

use super::{nearest_cell, GridState, Layout, LayoutCell, LayoutKind, Move};

impl GridState {
    /// Switches the layout; cameras go back to their order, in pages.
    pub fn set_layout(&mut self, layout: Layout) {
        self.layout = layout;
        self.placed = None;
    }

    /// Shows `cells` (padded or cut to the layout's count) in a fixed `kind`.
    pub fn set_placed(&mut self, kind: LayoutKind, mut cells: Vec<LayoutCell>) {
        cells.resize(kind.cell_count(), LayoutCell::Empty);
        self.layout = Layout::Fixed(kind);
        self.placed = Some(cells);
    }

    /// The cells the operator placed, when the layout is fixed and they fit it.
    pub fn placed(&self) -> Option<&[LayoutCell]> {
        let Layout::Fixed(kind) = self.layout else {
            return None;
        };
        self.placed
            .as_deref()
            .filter(|cells| cells.len() == kind.cell_count())
    }

    /// The page's cells in order: the placed cells (a camera no longer among `names` shows
    /// as removed, unless there are no names yet), or the page's cameras in order, with a fixed layout's spare cells empty.
    pub fn page(&self, names: &[String]) -> Vec<LayoutCell> {
        if self.fullscreen {
            let sel = self.selected(names);
            return sel
                .map(|n| LayoutCell::Camera(n.into()))
                .into_iter()
                .collect();
        }
        self.layout_page(names)
    }

    /// The page's cells as the layout shows them, full screen or not.
    pub fn layout_page(&self, names: &[String]) -> Vec<LayoutCell> {
        if let Some(cells) = self.placed() {
            return cells
                .iter()
                .map(|c| match c {
                    // No names at all: the status has not come yet (the app is starting).
                    LayoutCell::Camera(n) if !names.is_empty() && !names.contains(n) => {
                        LayoutCell::Removed
                    }
                    other => other.clone(),
                })
                .collect();
        }
        let range = if self.fullscreen {
            GridState {
                fullscreen: false,
                ..self.clone()
            }
            .visible(names)
        } else {
            self.visible(names)
        };
        let mut cells: Vec<LayoutCell> = names[range]
            .iter()
            .map(|n| LayoutCell::Camera(n.clone()))
            .collect();
        if let Layout::Fixed(kind) = self.layout {
            cells.resize(kind.cell_count(), LayoutCell::Empty);
        }
        cells
    }

    /// The cameras on screen now, in cell order.
    pub fn shown(&self, names: &[String]) -> Vec<String> {
        let page = self.page(names);
        page.iter()
            .filter_map(|c| c.camera().map(str::to_string))
            .collect()
    }

    /// Puts `camera` in `cell`; if it already shows in another cell, that cell takes what
    /// `cell` held (the two swap).
    pub fn place(&mut self, cell: usize, camera: &str, names: &[String]) {
        let cells = self.fix_page(names);
        let Some(target) = cells.get(cell).cloned() else {
            return;
        };
        if let Some(from) = cells.iter().position(|c| c.camera() == Some(camera)) {
            cells[from] = target;
        }
        cells[cell] = LayoutCell::Camera(camera.to_string());
        self.selected = Some(camera.to_string());
    }

    /// Puts `camera` in the page's first free cell (empty, or its camera removed), else in
    /// the selected camera's cell (else the first); answers the cell. Like any placement, it
    /// fixes the page first.
    pub fn place_in_free(&mut self, camera: &str, names: &[String]) -> usize {
        let page = self.layout_page(names);
        let selected = self.selected(names);
        let free = page.iter().position(|c| c.camera().is_none());
        let at = free
            .or_else(|| page.iter().position(|c| c.camera() == selected))
            .unwrap_or(0);
        self.place(at, camera, names);
        at
    }

    /// Empties the selected camera's cell (the Delete key); answers whether one was placed.
    pub fn clear_selected(&mut self, names: &[String]) -> bool {
        let Some(sel) = self.selected(names).map(str::to_string) else {
            return false;
        };
        let at = self
            .layout_page(names)
            .iter()
            .position(|c| c.camera() == Some(&sel));
        match at {
            Some(at) => {
                self.clear_cell(at, names);
                true
            }
            None => false,
        }
    }

    /// A camera renamed: its cell (and the selection) follow it.
    pub fn rename_placed(&mut self, old: &str, new: &str) {
        for cell in self.placed.iter_mut().flatten() {
            if cell.camera() == Some(old) {
                *cell = LayoutCell::Camera(new.to_string());
            }
        }
        if self.selected.as_deref() == Some(old) {
            self.selected = Some(new.to_string());
        }
    }

    /// Swaps the contents of two cells.
    pub fn swap(&mut self, a: usize, b: usize, names: &[String]) {
        let cells = self.fix_page(names);
        if a < cells.len() && b < cells.len() {
            cells.swap(a, b);
        }
    }

    /// Empties a cell.
    pub fn clear_cell(&mut self, cell: usize, names: &[String]) {
        let cells = self.fix_page(names);
        if let Some(c) = cells.get_mut(cell) {
            *c = LayoutCell::Empty;
        }
    }

    /// The placed cells, fixing the page on screen first if the cameras were in order.
    fn fix_page(&mut self, names: &[String]) -> &mut Vec<LayoutCell> {
        if self.placed().is_none() {
            let kind = self.layout.kind(names.len());
            self.layout = Layout::Fixed(kind);
            let page = self.layout_page(names);
            self.set_placed(kind, page);
        }
        self.placed.get_or_insert_with(Vec::new)
    }

    /// The arrow keys among placed cells: to the nearest cell with a camera in that
    /// direction. Answers false when the cameras are not placed.
    pub(super) fn move_in_placed(&mut self, mv: Move, names: &[String]) -> bool {
        let Layout::Fixed(kind) = self.layout else {
            return false;
        };
        if self.placed().is_none() {
            return false;
        }
        let page = self.page(names);
        let here = self
            .selected
            .as_deref()
            .and_then(|s| page.iter().position(|c| c.camera() == Some(s)))
            .unwrap_or(0);
        let next = nearest_cell(kind, here, mv, |j| page[j].camera().is_some());
        if let Some(name) = next.and_then(|j| page[j].camera()) {
            self.selected = Some(name.to_string());
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("cam{i:02}")).collect()
    }

    fn cam(n: &str) -> LayoutCell {
        LayoutCell::Camera(n.into())
    }

    #[test]
    fn the_first_drop_fixes_the_page_then_places_the_camera() {
        let all = names(6);
        let mut g = GridState::default();
        g.set_layout(Layout::Fixed(LayoutKind::Grid(2)));
        g.select("cam05");
        assert_eq!(
            g.page(&all),
            vec![
                cam("cam04"),
                cam("cam05"),
                LayoutCell::Empty,
                LayoutCell::Empty
            ]
        );
        g.place(2, "cam00", &all);
        assert_eq!(g.page(&all)[2], cam("cam00"));
        assert_eq!(g.page(&all)[..2], [cam("cam04"), cam("cam05")]);
        assert_eq!(g.page_label(&all), None, "one page once placed");
        // Placing a camera already shown swaps it with the target cell.
        g.place(0, "cam00", &all);
        assert_eq!(
            g.page(&all)[..3],
            [cam("cam00"), cam("cam05"), cam("cam04")]
        );
        g.swap(0, 1, &all);
        g.clear_cell(2, &all);
        assert_eq!(
            g.page(&all),
            vec![
                cam("cam05"),
                cam("cam00"),
                LayoutCell::Empty,
                LayoutCell::Empty
            ]
        );
        assert_eq!(g.shown(&all), ["cam05", "cam00"]);
        g.set_layout(Layout::Fixed(LayoutKind::Grid(3)));
        assert_eq!(g.placed(), None, "a new layout starts in order");
    }

    #[test]
    fn auto_becomes_its_grid_and_a_removed_camera_shows_as_removed() {
        let all = names(3);
        let mut g = GridState::default();
        g.swap(0, 2, &all);
        assert_eq!(g.layout, Layout::Fixed(LayoutKind::Grid(2)));
        assert_eq!(g.shown(&all), ["cam02", "cam01", "cam00"]);
        let fewer = names(2);
        assert_eq!(g.page(&fewer)[0], LayoutCell::Removed);
        assert_eq!(
            g.page(&[])[0],
            cam("cam02"),
            "no status yet: not called removed"
        );
    }

    #[test]
    fn placing_without_a_cell_takes_the_first_free_one_then_the_selected() {
        let all = names(5);
        let mut g = GridState::default();
        g.set_placed(
            LayoutKind::Grid(2),
            vec![cam("cam00"), LayoutCell::Empty, cam("cam01")],
        );
        assert_eq!(g.place_in_free("cam04", &all), 1);
        assert_eq!(g.place_in_free("cam03", &all), 3);
        g.select("cam01");
        assert_eq!(g.place_in_free("cam02", &all), 2, "over the selected");
        assert_eq!(g.shown(&all), ["cam00", "cam04", "cam02", "cam03"]);
        g.select("cam04");
        assert!(g.clear_selected(&all));
        assert_eq!(g.page(&all)[1], LayoutCell::Empty);
    }

    #[test]
    fn arrows_skip_empty_cells_of_a_placed_layout() {
        let all = names(4);
        let mut g = GridState::default();
        g.set_placed(
            LayoutKind::Grid(3),
            vec![cam("cam03"), LayoutCell::Empty, cam("cam01")],
        );
        g.select("cam03");
        g.move_selection(Move::Right, &all);
        assert_eq!(g.selected(&all), Some("cam01"), "past the empty cell");
        g.move_selection(Move::Down, &all);
        assert_eq!(g.selected(&all), Some("cam01"), "nothing below");
        g.select("cam02");
        assert_eq!(
            g.selected(&all),
            Some("cam03"),
            "off the page: the first placed"
        );
    }
}
