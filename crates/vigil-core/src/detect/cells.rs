//! The motion index's grid: which of 32×18 cells over the picture changed on a frame, as a
//! 576-bit set, computed from the detector's difference image.

use super::background::count_above;

/// Cells across and down the picture.
pub const GRID_W: usize = 32;
pub const GRID_H: usize = 18;
/// Cells in the grid.
pub const CELLS: usize = GRID_W * GRID_H;
/// Bytes of a [`CellMask`] as stored.
pub const MASK_BYTES: usize = CELLS / 8;

/// A cell counts as moved when at least this fraction of its pixels changed.
pub const CELL_MOVED_FRACTION: f32 = 0.1;

/// A set of grid cells: bit `y * GRID_W + x` is cell (x, y), x to the right, y down.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct CellMask(pub [u64; CELLS / 64]);

impl CellMask {
    pub const EMPTY: Self = Self([0; CELLS / 64]);
    /// Every cell (576 is exactly nine words).
    pub const FULL: Self = Self([u64::MAX; CELLS / 64]);

    pub fn set(&mut self, index: usize) {
        if index < CELLS {
            self.0[index / 64] |= 1 << (index % 64);
        }
    }

    /// Flips one cell.
    pub fn toggle(&mut self, index: usize) {
        if index < CELLS {
            self.0[index / 64] ^= 1 << (index % 64);
        }
    }

    /// Cells in exactly one of the two.
    pub fn xor(&self, other: &Self) -> Self {
        let mut out = *self;
        for (a, b) in out.0.iter_mut().zip(other.0) {
            *a ^= b;
        }
        out
    }

    pub fn get(&self, index: usize) -> bool {
        index < CELLS && self.0[index / 64] & (1 << (index % 64)) != 0
    }

    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|w| *w == 0)
    }

    pub fn count(&self) -> u32 {
        self.0.iter().map(|w| w.count_ones()).sum()
    }

    /// Cells in both.
    pub fn and(&self, other: &Self) -> Self {
        let mut out = *self;
        for (a, b) in out.0.iter_mut().zip(other.0) {
            *a &= b;
        }
        out
    }

    /// Whether any cell is in both.
    pub fn meets(&self, other: &Self) -> bool {
        self.0.iter().zip(other.0).any(|(a, b)| a & b != 0)
    }

    pub fn or_assign(&mut self, other: &Self) {
        for (a, b) in self.0.iter_mut().zip(other.0) {
            *a |= b;
        }
    }

    /// The indices of the set cells, ascending.
    pub fn indices(&self) -> impl Iterator<Item = usize> + '_ {
        (0..CELLS).filter(|&i| self.get(i))
    }

    /// The 72 stored bytes (little-endian words).
    pub fn to_bytes(&self) -> [u8; MASK_BYTES] {
        let mut out = [0u8; MASK_BYTES];
        for (chunk, w) in out.chunks_exact_mut(8).zip(self.0) {
            chunk.copy_from_slice(&w.to_le_bytes());
        }
        out
    }

    /// From stored bytes; `None` unless exactly [`MASK_BYTES`] long.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        if bytes.len() != MASK_BYTES {
            return None;
        }
        let mut out = Self::EMPTY;
        for (w, chunk) in out.0.iter_mut().zip(bytes.chunks_exact(8)) {
            let mut b = [0u8; 8];
            b.copy_from_slice(chunk);
            *w = u64::from_le_bytes(b);
        }
        Some(out)
    }
}

/// The cells of a `w`×`h` difference image (masked pixels read 0) where more than
/// [`CELL_MOVED_FRACTION`] of the pixels are above `threshold`.
pub fn moved_cells(diff: &[u8], w: usize, h: usize, threshold: u8) -> CellMask {
    let mut mask = CellMask::EMPTY;
    if w < GRID_W || h < GRID_H || diff.len() < w * h {
        return mask;
    }
    let cols: Vec<usize> = (0..=GRID_W).map(|i| i * w / GRID_W).collect();
    let mut counts = [0usize; GRID_W];
    for cy in 0..GRID_H {
        let (y0, y1) = (cy * h / GRID_H, (cy + 1) * h / GRID_H);
        counts.fill(0);
        for y in y0..y1 {
            let row = &diff[y * w..(y + 1) * w];
            for (cx, n) in counts.iter_mut().enumerate() {
                *n += count_above(&row[cols[cx]..cols[cx + 1]], threshold);
            }
        }
        for (cx, &n) in counts.iter().enumerate() {
            let area = (cols[cx + 1] - cols[cx]) * (y1 - y0);
            if n > 0 && n as f32 >= CELL_MOVED_FRACTION * area as f32 {
                mask.set(cy * GRID_W + cx);
            }
        }
    }
    mask
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_block_marks_the_cells_it_covers() {
        let (w, h) = (320, 180);
        let mut diff = vec![0u8; w * h];
        // Cells (3, 2) and (4, 2) fully; cell (5, 2) only one pixel (below the fraction).
        for y in 20..30 {
            for x in 30..50 {
                diff[y * w + x] = 200;
            }
        }
        diff[25 * w + 55] = 200;
        let m = moved_cells(&diff, w, h, 25);
        assert_eq!(
            m.indices().collect::<Vec<_>>(),
            vec![2 * 32 + 3, 2 * 32 + 4]
        );
        assert_eq!(m.count(), 2);
    }

    #[test]
    fn bytes_round_trip() {
        let mut m = CellMask::EMPTY;
        for i in [0, 63, 64, 300, 575] {
            m.set(i);
        }
        let back = CellMask::from_bytes(&m.to_bytes()).expect("72 bytes");
        assert_eq!(back, m);
        assert!(CellMask::from_bytes(&[0; 3]).is_none());
        assert!(m.meets(&back) && !m.meets(&CellMask::EMPTY));
    }
}
