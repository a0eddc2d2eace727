//! Camera pictures as the detectors take them: packed RGB, resized to a network's input.

use super::ObjectError;

/// A packed RGB24 picture (`width * height * 3` bytes, rows without padding).
#[derive(Debug, Clone, Copy)]
pub struct RgbFrame<'a> {
    pub width: u32,
    pub height: u32,
    pub data: &'a [u8],
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

    /// The pixel at (x, y) as f32 channels.
    fn px(&self, x: u32, y: u32) -> [f32; 3] {
        let i = (y as usize * self.width as usize + x as usize) * 3;
        [
            f32::from(self.data[i]),
            f32::from(self.data[i + 1]),
            f32::from(self.data[i + 2]),
        ]
    }

    /// Bilinear sample at picture coordinates (pixel centres at +0.5).
    fn sample(&self, fx: f32, fy: f32) -> [f32; 3] {
        let x = (fx - 0.5).clamp(0.0, (self.width - 1) as f32);
        let y = (fy - 0.5).clamp(0.0, (self.height - 1) as f32);
        let (x0, y0) = (x.floor() as u32, y.floor() as u32);
        let (x1, y1) = ((x0 + 1).min(self.width - 1), (y0 + 1).min(self.height - 1));
        let (ax, ay) = (x - x0 as f32, y - y0 as f32);
        let (a, b, c, d) = (
            self.px(x0, y0),
            self.px(x1, y0),
            self.px(x0, y1),
            self.px(x1, y1),
        );
        let mut out = [0.0; 3];
        for k in 0..3 {
            let top = a[k] + (b[k] - a[k]) * ax;
            let bottom = c[k] + (d[k] - c[k]) * ax;
            out[k] = top + (bottom - top) * ay;
        }
        out
    }

    /// The picture stretched to `w`×`h`, as interleaved (HWC) RGB floats mapped through
    /// `scale * v + offset` (e.g. 2/255, -1 for [-1, 1]).
    pub fn resized_hwc(&self, w: u32, h: u32, scale: f32, offset: f32) -> Vec<f32> {
        let mut out = Vec::with_capacity(w as usize * h as usize * 3);
        let (sx, sy) = (self.width as f32 / w as f32, self.height as f32 / h as f32);
        for oy in 0..h {
            for ox in 0..w {
                let p = self.sample((ox as f32 + 0.5) * sx, (oy as f32 + 0.5) * sy);
                out.extend(p.iter().map(|v| v * scale + offset));
            }
        }
        out
    }

    /// A copy of the region (x, y, w, h) in pixels, clipped to the picture.
    pub fn crop(&self, x: u32, y: u32, w: u32, h: u32) -> Vec<u8> {
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
    fn crops_are_clipped_to_the_picture() {
        let data: Vec<u8> = (0..4 * 4 * 3).map(|i| i as u8).collect();
        let f = RgbFrame::new(4, 4, &data).unwrap();
        let c = f.crop(3, 3, 5, 5);
        assert_eq!(c, data[45..48].to_vec());
    }
}
