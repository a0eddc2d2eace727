//! Where picture points are on screen: the mapping between the picture's normalized
//! coordinates (0..1 across the video, the way zones and detector boxes are stored) and
//! screen positions in a tile, letterboxing included, and finding the point under the
//! pointer. Shared by the zone editor and the detector's boxes.

use egui::{Pos2, Rect, Vec2};

use crate::tile::fit_rect;

/// How far from a point's centre the pointer still grabs it, in points.
pub const GRAB_RADIUS: f32 = 8.0;

/// The picture's place on screen.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PictureMap {
    picture: Rect,
}

impl PictureMap {
    /// The picture as the tile shows it: fitted by the live picture's size once one has
    /// arrived, else by the camera's stream size, else the whole tile.
    pub fn for_tile(tile: Rect, picture: Option<[u32; 2]>, stream: [u32; 2]) -> Self {
        let picture = match picture {
            Some(size) if size[0] > 0 && size[1] > 0 => fit_rect(tile, size),
            _ if stream[0] > 0 && stream[1] > 0 => fit_rect(tile, stream),
            _ => tile,
        };
        Self { picture }
    }

    /// The picture's rect on screen.
    pub fn rect(&self) -> Rect {
        self.picture
    }

    fn size(&self) -> Vec2 {
        self.picture.size().max(Vec2::splat(1e-3))
    }

    /// Screen position of a normalized point.
    pub fn to_screen(&self, (x, y): (f32, f32)) -> Pos2 {
        self.picture.min + Vec2::new(x, y) * self.size()
    }

    /// Every point on screen.
    pub fn all_to_screen(&self, points: &[(f32, f32)]) -> Vec<Pos2> {
        points.iter().map(|&p| self.to_screen(p)).collect()
    }

    /// The normalized point at a screen position, or `None` outside the picture (on the
    /// letterbox bars or beyond).
    pub fn to_picture(&self, pos: Pos2) -> Option<(f32, f32)> {
        self.picture
            .contains(pos)
            .then(|| self.to_picture_clamped(pos))
    }

    /// The normalized point at a screen position, moved onto the picture's edge when outside.
    pub fn to_picture_clamped(&self, pos: Pos2) -> (f32, f32) {
        let v = (pos - self.picture.min) / self.size();
        (v.x.clamp(0.0, 1.0), v.y.clamp(0.0, 1.0))
    }

    /// The point nearest to `pos` within [`GRAB_RADIUS`], if any.
    pub fn hit(&self, points: &[(f32, f32)], pos: Pos2) -> Option<usize> {
        points
            .iter()
            .enumerate()
            .map(|(i, &p)| (i, self.to_screen(p).distance(pos)))
            .filter(|&(_, d)| d <= GRAB_RADIUS)
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(i, _)| i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::pos2;

    fn tile() -> Rect {
        Rect::from_min_size(pos2(100.0, 50.0), Vec2::new(400.0, 400.0))
    }

    fn close(a: (f32, f32), b: (f32, f32)) -> bool {
        (a.0 - b.0).abs() < 1e-4 && (a.1 - b.1).abs() < 1e-4
    }

    #[test]
    fn a_wide_picture_is_letterboxed_top_and_bottom() {
        // 16:9 in a square: 400 × 225, centred, so bars of 87.5 above and below.
        let map = PictureMap::for_tile(tile(), None, [1280, 720]);
        assert_eq!(map.rect().min, pos2(100.0, 137.5));
        assert_eq!(map.to_screen((0.0, 0.0)), pos2(100.0, 137.5));
        assert_eq!(map.to_screen((1.0, 1.0)), pos2(500.0, 362.5));
        assert_eq!(map.to_screen((0.5, 0.5)), tile().center());
        assert!(close(
            map.to_picture(pos2(200.0, 250.0)).unwrap(),
            (0.25, 0.5)
        ));
        assert_eq!(map.to_picture(pos2(200.0, 100.0)), None, "on the top bar");
        assert!(close(map.to_picture_clamped(pos2(50.0, 100.0)), (0.0, 0.0)));
    }

    #[test]
    fn the_live_picture_wins_and_without_any_size_the_tile_is_the_picture() {
        // A tall picture: pillarboxed left and right.
        let map = PictureMap::for_tile(tile(), Some([360, 640]), [1280, 720]);
        assert_eq!(map.rect().width(), 225.0);
        assert_eq!(map.rect().height(), 400.0);
        let map = PictureMap::for_tile(tile(), None, [0, 0]);
        assert_eq!(map.rect(), tile());
    }

    #[test]
    fn screen_and_picture_round_trip() {
        let map = PictureMap::for_tile(tile(), Some([640, 360]), [0, 0]);
        for p in [(0.1, 0.2), (0.9, 0.7), (0.0, 1.0)] {
            assert!(close(map.to_picture(map.to_screen(p)).unwrap(), p));
        }
    }

    #[test]
    fn hits_the_nearest_point_within_the_grab_radius() {
        let map = PictureMap::for_tile(tile(), None, [0, 0]);
        // Points 4 px apart on screen (1 % of 400).
        let points = [(0.5, 0.5), (0.51, 0.5), (0.1, 0.1)];
        let p0 = map.to_screen(points[0]);
        assert_eq!(map.hit(&points, p0 + Vec2::new(-3.0, 0.0)), Some(0));
        assert_eq!(map.hit(&points, p0 + Vec2::new(3.0, 0.0)), Some(1));
        assert_eq!(map.hit(&points, p0 + Vec2::new(0.0, 7.5)), Some(0));
        assert_eq!(map.hit(&points, p0 + Vec2::new(0.0, 9.0)), None);
        assert_eq!(map.hit(&[], p0), None);
    }
}
