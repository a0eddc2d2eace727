//! Where the detector looks: a roughly square crop around the moving region when that region
//! is much smaller than the picture (a distant person fills more of the network's input),
//! and the mapping of boxes found in the crop back to whole-picture coordinates.

use crate::model::objects::ObjectBox;

/// Margin added on every side of the moving region, as a fraction of its longer side.
const PAD: f32 = 0.25;
/// Smallest crop side, pixels: a tiny region is looked at with some context around it.
const MIN_SIDE: f32 = 96.0;
/// A crop larger than this share of the picture is not worth it: the whole picture is used.
const MAX_SHARE: f32 = 0.5;

/// A region of the picture, in pixels, inside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Crop {
    pub x: u32,
    pub y: u32,
    pub w: u32,
    pub h: u32,
}

/// The crop around `region` (x0, y0, x1, y1 in picture fractions) in a `width`×`height`
/// picture: the region's longer side plus a margin, square where the picture allows, moved
/// inside the picture; `None` (look at the whole picture) when there is no region or the
/// crop would cover more than half the picture.
pub fn plan(region: Option<[f32; 4]>, width: u32, height: u32) -> Option<Crop> {
    let [x0, y0, x1, y1] = region?;
    let (pw, ph) = (width as f32, height as f32);
    let (rw, rh) = ((x1 - x0) * pw, (y1 - y0) * ph);
    if !(rw > 0.0 && rh > 0.0) {
        return None;
    }
    let side = (rw.max(rh) * (1.0 + 2.0 * PAD)).max(MIN_SIDE);
    let (w, h) = (side.min(pw).round(), side.min(ph).round());
    if w * h > MAX_SHARE * pw * ph {
        return None;
    }
    let (cx, cy) = ((x0 + x1) / 2.0 * pw, (y0 + y1) / 2.0 * ph);
    let x = (cx - w / 2.0).clamp(0.0, pw - w).round();
    let y = (cy - h / 2.0).clamp(0.0, ph - h).round();
    Some(Crop {
        x: x as u32,
        y: y as u32,
        w: (w as u32).min(width - x as u32),
        h: (h as u32).min(height - y as u32),
    })
}

impl Crop {
    /// A box found in the crop (fractions of the crop) as fractions of the whole
    /// `width`×`height` picture.
    pub fn to_picture(&self, b: &ObjectBox, width: u32, height: u32) -> ObjectBox {
        let (pw, ph) = (width.max(1) as f32, height.max(1) as f32);
        let (cx, cy, cw, ch) = (self.x as f32, self.y as f32, self.w as f32, self.h as f32);
        ObjectBox::from_corners(
            (cx + b.x * cw) / pw,
            (cy + b.y * ch) / ph,
            (cx + (b.x + b.w) * cw) / pw,
            (cy + (b.y + b.h) * ch) / ph,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_region_gets_a_padded_square_crop_around_it() {
        // 640×360 picture, a 100×160 px region centred at (200, 180).
        let region = [150.0 / 640.0, 100.0 / 360.0, 250.0 / 640.0, 260.0 / 360.0];
        let c = plan(Some(region), 640, 360).expect("a crop");
        // Longer side 160 + 25 % each side = 240, square, centred on the region.
        assert_eq!(
            c,
            Crop {
                x: 80,
                y: 60,
                w: 240,
                h: 240
            }
        );
    }

    #[test]
    fn crops_stay_inside_the_picture_and_tiny_regions_keep_some_context() {
        // A 10×10 px region in the top-left corner.
        let c = plan(Some([0.0, 0.0, 10.0 / 640.0, 10.0 / 360.0]), 640, 360).unwrap();
        assert_eq!(
            c,
            Crop {
                x: 0,
                y: 0,
                w: 96,
                h: 96
            }
        );
        // Bottom-right corner.
        let c = plan(Some([0.99, 0.99, 1.0, 1.0]), 640, 360).unwrap();
        assert_eq!((c.x + c.w, c.y + c.h), (640, 360));
    }

    #[test]
    fn a_large_region_or_none_means_the_whole_picture() {
        assert_eq!(plan(Some([0.1, 0.1, 0.7, 0.9]), 640, 360), None);
        assert_eq!(plan(None, 640, 360), None);
        assert_eq!(plan(Some([0.5, 0.5, 0.5, 0.6]), 640, 360), None, "empty");
    }

    #[test]
    fn boxes_map_back_to_the_whole_picture() {
        let c = Crop {
            x: 80,
            y: 60,
            w: 240,
            h: 240,
        };
        // The crop's middle half.
        let b = ObjectBox::from_corners(0.25, 0.25, 0.75, 0.75);
        let p = c.to_picture(&b, 640, 360);
        let want =
            ObjectBox::from_corners(140.0 / 640.0, 120.0 / 360.0, 260.0 / 640.0, 240.0 / 360.0);
        for (got, want) in [(p.x, want.x), (p.y, want.y), (p.w, want.w), (p.h, want.h)] {
            assert!((got - want).abs() < 1e-6, "{p:?} vs {want:?}");
        }
        // The whole crop maps onto the crop's rectangle.
        let all = c.to_picture(&ObjectBox::from_corners(0.0, 0.0, 1.0, 1.0), 640, 360);
        assert!((all.x * 640.0 - 80.0).abs() < 1e-3 && (all.h * 360.0 - 240.0).abs() < 1e-3);
    }
}
