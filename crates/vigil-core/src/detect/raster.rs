//! Turns a normalized polygon into the pixels it covers at one frame size (scanline fill).

use super::polygon::Polygon;

/// A run of covered pixels on one row: `x0..x1` (end exclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub y: usize,
    pub x0: usize,
    pub x1: usize,
}

/// The pixels of a `width`×`height` frame whose centres, at `((x+0.5)/width, (y+0.5)/height)`,
/// lie inside a polygon. Stored as row spans, in row order, so that counting over a zone
/// touches only its pixels. Built per frame size, which is what lets a zone survive a change
/// of resolution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Raster {
    width: usize,
    height: usize,
    spans: Vec<Span>,
    count: usize,
}

impl Raster {
    pub fn new(polygon: &Polygon, width: usize, height: usize) -> Self {
        let points = polygon.points();
        let n = points.len();
        let mut spans = Vec::new();
        let mut xs: Vec<f64> = Vec::with_capacity(n);
        for y in 0..height {
            let yc = (y as f64 + 0.5) / height as f64;
            xs.clear();
            for i in 0..n {
                let (ax, ay) = points[i];
                let (bx, by) = points[(i + 1) % n];
                let (ax, ay, bx, by) = (ax as f64, ay as f64, bx as f64, by as f64);
                // Half-open in y so a vertex on the scanline is counted once.
                if (ay <= yc && yc < by) || (by <= yc && yc < ay) {
                    xs.push(ax + (yc - ay) * (bx - ax) / (by - ay));
                }
            }
            xs.sort_by(f64::total_cmp);
            for pair in xs.chunks_exact(2) {
                let (x0, x1) = (first_pixel(pair[0], width), first_pixel(pair[1], width));
                if x1 > x0 {
                    spans.push(Span { y, x0, x1 });
                }
            }
        }
        let count = spans.iter().map(|s| s.x1 - s.x0).sum();
        Self {
            width,
            height,
            spans,
            count,
        }
    }

    pub fn width(&self) -> usize {
        self.width
    }

    pub fn height(&self) -> usize {
        self.height
    }

    pub fn spans(&self) -> &[Span] {
        &self.spans
    }

    /// Number of covered pixels.
    pub fn count(&self) -> usize {
        self.count
    }

    pub fn contains(&self, x: usize, y: usize) -> bool {
        self.spans
            .iter()
            .any(|s| s.y == y && (s.x0..s.x1).contains(&x))
    }

    /// One `bool` per pixel, row by row (`width * height` entries).
    pub fn to_bitmap(&self) -> Vec<bool> {
        let mut bits = vec![false; self.width * self.height];
        for s in &self.spans {
            let row = s.y * self.width;
            bits[row + s.x0..row + s.x1].fill(true);
        }
        bits
    }
}

/// Index of the first pixel whose centre is at or right of the normalized `x`, within 0..=width.
fn first_pixel(x: f64, width: usize) -> usize {
    let px = (x * width as f64 - 0.5).ceil();
    px.clamp(0.0, width as f64) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rect(x0: f32, y0: f32, x1: f32, y1: f32) -> Polygon {
        Polygon::new(vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1)]).unwrap()
    }

    #[test]
    fn rectangle_covers_expected_pixels_at_two_resolutions() {
        let zone = rect(0.1, 0.5, 0.4, 0.9);
        for (w, h) in [(320usize, 180usize), (1280, 720), (173, 97)] {
            let r = Raster::new(&zone, w, h);
            let cols = 0.3 * w as f64;
            let rows = 0.4 * h as f64;
            let count = r.count() as f64;
            // Within one row and one column of the exact area.
            let slack = cols + rows + 1.0;
            assert!(
                (count - cols * rows).abs() <= slack,
                "{w}x{h}: {count} vs {}",
                cols * rows
            );
            let bits = r.to_bitmap();
            assert_eq!(bits.iter().filter(|&&b| b).count(), r.count());
            // Pixel centres decide: (0.1*w) is the first column inside.
            let first_col = (0.1 * w as f64 - 0.5).ceil() as usize;
            let mid_row = (0.7 * h as f64) as usize;
            assert!(r.contains(first_col, mid_row));
            assert!(!r.contains(first_col - 1, mid_row));
        }
        assert_eq!(Raster::new(&zone, 320, 180).count(), 96 * 72);
    }

    #[test]
    fn full_frame_covers_everything() {
        let r = Raster::new(&Polygon::full_frame(), 7, 5);
        assert_eq!(r.count(), 35);
        assert!(r.to_bitmap().iter().all(|&b| b));
        assert_eq!((r.width(), r.height()), (7, 5));
    }

    #[test]
    fn triangle_and_concave_shapes() {
        // Right triangle over the lower-left half: about half the pixels, none above the
        // diagonal.
        let tri = Polygon::new(vec![(0.0, 0.0), (1.0, 1.0), (0.0, 1.0)]).unwrap();
        let r = Raster::new(&tri, 100, 100);
        assert!((r.count() as i64 - 5000).abs() <= 100, "{}", r.count());
        assert!(r.contains(10, 90) && !r.contains(90, 10));
        // A U shape: the notch in the middle stays empty, two spans on the notch rows.
        let u = Polygon::parse("0,0 0.3,0 0.3,0.6 0.7,0.6 0.7,0 1,0 1,1 0,1").unwrap();
        let r = Raster::new(&u, 10, 10);
        assert!(!r.contains(5, 2) && r.contains(1, 2) && r.contains(8, 2) && r.contains(5, 8));
        assert_eq!(r.spans().iter().filter(|s| s.y == 2).count(), 2);
        assert_eq!(r.count(), 100 - 4 * 6);
    }

    #[test]
    fn tiny_zone_may_cover_nothing() {
        let r = Raster::new(&rect(0.5, 0.5, 0.502, 0.502), 10, 10);
        assert_eq!(r.count(), 0);
        assert!(r.spans().is_empty());
    }
}
