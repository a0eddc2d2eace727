//! Camera pictures as the detectors take them: packed RGB, resized (stretched or
//! letterboxed) to a network's input as floats, interleaved (HWC) or planar (CHW).
//!
//! Resizing runs before every detection, so it is a single pass with the bilinear taps of
//! each output row and column computed once per call (about 1 ms for 300×300 here).

use super::ObjectError;
use crate::model::objects::ObjectBox;

/// A packed RGB24 picture (`width * height * 3` bytes, rows without padding).
#[derive(Debug, Clone, Copy)]
pub struct RgbFrame<'a> {
    pub width: u32,
    pub height: u32,
    pub data: &'a [u8],
}

/// Where one output pixel samples the source along one axis: `v[i0] + (v[i1] - v[i0]) * a`,
/// or the padding colour when it falls beyond the picture (letterbox).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Tap {
    Blend { i0: usize, i1: usize, a: f32 },
    Pad,
}

/// The taps of `out` output pixels covering `span` source pixels, of which the first `src`
/// are the picture (the rest is padding). Pixel centres at +0.5, like OpenCV's resize.
fn taps(src: u32, span: u32, out: u32) -> Vec<Tap> {
    let step = span as f32 / out as f32;
    let last = src.saturating_sub(1) as f32;
    (0..out)
        .map(|o| {
            let centre = (o as f32 + 0.5) * step;
            if centre >= src as f32 {
                return Tap::Pad;
            }
            let f = (centre - 0.5).clamp(0.0, last);
            let i0 = f.floor() as usize;
            let i1 = (i0 + 1).min(last as usize);
            Tap::Blend {
                i0,
                i1,
                a: f - i0 as f32,
            }
        })
        .collect()
}

/// How a picture was letterboxed into a square network input: scaled by
/// `side / max(width, height)`, placed at the top-left, padded right or bottom.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Letterbox {
    /// The network's input side in pixels.
    pub side: u32,
    /// The original picture's size.
    pub width: u32,
    pub height: u32,
}

impl Letterbox {
    /// Input pixels per picture pixel.
    pub fn scale(&self) -> f32 {
        self.side as f32 / self.width.max(self.height) as f32
    }

    /// A box given by corners in network-input pixels, as a normalized picture box.
    pub fn to_picture(&self, x1: f32, y1: f32, x2: f32, y2: f32) -> ObjectBox {
        let s = self.scale();
        let (w, h) = (self.width as f32 * s, self.height as f32 * s);
        ObjectBox::from_corners(x1 / w, y1 / h, x2 / w, y2 / h)
    }
}

impl<'a> RgbFrame<'a> {
    /// Checks that `data` holds a whole `width`×`height` picture.
    pub fn new(width: u32, height: u32, data: &'a [u8]) -> Result<Self, ObjectError> {
        let want = width as usize * height as usize * 3;
        if width == 0 || height == 0 || data.len() < want {
            return Err(ObjectError::BadPicture(format!(
                "{width}×{height} RGB needs {want} bytes, got {}",
                data.len()
            )));
        }
        Ok(Self {
            width,
            height,
            data,
        })
    }

    /// Checks a frame built field by field (the fields are public) as [`RgbFrame::new`] does.
    pub fn check(&self) -> Result<(), ObjectError> {
        Self::new(self.width, self.height, self.data).map(|_| ())
    }

    /// Resamples the picture onto a `w`×`h` grid covering `span_w`×`span_h` source pixels
    /// (padding beyond the picture with `pad`), calling `put(x, y, rgb)` for each output
    /// pixel, row by row. A frame whose data is too short (see [`RgbFrame::check`]) gives
    /// padding only, never a panic.
    fn resample(
        &self,
        (w, h): (u32, u32),
        (span_w, span_h): (u32, u32),
        pad: [f32; 3],
        mut put: impl FnMut(usize, usize, [f32; 3]),
    ) {
        let (mut xs, mut ys) = (taps(self.width, span_w, w), taps(self.height, span_h, h));
        if self.check().is_err() {
            xs.fill(Tap::Pad);
            ys.fill(Tap::Pad);
        }
        let stride = self.width as usize * 3;
        let px = |row: usize, col: usize| {
            let i = row * stride + col * 3;
            [
                f32::from(self.data[i]),
                f32::from(self.data[i + 1]),
                f32::from(self.data[i + 2]),
            ]
        };
        for (oy, ty) in ys.iter().enumerate() {
            for (ox, tx) in xs.iter().enumerate() {
                let (
                    Tap::Blend {
                        i0: y0,
                        i1: y1,
                        a: ay,
                    },
                    Tap::Blend {
                        i0: x0,
                        i1: x1,
                        a: ax,
                    },
                ) = (*ty, *tx)
                else {
                    put(ox, oy, pad);
                    continue;
                };
                let (a, b, c, d) = (px(y0, x0), px(y0, x1), px(y1, x0), px(y1, x1));
                let mut out = [0.0; 3];
                for k in 0..3 {
                    let top = a[k] + (b[k] - a[k]) * ax;
                    let bottom = c[k] + (d[k] - c[k]) * ax;
                    out[k] = top + (bottom - top) * ay;
                }
                put(ox, oy, out);
            }
        }
    }

    /// The picture stretched to `w`×`h`, as interleaved (HWC) RGB floats mapped through
    /// `scale * v + offset` (e.g. 2/255, -1 for [-1, 1]).
    pub fn resized_hwc(&self, w: u32, h: u32, scale: f32, offset: f32) -> Vec<f32> {
        let mut out = Vec::with_capacity(w as usize * h as usize * 3);
        self.resample((w, h), (self.width, self.height), [0.0; 3], |_, _, p| {
            out.extend(p.iter().map(|v| v * scale + offset))
        });
        out
    }

    /// The picture letterboxed into a `side`×`side` square (scaled to fit, top-left,
    /// padded right or bottom with `pad`), as planar (CHW) RGB floats mapped through
    /// `scale * v + offset` (e.g. 1/255, 0 for [0, 1]).
    pub fn letterboxed_chw(
        &self,
        side: u32,
        scale: f32,
        offset: f32,
        pad: u8,
    ) -> (Vec<f32>, Letterbox) {
        let plane = side as usize * side as usize;
        let mut out = vec![0.0; plane * 3];
        let span = self.width.max(self.height);
        let padf = f32::from(pad);
        self.resample((side, side), (span, span), [padf; 3], |x, y, p| {
            let i = y * side as usize + x;
            for (k, v) in p.iter().enumerate() {
                out[k * plane + i] = v * scale + offset;
            }
        });
        let geometry = Letterbox {
            side,
            width: self.width,
            height: self.height,
        };
        (out, geometry)
    }

    /// A copy of the region (x, y, w, h) in pixels, clipped to the picture (empty for a
    /// frame that fails [`RgbFrame::check`]).
    pub fn crop(&self, x: u32, y: u32, w: u32, h: u32) -> Vec<u8> {
        if self.check().is_err() {
            return Vec::new();
        }
        let x = x.min(self.width - 1);
        let y = y.min(self.height - 1);
        let w = w.min(self.width - x).max(1);
        let h = h.min(self.height - y).max(1);
        let mut out = Vec::with_capacity(w as usize * h as usize * 3);
        for row in y..y + h {
            let start = (row as usize * self.width as usize + x as usize) * 3;
            out.extend_from_slice(&self.data[start..start + w as usize * 3]);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_buffer_is_refused_in_words() {
        let err = RgbFrame::new(4, 4, &[0; 10]).unwrap_err();
        assert!(err.to_string().contains("needs 48 bytes"), "{err}");
    }

    #[test]
    fn a_frame_built_with_too_little_data_resizes_to_padding() {
        let f = RgbFrame {
            width: 100,
            height: 100,
            data: &[255; 12],
        };
        assert!(f.check().is_err());
        assert_eq!(f.resized_hwc(2, 2, 1.0, 0.0), [0.0; 12]);
    }

    #[test]
    fn resizing_keeps_a_flat_colour_and_maps_the_range() {
        let data: Vec<u8> = [255u8, 0, 128].repeat(8 * 6);
        let f = RgbFrame::new(8, 6, &data).unwrap();
        let out = f.resized_hwc(3, 3, 2.0 / 255.0, -1.0);
        assert_eq!(out.len(), 27);
        for px in out.chunks(3) {
            assert!((px[0] - 1.0).abs() < 1e-5 && (px[1] + 1.0).abs() < 1e-5);
            assert!((px[2] - (128.0 * 2.0 / 255.0 - 1.0)).abs() < 1e-5);
        }
    }

    #[test]
    fn halving_averages_neighbouring_pixels() {
        // One row 0, 100, 200, 250 (grey) → two pixels sampled between 0/100 and 200/250.
        let data: Vec<u8> = [0u8, 100, 200, 250]
            .iter()
            .flat_map(|&v| [v, v, v])
            .collect();
        let f = RgbFrame::new(4, 1, &data).unwrap();
        let out = f.resized_hwc(2, 1, 1.0, 0.0);
        assert_eq!(out, [50.0, 50.0, 50.0, 225.0, 225.0, 225.0]);
    }

    #[test]
    fn a_wide_picture_is_letterboxed_at_the_top_with_padding_below() {
        // 8×4 white picture into a 4×4 square: rows 0-1 picture, rows 2-3 padding.
        let data = vec![255u8; 8 * 4 * 3];
        let f = RgbFrame::new(8, 4, &data).unwrap();
        let (out, lb) = f.letterboxed_chw(4, 1.0 / 255.0, 0.0, 0);
        assert_eq!(out.len(), 48);
        for c in 0..3 {
            let plane = &out[c * 16..(c + 1) * 16];
            assert!(
                plane[..8].iter().all(|&v| (v - 1.0).abs() < 1e-6),
                "{plane:?}"
            );
            assert!(plane[8..].iter().all(|&v| v == 0.0), "{plane:?}");
        }
        assert_eq!(lb.scale(), 0.5);
    }

    #[test]
    fn letterbox_boxes_map_back_to_the_picture() {
        // A 512×256 picture in a 320 square: scale 0.625, the picture is 320×160 there.
        let lb = Letterbox {
            side: 320,
            width: 512,
            height: 256,
        };
        let b = lb.to_picture(80.0, 40.0, 160.0, 120.0);
        assert!(
            (b.x - 0.25).abs() < 1e-6 && (b.y - 0.25).abs() < 1e-6,
            "{b:?}"
        );
        assert!(
            (b.w - 0.25).abs() < 1e-6 && (b.h - 0.5).abs() < 1e-6,
            "{b:?}"
        );
        // Boxes reaching into the padding are clipped to the picture.
        let c = lb.to_picture(300.0, 150.0, 330.0, 200.0);
        assert!((c.x + c.w - 1.0).abs() < 1e-6 && (c.y + c.h - 1.0).abs() < 1e-6);
    }

    #[test]
    fn crops_are_clipped_to_the_picture() {
        let data: Vec<u8> = (0..4 * 4 * 3).map(|i| i as u8).collect();
        let f = RgbFrame::new(4, 4, &data).unwrap();
        let c = f.crop(3, 3, 5, 5);
        assert_eq!(c, data[45..48].to_vec());
    }
}
